#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
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
using ::testing::Not;
using testing::ReadAll;
using testing::ScratchFile;

TEST(JsonLinesReader, Fixture) {
  auto reader = OpenTable(Fixture("records.jsonl"));
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->info().format, FileFormat::kJsonLines);
  EXPECT_EQ((*reader)->info().encoding, "utf-8");
  // The union of the keys, in the order they first appear.
  EXPECT_THAT((*reader)->header(),
              ElementsAre("record_id", "name", "age", "weight", "suspects", "nik",
                          "active", "notes", "address"));
  std::vector<RawRow> rows = ReadAll(**reader);
  ASSERT_EQ(rows.size(), 4u);

  EXPECT_EQ(rows[0].line, 1);
  EXPECT_THAT(rows[0].cells,
              ElementsAre("J-1", "Ani", "31", "50.50", "Budi;Joko", "", "", "", ""));
  EXPECT_THAT(rows[0].problem, IsEmpty());
  EXPECT_THAT(rows[0].numeric, IsEmpty());

  EXPECT_EQ(rows[1].line, 3);  // after a blank line
  EXPECT_THAT(rows[1].cells,
              ElementsAre("J-2", "Tari", "", "", "", "3201234567890123", "true", "", ""));

  EXPECT_EQ(rows[2].line, 4);
  EXPECT_THAT(rows[2].problem, HasSubstr("invalid JSON"));
  EXPECT_THAT(rows[2].problem, Not(HasSubstr("Siti")));  // no personal data in messages
  EXPECT_THAT(rows[2].problem, Not(HasSubstr("broken")));
  for (const std::string& cell : rows[2].cells) EXPECT_THAT(cell, IsEmpty());

  EXPECT_EQ(rows[3].line, 5);
  EXPECT_EQ(rows[3].problem, "field \"address\" holds an object");
  EXPECT_EQ(rows[3].cells[1], "Wati");  // the rest of the row is kept
  EXPECT_EQ((*reader)->bytes_read(), (*reader)->info().size_bytes);
}

TEST(JsonLinesReader, ValuesAndProblems) {
  ScratchFile file(
      "\xEF\xBB\xBF{\"a\": \"x\", \"b\": [1, \"two\", null, true], \"c\": -12.5e3}\r\n"
      "[1, 2]\r\n"
      "{\"a\": \"y\"} {\"a\": \"z\"}\r\n"
      "{\"a\": [[1]], \"b\": [{\"k\": 1}]}\r\n"
      "{\"a\": \"\\u00e9\\n\", \"c\": 18446744073709551615, \"b\": null}\r\n"
      "\"just a string\"\r\n"
      "{\"a\": \"bad \xff byte\"}\r\n"
      "{\"a\": 1e999}\n");
  auto reader = OpenJsonLines(file.path());
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_THAT((*reader)->header(), ElementsAre("a", "b", "c"));
  std::vector<RawRow> rows = ReadAll(**reader);
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_THAT(rows[0].cells, ElementsAre("x", "1;two;true", "-12.5e3"));
  EXPECT_EQ(rows[1].problem, "the line is not a JSON object");
  EXPECT_THAT(rows[2].problem, HasSubstr("invalid JSON"));
  EXPECT_THAT(rows[3].problem, HasSubstr("field \"a\" holds a list of lists"));
  EXPECT_THAT(rows[4].cells, ElementsAre("\u00e9\n", "", "18446744073709551615"));
  EXPECT_THAT(rows[4].problem, IsEmpty());
  EXPECT_EQ(rows[5].problem, "the line is not a JSON object");
  EXPECT_THAT(rows[6].problem, HasSubstr("invalid JSON"));
  EXPECT_THAT(rows[6].problem, Not(HasSubstr("bad")));
  EXPECT_THAT(rows[7].problem, HasSubstr("invalid JSON"));
  EXPECT_THAT(rows[7].problem, Not(HasSubstr("999")));
  for (const RawRow& row : rows) EXPECT_EQ(row.cells.size(), 3u);
}

TEST(JsonLinesReader, EmptyBinaryAndGarbage) {
  ScratchFile empty("");
  EXPECT_EQ(OpenJsonLines(empty.path()).status().message(), "the file is empty");
  ScratchFile blank("\n \r\n\t\n");
  EXPECT_EQ(OpenJsonLines(blank.path()).status().message(), "the file is empty");
  ScratchFile binary(std::string("{\0\0\0\x01\x02", 6));
  EXPECT_EQ(OpenJsonLines(binary.path()).status().message(),
            "the file is not text (binary data)");
  ScratchFile garbage("{not json\n{\"also\": broken\n");
  auto reader = OpenTable(garbage.path());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(reader.status().message()),
              HasSubstr("no line holds a JSON object"));
  ScratchFile no_fields("{}\n{}\n");
  EXPECT_EQ(OpenJsonLines(no_fields.path()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenJsonLines("/nonexistent/x.jsonl").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(JsonLinesReader, ManyLinesAcrossChunks) {
  std::string content;
  for (int i = 0; i < 100000; ++i) {
    content += "{\"id\": " + std::to_string(i) + ", \"name\": \"Nama " +
               std::to_string(i) + "\"}\n";
  }
  content += "{\"id\": 100000, \"late_key\": \"x\"}";  // no final newline
  ScratchFile file(content);
  auto reader = OpenJsonLines(file.path());
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_THAT((*reader)->header(), ElementsAre("id", "name", "late_key"));
  std::vector<RawRow> rows = ReadAll(**reader);
  ASSERT_EQ(rows.size(), 100001u);
  EXPECT_THAT(rows[99999].cells, ElementsAre("99999", "Nama 99999", ""));
  EXPECT_THAT(rows[100000].cells, ElementsAre("100000", "", "x"));
  EXPECT_EQ(rows[100000].line, 100001);
}

}  // namespace
}  // namespace gugus::ingest
