// Helpers for the cross-module tests: temporary folders, a prepared database with
// reference data (built once per test program and copied per test, since loading
// 91,000 regions takes a second), and running the real `gugus` binary.
#pragma once

#include <sys/types.h>

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

// The PostgreSQL server the tests may use: GUGUS_TEST_POSTGRES, a libpq URL without
// a database name ("postgresql://user@host:5432") or "postgresql:" for the libpq
// environment (`make test` runs the suite under pg_virtualenv, which sets it).
// Empty when unset.
std::string PostgresServer();

// Skips a PostgreSQL test when no server is configured, except under CI=true, where
// a missing PostgreSQL fails the test instead (CI must run every backend).
#define GUGUS_REQUIRE_POSTGRES()                                                   \
  do {                                                                             \
    if (::gugus::testing::PostgresServer().empty()) {                              \
      if (::gugus::testing::UnderCi())                                             \
        FAIL() << "GUGUS_TEST_POSTGRES is not set (run the suite with make test)"; \
      GTEST_SKIP() << "no PostgreSQL server (GUGUS_TEST_POSTGRES is not set)";     \
    }                                                                              \
  } while (0)
bool UnderCi();

enum class BackendKind { kSqlite, kPostgres };

// Where one test's database lives: an SQLite file in `dir`, or a fresh PostgreSQL
// database of its own on PostgresServer(), dropped (with its connections) when this
// goes. address() is what OpenStore and `gugus --db` take.
class TestDatabase {
 public:
  TestDatabase(BackendKind kind, const std::filesystem::path& dir);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  const std::string& address() const { return address_; }

 private:
  std::string address_;
  std::string pg_name_;  // the PostgreSQL database's name; "" for SQLite
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

// `gugus serve` as a child process with `args` after the binary: started, its
// announced port read, and stopped (SIGTERM, or Kill for SIGKILL) on destruction.
class ServeProcess {
 public:
  explicit ServeProcess(const std::vector<std::string>& args);
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;
  int port() const { return port_; }  // 0 when it did not start
  pid_t pid() const { return pid_; }
  void Kill();  // SIGKILL, and reap it
  // SIGTERM and wait; the exit status as waitpid gives it.
  int Stop();

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int port_ = 0;
};

std::string ReadFile(const std::string& path);
// Every row of a CSV file (the header included) as gugus's reader splits it; empty
// when the file cannot be read.
std::vector<std::vector<std::string>> ReadCsvRows(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

}  // namespace gugus::testing
