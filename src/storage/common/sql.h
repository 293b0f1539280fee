#pragma once
// SQL text that both backends' schemas accept as it is.

#include <string>
#include <string_view>
#include <vector>

#include "core/strcat.h"
#include "ingest/interchange.h"

namespace gugus::storage {

// Column names of record_versions holding parsed fields (every field but record_id,
// which source_records holds), each preceded by `prefix` ("v." in joins).
inline std::string VersionColumns(std::string_view prefix = "") {
  std::string out;
  for (int f = 1; f < ingest::kFieldCount; ++f)
    out += StrCat(f > 1 ? ", " : "", prefix, ingest::Fields()[f].key);
  return out;
}

// "1, 5, 7": ids to write into an IN (...) list or an ARRAY[...].
inline std::string IdList(const std::vector<int64_t>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) out += StrCat(i ? ", " : "", ids[i]);
  return out;
}

// A review item with both records' agency code and record id and their persons
// (0: not linked).
inline constexpr const char* kReviewItemSelect =
    "SELECT i.id, i.record_a, i.record_b, i.probability, i.evidence, "
    "aa.code, ra.record_id, ab.code, rb.record_id, "
    "coalesce(la.person_id, 0), coalesce(lb.person_id, 0) "
    "FROM review_items i "
    "JOIN source_records ra ON ra.id = i.record_a "
    "JOIN agencies aa ON aa.id = ra.agency_id "
    "JOIN source_records rb ON rb.id = i.record_b "
    "JOIN agencies ab ON ab.id = rb.agency_id "
    "LEFT JOIN person_links la ON la.source_record_id = i.record_a "
    "LEFT JOIN person_links lb ON lb.source_record_id = i.record_b";

// One more failed login under key $1 at $2 (ms); a count whose last failure is
// older than $3 starts again. (SQLite reads $1, $2, $3 as parameters numbered
// in the order they first appear: the same order.)
inline constexpr const char* kAddLoginFailure =
    "INSERT INTO login_failures (key, count, last_ms) VALUES ($1, 1, $2) "
    "ON CONFLICT (key) DO UPDATE SET count = CASE WHEN login_failures.last_ms < $3 "
    "THEN 1 ELSE login_failures.count + 1 END, last_ms = excluded.last_ms";

}  // namespace gugus::storage
