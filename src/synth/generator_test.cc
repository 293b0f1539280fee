#include "synth/generator.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/country_index.h"
#include "core/date.h"
#include "core/nik.h"
#include "core/region_index.h"
#include "core/text.h"
#include "core/values.h"
#include "domain/agency.h"
#include "ingest/interchange.h"
#include "ingest/reader.h"
#include "ingest/reference_files.h"

namespace gugus::synth {
namespace {

namespace fs = std::filesystem;
using ingest::Field;

class SynthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto regions =
        ingest::LoadIdnAreaData(GUGUS_SOURCE_DIR "/node_modules/idn-area-data/data",
                                /*include_villages=*/false);
    ASSERT_TRUE(regions.ok()) << regions.status();
    regions_ = new RegionIndex(*std::move(regions));
    auto countries = ingest::LoadIsoCountries();
    ASSERT_TRUE(countries.ok()) << countries.status();
    countries_ = new CountryIndex(*std::move(countries));
  }
  static void TearDownTestSuite() {
    delete regions_;
    delete countries_;
    regions_ = nullptr;
    countries_ = nullptr;
  }

  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ("gugus_synth_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  GeneratorOptions Options(std::string sub, int agencies, int64_t persons, uint64_t seed,
                           double invalid_share = 0.01) {
    GeneratorOptions o;
    o.agencies = agencies;
    o.persons = persons;
    o.seed = seed;
    o.invalid_share = invalid_share;
    o.out_dir = (root_ / sub).string();
    return o;
  }

  static RegionIndex* regions_;
  static CountryIndex* countries_;
  fs::path root_;
};

RegionIndex* SynthTest::regions_ = nullptr;
CountryIndex* SynthTest::countries_ = nullptr;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Minimal comma-separated reader for the generator's own side files (UTF-8, no
// quotes in them except around names).
std::vector<std::vector<std::string>> ReadSimpleCsv(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          cell += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell += c;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    cells.push_back(cell);
    rows.push_back(std::move(cells));
  }
  return rows;
}

// Every row of a file, the reader's errors failing the test.
std::vector<ingest::RawRow> ReadRows(ingest::RowReader& reader) {
  std::vector<ingest::RawRow> rows;
  ingest::RawRow raw;
  while (true) {
    auto more = reader.Next(raw);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    rows.push_back(raw);
  }
  return rows;
}

struct Row {
  std::string agency;
  std::string person;
  ingest::Validation validation;
  std::vector<std::string> raw;
  ingest::ColumnMap columns;
};

struct Loaded {
  std::vector<Row> rows;
  std::map<std::string, ingest::FileInfo> info;             // by agency
  std::map<std::string, std::vector<std::string>> headers;  // by agency
  std::vector<std::vector<std::string>> agencies;           // agencies.csv, no header
};

// Reads every agency file with the importer's reader and validator, and pairs each
// row with its truth line (truth lines of one agency come in file order).
Loaded LoadAll(const std::string& dir, const RegionIndex& regions,
               const CountryIndex& countries) {
  Loaded out;
  auto agencies = ReadSimpleCsv(fs::path(dir) / "agencies.csv");
  EXPECT_FALSE(agencies.empty());
  out.agencies.assign(agencies.begin() + 1, agencies.end());
  auto truth = ReadSimpleCsv(fs::path(dir) / "truth.csv");
  std::map<std::string, std::vector<std::string>> truth_by_agency;
  for (size_t i = 1; i < truth.size(); ++i) {
    truth_by_agency[truth[i][0]].push_back(truth[i][2]);
  }
  for (const auto& a : out.agencies) {
    const std::string& code = a[0];
    auto reader = ingest::OpenTable((fs::path(dir) / a[4]).string());
    EXPECT_TRUE(reader.ok()) << a[4] << ": " << reader.status();
    if (!reader.ok()) continue;
    out.info[code] = (*reader)->info();
    out.headers[code] = (*reader)->header();
    auto columns = ingest::MapHeader((*reader)->header());
    EXPECT_TRUE(columns.ok()) << code << ": " << columns.status();
    if (!columns.ok()) continue;
    ingest::RowValidator validator(regions, countries, Date{2026, 6, 1});
    const std::vector<std::string>& keys = truth_by_agency[code];
    size_t n = 0;
    for (const ingest::RawRow& raw : ReadRows(**reader)) {
      Row row;
      row.agency = code;
      row.person = n < keys.size() ? keys[n] : "";
      row.validation = validator.Validate(raw, *columns);
      row.raw = raw.cells;
      row.columns = *columns;
      out.rows.push_back(std::move(row));
      ++n;
    }
    EXPECT_EQ(n, keys.size()) << code << ": data rows vs truth lines";
  }
  return out;
}

std::string Digits(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

TEST_F(SynthTest, SameSeedGivesIdenticalBytesAnotherSeedDiffers) {
  auto a = Generate(Options("a", 6, 1500, 42), *regions_);
  auto b = Generate(Options("b", 6, 1500, 42), *regions_);
  auto c = Generate(Options("c", 6, 1500, 43), *regions_);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(a->records, b->records);
  int files = 0;
  int differing = 0;
  for (const auto& entry : fs::directory_iterator(root_ / "a")) {
    std::string name = entry.path().filename().string();
    std::string bytes_a = ReadAll(entry.path());
    EXPECT_EQ(bytes_a, ReadAll(root_ / "b" / name)) << name;
    if (name != "agencies.csv" && bytes_a != ReadAll(root_ / "c" / name)) ++differing;
    ++files;
  }
  EXPECT_EQ(files, 6 + 3);  // agency files, agencies.csv, truth.csv, persons.csv
  EXPECT_EQ(differing, files - 1);
}

TEST_F(SynthTest, CountsTruthAndAgenciesPerPerson) {
  GeneratorOptions o = Options("out", 8, 3000, 7);
  int64_t last_done = -1;
  int calls = 0;
  auto summary = Generate(o, *regions_, [&](int64_t done, int64_t total) {
    EXPECT_EQ(total, 3000);
    EXPECT_GE(done, last_done);
    last_done = done;
    ++calls;
  });
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->agencies, 8);
  EXPECT_EQ(summary->persons, 3000);
  EXPECT_GT(calls, 0);
  EXPECT_EQ(last_done, 3000);

  auto truth = ReadSimpleCsv(fs::path(o.out_dir) / "truth.csv");
  ASSERT_FALSE(truth.empty());
  EXPECT_EQ(truth[0], (std::vector<std::string>{"agency", "record_id", "person_key"}));
  EXPECT_EQ(static_cast<int64_t>(truth.size()) - 1, summary->records);

  std::map<std::string, std::set<std::string>> agencies_of;
  for (size_t i = 1; i < truth.size(); ++i) agencies_of[truth[i][2]].insert(truth[i][0]);
  EXPECT_EQ(agencies_of.size(), 3000u);
  std::map<size_t, int> histogram;
  for (const auto& [person, set] : agencies_of) {
    EXPECT_GE(set.size(), 1u) << person;
    EXPECT_LE(set.size(), 4u) << person;
    ++histogram[set.size()];
  }
  // Roughly 55/28/12/5 (capped by what the case's agencies allow).
  EXPECT_GT(histogram[1], 1200);
  EXPECT_GT(histogram[2], 500);
  EXPECT_GT(histogram[3], 150);
  EXPECT_GT(histogram[4], 30);

  auto persons = ReadSimpleCsv(fs::path(o.out_dir) / "persons.csv");
  ASSERT_EQ(persons.size(), 3001u);
  EXPECT_EQ(persons[1][0], "P000001");
  EXPECT_EQ(persons[3000][0], "P003000");

  Loaded loaded = LoadAll(o.out_dir, *regions_, *countries_);
  EXPECT_EQ(static_cast<int64_t>(loaded.rows.size()), summary->records);
}

TEST_F(SynthTest, ImporterAcceptsEveryValidRowAndRejectsEachInvalidOne) {
  GeneratorOptions o = Options("out", 12, 4000, 11, /*invalid_share=*/0.05);
  auto summary = Generate(o, *regions_);
  ASSERT_TRUE(summary.ok()) << summary.status();
  Loaded loaded = LoadAll(o.out_dir, *regions_, *countries_);
  ASSERT_EQ(static_cast<int64_t>(loaded.rows.size()), summary->records);
  int64_t rejected = 0;
  std::map<std::string, int> reasons;
  std::map<std::string, int> warnings;
  for (const Row& row : loaded.rows) {
    if (!row.validation.accepted) {
      ++rejected;
      EXPECT_EQ(row.validation.reasons.size(), 1u) << "one reason per invalid row";
      for (const auto& r : row.validation.reasons) ++reasons[r.field + "/" + r.code];
    }
    for (const auto& w : row.validation.record.warnings)
      ++warnings[w.field + "/" + w.code];
  }
  EXPECT_EQ(rejected, summary->invalid_records);
  double share = static_cast<double>(summary->invalid_records) /
                 static_cast<double>(summary->records);
  EXPECT_GT(share, 0.035);
  EXPECT_LT(share, 0.065);
  // Every kind of invalid row occurs.
  for (const char* kind :
       {"name/missing", "report_date/unparseable", "report_date/impossible",
        "report_date/future", "birth_date/after_report", "age/invalid",
        "record_id/duplicate"}) {
    EXPECT_GT(reasons[kind], 0) << kind;
  }
  std::string summary_text;
  for (const auto& [k, v] : reasons) summary_text += k + "=" + std::to_string(v) + " ";
  std::string warning_text;
  for (const auto& [k, v] : warnings) warning_text += k + "=" + std::to_string(v) + " ";
  std::printf("rows %lld; rejected: %s\nwarnings: %s\n",
              static_cast<long long>(loaded.rows.size()), summary_text.c_str(),
              warning_text.c_str());
  // Warnings are realistic, not overwhelming.
  int64_t records = summary->records;
  EXPECT_LT(warnings["exploitation/unknown_term"], records / 50);
  EXPECT_LT(warnings["recruitment/unknown_term"], records / 50);
  EXPECT_LT(warnings["phone/unrecognised"], records / 50);
  EXPECT_LT(warnings["destination/unresolved"], records / 50);
  EXPECT_EQ(warnings["sex/unrecognised"], 0);
  EXPECT_EQ(warnings["nationality/unresolved"], 0);
}

TEST_F(SynthTest, NoInvalidRowsWhenShareIsZero) {
  GeneratorOptions o = Options("out", 5, 1500, 3, /*invalid_share=*/0);
  auto summary = Generate(o, *regions_);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->invalid_records, 0);
  Loaded loaded = LoadAll(o.out_dir, *regions_, *countries_);
  for (const Row& row : loaded.rows) {
    ASSERT_TRUE(row.validation.accepted)
        << row.agency << " " << row.person << ": " << row.validation.reasons[0].field
        << " " << row.validation.reasons[0].code << " "
        << row.validation.reasons[0].message;
  }
}

TEST_F(SynthTest, NiksAgreeWithBirthDateSexAndHomeRegency) {
  GeneratorOptions o = Options("out", 10, 3000, 5);
  auto summary = Generate(o, *regions_);
  ASSERT_TRUE(summary.ok()) << summary.status();

  // The canonical identity of every person.
  auto persons = ReadSimpleCsv(fs::path(o.out_dir) / "persons.csv");
  ASSERT_EQ(persons[0], (std::vector<std::string>{"person_key", "name", "sex",
                                                  "birth_date", "nik", "origin_region"}));
  std::unordered_map<std::string, std::vector<std::string>> canonical;
  for (size_t i = 1; i < persons.size(); ++i) {
    const auto& p = persons[i];
    ASSERT_EQ(p.size(), 6u);
    auto birth = ParseDate(p[3]);
    ASSERT_TRUE(birth.ok()) << p[3];
    auto nik = ParseNik(p[4], Date{2025, 12, 31});
    ASSERT_TRUE(nik.ok()) << p[0] << " " << p[4] << ": " << nik.status();
    EXPECT_EQ(nik->birth_date, *birth) << p[0];
    EXPECT_EQ(std::string(SexCode(nik->sex)), p[2]) << p[0];
    EXPECT_EQ(nik->regency_code, p[5]) << p[0];
    const Region* district = regions_->Find(nik->district_code);
    ASSERT_NE(district, nullptr) << nik->district_code;
    EXPECT_EQ(district->parent_code, p[5]);
    canonical[p[0]] = p;
  }

  // In the files: NIKs written without a slip are the person's; those with the
  // person's NIK agree with the row's sex and (mostly) its birth date.
  Loaded loaded = LoadAll(o.out_dir, *regions_, *countries_);
  int with_nik = 0, exact = 0, consistent = 0, checked = 0;
  for (const Row& row : loaded.rows) {
    int col = row.columns.column[static_cast<int>(Field::kNik)];
    if (col < 0 || row.raw[static_cast<size_t>(col)].empty()) continue;
    ++with_nik;
    std::string digits = Digits(row.raw[static_cast<size_t>(col)]);
    const auto& p = canonical[row.person];
    if (digits != p[4]) continue;
    ++exact;
    const ingest::ParsedRecord& rec = row.validation.record;
    if (!row.validation.accepted || rec[Field::kBirthDate].empty() ||
        rec[Field::kSex].empty()) {
      continue;
    }
    ++checked;
    auto nik = ParseNik(digits, Date{2025, 12, 31});
    ASSERT_TRUE(nik.ok());
    EXPECT_EQ(std::string(SexCode(nik->sex)), rec[Field::kSex]);
    if (FormatIsoDate(nik->birth_date) == rec[Field::kBirthDate]) ++consistent;
  }
  ASSERT_GT(with_nik, 500);
  // About 5% of written NIKs carry a slip, a few are travel papers of minors.
  EXPECT_GT(exact, with_nik * 85 / 100);
  EXPECT_LT(exact, with_nik * 99 / 100);
  // Birth dates are mistyped now and then (day/month swapped, year off by one).
  EXPECT_GT(consistent, checked * 90 / 100);
  EXPECT_LT(consistent, checked);
}

TEST_F(SynthTest, AgenciesCsvIsValid) {
  GeneratorOptions o = Options("out", 50, 300, 1);
  auto summary = Generate(o, *regions_);
  ASSERT_TRUE(summary.ok()) << summary.status();
  auto rows = ReadSimpleCsv(fs::path(o.out_dir) / "agencies.csv");
  ASSERT_EQ(rows.size(), 51u);
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"code", "name", "type", "region", "file"}));
  std::set<std::string> codes, files, seen_types;
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    ASSERT_EQ(r.size(), 5u);
    EXPECT_TRUE(codes.insert(r[0]).second) << r[0];
    EXPECT_FALSE(r[1].empty());
    EXPECT_TRUE(domain::IsAgencyType(r[2])) << r[2];
    seen_types.insert(r[2]);
    EXPECT_NE(regions_->Find(r[3]), nullptr) << r[3];
    EXPECT_TRUE(files.insert(r[4]).second);
    EXPECT_TRUE(fs::exists(fs::path(o.out_dir) / r[4])) << r[4];
  }
  EXPECT_GE(seen_types.size(), 10u);
  EXPECT_EQ(rows[1][0], "POLDA-NTT");
  EXPECT_EQ(rows[1][2], "police");
  EXPECT_EQ(rows[1][3], "53");
}

TEST_F(SynthTest, ChildrenAndWomenShares) {
  GeneratorOptions o = Options("out", 5, 5000, 9, /*invalid_share=*/0);
  ASSERT_TRUE(Generate(o, *regions_).ok());
  // Age at the first report of each person, from the canonical birth date.
  auto persons = ReadSimpleCsv(fs::path(o.out_dir) / "persons.csv");
  Loaded loaded = LoadAll(o.out_dir, *regions_, *countries_);
  std::unordered_map<std::string, std::string> first_report;
  for (const Row& row : loaded.rows) {
    first_report.emplace(row.person, row.validation.record[Field::kReportDate]);
  }
  int children = 0, women = 0;
  for (size_t i = 1; i < persons.size(); ++i) {
    auto birth = ParseDate(persons[i][3]);
    auto report = ParseDate(first_report[persons[i][0]]);
    ASSERT_TRUE(birth.ok() && report.ok());
    if (AgeInYears(*birth, *report) < 18) ++children;
    if (persons[i][2] == "P") ++women;
  }
  double n = static_cast<double>(persons.size() - 1);
  std::printf("children %.1f%%, women %.1f%%\n", 100 * children / n, 100 * women / n);
  EXPECT_GT(children / n, 0.18);
  EXPECT_LT(children / n, 0.32);
  EXPECT_GT(women / n, 0.55);
  EXPECT_LT(women / n, 0.85);
}

TEST_F(SynthTest, DialectsDifferBetweenAgencies) {
  GeneratorOptions o = Options("out", 12, 2000, 2);
  ASSERT_TRUE(Generate(o, *regions_).ok());
  Loaded loaded = LoadAll(o.out_dir, *regions_, *countries_);
  std::set<char> delimiters;
  std::set<std::string> encodings;
  std::set<std::vector<std::string>> headers;
  bool indonesian = false, english = false;
  for (const auto& [code, info] : loaded.info) {
    delimiters.insert(info.delimiter);
    encodings.insert(info.encoding);
    headers.insert(loaded.headers[code]);
    for (const std::string& h : loaded.headers[code]) {
      if (HeaderKey(h) == "tanggallaporan") indonesian = true;
      if (HeaderKey(h) == "reportdate") english = true;
    }
  }
  EXPECT_EQ(delimiters, (std::set<char>{',', ';', '\t'}));
  EXPECT_EQ(encodings, (std::set<std::string>{"utf-8", "utf-8-bom", "windows-1252"}));
  EXPECT_EQ(headers.size(), loaded.info.size()) << "every agency has its own header";
  EXPECT_TRUE(indonesian);
  EXPECT_TRUE(english);

  // Date formats: the first five agencies write report dates differently.
  std::set<std::string> shapes;
  for (const Row& row : loaded.rows) {
    int col = row.columns.column[static_cast<int>(Field::kReportDate)];
    std::string shape;
    for (char c : row.raw[static_cast<size_t>(col)]) {
      shape += (c >= '0' && c <= '9') ? '9' : (c >= 'A' && c <= 'z') ? 'a' : c;
    }
    shapes.insert(shape.substr(0, 4));
  }
  EXPECT_GE(shapes.size(), 5u);
}

// What makes linkage benchmarks meaningful: the same person is written differently
// by different agencies, but not beyond recognition.
TEST_F(SynthTest, TranscriptionsVaryButStayLinkable) {
  GeneratorOptions o = Options("out", 10, 4000, 21, /*invalid_share=*/0);
  ASSERT_TRUE(Generate(o, *regions_).ok());
  auto persons = ReadSimpleCsv(fs::path(o.out_dir) / "persons.csv");
  std::unordered_map<std::string, std::vector<std::string>> canonical;
  for (size_t i = 1; i < persons.size(); ++i) canonical[persons[i][0]] = persons[i];
  Loaded loaded = LoadAll(o.out_dir, *regions_, *countries_);

  int names = 0, same_name = 0, origin_rows = 0, origin_ok = 0, ambiguous = 0;
  std::set<std::string> distinct_names;
  for (const Row& row : loaded.rows) {
    const auto& p = canonical[row.person];
    std::string written = FoldForMatch(row.validation.record[Field::kName]);
    ++names;
    if (written == FoldForMatch(p[1])) ++same_name;
    distinct_names.insert(written);
    int col = row.columns.column[static_cast<int>(Field::kOriginRegion)];
    if (col >= 0 && !row.raw[static_cast<size_t>(col)].empty()) {
      ++origin_rows;
      const std::string& code = row.validation.record[Field::kOriginRegion];
      if (code == p[5] || code == p[5].substr(0, 2)) ++origin_ok;
      for (const auto& w : row.validation.record.warnings) {
        if (w.field == "origin_region" && w.code == "ambiguous") ++ambiguous;
      }
    }
  }
  double same = static_cast<double>(same_name) / names;
  std::printf(
      "names written exactly as registered: %.1f%%; origin resolved to the "
      "person's regency/province: %.1f%% (ambiguous %.1f%%)\n",
      100 * same, 100.0 * origin_ok / origin_rows, 100.0 * ambiguous / origin_rows);
  EXPECT_GT(same, 0.55);  // most are written as registered...
  EXPECT_LT(same, 0.90);  // ...but not all
  EXPECT_GT(static_cast<double>(origin_ok) / origin_rows, 0.80);
  EXPECT_GT(ambiguous, 0);  // "Kupang": regency or city
  EXPECT_GT(distinct_names.size(), 3000u);
}

TEST_F(SynthTest, RejectsBadOptions) {
  auto check = [&](GeneratorOptions o) {
    auto s = Generate(o, *regions_);
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << s.status();
  };
  GeneratorOptions o = Options("out", 5, 10, 1);
  o.agencies = 0;
  check(o);
  o.agencies = 51;
  check(o);
  o = Options("out", 5, 0, 1);
  check(o);
  o = Options("out", 5, 10'000'001, 1);
  check(o);
  o = Options("out", 5, 10, 1, 0.6);
  check(o);
  o = Options("out", 5, 10, 1, -0.1);
  check(o);
  o = Options("out", 5, 10, 1);
  o.legal_share = 1.5;
  check(o);
  o.out_dir.clear();
  o.invalid_share = 0.01;
  o.legal_share = 0.2;
  check(o);
  RegionIndex empty;
  auto s = Generate(Options("out", 5, 10, 1), empty);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SynthTest, ReportsAnOutputFolderThatCannotBeCreated) {
  fs::create_directories(root_);
  std::ofstream(root_ / "a_file") << "x";
  auto s = Generate(Options("a_file/sub", 3, 10, 1), *regions_);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SynthTest, SmallRegionIndexStillWorks) {
  // Only NTT with one regency and one district: every origin falls there.
  RegionIndex small(
      {Region{"53", "ID", "NUSA TENGGARA TIMUR", RegionLevel::kProvince},
       Region{"53.01", "53", "KABUPATEN KUPANG", RegionLevel::kRegency},
       Region{"53.01.05", "53.01", "Kupang Timur", RegionLevel::kDistrict}});
  GeneratorOptions o = Options("out", 3, 200, 1);
  o.legal = true;  // offices whose regency the index lacks sit in the province
  auto s = Generate(o, small);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_GT(s->legal_records, 0);
  for (const auto& a : ReadSimpleCsv(fs::path(o.out_dir) / "legal" / "agencies.csv")) {
    if (a[0] != "code") {
      EXPECT_NE(small.Find(a[3]), nullptr) << a[0] << " " << a[3];
    }
  }
  auto persons = ReadSimpleCsv(fs::path(o.out_dir) / "persons.csv");
  for (size_t i = 1; i < persons.size(); ++i) {
    EXPECT_EQ(persons[i][5], "53.01");
    EXPECT_EQ(persons[i][4].substr(0, 6), "530105");
  }
}

// --- Legal-progress files (SPEC section 8) ---

// The SPEC's stage codes and the English names it gives; what the files may write
// (folded as the importer folds them: case, spaces and punctuation ignored).
const std::map<std::string, std::string>& SpecStages() {
  static const auto* stages = [] {
    auto* m = new std::map<std::string, std::string>;
    for (const char* code : {"laporan",
                             "penyelidikan",
                             "penyidikan",
                             "tersangka",
                             "spdp",
                             "p19",
                             "p21",
                             "sp3",
                             "tahap2",
                             "dakwaan",
                             "pelimpahan",
                             "tuntutan",
                             "skpp",
                             "putusan_pn",
                             "banding",
                             "putusan_pt",
                             "kasasi",
                             "putusan_ma",
                             "inkracht",
                             "eksekusi",
                             "diversi",
                             "keadilan_restoratif",
                             "restitusi_dibayar"}) {
      (*m)[MatchKey(code)] = code;
    }
    const std::pair<const char*, const char*> english[] = {
        {"police report", "laporan"},
        {"suspect named", "tersangka"},
        {"file returned incomplete", "p19"},
        {"file complete", "p21"},
        {"investigation stopped", "sp3"},
        {"indictment", "dakwaan"},
        {"sent to court", "pelimpahan"},
        {"sentencing demand", "tuntutan"},
        {"prosecution stopped", "skpp"},
        {"first-instance verdict", "putusan_pn"},
        {"final", "inkracht"},
        {"restitution paid", "restitusi_dibayar"}};
    for (const auto& [name, code] : english) (*m)[MatchKey(name)] = code;
    return m;
  }();
  return *stages;
}

const std::set<std::string>& SpecRoles() {
  static const auto* roles = [] {
    auto* s = new std::set<std::string>;
    for (const char* r :
         {"recruiter", "perekrut", "transporter", "pengangkut", "harbourer", "penampung",
          "employer", "pemberi_kerja", "financier", "pemodal", "forger",
          "pemalsu_dokumen", "other", "lainnya"}) {
      s->insert(MatchKey(r));
    }
    return s;
  }();
  return *roles;
}

constexpr std::pair<const char*, const char*> kLegalKeys[] = {
    {"record_id", "id_rekaman"},
    {"case_ref", "nomor_kasus"},
    {"other_refs", "nomor_terkait"},
    {"event_date", "tanggal"},
    {"stage", "tahap"},
    {"suspect_name", "nama_tersangka"},
    {"suspect_nik", "nik_tersangka"},
    {"suspect_birth_date", "tanggal_lahir_tersangka"},
    {"suspect_sex", "jenis_kelamin_tersangka"},
    {"suspect_phone", "telepon_tersangka"},
    {"role", "peran"},
    {"company", "perusahaan"},
    {"bank_account", "rekening"},
    {"social_account", "akun_media_sosial"},
    {"articles", "pasal"},
    {"verdict", "putusan"},
    {"sentence_months", "pidana_bulan"},
    {"fine", "denda"},
    {"restitution", "restitusi"},
    {"victim_record_ids", "id_korban"},
    {"notes", "keterangan"}};

std::optional<int64_t> Rupiah(std::string text) {
  for (const char* tail : {",-", ",00"}) {
    std::string_view t(tail);
    if (text.size() > t.size() && text.substr(text.size() - t.size()) == t) {
      text.resize(text.size() - t.size());
    }
  }
  std::string digits = Digits(text);
  if (digits.empty()) return std::nullopt;
  return std::stoll(digits);
}

struct LegalRow {
  std::string agency;
  std::string case_key;
  std::string suspect_key;
  std::map<std::string, std::string> v;  // by English key
  std::vector<std::string> reasons;      // reject rules the row fails
  std::string stage;                     // the code, when known
  Date date;                             // when parseable
  std::string Get(const char* key) const {
    auto it = v.find(key);
    return it == v.end() ? "" : it->second;
  }
};

struct LegalLoaded {
  std::vector<LegalRow> rows;
  std::vector<std::vector<std::string>> agencies;  // legal/agencies.csv, no header
};

// Reads every legal file with the importer's reader, applies the SPEC's reject rules
// and pairs each row with its truth line.
LegalLoaded LoadLegal(const std::string& dir) {
  LegalLoaded out;
  fs::path legal = fs::path(dir) / "legal";
  auto agencies = ReadSimpleCsv(legal / "agencies.csv");
  EXPECT_FALSE(agencies.empty());
  EXPECT_EQ(agencies[0],
            (std::vector<std::string>{"code", "name", "type", "region", "file"}));
  out.agencies.assign(agencies.begin() + 1, agencies.end());
  auto truth = ReadSimpleCsv(legal / "truth.csv");
  EXPECT_EQ(truth[0],
            (std::vector<std::string>{"agency", "record_id", "case_key", "suspect_key"}));
  std::map<std::string, std::vector<std::vector<std::string>>> truth_by_agency;
  for (size_t i = 1; i < truth.size(); ++i)
    truth_by_agency[truth[i][0]].push_back(truth[i]);
  for (const auto& a : out.agencies) {
    auto reader = ingest::OpenTable((legal / a[4]).string());
    EXPECT_TRUE(reader.ok()) << a[4] << ": " << reader.status();
    if (!reader.ok()) continue;
    std::vector<int> key_of;  // header column → index into kLegalKeys
    for (const std::string& h : (*reader)->header()) {
      int found = -1;
      for (size_t k = 0; k < std::size(kLegalKeys); ++k) {
        if (HeaderKey(h) == HeaderKey(kLegalKeys[k].first) ||
            HeaderKey(h) == HeaderKey(kLegalKeys[k].second)) {
          found = static_cast<int>(k);
        }
      }
      EXPECT_GE(found, 0) << a[0] << ": unknown column " << h;
      key_of.push_back(found);
    }
    const auto& lines = truth_by_agency[a[0]];
    std::set<std::string> ids;
    size_t n = 0;
    for (const ingest::RawRow& raw : ReadRows(**reader)) {
      LegalRow row;
      row.agency = a[0];
      for (size_t k = 0; k < raw.cells.size() && k < key_of.size(); ++k) {
        if (key_of[k] >= 0) row.v[kLegalKeys[key_of[k]].first] = raw.cells[k];
      }
      EXPECT_LT(n, lines.size()) << a[0];
      if (n < lines.size()) {
        EXPECT_EQ(lines[n][1], row.Get("record_id")) << a[0] << " row " << n;
        row.case_key = lines[n][2];
        row.suspect_key = lines[n][3];
      }
      ++n;
      // The SPEC's reject rules.
      bool missing = false;
      for (const char* key : {"record_id", "case_ref", "event_date", "stage"}) {
        if (std::string(Trim(row.Get(key))).empty()) missing = true;
      }
      if (missing) row.reasons.push_back("missing");
      std::string stage = row.Get("stage");
      if (!std::string(Trim(stage)).empty()) {
        auto it = SpecStages().find(MatchKey(stage));
        if (it == SpecStages().end()) {
          row.reasons.push_back("unknown stage");
        } else {
          row.stage = it->second;
        }
      }
      std::string date = row.Get("event_date");
      if (!std::string(Trim(date)).empty()) {
        auto parsed = ParseDate(date);
        if (!parsed.ok()) {
          row.reasons.push_back("date");
        } else if (*parsed > Date{2026, 6, 1}) {
          row.reasons.push_back("future");
        } else {
          row.date = *parsed;
        }
      }
      if (!row.Get("record_id").empty() && !ids.insert(row.Get("record_id")).second) {
        row.reasons.push_back("duplicate id");
      }
      out.rows.push_back(std::move(row));
    }
    EXPECT_EQ(n, lines.size()) << a[0] << ": data rows vs truth lines";
  }
  return out;
}

// Half the cases a police agency could take up get a legal track (more than by
// default, for firmer statistics in small runs).
GeneratorOptions LegalOptions(GeneratorOptions o) {
  o.legal = true;
  o.legal_share = 0.5;
  return o;
}

TEST_F(SynthTest, LegalFilesDoNotChangeTheVictimFiles) {
  auto plain = Generate(Options("plain", 20, 3000, 8), *regions_);
  auto legal = Generate(LegalOptions(Options("legal", 20, 3000, 8)), *regions_);
  ASSERT_TRUE(plain.ok()) << plain.status();
  ASSERT_TRUE(legal.ok()) << legal.status();
  EXPECT_EQ(plain->records, legal->records);
  EXPECT_EQ(plain->legal_records, 0);
  EXPECT_GT(legal->legal_records, 0);
  int files = 0;
  for (const auto& entry : fs::directory_iterator(root_ / "plain")) {
    std::string name = entry.path().filename().string();
    EXPECT_EQ(ReadAll(entry.path()), ReadAll(root_ / "legal" / name)) << name;
    ++files;
  }
  EXPECT_EQ(files, 20 + 3);
  EXPECT_FALSE(fs::exists(root_ / "plain" / "legal"));
  EXPECT_TRUE(fs::is_directory(root_ / "legal" / "legal"));
}

TEST_F(SynthTest, LegalFilesAreDeterministic) {
  auto a = Generate(LegalOptions(Options("a", 20, 2000, 4)), *regions_);
  auto b = Generate(LegalOptions(Options("b", 20, 2000, 4)), *regions_);
  auto c = Generate(LegalOptions(Options("c", 20, 2000, 5)), *regions_);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->legal_records, b->legal_records);
  int files = 0;
  for (const auto& entry : fs::directory_iterator(root_ / "a" / "legal")) {
    std::string name = entry.path().filename().string();
    EXPECT_EQ(ReadAll(entry.path()), ReadAll(root_ / "b" / "legal" / name)) << name;
    ++files;
  }
  EXPECT_GE(files, 5 + 4);  // police, prosecutor and court files; the four side files
  EXPECT_NE(ReadAll(root_ / "a" / "legal" / "truth.csv"),
            ReadAll(root_ / "c" / "legal" / "truth.csv"));
}

TEST_F(SynthTest, LegalRowsAreWhatTheSpecListsAndTruthFilesAgree) {
  GeneratorOptions o = LegalOptions(Options("out", 20, 4000, 12, /*invalid_share=*/0.03));
  auto summary = Generate(o, *regions_);
  ASSERT_TRUE(summary.ok()) << summary.status();
  LegalLoaded loaded = LoadLegal(o.out_dir);
  ASSERT_EQ(static_cast<int64_t>(loaded.rows.size()), summary->legal_records);
  std::printf(
      "legal: %lld rows, %lld invalid, %lld cases, %lld agency cases, %lld "
      "suspects, %d agencies\n",
      static_cast<long long>(summary->legal_records),
      static_cast<long long>(summary->legal_invalid_records),
      static_cast<long long>(summary->legal_cases),
      static_cast<long long>(summary->legal_agency_cases),
      static_cast<long long>(summary->legal_suspects), summary->legal_agencies);

  // agencies.csv: law agencies; those also in the top-level list unchanged.
  std::map<std::string, std::vector<std::string>> top;
  for (const auto& r : ReadSimpleCsv(fs::path(o.out_dir) / "agencies.csv")) top[r[0]] = r;
  std::set<std::string> types;
  int reused = 0;
  for (const auto& a : loaded.agencies) {
    ASSERT_EQ(a.size(), 5u);
    EXPECT_TRUE(a[2] == "police" || a[2] == "prosecutor" || a[2] == "court") << a[2];
    types.insert(a[2]);
    EXPECT_NE(regions_->Find(a[3]), nullptr) << a[3];
    if (top.count(a[0])) {
      EXPECT_EQ(std::vector<std::string>(a.begin(), a.begin() + 4),
                std::vector<std::string>(top[a[0]].begin(), top[a[0]].begin() + 4));
      ++reused;
    }
  }
  EXPECT_EQ(types.size(), 3u);
  EXPECT_GT(reused, 2);
  EXPECT_EQ(static_cast<int>(loaded.agencies.size()), summary->legal_agencies);

  // Every accepted row: a SPEC stage, role and verdict; dates within 2019–2025.
  std::map<std::pair<std::string, std::string>, std::string> case_of;  // from rows
  int64_t invalid = 0;
  int with_suspect = 0, with_role = 0, with_nik = 0, nik_sex_agrees = 0, nik_sex = 0;
  for (const LegalRow& row : loaded.rows) {
    if (!row.reasons.empty()) {
      ++invalid;
      EXPECT_EQ(row.reasons.size(), 1u) << row.agency << " " << row.Get("record_id");
      continue;
    }
    EXPECT_FALSE(row.stage.empty());
    EXPECT_GE(row.date, (Date{2019, 1, 1}));
    EXPECT_LE(row.date, (Date{2025, 12, 31}));
    EXPECT_EQ(row.suspect_key.empty(), row.Get("suspect_name").empty())
        << row.agency << " " << row.Get("record_id");
    std::string role = row.Get("role");
    if (!role.empty()) {
      ++with_role;
      EXPECT_TRUE(SpecRoles().count(MatchKey(role))) << role;
    }
    std::string verdict = MatchKey(row.Get("verdict"));
    if (!verdict.empty()) {
      EXPECT_TRUE(verdict == "guilty" || verdict == "bersalah" ||
                  verdict == "acquitted" || verdict == "bebas")
          << verdict;
      EXPECT_EQ(row.stage.substr(0, 8), "putusan_");
    }
    for (const char* amount : {"fine", "restitution"}) {
      if (!row.Get(amount).empty()) {
        EXPECT_TRUE(Rupiah(row.Get(amount)).has_value()) << row.Get(amount);
      }
    }
    if (row.stage == "putusan_pn" && (verdict == "guilty" || verdict == "bersalah")) {
      int months = std::stoi(row.Get("sentence_months"));
      EXPECT_GE(months, 36);
      EXPECT_LE(months, 180);
      int64_t fine = *Rupiah(row.Get("fine"));
      EXPECT_GE(fine, 120'000'000);
      EXPECT_LE(fine, 600'000'000);
    }
    if (!row.suspect_key.empty()) {
      ++with_suspect;
      std::string nik = Digits(row.Get("suspect_nik"));
      auto sex = ParseSex(row.Get("suspect_sex"));
      if (nik.size() == 16) {
        ++with_nik;
        auto info = ParseNik(nik, Date{2025, 12, 31});
        if (info.ok() && sex.has_value()) {
          ++nik_sex;
          if (info->sex == *sex) ++nik_sex_agrees;
        }
      }
    }
    auto [it, fresh] =
        case_of.emplace(std::make_pair(row.agency, row.Get("case_ref")), row.case_key);
    EXPECT_EQ(it->second, row.case_key) << "an agency case belongs to one case";
  }
  EXPECT_EQ(invalid, summary->legal_invalid_records);
  EXPECT_GT(invalid, 0);
  EXPECT_GT(with_suspect, static_cast<int>(loaded.rows.size()) / 3);
  EXPECT_GT(with_role, with_suspect / 4);
  EXPECT_GT(with_nik, with_suspect / 5);
  EXPECT_GT(nik_sex_agrees, nik_sex * 9 / 10);

  // cases.csv: exactly the agency cases of the accepted rows.
  auto cases = ReadSimpleCsv(fs::path(o.out_dir) / "legal" / "cases.csv");
  ASSERT_EQ(cases[0], (std::vector<std::string>{"agency", "case_ref", "case_key"}));
  std::map<std::pair<std::string, std::string>, std::string> listed;
  for (size_t i = 1; i < cases.size(); ++i) {
    EXPECT_TRUE(
        listed.emplace(std::make_pair(cases[i][0], cases[i][1]), cases[i][2]).second)
        << cases[i][1];
  }
  EXPECT_EQ(listed, case_of);
  EXPECT_EQ(static_cast<int64_t>(listed.size()), summary->legal_agency_cases);

  // Syndicates: suspects in more than one case.
  std::map<std::string, std::set<std::string>> cases_of_suspect;
  for (const LegalRow& row : loaded.rows) {
    if (!row.suspect_key.empty()) cases_of_suspect[row.suspect_key].insert(row.case_key);
  }
  int repeat = 0;
  for (const auto& [key, set] : cases_of_suspect) repeat += set.size() > 1 ? 1 : 0;
  std::printf("suspects %zu, in more than one case %d\n", cases_of_suspect.size(),
              repeat);
  EXPECT_GT(repeat, 5);
  EXPECT_EQ(static_cast<int64_t>(cases_of_suspect.size()), summary->legal_suspects);
}

TEST_F(SynthTest, LegalNumbersLinkAgenciesAndVictimFiles) {
  GeneratorOptions o = LegalOptions(Options("out", 20, 4000, 13, /*invalid_share=*/0));
  ASSERT_TRUE(Generate(o, *regions_).ok());
  LegalLoaded legal = LoadLegal(o.out_dir);
  Loaded victims = LoadAll(o.out_dir, *regions_, *countries_);
  std::set<std::pair<std::string, std::string>> victim_refs, victim_ids;
  for (const Row& row : victims.rows) {
    if (!row.validation.accepted) continue;
    victim_refs.insert({row.agency, row.validation.record[Field::kCaseRef]});
    victim_ids.insert({row.agency, row.validation.record[Field::kRecordId]});
  }
  std::map<std::string, std::string> type;
  for (const auto& a : legal.agencies) type[a[0]] = a[2];
  std::map<std::string, std::set<std::string>> refs_of_case;  // case key → refs
  for (const LegalRow& row : legal.rows)
    refs_of_case[row.case_key].insert(row.Get("case_ref"));
  // Police numbers shared with the police's victim rows; victim ids it submitted.
  std::set<std::string> police_cases, shared;
  int listed_ids = 0;
  for (const LegalRow& row : legal.rows) {
    if (type[row.agency] == "police") {
      police_cases.insert(row.agency + " " + row.Get("case_ref"));
      if (victim_refs.count({row.agency, row.Get("case_ref")})) {
        shared.insert(row.agency + " " + row.Get("case_ref"));
      }
    }
    std::string ids = row.Get("victim_record_ids");
    for (std::string_view id : Split(ids, ';')) {
      if (Trim(id).empty()) continue;
      ++listed_ids;
      EXPECT_TRUE(victim_ids.count({row.agency, std::string(Trim(id))})) << id;
    }
  }
  EXPECT_GT(listed_ids, 50);
  EXPECT_GT(shared.size(), police_cases.size() / 3);
  // Cited numbers: mostly another agency's number of the same case.
  int prosecutor_cases = 0, citing = 0, court_cases = 0, court_citing = 0;
  std::set<std::string> seen;
  for (const LegalRow& row : legal.rows) {
    if (!seen.insert(row.agency + " " + row.Get("case_ref")).second) continue;
    std::string cites = row.Get("other_refs");
    bool cites_own_case = false;
    for (std::string_view ref : Split(cites, ';')) {
      std::string folded = MatchKey(ref);
      for (const std::string& other : refs_of_case[row.case_key]) {
        if (folded.find(MatchKey(other)) != std::string::npos) cites_own_case = true;
      }
    }
    if (type[row.agency] == "prosecutor") {
      ++prosecutor_cases;
      citing += cites_own_case ? 1 : 0;
    } else if (type[row.agency] == "court") {
      ++court_cases;
      court_citing += cites_own_case ? 1 : 0;
    }
  }
  std::printf("prosecutor cases citing %d of %d, court cases citing %d of %d\n", citing,
              prosecutor_cases, court_citing, court_cases);
  EXPECT_GT(prosecutor_cases, 20);
  EXPECT_GT(citing, prosecutor_cases / 2);
  EXPECT_LT(citing, prosecutor_cases);
  EXPECT_GT(court_citing, court_cases / 2);
  EXPECT_LT(court_citing, court_cases);
}

// justice.csv recomputed from the files and truth.csv by the rule in generator.h.
TEST_F(SynthTest, JusticeCountsFollowFromTheTruth) {
  GeneratorOptions o = LegalOptions(Options("out", 20, 6000, 14, /*invalid_share=*/0.03));
  ASSERT_TRUE(Generate(o, *regions_).ok());
  LegalLoaded loaded = LoadLegal(o.out_dir);
  const std::set<std::string> named = {"tersangka",  "spdp",     "p19",        "p21",
                                       "tahap2",     "dakwaan",  "pelimpahan", "tuntutan",
                                       "putusan_pn", "banding",  "putusan_pt", "kasasi",
                                       "putusan_ma", "inkracht", "eksekusi"};
  const std::set<std::string> prosecuted = {
      "tahap2",     "dakwaan", "pelimpahan", "tuntutan", "putusan_pn", "banding",
      "putusan_pt", "kasasi",  "putusan_ma", "inkracht", "eksekusi"};
  struct First {
    Date named{9999, 1, 1}, prosecuted{9999, 1, 1}, convicted{9999, 1, 1},
        acquitted{9999, 1, 1};
    Date order_date{0, 0, 0};
    int64_t order = -1;
  };
  std::map<std::pair<std::string, std::string>, First> first;  // (case, suspect)
  std::map<std::string, Date> case_start;
  std::map<int, std::vector<int64_t>> expect;  // year → the seven columns
  auto at = [&](int year, int col) -> int64_t& {
    auto& v = expect[year];
    v.resize(7);
    return v[static_cast<size_t>(col)];
  };
  for (const LegalRow& row : loaded.rows) {
    if (!row.reasons.empty()) continue;
    auto [it, fresh] = case_start.emplace(row.case_key, row.date);
    if (!fresh) it->second = std::min(it->second, row.date);
    if (row.stage == "restitusi_dibayar")
      at(row.date.year, 6) += *Rupiah(row.Get("restitution"));
    if (row.suspect_key.empty()) continue;
    First& f = first[{row.case_key, row.suspect_key}];
    if (named.count(row.stage)) f.named = std::min(f.named, row.date);
    if (prosecuted.count(row.stage)) f.prosecuted = std::min(f.prosecuted, row.date);
    std::string verdict = MatchKey(row.Get("verdict"));
    bool guilty = verdict == "guilty" || verdict == "bersalah";
    if (row.stage == "putusan_pn" && guilty)
      f.convicted = std::min(f.convicted, row.date);
    if (row.stage == "putusan_pn" && !verdict.empty() && !guilty) {
      f.acquitted = std::min(f.acquitted, row.date);
    }
    if (row.stage.substr(0, 8) == "putusan_" && !row.Get("restitution").empty() &&
        row.date >= f.order_date) {
      f.order_date = row.date;
      f.order = *Rupiah(row.Get("restitution"));
    }
  }
  for (const auto& [key, date] : case_start) ++at(date.year, 0);
  std::set<std::tuple<int, int, std::string>> counted;  // (column, year, suspect)
  for (const auto& [key, f] : first) {
    const Date* dates[] = {&f.named, &f.prosecuted, &f.convicted, &f.acquitted};
    for (int col = 1; col <= 4; ++col) {
      const Date& d = *dates[col - 1];
      if (d.year == 9999) continue;
      if (counted.insert({col, d.year, key.second}).second) ++at(d.year, col);
    }
    if (f.order >= 0) at(f.order_date.year, 5) += f.order;
  }
  auto justice = ReadSimpleCsv(fs::path(o.out_dir) / "legal" / "justice.csv");
  ASSERT_EQ(justice[0], (std::vector<std::string>{
                            "year", "cases", "suspects_named", "prosecuted", "convicted",
                            "acquitted", "restitution_ordered", "restitution_paid"}));
  std::map<int, std::vector<int64_t>> written;
  for (size_t i = 1; i < justice.size(); ++i) {
    std::vector<int64_t> v;
    for (size_t k = 1; k < justice[i].size(); ++k) v.push_back(std::stoll(justice[i][k]));
    int year = std::stoi(justice[i][0]);
    EXPECT_GE(year, 2019);
    EXPECT_LE(year, 2025);
    if (v != std::vector<int64_t>(7, 0)) written[year] = v;
    std::printf("%s\n", fmt::format("{}", fmt::join(justice[i], ",")).c_str());
  }
  EXPECT_EQ(written, expect);
  // Sensible proportions over all years.
  int64_t n[7] = {};
  for (const auto& [year, v] : written) {
    for (int k = 0; k < 7; ++k) n[k] += v[static_cast<size_t>(k)];
  }
  EXPECT_GT(n[1], n[2]);      // not every suspect named is prosecuted
  EXPECT_GT(n[2], n[3]);      // nor convicted
  EXPECT_GT(n[3], n[4] * 2);  // convictions outnumber acquittals
  EXPECT_GT(n[4], 0);
  EXPECT_GT(n[5], n[6]);  // less paid than ordered
  EXPECT_GT(n[6], 0);
}

// Not a test of correctness: prints the time for 400,000 persons (about 1M rows).
// Run with --gtest_also_run_disabled_tests.
TEST_F(SynthTest, DISABLED_Speed400kPersons) {
  GeneratorOptions o = Options("out", 20, 400'000, 1);
  auto start = std::chrono::steady_clock::now();
  auto s = Generate(o, *regions_);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(s.ok()) << s.status();
  uint64_t bytes = 0;
  for (const auto& e : fs::directory_iterator(o.out_dir))
    bytes += fs::file_size(e.path());
  std::printf("%lld persons, %lld rows, %.1f MB in %.2f s: %.0f rows/s\n",
              static_cast<long long>(s->persons), static_cast<long long>(s->records),
              static_cast<double>(bytes) / 1e6, seconds,
              static_cast<double>(s->records) / seconds);
}

}  // namespace
}  // namespace gugus::synth
