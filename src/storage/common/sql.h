#pragma once
// SQL text that both backends' schemas accept as it is.

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/strcat.h"
#include "ingest/interchange.h"
#include "ingest/legal.h"

namespace gugus::storage {

// Column names of record_versions holding parsed fields (every field but record_id,
// which source_records holds), each preceded by `prefix` ("v." in joins).
inline std::string VersionColumns(std::string_view prefix = "") {
  std::string out;
  for (int f = 1; f < ingest::kFieldCount; ++f)
    out += StrCat(f > 1 ? ", " : "", prefix, ingest::Fields()[f].key);
  return out;
}

// The same for legal_versions (every legal-progress field but record_id).
inline std::string LegalVersionColumns(std::string_view prefix = "") {
  std::string out;
  for (int f = 1; f < ingest::kLegalFieldCount; ++f)
    out += StrCat(f > 1 ? ", " : "", prefix, ingest::LegalFields()[f].key);
  return out;
}

// Legal-progress fields stored as integers rather than text.
inline bool IsLegalNumber(int f) {
  using F = ingest::LegalField;
  return f == static_cast<int>(F::kSentenceMonths) || f == static_cast<int>(F::kFine) ||
         f == static_cast<int>(F::kRestitution);
}

// The integer fields of a legal row read back as text (ParsedLegal keeps both).
inline void FillLegalNumbers(ingest::ParsedLegal& p) {
  using F = ingest::LegalField;
  auto number = [](const std::string& text) -> std::optional<int64_t> {
    if (text.empty()) return std::nullopt;
    int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return v;
  };
  if (auto m = number(p[F::kSentenceMonths])) p.sentence_months = static_cast<int>(*m);
  p.fine = number(p[F::kFine]);
  p.restitution = number(p[F::kRestitution]);
}

// Current legal versions with their agency, in no particular order (the justice
// service orders them by stable keys itself): id, version, version id, agency id,
// code, type, region, warnings, then LegalVersionColumns.
inline std::string LegalRecordSelect() {
  return StrCat(
      "SELECT r.id, v.version, v.id, a.id, a.code, a.type, a.region_code, v.warnings, "
      "r.record_id, ",
      LegalVersionColumns("v."),
      " FROM legal_records r JOIN legal_versions v ON v.legal_record_id = r.id "
      "AND v.version = r.current_version JOIN agencies a ON a.id = r.agency_id");
}

// An import's batch: started (agency, file name, digest, format, encoding,
// delimiter, header, started_at, kind) and finished (finished_at, the counts rows …
// blank, the digest, then the id); SQLite numbers "$n" by first appearance, in order.
inline constexpr const char* kStartBatch =
    "INSERT INTO import_batches (agency_id, file_name, file_digest, format, encoding, "
    "delimiter, header, started_at, kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
inline constexpr const char* kFinishBatch =
    "UPDATE import_batches SET finished_at = $1, rows = $2, inserted = $3, "
    "updated = $4, unchanged = $5, rejected = $6, warnings = $7, blank = $8, "
    "file_digest = $9 WHERE id = $10";

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

// Jobs (domain/repository.h JobRepository): the same statements on both backends.
inline constexpr const char* kJobSelect =
    "SELECT id, kind, owner, subject, state, done, total, items, result, error, "
    "created_at, started_at, finished_at, payload, has_file, worker, lease_until_ms, "
    "attempts FROM jobs";
inline constexpr const char* kInsertJob =
    "INSERT INTO jobs (kind, owner, subject, payload, dedup_key, has_file, state, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7)";
// The oldest job that waits or whose worker's lease ended before $1, among kinds
// written into the IN list by the caller (the queue's own kind names).
inline std::string ClaimableJobSql(std::string_view kinds_in_list) {
  return StrCat(kJobSelect, " WHERE kind IN (", kinds_in_list,
                ") AND (state = 'queued' OR (state = 'running' AND lease_until_ms < $1)) "
                "ORDER BY id LIMIT 1");
}
inline constexpr const char* kTakeJob =
    "UPDATE jobs SET state = 'running', worker = $1, lease_until_ms = $2, "
    "attempts = attempts + 1, started_at = CASE WHEN started_at = '' THEN $3 ELSE "
    "started_at END WHERE id = $4";
inline constexpr const char* kRenewJob =
    "UPDATE jobs SET done = $1, total = $2, items = $3, lease_until_ms = $4 "
    "WHERE id = $5 AND worker = $6 AND state = 'running'";
// (Placeholders in the order they appear: SQLite numbers "$n" by first appearance.)
inline constexpr const char* kFinishJob =
    "UPDATE jobs SET state = $1, result = $2, error = $3, finished_at = $4, "
    "lease_until_ms = 0, done = $5, total = $6, items = $7 "
    "WHERE id = $8 AND worker = $9 AND state = 'running'";
inline constexpr const char* kFailWornJob =
    "UPDATE jobs SET state = 'failed', error = $1, finished_at = $2, lease_until_ms = 0 "
    "WHERE id = $3";
inline constexpr const char* kDeleteJobFile = "DELETE FROM job_files WHERE job_id = $1";
inline constexpr const char* kForgetJobs =
    "DELETE FROM jobs WHERE state IN ('done', 'failed') AND finished_at < $1";
inline constexpr const char* kCountJobs =
    "SELECT state, count(*) FROM jobs GROUP BY state";
// A job's file is stored in chunks of this many bytes (memory stays flat for a
// file of any size).
inline constexpr size_t kJobFileChunk = 1 << 20;
// The message of a job that was claimed `attempts` times and never finished.
inline std::string WornJobError(int attempts) {
  return StrCat("the job was interrupted ", attempts,
                " times (its server stopped while running it); submit it again");
}

}  // namespace gugus::storage
