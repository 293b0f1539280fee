#include "domain/reporting/stats_service.h"

#include <algorithm>
#include <optional>

#include "core/date.h"
#include "core/status.h"
#include "core/strcat.h"
#include "core/vocabulary.h"

namespace gugus::domain {
namespace {

using report::Dim;

// Dashboard answers kept per set of facts (each a few kilobytes).
constexpr size_t kMaxKeptOverviews = 1000;

// "2024-01-31" → 20240131 after checking it is a real date; 0 for "".
absl::StatusOr<int32_t> PackedDate(const std::string& text, std::string_view what) {
  if (text.empty()) return 0;
  auto date = ParseDate(text);
  if (!date.ok())
    return absl::InvalidArgumentError(StrCat(what, " is not a date (use YYYY-MM-DD)"));
  return date->year * 10000 + date->month * 100 + date->day;
}

std::string_view AgencyTypeLabel(std::string_view type) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"police", "Kepolisian"},
      {"prosecutor", "Kejaksaan"},
      {"court", "Pengadilan"},
      {"pppa_unit", "UPTD PPA"},
      {"social_service", "Dinas Sosial"},
      {"migrant_worker_agency", "BP2MI / BP3MI"},
      {"immigration", "Imigrasi"},
      {"health", "Kesehatan"},
      {"labour", "Ketenagakerjaan"},
      {"foreign_affairs", "Kementerian Luar Negeri"},
      {"ngo", "LSM"},
      {"other", "Lainnya"},
  };
  for (const auto& [code, label] : kLabels)
    if (code == type) return label;
  return type;
}

std::string TermLabel(Vocabulary vocabulary, const std::string& code) {
  for (const Term& t : Terms(vocabulary))
    if (t.code == code) return std::string(t.label_id);
  return code;
}

std::string Find(const std::vector<std::pair<std::string, std::string>>& names,
                 const std::string& code) {
  auto it =
      std::lower_bound(names.begin(), names.end(), std::make_pair(code, std::string()));
  return it != names.end() && it->first == code ? it->second : code;
}

}  // namespace

StatsService::StatsService(Store& store) : store_(store) {}

absl::StatusOr<StatsResult> StatsService::Query(const StatsQuery& query) {
  return Run(query, nullptr);
}
absl::StatusOr<StatsResult> StatsService::Query(const StatsQuery& query,
                                                const Principal& principal) {
  return Run(query, &principal);
}
absl::StatusOr<report::Reconciliation> StatsService::Reconcile(const StatsQuery& query) {
  return RunReconcile(query, nullptr);
}
absl::StatusOr<report::Reconciliation> StatsService::Reconcile(
    const StatsQuery& query, const Principal& principal) {
  return RunReconcile(query, &principal);
}

absl::StatusOr<StatsService::Scoped> StatsService::Resolve(const StatsQuery& query,
                                                           const Principal* principal) {
  Scoped out;
  if (query.k < 1 || query.k > 1000)
    return absl::InvalidArgumentError("k must be a whole number from 1 to 1000");
  out.k = query.k;
  GUGUS_ASSIGN_OR_RETURN(out.filter.from, PackedDate(query.from, "the start date"));
  GUGUS_ASSIGN_OR_RETURN(out.filter.to, PackedDate(query.to, "the end date"));
  if (out.filter.from && out.filter.to && out.filter.from > out.filter.to)
    return absl::InvalidArgumentError("the start date is after the end date");

  int32_t asked = 0;
  if (!query.region.empty() && query.region != kNationalRegion) {
    asked = report::PackRegion(query.region);
    if (asked == 0 || report::UnpackRegion(asked) != query.region)
      return absl::InvalidArgumentError(
          "region must be a Kemendagri code down to district level, e.g. 53 or 53.71");
  }
  int32_t allowed = 0;
  if (principal != nullptr) {
    const RecordScope scope = ScopeOf(*principal);
    if (scope.nothing) {  // analysts: aggregates of their region, always suppressed
      out.k = std::max(out.k, report::kDefaultK);
      if (principal->region_code != kNationalRegion)
        allowed = report::PackRegion(principal->region_code);
    } else if (!scope.everything) {
      allowed = report::PackRegion(scope.region);
      out.filter.by_origin = scope.by_origin;
      out.filter.agency_id = scope.agency_id;
    }
  }
  out.filter.region = allowed;
  if (asked != 0) {
    if (report::InPackedRegion(asked, allowed)) {
      out.filter.region = asked;
    } else if (!report::InPackedRegion(allowed, asked)) {
      return absl::NotFoundError("that region is outside your area");
    }
  }
  return out;
}

absl::StatusOr<StatsService::FactsBasis> StatsService::Basis() {
  FactsBasis basis;
  GUGUS_ASSIGN_OR_RETURN(basis.state, store_.links().State());
  GUGUS_ASSIGN_OR_RETURN(std::vector<Agency> agencies, store_.agencies().List());
  for (const Agency& a : agencies)
    basis.agencies.push_back(
        StrCat(a.code, "|", a.name, "|", a.type, "|", a.region_code));
  return basis;
}

absl::StatusOr<std::shared_ptr<const report::FactSet>> StatsService::FactsIfCurrent() {
  GUGUS_ASSIGN_OR_RETURN(FactsBasis basis, Basis());
  std::lock_guard<std::mutex> lock(mu_);
  if (facts_ && facts_basis_ == basis) return facts_;
  return nullptr;
}

absl::StatusOr<std::shared_ptr<const report::FactSet>> StatsService::Facts() {
  GUGUS_ASSIGN_OR_RETURN(FactsBasis basis, Basis());
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (facts_ && facts_basis_ == basis) return facts_;
    if (!loading_) break;
    loaded_.wait(lock);
  }
  // Loaded without the lock, so that callers asking only whether the facts are
  // current (FactsIfCurrent) are not held meanwhile.
  loading_ = true;
  lock.unlock();
  absl::StatusOr<report::FactSet> set = store_.stats().LoadFacts();
  lock.lock();
  loading_ = false;
  loaded_.notify_all();
  if (!set.ok()) return set.status();
  facts_ = std::make_shared<const report::FactSet>(*std::move(set));
  facts_basis_ = std::move(basis);
  return facts_;
}

absl::StatusOr<StatsResult> StatsService::Run(const StatsQuery& query,
                                              const Principal* principal) {
  GUGUS_ASSIGN_OR_RETURN(Scoped scoped, Resolve(query, principal));
  GUGUS_ASSIGN_OR_RETURN(auto facts, Facts());
  return Count(*facts, query.dims, scoped);
}

absl::StatusOr<StatsResult> StatsService::Count(const report::FactSet& facts,
                                                std::span<const Dim> dims,
                                                const Scoped& scoped) {
  StatsResult result;
  GUGUS_ASSIGN_OR_RETURN(result.table, report::Tabulate(facts, dims, scoped.filter));
  GUGUS_ASSIGN_OR_RETURN(result.suppression, report::Suppress(result.table, scoped.k));
  for (size_t d = 0; d < dims.size(); ++d) {
    std::vector<std::string> labels;
    for (const std::string& code : result.table.values[d]) {
      GUGUS_ASSIGN_OR_RETURN(std::string label, Label(dims[d], code, facts));
      labels.push_back(std::move(label));
    }
    result.labels.push_back(std::move(labels));
  }
  return result;
}

absl::StatusOr<StatsOverview> StatsService::Overview(
    const StatsQuery& query, std::span<const std::vector<Dim>> tables,
    const Principal& principal) {
  GUGUS_ASSIGN_OR_RETURN(Scoped scoped, Resolve(query, &principal));
  const report::FactFilter& f = scoped.filter;
  std::string key = StrCat(f.from, ",", f.to, ",", f.region, ",", f.by_origin ? 1 : 0,
                           ",", f.agency_id, ",", scoped.k);
  for (const std::vector<Dim>& dims : tables) {
    key += ';';
    for (Dim d : dims) key += StrCat(static_cast<int>(d), ",");
  }
  GUGUS_ASSIGN_OR_RETURN(auto current, FactsIfCurrent());
  std::unique_lock<std::mutex> lock(overview_mu_);
  auto kept = overviews_.find(key);
  if (current && kept != overviews_.end() && kept->second.facts == current)
    return kept->second.answer;
  const bool first = !counting_.contains(key);
  if (first) {
    counting_.insert(key);
    failures_.erase(key);
    jobs_.push_back(OverviewJob{key, scoped, {tables.begin(), tables.end()}});
    if (!counter_.joinable()) counter_ = std::thread([this] { CountOverviews(); });
    queued_.notify_one();
  }
  std::optional<StatsOverview> previous;
  if (kept != overviews_.end()) previous = kept->second.answer;
  auto counted = [&] { return !counting_.contains(key); };
  if (!previous) {
    counted_.wait(lock, counted);
  } else if (first && recount_wait_.count() > 0) {
    // Only the caller that asked for the recount waits for it: under load the
    // others would fill the server's threads waiting.
    counted_.wait_for(lock, recount_wait_, counted);
  }
  if (counted()) {
    if (auto failed = failures_.find(key); failed != failures_.end())
      return failed->second;
    if (auto done = overviews_.find(key); done != overviews_.end())
      return done->second.answer;
  }
  if (!previous)  // counted, then forgotten among more than kMaxKeptOverviews others
    return absl::UnavailableError("the statistics are being recounted; try again");
  previous->recounting = true;
  return *std::move(previous);
}

absl::StatusOr<DisagreementPage> StatsService::Disagreements(const StatsQuery& query,
                                                             int limit, int offset,
                                                             const Principal* principal) {
  if (limit < 1 || limit > 100)
    return absl::InvalidArgumentError("limit must be a whole number from 1 to 100");
  if (offset < 0 || offset > 1000000)
    return absl::InvalidArgumentError("offset must be a whole number from 0 to 1000000");
  DisagreementPage page;
  if (principal != nullptr && ScopeOf(*principal).nothing) return page;
  GUGUS_ASSIGN_OR_RETURN(Scoped scoped, Resolve(query, principal));
  GUGUS_ASSIGN_OR_RETURN(auto facts, Facts());
  const report::FactFilter& f = scoped.filter;
  const std::string key = StrCat(f.from, ",", f.to, ",", f.region, ",",
                                 f.by_origin ? 1 : 0, ",", f.agency_id);
  std::shared_ptr<const std::vector<report::Disagreement>> list;
  {
    std::lock_guard<std::mutex> lock(disagreements_mu_);
    auto it = disagreements_.find(key);
    if (it != disagreements_.end() && it->second.first == facts) list = it->second.second;
  }
  if (!list) {
    list = std::make_shared<const std::vector<report::Disagreement>>(
        report::FindDisagreements(*facts, f));
    std::lock_guard<std::mutex> lock(disagreements_mu_);
    if (disagreements_.size() >= 100) disagreements_.clear();
    disagreements_[key] = {facts, list};
  }
  page.total = static_cast<int64_t>(list->size());
  for (size_t i = static_cast<size_t>(offset);
       i < list->size() && page.persons.size() < static_cast<size_t>(limit); ++i)
    page.persons.push_back((*list)[i]);
  return page;
}

absl::Status StatsService::Warm() { return Facts().status(); }

void StatsService::WaitForRecounts() {
  std::unique_lock<std::mutex> lock(overview_mu_);
  counted_.wait(lock, [&] { return counting_.empty(); });
}

void StatsService::set_recount_wait(std::chrono::milliseconds wait) {
  std::lock_guard<std::mutex> lock(overview_mu_);
  recount_wait_ = wait;
}

absl::StatusOr<StatsService::KeptOverview> StatsService::CountOverview(
    const OverviewJob& job) {
  KeptOverview out;
  GUGUS_ASSIGN_OR_RETURN(out.facts, Facts());
  out.answer.reconciliation =
      report::Reconcile(*out.facts, job.scoped.filter, job.scoped.k);
  for (const std::vector<Dim>& dims : job.tables) {
    GUGUS_ASSIGN_OR_RETURN(StatsResult table, Count(*out.facts, dims, job.scoped));
    out.answer.tables.push_back(std::move(table));
  }
  return out;
}

void StatsService::CountOverviews() {
  std::unique_lock<std::mutex> lock(overview_mu_);
  while (true) {
    queued_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
    if (stopping_) {  // callers still waiting are told, not left hanging
      for (const OverviewJob& job : jobs_) {
        counting_.erase(job.key);
        failures_[job.key] = absl::UnavailableError("the server is stopping");
      }
      jobs_.clear();
      counted_.notify_all();
      return;
    }
    OverviewJob job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    absl::StatusOr<KeptOverview> done = CountOverview(job);
    lock.lock();
    counting_.erase(job.key);
    if (done.ok()) {
      if (overviews_.size() >= kMaxKeptOverviews && !overviews_.contains(job.key))
        overviews_.clear();
      overviews_[job.key] = *std::move(done);
    } else {
      failures_[job.key] = done.status();
    }
    counted_.notify_all();
  }
}

StatsService::~StatsService() {
  {
    std::lock_guard<std::mutex> lock(overview_mu_);
    stopping_ = true;
  }
  queued_.notify_all();
  if (counter_.joinable()) counter_.join();
}

absl::StatusOr<report::Reconciliation> StatsService::RunReconcile(
    const StatsQuery& query, const Principal* principal) {
  GUGUS_ASSIGN_OR_RETURN(Scoped scoped, Resolve(query, principal));
  GUGUS_ASSIGN_OR_RETURN(auto facts, Facts());
  return report::Reconcile(*facts, scoped.filter, scoped.k);
}

absl::Status StatsService::LoadNames() {
  std::lock_guard<std::mutex> lock(mu_);
  if (names_loaded_) return absl::OkStatus();
  GUGUS_ASSIGN_OR_RETURN(auto regions,
                         store_.reference().LoadRegions(RegionLevel::kDistrict));
  for (Region& r : regions)
    region_names_.emplace_back(std::move(r.code), std::move(r.name));
  std::sort(region_names_.begin(), region_names_.end());
  GUGUS_ASSIGN_OR_RETURN(auto countries, store_.reference().LoadCountries());
  for (Country& c : countries) country_names_.emplace_back(c.alpha2, c.name_id);
  std::sort(country_names_.begin(), country_names_.end());
  names_loaded_ = true;
  return absl::OkStatus();
}

absl::StatusOr<std::string> StatsService::Label(Dim dim, const std::string& code,
                                                const report::FactSet& facts) {
  if (code == report::kUnknown) return std::string("Tidak diketahui");
  switch (dim) {
    case Dim::kOriginProvince:
    case Dim::kOriginRegency:
    case Dim::kAgencyProvince:
    case Dim::kAgencyRegency:
    case Dim::kDestination: {
      GUGUS_RETURN_IF_ERROR(LoadNames());
      if (dim == Dim::kDestination) {
        if (code == "ID") return std::string("Dalam negeri (Indonesia)");
        return Find(country_names_, code);
      }
      return Find(region_names_, code);
    }
    case Dim::kAgency:
      for (const report::AgencyInfo& a : facts.agencies)
        if (a.code == code) return a.name;
      return code;
    case Dim::kAgencyType:
      return std::string(AgencyTypeLabel(code));
    case Dim::kSex:
      return std::string(code == "L" ? "Laki-laki" : "Perempuan");
    case Dim::kChild:
      return std::string(code == "child" ? "Anak" : "Dewasa");
    case Dim::kAgeGroup:
      return StrCat(code, " tahun");
    case Dim::kExploitation:
      return TermLabel(Vocabulary::kExploitation, code);
    case Dim::kRecruitment:
      return TermLabel(Vocabulary::kRecruitment, code);
    case Dim::kReportYear:
    case Dim::kReportMonth:
    case Dim::kIncidentYear:
      return code;
  }
  return code;
}

}  // namespace gugus::domain
