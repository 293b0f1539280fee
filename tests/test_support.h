// Helpers for the cross-module tests: temporary folders, a prepared database with
// reference data (built once per test program and copied per test, since loading
// 91,000 regions takes a second), and running the real `gugus` binary.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "domain/reference_service.h"
#include "domain/repository.h"
#include "synth/generator.h"

namespace gugus::testing {

// A fresh folder under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Path of a file under tests/testdata.
std::string TestData(const std::string& relative);

// Copies the once-prepared database (migrated, reference data loaded, agencies
// POLDA-NTT (police, 53), UPTD-PPA-JABAR (pppa_unit, 32) added) to `path`.
void CopyPreparedDatabase(const std::string& path);

std::unique_ptr<domain::Store> OpenStore(const std::string& path);

// A copy of the prepared database in a folder of its own, open, with the reference
// indexes loaded from it: for a test that builds a store of its own. Throws when
// it cannot.
struct ScratchStore {
  ScratchStore();
  TempDir dir;
  std::string db;  // its path
  std::unique_ptr<domain::Store> store;
  std::unique_ptr<domain::ReferenceIndexes> refs;
};

// Generates agencies' files with `options` (into options.out_dir) and imports each
// into `store` for its agency, added unless it exists, as of 2026-06-30. Links
// nothing.
absl::Status ImportGenerated(domain::Store& store, const domain::ReferenceIndexes& refs,
                             const synth::GeneratorOptions& options);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs build/gugus with `args` (no shell), capturing stdout and stderr.
CommandResult RunGugus(const std::vector<std::string>& args,
                       const std::string& stdin_text = "");

std::string ReadFile(const std::string& path);
// Every row of a CSV file (the header included) as gugus's reader splits it; empty
// when the file cannot be read.
std::vector<std::vector<std::string>> ReadCsvRows(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

}  // namespace gugus::testing
