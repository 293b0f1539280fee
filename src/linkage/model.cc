#include "linkage/model.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "core/strcat.h"

namespace gugus::linkage {

PatternCodec::PatternCodec(const Comparisons& comparisons) {
  uint64_t r = 1;
  for (const auto& c : comparisons) {
    radix_.push_back(r);
    counts_.push_back(static_cast<uint64_t>(c->level_count()));
    r *= static_cast<uint64_t>(c->level_count());
  }
}

uint64_t PatternCodec::Encode(const uint8_t* levels) const {
  uint64_t p = 0;
  for (size_t i = 0; i < radix_.size(); ++i) p += levels[i] * radix_[i];
  return p;
}

double Parameters::prior_weight() const { return std::log2(lambda / (1 - lambda)); }

void Parameters::Finish(const Comparisons& comparisons) {
  weight.assign(comparisons.size(), {});
  tf_adjustment.assign(comparisons.size(), {});
  for (size_t k = 0; k < comparisons.size(); ++k) {
    const Comparison& c = *comparisons[k];
    weight[k].assign(static_cast<size_t>(c.level_count()), 0.0);
    for (int l = 1; l < c.level_count(); ++l)
      weight[k][static_cast<size_t>(l)] =
          std::log2(m[k][static_cast<size_t>(l)] / u[k][static_cast<size_t>(l)]);
    if (c.tf_level() < 0) continue;
    // How much likelier two random records agree on this value than on the average
    // value: log2(Σ f² / f). Agreeing on a rare name counts for more than on "Siti".
    double total = 0, sum_sq = 0;
    for (size_t id = 1; id <= c.distinct_values(); ++id)
      total += c.value_count(static_cast<uint32_t>(id));
    if (total == 0) continue;
    for (size_t id = 1; id <= c.distinct_values(); ++id) {
      double f = c.value_count(static_cast<uint32_t>(id)) / total;
      sum_sq += f * f;
    }
    tf_adjustment[k].assign(c.distinct_values() + 1, 0.0f);
    for (size_t id = 1; id <= c.distinct_values(); ++id) {
      double f = c.value_count(static_cast<uint32_t>(id)) / total;
      // Bounded: a value seen once says a lot, but not more than a NIK does.
      tf_adjustment[k][id] =
          static_cast<float>(std::clamp(std::log2(sum_sq / f), -5.0, 5.0));
    }
  }
}

double Score(const Comparisons& comparisons, const Parameters& p, uint32_t a, uint32_t b,
             uint8_t* levels) {
  CompareAll(comparisons, a, b, levels);
  double w = p.prior_weight();
  for (size_t k = 0; k < comparisons.size(); ++k) {
    w += p.weight[k][levels[k]];
    w += p.TermFrequencyAdjustment(*comparisons[k], k, levels[k], a);
  }
  return w;
}

double Parameters::TermFrequencyAdjustment(const Comparison& c, size_t k, int level,
                                           uint32_t a) const {
  if (level != c.tf_level() || tf_adjustment[k].empty()) return 0;
  return tf_adjustment[k][c.value_id(a)];
}

double Probability(double weight) { return 1.0 / (1.0 + std::exp2(-weight)); }

std::vector<std::vector<double>> EstimateU(const Comparisons& comparisons,
                                           const Records& records, bool link,
                                           int64_t pairs, int threads) {
  size_t n = records.size();
  std::vector<uint32_t> left, right;
  for (uint32_t i = 0; i < n; ++i) (records.source[i] == 0 ? left : right).push_back(i);
  if (!link) right = left;
  int t = std::max(1, threads);
  std::vector<std::vector<std::vector<uint64_t>>> counts(static_cast<size_t>(t));
  auto work = [&](int thread) {
    auto& c = counts[static_cast<size_t>(thread)];
    for (const auto& comparison : comparisons)
      c.emplace_back(static_cast<size_t>(comparison->level_count()), 0);
    if (left.empty() || right.empty()) return;
    std::mt19937_64 rng(0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(thread));
    std::uniform_int_distribution<size_t> pick_l(0, left.size() - 1),
        pick_r(0, right.size() - 1);
    int64_t share = pairs / t;
    std::vector<uint8_t> levels(comparisons.size());
    for (int64_t i = 0; i < share; ++i) {
      uint32_t a = left[pick_l(rng)], b = right[pick_r(rng)];
      if (a == b) continue;
      CompareAll(comparisons, a, b, levels.data());
      for (size_t k = 0; k < comparisons.size(); ++k) ++c[k][levels[k]];
    }
  };
  std::vector<std::thread> workers;
  for (int i = 1; i < t; ++i) workers.emplace_back(work, i);
  work(0);
  for (auto& w : workers) w.join();

  std::vector<std::vector<double>> u(comparisons.size());
  for (size_t k = 0; k < comparisons.size(); ++k) {
    size_t levels = static_cast<size_t>(comparisons[k]->level_count());
    std::vector<double> total(levels, 0);
    for (const auto& c : counts)
      for (size_t l = 0; l < levels; ++l) total[l] += static_cast<double>(c[k][l]);
    double non_null = 0;
    for (size_t l = 1; l < levels; ++l) non_null += total[l];
    u[k].assign(levels, 1.0);
    // Add-one smoothing: a level never seen among random pairs is rare, not impossible.
    for (size_t l = 1; l < levels; ++l)
      u[k][l] = (total[l] + 1) / (non_null + static_cast<double>(levels - 1));
  }
  return u;
}

std::vector<std::vector<double>> DefaultM(const Comparisons& comparisons) {
  std::vector<std::vector<double>> m;
  for (const auto& c : comparisons) {
    size_t levels = static_cast<size_t>(c->level_count());
    std::vector<double> v(levels, 1.0);
    // 0.9 exact, the rest halving down the levels; "else" gets what is left.
    double left = 1.0, share = 0.9;
    for (size_t l = 1; l + 1 < levels; ++l) {
      v[l] = left * share;
      left -= v[l];
      share = 0.5;
    }
    v[levels - 1] = std::max(left, 0.01);
    m.push_back(std::move(v));
  }
  return m;
}

// The smallest m or u EM may give a level (the largest weight against is thus about
// log2(0.002 / u)).
constexpr double kMinProbability = 0.002;

Parameters FitEm(const PatternCodec& codec, const PatternCounts& counts, Parameters p,
                 int max_iterations, bool fix_u, double population, bool fix_m) {
  size_t k_count = codec.size();
  struct Row {
    std::vector<uint8_t> levels;
    double count;
  };
  std::vector<Row> rows;
  rows.reserve(counts.size());
  double total = 0;
  for (const auto& [pattern, n] : counts) {
    Row r{std::vector<uint8_t>(k_count), static_cast<double>(n)};
    for (size_t k = 0; k < k_count; ++k)
      r.levels[k] = static_cast<uint8_t>(codec.Level(pattern, k));
    total += r.count;
    rows.push_back(std::move(r));
  }
  if (total == 0) return p;
  population = std::max(population, total);
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.levels < b.levels;
  });  // repeatable

  for (p.em_iterations = 0; p.em_iterations < max_iterations;) {
    ++p.em_iterations;
    std::vector<std::vector<double>> mm(k_count), uu(k_count);
    for (size_t k = 0; k < k_count; ++k) {
      mm[k].assign(p.m[k].size(), 0.0);
      uu[k].assign(p.u[k].size(), 0.0);
    }
    double matches = 0;
    for (const Row& r : rows) {
      // Posterior of "match" for this pattern, in log space for stability.
      double lm = std::log(p.lambda), lu = std::log(1 - p.lambda);
      for (size_t k = 0; k < k_count; ++k) {
        lm += std::log(p.m[k][r.levels[k]]);
        lu += std::log(p.u[k][r.levels[k]]);
      }
      double g = 1.0 / (1.0 + std::exp(lu - lm));
      matches += g * r.count;
      for (size_t k = 0; k < k_count; ++k) {
        mm[k][r.levels[k]] += g * r.count;
        uu[k][r.levels[k]] += (1 - g) * r.count;
      }
    }
    double change = 0;
    auto update = [&](std::vector<double>& target, const std::vector<double>& sums) {
      double non_null = 0;
      for (size_t l = 1; l < sums.size(); ++l) non_null += sums[l];
      for (size_t l = 1; l < sums.size(); ++l) {
        // Every level stays possible: clerks mistype a sex or a region now and then,
        // and one slip must not outweigh everything else a pair agrees on. A
        // probability below kMinProbability is not something these counts can show.
        double v = std::max(sums[l] / std::max(non_null, 1e-300), kMinProbability);
        change = std::max(change, std::abs(v - target[l]));
        target[l] = v;
      }
    };
    for (size_t k = 0; k < k_count; ++k) {
      if (!fix_m) update(p.m[k], mm[k]);
      if (!fix_u) update(p.u[k], uu[k]);
    }
    double lambda = std::clamp(matches / population, 1e-15, 1 - 1e-9);
    // λ may be tiny (a share of all possible pairs): compare it relatively.
    bool lambda_settled = std::abs(lambda - p.lambda) <= 1e-5 * lambda;
    p.lambda = lambda;
    if (change < 1e-6 && lambda_settled) {
      p.converged = true;
      break;
    }
  }
  return p;
}

std::string ParametersJson(const Parameters& p, const Comparisons& comparisons) {
  nlohmann::ordered_json j;
  j["lambda"] = p.lambda;
  j["em_iterations"] = p.em_iterations;
  j["converged"] = p.converged;
  j["comparisons"] = nlohmann::ordered_json::array();
  for (size_t k = 0; k < comparisons.size(); ++k) {
    nlohmann::ordered_json c;
    c["name"] = comparisons[k]->name();
    std::vector<std::string> labels;
    for (int l = 0; l < comparisons[k]->level_count(); ++l)
      labels.push_back(comparisons[k]->label(l));
    c["levels"] = labels;
    c["m"] = p.m[k];
    c["u"] = p.u[k];
    j["comparisons"].push_back(std::move(c));
  }
  return j.dump();
}

absl::StatusOr<Parameters> ParseParameters(std::string_view json_text,
                                           const Comparisons& comparisons) {
  auto bad = [](std::string_view why) {
    return absl::InvalidArgumentError(StrCat("stored linkage model: ", why));
  };
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad("not valid JSON");
  try {
    Parameters p;
    p.lambda = j.at("lambda").get<double>();
    p.em_iterations = j.at("em_iterations").get<int>();
    p.converged = j.at("converged").get<bool>();
    const auto& cs = j.at("comparisons");
    if (cs.size() != comparisons.size()) return bad("the comparisons have changed");
    for (size_t k = 0; k < comparisons.size(); ++k) {
      const Comparison& c = *comparisons[k];
      if (cs[k].at("name").get<std::string>() != c.name())
        return bad("the comparisons have changed");
      std::vector<std::string> labels =
          cs[k].at("levels").get<std::vector<std::string>>();
      if (labels.size() != static_cast<size_t>(c.level_count()))
        return bad("the comparison levels have changed");
      for (int l = 0; l < c.level_count(); ++l)
        if (labels[static_cast<size_t>(l)] != c.label(l))
          return bad("the comparison levels have changed");
      p.m.push_back(cs[k].at("m").get<std::vector<double>>());
      p.u.push_back(cs[k].at("u").get<std::vector<double>>());
      if (p.m.back().size() != labels.size() || p.u.back().size() != labels.size())
        return bad("m and u do not match the levels");
      for (size_t l = 1; l < labels.size(); ++l)
        if (!(p.m.back()[l] > 0 && p.u.back()[l] > 0)) return bad("m and u must be > 0");
    }
    if (!(p.lambda > 0 && p.lambda < 1)) return bad("lambda out of range");
    return p;
  } catch (const nlohmann::json::exception&) {
    return bad("a field is missing or has the wrong type");
  }
}

}  // namespace gugus::linkage
