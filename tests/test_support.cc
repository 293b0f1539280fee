#include "tests/test_support.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <pqxx/pqxx>
#include <random>
#include <sstream>
#include <stdexcept>

#include "core/status.h"
#include "domain/import_service.h"
#include "domain/reference_service.h"
#include "gtest/gtest.h"
#include "ingest/reader.h"
#include "storage/sqlite/sqlite_store.h"

namespace gugus::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() /
          ("gugus-test-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string PostgresServer() {
  const char* server = std::getenv("GUGUS_TEST_POSTGRES");
  return server ? server : "";
}

bool UnderCi() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

namespace {

// The libpq connection string of PostgresServer()'s database `name` ("" for the
// server's default database).
std::string PostgresConnInfo(const std::string& name) {
  std::string server = PostgresServer();
  if (server == "postgresql:" || server == "postgres:")
    return name.empty() ? "" : "dbname=" + name;
  while (!server.empty() && server.back() == '/') server.pop_back();
  return name.empty() ? server : server + "/" + name;
}

}  // namespace

TestDatabase::TestDatabase(BackendKind kind, const fs::path& dir) {
  if (kind == BackendKind::kSqlite) {
    address_ = (dir / "test.db").string();
    return;
  }
  std::random_device rd;
  pg_name_ = "gugus_test_" + std::to_string(getpid()) + "_" + std::to_string(rd());
  pqxx::connection admin(PostgresConnInfo(""));
  pqxx::nontransaction n(admin);
  n.exec0("CREATE DATABASE " + n.quote_name(pg_name_));
  std::string server = PostgresServer();
  if (server == "postgresql:" || server == "postgres:") {
    address_ = "postgresql:///" + pg_name_;
  } else {
    while (!server.empty() && server.back() == '/') server.pop_back();
    address_ = server + "/" + pg_name_;
  }
}

TestDatabase::~TestDatabase() {
  if (pg_name_.empty()) return;
  try {
    pqxx::connection admin(PostgresConnInfo(""));
    pqxx::nontransaction n(admin);
    n.exec0("DROP DATABASE IF EXISTS " + n.quote_name(pg_name_) + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The throwaway cluster goes at the end of the run anyway.
  }
}

std::string TestData(const std::string& relative) {
  return std::string(GUGUS_SOURCE_DIR) + "/tests/testdata/" + relative;
}

std::unique_ptr<domain::Store> OpenStore(const std::string& path) {
  auto store = storage::OpenSqliteStore(path, storage::OpenMode::kExisting);
  if (!store.ok()) throw std::runtime_error(std::string(store.status().message()));
  return std::move(store).value();
}

void CopyPreparedDatabase(const std::string& path) {
  static std::once_flag once;
  static TempDir* dir = nullptr;
  static pid_t owner = 0;
  std::call_once(once, [] {
    // Lives for the whole test program and is removed when it exits: ctest runs
    // every test in a process of its own, and each left 4 MB behind in /tmp. Not by
    // a forked child that exits (the kill tests'), which shares the directory.
    dir = new TempDir();
    owner = getpid();
    std::atexit([] {
      if (getpid() == owner) delete dir;
    });
    std::string db = dir->File("prepared.db");
    auto store = storage::OpenSqliteStore(db, storage::OpenMode::kCreateOrUpgrade);
    if (!store.ok()) throw std::runtime_error(std::string(store.status().message()));
    auto counts = domain::InstallReference(
        **store, std::string(GUGUS_SOURCE_DIR) + "/node_modules/idn-area-data/data");
    if (!counts.ok()) throw std::runtime_error(std::string(counts.status().message()));
    domain::Agency polda{0, "POLDA-NTT", "Polda Nusa Tenggara Timur", "police", "53"};
    domain::Agency uptd{0, "UPTD-PPA-JABAR", "UPTD PPA Provinsi Jawa Barat", "pppa_unit",
                        "32"};
    if (!(*store)->agencies().Add(polda).ok() || !(*store)->agencies().Add(uptd).ok())
      throw std::runtime_error("cannot add the test agencies");
    store->reset();  // closes; WAL checkpointed into the main file
  });
  fs::copy_file(dir->File("prepared.db"), path, fs::copy_options::overwrite_existing);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

CommandResult RunGugus(const std::vector<std::string>& args,
                       const std::string& stdin_text) {
  TempDir io;
  std::string in_path = io.File("in"), out_path = io.File("out"),
              err_path = io.File("err");
  WriteFile(in_path, stdin_text);
  pid_t pid = fork();
  if (pid == 0) {
    int in = open(in_path.c_str(), O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::string binary = std::string(GUGUS_BINARY_DIR) + "/gugus";
    std::vector<char*> argv;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFile(out_path);
  r.err = ReadFile(err_path);
  return r;
}

ScratchStore::ScratchStore() : db(dir.File("gugus.db")) {
  CopyPreparedDatabase(db);
  store = OpenStore(db);
  auto loaded = domain::LoadReferenceIndexes(*store);
  if (!loaded.ok()) throw std::runtime_error(std::string(loaded.status().message()));
  refs = std::move(loaded).value();
}

absl::Status ImportGenerated(domain::Store& store, const domain::ReferenceIndexes& refs,
                             const synth::GeneratorOptions& options) {
  GUGUS_RETURN_IF_ERROR(synth::Generate(options, refs.regions).status());
  domain::ImportService imports(store, refs.regions, refs.countries);
  for (const auto& c : ReadCsvRows(options.out_dir + "/agencies.csv")) {
    if (c.size() != 5) return absl::DataLossError("agencies.csv: a row without 5 cells");
    domain::Agency agency{0, c[0], c[1], c[2], c[3]};
    absl::Status added = store.agencies().Add(agency);
    if (!added.ok() && !absl::IsAlreadyExists(added)) return added;
    domain::ImportRequest request;
    request.path = options.out_dir + "/" + c[4];
    request.agency_code = agency.code;
    request.today = Date{2026, 6, 30};
    GUGUS_RETURN_IF_ERROR(imports.Import(request).status());
  }
  return absl::OkStatus();
}

std::vector<std::vector<std::string>> ReadCsvRows(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  auto reader = ingest::OpenCsv(path);
  if (!reader.ok()) return rows;
  ingest::RawRow row;
  for (;;) {
    auto more = (*reader)->Next(row);
    if (!more.ok() || !*more) break;
    rows.push_back(row.cells);
  }
  return rows;
}

ServeProcess::ServeProcess(const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::string binary = std::string(GUGUS_BINARY_DIR) + "/gugus";
    std::vector<std::string> copy = args;
    std::vector<char*> argv{binary.data()};
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  out_ = fds[0];
  if (pid_ < 0) return;
  // The announcement: "gugus is serving http://localhost:PORT/ …".
  std::string line;
  char c;
  while (read(out_, &c, 1) == 1 && c != '\n') line += c;
  const std::string mark = "localhost:";
  if (size_t at = line.find(mark); at != std::string::npos)
    port_ = std::atoi(line.c_str() + at + mark.size());
}

void ServeProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

int ServeProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

ServeProcess::~ServeProcess() {
  Stop();
  if (out_ >= 0) close(out_);
}

}  // namespace gugus::testing
