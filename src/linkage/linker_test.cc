#include "linkage/linker.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/date.h"
#include "core/nik.h"
#include "core/values.h"
#include "gtest/gtest.h"
#include "linkage/evaluation.h"

namespace gugus::linkage {
namespace {

const std::vector<std::string> kColumns = {"id", "name", "birth_date", "nik", "phone"};

constexpr std::string_view kSettings = R"json({
  "link_type": "dedupe",
  "id_column": "id",
  "comparisons": [
    {"column": "name", "kind": "name", "term_frequency": true},
    {"name": "birth date", "column": "birth_date", "kind": "date"},
    {"column": "nik", "kind": "nik"},
    {"column": "phone", "kind": "phone"}
  ],
  "blocking_rules": ["phonetic(name)", "digits(nik)", "year(birth_date)"],
  "u_sample_pairs": 100000,
  "threads": 2
})json";

Settings ParseOrDie(std::string_view json, const std::vector<std::string>& columns) {
  absl::StatusOr<Settings> s = ParseSettings(json, columns);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Settings();
}

struct Person {
  std::string first, last;
  Date birth;
  Sex sex;
  std::string nik, phone;
};

struct Synthetic {
  Records records;
  std::vector<int64_t> truth;
};

void Add(Synthetic& s, int64_t entity, const std::string& id, const std::string& name,
         const std::string& birth, const std::string& nik, const std::string& phone) {
  if (s.records.names.empty()) {
    s.records.names = kColumns;
    s.records.columns.resize(kColumns.size());
  }
  const std::string* values[] = {&id, &name, &birth, &nik, &phone};
  for (size_t c = 0; c < kColumns.size(); ++c) s.records.columns[c].push_back(*values[c]);
  s.records.ids.push_back(id);
  s.records.source.push_back(0);
  s.truth.push_back(entity);
}

// ~150 people with 1 to 3 records each, written as different clerks write them: the
// name's case, a typo, parts in another order; the date in several formats; the NIK
// often missing; the phone in several forms, missing, or changed.
Synthetic MakePeople(uint32_t seed, int people) {
  static const std::vector<std::string> kWomen = {
      "Siti",  "Dewi",  "Ayu",  "Ratna", "Wulan",   "Indah", "Putri",
      "Rina",  "Yuni",  "Sri",  "Fitri", "Lestari", "Mega",  "Kartika",
      "Anisa", "Intan", "Maya", "Lina",  "Nadia",   "Eka"};
  static const std::vector<std::string> kMen = {
      "Budi", "Agus",    "Joko",  "Andi",  "Eko",   "Hendra", "Rudi",
      "Dedi", "Bambang", "Arif",  "Fajar", "Rizky", "Yusuf",  "Hasan",
      "Imam", "Slamet",  "Wahyu", "Dimas", "Bayu",  "Teguh"};
  static const std::vector<std::string> kLast = {
      "Santoso",   "Wijaya",  "Saputra",    "Pratama",  "Hidayat",     "Setiawan",
      "Kurniawan", "Nugroho", "Siregar",    "Nasution", "Simanjuntak", "Harahap",
      "Lubis",     "Gunawan", "Susanto",    "Halim",    "Sihombing",   "Purba",
      "Manurung",  "Wibowo",  "Rahman",     "Hakim",    "Permana",     "Firmansyah",
      "Hutapea",   "Tanjung", "Situmorang", "Marpaung", "Sinaga",      "Pane"};
  static const std::vector<std::string> kDistricts = {"32.01.01", "32.73.05", "31.71.03",
                                                      "35.78.10", "33.74.02", "12.71.04",
                                                      "73.71.01", "51.71.02"};
  std::mt19937 rng(seed);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  auto chance = [&](double p) {
    return std::uniform_real_distribution<double>(0, 1)(rng) < p;
  };

  Synthetic s;
  for (int p = 0; p < people; ++p) {
    Person person;
    person.sex = rng() % 2 ? Sex::kFemale : Sex::kMale;
    person.first = pick(person.sex == Sex::kFemale ? kWomen : kMen);
    person.last = pick(kLast);
    person.birth =
        Date{1965 + static_cast<int>(rng() % 40), 1 + static_cast<int>(rng() % 12),
             1 + static_cast<int>(rng() % 28)};
    person.nik = FormatNik(pick(kDistricts), person.birth, person.sex,
                           1 + static_cast<int>(rng() % 9999));
    person.phone = "8" + std::to_string(11 + rng() % 9);
    for (int d = 0; d < 8; ++d) person.phone += static_cast<char>('0' + rng() % 10);

    int copies = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < copies; ++k) {
      std::string first = person.first, last = person.last;
      if (k > 0 && chance(0.2)) {  // one typo in the last name
        size_t i = 1 + rng() % (last.size() - 2);
        if (chance(0.5))
          std::swap(last[i], last[i + 1]);
        else
          last[i] = static_cast<char>('a' + rng() % 26);
      }
      std::string name = k > 0 && chance(0.1) ? last + " " + first : first + " " + last;
      switch (rng() % 3) {
        case 0:
          for (char& c : name)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          break;
        case 1:
          for (char& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          break;
        default:
          break;
      }
      if (chance(0.2)) name = " " + name + "  ";

      char date[32];
      const Date& b = person.birth;
      switch (rng() % 3) {
        case 0:
          std::snprintf(date, sizeof date, "%04d-%02d-%02d", b.year, b.month, b.day);
          break;
        case 1:
          std::snprintf(date, sizeof date, "%02d/%02d/%04d", b.day, b.month, b.year);
          break;
        default:
          std::snprintf(date, sizeof date, "%04d%02d%02d", b.year, b.month, b.day);
          break;
      }
      std::string birth = chance(0.05) ? "" : date;

      std::string nik = chance(0.35) ? "" : person.nik;
      std::string phone;
      if (!chance(0.3)) {
        const std::string& n = chance(0.1)
                                   ? "81" + std::to_string(10000000 + rng() % 89999999)
                                   : person.phone;
        switch (rng() % 3) {
          case 0:  // 0812-3456-7890
            phone = "0" + n.substr(0, 3) + "-" + n.substr(3, 4) + "-" + n.substr(7);
            break;
          case 1:  // +62 812 3456 7890
            phone = "+62 " + n.substr(0, 3) + " " + n.substr(3, 4) + " " + n.substr(7);
            break;
          default:
            phone = "0" + n;
            break;
        }
      }
      Add(s, p, "p" + std::to_string(p) + "-" + std::to_string(k), name, birth, nik,
          phone);
    }
  }
  return s;
}

// The synthetic table plus one hand-made pair for the golden explanation: the same
// NIK, the name's parts in another order, birth dates that disagree, one phone.
struct Fixture {
  Synthetic data;
  uint32_t golden_a = 0, golden_b = 0;
};

Fixture MakeFixture() {
  Fixture f;
  f.data = MakePeople(20240611, 150);
  const std::string nik = FormatNik("33.74.02", Date{1971, 8, 17}, Sex::kMale, 4321);
  const int64_t entity = 1000;
  f.golden_a = static_cast<uint32_t>(f.data.records.size());
  Add(f.data, entity, "golden-a", "Bambang Sutrisno", "1971-08-17", nik,
      "0813-9999-0001");
  f.golden_b = static_cast<uint32_t>(f.data.records.size());
  Add(f.data, entity, "golden-b", "SUTRISNO bambang", "29/02/1980", nik, "");
  return f;
}

class LinkerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fixture_ = new Fixture(MakeFixture());
    linker_ = new Linker(ParseOrDie(kSettings, kColumns), fixture_->data.records, 2);
    stats_ = new TrainStats(linker_->Train());
  }
  static void TearDownTestSuite() {
    delete stats_;
    delete linker_;
    delete fixture_;
  }
  static Fixture* fixture_;
  static Linker* linker_;
  static TrainStats* stats_;
};

Fixture* LinkerTest::fixture_ = nullptr;
Linker* LinkerTest::linker_ = nullptr;
TrainStats* LinkerTest::stats_ = nullptr;

TEST_F(LinkerTest, FindsThePeopleAgain) {
  const Linker& linker = *linker_;
  const std::vector<int64_t>& truth = fixture_->data.truth;
  ASSERT_GE(linker.records().size(), 250u);
  EXPECT_GT(stats_->blocking.pairs, 0u);
  EXPECT_GT(stats_->patterns, 0u);
  EXPECT_GT(linker.parameters().em_iterations, 0);
  // λ is a probability of a match, well below one half for these people.
  EXPECT_GT(linker.parameters().lambda, 0);
  EXPECT_LT(linker.parameters().lambda, 0.5);

  Blocker::Stats stats;
  std::vector<ScoredPair> pairs =
      linker.Score(linker.settings().review_threshold, &stats);
  EXPECT_EQ(stats.pairs, stats_->blocking.pairs);
  for (size_t i = 1; i < pairs.size(); ++i)
    ASSERT_LT(std::tie(pairs[i - 1].a, pairs[i - 1].b), std::tie(pairs[i].a, pairs[i].b));
  std::vector<Pair> links;
  for (const ScoredPair& p : pairs) {
    EXPECT_GE(Probability(p.weight), linker.settings().review_threshold - 1e-6);
    if (Probability(p.weight) >= linker.settings().link_threshold)
      links.emplace_back(p.a, p.b);
  }
  std::vector<uint32_t> clusters = linker.Cluster(pairs, {});
  ASSERT_EQ(clusters.size(), truth.size());

  Scores linked = PairwiseScores(links, truth, linker.records().source, false);
  Scores pairwise = ClusterPairScores(clusters, truth);
  Scores bcubed = BCubedScores(clusters, truth);
  std::printf(
      "links: P %.3f R %.3f F1 %.3f; clusters: pairwise F1 %.3f, B-cubed F1 %.3f\n",
      linked.precision, linked.recall, linked.f1, pairwise.f1, bcubed.f1);
  EXPECT_GE(linked.f1, 0.95);
  EXPECT_GE(pairwise.f1, 0.95);
  EXPECT_GE(bcubed.f1, 0.95);
}

TEST_F(LinkerTest, ScoreAndClusterRepeat) {
  std::vector<ScoredPair> one = linker_->Score(0.5), two = linker_->Score(0.5);
  ASSERT_EQ(one.size(), two.size());
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].a, two[i].a);
    EXPECT_EQ(one[i].b, two[i].b);
    EXPECT_EQ(one[i].weight, two[i].weight);
  }
  EXPECT_EQ(linker_->Cluster(one, {}), linker_->Cluster(two, {}));
}

void ExpectConsistent(const Linker& linker, uint32_t a, uint32_t b) {
  PairExplanation e = linker.Explain(a, b);
  const Records& r = linker.records();
  EXPECT_EQ(e.id_l, r.ids[a]);
  EXPECT_EQ(e.id_r, r.ids[b]);
  EXPECT_DOUBLE_EQ(e.prior_weight, linker.parameters().prior_weight());
  ASSERT_EQ(e.levels.size(), linker.comparisons().size());
  uint8_t gated[32];
  CompareAll(linker.comparisons(), a, b, gated);
  double sum = e.prior_weight;
  for (size_t k = 0; k < e.levels.size(); ++k) {
    const LevelExplanation& l = e.levels[k];
    const Comparison& c = *linker.comparisons()[k];
    EXPECT_EQ(l.comparison, c.name());
    EXPECT_EQ(l.level, gated[k]);
    if (l.level == 0 && c.Compare(a, b) != 0) {  // a closed gate
      EXPECT_EQ(l.level_label.rfind("not counted: ", 0), 0u) << l.level_label;
    } else {
      EXPECT_EQ(l.level_label, c.label(l.level));
    }
    int column = r.Find(c.column());
    ASSERT_GE(column, 0);
    EXPECT_EQ(l.value_l, r.columns[static_cast<size_t>(column)][a]);
    EXPECT_EQ(l.value_r, r.columns[static_cast<size_t>(column)][b]);
    size_t level = static_cast<size_t>(l.level);
    EXPECT_EQ(l.m, linker.parameters().m[k][level]);
    EXPECT_EQ(l.u, linker.parameters().u[k][level]);
    EXPECT_EQ(l.weight, linker.parameters().weight[k][level]);
    if (l.level == 0) {
      EXPECT_EQ(l.weight, 0);
    }
    if (l.level != c.tf_level()) {
      EXPECT_EQ(l.tf_adjustment, 0);
    }
    sum += l.weight + l.tf_adjustment;
  }
  EXPECT_NEAR(e.weight, sum, 1e-9);
  EXPECT_DOUBLE_EQ(e.probability, Probability(e.weight));
  EXPECT_NEAR(e.probability, linker.PairProbability(a, b), 1e-12);
}

TEST_F(LinkerTest, ExplanationsAddUp) {
  const Linker& linker = *linker_;
  std::vector<ScoredPair> pairs = linker.Score(0.01);
  ASSERT_GT(pairs.size(), 50u);
  bool saw_tf = false;
  for (const ScoredPair& p : pairs) {
    ExpectConsistent(linker, p.a, p.b);
    PairExplanation e = linker.Explain(p.a, p.b);
    EXPECT_NEAR(e.weight, p.weight, 1e-3 * std::max(1.0, std::abs(e.weight)));
    for (const LevelExplanation& l : e.levels) saw_tf = saw_tf || l.tf_adjustment != 0;
  }
  EXPECT_TRUE(saw_tf);  // the name's term frequency took part somewhere
  // Pairs that no rule proposes are explained the same way.
  std::mt19937 rng(5);
  uint32_t n = static_cast<uint32_t>(linker.records().size());
  for (int i = 0; i < 200; ++i) ExpectConsistent(linker, rng() % n, rng() % n);
}

// A comparison gated on the name (only_with) is null in scoring, training and
// explanations alike when the names differ, and says so in its explanation.
TEST(LinkerGateTest, AGatedComparisonCountsOnlyWithTheName) {
  Fixture f = MakeFixture();
  std::string settings(kSettings);
  settings.replace(settings.find(R"({"column": "phone", "kind": "phone"})"),
                   std::string_view(R"({"column": "phone", "kind": "phone"})").size(),
                   R"({"column": "phone", "kind": "phone", "only_with":
                       {"comparison": "name", "level": "similarity>=0.92"}})");
  Linker linker(ParseOrDie(settings, kColumns), f.data.records, 2);
  linker.Train();
  std::mt19937 rng(11);
  uint32_t n = static_cast<uint32_t>(linker.records().size());
  int closed = 0;
  for (int i = 0; i < 3000; ++i) {
    uint32_t a = rng() % n, b = rng() % n;
    ExpectConsistent(linker, a, b);
    PairExplanation e = linker.Explain(a, b);
    const LevelExplanation& phone = e.levels[3];
    if (phone.level_label == "not counted: name below similarity>=0.92") {
      ++closed;
      EXPECT_EQ(phone.weight, 0);
      EXPECT_NE(linker.comparisons()[3]->Compare(a, b), 0);
      EXPECT_GT(e.levels[0].level, 3);  // the name agrees less than similarity>=0.92
    }
  }
  EXPECT_GT(closed, 10);
  // u was measured with the gate: the phone's levels were counted only among random
  // pairs with similar names, so it is not the ungated share.
  Linker ungated(ParseOrDie(kSettings, kColumns), f.data.records, 2);
  ungated.Train();
  EXPECT_NE(linker.parameters().u[3][1], ungated.parameters().u[3][1]);
}

TEST_F(LinkerTest, GoldenExplanation) {
  const Linker& linker = *linker_;
  PairExplanation e = linker.Explain(fixture_->golden_a, fixture_->golden_b);
  EXPECT_EQ(e.id_l, "golden-a");
  EXPECT_EQ(e.id_r, "golden-b");
  ASSERT_EQ(e.levels.size(), 4u);
  EXPECT_EQ(e.levels[0].comparison, "name");
  EXPECT_EQ(e.levels[0].level_label, "same parts, other order");
  EXPECT_EQ(e.levels[1].comparison, "birth date");
  EXPECT_EQ(e.levels[1].level_label, "else");
  EXPECT_EQ(e.levels[1].value_l, "1971-08-17");
  EXPECT_EQ(e.levels[1].value_r, "29/02/1980");
  EXPECT_EQ(e.levels[2].comparison, "nik");
  EXPECT_EQ(e.levels[2].level_label, "exact");
  EXPECT_EQ(e.levels[3].comparison, "phone");
  EXPECT_EQ(e.levels[3].level_label, "null");

  EXPECT_GT(e.levels[0].weight, 0);  // names that agree count for the pair
  EXPECT_LT(e.levels[1].weight, 0);  // birth dates that disagree against it
  EXPECT_GT(e.levels[2].weight, 0);  // the same NIK for it
  EXPECT_GT(e.levels[2].m, e.levels[2].u);
  EXPECT_EQ(e.levels[3].weight, 0);  // a missing phone says nothing
  EXPECT_EQ(e.levels[0].tf_adjustment, 0);
  EXPECT_LT(e.prior_weight, 0);
  ExpectConsistent(linker, fixture_->golden_a, fixture_->golden_b);

  // Swapping the two records changes the sides, not the verdict.
  PairExplanation back = linker.Explain(fixture_->golden_b, fixture_->golden_a);
  EXPECT_EQ(back.id_l, "golden-b");
  EXPECT_EQ(back.levels[1].value_l, "29/02/1980");
  EXPECT_NEAR(back.weight, e.weight, 1e-9);
}

TEST_F(LinkerTest, ExplanationJsonHasTheDocumentedKeys) {
  PairExplanation e = linker_->Explain(fixture_->golden_a, fixture_->golden_b);
  nlohmann::json j = nlohmann::json::parse(ExplanationJson(e), nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  ASSERT_TRUE(j.is_object());
  for (const char* key :
       {"id_l", "id_r", "prior_weight", "weight", "probability", "comparisons"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["id_l"], "golden-a");
  EXPECT_EQ(j["id_r"], "golden-b");
  EXPECT_DOUBLE_EQ(j["prior_weight"].get<double>(), e.prior_weight);
  EXPECT_DOUBLE_EQ(j["weight"].get<double>(), e.weight);
  EXPECT_DOUBLE_EQ(j["probability"].get<double>(), e.probability);
  ASSERT_TRUE(j["comparisons"].is_array());
  ASSERT_EQ(j["comparisons"].size(), e.levels.size());
  for (size_t k = 0; k < e.levels.size(); ++k) {
    const nlohmann::json& c = j["comparisons"][k];
    for (const char* key : {"comparison", "value_l", "value_r", "level", "label", "m",
                            "u", "weight", "tf_adjustment"})
      EXPECT_TRUE(c.contains(key)) << k << " " << key;
    EXPECT_EQ(c["comparison"], e.levels[k].comparison);
    EXPECT_EQ(c["value_l"], e.levels[k].value_l);
    EXPECT_EQ(c["level"], e.levels[k].level);
    EXPECT_EQ(c["label"], e.levels[k].level_label);
    EXPECT_DOUBLE_EQ(c["weight"].get<double>(), e.levels[k].weight);
  }
}

TEST_F(LinkerTest, SetParametersReproducesTheTrainedModel) {
  Linker other(ParseOrDie(kSettings, kColumns), fixture_->data.records, 1);
  other.SetParameters(linker_->parameters());
  std::vector<ScoredPair> a = linker_->Score(0.5), b = other.Score(0.5);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].a, b[i].a);
    EXPECT_EQ(a[i].b, b[i].b);
    EXPECT_FLOAT_EQ(a[i].weight, b[i].weight);
  }
}

TEST(LinkerNikFillTest, FillsAMissingBirthDateFromTheNik) {
  const std::string nik = FormatNik("32.02.01", Date{1990, 3, 12}, Sex::kFemale, 7);
  Records r;
  r.names = kColumns;
  r.columns = {{"a", "b"},
               {"Siti Aminah", "Siti Aminah"},
               {"", "12/03/1990"},
               {nik, ""},
               {"", ""}};
  r.ids = {"a", "b"};
  r.source = {0, 0};
  std::string with_fill(kSettings);
  with_fill.insert(with_fill.rfind('}'),
                   R"(, "nik_fill": {"nik": "nik", "birth_date": "birth_date"})");

  Linker filled(ParseOrDie(with_fill, kColumns), r, 1);
  EXPECT_EQ(filled.records().columns[2][0], "1990-03-12");
  EXPECT_EQ(filled.records().columns[2][1], "12/03/1990");  // a given date is kept
  EXPECT_EQ(filled.Explain(0, 1).levels[1].level_label, "exact");

  Linker plain(ParseOrDie(kSettings, kColumns), r, 1);
  EXPECT_EQ(plain.records().columns[2][0], "");
  EXPECT_EQ(plain.Explain(0, 1).levels[1].level_label, "null");
}

TEST(LinkerFillTest, ARegionFromTheNikElseFromTheAddress) {
  const std::vector<std::string> columns = {"id", "name", "nik", "region", "address"};
  const std::string settings = R"json({
    "id_column": "id",
    "comparisons": [{"column": "name", "kind": "name"},
                    {"column": "region", "kind": "region"}],
    "blocking_rules": ["phonetic(name)"],
    "nik_fill": {"nik": "nik", "region": "region"},
    "address_fill": {"address": "address", "region": "region"}
  })json";
  const RegionIndex regions({
      {"32", "ID", "Jawa Barat", RegionLevel::kProvince},
      {"52", "ID", "Nusa Tenggara Barat", RegionLevel::kProvince},
      {"52.02", "52", "Kabupaten Lombok Tengah", RegionLevel::kRegency},
      {"52.71", "52", "Kota Mataram", RegionLevel::kRegency},
  });
  const std::string nik = FormatNik("32.02.01", Date{1990, 3, 12}, Sex::kFemale, 7);
  const std::string lombok = "Desa Batukliang, Kab. Lombok Tengah";
  Records r;
  r.names = columns;
  r.columns = {{"a", "b", "c", "d", "e", "f"},
               std::vector<std::string>(6, "Baiq Nurul"),
               {"", "", nik, "", "", ""},
               {"", "52.71", "", "", "52", "32"},
               {lombok, lombok, lombok, "Jl. Melati No. 8", lombok, lombok}};
  r.ids = {"a", "b", "c", "d", "e", "f"};
  r.source = std::vector<uint8_t>(6, 0);

  Linker filled(ParseOrDie(settings, columns), r, 1, &regions);
  const std::vector<std::string>& region = filled.records().columns[3];
  EXPECT_EQ(region[0], "52.02");     // from the address
  EXPECT_EQ(region[1], "52.71");     // a stated regency is kept
  EXPECT_EQ(region[2], "32.02.01");  // the NIK comes first
  EXPECT_EQ(region[3], "");          // the address names no regency
  EXPECT_EQ(region[4], "52.02");     // a province narrowed to its regency
  EXPECT_EQ(region[5], "32");        // but not contradicted
  EXPECT_EQ(filled.Explain(0, 1).levels[1].level_label, "same province");

  // Without the reference regions nothing is read from addresses.
  Linker plain(ParseOrDie(settings, columns), r, 1);
  EXPECT_EQ(plain.records().columns[3][0], "");
  EXPECT_EQ(plain.records().columns[3][2], "32.02.01");
  EXPECT_EQ(plain.records().columns[3][4], "52");
  EXPECT_EQ(plain.Explain(0, 1).levels[1].level_label, "null");
}

}  // namespace
}  // namespace gugus::linkage
