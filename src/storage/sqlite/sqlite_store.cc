#include "storage/sqlite/sqlite_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/status.h"
#include "core/strcat.h"
#include "ingest/stored_form.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_accounts.h"
#include "storage/sqlite/sqlite_jobs.h"
#include "storage/sqlite/sqlite_justice.h"
#include "storage/sqlite/sqlite_links.h"
#include "storage/sqlite/sqlite_stats.h"
#include "storage/sqlite/sqlite_util.h"

namespace gugus::storage {
namespace {

using domain::Agency;
using domain::ImportBatch;
using domain::ImportCounts;
using domain::ImportFileMeta;
using domain::StoredRecord;
using domain::StoredReject;
using domain::UpsertResult;
using ingest::Field;
using ingest::kFieldCount;
using json = nlohmann::json;
using namespace internal;  // NOLINT: this file is the helpers' home layer

// Pairs each raw cell with its column name (ingest::ZipRawCells); throws on damage.
std::vector<std::pair<std::string, std::string>> ZipRaw(
    const std::string& header_json, const std::string& raw_json,
    const ingest::ParsedRecord* parsed = nullptr) {
  return OrThrow(ingest::ZipRawCells(header_json, raw_json, parsed));
}

class SqliteStore;

constexpr int kBusyTimeoutMs = 5000;  // how long a statement waits for a lock

class Connection {
 public:
  // NOMUTEX: a connection is only ever used by the thread that opened it.
  explicit Connection(const std::string& path, int flags)
      : db_(path, flags | SQLITE_OPEN_NOMUTEX, kBusyTimeoutMs) {
    db_.exec("PRAGMA page_size=16384");  // takes effect only on a new database
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA foreign_keys=ON");
    db_.exec("PRAGMA synchronous=FULL");
    db_.exec("PRAGMA cache_size=-65536");  // 64 MiB page cache
    db_.exec("PRAGMA temp_store=MEMORY");
  }
  SQLite::Database& db() { return db_; }

 private:
  CachingDatabase db_;
};

class SqliteImportTransaction : public domain::ImportTransaction {
 public:
  SqliteImportTransaction(SQLite::Database& db, const ImportFileMeta& meta)
      : db_(db),
        agency_id_(meta.agency_id),
        insert_record_(db, InsertRecordsSql(1)),
        insert_records_(db, InsertRecordsSql(kVersionBatch)),
        update_record_(db,
                       "UPDATE source_records SET current_version = ?, "
                       "content_hash = ? WHERE id = ?"),
        insert_version_(db, InsertVersionsSql(1)),
        insert_versions_(db, InsertVersionsSql(kVersionBatch)),
        insert_reject_(db,
                       "INSERT INTO rejects (batch_id, line, raw, reasons, text) "
                       "VALUES (?, ?, ?, ?, ?)") {}

  static absl::StatusOr<std::unique_ptr<SqliteImportTransaction>> Begin(
      SQLite::Database& db, const ImportFileMeta& meta) {
    return Guard("cannot start the import",
                 [&]() -> absl::StatusOr<std::unique_ptr<SqliteImportTransaction>> {
                   db.exec("BEGIN IMMEDIATE");
                   std::unique_ptr<SqliteImportTransaction> tx;
                   try {
                     tx.reset(new SqliteImportTransaction(db, meta));
                     tx->open_ = true;
                     tx->batch_id_ = StartBatch(db, meta);
                     tx->LoadExisting();
                   } catch (...) {
                     if (!tx) db.exec("ROLLBACK");
                     throw;  // `tx`'s destructor rolls back
                   }
                   return tx;
                 });
  }

  ~SqliteImportTransaction() override {
    if (open_) {
      try {
        db_.exec("ROLLBACK");
      } catch (const std::exception&) {
        // The connection is closing or the transaction already ended: nothing to do.
      }
    }
  }

  int64_t batch_id() const override { return batch_id_; }

  absl::StatusOr<UpsertResult> Upsert(ingest::ParsedRecord&& record,
                                      std::string&& raw_cells, std::string&& warnings,
                                      int64_t line, std::string_view hash) override {
    return Guard("cannot store a record", [&]() -> absl::StatusOr<UpsertResult> {
      const std::string& record_id = record[Field::kRecordId];
      // Only records that existed before this import are looked up: a file never
      // holds a record id twice (the validator rejects repeats), and should one come
      // anyway, the UNIQUE constraint fails the import rather than lose a version.
      auto it = existing_.find(record_id);
      int64_t id = 0;
      int64_t version = 1;
      UpsertResult result = UpsertResult::kInserted;
      if (it != existing_.end()) {
        Existing& current = it->second;
        if (current.hash == hash) return UpsertResult::kUnchanged;
        id = current.id;
        version = current.version + 1;
        current.version = version;
        current.hash.assign(hash);
        result = UpsertResult::kUpdated;
        update_record_.reset();
        update_record_.bind(1, static_cast<int64_t>(version));
        update_record_.bindNoCopy(2, hash.data(), static_cast<int>(hash.size()));
        update_record_.bind(3, static_cast<int64_t>(id));
        update_record_.exec();
      } else {
        // Ids are ours to give: BEGIN IMMEDIATE holds the write lock.
        id = next_id_++;
        PendingRecord& r = pending_records_[pending_records_count_++];
        r.id = id;
        r.record_id.assign(record_id);
        r.hash.assign(hash);
      }
      PendingVersion& v = pending_[pending_count_++];
      v.id = id;
      v.version = version;
      v.line = line;
      // Swapped, not copied: both sides keep recycling their buffers.
      v.raw.swap(raw_cells);
      v.warnings.swap(warnings);
      v.age = record.age;
      for (int f = 1; f < kFieldCount; ++f) v.value[f].swap(record.value[f]);
      if (pending_count_ == kVersionBatch) FlushVersions();
      return result;
    });
  }

  absl::Status Reject(int64_t line, const std::string& raw_cells, std::string_view text,
                      const std::string& reasons) override {
    return Guard("cannot quarantine a row", [&]() -> absl::Status {
      insert_reject_.reset();
      insert_reject_.bind(1, static_cast<int64_t>(batch_id_));
      insert_reject_.bind(2, static_cast<int64_t>(line));
      insert_reject_.bindNoCopy(3, raw_cells);
      insert_reject_.bindNoCopy(4, reasons);
      if (text.empty()) {
        insert_reject_.bind(5);
      } else {
        insert_reject_.bind(5, std::string(text));
      }
      insert_reject_.exec();
      return absl::OkStatus();
    });
  }

  absl::Status Commit(const ImportCounts& c, std::string_view digest) override {
    return Guard("cannot commit the import", [&]() -> absl::Status {
      FlushVersions();
      FinishBatch(db_, batch_id_, c, digest);
      open_ = false;
      return absl::OkStatus();
    });
  }

 private:
  SQLite::Database& db_;
  int64_t agency_id_;
  int64_t batch_id_ = 0;
  bool open_ = false;
  // The agency's source records as they stand, loaded once at the start: one hash
  // lookup a row instead of one index search (about 60 bytes a record).
  struct Existing {
    int64_t id = 0;
    int64_t version = 0;
    std::string hash;
  };
  void LoadExisting() {
    next_id_ =
        db_.execAndGet("SELECT coalesce(max(id), 0) + 1 FROM source_records").getInt64();
    SQLite::Statement s(db_,
                        "SELECT record_id, id, current_version, content_hash "
                        "FROM source_records WHERE agency_id = ?");
    s.bind(1, static_cast<int64_t>(agency_id_));
    while (s.executeStep()) {
      SQLite::Column hash = s.getColumn(3);
      existing_.emplace(s.getColumn(0).getString(),
                        Existing{s.getColumn(1).getInt64(), s.getColumn(2).getInt64(),
                                 std::string(static_cast<const char*>(hash.getBlob()),
                                             static_cast<size_t>(hash.getBytes()))});
    }
  }
  std::unordered_map<std::string, Existing> existing_;

  // Versions are written kVersionBatch rows to a statement: one multi-row INSERT
  // costs far less than as many single-row ones. Their source record rows are
  // already written, so the foreign key holds when they are.
  static constexpr size_t kVersionBatch = 32;
  static constexpr int kVersionColumns = 6 + kFieldCount - 1;
  struct PendingVersion {
    int64_t id = 0, version = 0, line = 0;
    std::string raw, warnings;
    std::optional<int> age;
    std::array<std::string, kFieldCount> value;
  };
  std::array<PendingVersion, kVersionBatch> pending_;
  size_t pending_count_ = 0;
  // New source records, written with (before) their versions. Every new record has
  // a pending version, so there are never more of these than of those.
  struct PendingRecord {
    int64_t id = 0;
    std::string record_id, hash;
  };
  std::array<PendingRecord, kVersionBatch> pending_records_;
  size_t pending_records_count_ = 0;
  int64_t next_id_ = 1;

  static std::string InsertRecordsSql(size_t rows) {
    std::string sql =
        "INSERT INTO source_records (id, agency_id, record_id, current_version, "
        "content_hash) VALUES ";
    for (size_t i = 0; i < rows; ++i) sql += i ? ", (?, ?, ?, 1, ?)" : "(?, ?, ?, 1, ?)";
    return sql;
  }

  static void BindVersion(SQLite::Statement& s, int base, int64_t batch_id,
                          const PendingVersion& v) {
    s.bind(base + 1, static_cast<int64_t>(v.id));
    s.bind(base + 2, static_cast<int64_t>(v.version));
    s.bind(base + 3, static_cast<int64_t>(batch_id));
    s.bind(base + 4, static_cast<int64_t>(v.line));
    s.bindNoCopy(base + 5, v.raw);
    s.bindNoCopy(base + 6, v.warnings);
    for (int f = 1; f < kFieldCount; ++f) {
      int index = base + 6 + f;
      if (static_cast<Field>(f) == Field::kAge) {
        if (v.age)
          s.bind(index, *v.age);
        else
          s.bind(index);
      } else if (v.value[f].empty()) {
        s.bind(index);  // NULL: absent
      } else {
        s.bindNoCopy(index, v.value[f]);
      }
    }
  }

  // Throws (inside Guard) like every SQLiteCpp call.
  void FlushRecords() {
    auto bind = [this](SQLite::Statement& s, int base, const PendingRecord& r) {
      s.bind(base + 1, static_cast<int64_t>(r.id));
      s.bind(base + 2, static_cast<int64_t>(agency_id_));
      s.bindNoCopy(base + 3, r.record_id);
      s.bindNoCopy(base + 4, r.hash.data(), static_cast<int>(r.hash.size()));
    };
    if (pending_records_count_ == kVersionBatch) {
      insert_records_.reset();
      for (size_t i = 0; i < kVersionBatch; ++i)
        bind(insert_records_, static_cast<int>(i) * 4, pending_records_[i]);
      insert_records_.exec();
    } else {
      for (size_t i = 0; i < pending_records_count_; ++i) {
        insert_record_.reset();
        bind(insert_record_, 0, pending_records_[i]);
        insert_record_.exec();
      }
    }
    pending_records_count_ = 0;
  }

  // Writes the pending source records first: versions refer to them.
  void FlushVersions() {
    FlushRecords();
    if (pending_count_ == kVersionBatch) {
      insert_versions_.reset();
      for (size_t i = 0; i < kVersionBatch; ++i)
        BindVersion(insert_versions_, static_cast<int>(i) * kVersionColumns, batch_id_,
                    pending_[i]);
      insert_versions_.exec();
    } else {
      for (size_t i = 0; i < pending_count_; ++i) {
        insert_version_.reset();
        BindVersion(insert_version_, 0, batch_id_, pending_[i]);
        insert_version_.exec();
      }
    }
    pending_count_ = 0;
  }

  static std::string InsertVersionsSql(size_t rows) {
    std::string sql = StrCat(
        "INSERT INTO record_versions (source_record_id, version, "
        "batch_id, line, raw, warnings, ",
        VersionColumns(), ") VALUES ");
    for (size_t i = 0; i < rows; ++i)
      sql += StrCat(i ? ", (" : "(", Placeholders(kVersionColumns), ")");
    return sql;
  }
  SQLite::Statement insert_record_, insert_records_, update_record_, insert_version_,
      insert_versions_, insert_reject_;
};

class SqliteStore : public domain::Store,
                    public domain::ReferenceRepository,
                    public domain::AgencyRepository,
                    public domain::RecordRepository {
 public:
  explicit SqliteStore(std::string path)
      : path_(std::move(path)),
        links_(NewSqliteLinkRepository([this]() -> SQLite::Database& { return db(); })),
        accounts_(
            NewSqliteAccountRepository([this]() -> SQLite::Database& { return db(); })),
        audit_(NewSqliteAuditRepository([this]() -> SQLite::Database& { return db(); })),
        stats_(NewSqliteStatsRepository([this]() -> SQLite::Database& { return db(); })),
        jobs_(NewSqliteJobRepository([this]() -> SQLite::Database& { return db(); })),
        justice_(
            NewSqliteJusticeRepository([this]() -> SQLite::Database& { return db(); })) {}

  domain::LinkRepository& links() override { return *links_; }
  domain::AccountRepository& accounts() override { return *accounts_; }
  domain::AuditRepository& audit() override { return *audit_; }
  domain::StatsRepository& stats() override { return *stats_; }
  domain::JobRepository& jobs() override { return *jobs_; }
  domain::JusticeRepository& justice() override { return *justice_; }
  domain::ReferenceRepository& reference() override { return *this; }
  domain::AgencyRepository& agencies() override { return *this; }
  domain::RecordRepository& records() override { return *this; }

  // The calling thread's connection.
  SQLite::Database& db() {
    std::lock_guard<std::mutex> lock(mu_);
    auto& conn = connections_[std::this_thread::get_id()];
    if (!conn) conn = std::make_unique<Connection>(path_, SQLite::OPEN_READWRITE);
    return conn->db();
  }

  absl::Status Migrate() {
    return Guard("cannot upgrade the database", [&]() -> absl::Status {
      SQLite::Database& d = db();
      d.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
          "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
      int current = CurrentVersion(d);
      for (const Migration& m : Migrations()) {
        if (m.version <= current) continue;
        SQLite::Transaction tx(d);
        d.exec(std::string(m.sql));
        SQLite::Statement s(d, "INSERT INTO schema_migrations VALUES (?, ?, ?)");
        s.bind(1, m.version);
        s.bind(2, std::string(m.name));
        s.bind(3, NowUtc());
        s.exec();
        tx.commit();
      }
      return absl::OkStatus();
    });
  }

  absl::Status CheckVersion() {
    return Guard("cannot read the database", [&]() -> absl::Status {
      SQLite::Database& d = db();
      int current = d.tableExists("schema_migrations") ? CurrentVersion(d) : 0;
      if (current < SqliteSchemaVersion()) {
        return absl::FailedPreconditionError(
            "the database is not initialised or is out of date: run `gugus init`");
      }
      if (current > SqliteSchemaVersion()) {
        return absl::FailedPreconditionError(
            "the database was written by a newer gugus: upgrade gugus");
      }
      return absl::OkStatus();
    });
  }

  // --- ReferenceRepository ---
  absl::Status ReplaceRegions(const std::vector<Region>& regions) override {
    return Guard("cannot store regions", [&]() -> absl::Status {
      SQLite::Database& d = db();
      SQLite::Transaction tx(d);
      // Agencies refer to regions: keep those rows and upsert the rest.
      SQLite::Statement s(d,
                          "INSERT INTO regions (code, parent_code, level, name) "
                          "VALUES (?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET "
                          "parent_code = excluded.parent_code, level = excluded.level, "
                          "name = excluded.name");
      for (const Region& r : regions) {
        s.reset();
        s.bindNoCopy(1, r.code);
        if (r.parent_code.empty())
          s.bind(2);
        else
          s.bindNoCopy(2, r.parent_code);
        s.bind(3, static_cast<int>(r.level));
        s.bindNoCopy(4, r.name);
        s.exec();
      }
      tx.commit();
      return absl::OkStatus();
    });
  }

  absl::Status ReplaceCountries(const std::vector<Country>& countries) override {
    return Guard("cannot store countries", [&]() -> absl::Status {
      SQLite::Database& d = db();
      SQLite::Transaction tx(d);
      d.exec("DELETE FROM countries");
      SQLite::Statement s(d, "INSERT INTO countries VALUES (?, ?, ?, ?)");
      for (const Country& c : countries) {
        s.reset();
        s.bind(1, c.alpha2);
        s.bind(2, c.alpha3);
        s.bind(3, c.name_en);
        s.bind(4, c.name_id);
        s.exec();
      }
      tx.commit();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<Region>> LoadRegions(RegionLevel max_level) override {
    return Guard("cannot read regions", [&]() -> absl::StatusOr<std::vector<Region>> {
      SQLite::Statement s(db(),
                          "SELECT code, parent_code, level, name FROM regions "
                          "WHERE level <= ? ORDER BY code");
      s.bind(1, static_cast<int>(max_level));
      std::vector<Region> out;
      while (s.executeStep()) {
        Region r;
        r.code = s.getColumn(0).getString();
        r.parent_code = s.getColumn(1).getString();
        r.level = static_cast<RegionLevel>(s.getColumn(2).getInt());
        r.name = s.getColumn(3).getString();
        out.push_back(std::move(r));
      }
      return out;
    });
  }

  absl::StatusOr<std::vector<Country>> LoadCountries() override {
    return Guard("cannot read countries", [&]() -> absl::StatusOr<std::vector<Country>> {
      SQLite::Statement s(db(),
                          "SELECT alpha2, alpha3, name_en, name_id FROM countries "
                          "ORDER BY alpha2");
      std::vector<Country> out;
      while (s.executeStep()) {
        out.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(),
                       s.getColumn(2).getString(), s.getColumn(3).getString()});
      }
      return out;
    });
  }

  // --- AgencyRepository ---
  absl::Status Add(Agency& agency) override {
    return Guard("cannot add the agency", [&]() -> absl::Status {
      SQLite::Database& d = db();
      SQLite::Statement exists(d, "SELECT 1 FROM agencies WHERE code = ?");
      exists.bind(1, agency.code);
      if (exists.executeStep()) {
        return absl::AlreadyExistsError(
            StrCat("an agency with code '", agency.code, "' already exists"));
      }
      GUGUS_RETURN_IF_ERROR(CheckRegion(d, agency.region_code));
      SQLite::Statement s(d,
                          "INSERT INTO agencies (code, name, type, region_code, "
                          "created_at) VALUES (?, ?, ?, ?, ?)");
      s.bind(1, agency.code);
      s.bind(2, agency.name);
      s.bind(3, agency.type);
      s.bind(4, agency.region_code);
      s.bind(5, NowUtc());
      s.exec();
      agency.id = d.getLastInsertRowid();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<Agency> FindByCode(std::string_view code) override {
    return Guard("cannot read agencies", [&]() -> absl::StatusOr<Agency> {
      SQLite::Statement s(
          db(),
          "SELECT id, code, name, type, region_code, version FROM agencies "
          "WHERE code = ?");
      s.bind(1, std::string(code));
      if (!s.executeStep()) return absl::NotFoundError("no such agency");
      return ReadAgency(s);
    });
  }

  absl::Status Update(Agency& agency) override {
    return Guard("cannot change the agency", [&]() -> absl::Status {
      SQLite::Database& d = db();
      SQLite::Transaction tx(d);
      GUGUS_RETURN_IF_ERROR(CheckRegion(d, agency.region_code));
      SQLite::Statement s(d,
                          "UPDATE agencies SET name = ?, type = ?, region_code = ?, "
                          "version = version + 1 WHERE code = ? AND version = ?");
      s.bind(1, agency.name);
      s.bind(2, agency.type);
      s.bind(3, agency.region_code);
      s.bind(4, agency.code);
      s.bind(5, agency.version);
      if (s.exec() == 0) {
        SQLite::Statement exists(d, "SELECT 1 FROM agencies WHERE code = ?");
        exists.bind(1, agency.code);
        if (!exists.executeStep()) return absl::NotFoundError("no such agency");
        return absl::AbortedError(
            "the agency was changed by someone else meanwhile; reload it and try again");
      }
      tx.commit();
      ++agency.version;
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<Agency>> List() override {
    return Guard("cannot read agencies", [&]() -> absl::StatusOr<std::vector<Agency>> {
      CachedStatement s(db(),
                        "SELECT id, code, name, type, region_code, version FROM agencies "
                        "ORDER BY code");
      std::vector<Agency> out;
      while (s->executeStep()) out.push_back(ReadAgency(*s));
      return out;
    });
  }

  // --- RecordRepository ---
  absl::StatusOr<std::unique_ptr<domain::ImportTransaction>> BeginImport(
      const ImportFileMeta& meta) override {
    GUGUS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteImportTransaction> tx,
                           SqliteImportTransaction::Begin(db(), meta));
    return std::unique_ptr<domain::ImportTransaction>(std::move(tx));
  }

  absl::StatusOr<std::optional<ImportBatch>> FindBatch(int64_t agency_id,
                                                       std::string_view digest) override {
    return Guard(
        "cannot read imports", [&]() -> absl::StatusOr<std::optional<ImportBatch>> {
          SQLite::Statement s(db(), StrCat(kBatchSelect,
                                           " WHERE b.agency_id = ? AND b.file_digest = ? "
                                           "AND b.finished_at IS NOT NULL "
                                           "ORDER BY b.id DESC LIMIT 1"));
          s.bind(1, static_cast<int64_t>(agency_id));
          s.bind(2, std::string(digest));
          if (!s.executeStep()) return std::optional<ImportBatch>();
          return std::optional<ImportBatch>(ReadBatch(s));
        });
  }

  absl::StatusOr<std::vector<ImportBatch>> ListBatches(
      const domain::RecordScope& scope) override {
    return Guard(
        "cannot read imports", [&]() -> absl::StatusOr<std::vector<ImportBatch>> {
          SQLite::Statement s(db(), StrCat(kBatchSelect, " WHERE ",
                                           ScopeCondition(scope, "a.id", "a.region_code"),
                                           " ORDER BY b.id"));
          BindScope(s, scope);
          std::vector<ImportBatch> out;
          while (s.executeStep()) out.push_back(ReadBatch(s));
          return out;
        });
  }

  absl::Status ForEachCurrentRecord(
      const std::function<absl::Status(const StoredRecord&)>& visit) override {
    return Guard("cannot read records", [&]() -> absl::Status {
      SQLite::Statement s(db(), StrCat(kRecordSelect,
                                       " AND v.version = r.current_version "
                                       "ORDER BY a.code, r.record_id"));
      while (s.executeStep())
        GUGUS_RETURN_IF_ERROR(visit(ReadRecord(s, /*with_raw=*/false)));
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<StoredRecord>> FindRecords(
      const domain::RecordQuery& q) override {
    return Guard(
        "cannot read records", [&]() -> absl::StatusOr<std::vector<StoredRecord>> {
          std::string sql(kRecordSelect);
          if (!q.all_versions) sql += " AND v.version = r.current_version";
          if (!q.agency_code.empty()) sql += " AND a.code = :agency";
          if (!q.record_id.empty()) sql += " AND r.record_id = :record_id";
          // By the derived keys (migration 6), and among the versions stored since
          // they were last brought up to date, by the column itself.
          if (!q.nik.empty() || !q.phone.empty()) RefreshPersonKeys(db());
          if (!q.nik.empty())
            sql += StrCat(" AND v.nik = :nik AND ", KeyedVersions("nik"));
          if (!q.phone.empty())
            sql += StrCat(" AND v.phone = :phone AND ", KeyedVersions("phone"));
          if (!q.name.empty()) sql += " AND v.name LIKE :name ESCAPE '\\'";
          // Integers, written into the statement: nothing to inject.
          if (!q.source_record_ids.empty())
            sql += StrCat(" AND r.id IN (", IdList(q.source_record_ids), ")");
          if (!q.person_ids.empty())
            sql += StrCat(
                " AND r.id IN (SELECT source_record_id FROM person_links "
                "WHERE person_id IN (",
                IdList(q.person_ids), "))");
          // Visibility follows the current version, also for old versions: a
          // corrected origin moves the whole record.
          sql += StrCat(" AND ", ScopeCondition(q.scope, "a.id", "a.region_code",
                                                q.all_versions ? kCurrentOrigin
                                                               : "v.origin_region"));
          sql += " ORDER BY a.code, r.record_id, v.version LIMIT :limit OFFSET :offset";
          SQLite::Statement s(db(), sql);
          BindScope(s, q.scope);
          if (!q.agency_code.empty()) s.bind(":agency", q.agency_code);
          if (!q.record_id.empty()) s.bind(":record_id", q.record_id);
          if (!q.nik.empty()) {
            s.bind(":nik", q.nik);
            s.bind(":nik_key", StrCat("n", q.nik));
          }
          if (!q.phone.empty()) {
            s.bind(":phone", q.phone);
            s.bind(":phone_key", StrCat("p", q.phone));
          }
          if (!q.name.empty()) {
            std::string pattern = "%";
            for (char c : q.name) {
              if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
              pattern.push_back(c);
            }
            s.bind(":name", pattern + "%");
          }
          s.bind(":limit", q.limit);
          s.bind(":offset", std::max(0, q.offset));
          std::vector<StoredRecord> out;
          while (s.executeStep()) out.push_back(ReadRecord(s, q.with_raw));
          return out;
        });
  }

  absl::Status ForEachReject(
      int64_t batch_id, const domain::RecordScope& scope,
      const std::function<absl::Status(const StoredReject&)>& visit) override {
    return Guard("cannot read the quarantine", [&]() -> absl::Status {
      std::string sql = StrCat(
          "SELECT j.batch_id, a.code, b.file_name, j.line, b.header, j.raw, j.reasons, "
          "coalesce(j.text, '') "
          "FROM rejects j JOIN import_batches b ON b.id = j.batch_id "
          "JOIN agencies a ON a.id = b.agency_id WHERE ",
          ScopeCondition(scope, "a.id", "a.region_code"));
      if (batch_id > 0) sql += " AND j.batch_id = :batch";
      sql += " ORDER BY j.batch_id, j.line";
      SQLite::Statement s(db(), sql);
      BindScope(s, scope);
      if (batch_id > 0) s.bind(":batch", static_cast<int64_t>(batch_id));
      while (s.executeStep()) {
        StoredReject r;
        r.batch_id = s.getColumn(0).getInt64();
        r.agency_code = s.getColumn(1).getString();
        r.file_name = s.getColumn(2).getString();
        r.line = s.getColumn(3).getInt64();
        r.raw = ZipRaw(s.getColumn(4).getString(), s.getColumn(5).getString());
        r.reasons = OrThrow(ingest::DecodeIssues(s.getColumn(6).getString()));
        r.text = s.getColumn(7).getString();
        GUGUS_RETURN_IF_ERROR(visit(r));
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<domain::StoreSummary> Summary() override {
    return Guard(
        "cannot read the database", [&]() -> absl::StatusOr<domain::StoreSummary> {
          SQLite::Database& d = db();
          auto count = [&](const char* table) {
            return d.execAndGet(StrCat("SELECT count(*) FROM ", table)).getInt64();
          };
          domain::StoreSummary s;
          s.regions = count("regions");
          s.countries = count("countries");
          s.agencies = count("agencies");
          s.batches = count("import_batches");
          s.source_records = count("source_records");
          s.versions = count("record_versions");
          s.rejects = count("rejects");
          return s;
        });
  }

 private:
  static constexpr const char* kBatchSelect =
      "SELECT b.id, a.code, b.agency_id, b.file_name, b.file_digest, b.format, "
      "b.encoding, "
      "b.delimiter, b.header, b.started_at, coalesce(b.finished_at, ''), b.rows, "
      "b.inserted, b.updated, b.unchanged, b.rejected, b.warnings, b.blank, b.kind "
      "FROM import_batches b JOIN agencies a ON a.id = b.agency_id";

  static std::string RecordSelect() {
    return StrCat(
        "SELECT a.code, r.record_id, v.version, v.batch_id, v.line, b.finished_at, "
        "b.header, v.raw, v.warnings, ",
        VersionColumns("v."),
        ", r.id, coalesce(l.person_id, 0)"
        " FROM source_records r JOIN agencies a ON a.id = r.agency_id "
        "JOIN record_versions v ON v.source_record_id = r.id "
        "JOIN import_batches b ON b.id = v.batch_id "
        "LEFT JOIN person_links l ON l.source_record_id = r.id WHERE 1");
  }
  inline static const std::string kRecordSelect = RecordSelect();
  // The origin region of record r's current version.
  static constexpr const char* kCurrentOrigin =
      "(SELECT cv.origin_region FROM record_versions cv WHERE cv.source_record_id = "
      "r.id AND cv.version = r.current_version)";

  // The versions whose `column` ("nik" or "phone") is :<column>, given :<column>_key.
  static std::string KeyedVersions(std::string_view column) {
    return StrCat("v.id IN (SELECT version_id FROM person_keys WHERE key = :", column,
                  "_key UNION ALL SELECT id FROM record_versions WHERE id > (SELECT "
                  "done FROM person_keys_state) AND ",
                  column, " = :", column, ")");
  }

  // Appends the keys of the versions stored since the last refresh to person_keys
  // (migration 6), in key order: one sorted pass, not a B-tree insert a row at a
  // random place. Never waits for the write lock: while an import holds it, or on
  // a read-only database, searches scan the newer versions instead.
  static void RefreshPersonKeys(SQLite::Database& d) {
    auto behind = [&d](int64_t* done, int64_t* last) {
      *done = d.execAndGet("SELECT done FROM person_keys_state").getInt64();
      *last = d.execAndGet("SELECT coalesce(max(id), 0) FROM record_versions").getInt64();
      return *last > *done;
    };
    int64_t done = 0, last = 0;
    // Inside a caller's transaction (none today) there is nothing to begin.
    if (!sqlite3_get_autocommit(d.getHandle()) || !behind(&done, &last)) return;
    std::optional<SQLite::Transaction> tx;  // rolls back unless committed
    d.setBusyTimeout(0);
    try {
      tx.emplace(d, SQLite::TransactionBehavior::IMMEDIATE);
    } catch (const SQLite::Exception& e) {
      const int code = e.getErrorCode();
      if (code != SQLITE_BUSY && code != SQLITE_LOCKED && code != SQLITE_READONLY) {
        d.setBusyTimeout(kBusyTimeoutMs);
        throw;
      }
    }
    d.setBusyTimeout(kBusyTimeoutMs);
    if (!tx) return;
    if (behind(&done, &last)) {  // another connection may have been first
      SQLite::Statement add(
          d,
          "INSERT INTO person_keys (key, version_id) SELECT k, id FROM ("
          "SELECT 'n' || nik AS k, id FROM record_versions "
          "WHERE id > ?1 AND id <= ?2 AND nik IS NOT NULL UNION ALL "
          "SELECT 'p' || phone, id FROM record_versions "
          "WHERE id > ?1 AND id <= ?2 AND phone IS NOT NULL) ORDER BY k, id");
      add.bind(1, done);
      add.bind(2, last);
      add.exec();
      SQLite::Statement mark(d, "UPDATE person_keys_state SET done = ?");
      mark.bind(1, last);
      mark.exec();
    }
    tx->commit();
  }

  static int CurrentVersion(SQLite::Database& d) {
    return d.execAndGet("SELECT coalesce(max(version), 0) FROM schema_migrations")
        .getInt();
  }

  static absl::Status CheckRegion(SQLite::Database& d, const std::string& code) {
    SQLite::Statement region(d, "SELECT 1 FROM regions WHERE code = ?");
    region.bind(1, code);
    if (!region.executeStep())
      return absl::FailedPreconditionError(StrCat("unknown region code '", code, "'"));
    return absl::OkStatus();
  }

  static Agency ReadAgency(SQLite::Statement& s) {
    Agency a;
    a.id = s.getColumn(0).getInt64();
    a.code = s.getColumn(1).getString();
    a.name = s.getColumn(2).getString();
    a.type = s.getColumn(3).getString();
    a.region_code = s.getColumn(4).getString();
    a.version = s.getColumn(5).getInt64();
    return a;
  }

  static ImportBatch ReadBatch(SQLite::Statement& s) {
    ImportBatch b;
    b.id = s.getColumn(0).getInt64();
    b.agency_code = s.getColumn(1).getString();
    b.meta.agency_id = s.getColumn(2).getInt64();
    b.meta.file_name = s.getColumn(3).getString();
    b.meta.digest = s.getColumn(4).getString();
    b.meta.format = s.getColumn(5).getString();
    b.meta.encoding = s.getColumn(6).getString();
    b.meta.delimiter = s.getColumn(7).getString();
    b.meta.header = OrThrow(ingest::DecodeCells(s.getColumn(8).getString()));
    b.started_at = s.getColumn(9).getString();
    b.finished_at = s.getColumn(10).getString();
    ImportCounts& c = b.counts;
    c.rows = s.getColumn(11).getInt64();
    c.inserted = s.getColumn(12).getInt64();
    c.updated = s.getColumn(13).getInt64();
    c.unchanged = s.getColumn(14).getInt64();
    c.rejected = s.getColumn(15).getInt64();
    c.warnings = s.getColumn(16).getInt64();
    c.blank = s.getColumn(17).getInt64();
    b.meta.kind = s.getColumn(18).getString();
    return b;
  }

  static StoredRecord ReadRecord(SQLite::Statement& s, bool with_raw = true) {
    StoredRecord r;
    r.agency_code = s.getColumn(0).getString();
    r.parsed[Field::kRecordId] = s.getColumn(1).getString();
    r.version = s.getColumn(2).getInt64();
    r.batch_id = s.getColumn(3).getInt64();
    r.line = s.getColumn(4).getInt64();
    r.imported_at = s.getColumn(5).getString();
    r.parsed.warnings = OrThrow(ingest::DecodeIssues(s.getColumn(8).getString()));
    for (int f = 1; f < kFieldCount; ++f) {
      SQLite::Column c = s.getColumn(8 + f);
      r.parsed.value[f] = c.isNull() ? std::string() : c.getString();
    }
    if (!r.parsed[Field::kAge].empty()) r.parsed.age = std::stoi(r.parsed[Field::kAge]);
    r.source_record_id = s.getColumn(8 + kFieldCount).getInt64();
    r.person_id = s.getColumn(9 + kFieldCount).getInt64();
    if (with_raw)
      r.raw = ZipRaw(s.getColumn(6).getString(), s.getColumn(7).getString(), &r.parsed);
    return r;
  }

  std::string path_;
  std::mutex mu_;
  std::unordered_map<std::thread::id, std::unique_ptr<Connection>> connections_;
  std::unique_ptr<domain::LinkRepository> links_;
  std::unique_ptr<domain::AccountRepository> accounts_;
  std::unique_ptr<domain::AuditRepository> audit_;
  std::unique_ptr<domain::StatsRepository> stats_;
  std::unique_ptr<domain::JobRepository> jobs_;
  std::unique_ptr<domain::JusticeRepository> justice_;
};

}  // namespace

int SqliteSchemaVersion() { return Migrations().back().version; }

absl::StatusOr<std::unique_ptr<domain::Store>> OpenSqliteStore(const std::string& path,
                                                               OpenMode mode) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (mode == OpenMode::kExisting && !fs::exists(path, ec)) {
    return absl::FailedPreconditionError(
        StrCat("no database at ", path, ": run `gugus init` first"));
  }
  if (mode == OpenMode::kCreateOrUpgrade) {
    fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::exists(parent, ec)) {
      fs::create_directories(parent, ec);
      if (ec) {
        return absl::PermissionDeniedError(
            StrCat("cannot create the folder ", parent.string(), ": ", ec.message()));
      }
    }
  }
  auto store = std::make_unique<SqliteStore>(path);
  absl::Status opened =
      Guard(StrCat("cannot open the database ", path), [&]() -> absl::Status {
        int flags = SQLite::OPEN_READWRITE;
        if (mode == OpenMode::kCreateOrUpgrade) flags |= SQLite::OPEN_CREATE;
        Connection probe(path, flags);
        probe.db().exec("SELECT count(*) FROM sqlite_master");
        return absl::OkStatus();
      });
  GUGUS_RETURN_IF_ERROR(opened);
  if (mode == OpenMode::kCreateOrUpgrade) GUGUS_RETURN_IF_ERROR(store->Migrate());
  GUGUS_RETURN_IF_ERROR(store->CheckVersion());
  return std::unique_ptr<domain::Store>(std::move(store));
}

int64_t SqliteMemoryUsed() { return sqlite3_memory_used(); }

}  // namespace gugus::storage
