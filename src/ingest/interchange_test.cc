#include "ingest/interchange.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gugus::ingest {
namespace {

using ::testing::HasSubstr;

TEST(MapHeaderTest, AcceptsKeysAndAliasesInAnySpelling) {
  auto map = MapHeader({"ID Rekaman", "TANGGAL-LAPORAN", "nama", "Jenis_Kelamin",
                        "Kolom Lain", "birth date"});
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_EQ(map->column[static_cast<int>(Field::kRecordId)], 0);
  EXPECT_EQ(map->column[static_cast<int>(Field::kReportDate)], 1);
  EXPECT_EQ(map->column[static_cast<int>(Field::kName)], 2);
  EXPECT_EQ(map->column[static_cast<int>(Field::kSex)], 3);
  EXPECT_EQ(map->column[static_cast<int>(Field::kBirthDate)], 5);
  EXPECT_EQ(map->column[static_cast<int>(Field::kNik)], -1);
  EXPECT_EQ(map->extra, std::vector<int>{4});
}

TEST(MapHeaderTest, NamesEveryMissingRequiredColumn) {
  auto map = MapHeader({"nama", "nik"});
  ASSERT_FALSE(map.ok());
  std::string message(map.status().message());
  EXPECT_THAT(message, HasSubstr("record_id (id_rekaman)"));
  EXPECT_THAT(message, HasSubstr("report_date (tanggal_laporan)"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("name (nama)")));
}

TEST(MapHeaderTest, RefusesTwoColumnsForOneField) {
  auto map = MapHeader({"record_id", "report_date", "name", "nama"});
  ASSERT_FALSE(map.ok());
  EXPECT_THAT(std::string(map.status().message()),
              HasSubstr("more than one column for: name"));
}

class ValidatorTest : public ::testing::Test {
 protected:
  Validation Run(std::vector<std::string> cells) {
    RawRow row;
    row.line = 2;
    row.cells = std::move(cells);
    return validator_.Validate(row, *map_);
  }
  RegionIndex regions_;
  CountryIndex countries_;
  RowValidator validator_{regions_, countries_, Date{2024, 1, 31}};
  absl::StatusOr<ColumnMap> map_ = MapHeader(
      {"record_id", "report_date", "name", "age", "birth_date", "incident_date"});
};

TEST_F(ValidatorTest, ReportDateTodayIsAcceptedTomorrowIsFuture) {
  EXPECT_TRUE(Run({"a", "31/01/2024", "Siti", "", "", ""}).accepted);
  Validation v = Run({"b", "01/02/2024", "Siti", "", "", ""});
  ASSERT_FALSE(v.accepted);
  EXPECT_EQ(v.reasons[0].code, "future");
}

TEST_F(ValidatorTest, AgeBoundsAndConsistency) {
  EXPECT_TRUE(Run({"a", "2024-01-01", "Siti", "0", "", ""}).accepted);
  EXPECT_TRUE(Run({"b", "2024-01-01", "Siti", "120", "", ""}).accepted);
  EXPECT_FALSE(Run({"c", "2024-01-01", "Siti", "121", "", ""}).accepted);
  EXPECT_FALSE(Run({"d", "2024-01-01", "Siti", "-1", "", ""}).accepted);
  EXPECT_FALSE(Run({"e", "2024-01-01", "Siti", "20.5", "", ""}).accepted);
  Validation v = Run({"f", "2024-01-01", "Siti", "40", "2000-01-01", ""});
  ASSERT_TRUE(v.accepted);
  ASSERT_EQ(v.record.warnings.size(), 1u);
  EXPECT_EQ(v.record.warnings[0].code, "inconsistent");
}

TEST_F(ValidatorTest, BadIncidentDateOnlyWarns) {
  Validation v = Run({"a", "2024-01-01", "Siti", "", "", "bulan lalu"});
  ASSERT_TRUE(v.accepted);
  ASSERT_EQ(v.record.warnings.size(), 1u);
  EXPECT_EQ(v.record.warnings[0].field, "incident_date");
}

TEST_F(ValidatorTest, MalformedRowIsRejectedWithTheReadersReason) {
  RawRow row;
  row.cells = {"a", "2024-01-01", "Siti", "", "", ""};
  row.problem = "row has 8 cells, header has 6";
  Validation v = validator_.Validate(row, *map_);
  ASSERT_FALSE(v.accepted);
  EXPECT_EQ(v.reasons[0].code, "malformed");
}

// An import validates every row into the same Validation: nothing of one row may
// show in the next.
TEST_F(ValidatorTest, ReusedValidationKeepsNothingOfTheRowBefore) {
  Validation v;
  RawRow row;
  row.cells = {"a", "2024-01-01", "Maria  Yosefina", "40", "2000-01-01", "kemarin"};
  validator_.Validate(row, *map_, v);
  ASSERT_TRUE(v.accepted);
  EXPECT_EQ(v.record[Field::kName], "Maria Yosefina");
  EXPECT_EQ(v.record.age, 40);
  EXPECT_EQ(v.record.warnings.size(), 2u);  // inconsistent age, bad incident date

  row.cells = {"b", "", "Siti", "", "", ""};
  validator_.Validate(row, *map_, v);
  ASSERT_FALSE(v.accepted);
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_EQ(v.reasons[0].code, "missing");

  row.cells = {"c", "2024-01-02", "Siti", "", "", ""};
  validator_.Validate(row, *map_, v);
  ASSERT_TRUE(v.accepted);
  EXPECT_TRUE(v.reasons.empty());
  EXPECT_TRUE(v.record.warnings.empty());
  EXPECT_EQ(v.record[Field::kRecordId], "c");
  EXPECT_EQ(v.record[Field::kName], "Siti");
  EXPECT_EQ(v.record[Field::kReportDate], "2024-01-02");
  EXPECT_FALSE(v.record.age.has_value());
  for (Field f : {Field::kAge, Field::kBirthDate, Field::kIncidentDate})
    EXPECT_EQ(v.record[f], "") << Spec(f).key;
  EXPECT_EQ(v.record[Field::kNationality], "ID");
}

}  // namespace
}  // namespace gugus::ingest
