#include "ingest/stored_form.h"

#include "gtest/gtest.h"

namespace gugus::ingest {
namespace {

TEST(StoredFormTest, CellsRoundTripIncludingQuotesNewlinesAndEmptyCells) {
  std::vector<std::string> cells = {"R1", "", "Siti \"Ani\"\nbinti Ahmad", "José",
                                    "a\\b"};
  auto decoded = DecodeCells(EncodeCells(cells));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, cells);
}

TEST(StoredFormTest, EveryAsciiCharacterAndMultibyteTextRoundTrip) {
  std::string all;
  for (int c = 1; c < 128; ++c) all.push_back(static_cast<char>(c));
  std::vector<std::string> cells = {all, "Ni Luh Ayu \u00e9 \u20ac \U0001F600",
                                    "\x1f\x7f"};
  auto decoded = DecodeCells(EncodeCells(cells));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, cells);
}

TEST(StoredFormTest, InvalidUtf8IsReplacedNotLost) {
  auto decoded =
      DecodeCells(EncodeCells({"ab\xff"
                               "cd"}));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ((*decoded)[0],
            "ab\xef\xbf\xbd"
            "cd");
}

TEST(StoredFormTest, RawCellsEqualToParsedValuesAreElidedAndRestored) {
  std::vector<std::string> header = {"record_id", "report_date", "name", "extra"};
  auto columns = MapHeader(header);
  ASSERT_TRUE(columns.ok());
  ParsedRecord parsed;
  parsed[Field::kRecordId] = "R1";
  parsed[Field::kReportDate] = "2023-06-14";
  parsed[Field::kName] = "Siti Aminah";
  std::vector<std::string> cells = {"R1", "14/06/2023", "Siti Aminah", "R1"};
  std::string encoded = EncodeRawCells(cells, *columns, parsed);
  EXPECT_EQ(encoded, R"([null,"14/06/2023",null,"R1"])");
  auto decoded = DecodeRawCells(encoded, header, parsed);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, cells);

  std::string reused = R"(["an earlier row","with more cells","than this one","x","y"])";
  EncodeRawCells(cells, *columns, parsed, reused);
  EXPECT_EQ(reused, encoded);
}

TEST(StoredFormTest, IssuesRoundTrip) {
  std::vector<Issue> issues = {{"nik", "malformed", "NIK must have 16 digits (has 15)"},
                               {"", "malformed", "row has 3 cells"}};
  auto decoded = DecodeIssues(EncodeIssues(issues));
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->size(), 2u);
  EXPECT_EQ((*decoded)[0].message, issues[0].message);
  EXPECT_EQ((*decoded)[1].field, "");
  EXPECT_EQ(EncodeIssues({}), "[]");
}

TEST(StoredFormTest, DamagedTextIsDataLoss) {
  EXPECT_TRUE(absl::IsDataLoss(DecodeCells("[\"a\"").status()));
  EXPECT_TRUE(absl::IsDataLoss(DecodeCells("[1]").status()));
  EXPECT_TRUE(absl::IsDataLoss(DecodeIssues("{}").status()));
}

}  // namespace
}  // namespace gugus::ingest
