#include "report/exchange.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/vocabulary.h"
#include "ingest/reader.h"

namespace gugus::report {
namespace {

using ingest::Field;
using ingest::ParsedRecord;

const std::string kStandards = GUGUS_SOURCE_DIR "/../shared/data/standards/";
const std::string kHtcdsFile = kStandards + "htcds_2.0_field_standards.csv";
const std::string kCtdcFile = kStandards + "ctdc_k_anon_2021_data_dictionary.csv";

ParsedRecord Record(std::string report_date) {
  ParsedRecord r;
  r[Field::kRecordId] = "R-" + report_date;
  r[Field::kReportDate] = std::move(report_date);
  r[Field::kName] = "Siti Aminah";
  r[Field::kNationality] = "ID";
  return r;
}

VictimFacts Resolve(const std::vector<ParsedRecord>& records,
                    const std::vector<std::string>& agencies = {}) {
  std::vector<PersonRecord> in;
  for (size_t i = 0; i < records.size(); ++i) {
    std::string agency = i < agencies.size() ? agencies[i] : "POLDA-NTT";
    in.push_back({&records[i], agency, agency == "POLDA-NTT" ? "police" : "ngo"});
  }
  return ResolveVictim(in);
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

Table ReadCsv(absl::StatusOr<std::unique_ptr<ingest::RowReader>> reader) {
  Table t;
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return t;
  t.header = (*reader)->header();
  ingest::RawRow row;
  for (;;) {
    auto more = (*reader)->Next(row);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    t.rows.push_back(row.cells);
  }
  return t;
}
Table ParseCsv(const std::string& text) {
  return ReadCsv(ingest::OpenCsvFromString(text));
}

// HTCDS field name → its picklist Value Names (empty for other field types).
std::map<std::string, std::set<std::string>> HtcdsStandard() {
  std::map<std::string, std::set<std::string>> fields;
  Table t = ReadCsv(ingest::OpenCsv(kHtcdsFile));
  size_t name = 0, values = 0;
  for (size_t i = 0; i < t.header.size(); ++i) {
    if (t.header[i] == "Field Name including Prefix") name = i;
    if (t.header[i] == "Value Names (if picklist)") values = i;
  }
  EXPECT_GT(name, 0u);
  EXPECT_GT(values, 0u);
  for (const auto& row : t.rows) {
    if (row.size() <= std::max(name, values) || row[name].empty()) continue;
    std::set<std::string>& set = fields[row[name]];
    std::istringstream lines(row[values]);
    for (std::string value; std::getline(lines, value);) {
      while (!value.empty() && (value.back() == '\r' || value.back() == ' '))
        value.pop_back();
      if (!value.empty()) set.insert(value);
    }
  }
  return fields;
}

// The variable names of the CTDC dictionary's Main sheet.
std::set<std::string> CtdcVariables() {
  std::set<std::string> names;
  std::ifstream in(kCtdcFile);
  std::string line;
  bool main = false;
  while (std::getline(in, line)) {
    if (line.rfind("=== SHEET", 0) == 0) {
      main = line.find("Main") != std::string::npos;
      continue;
    }
    if (!main) continue;
    std::string name = line.substr(0, line.find(','));
    while (!name.empty() && (name.back() == ' ' || name.back() == '\r')) name.pop_back();
    if (!name.empty()) names.insert(name);
  }
  return names;
}

// --- Person-level resolution ---

TEST(ResolveVictim, RegistrationYearIsTheEarliestReport) {
  std::vector<ParsedRecord> rs = {Record("2023-03-01"), Record("2021-11-30"),
                                  Record("2022-01-01")};
  VictimFacts f = Resolve(rs, {"POLDA-NTT", "LSM-A", "POLDA-NTT"});
  EXPECT_EQ(f.registration_year, 2021);
  EXPECT_EQ(f.records, 3);
  EXPECT_EQ(f.agencies, 2);
  EXPECT_EQ(f.agency_types, (std::vector<std::string>{"ngo", "police"}));
}

TEST(ResolveVictim, GenderIsThePersonFactMajorityThenTheRuleForTies) {
  std::vector<ParsedRecord> rs = {Record("2023-01-01"), Record("2023-02-01"),
                                  Record("2023-03-01")};
  rs[0][Field::kSex] = "P";
  rs[1][Field::kSex] = "P";
  rs[2][Field::kSex] = "L";
  EXPECT_EQ(Resolve(rs).sex, "P");
  rs[1][Field::kSex] = "";          // unknown sexes do not vote
  EXPECT_EQ(Resolve(rs).sex, "L");  // a tie: the most recent report (same agency)
  rs.pop_back();
  EXPECT_EQ(Resolve(rs).sex, "P");
}

TEST(ResolveVictim, AgeAtExploitationFromTheEarliestRecordThatHasOne) {
  std::vector<ParsedRecord> rs = {Record("2024-05-01"), Record("2022-01-10"),
                                  Record("2023-01-10")};
  rs[0].age = 30;
  rs[2][Field::kBirthDate] = "2005-06-15";
  rs[2][Field::kIncidentDate] = "2021-12-01";
  // The earliest record (2022) has no age; the 2023 one says 16 at the incident.
  VictimFacts f = Resolve(rs);
  EXPECT_EQ(f.age_at_exploitation, 16);
  EXPECT_EQ(f.age_at_registration, 16);  // born 2005-06-15, registered 2022-01-10
  rs[1].age = 19;
  f = Resolve(rs);
  EXPECT_EQ(f.age_at_exploitation, 16);  // the birth date is the person's fact
  EXPECT_EQ(f.age_at_registration, 19);
}

TEST(ResolveVictim, StatedAgeOfALaterRecordIsMovedBackToRegistration) {
  std::vector<ParsedRecord> rs = {Record("2020-03-01"), Record("2023-06-01")};
  rs[1].age = 20;
  VictimFacts f = Resolve(rs);
  EXPECT_EQ(f.age_at_registration, 17);  // three whole years earlier: a minor
  EXPECT_EQ(f.age_at_exploitation, 20);  // the only age there is
  EXPECT_EQ(Resolve({Record("2020-01-01")}).age_at_registration, std::nullopt);
}

TEST(ResolveVictim, CitizenshipIsTheMajorityAndBlankMeansIndonesia) {
  std::vector<ParsedRecord> rs = {Record("2023-01-01"), Record("2023-02-01"),
                                  Record("2023-03-01")};
  rs[0][Field::kNationality] = "TL";
  rs[1][Field::kNationality] = "TL";
  EXPECT_EQ(Resolve(rs).citizenship, "TL");  // TL 2, ID 1
  rs[0][Field::kNationality] = "";  // left blank: the format's default, Indonesia
  EXPECT_EQ(Resolve(rs).citizenship, "ID");  // ID 2, TL 1
  // A nationality the import could not resolve is unknown, not Indonesian.
  rs[0].warnings.push_back({"nationality", "unresolved", ""});
  EXPECT_EQ(Resolve(rs).citizenship, "ID");  // ID 1, TL 1: the most recent report
  rs.resize(1);
  EXPECT_EQ(Resolve(rs).citizenship, "");  // only the unreadable one
}

TEST(ResolveVictim, CountryOfExploitationTreatsARegionCodeAsIndonesia) {
  std::vector<ParsedRecord> rs = {Record("2023-01-01"), Record("2023-02-01"),
                                  Record("2023-03-01")};
  rs[0][Field::kDestination] = "MY";
  rs[1][Field::kDestination] = "32.02";                // domestic: Kab. Sukabumi
  EXPECT_EQ(Resolve(rs).country_of_exploitation, "");  // a tie
  rs[2][Field::kDestination] = "51";
  EXPECT_EQ(Resolve(rs).country_of_exploitation, "ID");
  rs[1][Field::kDestination] = "MY";
  EXPECT_EQ(Resolve(rs).country_of_exploitation, "MY");
  EXPECT_EQ(Resolve({Record("2023-01-01")}).country_of_exploitation, "");
}

TEST(ResolveVictim, CodesAreTheUnionOfTheRecords) {
  std::vector<ParsedRecord> rs = {Record("2023-01-01"), Record("2023-02-01")};
  rs[0][Field::kExploitation] = "forced_labour;debt_bondage";
  rs[1][Field::kExploitation] = "debt_bondage;sexual_exploitation";
  rs[1][Field::kRecruitment] = "sponsor";
  VictimFacts f = Resolve(rs);
  EXPECT_EQ(f.exploitation, (std::vector<std::string>{"debt_bondage", "forced_labour",
                                                      "sexual_exploitation"}));
  EXPECT_EQ(f.recruitment, (std::vector<std::string>{"sponsor"}));
}

TEST(ResolveVictim, NoRecordsGiveNothing) {
  VictimFacts f = ResolveVictim({});
  EXPECT_EQ(f.records, 0);
  EXPECT_EQ(f.registration_year, 0);
  EXPECT_EQ(f.sex, "");
}

// --- HTCDS ---

TEST(Htcds, EveryStandardColumnNameExistsInTheStandard) {
  if (!std::filesystem::exists(kHtcdsFile)) GTEST_SKIP() << kHtcdsFile << " is absent";
  auto standard = HtcdsStandard();
  ASSERT_GT(standard.size(), 50u);
  HtcdsOptions with;
  with.identifiers = true;
  int standard_columns = 0;
  for (std::string_view name : HtcdsHeader(with)) {
    if (name.starts_with("gugus_")) continue;  // extensions, named as such
    ++standard_columns;
    EXPECT_TRUE(standard.count(std::string(name))) << name;
  }
  EXPECT_GE(standard_columns, 20);
}

TEST(Htcds, PicklistValuesAreTheStandardsValueNames) {
  if (!std::filesystem::exists(kHtcdsFile)) GTEST_SKIP() << kHtcdsFile << " is absent";
  auto standard = HtcdsStandard();
  auto expect_in = [&](const std::string& field, std::string_view value) {
    EXPECT_TRUE(standard[field].count(std::string(value))) << field << ": " << value;
  };
  for (std::string_view sex : {"L", "P", ""}) expect_in("prs_Gender", HtcdsGender(sex));
  for (std::string_view type : {"police", "prosecutor", "court", "pppa_unit",
                                "social_service", "migrant_worker_agency", "immigration",
                                "health", "labour", "foreign_affairs", "ngo"})
    expect_in("org_Type", HtcdsOrganisationType(type));
  EXPECT_EQ(HtcdsOrganisationType("other"), "");
  for (const Term& t : Terms(Vocabulary::kExploitation)) {
    if (t.code == "debt_bondage") continue;  // a method of control in HTCDS
    expect_in("vic_TypeOfExploitation", HtcdsExploitationType(t.code));
  }
  for (const Term& t : Terms(Vocabulary::kRecruitment))
    expect_in("vic_MethodOfRecruitment", HtcdsRecruitmentMethod(t.code));
  expect_in("vic_MethodsOfControl", "DebtBondage");
  expect_in("vic_RelationshipToTrafficker", "Familial");
  expect_in("vic_RelationshipToTrafficker", "Acquainted");
  expect_in("hte_Type", "Exploitation");
}

ParsedRecord FullRecord() {
  ParsedRecord r = Record("2024-02-03");
  r[Field::kRecordId] = "LP-17";
  r[Field::kNik] = "5301014506050003";
  r[Field::kPhone] = "+6281234567890";
  r[Field::kAddress] = "Jl. Kenari 7";
  r[Field::kCaseRef] = "LP/B/123/VI/2023/SPKT";
  r[Field::kSex] = "P";
  r[Field::kBirthDate] = "2005-06-05";
  r[Field::kOriginRegion] = "53.01.01";
  r[Field::kExploitation] = "domestic_servitude;debt_bondage";
  r[Field::kRecruitment] = "sponsor;family";
  r[Field::kDestination] = "MY";
  r[Field::kIncidentDate] = "2023-01-20";
  return r;
}

std::map<std::string, std::string> OneRow(const HtcdsSource& source,
                                          const HtcdsOptions& options) {
  std::ostringstream out;
  EXPECT_TRUE(WriteHtcdsCsv(std::span(&source, 1), options, out).ok());
  Table t = ParseCsv(out.str());
  std::map<std::string, std::string> row;
  EXPECT_EQ(t.rows.size(), 1u);
  if (t.rows.size() != 1) return row;
  EXPECT_EQ(t.header.size(), t.rows[0].size());
  for (size_t i = 0; i < t.header.size(); ++i) row[t.header[i]] = t.rows[0][i];
  return row;
}

TEST(Htcds, RowCarriesLinkageAndMappedValues) {
  ParsedRecord r = FullRecord();
  RegionIndex regions({{"53", "ID", "NUSA TENGGARA TIMUR", RegionLevel::kProvince},
                       {"53.01", "53", "KABUPATEN KUPANG", RegionLevel::kRegency}});
  HtcdsOptions options;
  options.regions = &regions;
  auto row = OneRow({42, "POLDA-NTT", "Polda NTT", "police", &r}, options);
  EXPECT_EQ(row["gugus_person_id"], "42");
  EXPECT_EQ(row["gugus_agency"], "POLDA-NTT");
  EXPECT_EQ(row["gugus_record_id"], "LP-17");
  EXPECT_EQ(row["org_Name"], "Polda NTT");
  EXPECT_EQ(row["org_Type"], "LawEnforcement");
  EXPECT_EQ(row["prs_Gender"], "Feminine");
  EXPECT_EQ(row["prs_Birthdate"], "2005-06-05");
  EXPECT_EQ(row["vic_AgeWhenTrafficked"], "17");
  EXPECT_EQ(row["prs_Citizenship"], "ID");
  EXPECT_EQ(row["prs_MailingCountry"], "ID");
  EXPECT_EQ(row["prs_MailingState"], "NUSA TENGGARA TIMUR");
  EXPECT_EQ(row["prs_MailingCity"], "KABUPATEN KUPANG");
  EXPECT_EQ(row["vic_TypeOfExploitation"], "Servitude");
  EXPECT_EQ(row["vic_MethodsOfControl"], "DebtBondage");
  EXPECT_EQ(row["vic_MethodOfRecruitment"], "Other;ThroughFamilyOrFamilyEvents");
  EXPECT_EQ(row["vic_RelationshipToTrafficker"], "Familial");
  EXPECT_EQ(row["hte_Type"], "Exploitation");
  EXPECT_EQ(row["hte_Date"], "2023-01-20");
  EXPECT_EQ(row["hte_Country"], "MY");
  EXPECT_EQ(row["gugus_case_ref"], "LP/B/123/VI/2023/SPKT");
  EXPECT_EQ(row["gugus_report_date"], "2024-02-03");
  EXPECT_EQ(row["gugus_exploitation"], "domestic_servitude;debt_bondage");
}

TEST(Htcds, DomesticDestinationAndUnlinkedRecord) {
  ParsedRecord r = Record("2024-02-03");
  r[Field::kDestination] = "53.01";
  r[Field::kExploitation] = "debt_bondage";  // alone: forced labour
  auto row = OneRow({0, "LSM-A", "LSM A", "other", &r}, {});
  EXPECT_EQ(row["gugus_person_id"], "");
  EXPECT_EQ(row["org_Type"], "");
  EXPECT_EQ(row["prs_Gender"], "NonSpecifiedUnknown");
  EXPECT_EQ(row["hte_Country"], "ID");
  EXPECT_EQ(row["hte_State"], "53");  // no region names given: the codes
  EXPECT_EQ(row["hte_City"], "53.01");
  EXPECT_EQ(row["hte_Date"], "");
  EXPECT_EQ(row["vic_TypeOfExploitation"], "ForcedLabour");
  EXPECT_EQ(row["prs_MailingCountry"], "");
}

TEST(Htcds, DirectIdentifiersOnlyWhenAskedFor) {
  ParsedRecord r = FullRecord();
  HtcdsSource source{7, "POLDA-NTT", "Polda NTT", "police", &r};
  std::ostringstream out;
  ASSERT_TRUE(WriteHtcdsCsv(std::span(&source, 1), {}, out).ok());
  for (std::string_view secret : {"Siti", "5301014506050003", "81234567890", "Kenari"})
    EXPECT_EQ(out.str().find(secret), std::string::npos) << secret;
  HtcdsOptions with;
  with.identifiers = true;
  auto row = OneRow(source, with);
  EXPECT_EQ(row["prs_FirstName"], "Siti Aminah");
  EXPECT_EQ(row["prs_IdentityNumber"], "5301014506050003");
  EXPECT_EQ(row["prs_MobilePhone"], "+6281234567890");
  EXPECT_EQ(row["prs_MailingStreet"], "Jl. Kenari 7");
}

// --- CTDC ---

std::string Ctdc(const std::vector<VictimFacts>& persons, int k, CtdcReport* report) {
  std::ostringstream out;
  auto r = WriteCtdcCsv(persons, k, out);
  EXPECT_TRUE(r.ok()) << r.status();
  if (r.ok() && report) *report = *r;
  return out.str();
}

TEST(Ctdc, EveryColumnIsADictionaryVariable) {
  if (!std::filesystem::exists(kCtdcFile)) GTEST_SKIP() << kCtdcFile << " is absent";
  std::set<std::string> variables = CtdcVariables();
  ASSERT_GT(variables.size(), 40u);
  for (std::string_view name : CtdcHeader())
    EXPECT_TRUE(variables.count(std::string(name))) << name;
}

VictimFacts Person(int year, std::string sex, std::optional<int> age,
                   std::string citizenship, std::string country) {
  VictimFacts f;
  f.registration_year = year;
  f.sex = std::move(sex);
  f.age_at_registration = age;
  f.age_at_exploitation = age;
  f.citizenship = std::move(citizenship);
  f.country_of_exploitation = std::move(country);
  f.records = 1;
  return f;
}

TEST(Ctdc, ValueConventions) {
  VictimFacts f = Person(2022, "P", 17, "ID", "MY");
  f.age_at_registration = 19;
  f.exploitation = {"forced_labour", "sexual_exploitation"};
  f.recruitment = {"social_media", "friend_neighbour"};
  VictimFacts g = Person(2023, "", std::nullopt, "", "");
  g.exploitation = {"debt_bondage"};
  g.recruitment = {"online_job"};
  CtdcReport report;
  Table t = ParseCsv(Ctdc({f, g}, 1, &report));
  ASSERT_EQ(t.rows.size(), 2u);
  std::map<std::string, std::string> a, b;
  for (size_t i = 0; i < t.header.size(); ++i) {
    a[t.header[i]] = t.rows[0][i];
    b[t.header[i]] = t.rows[1][i];
  }
  EXPECT_EQ(a["yearOfRegistration"], "2022");
  EXPECT_EQ(a["Datasource"], "Case management");
  EXPECT_EQ(a["gender"], "Female");
  EXPECT_EQ(a["ageBroad"], "18--20");
  EXPECT_EQ(a["majorityStatus"], "Adult");
  EXPECT_EQ(a["majorityStatusAtExploit"], "Minor");
  EXPECT_EQ(a["citizenship"], "ID");
  EXPECT_EQ(a["CountryOfExploitation"], "MY");
  EXPECT_EQ(a["isForcedLabour"], "1");
  EXPECT_EQ(a["isSexualExploit"], "1");
  EXPECT_EQ(a["isSexAndLabour"], "1");
  EXPECT_EQ(a["isForcedMarriage"], "0");
  EXPECT_EQ(a["isOtherExploit"], "0");
  EXPECT_EQ(a["typeOfExploitConcatenated"], "Forced labour;Sexual exploitation");
  EXPECT_EQ(a["meansOfControlDebtBondage"], "-99");
  EXPECT_EQ(a["recruiterRelationFriend"], "1");
  EXPECT_EQ(a["recruiterRelationFamily"], "0");
  EXPECT_EQ(a["recruiterRelationUnknown"], "0");

  EXPECT_EQ(b["yearOfRegistration"], "2023");
  EXPECT_EQ(b["gender"], "-99");
  EXPECT_EQ(b["ageBroad"], "-99");
  EXPECT_EQ(b["majorityStatus"], "-99");
  EXPECT_EQ(b["citizenship"], "-99");
  EXPECT_EQ(b["CountryOfExploitation"], "-99");
  EXPECT_EQ(b["isForcedLabour"], "1");  // debt bondage alone
  EXPECT_EQ(b["meansOfControlDebtBondage"], "1");
  EXPECT_EQ(b["isSexualExploit"], "0");
  EXPECT_EQ(b["recruiterRelationFriend"], "-99");  // a job site is not a relation
  EXPECT_EQ(b["recruiterRelationUnknown"], "1");

  VictimFacts none = Person(2023, "L", 30, "ID", "ID");
  t = ParseCsv(Ctdc({none}, 1, nullptr));
  ASSERT_EQ(t.rows.size(), 1u);
  for (size_t i = 0; i < t.header.size(); ++i) {
    if (t.header[i].starts_with("is")) {
      EXPECT_EQ(t.rows[0][i], "-99") << t.header[i];
    }
  }
}

// A deterministic population: the same 500 persons on every platform (no
// <random> distributions, whose results differ between standard libraries).
std::vector<VictimFacts> Population(int n, uint64_t seed) {
  uint64_t state = seed;
  auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state >> 33) % bound);
  };
  const char* citizenships[] = {"ID", "ID", "ID", "ID", "ID", "ID", "TL", "PH", ""};
  const char* countries[] = {"MY", "MY", "MY", "ID", "ID", "SA", "KH",
                             "HK", "TW", "AE", "MM", "",   "KR"};
  const char* exploitation[] = {"forced_labour",      "sexual_exploitation",
                                "domestic_servitude", "forced_criminality",
                                "forced_marriage",    "debt_bondage"};
  std::vector<VictimFacts> out;
  for (int i = 0; i < n; ++i) {
    int age = next(10) == 0 ? -1 : 8 + next(40);
    VictimFacts f = Person(2017 + next(8),
                           next(7) < 4    ? "P"
                           : next(5) == 0 ? ""
                                          : "L",
                           age < 0 ? std::nullopt : std::optional<int>(age),
                           citizenships[next(std::size(citizenships))],
                           countries[next(std::size(countries))]);
    if (f.age_at_registration && next(4) == 0) f.age_at_exploitation = age - 2;
    int types = next(3);
    for (int t = 0; t < types; ++t)
      f.exploitation.push_back(exploitation[next(std::size(exploitation))]);
    std::sort(f.exploitation.begin(), f.exploitation.end());
    f.exploitation.erase(std::unique(f.exploitation.begin(), f.exploitation.end()),
                         f.exploitation.end());
    out.push_back(std::move(f));
  }
  return out;
}

const std::vector<std::string> kQuasi = {"yearOfRegistration",
                                         "gender",
                                         "ageBroad",
                                         "majorityStatus",
                                         "majorityStatusAtExploit",
                                         "citizenship",
                                         "CountryOfExploitation"};

std::map<std::string, int> ClassSizes(const Table& t) {
  std::vector<size_t> cols;
  for (const std::string& q : kQuasi) {
    auto it = std::find(t.header.begin(), t.header.end(), q);
    EXPECT_NE(it, t.header.end()) << q;
    if (it != t.header.end()) cols.push_back(it - t.header.begin());
  }
  std::map<std::string, int> sizes;
  for (const auto& row : t.rows) {
    std::string key;
    for (size_t c : cols) key += row[c] + "|";
    ++sizes[key];
  }
  return sizes;
}

TEST(Ctdc, EveryQuasiIdentifierCombinationOccursAtLeastKTimes) {
  std::vector<VictimFacts> population = Population(500, 2026);
  for (int k : {2, 3, 5, 11}) {
    CtdcReport report;
    Table t = ParseCsv(Ctdc(population, k, &report));
    EXPECT_EQ(report.persons, 500);
    EXPECT_EQ(report.rows + report.dropped, 500) << k;
    EXPECT_EQ(static_cast<int64_t>(t.rows.size()), report.rows) << k;
    EXPECT_GT(report.rows, 400) << k;  // generalisation keeps most rows
    EXPECT_GT(report.suppressed_total(), 0) << k;
    for (const auto& [key, n] : ClassSizes(t)) EXPECT_GE(n, k) << key;
    // Count the suppressed values back: each is a "-99" that k=1 did not have.
    Table plain = ParseCsv(Ctdc(population, 1, nullptr));
    auto missing = [](const Table& table, const std::string& column) {
      size_t c = std::find(table.header.begin(), table.header.end(), column) -
                 table.header.begin();
      int64_t n = 0;
      for (const auto& row : table.rows) n += row[c] == "-99";
      return n;
    };
    if (report.dropped == 0) {
      EXPECT_EQ(missing(t, "ageBroad") - missing(plain, "ageBroad"),
                report.suppressed[static_cast<int>(CtdcQuasi::kAgeBroad)]);
      EXPECT_EQ(missing(t, "gender") - missing(plain, "gender"),
                report.suppressed[static_cast<int>(CtdcQuasi::kGender)]);
    }
  }
}

TEST(Ctdc, KOneLeavesEverything) {
  std::vector<VictimFacts> population = Population(500, 7);
  CtdcReport report;
  Table t = ParseCsv(Ctdc(population, 1, &report));
  EXPECT_EQ(report.rows, 500);
  EXPECT_EQ(report.dropped, 0);
  EXPECT_EQ(report.suppressed_total(), 0);
  ASSERT_EQ(t.rows.size(), 500u);
  // Every person's exact year is there.
  std::multiset<std::string> years, expected;
  for (const auto& row : t.rows) years.insert(row[0]);
  for (const VictimFacts& f : population)
    expected.insert(std::to_string(f.registration_year));
  EXPECT_EQ(years, expected);
}

TEST(Ctdc, SuppressesAgeBroadFirstAndKeepsMajorityStatus) {
  // Two persons alike but for their age bands, each alone in its class: suppressing
  // ageBroad puts them in one class of two; nothing else is touched.
  std::vector<VictimFacts> persons = {
      Person(2022, "P", 25, "ID", "MY"), Person(2022, "P", 25, "ID", "MY"),
      Person(2022, "P", 25, "ID", "MY"), Person(2022, "P", 30, "ID", "MY"),
      Person(2022, "P", 40, "ID", "MY")};
  CtdcReport report;
  Table t = ParseCsv(Ctdc(persons, 2, &report));
  EXPECT_EQ(report.dropped, 0);
  EXPECT_EQ(report.suppressed[static_cast<int>(CtdcQuasi::kAgeBroad)], 2);
  EXPECT_EQ(report.suppressed_total(), 2);
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < t.header.size(); ++i) col[t.header[i]] = i;
  std::multiset<std::string> bands;
  for (const auto& row : t.rows) {
    bands.insert(row[col["ageBroad"]]);
    EXPECT_EQ(row[col["majorityStatus"]], "Adult");
    EXPECT_EQ(row[col["CountryOfExploitation"]], "MY");
    EXPECT_EQ(row[col["yearOfRegistration"]], "2022");
  }
  EXPECT_EQ(bands,
            (std::multiset<std::string>{"-99", "-99", "24--26", "24--26", "24--26"}));
}

TEST(Ctdc, GeneralisesInTheFixedOrderUntilClassesAreLargeEnough) {
  // Alone in its class even without its age band, the child's country goes next,
  // then its citizenship …; it ends in a class with the other stray adult once both
  // have lost everything but their majority status — or is dropped.
  std::vector<VictimFacts> persons = {
      Person(2022, "P", 25, "ID", "MY"), Person(2022, "P", 25, "ID", "MY"),
      Person(2019, "L", 31, "PH", "SA"), Person(2021, "P", 33, "ID", "HK")};
  CtdcReport report;
  Table t = ParseCsv(Ctdc(persons, 2, &report));
  EXPECT_EQ(report.dropped, 0);
  using Q = CtdcQuasi;
  EXPECT_EQ(report.suppressed[static_cast<int>(Q::kAgeBroad)], 2);
  EXPECT_EQ(report.suppressed[static_cast<int>(Q::kCountryOfExploitation)], 2);
  EXPECT_EQ(report.suppressed[static_cast<int>(Q::kCitizenship)], 2);
  EXPECT_EQ(report.suppressed[static_cast<int>(Q::kYearOfRegistration)], 2);
  EXPECT_EQ(report.suppressed[static_cast<int>(Q::kGender)], 2);
  EXPECT_EQ(report.suppressed[static_cast<int>(Q::kMajorityStatus)], 0);
  for (const auto& [key, n] : ClassSizes(t)) EXPECT_GE(n, 2) << key;

  persons.back().age_at_registration = persons.back().age_at_exploitation = 15;
  t = ParseCsv(Ctdc(persons, 2, &report));
  EXPECT_EQ(report.suppressed[static_cast<int>(Q::kMajorityStatus)], 4);
  EXPECT_EQ(report.dropped, 0);
  persons.back().age_at_registration = 20;  // a minor at exploitation only
  persons.pop_back();
  t = ParseCsv(Ctdc(persons, 2, &report));
  EXPECT_EQ(report.dropped, 1);  // the stray adult has no one to hide among
  EXPECT_EQ(report.rows, 2);
}

TEST(Ctdc, APopulationSmallerThanKIsDroppedEntirely) {
  std::vector<VictimFacts> persons = {Person(2022, "P", 30, "ID", "MY"),
                                      Person(2022, "P", 30, "ID", "MY"),
                                      Person(2022, "P", 30, "ID", "MY")};
  CtdcReport report;
  Table t = ParseCsv(Ctdc(persons, 5, &report));
  EXPECT_EQ(report.rows, 0);
  EXPECT_EQ(report.dropped, 3);
  EXPECT_TRUE(t.rows.empty());
  EXPECT_EQ(t.header.size(), CtdcHeader().size());
}

TEST(Ctdc, KBelowOneIsRefused) {
  std::ostringstream out;
  auto r = WriteCtdcCsv({}, 0, out);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(out.str().empty());
}

TEST(Ctdc, NamesAndNiksNeverAppear) {
  std::vector<ParsedRecord> records;
  std::vector<VictimFacts> persons;
  for (int i = 0; i < 40; ++i) {
    ParsedRecord r = FullRecord();
    r[Field::kName] = "Korban Nomor" + std::to_string(i);
    r[Field::kNik] = "53010145060500" + std::to_string(10 + i);
    r[Field::kSuspects] = "Pelaku Rahasia";
    r[Field::kNotes] = "catatan rahasia";
    records.push_back(r);
  }
  for (const ParsedRecord& r : records) {
    PersonRecord pr{&r, "POLDA-NTT", "police"};
    persons.push_back(ResolveVictim(std::span(&pr, 1)));
  }
  CtdcReport report;
  std::string text = Ctdc(persons, 5, &report);
  EXPECT_EQ(report.rows, 40);
  for (std::string_view secret : {"Korban", "530101450605", "Pelaku", "rahasia", "Kenari",
                                  "81234567890", "LP/B", "LP-17"})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
}

TEST(Ctdc, RowOrderSaysNothingAboutInputOrder) {
  std::vector<VictimFacts> population = Population(100, 3);
  std::string a = Ctdc(population, 3, nullptr);
  std::reverse(population.begin(), population.end());
  EXPECT_EQ(Ctdc(population, 3, nullptr), a);
}

}  // namespace
}  // namespace gugus::report
