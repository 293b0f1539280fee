#include "domain/justice/justice_service.h"

#include "absl/container/flat_hash_set.h"
#include "core/date.h"
#include "core/status.h"

namespace gugus::domain {
namespace {

absl::StatusOr<ingest::StageCatalog> LoadCatalog(JusticeRepository& repo) {
  GUGUS_ASSIGN_OR_RETURN(std::vector<ingest::StageSpec> stages, repo.LoadStages());
  return ingest::StageCatalog::Make(std::move(stages));
}

absl::StatusOr<std::vector<LegalRecord>> LoadRecords(JusticeRepository& repo) {
  std::vector<LegalRecord> records;
  GUGUS_RETURN_IF_ERROR(repo.ForEachLegalRecord([&](LegalRecord&& r) {
    records.push_back(std::move(r));
    return absl::OkStatus();
  }));
  return records;
}

}  // namespace

absl::StatusOr<JusticeLinkReport> JusticeService::Link() {
  JusticeRepository& repo = store_.justice();
  JusticeLinkInput input;
  input.started_at = NowUtc();
  GUGUS_ASSIGN_OR_RETURN(input.records, LoadRecords(repo));
  GUGUS_ASSIGN_OR_RETURN(input.previous, repo.LoadAssignment());
  // The victims' persons, for the agencies whose legal rows name victim rows.
  absl::flat_hash_set<std::string> agencies;
  for (const LegalRecord& r : input.records)
    if (!r.parsed[ingest::LegalField::kVictimRecordIds].empty())
      agencies.insert(r.agency_code);
  if (!agencies.empty()) {
    GUGUS_RETURN_IF_ERROR(store_.links().ForEachExportLink(
        [&](std::string_view agency, std::string_view record_id, int64_t person) {
          if (agencies.contains(absl::string_view(agency.data(), agency.size())))
            input.victim_person.emplace(VictimKey(agency, record_id), person);
          return absl::OkStatus();
        }));
  }
  GUGUS_ASSIGN_OR_RETURN(ingest::StageCatalog stages, LoadCatalog(repo));
  input.stages = &stages;
  JusticeLinkReport report;
  JusticeRunWrite write = LinkJustice(input, report);
  write.finished_at = NowUtc();
  GUGUS_RETURN_IF_ERROR(repo.SaveRun(write));
  return report;
}

absl::StatusOr<std::shared_ptr<const JusticeModel>> JusticeService::Model() {
  JusticeRepository& repo = store_.justice();
  GUGUS_ASSIGN_OR_RETURN(JusticeState state, repo.State());
  std::lock_guard<std::mutex> lock(mu_);
  if (model_ && state == state_) return model_;
  GUGUS_ASSIGN_OR_RETURN(ingest::StageCatalog catalog, LoadCatalog(repo));
  auto stages = std::make_shared<const ingest::StageCatalog>(std::move(catalog));
  GUGUS_ASSIGN_OR_RETURN(std::vector<LegalRecord> records, LoadRecords(repo));
  GUGUS_ASSIGN_OR_RETURN(JusticeAssignment assignment, repo.LoadAssignment());
  model_ = std::make_shared<const JusticeModel>(
      JusticeModel::Build(std::move(records), assignment, stages));
  state_ = state;
  return model_;
}

std::vector<const CaseAgencyCase*> JusticeService::VisibleAgencyCases(
    const RecordScope& scope, const CaseView& view) {
  std::vector<const CaseAgencyCase*> out;
  for (const CaseAgencyCase& ac : view.agency_cases) {
    RecordPlace place{ac.agency_id, ac.agency_region, ""};
    if (CanSee(scope, place)) out.push_back(&ac);
  }
  return out;
}

bool JusticeService::Visible(const RecordScope& scope, const CaseView& view) {
  return !VisibleAgencyCases(scope, view).empty();
}

}  // namespace gugus::domain
