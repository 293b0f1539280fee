#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/reader.h"
#include "ingest/reader_test_util.h"

namespace gugus::ingest {
namespace {

using ::testing::ElementsAre;
using testing::Fixture;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ReadAll;
using testing::ScratchFile;

std::unique_ptr<RowReader> MustOpen(const std::string& content) {
  auto reader = OpenCsvFromString(content);
  EXPECT_TRUE(reader.ok()) << reader.status();
  return reader.ok() ? std::move(*reader) : nullptr;
}

TEST(CsvReader, IndonesianExcelSemicolonWindows1252) {
  auto reader = OpenCsv(Fixture("semicolon_1252.csv"));
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->info().delimiter, ';');
  EXPECT_EQ((*reader)->info().encoding, "windows-1252");
  EXPECT_EQ((*reader)->info().format, FileFormat::kCsv);
  EXPECT_THAT((*reader)->header(), ElementsAre("id_rekaman", "tanggal_laporan", "nama",
                                               "alamat", "berat", "keterangan"));
  std::vector<RawRow> rows = ReadAll(**reader);
  ASSERT_EQ(rows.size(), 3u);  // the row of bare delimiters is skipped
  EXPECT_THAT(rows[0].cells,
              ElementsAre("R-001", "12/03/2023", "Ren\u00e9 Sihombing",
                          "Jl. Merdeka No. 5, Bandung", "50,5", "biaya 100\u20ac"));
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(rows[1].cells[2], "M\u00fcller Siregar");
  EXPECT_EQ(rows[1].cells[5], "kata \"calo\"; lalu pergi");
  EXPECT_THAT(rows[2].cells,
              ElementsAre("R-003", "2021-08-03", "Siti Aminah", "", "", ""));
  EXPECT_EQ(rows[2].line, 4);
  for (const RawRow& row : rows) {
    EXPECT_THAT(row.problem, IsEmpty());
    EXPECT_THAT(row.numeric, IsEmpty());
  }
  EXPECT_EQ((*reader)->bytes_read(), (*reader)->info().size_bytes);
}

TEST(CsvReader, Utf8WithBomStripsTheBom) {
  auto reader = OpenCsv(Fixture("utf8_bom.csv"));
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->info().encoding, "utf-8-bom");
  EXPECT_EQ((*reader)->info().delimiter, ',');
  EXPECT_THAT((*reader)->header(), ElementsAre("record_id", "name", "birth_place"));
  std::vector<RawRow> rows = ReadAll(**reader);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells[1], "Jos\u00e9 Ram\u00edrez");
  EXPECT_THAT(rows[1].cells,
              ElementsAre("A-2", "\u00d1oman", "Kota Bandung, Jawa Barat"));
}

TEST(CsvReader, TabDelimited) {
  auto reader = OpenCsv(Fixture("tab.tsv"));
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->info().delimiter, '\t');
  EXPECT_EQ((*reader)->info().encoding, "utf-8");
  std::vector<RawRow> rows = ReadAll(**reader);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(
      rows[0].cells,
      ElementsAre("T-1", "Dewi", "forced labour;sexual exploitation", "satu, dua"));
  EXPECT_THAT(rows[1].cells, ElementsAre("T-2", "Ayu", "", ""));
  // A short row is padded to the header's width.
  EXPECT_THAT(rows[2].cells, ElementsAre("T-3", "Rina", "debt bondage", ""));
  EXPECT_EQ(rows[2].line, 4);
}

TEST(CsvReader, QuotedCellsSpanLinesAndDoubleQuotes) {
  auto reader = OpenCsv(Fixture("quoted.csv"));
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<RawRow> rows = ReadAll(**reader);
  ASSERT_EQ(rows.size(), 3u);  // trailing empty lines are not rows
  EXPECT_EQ(rows[0].cells[1], "first line\nsecond line\nthird \"quoted\" line");
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_THAT(rows[1].cells, ElementsAre("B", "comma, inside", "Budi \"Bud\" Santoso"));
  EXPECT_EQ(rows[1].line, 5);
  EXPECT_EQ(rows[2].cells[1], "ends with newline\n");
  EXPECT_EQ(rows[2].line, 6);
}

TEST(CsvReader, EmptyFileIsRejected) {
  auto reader = OpenCsv(Fixture("empty.csv"));
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(reader.status().message(), HasSubstr("empty"));
  for (std::string blank : {"", " \r\n\t\n", "\xEF\xBB\xBF", "\xEF\xBB\xBF\r\n  \r\n"}) {
    auto from_string = OpenCsvFromString(blank);
    EXPECT_EQ(from_string.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(from_string.status().message(), "the file is empty");
  }
}

TEST(CsvReader, BinaryFileIsRejected) {
  auto reader = OpenCsv(Fixture("binary.png"));
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(reader.status().message(), "the file is not text (binary data)");
  // Control characters without NULs.
  auto controls = OpenCsvFromString(std::string(100, '\x01') + "a,b\n");
  EXPECT_EQ(controls.status().code(), absl::StatusCode::kInvalidArgument);
  auto utf16 = OpenCsvFromString(std::string("\xFF\xFEi\0d\0", 6));
  EXPECT_THAT(utf16.status().message(), HasSubstr("UTF-16"));
}

TEST(CsvReader, UnreadablePaths) {
  EXPECT_EQ(OpenCsv("/nonexistent/gugus.csv").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(OpenCsv(GUGUS_SOURCE_DIR).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenTable("/nonexistent/gugus.csv").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(CsvReader, OpenTableSniffsTheFormat) {
  for (const char* name :
       {"semicolon_1252.csv", "utf8_bom.csv", "tab.tsv", "quoted.csv"}) {
    auto reader = OpenTable(Fixture(name));
    ASSERT_TRUE(reader.ok()) << name << ": " << reader.status();
    EXPECT_EQ((*reader)->info().format, FileFormat::kCsv) << name;
  }
  EXPECT_EQ(OpenTable(Fixture("empty.csv")).status().message(), "the file is empty");
  EXPECT_EQ(OpenTable(Fixture("binary.png")).status().message(),
            "the file is not text (binary data)");
  EXPECT_EQ(FormatName(FileFormat::kCsv), "csv");
  EXPECT_EQ(FormatName(FileFormat::kXlsx), "xlsx");
  EXPECT_EQ(FormatName(FileFormat::kJsonLines), "jsonl");
}

TEST(CsvReader, AllLineEndsCountAsPhysicalLines) {
  auto reader = MustOpen("a,b\rx,1\r\ny,2\nz,3\r\r\nw,4");
  ASSERT_NE(reader, nullptr);
  std::vector<RawRow> rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_THAT(rows[0].cells, ElementsAre("x", "1"));
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_EQ(rows[2].line, 4);
  EXPECT_EQ(rows[3].line, 6);  // after a blank line (CR, then CRLF)
  EXPECT_THAT(rows[3].cells, ElementsAre("w", "4"));
}

TEST(CsvReader, LineNumbersCountNewlinesInsideQuotes) {
  auto reader = MustOpen("h1,h2\r\n\"a\r\nb\rc\nd\",x\r\nnext,y\r\n");
  ASSERT_NE(reader, nullptr);
  std::vector<RawRow> rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells[0], "a\r\nb\rc\nd");
  EXPECT_EQ(rows[1].line, 6);
}

TEST(CsvReader, LongRowsAreFlaggedAndKept) {
  auto reader = MustOpen("a,b\n1,2,,\n3,4,five,\n");
  ASSERT_NE(reader, nullptr);
  std::vector<RawRow> rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].cells, ElementsAre("1", "2"));  // empty extras are dropped
  EXPECT_THAT(rows[0].problem, IsEmpty());
  EXPECT_EQ(rows[1].problem, "row has 4 cells, header has 2");
  EXPECT_THAT(rows[1].cells, ElementsAre("3", "4", "five"));  // nothing is lost
}

TEST(CsvReader, UnterminatedQuoteAtTheEndIsAProblemRow) {
  auto reader = MustOpen("id,notes\n1,fine\n2,\"never closed\nstill inside");
  ASSERT_NE(reader, nullptr);
  std::vector<RawRow> rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].problem, IsEmpty());
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_THAT(rows[1].problem, HasSubstr("unterminated quote"));
  EXPECT_THAT(rows[1].problem, HasSubstr("line 3"));
  EXPECT_EQ(rows[1].cells[1], "never closed\nstill inside");
}

TEST(CsvReader, TextAroundQuotesIsKeptAsSpreadsheetsDo) {
  auto reader = MustOpen("a,b,c\n5\" pipe,\"x\"y,\"\"\n");
  ASSERT_NE(reader, nullptr);
  std::vector<RawRow> rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].cells, ElementsAre("5\" pipe", "xy", ""));
}

TEST(CsvReader, TrailingDelimiterAtEndOfFileMakesAnEmptyCell) {
  auto reader = MustOpen("a;b;c\n1;2;");
  ASSERT_NE(reader, nullptr);
  std::vector<RawRow> rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0].cells, ElementsAre("1", "2", ""));
}

TEST(CsvReader, HeaderIsTrimmedAndLeadingBlankLinesSkipped) {
  auto reader = MustOpen("\r\n  \r\n  Nama , Umur\u00a0,,\r\nAni,5\r\n");
  ASSERT_NE(reader, nullptr);
  EXPECT_THAT(reader->header(), ElementsAre("Nama", "Umur"));
  std::vector<RawRow> rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].line, 4);
}

TEST(CsvReader, HeaderWithoutNamesIsRejected) {
  auto nbsp = OpenCsvFromString("\u00a0,\u00a0\n1,2\n");
  EXPECT_EQ(nbsp.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(nbsp.status().message(), HasSubstr("header row (line 1) is empty"));
  auto delimiters = OpenCsvFromString(";;;\r\n;;;\r\n");
  EXPECT_EQ(delimiters.status().code(), absl::StatusCode::kInvalidArgument);
  auto broken = OpenCsvFromString("a,\"b\n");
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(broken.status().message(), HasSubstr("header row"));
}

TEST(CsvReader, DelimiterIsTheConsistentOne) {
  // Decimal commas in every row would fool a simple count.
  auto semicolon =
      MustOpen("nama;umur;berat\nAni;1;50,5\nBudi;2;60,1\nCitra;3;\"4;5\"\n");
  ASSERT_NE(semicolon, nullptr);
  EXPECT_EQ(semicolon->info().delimiter, ';');
  // A comma file whose addresses hold semicolons inside quotes.
  auto comma = MustOpen("id,alamat\n1,\"Jl. A; RT 1\"\n2,\"Jl. B; RT 2; RW 3\"\n");
  ASSERT_NE(comma, nullptr);
  EXPECT_EQ(comma->info().delimiter, ',');
  // One column: no delimiter at all.
  auto single = MustOpen("nama\nAni\nBudi\n");
  ASSERT_NE(single, nullptr);
  EXPECT_EQ(single->header().size(), 1u);
  EXPECT_EQ(ReadAll(*single).size(), 2u);
}

TEST(CsvReader, Windows1252RowInAUtf8FileIsConvertedNotFailed) {
  // More than the 1 MiB the encoding is decided from, all valid UTF-8 …
  std::string content = "id,nama\n";
  int n = 0;
  while (content.size() < (3u << 20) / 2) {
    content += std::to_string(++n) + ",Jos\u00e9\n";
  }
  // … then a row saved by another program in Windows-1252.
  content += "late,Ren\xe9 \x80\n";
  content += "last,\u00c9mile\n";
  auto reader = MustOpen(content);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->info().encoding, "utf-8");
  std::vector<RawRow> rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), static_cast<size_t>(n) + 2);
  EXPECT_EQ(rows[0].cells[1], "Jos\u00e9");
  EXPECT_EQ(rows[n].cells[1], "Ren\u00e9 \u20ac");
  EXPECT_EQ(rows[n + 1].cells[1], "\u00c9mile");
  EXPECT_EQ(rows[n + 1].line, n + 3);
}

TEST(CsvReader, MultiByteCharacterCutAtTheChunkBoundaryStaysUtf8) {
  std::string content = "a\n";
  content += std::string((1u << 20) - content.size() - 1, 'x');
  content += "\u00e9\n";  // its two bytes straddle the 1 MiB boundary
  auto reader = MustOpen(content);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->info().encoding, "utf-8");
  std::vector<RawRow> rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].cells[0].ends_with("x\u00e9"));
}

// Random tables written the RFC 4180 way and read back, big enough that records,
// quotes and CRLF pairs straddle the 1 MiB chunks.
TEST(CsvReader, RoundTripsRandomTablesAcrossChunks) {
  std::mt19937 random(20240611);
  const std::vector<std::string> alphabet = {"a",  "b",  "X",  " ",  ",",      ";",
                                             "\t", "\"", "\r", "\n", "\u00e9", "\u20ac"};
  for (char delimiter : {',', ';', '\t'}) {
    std::vector<std::vector<std::string>> table = {{"k1", "k2", "k3", "k4"}};
    std::vector<int64_t> lines;
    std::string csv;
    int64_t line = 1;
    while (csv.size() < (5u << 20) / 2) {
      const std::vector<std::string>& row = table.back();
      lines.push_back(line);
      for (size_t c = 0; c < row.size(); ++c) {
        if (c > 0) csv += delimiter;
        const std::string& cell = row[c];
        if (cell.find_first_of(",;\t\"\r\n") == std::string::npos) {
          csv += cell;
        } else {
          csv += '"';
          for (char ch : cell)
            csv += ch == '"' ? std::string("\"\"") : std::string(1, ch);
          csv += '"';
        }
        for (size_t i = 0; i < cell.size(); ++i) {
          bool crlf = cell[i] == '\r' && i + 1 < cell.size() && cell[i + 1] == '\n';
          if (cell[i] == '\n' || (cell[i] == '\r' && !crlf)) ++line;
        }
      }
      csv += "\r\n";
      ++line;
      std::vector<std::string> next;
      for (size_t c = 0; c < 4; ++c) {
        std::string cell = "v";  // never empty: blank rows are skipped by design
        size_t len = random() % (random() % 50 == 0 ? 3000 : 12);
        for (size_t i = 0; i < len; ++i) cell += alphabet[random() % alphabet.size()];
        next.push_back(cell);
      }
      table.push_back(next);
    }
    table.pop_back();  // generated but not written
    auto reader = MustOpen(csv);
    ASSERT_NE(reader, nullptr);
    EXPECT_EQ(reader->info().delimiter, delimiter);
    ASSERT_EQ(reader->header(), table[0]);
    std::vector<RawRow> rows = ReadAll(*reader);
    ASSERT_EQ(rows.size(), table.size() - 1);
    for (size_t i = 0; i < rows.size(); ++i) {
      ASSERT_EQ(rows[i].cells, table[i + 1]) << "row " << i;
      ASSERT_EQ(rows[i].line, lines[i + 1]) << "row " << i;
      ASSERT_THAT(rows[i].problem, IsEmpty());
    }
  }
}

TEST(CsvReader, ReusesTheCallersRow) {
  auto reader = MustOpen("a,b,c\n1,2,3\n4\n5,6,7,8\n9,10,11\n");
  ASSERT_NE(reader, nullptr);
  RawRow row;
  std::vector<std::vector<std::string>> seen;
  std::vector<std::string> problems;
  for (;;) {
    absl::StatusOr<bool> more = reader->Next(row);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    seen.push_back(row.cells);
    problems.push_back(row.problem);
  }
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_THAT(seen[1], ElementsAre("4", "", ""));  // nothing left over from row 1
  EXPECT_THAT(problems[2], HasSubstr("row has 4 cells"));
  EXPECT_THAT(seen[3], ElementsAre("9", "10", "11"));
  EXPECT_THAT(problems[3], IsEmpty());  // the previous problem is cleared
}

TEST(CsvReader, RowOfManyMegabytesIsAnErrorNotUnboundedMemory) {
  std::string content = "a,b\n1,\"" + std::string(65u << 20, 'z');
  auto reader = MustOpen(content);
  ASSERT_NE(reader, nullptr);
  RawRow row;
  absl::StatusOr<bool> more = reader->Next(row);
  EXPECT_EQ(more.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(more.status().message(), HasSubstr("line 2"));
}

TEST(CsvReader, ReadsFromDiskInChunks) {
  std::string content = "id;nama\r\n";
  for (int i = 0; i < 200000; ++i)
    content += std::to_string(i) + ";Nama " + std::to_string(i) + "\r\n";
  ScratchFile file(content);
  auto reader = OpenTable(file.path());
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->info().size_bytes, content.size());
  RawRow row;
  int count = 0;
  uint64_t progress = 0;
  for (;;) {
    absl::StatusOr<bool> more = (*reader)->Next(row);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    EXPECT_GE((*reader)->bytes_read(), progress);
    progress = (*reader)->bytes_read();
    ++count;
  }
  EXPECT_EQ(count, 200000);
  EXPECT_EQ(row.cells[1], "Nama 199999");
  EXPECT_EQ((*reader)->bytes_read(), content.size());
}

}  // namespace
}  // namespace gugus::ingest
