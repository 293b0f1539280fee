#include "storage/postgres/pg_store.h"

#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/date.h"
#include "core/status.h"
#include "core/strcat.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_util.h"

namespace gugus::storage {
namespace {

using domain::Agency;
using namespace pg;  // NOLINT: this file is the helpers' home layer

// The advisory lock that serialises schema migrations between processes (an
// arbitrary constant: "gugus" in ASCII).
constexpr int64_t kMigrationLock = 0x6775677573;

// libpq takes the URL as it is; "postgresql:" alone means the environment.
std::string ConnInfo(const std::string& url) {
  if (url == "postgresql:" || url == "postgres:") return "";
  return url;
}

class PgStore : public domain::Store,
                public domain::ReferenceRepository,
                public domain::AgencyRepository {
 public:
  explicit PgStore(std::string conninfo)
      : conninfo_(std::move(conninfo)),
        records_(
            NewRecordRepository([this]() -> Connection& { return conn(); }, conninfo_)),
        links_(NewLinkRepository([this]() -> Connection& { return conn(); })),
        accounts_(NewAccountRepository([this]() -> Connection& { return conn(); })),
        audit_(NewAuditRepository([this]() -> Connection& { return conn(); })),
        stats_(NewStatsRepository([this]() -> Connection& { return conn(); })),
        jobs_(NewJobRepository([this]() -> Connection& { return conn(); })),
        justice_(NewJusticeRepository([this]() -> Connection& { return conn(); },
                                      conninfo_)) {}

  domain::ReferenceRepository& reference() override { return *this; }
  domain::AgencyRepository& agencies() override { return *this; }
  domain::RecordRepository& records() override { return *records_; }
  domain::LinkRepository& links() override { return *links_; }
  domain::AccountRepository& accounts() override { return *accounts_; }
  domain::AuditRepository& audit() override { return *audit_; }
  domain::StatsRepository& stats() override { return *stats_; }
  domain::JobRepository& jobs() override { return *jobs_; }
  domain::JusticeRepository& justice() override { return *justice_; }

  // The calling thread's connection; a broken one (the server restarted) is
  // replaced. Throws pqxx::broken_connection when the server cannot be reached.
  Connection& conn() {
    std::lock_guard<std::mutex> lock(mu_);
    auto& c = connections_[std::this_thread::get_id()];
    if (!c || !c->is_open()) c = std::make_unique<Connection>(conninfo_);
    return *c;
  }

  absl::Status Migrate() {
    return Guard("cannot upgrade the database", [&]() -> absl::Status {
      pqxx::connection& c = conn().get();
      {
        pqxx::nontransaction n(c);
        n.exec_params("SELECT pg_advisory_lock($1)", kMigrationLock);
      }
      struct Unlock {
        pqxx::connection& c;
        ~Unlock() {
          try {
            pqxx::nontransaction n(c);
            n.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLock);
          } catch (const std::exception&) {
            // The lock goes with the session anyway.
          }
        }
      } unlock{c};
      {
        pqxx::work w(c);
        w.exec0(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
            "name text NOT NULL, applied_at text NOT NULL)");
        w.commit();
      }
      int current = CurrentVersion(c);
      for (const Migration& m : Migrations()) {
        if (m.version <= current) continue;
        pqxx::work w(c);
        w.exec(std::string(m.sql));
        w.exec_params("INSERT INTO schema_migrations VALUES ($1, $2, $3)", m.version,
                      std::string(m.name), NowUtc());
        w.commit();
      }
      return absl::OkStatus();
    });
  }

  absl::Status CheckVersion() {
    return Guard("cannot read the database", [&]() -> absl::Status {
      pqxx::connection& c = conn().get();
      bool exists;
      {
        pqxx::nontransaction n(c);
        exists =
            n.exec1("SELECT to_regclass('schema_migrations') IS NOT NULL")[0].as<bool>();
      }
      int current = exists ? CurrentVersion(c) : 0;
      if (current < PostgresSchemaVersion()) {
        return absl::FailedPreconditionError(
            "the database is not initialised or is out of date: run `gugus init`");
      }
      if (current > PostgresSchemaVersion()) {
        return absl::FailedPreconditionError(
            "the database was written by a newer gugus: upgrade gugus");
      }
      return absl::OkStatus();
    });
  }

  // --- ReferenceRepository ---
  absl::Status ReplaceRegions(const std::vector<Region>& regions) override {
    return Guard("cannot store regions", [&]() -> absl::Status {
      pqxx::work w(conn().get());
      // Agencies refer to regions: keep those rows and upsert the rest, in bulk.
      w.exec0(
          "CREATE TEMP TABLE new_regions (code text, parent_code text, level integer, "
          "name text) ON COMMIT DROP");
      {
        pqxx::stream_to s(
            w, "new_regions",
            std::vector<std::string>{"code", "parent_code", "level", "name"});
        for (const Region& r : regions) {
          s << std::make_tuple(r.code,
                               r.parent_code.empty() ? std::optional<std::string>()
                                                     : std::optional(r.parent_code),
                               static_cast<int>(r.level), r.name);
        }
        s.complete();
      }
      w.exec0(
          "INSERT INTO regions (code, parent_code, level, name) SELECT code, "
          "parent_code, level, name FROM new_regions ON CONFLICT (code) DO UPDATE SET "
          "parent_code = excluded.parent_code, level = excluded.level, "
          "name = excluded.name");
      w.commit();
      return absl::OkStatus();
    });
  }

  absl::Status ReplaceCountries(const std::vector<Country>& countries) override {
    return Guard("cannot store countries", [&]() -> absl::Status {
      pqxx::work w(conn().get());
      w.exec0("DELETE FROM countries");
      {
        pqxx::stream_to s(
            w, "countries",
            std::vector<std::string>{"alpha2", "alpha3", "name_en", "name_id"});
        for (const Country& c : countries)
          s << std::make_tuple(c.alpha2, c.alpha3, c.name_en, c.name_id);
        s.complete();
      }
      w.commit();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<Region>> LoadRegions(RegionLevel max_level) override {
    return Guard("cannot read regions", [&]() -> absl::StatusOr<std::vector<Region>> {
      pqxx::read_transaction w(conn().get());
      pqxx::result r = w.exec_params(
          "SELECT code, parent_code, level, name FROM regions WHERE level <= $1 "
          "ORDER BY code",
          static_cast<int>(max_level));
      std::vector<Region> out;
      out.reserve(r.size());
      for (const auto& row : r) {
        out.push_back({row[0].c_str(), Text(row[1]), row[3].c_str(),
                       static_cast<RegionLevel>(row[2].as<int>())});
      }
      return out;
    });
  }

  absl::StatusOr<std::vector<Country>> LoadCountries() override {
    return Guard("cannot read countries", [&]() -> absl::StatusOr<std::vector<Country>> {
      pqxx::read_transaction w(conn().get());
      pqxx::result r = w.exec(
          "SELECT alpha2, alpha3, name_en, name_id FROM countries ORDER BY alpha2");
      std::vector<Country> out;
      for (const auto& row : r)
        out.push_back({row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str()});
      return out;
    });
  }

  // --- AgencyRepository ---
  absl::Status Add(Agency& agency) override {
    return Guard("cannot add the agency", [&]() -> absl::Status {
      pqxx::work w(conn().get());
      if (!w.exec_params("SELECT 1 FROM agencies WHERE code = $1", agency.code).empty()) {
        return absl::AlreadyExistsError(
            StrCat("an agency with code '", agency.code, "' already exists"));
      }
      GUGUS_RETURN_IF_ERROR(CheckRegion(w, agency.region_code));
      pqxx::result r = w.exec_params(
          "INSERT INTO agencies (code, name, type, region_code, created_at) "
          "VALUES ($1, $2, $3, $4, $5) RETURNING id, version",
          agency.code, agency.name, agency.type, agency.region_code, NowUtc());
      w.commit();
      agency.id = r[0][0].as<int64_t>();
      agency.version = r[0][1].as<int64_t>();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<Agency> FindByCode(std::string_view code) override {
    return Guard("cannot read agencies", [&]() -> absl::StatusOr<Agency> {
      Connection& c = conn();
      pqxx::read_transaction w(c.get());
      pqxx::result r = w.exec_prepared(
          c.Prepared("SELECT id, code, name, type, region_code, version FROM agencies "
                     "WHERE code = $1"),
          std::string(code));
      if (r.empty()) return absl::NotFoundError("no such agency");
      return ReadAgency(r[0]);
    });
  }

  absl::Status Update(Agency& agency) override {
    return Guard("cannot change the agency", [&]() -> absl::Status {
      pqxx::work w(conn().get());
      GUGUS_RETURN_IF_ERROR(CheckRegion(w, agency.region_code));
      pqxx::result r = w.exec_params(
          "UPDATE agencies SET name = $1, type = $2, region_code = $3, "
          "version = version + 1 WHERE code = $4 AND version = $5",
          agency.name, agency.type, agency.region_code, agency.code, agency.version);
      if (r.affected_rows() == 0) {
        if (w.exec_params("SELECT 1 FROM agencies WHERE code = $1", agency.code).empty())
          return absl::NotFoundError("no such agency");
        return absl::AbortedError(
            "the agency was changed by someone else meanwhile; reload it and try again");
      }
      w.commit();
      ++agency.version;
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<Agency>> List() override {
    return Guard("cannot read agencies", [&]() -> absl::StatusOr<std::vector<Agency>> {
      Connection& c = conn();
      pqxx::read_transaction w(c.get());
      pqxx::result r = w.exec_prepared(
          c.Prepared("SELECT id, code, name, type, region_code, version FROM agencies "
                     "ORDER BY code"));
      std::vector<Agency> out;
      for (const auto& row : r) out.push_back(ReadAgency(row));
      return out;
    });
  }

 private:
  static int CurrentVersion(pqxx::connection& c) {
    pqxx::nontransaction n(c);
    return n.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations")[0]
        .as<int>();
  }

  static absl::Status CheckRegion(pqxx::transaction_base& w, const std::string& code) {
    if (w.exec_params("SELECT 1 FROM regions WHERE code = $1", code).empty())
      return absl::FailedPreconditionError(StrCat("unknown region code '", code, "'"));
    return absl::OkStatus();
  }

  static Agency ReadAgency(const pqxx::row& row) {
    Agency a;
    a.id = row[0].as<int64_t>();
    a.code = row[1].c_str();
    a.name = row[2].c_str();
    a.type = row[3].c_str();
    a.region_code = row[4].c_str();
    a.version = row[5].as<int64_t>();
    return a;
  }

  std::string conninfo_;
  std::mutex mu_;
  std::unordered_map<std::thread::id, std::unique_ptr<Connection>> connections_;
  std::unique_ptr<domain::RecordRepository> records_;
  std::unique_ptr<domain::LinkRepository> links_;
  std::unique_ptr<domain::AccountRepository> accounts_;
  std::unique_ptr<domain::AuditRepository> audit_;
  std::unique_ptr<domain::StatsRepository> stats_;
  std::unique_ptr<domain::JobRepository> jobs_;
  std::unique_ptr<domain::JusticeRepository> justice_;
};

}  // namespace

bool IsPostgresUrl(std::string_view address) {
  return address.starts_with("postgresql:") || address.starts_with("postgres:");
}

int PostgresSchemaVersion() { return pg::Migrations().back().version; }

absl::StatusOr<std::unique_ptr<domain::Store>> OpenPostgresStore(const std::string& url,
                                                                 OpenMode mode) {
  auto store = std::make_unique<PgStore>(ConnInfo(url));
  // The URL may hold a password: it is never repeated in a message.
  absl::Status opened =
      Guard("cannot connect to the PostgreSQL database", [&]() -> absl::Status {
        store->conn();
        return absl::OkStatus();
      });
  GUGUS_RETURN_IF_ERROR(opened);
  if (mode == OpenMode::kCreateOrUpgrade) GUGUS_RETURN_IF_ERROR(store->Migrate());
  GUGUS_RETURN_IF_ERROR(store->CheckVersion());
  return std::unique_ptr<domain::Store>(std::move(store));
}

absl::Status GrantPostgresServerRole(const std::string& url, const std::string& role) {
  return Guard("cannot grant the server role", [&]() -> absl::Status {
    pqxx::connection c(ConnInfo(url));
    pqxx::work w(c);
    if (w.exec_params("SELECT 1 FROM pg_roles WHERE rolname = $1", role).empty())
      return absl::NotFoundError(StrCat("there is no PostgreSQL role ", role,
                                        ": create it first (createuser ", role, ")"));
    const pqxx::row who = w.exec_params1(
        "SELECT rolsuper OR rolbypassrls, EXISTS (SELECT 1 FROM pg_tables WHERE "
        "schemaname = 'public' AND tableowner = $1) FROM pg_roles WHERE rolname = $1",
        role);
    if (who[0].as<bool>())
      return absl::InvalidArgumentError(
          StrCat("the role ", role,
                 " is a superuser: the servers' role must be an ordinary one"));
    if (who[1].as<bool>())
      return absl::InvalidArgumentError(
          StrCat("the role ", role,
                 " owns the tables: the servers' role must be another one than the "
                 "owner that runs `gugus init`"));
    const std::string r = w.quote_name(role);
    // What a server does: read and write rows, empty derived tables, take ids.
    // Not: create, alter or drop anything (only the owner may), nor change or
    // delete an audit entry.
    w.exec0(StrCat("GRANT USAGE ON SCHEMA public TO ", r));
    w.exec0(StrCat("REVOKE CREATE ON SCHEMA public FROM ", r));
    w.exec0(
        StrCat("GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN "
               "SCHEMA public TO ",
               r));
    w.exec0(StrCat("REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM ", r));
    w.exec0(
        StrCat("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM ", r));
    w.exec0(StrCat("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ", r));
    w.commit();
    return absl::OkStatus();
  });
}

}  // namespace gugus::storage
