#include "linkage/comparison.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/nik.h"
#include "core/text.h"
#include "core/values.h"
#include "gtest/gtest.h"
#include "linkage/string_metrics.h"

namespace gugus::linkage {
namespace {

// A table of the given columns; ids "r0", "r1", ...; every record from input 0.
Records Table(std::vector<std::string> names,
              std::vector<std::vector<std::string>> columns) {
  Records r;
  r.names = std::move(names);
  r.columns = std::move(columns);
  size_t n = r.columns.empty() ? 0 : r.columns[0].size();
  for (size_t i = 0; i < n; ++i) r.ids.push_back("r" + std::to_string(i));
  r.source.assign(n, 0);
  return r;
}

std::unique_ptr<Comparison> Build(const ComparisonSettings& c, const Records& records,
                                  int threads = 1) {
  Settings s;
  s.comparisons = {c};
  std::vector<std::unique_ptr<Comparison>> built = BuildComparisons(s, records, threads);
  return std::move(built[0]);
}

ComparisonSettings Of(ComparisonKind kind, std::string column) {
  ComparisonSettings c;
  c.name = column;
  c.kind = kind;
  c.column = std::move(column);
  return c;
}

// The label of the level two records agree at, after checking that the comparison
// is symmetric.
std::string Level(const Comparison& c, uint32_t a, uint32_t b) {
  int level = c.Compare(a, b);
  EXPECT_EQ(level, c.Compare(b, a)) << a << " " << b;
  EXPECT_GE(level, 0);
  EXPECT_LT(level, c.level_count());
  return c.label(level);
}

StringLevel Exact() { return {StringLevel::kExact, 0}; }
StringLevel Dl(int max) { return {StringLevel::kDamerauLevenshtein, double(max)}; }
StringLevel Jw(double min) { return {StringLevel::kJaroWinkler, min}; }

// ---------------------------------------------------------------------------
// string

TEST(StringComparisonTest, LevelsOnHandPickedPairs) {
  Records r = Table({"village"}, {{
                                     "Sukamaju",   // 0
                                     "SUKAMAJU ",  // 1 exact after folding
                                     "sukamaja",   // 2 one substitution
                                     "sukamuja",   // 3 two edits, jw 0.975
                                     "dwayne",     // 4
                                     "duane",      // 5 jw 0.840 against 4
                                     "cibodas",    // 6 nothing alike
                                     "",           // 7 missing
                                     "   ",        // 8 missing too
                                 }});
  ComparisonSettings s = Of(ComparisonKind::kString, "village");
  s.levels = {Exact(), Dl(1), Jw(0.9), Jw(0.8)};
  std::unique_ptr<Comparison> c = Build(s, r);
  ASSERT_EQ(c->level_count(), 6);
  EXPECT_EQ(c->label(0), "null");
  EXPECT_EQ(c->label(1), "exact");
  EXPECT_EQ(c->label(2), "dl<=1");
  EXPECT_EQ(c->label(3), "jw>=0.9");
  EXPECT_EQ(c->label(4), "jw>=0.8");
  EXPECT_EQ(c->label(5), "else");

  EXPECT_EQ(Level(*c, 0, 1), "exact");
  EXPECT_EQ(Level(*c, 0, 2), "dl<=1");
  EXPECT_EQ(Level(*c, 0, 3), "jw>=0.9");
  EXPECT_EQ(Level(*c, 4, 5), "jw>=0.8");
  EXPECT_EQ(Level(*c, 0, 6), "else");
  EXPECT_EQ(Level(*c, 4, 6), "else");
  EXPECT_EQ(Level(*c, 0, 7), "null");
  EXPECT_EQ(Level(*c, 7, 8), "null");  // two missing values do not agree
  EXPECT_EQ(Level(*c, 6, 8), "null");
}

TEST(StringComparisonTest, EqualValuesTakeTheStrongestLevelWhateverItIs) {
  Records r = Table({"v"}, {{"abc", "ABC", "abd"}});
  ComparisonSettings s = Of(ComparisonKind::kString, "v");
  s.levels = {Jw(0.95)};
  std::unique_ptr<Comparison> c = Build(s, r);
  EXPECT_EQ(Level(*c, 0, 1), "jw>=0.95");
  EXPECT_EQ(Level(*c, 0, 2), "else");
}

// The level a direct computation gives, without any prefilter.
int DirectLevel(const std::vector<StringLevel>& levels, const std::string& x,
                const std::string& y) {
  if (x.empty() || y.empty()) return 0;
  if (x == y) return 1;
  for (size_t i = 0; i < levels.size(); ++i) {
    const StringLevel& l = levels[i];
    bool ok = false;
    switch (l.kind) {
      case StringLevel::kExact:
        ok = false;
        break;
      case StringLevel::kDamerauLevenshtein: {
        int max = static_cast<int>(l.value);
        ok = DamerauLevenshteinBounded(x, y, max) <= max;
        break;
      }
      case StringLevel::kJaroWinkler:
        ok = JaroWinkler(x, y) >= l.value;
        break;
    }
    if (ok) return static_cast<int>(i) + 1;
  }
  return static_cast<int>(levels.size()) + 1;
}

// The Jaro-Winkler upper bound only skips work: levels are those of the direct
// computation, whatever the order of the levels. The alphabet includes digits,
// which share CharMask bits with letters (p..y), to exercise collisions.
TEST(StringComparisonTest, JaroWinklerPrefilterNeverChangesALevel) {
  std::mt19937 rng(20240611);
  const std::string alphabet = "abcdeimnoprsu0123";
  std::uniform_int_distribution<size_t> letter(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(1, 8);
  std::vector<std::string> values;
  for (int i = 0; i < 400; ++i) {
    std::string v;
    for (int n = length(rng); n > 0; --n) v += alphabet[letter(rng)];
    values.push_back(v);
  }
  // Near variants, so that the stronger levels are reached too.
  for (int i = 0; i < 200; ++i) {
    std::string v = values[static_cast<size_t>(i)];
    v[letter(rng) % v.size()] = alphabet[letter(rng)];
    values.push_back(v);
  }
  Records r = Table({"v"}, {values});
  const std::vector<std::vector<StringLevel>> configs = {
      {Exact(), Dl(1), Jw(0.9), Jw(0.8)}, {Jw(0.85)}, {Exact(), Jw(0.7), Jw(0.95)},
      {Exact(), Jw(0.9), Dl(2)},  // an edit level after a similarity level
      {Dl(1), Jw(0.75), Dl(3)},
  };
  for (size_t k = 0; k < configs.size(); ++k) {
    ComparisonSettings s = Of(ComparisonKind::kString, "v");
    s.levels = configs[k];
    std::unique_ptr<Comparison> c = Build(s, r);
    int mismatches = 0;
    for (uint32_t a = 0; a < values.size(); ++a) {
      for (uint32_t b = 0; b < values.size(); ++b) {
        int want = DirectLevel(configs[k], values[a], values[b]);
        int got = c->Compare(a, b);
        if (got != want && ++mismatches <= 5)
          ADD_FAILURE() << "config " << k << ": '" << values[a] << "' vs '" << values[b]
                        << "': level " << c->label(got) << ", want " << c->label(want);
      }
    }
    EXPECT_EQ(mismatches, 0) << "config " << k;
  }
}

TEST(StringComparisonTest, TermFrequencyOnlyWithAnExactLevel) {
  Records r = Table({"v"}, {{"a", "b"}});
  ComparisonSettings s = Of(ComparisonKind::kString, "v");
  s.term_frequency = true;
  s.levels = {Dl(1), Exact()};
  EXPECT_EQ(Build(s, r)->tf_level(), 2);
  s.levels = {Jw(0.9)};
  EXPECT_EQ(Build(s, r)->tf_level(), -1);
  s.term_frequency = false;
  s.levels = {Exact()};
  EXPECT_EQ(Build(s, r)->tf_level(), -1);
}

TEST(StringComparisonTest, ValueIdsAndCounts) {
  Records r = Table({"v"}, {{"Jakarta", "Bandung", "JAKARTA", "", " jakarta", "Medan"}});
  ComparisonSettings s = Of(ComparisonKind::kString, "v");
  s.levels = {Exact()};
  s.term_frequency = true;
  std::unique_ptr<Comparison> c = Build(s, r);
  EXPECT_EQ(c->tf_level(), 1);
  EXPECT_EQ(c->distinct_values(), 3u);
  EXPECT_EQ(c->value_id(3), 0u);  // missing
  EXPECT_NE(c->value_id(0), 0u);
  EXPECT_EQ(c->value_id(0), c->value_id(2));
  EXPECT_EQ(c->value_id(0), c->value_id(4));
  EXPECT_NE(c->value_id(0), c->value_id(1));
  EXPECT_EQ(c->value_count(c->value_id(0)), 3u);
  EXPECT_EQ(c->value_count(c->value_id(1)), 1u);
  EXPECT_EQ(c->value_count(c->value_id(5)), 1u);
}

// Normalising in parallel (ParallelRanges splits from 4096 values) gives the same
// ids as normalising in one thread.
TEST(StringComparisonTest, ThreadsDoNotChangeIds) {
  std::vector<std::string> values;
  for (int i = 0; i < 10000; ++i) values.push_back("Desa " + std::to_string(i % 777));
  Records r = Table({"v"}, {values});
  ComparisonSettings s = Of(ComparisonKind::kString, "v");
  s.levels = {Exact()};
  std::unique_ptr<Comparison> one = Build(s, r, 1), four = Build(s, r, 4);
  ASSERT_EQ(one->distinct_values(), 777u);
  ASSERT_EQ(four->distinct_values(), 777u);
  for (uint32_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(one->value_id(i), four->value_id(i)) << i;
  }
  EXPECT_EQ(one->value_count(one->value_id(0)), 13u);  // 0, 777, ..., 9324
}

// ---------------------------------------------------------------------------
// name

TEST(NameComparisonTest, LevelsOnHandPickedPairs) {
  Records r = Table({"name"}, {{
                                  "SITI AMINAH",     // 0
                                  "Siti  Aminah",    // 1
                                  "Budi Santoso",    // 2
                                  "Santoso Budi",    // 3
                                  "Sumiati",         // 4
                                  "Sumiati Rahayu",  // 5 0.87 against 4
                                  "Aminah",          // 6 0.93 against 0
                                  "",                // 7
                                  "Dr.",             // 8 a title only: no name
                              }});
  std::unique_ptr<Comparison> c = Build(
      [] {
        ComparisonSettings s = Of(ComparisonKind::kName, "name");
        s.thresholds = {0.92, 0.80};
        return s;
      }(),
      r);
  ASSERT_EQ(c->level_count(), 6);
  EXPECT_EQ(c->label(2), "same parts, other order");
  EXPECT_EQ(c->label(3), "similarity>=0.92");
  EXPECT_EQ(c->label(4), "similarity>=0.8");

  EXPECT_EQ(Level(*c, 0, 1), "exact");
  EXPECT_EQ(Level(*c, 2, 3), "same parts, other order");
  EXPECT_EQ(Level(*c, 0, 6), "similarity>=0.92");
  EXPECT_EQ(Level(*c, 4, 5), "similarity>=0.8");
  EXPECT_EQ(Level(*c, 0, 2), "else");
  EXPECT_EQ(Level(*c, 0, 7), "null");
  EXPECT_EQ(Level(*c, 0, 8), "null");
  // Term frequencies count the name as written (after normalisation).
  EXPECT_EQ(c->value_count(c->value_id(0)), 2u);
  EXPECT_NE(c->value_id(2), c->value_id(3));
}

// ---------------------------------------------------------------------------
// date

TEST(DateComparisonTest, LevelsOnHandPickedPairs) {
  Records r =
      Table({"birth", "age", "at"},
            {
                {
                    "1990-05-01",  // 0
                    "01/05/1990",  // 1
                    "19900501",    // 2
                    "1990-05-03",  // 3
                    "1990-03-05",  // 4
                    "1991-05-01",  // 5
                    "1990-12-25",  // 6
                    "",            // 7 age 30 at 2020-06-01
                    "1975-08-17",  // 8
                    "",            // 9 nothing known
                    "31/02/1990",  // 10 impossible
                    "",            // 11 age 44 at 2020-06-01
                },
                {"", "", "", "", "", "", "", "30", "", "", "", "44"},
                {"", "", "", "", "", "", "", "2020-06-01", "", "", "", "01/06/2020"},
            });
  ComparisonSettings s = Of(ComparisonKind::kDate, "birth");
  s.age_column = "age";
  s.age_date_column = "at";
  std::unique_ptr<Comparison> c = Build(s, r);
  ASSERT_EQ(c->level_count(), 6);
  EXPECT_EQ(Level(*c, 0, 1), "exact");
  EXPECT_EQ(Level(*c, 0, 2), "exact");
  EXPECT_EQ(Level(*c, 1, 2), "exact");
  EXPECT_EQ(c->value_count(c->value_id(0)), 3u);
  EXPECT_EQ(Level(*c, 3, 4), "day and month swapped");
  EXPECT_EQ(Level(*c, 0, 5), "one digit differs");
  EXPECT_EQ(Level(*c, 0, 6), "same year or fits the age");
  // Age 30 on 2020-06-01: born between mid 1989 and mid 1990.
  EXPECT_EQ(Level(*c, 7, 0), "same year or fits the age");
  EXPECT_EQ(Level(*c, 7, 6), "same year or fits the age");
  EXPECT_EQ(Level(*c, 7, 8), "else");
  EXPECT_EQ(Level(*c, 11, 8), "same year or fits the age");  // 2020 - 44 - 1 = 1975
  EXPECT_EQ(Level(*c, 0, 8), "else");
  EXPECT_EQ(Level(*c, 0, 9), "null");
  EXPECT_EQ(Level(*c, 0, 10), "null");  // an impossible date is missing
  EXPECT_EQ(c->value_id(7), 0u);        // an age is no exact date
}

TEST(DateComparisonTest, WithoutAgeColumnsAMissingDateIsNull) {
  Records r =
      Table({"birth", "age", "at"}, {{"1990-05-01", ""}, {"", "30"}, {"", "2020-06-01"}});
  std::unique_ptr<Comparison> c = Build(Of(ComparisonKind::kDate, "birth"), r);
  EXPECT_EQ(Level(*c, 0, 1), "null");
}

TEST(ReadDateValueTest, ReadsDigitsAndParsedForms) {
  EXPECT_EQ(ReadDateValue("19900501"), (Date{1990, 5, 1}));
  EXPECT_EQ(ReadDateValue(" 1990-05-01 "), (Date{1990, 5, 1}));
  EXPECT_EQ(ReadDateValue("1 Mei 1990"), (Date{1990, 5, 1}));
  EXPECT_EQ(ReadDateValue("19900231"), std::nullopt);
  EXPECT_EQ(ReadDateValue(""), std::nullopt);
  EXPECT_EQ(ReadDateValue("kemarin"), std::nullopt);
}

// ---------------------------------------------------------------------------
// NIK

TEST(NikComparisonTest, LevelsOnHandPickedPairs) {
  const std::string a = FormatNik("32.02.01", Date{1990, 3, 12}, Sex::kMale, 1);
  const std::string a_serial = FormatNik("32.02.01", Date{1990, 3, 12}, Sex::kMale, 2);
  const std::string other = FormatNik("35.78.10", Date{1984, 11, 2}, Sex::kFemale, 37);
  ASSERT_EQ(a.size(), 16u);
  // The same number written with separators.
  const std::string a_dotted = a.substr(0, 6) + "." + a.substr(6, 6) + "." + a.substr(12);
  Records r =
      Table({"nik"}, {{a, a_dotted, a_serial, other, "12345", "", "3202011203900000"}});
  std::unique_ptr<Comparison> c = Build(Of(ComparisonKind::kNik, "nik"), r);
  ASSERT_EQ(c->level_count(), 4);
  EXPECT_EQ(Level(*c, 0, 1), "exact");
  EXPECT_EQ(Level(*c, 0, 2), "one digit or swap");
  EXPECT_EQ(Level(*c, 0, 3), "else");
  EXPECT_EQ(Level(*c, 0, 4), "null");  // malformed
  EXPECT_EQ(Level(*c, 0, 5), "null");
  EXPECT_EQ(Level(*c, 0, 6), "null");  // serial 0000 is not issued
}

TEST(NikComparisonTest, SwappedDigitsAreASlip) {
  const std::string a = FormatNik("32.02.01", Date{1990, 3, 12}, Sex::kMale, 12);
  std::string b = a;
  std::swap(b[14], b[15]);  // serial 0012 → 0021
  Records r = Table({"nik"}, {{a, b}});
  std::unique_ptr<Comparison> c = Build(Of(ComparisonKind::kNik, "nik"), r);
  EXPECT_EQ(Level(*c, 0, 1), "one digit or swap");
}

// ---------------------------------------------------------------------------
// phone

TEST(PhoneComparisonTest, LevelsOnHandPickedPairs) {
  Records r = Table({"phone"}, {{"0812-3456-7890", "+62 812 3456 7890", "6281234567890",
                                 "0812-3456-7891", "0857 1111 2222", "bukan nomor", ""}});
  std::unique_ptr<Comparison> c = Build(Of(ComparisonKind::kPhone, "phone"), r);
  EXPECT_EQ(Level(*c, 0, 1), "exact");
  EXPECT_EQ(Level(*c, 0, 2), "exact");
  EXPECT_EQ(Level(*c, 0, 3), "one digit or swap");
  EXPECT_EQ(Level(*c, 1, 3), "one digit or swap");
  EXPECT_EQ(Level(*c, 0, 4), "else");
  EXPECT_EQ(Level(*c, 0, 5), "null");
  EXPECT_EQ(Level(*c, 0, 6), "null");
}

// ---------------------------------------------------------------------------
// region

TEST(RegionComparisonTest, LevelsOnHandPickedPairs) {
  Records r =
      Table({"region"}, {{"32.02.05.2001", "32.02.05.2001", "32.02.05.2002", "32.02.01",
                          "32.71", "33.01", "32.02", "32.02.05", ""}});
  std::unique_ptr<Comparison> c = Build(Of(ComparisonKind::kRegion, "region"), r);
  EXPECT_EQ(Level(*c, 0, 1), "same region");
  EXPECT_EQ(Level(*c, 0, 2), "same district");
  EXPECT_EQ(Level(*c, 0, 3), "same regency");
  EXPECT_EQ(Level(*c, 0, 4), "same province");
  EXPECT_EQ(Level(*c, 0, 5), "else");
  EXPECT_EQ(Level(*c, 0, 8), "null");
}

// A code of a coarser level shares every segment it has with a code inside it:
// regency 32.02 and district 32.02.05 are in the same regency.
TEST(RegionComparisonTest, CoarserCodeSharesItsSegments) {
  Records r =
      Table({"region"}, {{"32.02", "32.02.05", "32.02.05.2001", "32", "32.02.01"}});
  std::unique_ptr<Comparison> c = Build(Of(ComparisonKind::kRegion, "region"), r);
  EXPECT_EQ(Level(*c, 0, 1), "same regency");
  EXPECT_EQ(Level(*c, 0, 2), "same regency");
  EXPECT_EQ(Level(*c, 1, 2), "same district");
  // A province-only code says less, it does not disagree.
  EXPECT_EQ(Level(*c, 3, 0), "same province, regency unknown");
  EXPECT_EQ(Level(*c, 3, 2), "same province, regency unknown");
  EXPECT_EQ(Level(*c, 0, 4), "same regency");
}

TEST(RegionComparisonTest, DifferentRegenciesOfOneProvinceDisagree) {
  Records r = Table({"region"}, {{"32.02", "32.71.01", "33.01"}});
  std::unique_ptr<Comparison> c = Build(Of(ComparisonKind::kRegion, "region"), r);
  EXPECT_EQ(Level(*c, 0, 1), "same province");
  EXPECT_EQ(Level(*c, 0, 2), "else");
}

// ---------------------------------------------------------------------------
// FoldValue

TEST(DaysComparisonTest, LevelsByHowManyDaysApart) {
  Records r = Table({"reported"}, {{"2024-01-10", "2024-01-10", "10/02/2024", "20241231",
                                    "2025-01-11", "", "not a date", "2024-02-29"}});
  ComparisonSettings s = Of(ComparisonKind::kDays, "reported");
  s.within_days = {0, 31, 366};
  std::unique_ptr<Comparison> c = Build(s, r);
  ASSERT_EQ(c->level_count(), 5);  // null, 3 bounds, else
  EXPECT_EQ(Level(*c, 0, 1), "within 0 days");
  EXPECT_EQ(Level(*c, 0, 2), "within 31 days");   // 31 days: on the bound
  EXPECT_EQ(Level(*c, 0, 7), "within 366 days");  // 50 days, leap day read
  EXPECT_EQ(Level(*c, 0, 3), "within 366 days");  // 356 days
  EXPECT_EQ(Level(*c, 3, 4), "within 31 days");   // across the new year
  EXPECT_EQ(Level(*c, 0, 4), "else");             // 367 days
  EXPECT_EQ(Level(*c, 0, 5), "null");
  EXPECT_EQ(Level(*c, 0, 6), "null");  // unreadable: missing, not a disagreement
  EXPECT_EQ(c->value_id(0), c->value_id(1));
  EXPECT_EQ(c->value_id(5), 0u);
}

TEST(AddressComparisonTest, LevelsOnHandPickedPairs) {
  Records r = Table(
      {"address"},
      {{"Dusun III RT 018/RW 004, Desa Sebangki, Kec. Seluas, Kab. Bengkayang",
        "DUSUN III RT 18/RW 4\nDesa Sebangki, Kecamatan Seluas, Kabupaten Bengkayang",
        "Dusun III, Desa Sebangki, Kec. Seluas, Kab. Bengkayang",
        "Dusun III RT 018/RW 005, Desa Sebangki, Kec. Seluas, Kab. Bengkayang",
        "Desa Sebangki", "", "Dusun III RT 018/RW 004, Desa Sebangki, Kec. Seluas"}});
  ComparisonSettings s = Of(ComparisonKind::kAddress, "address");
  s.term_frequency = true;
  std::unique_ptr<Comparison> c = Build(s, r);
  ASSERT_EQ(c->level_count(), 4);
  EXPECT_EQ(c->tf_level(), 1);
  // Case, punctuation, line breaks, leading zeros and Kec./Kecamatan do not matter.
  EXPECT_EQ(Level(*c, 0, 1), "exact");
  EXPECT_EQ(c->value_id(0), c->value_id(1));
  // The RT/RW left out, or the regency: the rest is all there.
  EXPECT_EQ(Level(*c, 0, 2), "parts left out");
  EXPECT_EQ(Level(*c, 0, 6), "parts left out");
  // Another RW is another neighbourhood.
  EXPECT_EQ(Level(*c, 0, 3), "else");
  // Too little left to say it is the same home.
  EXPECT_EQ(Level(*c, 0, 4), "else");
  EXPECT_EQ(Level(*c, 0, 5), "null");
  // Two threads normalise as one does.
  std::unique_ptr<Comparison> two = Build(s, r, 2);
  for (uint32_t a = 0; a < 7; ++a)
    for (uint32_t b = 0; b < 7; ++b) EXPECT_EQ(two->Compare(a, b), c->Compare(a, b));
}

TEST(FoldValueTest, AgreesWithFoldForMatch) {
  const std::vector<std::string> examples = {
      "",
      "Sukamaju",
      "  KABUPATEN   Sukabumi  ",
      "Kota\tBandung\r\n",
      "a\vb",
      "x\f y",
      "Jl. Merdeka No. 5",
      "José Ramos-Horta",
      "NOËLLA  Sitompul",
      "Ｓｉｔｉ",  // full width: NFKC
      "\xc2\xa0Siti\xc2\xa0\xc2\xa0"
      "Aminah",  // NBSP
  };
  for (const std::string& e : examples) EXPECT_EQ(FoldValue(e), FoldForMatch(e)) << e;
  EXPECT_EQ(FoldValue("  KABUPATEN   Sukabumi  "), "kabupaten sukabumi");
  EXPECT_EQ(FoldValue("José"), "jose");
}

TEST(FoldValueTest, AsciiPropertyAgreesWithFoldForMatch) {
  std::mt19937 rng(7);
  const std::string alphabet = "aZ .-\t\n\r\v\f09";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> length(0, 10);
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    for (int n = length(rng); n > 0; --n) s += alphabet[pick(rng)];
    ASSERT_EQ(FoldValue(s), FoldForMatch(s)) << "'" << s << "'";
  }
}

}  // namespace
}  // namespace gugus::linkage

namespace gugus::linkage {
namespace {

TEST(DateComparisonTest, WithoutAnAgeColumnTheYearLevelSaysOnlyYear) {
  // An incident date has no age to fit: a reviewer should not read about one.
  Records r = Table({"incident"}, {{"2022-04-18", "2022-04-21"}});
  std::unique_ptr<Comparison> c = Build(Of(ComparisonKind::kDate, "incident"), r);
  EXPECT_EQ(Level(*c, 0, 1), "same year");
}

// Every kind's labels are "null", LevelLabels() and "else": the settings check
// gates against LevelLabels, so it must name exactly the levels a comparison has.
TEST(ComparisonTest, LabelsAreLevelLabelsBetweenNullAndElse) {
  Records r = Table({"v"}, {{"a", "b"}});
  std::vector<ComparisonSettings> all;
  for (ComparisonKind kind :
       {ComparisonKind::kString, ComparisonKind::kName, ComparisonKind::kDate,
        ComparisonKind::kNik, ComparisonKind::kPhone, ComparisonKind::kRegion,
        ComparisonKind::kDays, ComparisonKind::kAddress}) {
    ComparisonSettings c = Of(kind, "v");
    c.levels = {Exact(), Jw(0.9)};
    c.thresholds = {0.9, 0.7};
    c.within_days = {7, 30};
    all.push_back(c);
  }
  for (const ComparisonSettings& c : all) {
    std::unique_ptr<Comparison> built = Build(c, r);
    std::vector<std::string> labels = {"null"};
    for (const std::string& l : LevelLabels(c)) labels.push_back(l);
    labels.push_back("else");
    std::vector<std::string> got;
    for (int l = 0; l < built->level_count(); ++l) got.push_back(built->label(l));
    EXPECT_EQ(got, labels) << static_cast<int>(c.kind);
  }
}

// A gated comparison (only_with) is null when its gate's comparison agrees less than
// the gate's level or not at all, and its own level otherwise.
TEST(CompareAllTest, GatedComparisonIsNullBelowTheGateLevel) {
  Records r = Table({"name", "address", "sex", "region"},
                    {{"Siti Aminah", "Siti Aminah", "Rina Wulandari", "Siti Aminah", ""},
                     {"Desa Sukamaju", "Desa Sukamaju", "Desa Sukamaju", "Desa Cibodas",
                      "Desa Sukamaju"},
                     {"P", "P", "P", "P", "P"},
                     {"32.01", "32.01", "32.01", "32.02", "32.01"}});
  absl::StatusOr<Settings> s = ParseSettings(R"json({
    "id_column": "name",
    "comparisons": [
      {"column": "name", "kind": "name", "thresholds": [0.8]},
      {"column": "address", "kind": "address",
       "only_with": {"comparison": "name", "level": "similarity>=0.8"}},
      {"column": "sex", "only_with": [{"comparison": "name", "level": "exact"},
                                      {"comparison": "region", "level": "exact"}]},
      {"column": "region"}
    ],
    "blocking_rules": ["sex"]})json",
                                             r.names);
  ASSERT_TRUE(s.ok()) << s.status();
  Comparisons cs = BuildComparisons(*s, r, 1);
  ASSERT_EQ(cs[1]->gates().size(), 1u);
  EXPECT_EQ(cs[1]->gates()[0].comparison, 0);
  EXPECT_EQ(cs[1]->gates()[0].level, 3);  // exact, same parts, similarity>=0.8
  ASSERT_EQ(cs[2]->gates().size(), 2u);
  EXPECT_TRUE(cs[3]->gates().empty());
  auto levels = [&](uint32_t a, uint32_t b) {
    uint8_t l[4];
    CompareAll(cs, a, b, l);
    return std::vector<int>{l[0], l[1], l[2], l[3]};
  };
  // Same name and region: the address and the sex count.
  EXPECT_EQ(levels(0, 1), (std::vector<int>{1, 1, 1, 1}));
  // Another name at the same address: a household, not a person. The address says
  // nothing, although by itself it agrees.
  EXPECT_EQ(cs[1]->Compare(0, 2), 1);
  EXPECT_EQ(levels(0, 2), (std::vector<int>{4, 0, 0, 1}));
  // The same name in another region: the address counts (against), the sex does
  // not, since one of its two gates is closed.
  EXPECT_EQ(levels(0, 3), (std::vector<int>{1, 3, 0, 2}));
  // No name on one side: a null gate is a closed gate.
  EXPECT_EQ(levels(0, 4), (std::vector<int>{0, 0, 0, 1}));
}

}  // namespace
}  // namespace gugus::linkage
