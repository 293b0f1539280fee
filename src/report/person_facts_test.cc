#include "report/person_facts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/nik.h"
#include "report/cube.h"

namespace gugus::report {
namespace {

using ingest::Field;

// A record of a person as an agency wrote it.
struct Rec {
  std::string agency = "POLDA-NTT", type = "police", id = "1";
  std::string report = "2024-03-01", sex, birth, origin, nationality = "ID", nik;
};

FactWitness W(const Rec& r, ingest::ParsedRecord& storage) {
  storage = {};
  storage[Field::kRecordId] = r.id;
  storage[Field::kReportDate] = r.report;
  storage[Field::kSex] = r.sex;
  storage[Field::kBirthDate] = r.birth;
  storage[Field::kOriginRegion] = r.origin;
  storage[Field::kNationality] = r.nationality;
  storage[Field::kNik] = r.nik;
  return WitnessOf(storage, r.agency, r.type);
}

PersonFacts Resolve(const std::vector<Rec>& recs) {
  std::vector<ingest::ParsedRecord> parsed(recs.size());
  std::vector<FactWitness> w;
  for (size_t i = 0; i < recs.size(); ++i) w.push_back(W(recs[i], parsed[i]));
  return ResolvePersonFacts(w);
}

std::string Text(const PersonFacts& p, PersonField f) {
  return FactValueText(f, p[f].value);
}

// A valid NIK of a woman born 1 May 1990, registered in Kota Kupang (53.71).
std::string KupangNik() {
  return FormatNik("53.71.01", Date{1990, 5, 1}, Sex::kFemale, 17);
}

TEST(PersonFacts, NoRecordKnowsIsUnknown) {
  PersonFacts p = Resolve({Rec{}, Rec{.id = "2"}});
  EXPECT_EQ(p[PersonField::kSex].rule, FactRule::kUnknown);
  EXPECT_EQ(Text(p, PersonField::kOrigin), "");
  EXPECT_EQ(p.age, -1);
  EXPECT_EQ(p.disagreements(), 0u);
}

TEST(PersonFacts, ARecordThatKnowsDecidesAgainstOnesThatDoNot) {
  // One agency wrote 53.71, the other nothing: the person is from 53.71, not also
  // from nowhere.
  PersonFacts p = Resolve({Rec{.origin = "53.71"}, Rec{.id = "2"}});
  EXPECT_EQ(Text(p, PersonField::kOrigin), "53.71");
  EXPECT_EQ(p[PersonField::kOrigin].rule, FactRule::kAgreement);
  EXPECT_FALSE(p[PersonField::kOrigin].disagreement);
}

TEST(PersonFacts, ARecordWithoutOriginTakesItsNiksRegency) {
  PersonFacts p = Resolve({Rec{.nik = KupangNik()}});
  EXPECT_EQ(Text(p, PersonField::kOrigin), "53.71");
  EXPECT_EQ(Text(p, PersonField::kSex), "P");
  EXPECT_EQ(Text(p, PersonField::kBirthDate), "1990-05-01");
  EXPECT_EQ(Text(p, PersonField::kNik), KupangNik());
  EXPECT_EQ(p.age, 33);  // on the report, 2024-03-01
}

TEST(PersonFacts, AProvinceAgreesWithARegencyInsideItAndTheRegencyWins) {
  PersonFacts p = Resolve({Rec{.origin = "53"}, Rec{.id = "2", .origin = "53.71"}});
  EXPECT_EQ(Text(p, PersonField::kOrigin), "53.71");
  EXPECT_EQ(p[PersonField::kOrigin].rule, FactRule::kAgreement);
  // A province stated alone is narrowed by the record's own NIK.
  p = Resolve({Rec{.origin = "53", .nik = KupangNik()}});
  EXPECT_EQ(Text(p, PersonField::kOrigin), "53.71");
}

TEST(PersonFacts, DisagreementGoesToTheMajority) {
  PersonFacts p = Resolve({Rec{.sex = "P"}, Rec{.id = "2", .sex = "P"},
                           Rec{.agency = "LSM", .type = "ngo", .id = "3", .sex = "L"}});
  EXPECT_EQ(Text(p, PersonField::kSex), "P");
  EXPECT_EQ(p[PersonField::kSex].rule, FactRule::kMajority);
  EXPECT_TRUE(p[PersonField::kSex].disagreement);
  EXPECT_EQ(p.disagreements(), 1u << static_cast<int>(PersonField::kSex));
}

TEST(PersonFacts, ATieGoesToTheValueTheNikConfirms) {
  // Two records say L, two say P; the NIK one of them carries encodes P.
  PersonFacts p = Resolve(
      {Rec{.sex = "L"}, Rec{.agency = "LSM", .type = "ngo", .id = "2", .sex = "P"},
       Rec{.agency = "DINSOS",
           .type = "social_service",
           .id = "3",
           .sex = "P",
           .nik = KupangNik()},
       Rec{.agency = "BP3MI", .type = "migrant_worker_agency", .id = "4", .sex = "L"}});
  EXPECT_EQ(Text(p, PersonField::kSex), "P");
  EXPECT_EQ(p[PersonField::kSex].rule, FactRule::kNik);
}

TEST(PersonFacts, ThenTheAgencyTypeMostTrustedForTheField) {
  // Sex: the police over an NGO. Origin: the social service over the police.
  PersonFacts p = Resolve(
      {Rec{.agency = "LSM", .type = "ngo", .id = "1", .sex = "L", .origin = "32.02"},
       Rec{.agency = "POLDA", .type = "police", .id = "2", .sex = "P", .origin = "53.71"},
       Rec{.agency = "DINSOS", .type = "social_service", .id = "3", .origin = "32.02"},
       Rec{.agency = "POLRES", .type = "police", .id = "4", .origin = "53.71"}});
  EXPECT_EQ(Text(p, PersonField::kSex), "P");
  EXPECT_EQ(p[PersonField::kSex].rule, FactRule::kAgencyType);
  EXPECT_EQ(Text(p, PersonField::kOrigin), "32.02");
  EXPECT_EQ(p[PersonField::kOrigin].rule, FactRule::kAgencyType);
  EXPECT_LT(TrustRank(PersonField::kNationality, "immigration"),
            TrustRank(PersonField::kNationality, "police"));
  EXPECT_GT(TrustRank(PersonField::kSex, "something-else"),
            TrustRank(PersonField::kSex, "other"));
}

TEST(PersonFacts, ThenTheMostRecentReportThenAStableKeyNotTheOrderGiven) {
  Rec older{.id = "1", .report = "2023-01-01", .birth = "1990-01-01"};
  Rec newer{.id = "2", .report = "2024-01-01", .birth = "1991-01-01"};
  for (const auto& recs :
       {std::vector<Rec>{older, newer}, std::vector<Rec>{newer, older}}) {
    PersonFacts p = Resolve(recs);
    EXPECT_EQ(Text(p, PersonField::kBirthDate), "1991-01-01");
    EXPECT_EQ(p[PersonField::kBirthDate].rule, FactRule::kRecent);
  }
  // Same day, same agency type: the stable key decides, whichever comes first.
  Rec a{.id = "A-1", .birth = "1990-01-01"}, b{.id = "B-1", .birth = "1991-01-01"};
  EXPECT_EQ(Text(Resolve({a, b}), PersonField::kBirthDate),
            Text(Resolve({b, a}), PersonField::kBirthDate));
}

TEST(PersonFacts, TwoRegenciesDisagreeButAProvinceAndItsRegencyDoNot) {
  PersonFacts p = Resolve({Rec{.origin = "53.71"}, Rec{.id = "2", .origin = "53.01"},
                           Rec{.id = "3", .origin = "53"}});
  EXPECT_TRUE(p[PersonField::kOrigin].disagreement);
  EXPECT_EQ(p[PersonField::kOrigin].value / 10000, 53);  // either way, province 53
}

TEST(PersonFacts, DifferentNiksAreADisagreement) {
  PersonFacts p = Resolve(
      {Rec{.nik = KupangNik()},
       Rec{.id = "2", .nik = FormatNik("53.71.01", Date{1990, 5, 1}, Sex::kFemale, 18)}});
  EXPECT_TRUE(p[PersonField::kNik].disagreement);
  EXPECT_FALSE(p[PersonField::kSex].disagreement);
}

TEST(PersonFacts, AgeFromTheBirthDateAtTheEarliestExploitationElseTheEarliestAge) {
  ingest::ParsedRecord a, b;
  a[Field::kRecordId] = "1";
  a[Field::kReportDate] = "2024-03-01";
  a[Field::kIncidentDate] = "2020-06-01";
  b[Field::kRecordId] = "2";
  b[Field::kReportDate] = "2022-01-01";
  b[Field::kBirthDate] = "2004-01-01";
  std::vector<FactWitness> w = {WitnessOf(a, "X", "ngo"), WitnessOf(b, "Y", "ngo")};
  EXPECT_EQ(ResolvePersonFacts(w).age, 16);  // a child when first exploited
  b[Field::kBirthDate] = "";
  b.age = 19;
  a.age = 22;
  w = {WitnessOf(a, "X", "ngo"), WitnessOf(b, "Y", "ngo")};
  // No birth date: the age of the record whose exploitation came first (a: 2020).
  EXPECT_EQ(ResolvePersonFacts(w).age, 22);
}

TEST(PersonFacts, ValuesAsText) {
  EXPECT_EQ(FactValueText(PersonField::kNationality, NationalityCode("MY")), "MY");
  EXPECT_EQ(FactValueText(PersonField::kBirthDate, 19900501), "1990-05-01");
  EXPECT_EQ(FactValueText(PersonField::kOrigin, PackRegion("32.02.05")), "32.02.05");
  EXPECT_EQ(FactValueText(PersonField::kSex, 0), "");
  EXPECT_EQ(PersonFieldName(PersonField::kOrigin), "origin_region");
  EXPECT_EQ(FactRuleName(FactRule::kAgencyType), "agency_type");
}

}  // namespace
}  // namespace gugus::report
