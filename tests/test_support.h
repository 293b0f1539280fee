// Helpers for the cross-module tests: temporary folders, a prepared database with
// reference data (built once and copied per test, since loading 91,000 regions takes
// a second), and running the real `gugus` binary.
//
// The backend is a property of the test run, not of the test: GUGUS_TEST_BACKEND
// ("sqlite", the default, or "postgres") chooses where PreparedDatabase,
// EmptyDatabase and ScratchStore put their databases, so one test runs on either
// backend unchanged (CTest registers each test once per backend: tests/CMakeLists.txt).
// A test that is about SQLite itself (its file, its locks) says so with
// GUGUS_SQLITE_ONLY and is skipped on PostgreSQL.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "domain/registry/reference_service.h"
#include "domain/repository.h"
#include "synth/generator.h"

namespace gugus::testing {

// A fresh folder under the system temp dir, removed on destruction, with what
// AtRemoval was given (the PostgreSQL databases made "in" it) done first.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  void AtRemoval(std::function<void()> cleanup) {
    cleanups_.push_back(std::move(cleanup));
  }

 private:
  std::filesystem::path path_;
  std::vector<std::function<void()>> cleanups_;
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

// The backend this run's tests use: GUGUS_TEST_BACKEND, "sqlite" (the default) or
// "postgres". On PostgreSQL without a server every test is skipped, or fails under
// CI=true (a global test environment in test_support.cc checks).
BackendKind TestBackend();

// For a test about SQLite itself (it reads or damages the database file, or holds
// SQLite's locks): skipped when the run is on PostgreSQL. `why` says what it needs.
#define GUGUS_SQLITE_ONLY(why)                                                     \
  do {                                                                             \
    if (::gugus::testing::TestBackend() != ::gugus::testing::BackendKind::kSqlite) \
      GTEST_SKIP() << "SQLite only: " << (why);                                    \
  } while (0)

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

// A copy of the prepared database (migrated, reference data loaded, agencies
// POLDA-NTT (police, 53), UPTD-PPA-JABAR (pppa_unit, 32) added) "in" `dir`: on
// SQLite the file `name` there; on PostgreSQL a database of its own, made from a
// template prepared once per build (CREATE DATABASE … TEMPLATE), dropped with `dir`.
// Returns its address, for OpenStore and `gugus --db`. Throws when it cannot.
std::string PreparedDatabase(TempDir& dir, const std::string& name = "gugus.db",
                             BackendKind kind = TestBackend());

// A copy "in" `dir` of the database at `address` (of the run's backend), which
// nothing may have open on PostgreSQL (it is the copy's template): a file copied on
// SQLite. Returns the copy's address; on PostgreSQL it is dropped with `dir`.
std::string CopyDatabase(const std::string& address, TempDir& dir,
                         const std::string& name = "gugus.db");

// The address of a database without tables, as `gugus init` takes it: on SQLite
// the file `name` in `dir`, not created; on PostgreSQL an empty database of its own
// (a server makes none from a URL), dropped with `dir`.
std::string EmptyDatabase(TempDir& dir, const std::string& name = "gugus.db",
                          BackendKind kind = TestBackend());

// Opens an existing store at `address` (either backend). Throws when it cannot.
std::unique_ptr<domain::Store> OpenStore(const std::string& address);

// Runs `sql` on the database at `address` behind the store's back, as its owner:
// `sqlite` on SQLite, `postgres` on PostgreSQL (the same text unless the dialects
// differ). Returns the error, or "" when it succeeded.
std::string ExecSql(const std::string& address, const std::string& sqlite,
                    const std::string& postgres);
inline std::string ExecSql(const std::string& address, const std::string& sql) {
  return ExecSql(address, sql, sql);
}
// Every row `sql` gives on the database at `address`, as text: each value (NULL for
// null) followed by '|', a line per row; "error: …" when it fails.
std::string QueryRows(const std::string& address, const std::string& sql);
// The first column of the first row `sql` gives, as text ("" when none or null,
// "error: …" when it fails).
std::string QueryValue(const std::string& address, const std::string& sql);

// A copy of the prepared database in a folder of its own, open, with the reference
// indexes loaded from it: for a test that builds a store of its own. Throws when
// it cannot.
struct ScratchStore {
  ScratchStore();
  TempDir dir;
  std::string db;  // its address
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
  // What it printed after the announcement, up to now (after Stop or Kill: all).
  std::string Output();

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
