// `gugus link`, `gugus review`, `gugus export links` and `gugus match` as a user
// runs them (SPEC section 7): output formats, exit codes, messages; and `match` on
// the FEBRL benchmark files against their known truth.
#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/strcat.h"
#include "domain/registry/link_service.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/reader.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunGugus;
using json = nlohmann::json;

using Rows = std::vector<std::vector<std::string>>;

// Parses CSV text (quoted fields and all); the header is the first row.
Rows ParseCsv(const std::string& text) {
  Rows rows;
  auto reader = ingest::OpenCsvFromString(text);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return rows;
  rows.push_back((*reader)->header());
  ingest::RawRow row;
  for (;;) {
    auto more = (*reader)->Next(row);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    rows.push_back(row.cells);
  }
  return rows;
}

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

// Exactly one line holding one JSON object.
json OneJsonObject(const std::string& out) {
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  json j = json::parse(out, nullptr, false);
  EXPECT_TRUE(j.is_object()) << out;
  return j;
}

class LinkCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::PreparedDatabase(dir_);
    // A synthetic data set: 400 invented persons in four agencies' files.
    auto demo = Gugus({"demo", "--persons", "400", "--agencies", "4", "--seed", "11",
                       "--out", dir_.File("demo")});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
  }
  testing::CommandResult Gugus(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return RunGugus(args);
  }
  json LinkJson() {
    auto r = Gugus({"link", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return OneJsonObject(r.out);
  }
  // (agency, record_id) → person id, from `gugus export links`.
  std::map<std::pair<std::string, std::string>, int64_t> ExportLinks() {
    auto r = Gugus({"export", "links", "--format", "csv"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Rows rows = ParseCsv(r.out);
    std::map<std::pair<std::string, std::string>, int64_t> out;
    for (size_t i = 1; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].size(), 3u);
      if (rows[i].size() != 3) continue;
      out[{rows[i][0], rows[i][1]}] = std::stoll(rows[i][2]);
    }
    return out;
  }
  json ReviewList() {
    auto r = Gugus({"review", "list", "--json", "--limit", "100000"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json j = json::parse(r.out, nullptr, false);
    EXPECT_TRUE(j.is_array()) << r.out;
    return j;
  }

  testing::TempDir dir_;
  std::string db_;
};

TEST_F(LinkCliTest, LinkJsonReportsTheRunAndExportLinksHasOneRowPerRecord) {
  auto records = Gugus({"export", "records", "--format", "csv"});
  ASSERT_EQ(records.exit_code, 0) << records.err;
  const int64_t n = static_cast<int64_t>(ParseCsv(records.out).size()) - 1;
  ASSERT_GT(n, 400);

  json run = LinkJson();
  EXPECT_EQ(run["kind"], "full");
  EXPECT_EQ(run["records"], n);
  EXPECT_EQ(run["new_records"], n);
  EXPECT_GT(run["candidate_pairs"].get<int64_t>(), 0);
  EXPECT_GT(run["persons"].get<int64_t>(), 0);
  EXPECT_LT(run["persons"].get<int64_t>(), n);
  EXPECT_TRUE(run["review_items"].is_number_integer()) << run.dump();

  auto links = Gugus({"export", "links", "--format", "csv"});
  ASSERT_EQ(links.exit_code, 0) << links.err;
  EXPECT_EQ(FirstLine(links.out), "agency,record_id,person_id");
  Rows rows = ParseCsv(links.out);
  EXPECT_EQ(static_cast<int64_t>(rows.size()) - 1, n);
  std::set<std::pair<std::string, std::string>> keys;
  std::set<std::string> persons;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 3u);
    EXPECT_TRUE(keys.insert({rows[i][0], rows[i][1]}).second) << "repeated record";
    EXPECT_EQ(rows[i][2].find_first_not_of("0123456789"), std::string::npos);
    persons.insert(rows[i][2]);
  }
  EXPECT_EQ(static_cast<int64_t>(persons.size()), run["persons"].get<int64_t>());

  // Nothing new: nothing changes.
  json again = LinkJson();
  EXPECT_EQ(again["kind"], "none");
  EXPECT_EQ(again["persons"], run["persons"]);
  EXPECT_EQ(Gugus({"export", "links", "--format", "csv"}).out, links.out);
  auto text = Gugus({"link"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_THAT(text.out, HasSubstr("nothing new to link"));
}

TEST_F(LinkCliTest, ReviewListJsonShowsEachPairWithItsExplanation) {
  json run = LinkJson();
  json items = ReviewList();
  ASSERT_FALSE(items.empty()) << "no pair waiting for review";
  EXPECT_EQ(static_cast<int64_t>(items.size()), run["review_items"].get<int64_t>());
  double previous = 0;
  int not_counted = 0;
  for (const json& i : items) {
    ASSERT_TRUE(i.contains("item"));
    EXPECT_GT(i["item"].get<int64_t>(), 0);
    double p = i["probability"].get<double>();
    EXPECT_GE(p, 0.1);  // the settings' review and link thresholds
    EXPECT_LT(p, 0.5);
    EXPECT_GE(std::abs(p - 0.5), previous - 1e-12);  // most uncertain first
    previous = std::abs(p - 0.5);
    for (const char* side : {"a", "b"}) {
      EXPECT_FALSE(i[side]["agency"].get<std::string>().empty());
      EXPECT_FALSE(i[side]["record_id"].get<std::string>().empty());
      EXPECT_GT(i[side]["person_id"].get<int64_t>(), 0);
    }
    ASSERT_TRUE(i["explanation"].is_object()) << i.dump();
    const json& comparisons = i["explanation"]["comparisons"];
    ASSERT_TRUE(comparisons.is_array());
    // One entry per comparison of the settings `gugus link` uses.
    EXPECT_EQ(comparisons.size(),
              json::parse(domain::DefaultLinkSettings())["comparisons"].size());
    EXPECT_TRUE(std::any_of(comparisons.begin(), comparisons.end(),
                            [](const json& c) { return c["comparison"] == "name"; }));
    // The explanation adds up to the pair's probability.
    EXPECT_NEAR(i["explanation"]["probability"].get<double>(), p, 0.005) << i.dump();
    // A case fact on both sides that the name did not let count says so, and
    // weighs nothing; a value missing on one side is plain "null".
    for (const json& c : comparisons) {
      std::string label = c["label"].get<std::string>();
      bool both = !c["value_l"].get<std::string>().empty() &&
                  !c["value_r"].get<std::string>().empty();
      if (label.starts_with("not counted: ")) {
        ++not_counted;
        EXPECT_TRUE(both) << c.dump();
        EXPECT_EQ(c["weight"].get<double>(), 0) << c.dump();
        EXPECT_TRUE(label == "not counted: name below similarity>=0.8" ||
                    label == "not counted: agency below exact")  // case_ref
            << c.dump();
      }
    }
  }
  EXPECT_GT(not_counted, 0) << "no gated comparison among the review items";
  auto limited = Gugus({"review", "list", "--json", "--limit", "1"});
  EXPECT_EQ(json::parse(limited.out).size(), 1u);
  auto text = Gugus({"review", "list"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_THAT(text.out, HasSubstr("item " + std::to_string(items[0]["item"].get<int>())));
}

TEST_F(LinkCliTest, ReviewDecideSameJoinsThePairIntoOnePerson) {
  json run = LinkJson();
  json item;
  for (const json& i : ReviewList())
    if (i["a"]["person_id"] != i["b"]["person_id"]) {
      item = i;
      break;
    }
  ASSERT_TRUE(item.is_object()) << "no pair across two persons to review";
  const std::string id = std::to_string(item["item"].get<int64_t>());

  auto decide = Gugus({"review", "decide", id, "same", "--by", "tester", "--json"});
  ASSERT_EQ(decide.exit_code, 0) << decide.err;
  json relinked = OneJsonObject(decide.out);
  EXPECT_EQ(relinked["persons"], run["persons"].get<int64_t>() - 1);

  auto links = ExportLinks();
  std::pair<std::string, std::string> a = {item["a"]["agency"], item["a"]["record_id"]};
  std::pair<std::string, std::string> b = {item["b"]["agency"], item["b"]["record_id"]};
  ASSERT_TRUE(links.contains(a) && links.contains(b));
  EXPECT_EQ(links[a], links[b]);
  std::set<int64_t> persons;
  for (const auto& [key, p] : links) persons.insert(p);
  EXPECT_EQ(static_cast<int64_t>(persons.size()), relinked["persons"].get<int64_t>());
  for (const json& i : ReviewList()) EXPECT_NE(i["item"], item["item"]);  // decided

  EXPECT_EQ(LinkJson()["kind"], "none");

  // Revised, in plain text this time.
  auto revise = Gugus({"review", "decide", id, "different", "--by", "tester"});
  ASSERT_EQ(revise.exit_code, 0) << revise.err;
  EXPECT_THAT(revise.out, HasSubstr("item " + id + ": recorded \"different\" by tester"));
  auto split = ExportLinks();
  EXPECT_NE(split[a], split[b]);
}

TEST_F(LinkCliTest, ReviewDecideErrorsAreOneLineOrUsage) {
  LinkJson();
  auto unknown = Gugus({"review", "decide", "999999", "same", "--by", "tester"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(std::count(unknown.err.begin(), unknown.err.end(), '\n'), 1) << unknown.err;
  EXPECT_THAT(unknown.err, HasSubstr("999999"));
  EXPECT_THAT(unknown.err, Not(HasSubstr("terminate")));
  EXPECT_TRUE(unknown.out.empty()) << unknown.out;

  auto maybe = Gugus({"review", "decide", "1", "maybe", "--by", "tester"});
  EXPECT_EQ(maybe.exit_code, 2) << maybe.err;
  EXPECT_THAT(maybe.err, HasSubstr("maybe"));
  EXPECT_EQ(Gugus({"review", "decide", "one", "same"}).exit_code, 2);
  EXPECT_EQ(Gugus({"review", "decide", "1"}).exit_code, 2);
  EXPECT_EQ(Gugus({"review"}).exit_code, 2);

  // Nothing was decided.
  EXPECT_EQ(LinkJson()["kind"], "none");
}

TEST(LinkCliEmptyTest, LinkOnAnEmptyDatabaseSaysToImportFirst) {
  testing::TempDir dir;
  std::string db = testing::PreparedDatabase(dir);
  auto r = RunGugus({"--db", db, "link", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("import"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(r.out.empty());
  auto links = RunGugus({"--db", db, "export", "links", "--format", "csv"});
  EXPECT_EQ(links.exit_code, 0) << links.err;
  EXPECT_EQ(links.out, "agency,record_id,person_id\n");
}

// --- gugus match ---

std::string Shared(const std::string& name) {
  return std::string(GUGUS_SOURCE_DIR) + "/../shared/data/linkage/" + name;
}
std::string Bench(const std::string& name) {
  return std::string(GUGUS_SOURCE_DIR) + "/bench/linkage/" + name;
}

// FEBRL ids: rec-N-org and rec-N-dup-k are the same entity N.
std::string FebrlEntity(const std::string& id) {
  size_t start = id.find('-') + 1;
  return id.substr(start, id.find('-', start) - start);
}

struct F1 {
  int64_t predicted = 0, correct = 0, truth = 0;
  double precision() const { return predicted ? double(correct) / double(predicted) : 0; }
  double recall() const { return truth ? double(correct) / double(truth) : 0; }
  double f1() const {
    double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

std::vector<std::string> FirstColumn(const std::string& path) {
  Rows rows = ParseCsv(testing::ReadFile(path));
  std::vector<std::string> out;
  for (size_t i = 1; i < rows.size(); ++i) out.push_back(rows[i].at(0));
  return out;
}

class MatchCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(Shared("febrl_dataset4a.csv")))
      GTEST_SKIP() << "../shared/data/linkage is absent";
  }
  testing::TempDir dir_;
};

TEST_F(MatchCliTest, Febrl4LinksTheTwoFilesWithF1AtLeast099) {
  std::string out = dir_.File("pairs.csv");
  auto r =
      RunGugus({"match", Shared("febrl_dataset4a.csv"), Shared("febrl_dataset4b.csv"),
                "--settings", Bench("febrl4.settings.json"), "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string text = testing::ReadFile(out);
  EXPECT_EQ(FirstLine(text), "id_l,id_r,probability");
  Rows rows = ParseCsv(text);

  std::map<std::string, int64_t> left, right;
  for (const std::string& id : FirstColumn(Shared("febrl_dataset4a.csv")))
    ++left[FebrlEntity(id)];
  for (const std::string& id : FirstColumn(Shared("febrl_dataset4b.csv")))
    ++right[FebrlEntity(id)];
  F1 s;
  for (const auto& [entity, n] : left) s.truth += n * right[entity];
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 3u);
    const std::string &l = rows[i][0], &rr = rows[i][1];
    EXPECT_TRUE(seen.insert({l, rr}).second) << "pair written twice: " << l << " " << rr;
    EXPECT_THAT(l, HasSubstr("-org")) << "id_l must come from the first file";
    double p = std::stod(rows[i][2]);
    EXPECT_GE(p, 0.5);  // the settings' link_threshold
    EXPECT_LE(p, 1.0);
    ++s.predicted;
    if (FebrlEntity(l) == FebrlEntity(rr)) ++s.correct;
  }
  std::printf(
      "[ measured ] FEBRL4: %lld pairs written, %lld true: precision %.4f "
      "recall %.4f F1 %.4f\n",
      static_cast<long long>(s.predicted), static_cast<long long>(s.truth), s.precision(),
      s.recall(), s.f1());
  EXPECT_EQ(s.truth, 5000);
  EXPECT_GE(s.f1(), 0.99);
}

TEST_F(MatchCliTest, Febrl3DedupeClustersWithPairwiseF1AtLeast097) {
  std::string out = dir_.File("pairs.csv"), clusters = dir_.File("clusters.csv");
  auto r = RunGugus({"match", Shared("febrl_dataset3.csv"), "--settings",
                     Bench("febrl3.settings.json"), "--out", out, "--clusters", clusters,
                     "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json summary = OneJsonObject(r.out);
  EXPECT_EQ(summary["records_a"], 5000);
  EXPECT_EQ(summary["records_b"], 0);
  EXPECT_EQ(FirstLine(testing::ReadFile(out)), "id_l,id_r,probability");
  Rows rows = ParseCsv(testing::ReadFile(clusters));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], (std::vector<std::string>{"id", "cluster"}));
  ASSERT_EQ(rows.size(), 5001u);  // one row per record

  std::map<std::string, std::map<std::string, int64_t>> by_cluster;  // → entity → n
  std::map<std::string, int64_t> by_entity;
  std::set<std::string> ids;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 2u);
    EXPECT_TRUE(ids.insert(rows[i][0]).second);
    ++by_cluster[rows[i][1]][FebrlEntity(rows[i][0])];
    ++by_entity[FebrlEntity(rows[i][0])];
  }
  EXPECT_EQ(static_cast<int64_t>(by_cluster.size()), summary["clusters"].get<int64_t>());
  F1 s;
  for (const auto& [cluster, entities] : by_cluster) {
    int64_t size = 0;
    for (const auto& [entity, n] : entities) {
      size += n;
      s.correct += n * (n - 1) / 2;
    }
    s.predicted += size * (size - 1) / 2;
  }
  for (const auto& [entity, n] : by_entity) s.truth += n * (n - 1) / 2;
  std::printf(
      "[ measured ] FEBRL3 clusters: %zu clusters, %lld pairs, %lld true: "
      "precision %.4f recall %.4f F1 %.4f\n",
      by_cluster.size(), static_cast<long long>(s.predicted),
      static_cast<long long>(s.truth), s.precision(), s.recall(), s.f1());
  EXPECT_GE(s.f1(), 0.97);
}

// Bad settings and inputs need no benchmark data: a small file of invented people.
class MatchErrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    input_ = dir_.File("people.csv");
    testing::WriteFile(input_,
                       "rec_id,given_name,surname\n"
                       "a1,siti,rahayu\n"
                       "a2,siti,rahaju\n"
                       "a3,budi,santoso\n");
    out_ = dir_.File("pairs.csv");
  }
  testing::CommandResult Match(const std::string& settings_text,
                               const std::string& input) {
    std::string settings = dir_.File("settings.json");
    testing::WriteFile(settings, settings_text);
    return RunGugus({"match", input, "--settings", settings, "--out", out_});
  }
  void ExpectNoOutput() {
    EXPECT_FALSE(fs::exists(out_));
    EXPECT_FALSE(fs::exists(out_ + ".part"));
  }
  static constexpr const char* kGood = R"({
    "id_column": "rec_id",
    "comparisons": [{"column": "given_name"}, {"column": "surname",
                     "levels": ["exact", "jw>=0.9"]}],
    "blocking_rules": ["given_name"]
  })";
  testing::TempDir dir_;
  std::string input_, out_;
};

TEST_F(MatchErrorTest, GoodSettingsWriteThePairs) {
  auto r = Match(kGood, input_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(FirstLine(testing::ReadFile(out_)), "id_l,id_r,probability");
  EXPECT_FALSE(fs::exists(out_ + ".part"));
}

TEST_F(MatchErrorTest, InvalidJsonSettingsExitOneAndWriteNothing) {
  auto r = Match("{\"id_column\": \"rec_id\", \"comparisons\": [", input_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("settings"));
  EXPECT_THAT(r.err, HasSubstr("JSON"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  ExpectNoOutput();
}

TEST_F(MatchErrorTest, UnknownColumnNamesTheSettingAndWritesNothing) {
  auto r = Match(R"({"id_column": "rec_id",
                    "comparisons": [{"column": "given_name"}, {"column": "nickname"}],
                    "blocking_rules": ["given_name"]})",
                 input_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("comparisons[1]"));
  EXPECT_THAT(r.err, HasSubstr("nickname"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  ExpectNoOutput();

  auto id = Match(R"({"id_column": "id", "comparisons": [{"column": "given_name"}],
                     "blocking_rules": ["given_name"]})",
                  input_);
  EXPECT_EQ(id.exit_code, 1);
  EXPECT_THAT(id.err, HasSubstr("id_column"));
  ExpectNoOutput();

  auto rule = Match(R"({"id_column": "rec_id", "comparisons": [{"column": "given_name"}],
                       "blocking_rules": ["postcode"]})",
                    input_);
  EXPECT_EQ(rule.exit_code, 1);
  EXPECT_THAT(rule.err, HasSubstr("blocking_rules[0]"));
  EXPECT_THAT(rule.err, HasSubstr("postcode"));
  ExpectNoOutput();
}

TEST_F(MatchErrorTest, AMissingInputOrSettingsFileExitsOne) {
  auto r = Match(kGood, dir_.File("absent.csv"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("absent.csv"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  ExpectNoOutput();

  auto second = RunGugus({"match", input_, dir_.File("absent-b.csv"), "--settings",
                          dir_.File("settings.json"), "--out", out_});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.err, HasSubstr("absent-b.csv"));
  ExpectNoOutput();

  auto settings =
      RunGugus({"match", input_, "--settings", dir_.File("none.json"), "--out", out_});
  EXPECT_EQ(settings.exit_code, 1);
  EXPECT_THAT(settings.err, HasSubstr("none.json"));
  ExpectNoOutput();

  EXPECT_EQ(RunGugus({"match", input_, "--out", out_}).exit_code, 2);  // no --settings
}

// With an address fill, a record without a region is placed by the regency or city
// its address names (Kota Kupang, 53.71), read against the installed idn-area-data.
TEST_F(MatchErrorTest, AnAddressFillPlacesARecordByItsAddress) {
  std::string input = dir_.File("addresses.csv");
  testing::WriteFile(input,
                     "rec_id,name,region,address\n"
                     "a1,siti rahayu,53.71,\n"
                     "a2,siti rahayu,,\"Jl. Cendana 4, Kec. Oebobo, Kota Kupang\"\n"
                     "a3,siti rahayu,32.02,\n"
                     "b1,budi santoso,53.71,\n"
                     "b2,budi santoso,32.02,\n");
  // Blocking on the region: a2 meets a1 and b1 only when its region is filled.
  auto candidates = [&](const std::string& fill) {
    auto r = Match(StrCat(R"({
      "id_column": "rec_id",
      "comparisons": [{"column": "name"}, {"column": "region", "kind": "region"}],
      "blocking_rules": ["region"])",
                          fill, "}"),
                   input);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out + r.err;
  };
  EXPECT_THAT(
      candidates(R"(, "address_fill": {"address": "address", "region": "region"})"),
      HasSubstr("5 records: 4 candidate pairs"));
  EXPECT_THAT(candidates(""), HasSubstr("5 records: 2 candidate pairs"));
}

TEST_F(MatchErrorTest, AFailedRunLeavesAnEarlierOutputUntouched) {
  testing::WriteFile(out_, "earlier\n");
  auto r = Match("not json", input_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(testing::ReadFile(out_), "earlier\n");
  EXPECT_FALSE(fs::exists(out_ + ".part"));
}

}  // namespace
}  // namespace gugus
