// Private to src/storage/postgres: reading and writing many rows without holding
// them all at once (a million records' rows would be gigabytes in one result).
#pragma once

#include <charconv>
#include <future>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/status.h"
#include "core/strcat.h"

namespace gugus::storage::pg {

// How ForEachBatch fetches: each batch after `visit` returned (visit may use the
// transaction), or the next batch on another thread while `visit` works on this
// one, so that the server and gugus work at once (visit must not use the
// transaction).
enum class Fetch { kInTurn, kAhead };

// How the rows' values arrive: as text (what pqxx's conversions read), or in
// PostgreSQL's binary form (a BINARY cursor), where a bytea value is its bytes,
// half the size of its text form and with nothing to decode. Only for callers that
// read the raw values (field::c_str() and size()).
enum class Form { kText, kBinary };

// Runs the query `sql` in `tx` through a server-side cursor and calls
// `visit(const pqxx::result&)` with `batch` rows at a time, in order, until they
// are all read or `visit` returns an error. The plan is chosen for reading every
// row (a cursor's default favours the first few). With Fetch::kInTurn the
// connection is free between fetches: `visit` may run other statements of `tx`, a
// COPY included. One cursor at a time per transaction.
template <typename Visit>
absl::Status ForEachBatch(pqxx::transaction_base& tx, const std::string& sql,
                          const Visit& visit, int batch = 10000,
                          Fetch mode = Fetch::kInTurn, Form form = Form::kText) {
  tx.exec0("SET LOCAL cursor_tuple_fraction = 1");
  tx.exec0(StrCat("DECLARE gugus_rows ", form == Form::kBinary ? "BINARY " : "",
                  "NO SCROLL CURSOR FOR ", sql));
  const std::string sql_fetch = StrCat("FETCH FORWARD ", batch, " FROM gugus_rows");
  auto fetch = [&tx, &sql_fetch] { return tx.exec(sql_fetch); };
  // A fetch under way on another thread; its destructor waits for it, so that an
  // error or exception of `visit` leaves the connection idle.
  std::future<pqxx::result> ahead;
  if (mode == Fetch::kAhead) ahead = std::async(std::launch::async, fetch);
  for (;;) {
    pqxx::result r = mode == Fetch::kAhead ? ahead.get() : fetch();
    const bool last = r.size() < static_cast<size_t>(batch);
    if (mode == Fetch::kAhead && !last) ahead = std::async(std::launch::async, fetch);
    if (!r.empty()) GUGUS_RETURN_IF_ERROR(visit(r));
    if (last) break;
  }
  tx.exec0("CLOSE gugus_rows");
  return absl::OkStatus();
}

// The same, calling `visit(const pqxx::row&)` for each row.
template <typename Visit>
absl::Status ForEachRow(pqxx::transaction_base& tx, const std::string& sql,
                        const Visit& visit, int batch = 10000,
                        Fetch mode = Fetch::kInTurn, Form form = Form::kText) {
  return ForEachBatch(
      tx, sql,
      [&](const pqxx::result& r) -> absl::Status {
        for (const pqxx::row& row : r) GUGUS_RETURN_IF_ERROR(visit(row));
        return absl::OkStatus();
      },
      batch, mode, form);
}

// "{1,5,7}": ids as one bigint[] parameter ($1::bigint[]), so that a statement
// takes any number of them.
inline std::string IdArray(const std::vector<int64_t>& ids) {
  std::string out = "{";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  out += '}';
  return out;
}

// The shortest text that reads back as exactly `value` (COPY and parameters take
// doubles as text; pqxx's own conversion may round).
inline std::string ExactDouble(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

}  // namespace gugus::storage::pg
