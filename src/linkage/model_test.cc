#include "linkage/model.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace gugus::linkage {
namespace {

// A comparison with a given number of levels (null and else included) and no
// records: PatternCodec and FitEm only need the level counts.
class FakeComparison : public Comparison {
 public:
  FakeComparison(const std::string& name, int levels) : Comparison(Named(name, levels)) {}
  int Compare(uint32_t, uint32_t) const override { return 0; }

 private:
  // A string comparison with levels jw>=0.99, jw>=0.98, …: only their count matters.
  static ComparisonSettings Named(const std::string& name, int levels) {
    ComparisonSettings s;
    s.name = name;
    for (int l = 1; l + 1 < levels; ++l)
      s.levels.push_back({StringLevel::kJaroWinkler, 1.0 - 0.01 * l});
    return s;
  }
};

Comparisons Fakes(const std::vector<int>& levels) {
  Comparisons out;
  for (size_t k = 0; k < levels.size(); ++k)
    out.push_back(std::make_unique<FakeComparison>("c" + std::to_string(k), levels[k]));
  return out;
}

Records Table(std::vector<std::string> names,
              std::vector<std::vector<std::string>> columns,
              std::vector<uint8_t> source = {}) {
  Records r;
  r.names = std::move(names);
  r.columns = std::move(columns);
  size_t n = r.columns[0].size();
  for (size_t i = 0; i < n; ++i) r.ids.push_back("r" + std::to_string(i));
  r.source = source.empty() ? std::vector<uint8_t>(n, 0) : std::move(source);
  return r;
}

ComparisonSettings Exact(const std::string& column, bool tf = false) {
  ComparisonSettings c;
  c.name = c.column = column;
  c.levels = {StringLevel{}};
  c.term_frequency = tf;
  return c;
}

Comparisons Build(const Records& r, std::vector<ComparisonSettings> comparisons) {
  Settings s;
  s.comparisons = std::move(comparisons);
  return BuildComparisons(s, r, 1);
}

TEST(PatternCodecTest, EncodesAndDecodesEveryPattern) {
  Comparisons c = Fakes({3, 4, 5});
  PatternCodec codec(c);
  ASSERT_EQ(codec.size(), 3u);
  std::vector<uint64_t> seen;
  for (uint8_t a = 0; a < 3; ++a)
    for (uint8_t b = 0; b < 4; ++b)
      for (uint8_t d = 0; d < 5; ++d) {
        uint8_t levels[] = {a, b, d};
        uint64_t p = codec.Encode(levels);
        EXPECT_EQ(codec.Level(p, 0), a);
        EXPECT_EQ(codec.Level(p, 1), b);
        EXPECT_EQ(codec.Level(p, 2), d);
        seen.push_back(p);
      }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
  EXPECT_EQ(seen.back(), 3u * 4 * 5 - 1);
}

TEST(DefaultMTest, IsADistributionFavouringExactAgreement) {
  Comparisons c = Fakes({3, 4, 6});
  std::vector<std::vector<double>> m = DefaultM(c);
  ASSERT_EQ(m.size(), 3u);
  for (size_t k = 0; k < m.size(); ++k) {
    ASSERT_EQ(m[k].size(), static_cast<size_t>(c[k]->level_count()));
    double sum = 0;
    for (size_t l = 1; l < m[k].size(); ++l) {
      EXPECT_GT(m[k][l], 0);
      sum += m[k][l];
    }
    EXPECT_NEAR(sum, 1.0, 0.02) << k;
    EXPECT_GE(m[k][1], 0.85);
  }
}

// Comparison patterns drawn from a known model; EM must find it again.
struct TrueModel {
  double lambda;
  std::vector<std::vector<double>> m, u;  // [k][level], level 0 unused
  std::vector<double> null_rate;          // per comparison, in matches and non-matches
};

PatternCounts Simulate(const TrueModel& t, const PatternCodec& codec, int pairs,
                       uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<std::discrete_distribution<int>> dm, du;
  for (size_t k = 0; k < t.m.size(); ++k) {
    std::vector<double> wm(t.m[k].begin() + 1, t.m[k].end());
    std::vector<double> wu(t.u[k].begin() + 1, t.u[k].end());
    dm.emplace_back(wm.begin(), wm.end());
    du.emplace_back(wu.begin(), wu.end());
  }
  PatternCounts counts;
  std::vector<uint8_t> levels(t.m.size());
  for (int i = 0; i < pairs; ++i) {
    bool match = unit(rng) < t.lambda;
    for (size_t k = 0; k < t.m.size(); ++k) {
      if (unit(rng) < t.null_rate[k]) {
        levels[k] = 0;
      } else {
        levels[k] = static_cast<uint8_t>(1 + (match ? dm[k](rng) : du[k](rng)));
      }
    }
    ++counts[codec.Encode(levels.data())];
  }
  return counts;
}

TrueModel Known() {
  TrueModel t;
  t.lambda = 0.05;
  t.m = {{1, 0.85, 0.10, 0.05}, {1, 0.70, 0.15, 0.10, 0.05}, {1, 0.90, 0.06, 0.04}};
  t.u = {{1, 0.01, 0.04, 0.95}, {1, 0.02, 0.03, 0.15, 0.80}, {1, 0.05, 0.10, 0.85}};
  t.null_rate = {0.0, 0.05, 0.10};
  return t;
}

// Starting u: disagreement likely, every other level a little.
std::vector<std::vector<double>> StartU(const Comparisons& c) {
  std::vector<std::vector<double>> u;
  for (const auto& comparison : c) {
    size_t levels = static_cast<size_t>(comparison->level_count());
    std::vector<double> v(levels, 0.1 / static_cast<double>(levels - 2));
    v[0] = 1;
    v[levels - 1] = 0.9;
    u.push_back(v);
  }
  return u;
}

TEST(FitEmTest, RecoversKnownParameters) {
  Comparisons c = Fakes({4, 5, 4});
  PatternCodec codec(c);
  const TrueModel t = Known();
  PatternCounts counts = Simulate(t, codec, 200000, 12345);

  Parameters start;
  start.lambda = 0.01;
  start.m = DefaultM(c);
  start.u = StartU(c);
  Parameters p = FitEm(codec, counts, start, 1000, /*fix_u=*/false);
  EXPECT_TRUE(p.converged);
  EXPECT_GT(p.em_iterations, 1);
  EXPECT_NEAR(p.lambda, t.lambda, 0.005);
  for (size_t k = 0; k < c.size(); ++k) {
    for (size_t l = 1; l < t.m[k].size(); ++l) {
      EXPECT_NEAR(p.m[k][l], t.m[k][l], 0.02) << "m comparison " << k << " level " << l;
      EXPECT_NEAR(p.u[k][l], t.u[k][l], 0.02) << "u comparison " << k << " level " << l;
    }
  }
}

TEST(FitEmTest, FixedUIsKept) {
  Comparisons c = Fakes({4, 5, 4});
  PatternCodec codec(c);
  const TrueModel t = Known();
  PatternCounts counts = Simulate(t, codec, 200000, 999);
  Parameters start;
  start.m = DefaultM(c);
  start.u = t.u;
  Parameters p = FitEm(codec, counts, start, 1000, /*fix_u=*/true);
  EXPECT_EQ(p.u, t.u);
  EXPECT_NEAR(p.lambda, t.lambda, 0.005);
  for (size_t k = 0; k < c.size(); ++k)
    for (size_t l = 1; l < t.m[k].size(); ++l)
      EXPECT_NEAR(p.m[k][l], t.m[k][l], 0.02) << "m comparison " << k << " level " << l;
}

TEST(FitEmTest, NoPairsLeavesTheStartAlone) {
  Comparisons c = Fakes({3});
  PatternCodec codec(c);
  Parameters start;
  start.lambda = 0.2;
  start.m = DefaultM(c);
  start.u = StartU(c);
  Parameters p = FitEm(codec, PatternCounts(), start, 10, false);
  EXPECT_EQ(p.lambda, 0.2);
  EXPECT_EQ(p.m, start.m);
  EXPECT_EQ(p.em_iterations, 0);
}

TEST(EstimateUTest, ConstantColumnAgreesAlmostAlways) {
  std::vector<std::string> same(200, "Indonesia"), distinct;
  for (int i = 0; i < 200; ++i) distinct.push_back("v" + std::to_string(i));
  Records r = Table({"same", "distinct"}, {same, distinct});
  Comparisons c = Build(r, {Exact("same"), Exact("distinct")});
  std::vector<std::vector<double>> u = EstimateU(c, r, /*link=*/false, 20000, 2);
  ASSERT_EQ(u.size(), 2u);
  ASSERT_EQ(u[0].size(), 3u);  // null, exact, else
  EXPECT_GT(u[0][1], 0.999);
  EXPECT_LT(u[0][2], 0.001);
  EXPECT_LT(u[1][1], 0.001);
  EXPECT_GT(u[1][2], 0.999);
  EXPECT_NEAR(u[0][1] + u[0][2], 1.0, 1e-12);
  // Fixed seeds: the same estimate each run.
  EXPECT_EQ(EstimateU(c, r, false, 20000, 2), u);
}

TEST(EstimateUTest, LinkDrawsOnlyLeftRightPairs) {
  // Each side agrees within itself; the two sides never agree.
  std::vector<std::string> side;
  std::vector<uint8_t> source;
  for (int i = 0; i < 100; ++i) {
    side.push_back(i % 2 ? "kanan" : "kiri");
    source.push_back(static_cast<uint8_t>(i % 2));
  }
  Records r = Table({"side"}, {side}, source);
  Comparisons c = Build(r, {Exact("side")});
  EXPECT_LT(EstimateU(c, r, /*link=*/true, 10000, 1)[0][1], 0.001);
  // Deduplicating the same values (every record from input 0): half agree.
  Records one = Table({"side"}, {side});
  Comparisons d = Build(one, {Exact("side")});
  EXPECT_NEAR(EstimateU(d, one, /*link=*/false, 20000, 1)[0][1], 0.5, 0.03);
}

TEST(ParametersTest, FinishGivesLogRatioWeights) {
  Comparisons c = Fakes({4});
  Parameters p;
  p.lambda = 0.2;
  p.m = {{1, 0.8, 0.15, 0.05}};
  p.u = {{1, 0.01, 0.09, 0.9}};
  p.Finish(c);
  ASSERT_EQ(p.weight.size(), 1u);
  ASSERT_EQ(p.weight[0].size(), 4u);
  EXPECT_EQ(p.weight[0][0], 0);
  EXPECT_DOUBLE_EQ(p.weight[0][1], std::log2(0.8 / 0.01));
  EXPECT_DOUBLE_EQ(p.weight[0][2], std::log2(0.15 / 0.09));
  EXPECT_DOUBLE_EQ(p.weight[0][3], std::log2(0.05 / 0.9));
  EXPECT_LT(p.weight[0][3], 0);
  EXPECT_DOUBLE_EQ(p.prior_weight(), std::log2(0.2 / 0.8));
  EXPECT_TRUE(p.tf_adjustment[0].empty());  // no term frequencies asked for
}

Parameters Flat(const Comparisons& c) {
  Parameters p;
  p.lambda = 0.5;  // prior weight 0
  for (const auto& comparison : c) {
    size_t levels = static_cast<size_t>(comparison->level_count());
    p.m.emplace_back(levels, 0.5);
    p.u.emplace_back(levels, 0.25);
  }
  p.Finish(c);
  return p;
}

TEST(ParametersTest, RarerValuesGetLargerAdjustments) {
  // Counts 40, 20, 10, 5, 2, 1 (and one record missing).
  std::vector<std::string> v;
  for (auto [value, n] : std::vector<std::pair<std::string, int>>{{"siti", 40},
                                                                  {"dewi", 20},
                                                                  {"ayu", 10},
                                                                  {"ratna", 5},
                                                                  {"yohana", 2},
                                                                  {"wulan", 1}})
    for (int i = 0; i < n; ++i) v.push_back(value);
  v.push_back("");
  Records r = Table({"name"}, {v});
  Comparisons c = Build(r, {Exact("name", /*tf=*/true)});
  Parameters p = Flat(c);
  ASSERT_EQ(p.tf_adjustment[0].size(), c[0]->distinct_values() + 1);
  auto adjustment = [&](uint32_t record) {
    return p.tf_adjustment[0][c[0]->value_id(record)];
  };
  // First records of each value: 0 (40), 40 (20), 60 (10), 70 (5), 75 (2), 77 (1).
  const std::vector<uint32_t> firsts = {0, 40, 60, 70, 75, 77};
  for (size_t i = 1; i < firsts.size(); ++i)
    EXPECT_GT(adjustment(firsts[i]), adjustment(firsts[i - 1])) << i;
  // log2(Σf² / f): Σf² = (1600 + 400 + 100 + 25 + 4 + 1) / 78².
  const double sum_sq = 2130.0 / (78.0 * 78.0);
  EXPECT_NEAR(adjustment(0), std::log2(sum_sq / (40.0 / 78)), 1e-5);
  EXPECT_NEAR(adjustment(77), std::log2(sum_sq / (1.0 / 78)), 1e-5);

  // Score adds the adjustment at exact agreement only.
  uint8_t levels[1];
  EXPECT_NEAR(Score(c, p, 77, 77, levels), p.weight[0][1] + adjustment(77), 1e-6);
  EXPECT_EQ(levels[0], 1);
  EXPECT_NEAR(Score(c, p, 0, 1, levels), p.weight[0][1] + adjustment(0), 1e-6);
  EXPECT_NEAR(Score(c, p, 0, 40, levels), p.weight[0][2], 1e-12);
  EXPECT_EQ(levels[0], 2);
  EXPECT_NEAR(Score(c, p, 0, 78, levels), 0, 1e-12);  // null
  EXPECT_EQ(levels[0], 0);
}

TEST(ParametersTest, AdjustmentsAreBounded) {
  // One very common value against 9900 unique ones: the common value is far below
  // the average agreement (log2 ≈ -5.65), a unique one a little above it.
  std::vector<std::string> v(100, "umum");
  for (int i = 0; i < 9900; ++i) v.push_back("u" + std::to_string(i));
  // Elsewhere one value of 1000 records against one unique: log2 ≈ 9.96 for it.
  std::vector<std::string> w(1000, "sama");
  w.push_back("lain");
  w.resize(v.size(), "");
  Records r = Table({"v", "w"}, {v, w});
  Comparisons c = Build(r, {Exact("v", true), Exact("w", true)});
  Parameters p = Flat(c);
  auto adjustment = [&](size_t k, uint32_t record) {
    return p.tf_adjustment[k][c[k]->value_id(record)];
  };
  EXPECT_FLOAT_EQ(adjustment(0, 0), -5.0f);
  EXPECT_NEAR(adjustment(0, 100), std::log2(1.99), 1e-4);
  EXPECT_FLOAT_EQ(adjustment(1, 1000), 5.0f);
  EXPECT_NEAR(adjustment(1, 0), 0.0, 0.01);
  for (size_t k = 0; k < 2; ++k)
    for (float a : p.tf_adjustment[k]) {
      EXPECT_GE(a, -5.0f);
      EXPECT_LE(a, 5.0f);
    }
}

TEST(ProbabilityTest, HalfAtZeroAndMonotone) {
  EXPECT_DOUBLE_EQ(Probability(0), 0.5);
  EXPECT_DOUBLE_EQ(Probability(1), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(Probability(-1), 1.0 / 3.0);
  double previous = 0;
  for (double w = -40; w <= 40; w += 0.25) {
    double p = Probability(w);
    EXPECT_GT(p, previous) << w;
    EXPECT_NEAR(p + Probability(-w), 1.0, 1e-12) << w;
    previous = p;
  }
  EXPECT_GT(Probability(30), 0.999999);
  EXPECT_LT(Probability(-30), 1e-6);
}

TEST(ParametersJsonTest, RoundTripsAndNoticesChangedComparisons) {
  Comparisons c = Fakes({3, 4});
  Parameters p;
  p.lambda = 0.03;
  p.em_iterations = 17;
  p.converged = true;
  p.m = {{1, 0.9, 0.1}, {1, 0.8, 0.15, 0.05}};
  p.u = {{1, 0.2, 0.8}, {1, 0.01, 0.04, 0.95}};
  absl::StatusOr<Parameters> back = ParseParameters(ParametersJson(p, c), c);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->lambda, p.lambda);
  EXPECT_EQ(back->em_iterations, 17);
  EXPECT_TRUE(back->converged);
  EXPECT_EQ(back->m, p.m);
  EXPECT_EQ(back->u, p.u);

  Comparisons other = Fakes({3, 5});
  absl::StatusOr<Parameters> changed = ParseParameters(ParametersJson(p, c), other);
  EXPECT_EQ(changed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseParameters("{", c).ok());
  EXPECT_FALSE(ParseParameters(R"({"lambda": 0.5})", c).ok());
}

}  // namespace
}  // namespace gugus::linkage
