// The course of justice (SPEC section 8), computed from legal-progress rows: which
// agency cases are one case, which suspect mentions are one suspect, and what the
// cases add up to. Pure functions over values; no storage, thread-safe.
//
// Linking (LinkJustice), in order:
//  1. The rows of one agency carrying one case number (compared by CaseRefKey) are
//     one agency case.
//  2. An agency case that cites another agency's number (other_refs) is one case
//     with it.
//  3. Agency cases of different agencies that share a victim person (after victim
//     linkage) or whose suspects' names match are scored; each evidence adds a
//     documented weight (ScoreCasePair). Pairs at or above kCaseLink join, the
//     best pairs first; a case that already holds an agency case of one of the
//     agencies (a trial split by suspect) needs kCaseLinkSameAgency; pairs from
//     kCaseReview up that do not join go to the review queue.
//  4. Within a case, suspect mentions with the same valid NIK or similar names
//     (and no contradicting NIK or birth date) are one suspect.
//  5. Across cases, suspects join only on strong evidence: the same valid NIK, or
//     similar names together with the same birth date or phone. A shared common
//     first name alone never joins (syndicates are found, not invented).
//  6. Ids are stable: each case (suspect) keeps the id most of its agency cases
//     (mentions) had; ids are never given twice.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/date.h"
#include "domain/justice/justice_repository.h"
#include "ingest/legal.h"

namespace gugus::domain {

// "LP/B/123/VI/2023/SPKT/POLDA NTT" and "lp/b/123/vi/2023/spkt.polda ntt" alike:
// upper case, every run of other characters than letters and digits one '/'.
std::string CaseRefKey(std::string_view case_ref);

// Weights of the case-pair score (documented in the README's justice section).
inline constexpr double kCaseLink = 6.0;
inline constexpr double kCaseLinkSameAgency = 7.0;
inline constexpr double kCaseReview = 3.0;

struct JusticeLinkInput {
  std::vector<LegalRecord> records;
  // Victim rows' persons: VictimKey(agency code, record_id) → person id.
  absl::flat_hash_map<std::string, int64_t> victim_person;
  JusticeAssignment previous;
  std::string started_at;
  const ingest::StageCatalog* stages = nullptr;  // to know SP3 / SKPP; may be null
};
std::string VictimKey(std::string_view agency_code, std::string_view record_id);

struct JusticeLinkReport {
  int64_t records = 0;
  int64_t agency_cases = 0;
  int64_t cases = 0;
  int64_t suspects = 0;
  int64_t cited_links = 0;   // agency-case pairs joined by a cited number
  int64_t scored_links = 0;  // joined by their score
  int64_t review = 0;
};

// Links everything anew (it is cheap: a few seconds for a million rows).
JusticeRunWrite LinkJustice(const JusticeLinkInput& input, JusticeLinkReport& report);

// --- The model the views and the counts read ---

struct CaseEvent {
  size_t record = 0;  // index into JusticeModel::records()
  const ingest::StageSpec* stage = nullptr;
  Date date;
  int64_t suspect_id = 0;  // 0: the row names no suspect
};

struct CaseAgencyCase {
  int64_t agency_id = 0;
  std::string agency_code, agency_type, agency_region, case_ref, ref_key;
};

struct CaseView {
  int64_t id = 0;
  std::vector<CaseAgencyCase> agency_cases;
  std::vector<CaseEvent> events;             // by date, then stage rank
  std::vector<int64_t> suspects;             // ids, ascending
  Date first, last;                          // earliest and latest event
  const ingest::StageSpec* stage = nullptr;  // the furthest stage reached
  bool closed = false;  // final, stopped, or restitution paid: not "stalled"
  int p19_returns = 0;
  std::optional<Date> reported, file_complete, first_verdict;
  std::string province;  // of the agency that reported it (police first)
};

struct JusticeCountOptions {
  bool by_province = false;
  int year_start_month = 1;  // 4: April–March years, labelled by the starting year
  // Non-zero: only this agency's rows, as the agency would count alone (its own
  // cases, its own suspects; what adding up agencies' spreadsheets double-counts).
  int64_t agency_id = 0;
};

struct JusticeRow {
  int year = 0;
  std::string province;  // when by_province
  int64_t cases = 0, suspects_named = 0, prosecuted = 0, convicted = 0, acquitted = 0;
  int64_t restitution_ordered = 0, restitution_paid = 0;  // rupiah
};

class JusticeModel {
 public:
  JusticeModel() = default;
  // The model keeps `stages`: events point into it.
  static JusticeModel Build(std::vector<LegalRecord> records,
                            const JusticeAssignment& assignment,
                            std::shared_ptr<const ingest::StageCatalog> stages);

  const std::vector<LegalRecord>& records() const { return records_; }
  const std::vector<CaseView>& cases() const { return cases_; }
  const CaseView* Find(int64_t case_id) const;
  // Counts over the cases `include` accepts (all when empty).
  std::vector<JusticeRow> Count(
      const JusticeCountOptions& options,
      const std::function<bool(const CaseView&)>& include = {}) const;

 private:
  std::shared_ptr<const ingest::StageCatalog> stages_;
  std::vector<LegalRecord> records_;
  std::vector<CaseView> cases_;  // by id
};

}  // namespace gugus::domain
