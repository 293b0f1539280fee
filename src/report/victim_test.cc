#include "report/victim.h"

#include <gtest/gtest.h>

namespace gugus::report {
namespace {

using ingest::Field;

TEST(AgeBand, CtdcBoundaries) {
  EXPECT_EQ(AgeBand(-1), -1);
  const std::pair<int, std::string_view> cases[] = {
      {0, "0-8"},    {8, "0-8"},    {9, "9-17"},   {17, "9-17"},  {18, "18-20"},
      {20, "18-20"}, {21, "21-23"}, {23, "21-23"}, {24, "24-26"}, {26, "24-26"},
      {27, "27-29"}, {29, "27-29"}, {30, "30-38"}, {38, "30-38"}, {39, "39-47"},
      {47, "39-47"}, {48, "48+"},   {120, "48+"}};
  for (const auto& [age, label] : cases)
    EXPECT_EQ(AgeBandLabel(AgeBand(age)), label) << age;
  EXPECT_EQ(CtdcAgeBandLabel(AgeBand(10)), "9--17");
  EXPECT_EQ(AgeBandLabel(-1), "");
}

TEST(AgeAtExploitation, FromBirthDateToIncidentElseReport) {
  ingest::ParsedRecord r;
  r[Field::kReportDate] = "2024-05-01";
  r[Field::kBirthDate] = "2006-06-15";
  EXPECT_EQ(AgeAtExploitation(r), 17);  // at report
  r[Field::kIncidentDate] = "2023-01-10";
  EXPECT_EQ(AgeAtExploitation(r), 16);     // at the incident
  r[Field::kIncidentDate] = "2001-01-01";  // before birth: a typo, use the report date
  EXPECT_EQ(AgeAtExploitation(r), 17);
}

TEST(AgeAtExploitation, StatedAgeWhenNoBirthDate) {
  ingest::ParsedRecord r;
  r[Field::kReportDate] = "2024-05-01";
  EXPECT_EQ(AgeAtExploitation(r), std::nullopt);
  r.age = 15;
  EXPECT_EQ(AgeAtExploitation(r), 15);
}

// A NIK without a birth date: a woman born 12 March 2007 (day + 40) in 53.01.01.
TEST(AgeAtExploitation, FromTheNikWhenNoBirthDate) {
  ingest::ParsedRecord r;
  r[Field::kReportDate] = "2024-05-01";
  r[Field::kNik] = "5301015203070001";
  EXPECT_EQ(AgeAtExploitation(r), 17);
  r[Field::kIncidentDate] = "2023-01-10";
  EXPECT_EQ(AgeAtExploitation(r), 15);
  // A stated birth date wins over the NIK's; a NIK that is no NIK is ignored.
  r[Field::kBirthDate] = "2006-01-01";
  EXPECT_EQ(AgeAtExploitation(r), 17);
  r[Field::kBirthDate] = "";
  r[Field::kNik] = "5301019903070001";  // day 99: no date
  r.age = 20;
  EXPECT_EQ(AgeAtExploitation(r), 20);
}

}  // namespace
}  // namespace gugus::report
