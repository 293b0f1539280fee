// Private to src/storage/postgres: reading and writing many rows without holding
// them all at once (a million records' rows would be gigabytes in one result).
#pragma once

#include <charconv>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/status.h"
#include "core/strcat.h"

namespace gugus::storage::pg {

// Runs the query `sql` in `tx` through a server-side cursor and calls
// `visit(const pqxx::result&)` with `batch` rows at a time, in order, until they
// are all read or `visit` returns an error. The plan is chosen for reading every
// row (a cursor's default favours the first few). Between fetches the connection
// is free: `visit` may run other statements of `tx`, a COPY included. One cursor
// at a time per transaction.
template <typename Visit>
absl::Status ForEachBatch(pqxx::transaction_base& tx, const std::string& sql,
                          const Visit& visit, int batch = 10000) {
  tx.exec0("SET LOCAL cursor_tuple_fraction = 1");
  tx.exec0(StrCat("DECLARE gugus_rows NO SCROLL CURSOR FOR ", sql));
  const std::string fetch = StrCat("FETCH FORWARD ", batch, " FROM gugus_rows");
  for (;;) {
    pqxx::result r = tx.exec(fetch);
    if (!r.empty()) GUGUS_RETURN_IF_ERROR(visit(r));
    if (r.size() < static_cast<size_t>(batch)) break;
  }
  tx.exec0("CLOSE gugus_rows");
  return absl::OkStatus();
}

// The same, calling `visit(const pqxx::row&)` for each row.
template <typename Visit>
absl::Status ForEachRow(pqxx::transaction_base& tx, const std::string& sql,
                        const Visit& visit, int batch = 10000) {
  return ForEachBatch(
      tx, sql,
      [&](const pqxx::result& r) -> absl::Status {
        for (const pqxx::row& row : r) GUGUS_RETURN_IF_ERROR(visit(row));
        return absl::OkStatus();
      },
      batch);
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
