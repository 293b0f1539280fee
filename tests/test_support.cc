#include "tests/test_support.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <pqxx/pqxx>
#include <random>
#include <sstream>
#include <stdexcept>

#include "core/status.h"
#include "core/strcat.h"
#include "domain/registry/import_service.h"
#include "domain/registry/reference_service.h"
#include "gtest/gtest.h"
#include "ingest/reader.h"
#include "storage/open_store.h"

namespace gugus::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() /
          ("gugus-test-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  for (auto& cleanup : cleanups_) cleanup();
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

BackendKind TestBackend() {
  static const BackendKind kind = [] {
    const char* set = std::getenv("GUGUS_TEST_BACKEND");
    std::string name = set ? set : "";
    if (name.empty() || name == "sqlite") return BackendKind::kSqlite;
    if (name == "postgres") return BackendKind::kPostgres;
    std::fprintf(stderr, "GUGUS_TEST_BACKEND=%s: neither sqlite nor postgres\n", set);
    std::abort();
  }();
  return kind;
}

namespace {

// A run on PostgreSQL without a server runs no test: they are skipped (the marker
// makes CTest count them so), or under CI=true the program fails at once (a FAIL()
// here would have gtest print every test as skipped, which CTest would believe).
class BackendEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    if (TestBackend() != BackendKind::kPostgres || !PostgresServer().empty()) return;
    if (UnderCi()) {
      std::fprintf(stderr,
                   "GUGUS_TEST_POSTGRES is not set (run the suite with make test)\n");
      std::exit(1);
    }
    GTEST_SKIP() << "[  SKIPPED ] no PostgreSQL server (GUGUS_TEST_POSTGRES is not set)";
  }
};
[[maybe_unused]] ::testing::Environment* const kBackendEnvironment =
    ::testing::AddGlobalTestEnvironment(new BackendEnvironment);

// The libpq connection string of PostgresServer()'s database `name` ("" for the
// server's default database).
std::string PostgresConnInfo(const std::string& name) {
  std::string server = PostgresServer();
  if (server == "postgresql:" || server == "postgres:")
    return name.empty() ? "" : "dbname=" + name;
  while (!server.empty() && server.back() == '/') server.pop_back();
  return name.empty() ? server : server + "/" + name;
}

// The address (for OpenStore and `gugus --db`) of PostgresServer()'s database `name`.
std::string PostgresAddress(const std::string& name) {
  std::string server = PostgresServer();
  if (server == "postgresql:" || server == "postgres:") return "postgresql:///" + name;
  while (!server.empty() && server.back() == '/') server.pop_back();
  return server + "/" + name;
}

// Creates a database of its own on PostgresServer(), a copy of `template_name` when
// given, and returns its name.
std::string CreatePostgresDatabase(const std::string& template_name = "") {
  std::random_device rd;
  std::string name =
      "gugus_test_" + std::to_string(getpid()) + "_" + std::to_string(rd());
  pqxx::connection admin(PostgresConnInfo(""));
  pqxx::nontransaction n(admin);
  std::string sql = "CREATE DATABASE " + n.quote_name(name);
  if (!template_name.empty()) sql += " TEMPLATE " + n.quote_name(template_name);
  n.exec0(sql);
  return name;
}

void DropPostgresDatabase(const std::string& name) {
  try {
    pqxx::connection admin(PostgresConnInfo(""));
    pqxx::nontransaction n(admin);
    n.exec0("DROP DATABASE IF EXISTS " + n.quote_name(name) + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The throwaway cluster goes at the end of the run anyway.
  }
}

// Migrates the store at `address`, loads the reference data and adds the two test
// agencies: what every prepared database holds.
void FillPrepared(const std::string& address) {
  auto store = storage::OpenStore(address, storage::OpenMode::kCreateOrUpgrade);
  if (!store.ok()) throw std::runtime_error(std::string(store.status().message()));
  auto counts = domain::InstallReference(
      **store, std::string(GUGUS_SOURCE_DIR) + "/node_modules/idn-area-data/data");
  if (!counts.ok()) throw std::runtime_error(std::string(counts.status().message()));
  domain::Agency polda{0, "POLDA-NTT", "Polda Nusa Tenggara Timur", "police", "53"};
  domain::Agency uptd{0, "UPTD-PPA-JABAR", "UPTD PPA Provinsi Jawa Barat", "pppa_unit",
                      "32"};
  if (!(*store)->agencies().Add(polda).ok() || !(*store)->agencies().Add(uptd).ok())
    throw std::runtime_error("cannot add the test agencies");
  store->reset();  // closes; on SQLite the WAL is checkpointed into the main file
}

// The once-prepared SQLite file, made on first use. It lives for the whole test
// program and is removed when it exits: ctest runs every test in a process of its
// own, and each left 4 MB behind in /tmp. Not by a forked child that exits (the kill
// tests'), which shares the directory.
std::string PreparedSqliteFile() {
  static std::once_flag once;
  static TempDir* dir = nullptr;
  static pid_t owner = 0;
  std::call_once(once, [] {
    dir = new TempDir();
    owner = getpid();
    std::atexit([] {
      if (getpid() == owner) delete dir;
    });
    FillPrepared(dir->File("prepared.db"));
  });
  return dir->File("prepared.db");
}

// The PostgreSQL template every prepared database is copied from. CTest runs each
// test in a process of its own, so it is made once per build of the test program,
// not per process: named after the program file (its size and time), made by the
// first process that needs it while it holds an advisory lock, and marked a template
// (no connections) when complete. A template of an older build stays on a server of
// the caller's choosing; the throwaway cluster of `make test` goes with it.
std::string PreparedPostgresTemplate() {
  static std::once_flag once;
  static std::string name;
  std::call_once(once, [] {
    struct stat st {};
    if (::stat("/proc/self/exe", &st) != 0) throw std::runtime_error("no /proc/self/exe");
    size_t build = std::hash<std::string>()(
        std::to_string(st.st_size) + "." + std::to_string(st.st_mtim.tv_sec) + "." +
        std::to_string(st.st_mtim.tv_nsec) + "." + GUGUS_SOURCE_DIR);
    std::ostringstream hex;
    hex << std::hex << build;
    name = "gugus_prepared_" + hex.str();
    pqxx::connection admin(PostgresConnInfo(""));
    pqxx::nontransaction n(admin);
    auto ready = [&] {
      return n.exec1(
                  "SELECT count(*) FROM pg_database WHERE datistemplate AND datname = " +
                  n.quote(name))[0]
                 .as<int>() == 1;
    };
    if (ready()) return;
    n.exec("SELECT pg_advisory_lock(4848733)");  // released when `admin` closes
    if (ready()) return;
    // Left incomplete by a process that was killed while making it?
    n.exec0("DROP DATABASE IF EXISTS " + n.quote_name(name) + " WITH (FORCE)");
    n.exec0("CREATE DATABASE " + n.quote_name(name));
    FillPrepared(PostgresAddress(name));
    n.exec0("ALTER DATABASE " + n.quote_name(name) +
            " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
  });
  return name;
}

}  // namespace

TestDatabase::TestDatabase(BackendKind kind, const fs::path& dir) {
  if (kind == BackendKind::kSqlite) {
    address_ = (dir / "test.db").string();
    return;
  }
  pg_name_ = CreatePostgresDatabase();
  address_ = PostgresAddress(pg_name_);
}

TestDatabase::~TestDatabase() {
  if (!pg_name_.empty()) DropPostgresDatabase(pg_name_);
}

std::string PreparedDatabase(TempDir& dir, const std::string& name, BackendKind kind) {
  if (kind == BackendKind::kSqlite) {
    fs::copy_file(PreparedSqliteFile(), dir.File(name),
                  fs::copy_options::overwrite_existing);
    return dir.File(name);
  }
  std::string pg_name = CreatePostgresDatabase(PreparedPostgresTemplate());
  dir.AtRemoval([pg_name] { DropPostgresDatabase(pg_name); });
  return PostgresAddress(pg_name);
}

std::string CopyDatabase(const std::string& address, TempDir& dir,
                         const std::string& name) {
  if (!storage::IsPostgresAddress(address)) {
    fs::copy_file(address, dir.File(name), fs::copy_options::overwrite_existing);
    return dir.File(name);
  }
  std::string pg_name = CreatePostgresDatabase(address.substr(address.rfind('/') + 1));
  dir.AtRemoval([pg_name] { DropPostgresDatabase(pg_name); });
  return PostgresAddress(pg_name);
}

std::string EmptyDatabase(TempDir& dir, const std::string& name, BackendKind kind) {
  if (kind == BackendKind::kSqlite) return dir.File(name);
  std::string pg_name = CreatePostgresDatabase();
  dir.AtRemoval([pg_name] { DropPostgresDatabase(pg_name); });
  return PostgresAddress(pg_name);
}

std::string ExecSql(const std::string& address, const std::string& sqlite,
                    const std::string& postgres) {
  if (storage::IsPostgresAddress(address)) {
    try {
      pqxx::connection c(address);
      pqxx::nontransaction n(c);
      n.exec(postgres);
      return "";
    } catch (const std::exception& e) {
      return e.what();
    }
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(address.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) !=
      SQLITE_OK) {
    std::string error = sqlite3_errmsg(db);
    sqlite3_close(db);
    return error;
  }
  char* error = nullptr;
  int rc = sqlite3_exec(db, sqlite.c_str(), nullptr, nullptr, &error);
  std::string message = rc == SQLITE_OK ? "" : (error ? error : "sqlite3_exec failed");
  sqlite3_free(error);
  sqlite3_close(db);
  return message;
}

std::string QueryRows(const std::string& address, const std::string& sql) {
  std::string out;
  if (storage::IsPostgresAddress(address)) {
    try {
      pqxx::connection c(address);
      pqxx::nontransaction n(c);
      for (const pqxx::row& row : n.exec(sql)) {
        for (const pqxx::field& f : row)
          out += StrCat(f.is_null() ? "NULL" : f.c_str(), "|");
        out += '\n';
      }
      return out;
    } catch (const std::exception& e) {
      return std::string("error: ") + e.what();
    }
  }
  sqlite3* db = nullptr;
  sqlite3_open_v2(address.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    out = std::string("error: ") + sqlite3_errmsg(db);
    sqlite3_close(db);
    return out;
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      const unsigned char* text = sqlite3_column_text(stmt, c);
      int bytes = sqlite3_column_bytes(stmt, c);
      out.append(text ? reinterpret_cast<const char*>(text) : "NULL",
                 text ? static_cast<size_t>(bytes) : 4);
      out.push_back('|');
    }
    out.push_back('\n');
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

std::string QueryValue(const std::string& address, const std::string& sql) {
  std::string rows = QueryRows(address, sql);
  if (rows.starts_with("error: ")) return rows;
  std::string first = rows.substr(0, rows.find('|'));
  return first == "NULL" ? "" : first;
}

std::string TestData(const std::string& relative) {
  return std::string(GUGUS_SOURCE_DIR) + "/tests/testdata/" + relative;
}

std::unique_ptr<domain::Store> OpenStore(const std::string& address) {
  auto store = storage::OpenStore(address, storage::OpenMode::kExisting);
  if (!store.ok()) throw std::runtime_error(std::string(store.status().message()));
  return std::move(store).value();
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

ScratchStore::ScratchStore() : db(PreparedDatabase(dir)) {
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

std::string ServeProcess::Output() {
  std::string out;
  if (out_ < 0) return out;
  char buffer[1024];
  ssize_t n;
  while ((n = read(out_, buffer, sizeof buffer)) > 0)
    out.append(buffer, static_cast<size_t>(n));
  return out;
}

ServeProcess::~ServeProcess() {
  Stop();
  if (out_ >= 0) close(out_);
}

}  // namespace gugus::testing
