#include "domain/registry/link_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "core/date.h"
#include "core/status.h"
#include "core/strcat.h"
#include "domain/registry/reference_service.h"
#include "ingest/interchange.h"

namespace gugus::domain {
namespace {

// Kept identical to bench/linkage/generated.settings.json (tests/link_test.cc).
constexpr std::string_view kDefaultSettings = R"json({
  "link_type": "dedupe",
  "id_column": ["agency", "record_id"],
  "comparisons": [
    {"column": "agency", "levels": ["exact"]},
    {"column": "name", "kind": "name", "thresholds": [0.95, 0.88, 0.8, 0.65], "term_frequency": true},
    {"column": "birth_date", "kind": "date", "age_column": "age", "age_date_column": "report_date", "term_frequency": true},
    {"column": "nik", "kind": "nik"},
    {"column": "sex", "levels": ["exact"]},
    {"column": "phone", "kind": "phone"},
    {"column": "origin_region", "kind": "region", "term_frequency": true},
    {"column": "birth_place", "levels": ["exact", "jw>=0.9"]},
    {"column": "destination", "levels": ["exact"], "term_frequency": true, "only_with": {"comparison": "name", "level": "similarity>=0.8"}},
    {"column": "exploitation", "levels": ["exact"], "term_frequency": true, "only_with": {"comparison": "name", "level": "similarity>=0.8"}},
    {"column": "recruitment", "levels": ["exact"], "term_frequency": true, "only_with": {"comparison": "name", "level": "similarity>=0.8"}},
    {"column": "incident_date", "kind": "date", "only_with": {"comparison": "name", "level": "similarity>=0.8"}},
    {"column": "report_date", "kind": "days", "within": [31, 91, 183, 366], "only_with": {"comparison": "name", "level": "similarity>=0.8"}},
    {"column": "suspects", "levels": ["exact", "jw>=0.9"], "term_frequency": true, "only_with": {"comparison": "name", "level": "similarity>=0.8"}},
    {"column": "address", "kind": "address", "term_frequency": true},
    {"column": "case_ref", "levels": ["exact"], "only_with": [{"comparison": "agency", "level": "exact"}, {"comparison": "name", "level": "similarity>=0.8"}]}
  ],
  "blocking_rules": [
    "nik",
    "phone",
    "phonetic(name) & year(birth_date) & sex",
    "phonetic(name) & prefix(origin_region, 5) & destination",
    "incident_date & phonetic(name)",
    {"rule": "sorted_name(name) & destination", "max_block_size": 300},
    "address(address) & sex",
    "phonetic(name) & prefix(origin_region, 5) & window(report_date, 244)",
    {"rule": "phonetic(name) & destination & window(report_date, 244)", "max_block_size": 25},
    {"rule": "sorted_name(name)", "max_block_size": 50},
    {"rule": "phonetic(name)", "max_block_size": 50}
  ],
  "nik_fill": {"nik": "nik", "birth_date": "birth_date", "sex": "sex", "region": "origin_region"},
  "address_fill": {"address": "address", "region": "origin_region"},
  "link_threshold": 0.5,
  "review_threshold": 0.1,
  "cluster_guard": 0.5,
  "max_training_pairs": 2000000
}
)json";

// The columns linkage can read from a stored record: its agency, the agency's type,
// and every interchange field.
std::vector<std::string> StoredColumns() {
  std::vector<std::string> names = {"agency", "agency_type"};
  for (int f = 0; f < ingest::kFieldCount; ++f)
    names.emplace_back(ingest::Fields()[f].key);
  return names;
}

// A stored record's value of one of StoredColumns(): "" for the agency type, which
// StoredRecord does not carry (the link settings do not read it).
std::string StoredValue(const StoredRecord& record, std::string_view column) {
  if (column == "agency") return record.agency_code;
  for (int f = 0; f < ingest::kFieldCount; ++f)
    if (ingest::Fields()[f].key == column)
      return record.parsed.value[static_cast<size_t>(f)];
  return "";
}

// The regions an address fill resolves against (regencies and cities), or none when
// the settings fill nothing from addresses.
absl::StatusOr<std::optional<RegionIndex>> FillRegions(Store& store,
                                                       const linkage::Settings& s,
                                                       const RegionIndex* loaded) {
  if (s.address_fill_column.empty() || loaded) return std::nullopt;
  GUGUS_ASSIGN_OR_RETURN(RegionIndex regions,
                         LoadRegionIndex(store, RegionLevel::kRegency));
  return regions;
}

const RegionIndex* Pointer(const std::optional<RegionIndex>& regions,
                           const RegionIndex* loaded) {
  return regions ? &*regions : loaded;
}

// Puts the records (and their ids and versions) in the order of their stable keys,
// agency code then record_id, whatever order the store gave them in. The linker
// breaks ties between equal weights, and draws the pairs it fits the model on, by
// record index: with records in import order, the same files imported in another
// order gave other persons (issue 19). Source record ids and a backend's collation
// are no part of the key; `agency_of[i]` indexes `agency_codes`.
void InStableOrder(const std::vector<std::string>& agency_codes,
                   const std::vector<uint32_t>& agency_of,
                   const std::vector<std::string>& stable_ids, linkage::Records& records,
                   std::vector<int64_t>& record_ids, std::vector<int64_t>& versions) {
  const size_t n = records.size();
  std::vector<uint32_t> by_code(agency_codes.size()), rank(agency_codes.size());
  std::iota(by_code.begin(), by_code.end(), 0u);
  std::sort(by_code.begin(), by_code.end(),
            [&](uint32_t x, uint32_t y) { return agency_codes[x] < agency_codes[y]; });
  for (uint32_t r = 0; r < by_code.size(); ++r) rank[by_code[r]] = r;
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  // (agency, record_id) is unique in a store, so the order is total.
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    if (agency_of[x] != agency_of[y]) return rank[agency_of[x]] < rank[agency_of[y]];
    return stable_ids[x] < stable_ids[y];
  });
  auto permute = [&](auto& values) {
    std::remove_reference_t<decltype(values)> sorted;
    sorted.reserve(n);
    for (uint32_t i : order) sorted.push_back(std::move(values[i]));
    values.swap(sorted);
  };
  for (std::vector<std::string>& column : records.columns) permute(column);
  permute(records.ids);
  permute(records.source);
  permute(record_ids);
  permute(versions);
}

// The model of the latest run, as JSON.
absl::StatusOr<std::string> StoredModel(Store& store) {
  GUGUS_ASSIGN_OR_RETURN(std::optional<LinkRun> run, store.links().LastRun());
  if (!run) return absl::FailedPreconditionError("no linkage run yet: run `gugus link`");
  return std::move(run->model);
}

}  // namespace

RecordExplainer::RecordExplainer(std::unique_ptr<linkage::Linker> linker)
    : linker_(std::move(linker)) {}
RecordExplainer::RecordExplainer(RecordExplainer&&) noexcept = default;
RecordExplainer& RecordExplainer::operator=(RecordExplainer&&) noexcept = default;
RecordExplainer::~RecordExplainer() = default;

size_t RecordExplainer::size() const { return linker_->records().size(); }

linkage::PairExplanation RecordExplainer::Explain(size_t a, size_t b) const {
  linkage::PairExplanation e =
      linker_->Explain(static_cast<uint32_t>(a), static_cast<uint32_t>(b));
  // The linker saw only these records: its value frequencies are not the store's.
  for (linkage::LevelExplanation& l : e.levels) {
    e.weight -= l.tf_adjustment;
    l.tf_adjustment = 0;
  }
  e.probability = linkage::Probability(e.weight);
  return e;
}

std::string_view DefaultLinkSettings() { return kDefaultSettings; }

std::string EncodeEvidence(const linkage::PairExplanation& e) {
  std::string out;
  for (size_t k = 0; k < e.levels.size(); ++k)
    out += fmt::format("{}{}", k ? "," : "", e.levels[k].level);
  out += ';';
  for (size_t k = 0; k < e.levels.size(); ++k)
    out += fmt::format("{}{:.4g}", k ? "," : "", e.levels[k].tf_adjustment);
  return out;
}

absl::Status DecodeEvidence(std::string_view text, std::vector<int>& levels,
                            std::vector<double>& tf) {
  levels.clear();
  tf.clear();
  std::vector<absl::string_view> halves = absl::StrSplit(AsAbsl(text), ';');
  if (halves.size() != 2) return absl::DataLossError("damaged review evidence");
  for (absl::string_view v : absl::StrSplit(halves[0], ',')) {
    int level = 0;
    if (!absl::SimpleAtoi(v, &level) || level < 0)
      return absl::DataLossError("damaged review evidence");
    levels.push_back(level);
  }
  for (absl::string_view v : absl::StrSplit(halves[1], ',')) {
    double x = 0;
    if (!absl::SimpleAtod(v, &x)) return absl::DataLossError("damaged review evidence");
    tf.push_back(x);
  }
  if (levels.size() != tf.size()) return absl::DataLossError("damaged review evidence");
  return absl::OkStatus();
}

std::vector<int64_t> AssignPersonIds(const std::vector<uint32_t>& cluster,
                                     const std::vector<int64_t>& old_person,
                                     int64_t next_id) {
  // Clusters in order of their first record.
  absl::flat_hash_map<uint32_t, size_t> index;
  std::vector<std::vector<size_t>> members;
  for (size_t i = 0; i < cluster.size(); ++i) {
    auto [it, fresh] = index.try_emplace(cluster[i], members.size());
    if (fresh) members.emplace_back();
    members[it->second].push_back(i);
  }
  struct Claim {
    size_t overlap;
    int64_t id;
    size_t cluster;
  };
  std::vector<Claim> claims;
  for (size_t c = 0; c < members.size(); ++c) {
    absl::flat_hash_map<int64_t, size_t> count;
    for (size_t i : members[c])
      if (old_person[i] != 0) ++count[old_person[i]];
    for (const auto& [id, n] : count) claims.push_back({n, id, c});
  }
  std::sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) {
    if (a.overlap != b.overlap) return a.overlap > b.overlap;
    if (a.id != b.id) return a.id < b.id;
    return a.cluster < b.cluster;
  });
  std::vector<int64_t> id_of(members.size(), 0);
  absl::flat_hash_set<int64_t> taken;
  for (const Claim& claim : claims) {
    if (id_of[claim.cluster] != 0 || taken.contains(claim.id)) continue;
    id_of[claim.cluster] = claim.id;
    taken.insert(claim.id);
  }
  for (int64_t& id : id_of)
    if (id == 0) id = next_id++;
  std::vector<int64_t> out(cluster.size());
  for (size_t c = 0; c < members.size(); ++c)
    for (size_t i : members[c]) out[i] = id_of[c];
  return out;
}

absl::StatusOr<LinkReport> LinkService::Link(const LinkRequest& request) {
  return Run(request, {});
}

absl::StatusOr<linkage::PairExplanation> LinkService::Explain(const ReviewItem& item) {
  std::vector<int> levels;
  std::vector<double> tf;
  GUGUS_RETURN_IF_ERROR(DecodeEvidence(item.evidence, levels, tf));
  GUGUS_ASSIGN_OR_RETURN(std::string model_json, StoredModel(store_));
  GUGUS_ASSIGN_OR_RETURN(linkage::Settings settings,
                         linkage::ParseSettings(DefaultLinkSettings(), StoredColumns()));
  nlohmann::json model = nlohmann::json::parse(model_json, nullptr, false);
  if (model.is_discarded() || !model.contains("comparisons") ||
      model["comparisons"].size() != levels.size() ||
      settings.comparisons.size() != levels.size())
    return absl::FailedPreconditionError(
        "the review item predates the current model: run `gugus link --full`");
  // The two records' current values, by column.
  auto values = [&](const std::string& agency, const std::string& record_id)
      -> absl::StatusOr<absl::flat_hash_map<std::string, std::string>> {
    RecordQuery q;
    q.agency_code = agency;
    q.record_id = record_id;
    q.limit = 1;
    GUGUS_ASSIGN_OR_RETURN(std::vector<StoredRecord> found,
                           store_.records().FindRecords(q));
    if (found.empty()) return absl::NotFoundError("a record of the review item is gone");
    absl::flat_hash_map<std::string, std::string> out;
    for (const std::string& column : StoredColumns())
      out[column] = StoredValue(found[0], column);
    return out;
  };
  GUGUS_ASSIGN_OR_RETURN(auto left, values(item.agency_a, item.record_id_a));
  GUGUS_ASSIGN_OR_RETURN(auto right, values(item.agency_b, item.record_id_b));
  // Show what was compared: a birth date, sex or region read from the NIK or the
  // address when the record did not state one.
  {
    GUGUS_ASSIGN_OR_RETURN(std::optional<RegionIndex> regions,
                           FillRegions(store_, settings, fill_regions_));
    linkage::Records two;
    two.names = linkage::UsedColumns(settings);
    for (const std::string& name : two.names)
      two.columns.push_back({left[name], right[name]});
    two.ids = {"a", "b"};
    two.source = {0, 0};
    two =
        linkage::Linker::Fill(settings, std::move(two), Pointer(regions, fill_regions_));
    for (size_t c = 0; c < two.names.size(); ++c) {
      left[two.names[c]] = two.columns[c][0];
      right[two.names[c]] = two.columns[c][1];
    }
  }
  linkage::PairExplanation e;
  e.id_l = StrCat(item.agency_a, "/", item.record_id_a);
  e.id_r = StrCat(item.agency_b, "/", item.record_id_b);
  try {
    double lambda = model.at("lambda").get<double>();
    e.prior_weight = std::log2(lambda / (1 - lambda));
    e.weight = e.prior_weight;
    for (size_t k = 0; k < levels.size(); ++k) {
      const auto& c = model["comparisons"][k];
      size_t level = static_cast<size_t>(levels[k]);
      if (level >= c.at("levels").size())
        return absl::DataLossError("damaged review evidence");
      linkage::LevelExplanation l;
      l.comparison = c.at("name").get<std::string>();
      l.value_l = left[settings.comparisons[k].column];
      l.value_r = right[settings.comparisons[k].column];
      l.level = levels[k];
      l.level_label = c["levels"][level].get<std::string>();
      if (level == 0 && !l.value_l.empty() && !l.value_r.empty()) {
        std::vector<linkage::Comparison::Gate> gates = linkage::ResolveGates(settings, k);
        if (const auto* closed = linkage::Comparison::FirstClosed(gates, levels.data()))
          l.level_label = linkage::NotCountedLabel(settings, *closed);
      }
      l.m = c.at("m")[level].get<double>();
      l.u = c.at("u")[level].get<double>();
      l.weight = level == 0 ? 0 : std::log2(l.m / l.u);
      l.tf_adjustment = tf[k];
      e.weight += l.weight + l.tf_adjustment;
      e.levels.push_back(std::move(l));
    }
  } catch (const nlohmann::json::exception&) {
    return absl::DataLossError("the stored linkage model is damaged");
  }
  e.probability = linkage::Probability(e.weight);
  return e;
}

absl::StatusOr<linkage::PairExplanation> LinkService::ExplainRecords(
    int64_t record_a, int64_t record_b, const RecordScope& scope) {
  RecordQuery q;
  q.source_record_ids = {record_a, record_b};
  q.with_raw = false;
  q.scope = scope;
  GUGUS_ASSIGN_OR_RETURN(std::vector<StoredRecord> found,
                         store_.records().FindRecords(q));
  auto find = [&](int64_t id) {
    return std::find_if(found.begin(), found.end(),
                        [&](const StoredRecord& r) { return r.source_record_id == id; });
  };
  auto a = find(record_a), b = find(record_b);
  if (a == found.end() || b == found.end())
    return absl::NotFoundError("no such source record");
  std::vector<StoredRecord> two = {*a, *b};
  GUGUS_ASSIGN_OR_RETURN(RecordExplainer explainer, Explainer(two));
  return explainer.Explain(0, 1);
}

absl::StatusOr<RecordExplainer> LinkService::Explainer(
    const std::vector<StoredRecord>& records) {
  GUGUS_ASSIGN_OR_RETURN(std::string model, StoredModel(store_));
  GUGUS_ASSIGN_OR_RETURN(linkage::Settings settings,
                         linkage::ParseSettings(DefaultLinkSettings(), StoredColumns()));
  linkage::Records columns;
  columns.names = linkage::UsedColumns(settings);
  for (const std::string& name : columns.names) {
    std::vector<std::string>& column = columns.columns.emplace_back();
    for (const StoredRecord& r : records) column.push_back(StoredValue(r, name));
  }
  for (const StoredRecord& r : records) {
    columns.ids.push_back(StrCat(r.agency_code, "/", r.parsed[ingest::Field::kRecordId]));
    columns.source.push_back(0);
  }
  GUGUS_ASSIGN_OR_RETURN(std::optional<RegionIndex> regions,
                         FillRegions(store_, settings, fill_regions_));
  auto linker =
      std::make_unique<linkage::Linker>(std::move(settings), std::move(columns),
                                        /*threads=*/1, Pointer(regions, fill_regions_));
  absl::StatusOr<linkage::Parameters> parameters =
      linkage::ParseParameters(model, linker->comparisons());
  if (!parameters.ok())
    return absl::FailedPreconditionError(
        "the stored model predates the current link settings: run `gugus link --full`");
  linker->SetParameters(*std::move(parameters));
  return RecordExplainer(std::move(linker));
}

absl::StatusOr<LinkReport> LinkService::Decide(int64_t item, Decision decision,
                                               const std::string& by,
                                               const std::string& note,
                                               const LinkRequest& request) {
  if (by.empty())
    return absl::InvalidArgumentError("a decision needs the reviewer's name");
  GUGUS_ASSIGN_OR_RETURN(ReviewItem review, store_.links().FindReviewItem(item));
  LinkDecision d;
  d.record_a = review.record_a;
  d.record_b = review.record_b;
  d.decision = decision;
  d.decided_by = by;
  d.note = note;
  GUGUS_RETURN_IF_ERROR(store_.links().AddDecision(d));
  // "Same": both persons stay as they are and the must-link joins them whole.
  // "Different": a person holding both records is linked again without them
  // together; two persons already apart stay as they are.
  std::vector<int64_t> relink;
  if (decision == Decision::kDifferent && review.person_a != 0 &&
      review.person_a == review.person_b)
    relink.push_back(review.person_a);
  LinkRequest incremental = request;
  incremental.full = false;
  return Run(incremental, relink, /*after_decision=*/true);
}

absl::StatusOr<LinkReport> LinkService::Run(const LinkRequest& request,
                                            const std::vector<int64_t>& relink_persons,
                                            bool after_decision) {
  auto start = std::chrono::steady_clock::now();
  std::string started_at = NowUtc();
  LinkRepository& repo = store_.links();
  const std::vector<std::string> names = StoredColumns();
  GUGUS_ASSIGN_OR_RETURN(linkage::Settings settings,
                         linkage::ParseSettings(DefaultLinkSettings(), names));

  // Only the columns the settings read are loaded: a million records' addresses and
  // notes would cost gigabytes for nothing.
  linkage::Records records;
  records.names = linkage::UsedColumns(settings);
  records.columns.resize(records.names.size());
  std::vector<int> from;  // -2 agency, -1 agency type, else a field
  for (const std::string& name : records.names) {
    int f = static_cast<int>(std::find(names.begin(), names.end(), name) - names.begin());
    from.push_back(f - 2);
  }
  std::vector<int64_t> record_ids, versions;
  // Each record's stable key, (agency code, record_id): the agency as an index into
  // `agency_codes` until they are ranked.
  std::vector<std::string> agency_codes, stable_ids;
  std::vector<uint32_t> agency_of;
  absl::flat_hash_map<std::string, uint32_t> agency_index;
  if (request.progress) request.progress("reading records", 0, 0);
  GUGUS_RETURN_IF_ERROR(repo.ForEachLinkRecord([&](LinkRecord&& r) -> absl::Status {
    auto [agency, fresh] = agency_index.try_emplace(
        r.agency_code, static_cast<uint32_t>(agency_codes.size()));
    if (fresh) agency_codes.push_back(r.agency_code);
    agency_of.push_back(agency->second);
    stable_ids.push_back(r.parsed[ingest::Field::kRecordId]);
    for (size_t c = 0; c < from.size(); ++c) {
      std::string& value = from[c] == -2   ? r.agency_code
                           : from[c] == -1 ? r.agency_type
                                           : r.parsed.value[static_cast<size_t>(from[c])];
      records.columns[c].push_back(std::move(value));
    }
    record_ids.push_back(r.source_record_id);
    versions.push_back(r.version);
    records.ids.push_back(std::to_string(r.source_record_id));
    records.source.push_back(0);
    return absl::OkStatus();
  }));
  const size_t n = records.size();
  if (n == 0)
    return absl::FailedPreconditionError(
        "there are no source records to link yet: import a file first");
  InStableOrder(agency_codes, agency_of, stable_ids, records, record_ids, versions);

  absl::flat_hash_map<int64_t, uint32_t> index;  // source record id → record
  index.reserve(n);
  for (uint32_t i = 0; i < n; ++i) index[record_ids[i]] = i;
  GUGUS_ASSIGN_OR_RETURN(std::vector<PersonLink> links, repo.Links());
  std::vector<int64_t> old_person(n, 0), old_version(n, 0);
  for (const PersonLink& l : links)
    if (auto it = index.find(l.source_record_id); it != index.end()) {
      old_person[it->second] = l.person_id;
      old_version[it->second] = l.version;
    }
  absl::flat_hash_set<int64_t> relink(relink_persons.begin(), relink_persons.end());
  std::vector<uint8_t> focus(n, 0);
  int64_t new_records = 0;
  for (size_t i = 0; i < n; ++i) {
    // New records, records corrected since they were linked, and the records of
    // persons a decision reopened are looked at again.
    focus[i] = old_person[i] == 0 || old_version[i] != versions[i] ||
               relink.contains(old_person[i]);
    new_records += focus[i];
  }

  LinkReport report;
  report.records = static_cast<int64_t>(n);
  GUGUS_ASSIGN_OR_RETURN(std::optional<LinkRun> last, repo.LastRun());
  bool full = request.full || !last || new_records == static_cast<int64_t>(n);
  if (!full && new_records == 0 && !after_decision) {
    report.kind = "none";
    absl::flat_hash_set<int64_t> persons(old_person.begin(), old_person.end());
    report.persons = static_cast<int64_t>(persons.size());
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
  }

  const double review_threshold = settings.review_threshold;
  const double link_threshold = settings.link_threshold;
  const int64_t max_review_items = settings.max_review_items;
  if (request.progress) request.progress("preparing records", 0, 0);
  GUGUS_ASSIGN_OR_RETURN(std::optional<RegionIndex> regions,
                         FillRegions(store_, settings, fill_regions_));
  linkage::Linker linker(std::move(settings), std::move(records), request.threads,
                         Pointer(regions, fill_regions_));
  if (!full) {
    absl::StatusOr<linkage::Parameters> p =
        linkage::ParseParameters(last->model, linker.comparisons());
    if (p.ok()) {
      linker.SetParameters(*std::move(p));
    } else {
      full = true;  // the settings changed since: fit anew
    }
  }
  if (full) {
    linker.Train(request.progress);
    new_records = static_cast<int64_t>(n);
  }
  report.kind = full ? "full" : "incremental";
  report.new_records = new_records;
  report.em_iterations = linker.parameters().em_iterations;

  linkage::Blocker::Stats stats;
  std::vector<linkage::ScoredPair> pairs =
      linker.Score(review_threshold, &stats, request.progress, full ? nullptr : &focus);
  report.candidate_pairs = static_cast<int64_t>(stats.pairs);

  // Reviewers' decisions bind; an incremental run also keeps existing persons whole.
  GUGUS_ASSIGN_OR_RETURN(std::vector<LinkDecision> decisions, repo.Decisions());
  linkage::ClusterConstraints constraints;
  absl::flat_hash_set<std::pair<int64_t, int64_t>> decided;
  for (const LinkDecision& d : decisions) {
    decided.insert({d.record_a, d.record_b});
    auto a = index.find(d.record_a), b = index.find(d.record_b);
    if (a == index.end() || b == index.end()) continue;
    (d.decision == Decision::kSame ? constraints.must_link : constraints.cannot_link)
        .emplace_back(a->second, b->second);
  }
  if (!full) {
    absl::flat_hash_map<int64_t, uint32_t> first;
    for (uint32_t i = 0; i < n; ++i) {
      if (focus[i]) continue;
      auto [it, fresh] = first.try_emplace(old_person[i], i);
      if (!fresh) constraints.keep_together.emplace_back(it->second, i);
    }
  }
  if (request.progress) request.progress("clustering", 0, 0);
  std::vector<uint32_t> cluster = linker.Cluster(pairs, constraints);
  GUGUS_ASSIGN_OR_RETURN(int64_t next_id, repo.NextPersonId());
  std::vector<int64_t> person = AssignPersonIds(cluster, old_person, next_id);

  LinkRunWrite write;
  absl::flat_hash_set<int64_t> now_held, created;
  for (size_t i = 0; i < n; ++i) {
    now_held.insert(person[i]);
    if (person[i] >= next_id) created.insert(person[i]);
    if (person[i] == old_person[i] && versions[i] == old_version[i]) continue;
    write.links.push_back({record_ids[i], person[i], versions[i]});
    if (person[i] == old_person[i]) continue;
    if (old_person[i] != 0) ++report.records_moved;
  }
  write.new_persons.assign(created.begin(), created.end());
  std::sort(write.new_persons.begin(), write.new_persons.end());
  absl::flat_hash_set<int64_t> retired;
  for (int64_t p : old_person)
    if (p != 0 && !now_held.contains(p)) retired.insert(p);
  write.retired_persons.assign(retired.begin(), retired.end());
  std::sort(write.retired_persons.begin(), write.retired_persons.end());

  const double link_weight = std::log2(link_threshold / (1 - link_threshold));
  // Review items and decisions name a pair by its source record ids, the smaller
  // first; the linker's indexes follow the stable keys, not those ids.
  auto by_source_id = [&](const linkage::ScoredPair& p) {
    return record_ids[p.a] < record_ids[p.b] ? std::pair(p.a, p.b) : std::pair(p.b, p.a);
  };
  std::vector<const linkage::ScoredPair*> uncertain;
  for (const linkage::ScoredPair& p : pairs) {
    if (p.weight >= link_weight) {
      ++report.links;
    } else if (auto [a, b] = by_source_id(p);
               !decided.contains({record_ids[a], record_ids[b]})) {
      uncertain.push_back(&p);
    }
  }
  report.review_pairs = static_cast<int64_t>(uncertain.size());
  // The most uncertain first: weight nearest 0 is probability nearest 0.5.
  size_t keep = std::min(uncertain.size(), static_cast<size_t>(max_review_items));
  std::partial_sort(uncertain.begin(), uncertain.begin() + static_cast<ptrdiff_t>(keep),
                    uncertain.end(),
                    [](const linkage::ScoredPair* x, const linkage::ScoredPair* y) {
                      if (std::abs(x->weight) != std::abs(y->weight))
                        return std::abs(x->weight) < std::abs(y->weight);
                      return std::tie(x->a, x->b) < std::tie(y->a, y->b);
                    });
  for (size_t i = 0; i < keep; ++i) {
    const linkage::ScoredPair& p = *uncertain[i];
    auto [a, b] = by_source_id(p);
    ReviewItem item;
    item.record_a = record_ids[a];
    item.record_b = record_ids[b];
    item.probability = linkage::Probability(p.weight);
    item.evidence = EncodeEvidence(linker.Explain(a, b));
    write.review.push_back(std::move(item));
  }
  write.replace_review = full;
  if (!full)
    for (size_t i = 0; i < n; ++i)
      if (focus[i]) write.review_records.push_back(record_ids[i]);

  report.persons = static_cast<int64_t>(now_held.size());
  report.persons_created = static_cast<int64_t>(write.new_persons.size());
  report.persons_retired = static_cast<int64_t>(write.retired_persons.size());
  report.review_items = static_cast<int64_t>(write.review.size());
  LinkRun& run = write.run;
  run.kind = report.kind;
  run.started_at = started_at;
  run.records = report.records;
  run.new_records = report.new_records;
  run.candidate_pairs = report.candidate_pairs;
  run.links = report.links;
  run.persons = report.persons;
  run.review_items = report.review_items;
  run.model = linkage::ParametersJson(linker.parameters(), linker.comparisons());
  if (request.progress) request.progress("saving", 0, 0);
  GUGUS_RETURN_IF_ERROR(repo.SaveRun(write));
  report.run_id = write.run.id;
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace gugus::domain
