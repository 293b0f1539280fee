// What the justice area (SPEC section 8) needs from storage: legal-progress rows
// imported and versioned like victim rows, the stage catalogue, and the result of
// linking them (agency cases → cases, suspect mentions → suspects), with no SQL.
//
// A legal-progress row is a record of its agency: stored once per (agency,
// record_id), every changed re-submission a new version, never edited in place,
// rejected rows quarantined in the batch's rejects (RecordRepository::ForEachReject
// reads them like a victim file's). Batches carry their kind ("legal").
//
// Thread-safety and errors as domain/repository.h.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/repository.h"
#include "ingest/legal.h"

namespace gugus::domain {

// All writes of one legal-progress file, as ImportTransaction's for a victim file.
// `raw_cells` are all the row's cells (ingest::EncodeCells).
using LegalImportTransaction = BasicImportTransaction<ingest::ParsedLegal>;

// One legal-progress row's current version.
struct LegalRecord {
  int64_t legal_record_id = 0;
  int64_t version = 0;
  int64_t version_id = 0;  // the version row's id (orders changes)
  int64_t agency_id = 0;
  std::string agency_code;
  std::string agency_type;
  std::string agency_region;
  ingest::ParsedLegal parsed;  // values and warnings
};

// An agency's case: the rows of one agency that carry one case number (compared
// by CaseRefKey, so "LP/B/12/VI/2023" and "lp/b/12/vi/2023" are one).
struct AgencyCaseRow {
  int64_t agency_id = 0;
  std::string ref_key;   // CaseRefKey(case_ref)
  std::string case_ref;  // as first written
  int64_t case_id = 0;
};

struct SuspectLinkRow {
  int64_t legal_record_id = 0;
  int64_t suspect_id = 0;
};

// A pair of agency cases, or of suspect mentions, the linker was unsure about.
struct JusticeReviewRow {
  std::string kind;  // "case" or "suspect"
  std::string a, b;  // "AGENCY/ref_key" (case) or legal_record_id (suspect)
  double probability = 0;
  std::string evidence;  // the explanation, as text without personal data
};

// The latest justice linkage as stored.
struct JusticeAssignment {
  int64_t run = 0;  // 0: never linked
  std::vector<AgencyCaseRow> agency_cases;
  std::vector<SuspectLinkRow> suspect_links;
  int64_t next_case_id = 1;  // ids are never given twice
  int64_t next_suspect_id = 1;
};

struct JusticeRunWrite {
  std::string started_at, finished_at;
  // The whole assignment, replacing the previous one.
  std::vector<AgencyCaseRow> agency_cases;
  std::vector<SuspectLinkRow> suspect_links;
  std::vector<JusticeReviewRow> review;
  int64_t next_case_id = 1;
  int64_t next_suspect_id = 1;
  int64_t cases = 0, suspects = 0;  // distinct, for the run's record
};

// Changes whenever what the justice model reads may have changed.
struct JusticeState {
  int64_t legal_batches = 0;  // committed legal-progress imports
  int64_t last_run = 0;       // the newest justice link run
  int64_t last_link_run = 0;  // the newest victim link run (victims join cases)
  bool operator==(const JusticeState&) const = default;
};

class JusticeRepository {
 public:
  virtual ~JusticeRepository() = default;
  virtual absl::StatusOr<std::unique_ptr<LegalImportTransaction>> BeginLegalImport(
      const ImportFileMeta& meta) = 0;
  // The record ids of `agency_id`'s victim rows (to warn about a victim_record_id
  // the agency never submitted).
  virtual absl::Status ForEachVictimRecordId(
      int64_t agency_id, const std::function<void(std::string_view)>& visit) = 0;
  // Current versions of every legal-progress row, in (agency code, record_id) order.
  virtual absl::Status ForEachLegalRecord(
      const std::function<absl::Status(LegalRecord&&)>& visit) = 0;
  // The stage catalogue as stored (seeded with ingest::DefaultStages()).
  virtual absl::StatusOr<std::vector<ingest::StageSpec>> LoadStages() = 0;
  // Replaces the catalogue in one transaction.
  virtual absl::Status ReplaceStages(const std::vector<ingest::StageSpec>& stages) = 0;
  virtual absl::StatusOr<JusticeAssignment> LoadAssignment() = 0;
  // Writes a run in one transaction.
  virtual absl::Status SaveRun(const JusticeRunWrite& write) = 0;
  virtual absl::StatusOr<std::vector<JusticeReviewRow>> Review() = 0;
  virtual absl::StatusOr<JusticeState> State() = 0;
};

}  // namespace gugus::domain
