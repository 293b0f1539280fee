#include "linkage/settings.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gugus::linkage {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kColumns = {"id",     "name",    "birth_date", "age",
                                           "age_at", "nik",     "phone",      "region",
                                           "sex",    "village", "reported",   "address"};

// Every setting given, none left to its default.
constexpr std::string_view kFull = R"json({
  "link_type": "link",
  "id_column": "id",
  "comparisons": [
    {"name": "village name", "column": "village", "kind": "string",
     "levels": ["exact", "dl<=2", "jw>=0.88"], "term_frequency": true},
    {"column": "name", "kind": "name", "thresholds": [0.95, 0.85, 0.7]},
    {"column": "birth_date", "kind": "date", "age_column": "age",
     "age_date_column": "age_at"},
    {"column": "nik", "kind": "nik"},
    {"column": "phone", "kind": "phone"},
    {"column": "region", "kind": "region"},
    {"column": "reported", "kind": "days", "within": [7, 30, 365]},
    {"column": "address", "kind": "address", "term_frequency": true}
  ],
  "blocking_rules": ["nik", "prefix(name, 3) & year(birth_date)",
                     "phonetic(name)", "name_part(name)", "sorted_name(name)",
                     "digits(phone)", "name_part(name, 4) & address(address)",
                     "phonetic(name) & Window( reported , 184 )"],
  "link_threshold": 0.95,
  "review_threshold": 0.6,
  "cluster_guard": 0.4,
  "max_block_size": 500,
  "u_sample_pairs": 5000,
  "max_em_iterations": 40,
  "threads": 3,
  "nik_fill": {"nik": "nik", "birth_date": "birth_date", "sex": "sex",
               "region": "region"},
  "address_fill": {"address": "address", "region": "region"}
})json";

TEST(SettingsTest, ParsesEverySetting) {
  absl::StatusOr<Settings> parsed = ParseSettings(kFull, kColumns);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const Settings& s = *parsed;
  EXPECT_EQ(s.link_type, LinkType::kLink);
  EXPECT_EQ(s.id_columns, (std::vector<std::string>{"id"}));
  ASSERT_EQ(s.comparisons.size(), 8u);

  const ComparisonSettings& village = s.comparisons[0];
  EXPECT_EQ(village.name, "village name");
  EXPECT_EQ(village.column, "village");
  EXPECT_EQ(village.kind, ComparisonKind::kString);
  EXPECT_TRUE(village.term_frequency);
  ASSERT_EQ(village.levels.size(), 3u);
  EXPECT_EQ(village.levels[0].kind, StringLevel::kExact);
  EXPECT_EQ(village.levels[1].kind, StringLevel::kDamerauLevenshtein);
  EXPECT_EQ(village.levels[1].value, 2);
  EXPECT_EQ(village.levels[2].kind, StringLevel::kJaroWinkler);
  EXPECT_DOUBLE_EQ(village.levels[2].value, 0.88);

  const ComparisonSettings& name = s.comparisons[1];
  EXPECT_EQ(name.name, "name");  // defaults to the column
  EXPECT_EQ(name.kind, ComparisonKind::kName);
  EXPECT_FALSE(name.term_frequency);
  EXPECT_EQ(name.thresholds, (std::vector<double>{0.95, 0.85, 0.7}));

  const ComparisonSettings& birth = s.comparisons[2];
  EXPECT_EQ(birth.kind, ComparisonKind::kDate);
  EXPECT_EQ(birth.age_column, "age");
  EXPECT_EQ(birth.age_date_column, "age_at");
  EXPECT_EQ(s.comparisons[3].kind, ComparisonKind::kNik);
  EXPECT_EQ(s.comparisons[4].kind, ComparisonKind::kPhone);
  EXPECT_EQ(s.comparisons[5].kind, ComparisonKind::kRegion);
  EXPECT_EQ(s.comparisons[6].kind, ComparisonKind::kDays);
  EXPECT_EQ(s.comparisons[6].within_days, (std::vector<int>{7, 30, 365}));
  EXPECT_EQ(s.comparisons[7].kind, ComparisonKind::kAddress);
  EXPECT_TRUE(s.comparisons[7].term_frequency);

  ASSERT_EQ(s.blocking_rules.size(), 8u);
  EXPECT_EQ(s.blocking_rules[0].text, "nik");
  ASSERT_EQ(s.blocking_rules[0].terms.size(), 1u);
  EXPECT_EQ(s.blocking_rules[0].terms[0].function, BlockingTerm::kValue);
  EXPECT_EQ(s.blocking_rules[0].terms[0].column, "nik");
  const BlockingRule& two = s.blocking_rules[1];
  EXPECT_EQ(two.text, "prefix(name, 3) & year(birth_date)");
  ASSERT_EQ(two.terms.size(), 2u);
  EXPECT_EQ(two.terms[0].function, BlockingTerm::kPrefix);
  EXPECT_EQ(two.terms[0].column, "name");
  EXPECT_EQ(two.terms[0].length, 3);
  EXPECT_EQ(two.terms[1].function, BlockingTerm::kYear);
  EXPECT_EQ(two.terms[1].column, "birth_date");
  EXPECT_EQ(s.blocking_rules[2].terms[0].function, BlockingTerm::kPhonetic);
  EXPECT_EQ(s.blocking_rules[3].terms[0].function, BlockingTerm::kNamePart);
  EXPECT_EQ(s.blocking_rules[4].terms[0].function, BlockingTerm::kSortedName);
  EXPECT_EQ(s.blocking_rules[5].terms[0].function, BlockingTerm::kDigits);
  EXPECT_EQ(s.blocking_rules[5].terms[0].column, "phone");
  const BlockingRule& seven = s.blocking_rules[6];
  ASSERT_EQ(seven.terms.size(), 2u);
  EXPECT_EQ(seven.terms[0].function, BlockingTerm::kNamePart);
  EXPECT_EQ(seven.terms[0].length, 4);
  EXPECT_EQ(seven.terms[1].function, BlockingTerm::kAddress);
  EXPECT_EQ(seven.terms[1].column, "address");
  const BlockingRule& eight = s.blocking_rules[7];
  ASSERT_EQ(eight.terms.size(), 2u);
  EXPECT_EQ(eight.terms[1].function, BlockingTerm::kWindow);
  EXPECT_EQ(eight.terms[1].column, "reported");
  EXPECT_EQ(eight.terms[1].length, 184);

  EXPECT_DOUBLE_EQ(s.link_threshold, 0.95);
  EXPECT_DOUBLE_EQ(s.review_threshold, 0.6);
  EXPECT_DOUBLE_EQ(s.cluster_guard, 0.4);
  EXPECT_EQ(s.max_block_size, 500);
  EXPECT_EQ(s.u_sample_pairs, 5000);
  EXPECT_EQ(s.max_em_iterations, 40);
  EXPECT_EQ(s.threads, 3);
  EXPECT_EQ(s.nik_fill_column, "nik");
  EXPECT_EQ(s.nik_fill_birth_date, "birth_date");
  EXPECT_EQ(s.nik_fill_sex, "sex");
  EXPECT_EQ(s.nik_fill_region, "region");
  EXPECT_EQ(s.address_fill_column, "address");
  EXPECT_EQ(s.address_fill_region, "region");
}

TEST(SettingsTest, UsedColumnsListsEachReadColumnOnce) {
  absl::StatusOr<Settings> parsed = ParseSettings(kFull, kColumns);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  std::vector<std::string> used = UsedColumns(*parsed);
  std::sort(used.begin(), used.end());
  std::vector<std::string> want = kColumns;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(used, want);  // every column of kColumns takes part, none twice
}

TEST(SettingsTest, DefaultsForWhatIsLeftOut) {
  absl::StatusOr<Settings> parsed = ParseSettings(
      R"({"id_column": "id", "comparisons": [{"column": "name"}, {"column": "name",
          "kind": "name"}], "blocking_rules": ["name"]})",
      kColumns);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const Settings& s = *parsed;
  const Settings defaults;
  EXPECT_EQ(s.link_type, LinkType::kDedupe);
  // A comparison without a kind is a string comparison on exact agreement.
  EXPECT_EQ(s.comparisons[0].kind, ComparisonKind::kString);
  ASSERT_EQ(s.comparisons[0].levels.size(), 1u);
  EXPECT_EQ(s.comparisons[0].levels[0].kind, StringLevel::kExact);
  EXPECT_FALSE(s.comparisons[0].term_frequency);
  EXPECT_EQ(s.comparisons[1].thresholds, (std::vector<double>{0.92, 0.80}));
  EXPECT_TRUE(s.comparisons[1].age_column.empty());
  EXPECT_EQ(s.link_threshold, defaults.link_threshold);
  EXPECT_EQ(s.review_threshold, defaults.review_threshold);
  EXPECT_EQ(s.cluster_guard, defaults.cluster_guard);
  EXPECT_EQ(s.max_block_size, defaults.max_block_size);
  EXPECT_EQ(s.u_sample_pairs, defaults.u_sample_pairs);
  EXPECT_EQ(s.max_em_iterations, defaults.max_em_iterations);
  EXPECT_EQ(s.threads, 0);
  EXPECT_TRUE(s.nik_fill_column.empty());
}

TEST(SettingsTest, IdFromSeveralColumns) {
  absl::StatusOr<Settings> parsed = ParseSettings(
      R"({"id_column": ["sex", "id"], "comparisons": [{"column": "name"}],
          "blocking_rules": ["name"]})",
      kColumns);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->id_columns, (std::vector<std::string>{"sex", "id"}));
}

// Settings that differ from a valid base in one place, and the setting the error
// must name.
struct BadCase {
  const char* what;
  std::string json;
  const char* names;
};

std::string With(std::string_view comparisons, std::string_view rest = "",
                 std::string_view rules = R"(["name"])") {
  std::string out = R"({"id_column": "id", "comparisons": )";
  out += comparisons;
  out += R"(, "blocking_rules": )";
  out += rules;
  out += rest;
  out += "}";
  return out;
}

constexpr std::string_view kOneName = R"([{"column": "name", "kind": "name"}])";

TEST(SettingsTest, UsedColumnsIncludeWhatTheFillsRead) {
  absl::StatusOr<Settings> parsed =
      ParseSettings(With(kOneName,
                         R"(, "nik_fill": {"nik": "nik", "sex": "sex"},
               "address_fill": {"address": "address", "region": "region"})"),
                    kColumns);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(UsedColumns(*parsed),
            (std::vector<std::string>{"id", "name", "nik", "sex", "address", "region"}));
}

TEST(SettingsTest, RejectsEachMistakeNamingTheSetting) {
  const std::vector<BadCase> cases = {
      {"invalid JSON", R"({"id_column": "id",)", "not valid JSON"},
      {"not an object", R"(["id"])", "must be a JSON object"},
      {"unknown link_type",
       R"({"link_type": "merge", "id_column": "id", "comparisons": [{"column": "name"}],
          "blocking_rules": ["name"]})",
       "link_type"},
      {"missing id_column",
       R"({"comparisons": [{"column": "name"}], "blocking_rules": ["name"]})",
       "id_column"},
      {"unknown id_column",
       R"({"id_column": "nomor", "comparisons": [{"column": "name"}],
          "blocking_rules": ["name"]})",
       "id_column"},
      {"no comparisons", With("[]"), "comparisons"},
      {"comparisons not a list", With("{}"), "comparisons"},
      {"comparison on a missing column", With(R"([{"column": "nama"}])"),
       "comparisons[0]"},
      {"unknown kind", With(R"([{"column": "name", "kind": "fuzzy"}])"),
       "comparisons[0]"},
      {"jw above 1", With(R"([{"column": "name", "levels": ["exact", "jw>=1.5"]}])"),
       "comparisons[0]"},
      {"dl of 0", With(R"([{"column": "name", "levels": ["dl<=0"]}])"), "comparisons[0]"},
      {"dl of 4", With(R"([{"column": "name", "levels": ["dl<=4"]}])"), "comparisons[0]"},
      {"unknown level text", With(R"([{"column": "name", "levels": ["foo"]}])"),
       "comparisons[0]"},
      {"no levels", With(R"([{"column": "name", "levels": []}])"), "comparisons[0]"},
      {"name thresholds ascending",
       With(R"([{"column": "name"}, {"column": "name", "kind": "name",
                 "thresholds": [0.8, 0.9]}])"),
       "comparisons[1]"},
      {"name threshold of 1",
       With(R"([{"column": "name", "kind": "name", "thresholds": [1.0]}])"),
       "comparisons[0]"},
      {"age_column without age_date_column",
       With(R"([{"column": "birth_date", "kind": "date", "age_column": "age"}])"),
       "comparisons[0]"},
      {"age_date_column on a missing column",
       With(R"([{"column": "birth_date", "kind": "date", "age_column": "age",
                 "age_date_column": "tanggal"}])"),
       "comparisons[0]"},
      {"days not ascending",
       With(R"([{"column": "birth_date", "kind": "days", "within": [30, 7]}])"),
       "comparisons[0]"},
      {"days repeated",
       With(R"([{"column": "birth_date", "kind": "days", "within": [7, 7]}])"),
       "comparisons[0]"},
      {"days negative",
       With(R"([{"column": "birth_date", "kind": "days", "within": [-1, 7]}])"),
       "comparisons[0]"},
      {"days empty", With(R"([{"column": "birth_date", "kind": "days", "within": []}])"),
       "comparisons[0]"},
      {"days not numbers",
       With(R"([{"column": "birth_date", "kind": "days", "within": ["a week"]}])"),
       "within"},
      {"no blocking rules", With(kOneName, "", "[]"), "blocking_rules"},
      {"blocking rule on a missing column", With(kOneName, "", R"(["name", "nama"])"),
       "blocking_rules[1]"},
      {"blocking term on a missing column",
       With(kOneName, "", R"j(["name & year(tanggal)"])j"), "blocking_rules[0]"},
      {"unknown blocking function", With(kOneName, "", R"j(["soundex(name)"])j"),
       "blocking_rules[0]"},
      {"prefix without length", With(kOneName, "", R"j(["prefix(name)"])j"),
       "blocking_rules[0]"},
      {"prefix of length 0", With(kOneName, "", R"j(["prefix(name, 0)"])j"),
       "blocking_rules[0]"},
      {"unclosed function", With(kOneName, "", R"(["prefix(name, 3"])"),
       "blocking_rules[0]"},
      {"window without days", With(kOneName, "", R"j(["window(reported)"])j"),
       "'window(reported)': window(column, DAYS), e.g. window(reported, 184)"},
      {"window of 1 day", With(kOneName, "", R"j(["window(reported, 1)"])j"),
       "'window(reported, 1)': the window must be 2 to 3660 days"},
      {"window of 10,000 days", With(kOneName, "", R"j(["window(reported, 10000)"])j"),
       "the window must be 2 to 3660 days"},
      {"window not in days", With(kOneName, "", R"j(["window(reported, 1y)"])j"),
       "the window must be 2 to 3660 days"},
      {"window on a missing column", With(kOneName, "", R"j(["window(lapor, 90)"])j"),
       "no column named 'lapor'"},
      {"prefix of 40 characters", With(kOneName, "", R"j(["prefix(name, 40)"])j"),
       "the length must be 1 to 32"},
      {"link_threshold 0", With(kOneName, R"(, "link_threshold": 0)"), "link_threshold"},
      {"link_threshold 1", With(kOneName, R"(, "link_threshold": 1)"), "link_threshold"},
      {"link_threshold of the wrong type",
       With(kOneName, R"(, "link_threshold": "high")"), "link_threshold"},
      {"review above link",
       With(kOneName, R"(, "link_threshold": 0.8, "review_threshold": 0.85)"),
       "review_threshold"},
      {"cluster_guard 1", With(kOneName, R"(, "cluster_guard": 1)"), "cluster_guard"},
      {"max_block_size 1", With(kOneName, R"(, "max_block_size": 1)"), "max_block_size"},
      {"u_sample_pairs too few", With(kOneName, R"(, "u_sample_pairs": 10)"),
       "u_sample_pairs"},
      {"max_em_iterations 0", With(kOneName, R"(, "max_em_iterations": 0)"),
       "max_em_iterations"},
      {"threads negative", With(kOneName, R"(, "threads": -1)"), "threads"},
      {"nik_fill with a missing nik column",
       With(kOneName, R"(, "nik_fill": {"nik": "no_ktp"})"), "nik_fill.nik"},
      {"nik_fill without a nik column",
       With(kOneName, R"(, "nik_fill": {"birth_date": "birth_date"})"), "nik_fill.nik"},
      {"nik_fill target missing",
       With(kOneName, R"(, "nik_fill": {"nik": "nik", "birth_date": "lahir"})"),
       "nik_fill"},
      {"too many blocking rules",
       With(kOneName, "",
            [] {
              std::string rules = R"(["name")";
              for (int i = 0; i < 32; ++i) rules += R"(, "name")";
              return rules + "]";
            }()),
       "blocking_rules: at most 32"},
      {"address_fill not an object", With(kOneName, R"(, "address_fill": "address")"),
       "address_fill: must be an object"},
      {"address_fill without a region",
       With(kOneName, R"(, "address_fill": {"address": "address"})"),
       "address_fill.region: a column is required"},
      {"address_fill from a missing column",
       With(kOneName, R"(, "address_fill": {"address": "alamat", "region": "region"})"),
       "address_fill.address: no column named 'alamat'"},
      {"only_with an unknown comparison", With(R"([{"column": "name", "kind": "name"},
                {"column": "address", "only_with": {"comparison": "nama",
                                                    "level": "exact"}}])"),
       "comparisons[1].only_with"},
      {"only_with itself",
       With(R"([{"column": "address", "only_with": {"comparison": "address",
                                                    "level": "exact"}}])"),
       "comparisons[0].only_with"},
      {"only_with a level the comparison lacks",
       With(R"([{"column": "name", "kind": "name", "thresholds": [0.9]},
                {"column": "address", "only_with": {"comparison": "name",
                                                    "level": "similarity>=0.8"}}])"),
       "exact, same parts, other order, similarity>=0.9"},
      {"only_with a gated comparison", With(R"([{"column": "sex"},
                {"column": "name", "kind": "name",
                 "only_with": {"comparison": "sex", "level": "exact"}},
                {"column": "address", "only_with": {"comparison": "name",
                                                    "level": "exact"}}])"),
       "itself counts only with another"},
      {"only_with without a level", With(R"([{"column": "sex"},
                {"column": "address", "only_with": {"comparison": "sex"}}])"),
       "comparisons[1]"},
      {"blocking rule object without a rule",
       With(kOneName, "", R"([{"max_block_size": 10}])"), "blocking_rules[0]"},
      {"blocking rule with max_block_size 1",
       With(kOneName, "", R"([{"rule": "name", "max_block_size": 1}])"),
       "blocking_rules[0]"},
      {"blocking rule with a bad term in an object",
       With(kOneName, "", R"j([{"rule": "soundex(name)"}])j"), "blocking_rules[0]"},
  };
  for (const BadCase& c : cases) {
    absl::StatusOr<Settings> parsed = ParseSettings(c.json, kColumns);
    ASSERT_FALSE(parsed.ok()) << c.what;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << c.what;
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.names)) << c.what;
  }
}

TEST(SettingsTest, ReadsGatesAndRuleObjects) {
  absl::StatusOr<Settings> parsed = ParseSettings(
      With(R"([{"column": "sex"},
               {"column": "name", "kind": "name", "thresholds": [0.9, 0.8]},
               {"column": "address", "only_with": {"comparison": "name",
                                                   "level": "similarity>=0.8"}},
               {"column": "village", "only_with": [
                 {"comparison": "sex", "level": "exact"},
                 {"comparison": "name", "level": "exact"}]}])",
           "", R"j(["name", {"rule": "sorted_name(name) & sex", "max_block_size": 50},
                   {"rule": "village"}])j"),
      kColumns);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const Settings& s = *parsed;
  EXPECT_TRUE(s.comparisons[0].only_with.empty());
  ASSERT_EQ(s.comparisons[2].only_with.size(), 1u);
  EXPECT_EQ(s.comparisons[2].only_with[0].comparison, "name");
  EXPECT_EQ(s.comparisons[2].only_with[0].level, "similarity>=0.8");
  ASSERT_EQ(s.comparisons[3].only_with.size(), 2u);
  EXPECT_EQ(s.comparisons[3].only_with[0].comparison, "sex");
  EXPECT_EQ(s.comparisons[3].only_with[1].level, "exact");
  ASSERT_EQ(s.blocking_rules.size(), 3u);
  EXPECT_EQ(s.blocking_rules[0].max_block_size, 0);
  EXPECT_EQ(s.blocking_rules[1].text, "sorted_name(name) & sex");
  EXPECT_EQ(s.blocking_rules[1].terms.size(), 2u);
  EXPECT_EQ(s.blocking_rules[1].max_block_size, 50);
  EXPECT_EQ(s.blocking_rules[2].max_block_size, 0);
}

TEST(SettingsTest, ErrorNamesTheMissingColumn) {
  absl::StatusOr<Settings> parsed =
      ParseSettings(With(kOneName, "", R"j(["year(tanggal_lahir)"])j"), kColumns);
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("tanggal_lahir"));
}

TEST(SettingsTest, LevelTextIsReadLeniently) {
  absl::StatusOr<Settings> parsed = ParseSettings(
      With(R"([{"column": "name", "levels": ["EXACT", "DL <= 1", " jw >= 0.9 "]}])"),
      kColumns);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const std::vector<StringLevel>& l = parsed->comparisons[0].levels;
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0].kind, StringLevel::kExact);
  EXPECT_EQ(l[1].kind, StringLevel::kDamerauLevenshtein);
  EXPECT_EQ(l[1].value, 1);
  EXPECT_EQ(l[2].kind, StringLevel::kJaroWinkler);
  EXPECT_DOUBLE_EQ(l[2].value, 0.9);
}

TEST(SettingsTest, LevelNameRoundTrips) {
  const std::vector<std::string> texts = {"exact",    "dl<=1",   "dl<=3",
                                          "jw>=0.92", "jw>=0.8", "jw>=0.55"};
  std::string levels = "[";
  for (size_t i = 0; i < texts.size(); ++i)
    levels += (i ? ", \"" : "\"") + texts[i] + "\"";
  levels += "]";
  absl::StatusOr<Settings> parsed =
      ParseSettings(With(R"([{"column": "name", "levels": )" + levels + "}]"), kColumns);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const std::vector<StringLevel>& got = parsed->comparisons[0].levels;
  ASSERT_EQ(got.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(LevelName(got[i]), texts[i]);
    // And the name parses back to the same level.
    absl::StatusOr<Settings> again = ParseSettings(
        With(R"([{"column": "name", "levels": [")" + LevelName(got[i]) + "\"]}]"),
        kColumns);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(again->comparisons[0].levels[0].kind, got[i].kind);
    EXPECT_EQ(again->comparisons[0].levels[0].value, got[i].value);
  }
}

}  // namespace
}  // namespace gugus::linkage
