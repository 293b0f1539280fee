// Test support for the reader tests (csv/xlsx/jsonl_reader_test.cc): fixture paths,
// scratch files and reading every row. Header-only; not part of the library.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/reader.h"

namespace gugus::ingest::testing {

inline std::string Fixture(const std::string& name) {
  return std::string(GUGUS_SOURCE_DIR) + "/tests/testdata/readers/" + name;
}

// Writes `bytes` to a scratch file (named with `suffix`) removed when the object goes.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& bytes, const std::string& suffix = "") {
    static int counter = 0;
    path_ = (std::filesystem::temp_directory_path() /
             ("gugus_reader_test_" + std::to_string(::getpid()) + "_" +
              std::to_string(counter++) + suffix))
                .string();
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~ScratchFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Every row until the end; a read error fails the calling test and stops.
inline std::vector<RawRow> ReadAll(RowReader& reader) {
  std::vector<RawRow> rows;
  RawRow row;
  for (;;) {
    absl::StatusOr<bool> more = reader.Next(row);
    EXPECT_TRUE(more.ok()) << more.status();
    if (!more.ok() || !*more) break;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace gugus::ingest::testing
