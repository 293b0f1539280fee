#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/reader.h"
#include "ingest/reader_internal.h"
#include "ingest/reader_test_util.h"

namespace gugus::ingest {
namespace {

using ::testing::AnyOf;
using ::testing::ElementsAre;
using testing::Fixture;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ReadAll;
using ::testing::StartsWith;

std::string ScratchPath(const std::string& stem) {
  static int counter = 0;
  return (std::filesystem::temp_directory_path() /
          ("gugus_xlsx_test_" + std::to_string(::getpid()) + "_" +
           std::to_string(counter++) + "_" + stem))
      .string();
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A zip with the given entries (name → content), as bytes.
std::string MakeZip(const std::map<std::string, std::string>& entries) {
  std::string path = ScratchPath("made.zip");
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(zip, nullptr);
  for (const auto& [name, content] : entries) {
    zip_source_t* src = zip_source_buffer(zip, content.data(), content.size(), 0);
    EXPECT_GE(zip_file_add(zip, name.c_str(), src, ZIP_FL_OVERWRITE), 0);
  }
  EXPECT_EQ(zip_close(zip), 0);
  std::string bytes = Slurp(path);
  std::remove(path.c_str());
  return bytes;
}

constexpr char kWorkbook[] =
    R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>)";
constexpr char kRels[] =
    R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>)";

// A minimal workbook around the given <sheetData> content.
std::string MakeXlsx(const std::string& sheet_data, const std::string& shared = "") {
  std::map<std::string, std::string> entries = {
      {"xl/workbook.xml", kWorkbook},
      {"xl/_rels/workbook.xml.rels", kRels},
      {"xl/worksheets/sheet1.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
           sheet_data + "</sheetData></worksheet>"}};
  if (!shared.empty()) {
    entries["xl/sharedStrings.xml"] =
        R"(<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)" +
        shared + "</sst>";
  }
  return MakeZip(entries);
}

// Reads until the end or the first error; the error, or OK.
absl::Status Drain(RowReader& reader) {
  RawRow row;
  for (;;) {
    absl::StatusOr<bool> more = reader.Next(row);
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
  }
}

TEST(XlsxReader, HandMadeFixture) {
  auto reader = OpenXlsx(Fixture("sample.xlsx"));
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->info().format, FileFormat::kXlsx);
  EXPECT_EQ((*reader)->info().encoding, "utf-8");
  // The first tab ("Korban", data.xml), not sheet1.xml; the header is row 2.
  EXPECT_THAT((*reader)->header(), ElementsAre("id_rekaman", "nama", "tanggal_laporan",
                                               "umur", "aktif", "keterangan"));
  std::vector<RawRow> rows = ReadAll(**reader);
  ASSERT_EQ(rows.size(), 3u);

  EXPECT_EQ(rows[0].line, 3);
  EXPECT_THAT(rows[0].cells, ElementsAre("R-001", "Siti Aminah", "44197", "25", "TRUE",
                                         "baris satu\r\nbaris dua"));
  EXPECT_THAT(rows[0].numeric, ElementsAre(false, false, true, true, false, false));
  EXPECT_THAT(rows[0].problem, IsEmpty());

  EXPECT_EQ(rows[1].line, 5);  // row 4 is missing from the sheet
  EXPECT_THAT(rows[1].cells,
              ElementsAre("R-002", "", "0.30000000000000004", "", "FALSE", "OK"));
  EXPECT_THAT(rows[1].numeric, ElementsAre(false, false, true, false, false, false));

  EXPECT_EQ(rows[2].line, 7);  // row 6 holds only an empty cell
  EXPECT_THAT(rows[2].cells,
              ElementsAre("R-003", "Tom & Jerry <3", "", "15", "", "", "", "stray"));
  EXPECT_EQ(rows[2].problem, "row has 8 cells, header has 6");
  EXPECT_EQ(rows[2].numeric.size(), rows[2].cells.size());
  EXPECT_TRUE(rows[2].numeric[3]);
  EXPECT_GT((*reader)->bytes_read(), 0u);
  EXPECT_LE((*reader)->bytes_read(), (*reader)->info().size_bytes);

  auto sniffed = OpenTable(Fixture("sample.xlsx"));
  ASSERT_TRUE(sniffed.ok()) << sniffed.status();
  EXPECT_EQ((*sniffed)->info().format, FileFormat::kXlsx);
}

TEST(XlsxReader, WrittenByLibxlsxwriter) {
  std::string path = ScratchPath("types.xlsx");
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "Data");
  const char* header[] = {"record_id", "name",     "report_date", "age",
                          "weight",    "verified", "score"};
  for (int c = 0; c < 7; ++c) worksheet_write_string(sheet, 0, c, header[c], nullptr);
  lxw_format* date_format = workbook_add_format(workbook);
  format_set_num_format(date_format, "dd/mm/yyyy");
  lxw_datetime date = {2021, 1, 1, 0, 0, 0};
  worksheet_write_string(sheet, 1, 0, "X-1", nullptr);
  worksheet_write_string(sheet, 1, 1, "D\u00e9wi \u20ac \"Ayu\" <b>", nullptr);
  worksheet_write_datetime(sheet, 1, 2, &date, date_format);
  worksheet_write_number(sheet, 1, 3, 31, nullptr);
  worksheet_write_number(sheet, 1, 4, 1.0 / 3.0, nullptr);
  worksheet_write_boolean(sheet, 1, 5, 1, nullptr);
  worksheet_write_formula_num(sheet, 1, 6, "=D2*2", nullptr, 62);
  // Row 3 left empty; row 4 sparse.
  worksheet_write_string(sheet, 3, 0, "X-2", nullptr);
  worksheet_write_number(sheet, 3, 3, -7.25, nullptr);
  worksheet_write_number(sheet, 3, 4, 3201234567890123.0, nullptr);
  ASSERT_EQ(workbook_close(workbook), LXW_NO_ERROR);

  auto reader = OpenTable(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_THAT((*reader)->header(), ElementsAre("record_id", "name", "report_date", "age",
                                               "weight", "verified", "score"));
  std::vector<RawRow> rows = ReadAll(**reader);
  std::remove(path.c_str());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_THAT(rows[0].cells, ElementsAre("X-1", "D\u00e9wi \u20ac \"Ayu\" <b>", "44197",
                                         "31", "0.3333333333333333", "TRUE", "62"));
  EXPECT_THAT(rows[0].numeric, ElementsAre(false, false, true, true, true, false, true));
  EXPECT_EQ(rows[1].line, 4);
  EXPECT_THAT(rows[1].cells,
              ElementsAre("X-2", "", "", "-7.25", "3201234567890123", "", ""));
}

// 50,000 rows in constant-memory mode (inline strings), read back with correct
// numbers; the reader's memory does not depend on the sheet's size.
TEST(XlsxReader, BigGeneratedSheet) {
  std::string path = ScratchPath("big.xlsx");
  lxw_workbook_options options = {
      .constant_memory = LXW_TRUE, .tmpdir = nullptr, .use_zip64 = LXW_FALSE};
  lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, nullptr);
  worksheet_write_string(sheet, 0, 0, "record_id", nullptr);
  worksheet_write_string(sheet, 0, 1, "name", nullptr);
  worksheet_write_string(sheet, 0, 2, "age", nullptr);
  constexpr int kRows = 50000;
  for (int r = 1; r <= kRows; ++r) {
    std::string id = "R-" + std::to_string(r);
    worksheet_write_string(sheet, r, 0, id.c_str(), nullptr);
    worksheet_write_string(sheet, r, 1, "Nama Orang Yang Cukup Panjang", nullptr);
    worksheet_write_number(sheet, r, 2, r % 90, nullptr);
  }
  ASSERT_EQ(workbook_close(workbook), LXW_NO_ERROR);

  auto reader = OpenXlsx(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  RawRow row;
  int count = 0;
  uint64_t progress = 0;
  for (;;) {
    absl::StatusOr<bool> more = (*reader)->Next(row);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    ++count;
    ASSERT_EQ(row.line, count + 1);
    ASSERT_EQ(row.cells[0], "R-" + std::to_string(count));
    ASSERT_EQ(row.cells[2], std::to_string(count % 90));
    ASSERT_GE((*reader)->bytes_read(), progress);
    progress = (*reader)->bytes_read();
  }
  EXPECT_EQ(count, kRows);
  EXPECT_EQ((*reader)->bytes_read(), (*reader)->info().size_bytes);

  // The same file cut short, and with bytes flipped inside the compressed sheet.
  std::string bytes = Slurp(path);
  std::remove(path.c_str());
  for (size_t keep : {bytes.size() / 2, bytes.size() - 10, size_t{30}}) {
    auto truncated = OpenXlsxFromString(bytes.substr(0, keep));
    EXPECT_EQ(truncated.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(truncated.status().message()),
                StartsWith("the XLSX file is damaged: "));
  }
  std::string flipped = bytes;
  for (size_t i = bytes.size() / 3; i < bytes.size() / 3 + 64; ++i) flipped[i] ^= 0x5A;
  auto damaged = OpenXlsxFromString(flipped);
  absl::Status status = damaged.ok() ? Drain(**damaged) : damaged.status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith("the XLSX file is damaged: "));
}

TEST(XlsxReader, ZipThatIsNotAWorkbook) {
  std::string zip = MakeZip({{"hello.txt", "hello"}, {"word/document.xml", "<w/>"}});
  auto reader = OpenXlsxFromString(zip);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(reader.status().message()), HasSubstr("not an XLSX workbook"));
  std::string path = ScratchPath("not.xlsx");
  std::ofstream(path, std::ios::binary) << zip;
  EXPECT_EQ(OpenTable(path).status().code(), absl::StatusCode::kInvalidArgument);
  std::remove(path.c_str());
}

TEST(XlsxReader, NotAZipAtAll) {
  auto text = OpenXlsxFromString("id,name\n1,Ani\n");
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(text.status().message()),
              StartsWith("the XLSX file is damaged: "));
  EXPECT_EQ(OpenXlsxFromString("").status().message(), "the file is empty");
  EXPECT_EQ(OpenXlsx("/nonexistent/x.xlsx").status().code(), absl::StatusCode::kNotFound);
}

TEST(XlsxReader, NamespacePrefixesAndNoRelationships) {
  // Written like .NET's Open XML SDK: prefixed elements; no workbook rels, so the
  // reader falls back to sheet1.xml.
  std::string zip = MakeZip(
      {{"xl/workbook.xml",
        R"(<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheets><x:sheet name="S" sheetId="1"/></x:sheets></x:workbook>)"},
       {"xl/worksheets/sheet1.xml",
        R"(<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>id</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>name</x:t></x:is></x:c></x:row><x:row r="2"><x:c t="inlineStr"><x:is><x:t>1</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>Ani</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>)"}});
  auto reader = OpenXlsxFromString(zip);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_THAT((*reader)->header(), ElementsAre("id", "name"));
  std::vector<RawRow> rows = ReadAll(**reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].cells, ElementsAre("1", "Ani"));  // cells without r follow on
}

TEST(XlsxReader, MissingWorksheetIsDamage) {
  std::string zip =
      MakeZip({{"xl/workbook.xml", kWorkbook}, {"xl/_rels/workbook.xml.rels", kRels}});
  auto reader = OpenXlsxFromString(zip);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(reader.status().message()),
              StartsWith("the XLSX file is damaged: its first worksheet"));
}

TEST(XlsxReader, EmptyWorksheet) {
  auto none = OpenXlsxFromString(MakeXlsx(""));
  EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(none.status().message()), HasSubstr("worksheet is empty"));
  auto blank =
      OpenXlsxFromString(MakeXlsx(R"(<row r="1"><c r="A1"/></row><row r="2"/>)"));
  EXPECT_THAT(std::string(blank.status().message()), HasSubstr("worksheet is empty"));
}

TEST(XlsxReader, BadReferencesAreRowProblemsNotCrashes) {
  auto reader = OpenXlsxFromString(MakeXlsx(
      R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>)"
      R"(<row r="2"><c r="A2" t="s"><v>7</v></c><c r="B2" t="s"><v>-1</v></c></row>)"
      R"(<row r="3"><c r="A3" t="s"><v>1</v></c><c r="ZZZZZZ3"><v>1</v></c></row>)"
      R"(<row r="4"><c r="A4"><v>not a number</v></c><c r="B4" t="e"><v>#N/A</v></c></row>)"
      R"(<row><c r="A5" t="inlineStr"><is><t>no row number</t></is></c></row>)",
      "<si><t>id</t></si><si><t>name</t></si>"));
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<RawRow> rows = ReadAll(**reader);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_THAT(rows[0].problem, HasSubstr("shared string that does not exist"));
  EXPECT_THAT(rows[1].problem, HasSubstr("bad cell reference"));
  EXPECT_THAT(rows[1].cells, ElementsAre("name", ""));
  EXPECT_THAT(rows[2].cells, ElementsAre("not a number", "#N/A"));
  EXPECT_THAT(rows[2].numeric, ElementsAre(false, false));
  EXPECT_EQ(rows[3].line, 5);
}

TEST(XlsxReader, SheetEndingInsideARowIsAnError) {
  auto reader = OpenXlsxFromString(MakeZip(
      {{"xl/workbook.xml", kWorkbook},
       {"xl/_rels/workbook.xml.rels", kRels},
       {"xl/worksheets/sheet1.xml",
        R"(<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c><v>1</v>)"}}));
  ASSERT_TRUE(reader.ok()) << reader.status();
  absl::Status status = Drain(**reader);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("ends in the middle"));
}

TEST(XlsxReader, ZipBombsAreCappedCleanly) {
  std::string shared;
  for (int i = 0; i < 100000; ++i)
    shared += "<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>";
  std::string rows = R"(<row r="1"><c t="s"><v>0</v></c></row>)";
  for (int i = 2; i < 60000; ++i) {
    rows += "<row r=\"" + std::to_string(i) + "\"><c><v>1</v></c></row>";
  }
  std::string zip = MakeXlsx(rows, shared);
  ASSERT_LT(zip.size(), 1u << 20);  // it expands more than tenfold

  internal::XlsxLimits strings_limit;
  strings_limit.max_shared_strings_bytes = 1 << 20;
  auto strings =
      internal::OpenXlsxWithLimits(internal::ByteSource::FromString(zip), strings_limit);
  EXPECT_EQ(strings.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(strings.status().message()), HasSubstr("zip bomb"));

  internal::XlsxLimits sheet_limit;
  sheet_limit.max_sheet_bytes = 1 << 20;
  auto sheet =
      internal::OpenXlsxWithLimits(internal::ByteSource::FromString(zip), sheet_limit);
  ASSERT_TRUE(sheet.ok()) << sheet.status();
  absl::Status status = Drain(**sheet);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("zip bomb"));

  auto unlimited = OpenXlsxFromString(zip);
  ASSERT_TRUE(unlimited.ok());
  EXPECT_EQ(ReadAll(**unlimited).size(), 59998u);
}

TEST(XlsxReader, NumbersReadAsPeopleTypeThem) {
  auto reader = OpenXlsxFromString(
      MakeXlsx(R"(<row r="1"><c t="inlineStr"><is><t>v</t></is></c></row>)"
               R"(<row r="2"><c><v>44197.0</v></c></row>)"
               R"(<row r="3"><c><v>1E-3</v></c></row>)"
               R"(<row r="4"><c><v>-0</v></c></row>)"
               R"(<row r="5"><c><v>1.2345678901234567E+20</v></c></row>)"
               R"(<row r="6"><c t="n"><v> 12 </v></c></row>)"
               R"(<row r="7"><c t="d"><v>2021-01-01T00:00:00</v></c></row>)"));
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<RawRow> rows = ReadAll(**reader);
  std::vector<std::string> values;
  for (const RawRow& row : rows) values.push_back(row.cells[0]);
  EXPECT_THAT(values, ElementsAre("44197", "0.001", "0", "1.2345678901234567e+20", "12",
                                  "2021-01-01T00:00:00"));
}

}  // namespace
}  // namespace gugus::ingest
