#include "linkage/linker.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/date.h"
#include "core/nik.h"
#include "core/values.h"
#include "linkage/address.h"

namespace gugus::linkage {
namespace {

int ResolveThreads(int requested, int from_settings) {
  int t = requested > 0 ? requested : from_settings;
  if (t <= 0) t = static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(t, 1, 256);
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void FillFromNik(const Settings& s, Records& records) {
  const std::vector<std::string>* nik = records.Column(s.nik_fill_column);
  if (nik == nullptr) return;
  // The columns to fill; nullptr for those not named.
  std::vector<std::string>* birth = records.Column(s.nik_fill_birth_date);
  std::vector<std::string>* sex = records.Column(s.nik_fill_sex);
  std::vector<std::string>* region = records.Column(s.nik_fill_region);
  Date today = TodayInJakarta();
  for (size_t r = 0; r < records.size(); ++r) {
    if ((*nik)[r].empty()) continue;
    absl::StatusOr<NikInfo> info = ParseNik((*nik)[r], today);
    if (!info.ok()) continue;
    if (birth && (*birth)[r].empty()) (*birth)[r] = FormatIsoDate(info->birth_date);
    if (sex && (*sex)[r].empty()) (*sex)[r] = std::string(SexCode(info->sex));
    if (region && (*region)[r].empty()) (*region)[r] = info->district_code;
  }
}

void FillFromAddress(const Settings& s, Records& records, const RegionIndex& regions) {
  const std::vector<std::string>* address = records.Column(s.address_fill_column);
  std::vector<std::string>* region = records.Column(s.address_fill_region);
  if (address == nullptr || region == nullptr) return;
  for (size_t r = 0; r < records.size(); ++r) {
    std::string& value = (*region)[r];
    if ((*address)[r].empty()) continue;
    // Empty, or only a province: the address may say which regency.
    const Region* stated = value.empty() ? nullptr : regions.Find(value);
    if (!value.empty() && (!stated || stated->level != RegionLevel::kProvince)) continue;
    std::string regency = RegencyOfAddress((*address)[r], regions);
    if (!regency.empty() && (!stated || RegionIndex::Contains(stated->code, regency)))
      value = std::move(regency);
  }
}

// Builds the blocker and, on another thread meanwhile, the comparisons (both only
// read the records): one after the other they left a core idle for a tenth of a
// full run at a million records. One thread: one after the other.
Blocker BuildBeside(const Settings& settings, const Records& records, int threads,
                    Comparisons& comparisons) {
  if (threads <= 1) {
    comparisons = BuildComparisons(settings, records, threads);
    return Blocker(settings, records, threads);
  }
  auto pending = std::async(std::launch::async,
                            [&] { return BuildComparisons(settings, records, threads); });
  Blocker blocker(settings, records, threads);  // if it throws, `pending` is waited for
  comparisons = pending.get();
  return blocker;
}

}  // namespace

Records Linker::Fill(const Settings& s, Records records, const RegionIndex* regions) {
  FillFromNik(s, records);
  if (regions != nullptr) FillFromAddress(s, records, *regions);
  return records;
}

Linker::Linker(Settings settings, Records records, int threads,
               const RegionIndex* regions)
    : settings_(std::move(settings)),
      records_(Fill(settings_, std::move(records), regions)),
      threads_(ResolveThreads(threads, settings_.threads)),
      blocker_(BuildBeside(settings_, records_, threads_, comparisons_)) {
  parameters_.m = DefaultM(comparisons_);
  parameters_.u = parameters_.m;
  parameters_.Finish(comparisons_);
}

TrainStats Linker::Train(const ProgressFn& progress) {
  TrainStats stats;
  auto start = std::chrono::steady_clock::now();
  if (progress) progress("estimating u on random pairs", 0, 0);
  Parameters p;
  p.u = EstimateU(comparisons_, records_, settings_.link_type == LinkType::kLink,
                  settings_.u_sample_pairs, threads_);
  p.m = DefaultM(comparisons_);
  stats.seconds_u = Seconds(start);

  start = std::chrono::steady_clock::now();
  if (progress) progress("counting comparison patterns", 0, 0);
  // Which comparisons each rule masks: those reading a column the rule blocks on.
  // Every candidate pair agrees on those by construction, so they say nothing about
  // how often matches agree (m) among the pairs that rule proposes.
  const size_t rule_count = settings_.blocking_rules.size();
  std::vector<std::vector<bool>> masked(rule_count,
                                        std::vector<bool>(comparisons_.size(), false));
  for (size_t r = 0; r < rule_count; ++r)
    for (const BlockingTerm& term : settings_.blocking_rules[r].terms)
      for (size_t k = 0; k < comparisons_.size(); ++k) {
        const ComparisonSettings& c = settings_.comparisons[k];
        if (c.column == term.column || c.age_column == term.column) masked[r][k] = true;
      }

  PatternCodec codec(comparisons_);
  // An even, repeatable sample of the candidate pairs when there are many: a pair is
  // kept when its hash falls below the sampling rate.
  const uint64_t bound = blocker_.PairBound();
  const double rate =
      bound > static_cast<uint64_t>(settings_.max_training_pairs)
          ? static_cast<double>(settings_.max_training_pairs) / static_cast<double>(bound)
          : 1.0;
  const uint64_t keep_below =
      rate >= 1.0 ? UINT64_MAX : static_cast<uint64_t>(rate * 18446744073709551615.0);
  struct Counts {
    PatternCounts all, masked;
  };
  std::vector<Counts> per_thread(static_cast<size_t>(threads_));
  std::mutex mu;
  uint64_t done = 0;
  stats.blocking = blocker_.ForEachPair(
      threads_,
      [&](int t, const std::vector<Pair>& batch) {
        Counts& counts = per_thread[static_cast<size_t>(t)];
        uint8_t levels[32];
        ForEachPrefetched(comparisons_, batch, [&](uint32_t a, uint32_t b) {
          CompareAll(comparisons_, a, b, levels);
          ++counts.all[codec.Encode(levels)];
          // Once under every rule that proposes the pair, with that rule's columns
          // masked: masking by one rule only would hide, say, every agreeing name
          // whenever a name rule comes first.
          uint8_t rule_levels[32];
          for (size_t r = 0; r < rule_count; ++r) {
            if (!blocker_.Shares(r, a, b)) continue;
            for (size_t k = 0; k < comparisons_.size(); ++k)
              rule_levels[k] = masked[r][k] ? 0 : levels[k];
            ++counts.masked[codec.Encode(rule_levels)];
          }
        });
        if (progress) {
          std::lock_guard<std::mutex> lock(mu);
          done += batch.size();
          progress("counting comparison patterns", done, 0);
        }
      },
      nullptr, keep_below);
  Counts total;
  for (const Counts& c : per_thread) {
    for (const auto& [pattern, n] : c.all) total.all[pattern] += n;
    for (const auto& [pattern, n] : c.masked) total.masked[pattern] += n;
  }
  stats.patterns = total.all.size();

  double n_left = 0, n_right = 0;
  for (uint8_t s : records_.source) ++(s ? n_right : n_left);
  double possible = settings_.link_type == LinkType::kLink ? n_left * n_right
                                                           : n_left * (n_left - 1) / 2;
  stats.possible_pairs = static_cast<uint64_t>(possible);
  // Start as if each record had one match somewhere.
  double start_lambda =
      possible > 0 ? std::clamp((n_left + n_right) / 2 / possible, 1e-12, 0.5) : 0.5;
  p.lambda = start_lambda;
  // m from the masked patterns, then λ alone from the patterns as they are. A
  // sample stands for its share of all possible pairs.
  Parameters fitted =
      FitEm(codec, total.masked, std::move(p), settings_.max_em_iterations,
            /*fix_u=*/true, possible * rate);
  int iterations = fitted.em_iterations;
  bool converged = fitted.converged;
  fitted.lambda = start_lambda;
  parameters_ = FitEm(codec, total.all, std::move(fitted), settings_.max_em_iterations,
                      /*fix_u=*/true, possible * rate, /*fix_m=*/true);
  parameters_.em_iterations += iterations;
  parameters_.converged = parameters_.converged && converged;
  parameters_.Finish(comparisons_);
  stats.seconds_em = Seconds(start);
  return stats;
}

void Linker::SetParameters(Parameters p) {
  parameters_ = std::move(p);
  parameters_.Finish(comparisons_);
}

std::vector<ScoredPair> Linker::Score(double min_probability, Blocker::Stats* stats,
                                      const ProgressFn& progress,
                                      const std::vector<uint8_t>* focus) const {
  double min_weight = std::log2(min_probability / (1 - min_probability));
  std::vector<std::vector<ScoredPair>> kept(static_cast<size_t>(threads_));
  std::mutex mu;
  uint64_t done = 0;
  Blocker::Stats s = blocker_.ForEachPair(
      threads_,
      [&](int t, const std::vector<Pair>& batch) {
        std::vector<ScoredPair>& out = kept[static_cast<size_t>(t)];
        uint8_t levels[32];
        ForEachPrefetched(comparisons_, batch, [&](uint32_t a, uint32_t b) {
          double w = linkage::Score(comparisons_, parameters_, a, b, levels);
          if (w >= min_weight) out.push_back({a, b, static_cast<float>(w)});
        });
        if (progress) {
          std::lock_guard<std::mutex> lock(mu);
          done += batch.size();
          progress("scoring pairs", done, 0);
        }
      },
      focus);
  if (stats) *stats = s;
  std::vector<ScoredPair> all;
  for (auto& k : kept) all.insert(all.end(), k.begin(), k.end());
  std::sort(all.begin(), all.end(), [](const ScoredPair& x, const ScoredPair& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  return all;
}

double Linker::PairProbability(uint32_t a, uint32_t b) const {
  uint8_t levels[32];
  return Probability(linkage::Score(comparisons_, parameters_, a, b, levels));
}

std::vector<uint32_t> Linker::Cluster(const std::vector<ScoredPair>& pairs,
                                      const ClusterConstraints& constraints,
                                      ClusterStats* stats) const {
  double min_weight =
      std::log2(settings_.link_threshold / (1 - settings_.link_threshold));
  std::vector<ScoredPair> links;
  for (const ScoredPair& p : pairs)
    if (p.weight >= min_weight) links.push_back(p);
  return linkage::Cluster(
      records_.size(), std::move(links), constraints, settings_.cluster_guard,
      [this](uint32_t a, uint32_t b) { return PairProbability(a, b); }, stats);
}

PairExplanation Linker::Explain(uint32_t a, uint32_t b) const {
  PairExplanation e;
  e.id_l = records_.ids[a];
  e.id_r = records_.ids[b];
  e.prior_weight = parameters_.prior_weight();
  e.weight = e.prior_weight;
  uint8_t levels[32];
  CompareAll(comparisons_, a, b, levels);
  for (size_t k = 0; k < comparisons_.size(); ++k) {
    const Comparison& c = *comparisons_[k];
    LevelExplanation l;
    l.comparison = c.name();
    const std::vector<std::string>& column = *records_.Column(c.column());
    l.value_l = column[a];
    l.value_r = column[b];
    l.level = levels[k];
    l.level_label = c.label(l.level);
    const Comparison::Gate* closed = c.gates().empty() ? nullptr : c.ClosedGate(levels);
    if (closed && c.Compare(a, b) != 0) {
      // Present on both sides but not counted: the gate's comparison agrees too little.
      l.level_label = NotCountedLabel(settings_, *closed);
    }
    size_t level = static_cast<size_t>(l.level);
    l.m = parameters_.m[k][level];
    l.u = parameters_.u[k][level];
    l.weight = parameters_.weight[k][level];
    l.tf_adjustment = parameters_.TermFrequencyAdjustment(c, k, l.level, a);
    e.weight += l.weight + l.tf_adjustment;
    e.levels.push_back(std::move(l));
  }
  e.probability = Probability(e.weight);
  return e;
}

std::string ExplanationJson(const PairExplanation& e) {
  nlohmann::ordered_json j;
  j["id_l"] = e.id_l;
  j["id_r"] = e.id_r;
  j["prior_weight"] = e.prior_weight;
  j["comparisons"] = nlohmann::ordered_json::array();
  for (const LevelExplanation& l : e.levels) {
    nlohmann::ordered_json c;
    c["comparison"] = l.comparison;
    c["value_l"] = l.value_l;
    c["value_r"] = l.value_r;
    c["level"] = l.level;
    c["label"] = l.level_label;
    c["m"] = l.m;
    c["u"] = l.u;
    c["weight"] = l.weight;
    c["tf_adjustment"] = l.tf_adjustment;
    j["comparisons"].push_back(std::move(c));
  }
  j["weight"] = e.weight;
  j["probability"] = e.probability;
  return j.dump();
}

}  // namespace gugus::linkage
