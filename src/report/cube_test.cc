#include "report/cube.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tuple>

namespace gugus::report {
namespace {

using ::testing::ElementsAre;

constexpr uint32_t kSexual = 1u << 0;  // Terms(kExploitation)[0]
constexpr uint32_t kLabour = 1u << 1;  // Terms(kExploitation)[1]

// Five persons, six records, two agencies; every figure below is counted by hand.
//   person 1: police (child, 16, P, origin 53.01, 2023, sexual, case LP-1) and
//             NGO (P, 53.01, 2023, sexual + labour, no case number)
//   person 2: police (25, P, 53.01, 2023, case LP-1: the same case as person 1)
//   person 3: police (30, L, 32.02, 2024, labour, case LP-2)
//   person 4: NGO (age unknown, sex unknown, origin unknown, 2024)
//   person -5: NGO, not linked yet (40, L, 32.02 district 32.02.05, 2024, labour)
FactSet Fixture() {
  FactSet set;
  set.agencies = {{10, "POLDA-NTT", "Polda NTT", "police", PackRegion("53")},
                  {11, "LSM-KUPANG", "LSM Kupang", "ngo", PackRegion("53.71")}};
  set.destinations = {"MY"};
  auto fact = [](int64_t person, int64_t case_key, int agency, int date,
                 std::string_view origin, int age, int sex, uint32_t exploitation) {
    Fact f;
    f.person = person;
    f.case_key = case_key;
    f.agency = agency;
    f.report_date = date;
    f.origin = PackRegion(origin);
    f.age = static_cast<int16_t>(age);
    f.sex = static_cast<int8_t>(sex);
    f.exploitation = exploitation;
    return f;
  };
  set.facts = {
      fact(-5, 0, 1, 20240301, "32.02.05", 40, 1, kLabour),
      fact(1, 1, 0, 20230105, "53.01", 16, 2, kSexual),
      fact(1, 0, 1, 20230210, "53.01", 16, 2, kSexual | kLabour),
      fact(2, 1, 0, 20230105, "53.01", 25, 2, 0),
      fact(3, 2, 0, 20240420, "32.02", 30, 1, kLabour),
      fact(4, 0, 1, 20240101, "", -1, 0, 0),
  };
  set.facts[1].destination = 0;
  return set;
}

// (code per dim..., records, persons, cases) of every cell, "*" for a total.
using Row = std::tuple<std::vector<std::string>, int64_t, int64_t, int64_t>;
std::vector<Row> Rows(const StatTable& t) {
  std::vector<Row> rows;
  for (const auto& c : t.cells) {
    std::vector<std::string> codes;
    for (size_t d = 0; d < c.key.size(); ++d)
      codes.push_back(c.key[d] == kTotal ? "*" : t.values[d][c.key[d]]);
    rows.emplace_back(codes, c.records, c.persons, c.cases);
  }
  return rows;
}
Row R(std::vector<std::string> codes, int64_t records, int64_t persons, int64_t cases) {
  return {std::move(codes), records, persons, cases};
}

TEST(Tabulate, BySexCountsPersonsOnceAndKeepsUnknownLast) {
  auto t = Tabulate(Fixture(), std::vector{Dim::kSex});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->values[0], ElementsAre("L", "P", "unknown"));
  EXPECT_THAT(Rows(*t), ElementsAre(R({"L"}, 2, 2, 1), R({"P"}, 3, 2, 1),
                                    R({"unknown"}, 1, 1, 0), R({"*"}, 6, 5, 2)));
}

TEST(Tabulate, ByAgencyAPersonAtTwoAgenciesCountsAtEachAndOnceInTheTotal) {
  auto t = Tabulate(Fixture(), std::vector{Dim::kAgency});
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(Rows(*t), ElementsAre(R({"POLDA-NTT"}, 3, 3, 2), R({"LSM-KUPANG"}, 3, 3, 0),
                                    R({"*"}, 6, 5, 2)));
}

TEST(Tabulate, MultiValuedExploitationPutsARecordInEachOfItsCells) {
  auto t = Tabulate(Fixture(), std::vector{Dim::kExploitation});
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(t->values[0],
              ElementsAre("sexual_exploitation", "forced_labour", "unknown"));
  EXPECT_THAT(Rows(*t), ElementsAre(R({"sexual_exploitation"}, 2, 1, 1),
                                    R({"forced_labour"}, 3, 3, 1),
                                    R({"unknown"}, 2, 2, 1), R({"*"}, 6, 5, 2)));
}

TEST(Tabulate, TwoDimensionsWithEveryMargin) {
  auto t = Tabulate(Fixture(), std::vector{Dim::kOriginProvince, Dim::kReportYear});
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(t->values[0], ElementsAre("32", "53", "unknown"));
  EXPECT_THAT(t->values[1], ElementsAre("2023", "2024"));
  EXPECT_THAT(Rows(*t),
              ElementsAre(R({"32", "2024"}, 2, 2, 1), R({"32", "*"}, 2, 2, 1),
                          R({"53", "2023"}, 3, 2, 1), R({"53", "*"}, 3, 2, 1),
                          R({"unknown", "2024"}, 1, 1, 0), R({"unknown", "*"}, 1, 1, 0),
                          R({"*", "2023"}, 3, 2, 1), R({"*", "2024"}, 3, 3, 1),
                          R({"*", "*"}, 6, 5, 2)));
  const int key[] = {1, kTotal};
  ASSERT_NE(t->Find(key), nullptr);
  EXPECT_EQ(t->Find(key)->persons, 2);
  const int absent[] = {0, 0};  // 32 × 2023: nobody
  EXPECT_EQ(t->Find(absent), nullptr);
}

TEST(Tabulate, AgeGroupsChildAndRegencies) {
  auto t = Tabulate(Fixture(), std::vector{Dim::kChild});
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(Rows(*t), ElementsAre(R({"child"}, 2, 1, 1), R({"adult"}, 3, 3, 2),
                                    R({"unknown"}, 1, 1, 0), R({"*"}, 6, 5, 2)));
  t = Tabulate(Fixture(), std::vector{Dim::kAgeGroup});
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(t->values[0], ElementsAre("9-17", "24-26", "30-38", "39-47", "unknown"));
  t = Tabulate(Fixture(), std::vector{Dim::kOriginRegency});
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(t->values[0], ElementsAre("32.02", "53.01", "unknown"));
  t = Tabulate(Fixture(), std::vector{Dim::kAgencyRegency, Dim::kAgencyType});
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(t->values[0], ElementsAre("53.71", "unknown"));  // Polda: province only
  EXPECT_THAT(t->values[1], ElementsAre("ngo", "police"));
}

TEST(Tabulate, FiltersByPeriodRegionAndAgency) {
  FactFilter in_2023;
  in_2023.from = 20230101;
  in_2023.to = 20231231;
  auto t = Tabulate(Fixture(), std::vector{Dim::kReportMonth}, in_2023);
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(Rows(*t), ElementsAre(R({"2023-01"}, 2, 2, 1), R({"2023-02"}, 1, 1, 0),
                                    R({"*"}, 3, 2, 1)));

  // West Java by origin: persons 3 and -5 (their agencies are in NTT).
  FactFilter west_java;
  west_java.region = PackRegion("32");
  t = Tabulate(Fixture(), std::vector{Dim::kSex}, west_java);
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(Rows(*t), ElementsAre(R({"L"}, 2, 2, 1), R({"*"}, 2, 2, 1)));
  west_java.by_origin = false;  // by the agency's region only: nothing
  t = Tabulate(Fixture(), std::vector{Dim::kSex}, west_java);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->cells.empty());

  FactFilter ngo;
  ngo.agency_id = 11;
  t = Tabulate(Fixture(), std::vector<Dim>{}, ngo);
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(Rows(*t), ElementsAre(R({}, 3, 3, 0)));
}

TEST(Tabulate, FactsOutOfPersonOrderCountTheSame) {
  FactSet set = Fixture();
  std::swap(set.facts[1], set.facts[4]);
  std::swap(set.facts[0], set.facts[2]);
  auto a = Tabulate(Fixture(), std::vector{Dim::kAgency, Dim::kSex});
  auto b = Tabulate(set, std::vector{Dim::kAgency, Dim::kSex});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Rows(*a), Rows(*b));
}

TEST(ParseDims, NamesAndErrors) {
  auto dims = ParseDims("origin_province, report_year,sex");
  ASSERT_TRUE(dims.ok());
  EXPECT_THAT(*dims, ElementsAre(Dim::kOriginProvince, Dim::kReportYear, Dim::kSex));
  EXPECT_EQ(ParseDims("province").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(ParseDims("sex,sex").status().message()),
              ::testing::HasSubstr("twice"));
  EXPECT_FALSE(
      ParseDims("sex,agency,report_year,age_group,destination,recruitment").ok());
  for (Dim d : AllDims()) EXPECT_EQ(ParseDim(DimName(d)), d);
}

TEST(PackRegion, Levels) {
  EXPECT_EQ(PackRegion("32"), 320000);
  EXPECT_EQ(PackRegion("32.02"), 320200);
  EXPECT_EQ(PackRegion("32.02.01"), 320201);
  EXPECT_EQ(PackRegion("32.02.01.2001"), 320201);
  EXPECT_EQ(PackRegion(""), 0);
  EXPECT_EQ(PackRegion("ID"), 0);
  EXPECT_EQ(UnpackRegion(320200), "32.02");
  EXPECT_EQ(UnpackRegion(530000), "53");
  EXPECT_EQ(UnpackRegion(320201), "32.02.01");
  EXPECT_TRUE(InPackedRegion(320201, 320000));
  EXPECT_TRUE(InPackedRegion(320201, 320200));
  EXPECT_FALSE(InPackedRegion(320301, 320200));
  EXPECT_FALSE(
      InPackedRegion(320000, 320200));  // a province-only origin is not in a regency
  EXPECT_TRUE(InPackedRegion(0, 0));
  EXPECT_FALSE(InPackedRegion(0, 320000));
}

}  // namespace
}  // namespace gugus::report

namespace gugus::report {
namespace {

TEST(FactOf, ParsedValuesToCompactFacts) {
  using ingest::Field;
  ingest::ParsedRecord r;
  r[Field::kReportDate] = "2024-03-01";
  r[Field::kIncidentDate] = "2023-12-24";
  r[Field::kBirthDate] = "2008-01-15";
  r[Field::kSex] = "P";
  r[Field::kOriginRegion] = "53.01.02";
  r[Field::kExploitation] = "forced_labour;sexual_exploitation";
  r[Field::kRecruitment] = "sponsor";
  r[Field::kDestination] = "MY";
  r[Field::kCaseRef] = "lp/b/12/2024";
  RecordFact rf = FactOf(r, 7, "A");
  EXPECT_EQ(rf.fact.report_date, 20240301);
  EXPECT_EQ(rf.fact.incident_date, 20231224);
  EXPECT_EQ(rf.fact.age, 15);
  EXPECT_EQ(rf.fact.sex, 2);
  EXPECT_EQ(rf.fact.origin, 530102);
  EXPECT_EQ(rf.fact.exploitation, 0b11u);
  EXPECT_NE(rf.fact.recruitment, 0u);
  EXPECT_EQ(rf.destination, "MY");
  // The same case number written differently by the same agency is one case; at
  // another agency it is another.
  ingest::ParsedRecord same = r;
  same[Field::kCaseRef] = "LP/B/12/2024 ";
  EXPECT_EQ(FactOf(same, 7, "A").fact.case_key, rf.fact.case_key);
  EXPECT_NE(FactOf(same, 8, "B").fact.case_key, rf.fact.case_key);
  same[Field::kCaseRef] = "";
  same[Field::kDestination] = "32.02";  // domestic
  same[Field::kSex] = "";
  RecordFact other = FactOf(same, 7, "A");
  EXPECT_EQ(other.fact.case_key, 0);
  EXPECT_EQ(other.destination, "ID");
  EXPECT_EQ(other.fact.sex, 0);
}

}  // namespace
}  // namespace gugus::report

namespace gugus::report {
namespace {

// Person facts in the cube: a person is in one cell of a single-valued dimension.
TEST(Tabulate, APersonWhoseRecordsDisagreeIsInOneCellAndRowsAddUp) {
  FactSet set;
  set.agencies = {{10, "POLDA-NTT", "Polda NTT", "police", PackRegion("53")},
                  {11, "LSM-KUPANG", "LSM Kupang", "ngo", PackRegion("53.71")}};
  auto fact = [](int64_t person, int agency, std::string_view origin, int sex) {
    Fact f;
    f.person = person;
    f.agency = agency;
    f.report_date = 20240301;
    f.origin = PackRegion(origin);
    f.sex = static_cast<int8_t>(sex);
    return f;
  };
  set.facts = {
      fact(1, 0, "53.71", 1),
      fact(1, 1, "", 2),  // L by the police, P by the NGO
      fact(2, 0, "", 0),  // nothing known
      fact(3, 1, "32", 2),
  };
  // Person 2's NIK (no origin stated) places it in 53.01.
  set.facts[2].nik_origin = PackRegion("53.01");
  auto sex = Tabulate(set, std::vector<Dim>{Dim::kSex});
  ASSERT_TRUE(sex.ok());
  EXPECT_THAT(Rows(*sex), ElementsAre(R({"L"}, 2, 1, 0), R({"P"}, 1, 1, 0),
                                      R({"unknown"}, 1, 1, 0), R({"*"}, 4, 3, 0)));
  auto origin = Tabulate(set, std::vector<Dim>{Dim::kOriginRegency});
  ASSERT_TRUE(origin.ok());
  EXPECT_THAT(Rows(*origin), ElementsAre(R({"53.01"}, 1, 1, 0), R({"53.71"}, 2, 1, 0),
                                         R({"unknown"}, 1, 1, 0), R({"*"}, 4, 3, 0)));
  // Rows add up to the total for every single-valued dimension.
  for (Dim d : {Dim::kOriginProvince, Dim::kSex, Dim::kAgeGroup, Dim::kChild}) {
    auto t = Tabulate(set, std::vector<Dim>{d});
    ASSERT_TRUE(t.ok());
    int64_t sum = 0, total = 0;
    for (const StatCell& c : t->cells) (c.interior() ? sum : total) += c.persons;
    EXPECT_EQ(sum, total) << DimName(d);
  }
}

TEST(Tabulate, APersonsFactsComeFromRecordsOutsideThePeriodButNotOutsideTheRegion) {
  FactSet set;
  set.agencies = {{10, "POLDA-NTT", "Polda NTT", "police", PackRegion("53")},
                  {11, "POLDA-JABAR", "Polda Jabar", "police", PackRegion("32")}};
  Fact a;  // 2023 at NTT: origin 53.71
  a.person = 1;
  a.agency = 0;
  a.report_date = 20230301;
  a.origin = PackRegion("53.71");
  Fact b = a;  // 2024 at NTT: no origin
  b.report_date = 20240301;
  b.origin = 0;
  Fact c = b;  // 2024 in West Java: female
  c.agency = 1;
  c.sex = 2;
  set.facts = {a, b, c};
  FactFilter in_2024;
  in_2024.from = 20240101;
  auto t = Tabulate(set, std::vector<Dim>{Dim::kOriginRegency}, in_2024);
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(Rows(*t), ElementsAre(R({"53.71"}, 2, 1, 0), R({"*"}, 2, 1, 0)));
  // NTT's own view by agency region: West Java's record does not speak there.
  FactFilter ntt;
  ntt.region = PackRegion("53");
  ntt.by_origin = false;
  t = Tabulate(set, std::vector<Dim>{Dim::kSex}, ntt);
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(Rows(*t), ElementsAre(R({"unknown"}, 2, 1, 0), R({"*"}, 2, 1, 0)));
}

TEST(FindDisagreements, ListsPersonsWhoseRecordsDisagreeNewestFirst) {
  FactSet set;
  set.agencies = {{10, "POLDA-NTT", "Polda NTT", "police", PackRegion("53")}};
  auto fact = [](int64_t person, int date, int sex, std::string_view origin) {
    Fact f;
    f.person = person;
    f.report_date = date;
    f.sex = static_cast<int8_t>(sex);
    f.origin = PackRegion(origin);
    return f;
  };
  set.facts = {fact(1, 20230101, 1, "53"),    fact(1, 20230201, 2, "53"),  // sex
               fact(2, 20240101, 1, "53.71"), fact(2, 20240102, 1, "53"),  // agree
               fact(3, 20240301, 1, "53.71"), fact(3, 20240302, 0, "32.02")};
  std::vector<Disagreement> d = FindDisagreements(set, {});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].person, 3);
  EXPECT_EQ(d[0].fields, 1u << static_cast<int>(PersonField::kOrigin));
  EXPECT_EQ(d[1].person, 1);
  EXPECT_EQ(d[1].fields, 1u << static_cast<int>(PersonField::kSex));
  EXPECT_EQ(d[1].records, 2);
  FactFilter in_2024;
  in_2024.from = 20240101;
  EXPECT_EQ(FindDisagreements(set, in_2024).size(), 1u);
}

}  // namespace
}  // namespace gugus::report
