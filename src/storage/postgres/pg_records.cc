// The PostgreSQL RecordRepository (domain/repository.h): imports, source records and
// their versions, the quarantine. It behaves as SQLite's (storage/sqlite/
// sqlite_store.cc); what differs is how, since several gugus servers share the
// database and a server is a network round trip away:
// - An import runs on a connection of its own and holds the advisory lock of its
//   agency for its whole transaction: imports of one agency follow one another
//   (the second sees what the first committed), those of different agencies run
//   side by side.
// - Rows are buffered as COPY text and written a few megabytes at a time by COPY,
//   on a thread of its own while the next rows are buffered: the server stores
//   one block while this process prepares the next. The agency's records are
//   loaded once, at the start, for the look-ups.
// - Ids of new source records and versions are drawn from their sequences in
//   blocks, so versions can be written before their ids are needed elsewhere.
// - Ids are not given in commit order when imports run side by side. A committed
//   import that stored versions is numbered in commit order (import_batches.
//   commit_seq), which is what the link state and the statistics watch; person
//   search brings person_keys up to date batch by batch (import_batches.keyed).
#include <algorithm>
#include <charconv>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/date.h"
#include "core/status.h"
#include "core/strcat.h"
#include "ingest/stored_form.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_copy.h"
#include "storage/postgres/pg_util.h"

namespace gugus::storage::pg {
namespace {

using domain::ImportBatch;
using domain::ImportCounts;
using domain::ImportFileMeta;
using domain::StoredRecord;
using domain::StoredReject;
using domain::UpsertResult;
using ingest::Field;
using ingest::kFieldCount;

// pg_advisory_xact_lock(kImportLock, agency id) serialises the imports of one
// agency across servers (the two-key lock space; "gugu" in ASCII).
constexpr int kImportLock = 0x67756775;
// pg_advisory_xact_lock(kCommitLock): imports that stored versions commit one at
// a time, in the order of their commit_seq ("gugusC" in ASCII).
constexpr int64_t kCommitLock = 0x677567757343;
// pg_try_advisory_xact_lock(kPersonKeysLock): one person_keys refresh at a time.
constexpr int64_t kPersonKeysLock = 0x6775677573 + 1;

// Rows fetched at a time from a cursor.
constexpr int kStreamBlock = 2000;

absl::Status StatusOf(const absl::Status& s) { return s; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

// Names of record_versions' columns as an import writes them.
std::vector<std::string> VersionCopyColumns() {
  std::vector<std::string> columns = {
      "id", "source_record_id", "version", "batch_id", "line", "raw", "warnings"};
  for (int f = 1; f < kFieldCount; ++f) columns.emplace_back(ingest::Fields()[f].key);
  return columns;
}

class PgImportTransaction : public domain::ImportTransaction {
 public:
  static absl::StatusOr<std::unique_ptr<PgImportTransaction>> Begin(
      const std::string& conninfo, const ImportFileMeta& meta) {
    return Guard("cannot start the import",
                 [&]() -> absl::StatusOr<std::unique_ptr<PgImportTransaction>> {
                   // Rolled back by its destructor should the start fail.
                   std::unique_ptr<PgImportTransaction> tx(
                       new PgImportTransaction(conninfo, meta.agency_id));
                   tx->Start(meta);
                   return tx;
                 });
  }

  // pqxx::work rolls back unless committed; closing the connection would anyway.
  // A write in flight ends first (what it threw is of no interest any more).
  ~PgImportTransaction() override {
    if (writing_.valid()) writing_.wait();
  }

  int64_t batch_id() const override { return batch_id_; }

  absl::StatusOr<UpsertResult> Upsert(ingest::ParsedRecord&& record,
                                      std::string&& raw_cells, std::string&& warnings,
                                      int64_t line, std::string_view hash) override {
    return Run("cannot store a record", [&]() -> absl::StatusOr<UpsertResult> {
      const std::string& record_id = record[Field::kRecordId];
      std::string hex = ToHex(hash);
      // Only records that existed before this import are looked up: a record id
      // new in it twice fails the import with the UNIQUE constraint (at the next
      // write) rather than lose a version.
      auto it = existing_.find(record_id);
      int64_t id = 0;
      int64_t version = 1;
      UpsertResult result = UpsertResult::kInserted;
      if (it != existing_.end()) {
        Existing& current = it->second;
        if (current.hash == hex) return UpsertResult::kUnchanged;
        id = current.id;
        version = ++current.version;
        current.hash = std::move(hex);
        current.changed = true;
        result = UpsertResult::kUpdated;
      } else {
        id = record_ids_->Next(work_, [this] { WaitForWrite(); });
        records_.Int(id).Int(agency_id_).Text(record_id).Int(1).Hex(hex).EndRow();
      }
      int64_t version_id = version_ids_->Next(work_, [this] { WaitForWrite(); });
      if (!first_version_) first_version_ = version_id;
      last_version_ = version_id;
      versions_.Int(version_id).Int(id).Int(version).Int(batch_id_).Int(line);
      versions_.Text(raw_cells).Text(warnings);
      for (int f = 1; f < kFieldCount; ++f) {
        if (static_cast<Field>(f) == Field::kAge) {
          if (record.age)
            versions_.Int(*record.age);
          else
            versions_.Null();
        } else {
          versions_.TextOrNull(record.value[f]);
        }
      }
      versions_.EndRow();
      if (versions_.size() + rejects_.size() >= kFlushBytes) Flush(/*more=*/true);
      return result;
    });
  }

  absl::Status Reject(int64_t line, const std::string& raw_cells, std::string_view text,
                      const std::string& reasons) override {
    return Run("cannot quarantine a row", [&]() -> absl::Status {
      rejects_.Int(batch_id_).Int(line).Text(raw_cells).Text(reasons).TextOrNull(text);
      rejects_.EndRow();
      if (versions_.size() + rejects_.size() >= kFlushBytes) Flush(/*more=*/true);
      return absl::OkStatus();
    });
  }

  absl::Status Commit(const ImportCounts& c, std::string_view digest) override {
    return Run("cannot commit the import", [&]() -> absl::Status {
      Flush(/*more=*/false);
      WaitForWrite();
      UpdateChangedRecords();
      // The batch's place in the order of commits (import_batches.commit_seq), under
      // a lock held until the commit is visible: the next commit's number is
      // higher and visible after it.
      if (first_version_)
        work_.exec_params("SELECT pg_advisory_xact_lock($1)", kCommitLock);
      work_.exec_params(
          "UPDATE import_batches SET finished_at = $1, rows = $2, inserted = $3, "
          "updated = $4, unchanged = $5, rejected = $6, warnings = $7, blank = $8, "
          "file_digest = $9, first_version = $10, last_version = $11, "
          "commit_seq = CASE WHEN $10::bigint IS NOT NULL THEN "
          "(SELECT coalesce(max(commit_seq), 0) + 1 FROM import_batches) END "
          "WHERE id = $12",
          NowUtc(), c.rows, c.inserted, c.updated, c.unchanged, c.rejected, c.warnings,
          c.blank, std::string(digest), first_version_, last_version_, batch_id_);
      work_.commit();
      return absl::OkStatus();
    });
  }

 private:
  PgImportTransaction(const std::string& conninfo, int64_t agency_id)
      : conn_(conninfo),
        work_(conn_.get()),
        agency_id_(agency_id),
        records_("source_records",
                 {"id", "agency_id", "record_id", "current_version", "content_hash"}),
        versions_("record_versions", VersionCopyColumns()),
        rejects_("rejects", {"batch_id", "line", "raw", "reasons", "text"}),
        records_out_(records_),
        versions_out_(versions_),
        rejects_out_(rejects_) {}

  void Start(const ImportFileMeta& meta) {
    // Waits for an import of the same agency on any server to end; the statements
    // after it see what that import committed.
    work_.exec_params("SELECT pg_advisory_xact_lock($1, $2::integer)", kImportLock,
                      agency_id_);
    batch_id_ = work_
                    .exec_params1(StrCat(kStartBatch, " RETURNING id"), agency_id_,
                                  meta.file_name, meta.digest, meta.format, meta.encoding,
                                  meta.delimiter, ingest::EncodeCells(meta.header),
                                  NowUtc(), meta.kind)[0]
                    .as<int64_t>();
    pqxx::row sequences = work_.exec1(
        "SELECT pg_get_serial_sequence('source_records', 'id'), "
        "pg_get_serial_sequence('record_versions', 'id')");
    record_ids_.emplace(sequences[0].c_str());
    version_ids_.emplace(sequences[1].c_str());
    LoadExisting();
  }

  // The agency's source records as they stand, loaded once: one hash look-up a row
  // instead of a round trip (about 150 bytes a record).
  void LoadExisting() {
    pqxx::icursorstream cursor(
        work_,
        StrCat("SELECT record_id, id, current_version, encode(content_hash, 'hex') "
               "FROM source_records WHERE agency_id = ",
               agency_id_),
        "existing", kStreamBlock);
    for (pqxx::result block; cursor.get(block), !block.empty();) {
      for (const auto& row : block) {
        existing_.emplace(
            row[0].c_str(),
            Existing{row[1].as<int64_t>(), row[2].as<int64_t>(), row[3].c_str(), false});
      }
    }
  }

  // Starts writing what is buffered, on a thread of its own, once the write
  // before it has ended; meanwhile the buffers fill again. The connection belongs
  // to that thread until WaitForWrite. With `more` rows to come, that thread then
  // draws the ids they will need.
  void Flush(bool more) {
    WaitForWrite();
    std::swap(records_, records_out_);
    std::swap(versions_, versions_out_);
    std::swap(rejects_, rejects_out_);
    writing_ = std::async(std::launch::async, [this, more] {
      records_out_.Send(work_);
      versions_out_.Send(work_);
      rejects_out_.Send(work_);
      if (more) {
        record_ids_->TopUp(work_);
        version_ids_->TopUp(work_);
      }
    });
  }

  // Waits for the write in flight, if any, and throws what it threw.
  void WaitForWrite() {
    if (writing_.valid()) writing_.get();
  }

  // Points the records this import gave a new version at it, in one statement.
  void UpdateChangedRecords() {
    CopyBuffer changed("import_changes", {"id", "current_version", "content_hash"});
    for (const auto& [record_id, e] : existing_)
      if (e.changed) changed.Int(e.id).Int(e.version).Hex(e.hash).EndRow();
    if (changed.size() == 0) return;
    work_.exec0(
        "CREATE TEMP TABLE import_changes (id bigint PRIMARY KEY, "
        "current_version bigint NOT NULL, content_hash bytea NOT NULL) ON COMMIT DROP");
    changed.Send(work_);
    work_.exec0(
        "UPDATE source_records r SET current_version = c.current_version, "
        "content_hash = c.content_hash FROM import_changes c WHERE r.id = c.id");
  }

  // Runs `body` unless an earlier call failed: PostgreSQL has aborted the
  // transaction then, and every later call reports that first failure.
  template <typename Fn>
  auto Run(std::string_view what, Fn&& body) -> decltype(body()) {
    if (!failed_.ok()) return failed_;
    auto result = Guard(what, body);
    if (!result.ok()) failed_ = StatusOf(result);
    return result;
  }

  Connection conn_;
  pqxx::work work_;
  int64_t agency_id_;
  int64_t batch_id_ = 0;
  absl::Status failed_;

  struct Existing {
    int64_t id = 0;
    int64_t version = 0;
    std::string hash;  // hex
    bool changed = false;
  };
  absl::flat_hash_map<std::string, Existing> existing_;

  std::optional<IdSource> record_ids_, version_ids_;
  std::optional<int64_t> first_version_, last_version_;
  // Being filled, and being written.
  CopyBuffer records_, versions_, rejects_;
  CopyBuffer records_out_, versions_out_, rejects_out_;
  std::future<void> writing_;
};

class PgRecordRepository : public domain::RecordRepository {
 public:
  PgRecordRepository(ConnectionFn conn, std::string conninfo)
      : conn_(std::move(conn)), conninfo_(std::move(conninfo)) {}

  absl::StatusOr<std::unique_ptr<domain::ImportTransaction>> BeginImport(
      const ImportFileMeta& meta) override {
    GUGUS_ASSIGN_OR_RETURN(std::unique_ptr<PgImportTransaction> tx,
                           PgImportTransaction::Begin(conninfo_, meta));
    return std::unique_ptr<domain::ImportTransaction>(std::move(tx));
  }

  absl::StatusOr<std::optional<ImportBatch>> FindBatch(int64_t agency_id,
                                                       std::string_view digest) override {
    return Guard("cannot read imports",
                 [&]() -> absl::StatusOr<std::optional<ImportBatch>> {
                   Connection& c = conn_();
                   pqxx::read_transaction w(c.get());
                   pqxx::result r = w.exec_prepared(
                       c.Prepared(StrCat(kBatchSelect,
                                         " WHERE b.agency_id = $1 AND b.file_digest = $2 "
                                         "AND b.finished_at IS NOT NULL "
                                         "ORDER BY b.id DESC LIMIT 1")),
                       agency_id, std::string(digest));
                   if (r.empty()) return std::optional<ImportBatch>();
                   return std::optional<ImportBatch>(ReadBatch(r[0]));
                 });
  }

  absl::StatusOr<std::vector<ImportBatch>> ListBatches(
      const domain::RecordScope& scope) override {
    return Guard(
        "cannot read imports", [&]() -> absl::StatusOr<std::vector<ImportBatch>> {
          Connection& c = conn_();
          pqxx::read_transaction w(c.get());
          pqxx::result r = w.exec(StrCat(
              kBatchSelect, " WHERE ",
              ScopeCondition(c.get(), scope, "a.id", "a.region_code"), " ORDER BY b.id"));
          std::vector<ImportBatch> out;
          out.reserve(r.size());
          for (const auto& row : r) out.push_back(ReadBatch(row));
          return out;
        });
  }

  absl::Status ForEachCurrentRecord(
      const std::function<absl::Status(const StoredRecord&)>& visit) override {
    return Guard("cannot read records", [&]() -> absl::Status {
      return Stream(
          [](pqxx::connection_base&) {
            return StrCat(RecordSelect(/*with_raw=*/false),
                          " AND v.version = r.current_version "
                          "ORDER BY a.code, r.record_id");
          },
          [&](const pqxx::row& row) { return visit(ReadRecord(row, false)); });
    });
  }

  absl::StatusOr<std::vector<StoredRecord>> FindRecords(
      const domain::RecordQuery& q) override {
    return Guard(
        "cannot read records", [&]() -> absl::StatusOr<std::vector<StoredRecord>> {
          Connection& c = conn_();
          // By the derived keys, and among the batches not yet keyed, by the column.
          if (!q.nik.empty() || !q.phone.empty()) RefreshPersonKeys(c.get());
          std::vector<std::string> params;
          auto param = [&params](std::string value) {
            params.push_back(std::move(value));
            return StrCat("$", params.size());
          };
          std::string sql = RecordSelect(q.with_raw);
          if (!q.all_versions) sql += " AND v.version = r.current_version";
          if (!q.agency_code.empty())
            sql += StrCat(" AND a.code = ", param(q.agency_code));
          if (!q.record_id.empty())
            sql += StrCat(" AND r.record_id = ", param(q.record_id));
          if (!q.nik.empty()) {
            std::string value = param(q.nik);
            sql += KeyedVersions("nik", value, param(StrCat("n", q.nik)));
          }
          if (!q.phone.empty()) {
            std::string value = param(q.phone);
            sql += KeyedVersions("phone", value, param(StrCat("p", q.phone)));
          }
          if (!q.name.empty())
            sql += StrCat(" AND ", kFoldedName, " LIKE ", param(NamePattern(q.name)),
                          " ESCAPE '\\'");
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
          sql += StrCat(" AND ", ScopeCondition(c.get(), q.scope, "a.id", "a.region_code",
                                                q.all_versions ? kCurrentOrigin
                                                               : "v.origin_region"));
          sql += " ORDER BY a.code, r.record_id, v.version";
          // A negative limit is none, as on SQLite.
          if (q.limit >= 0) sql += StrCat(" LIMIT ", q.limit);
          sql += StrCat(" OFFSET ", std::max(0, q.offset));
          pqxx::read_transaction w(c.get());
          pqxx::result r = w.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
          std::vector<StoredRecord> out;
          out.reserve(r.size());
          for (const auto& row : r) out.push_back(ReadRecord(row, q.with_raw));
          return out;
        });
  }

  absl::Status ForEachReject(
      int64_t batch_id, const domain::RecordScope& scope,
      const std::function<absl::Status(const StoredReject&)>& visit) override {
    return Guard("cannot read the quarantine", [&]() -> absl::Status {
      return Stream(
          [&](pqxx::connection_base& c) {
            std::string sql = StrCat(
                "SELECT j.batch_id, a.code, b.file_name, j.line, b.header, j.raw, "
                "j.reasons, coalesce(j.text, '') "
                "FROM rejects j JOIN import_batches b ON b.id = j.batch_id "
                "JOIN agencies a ON a.id = b.agency_id WHERE ",
                ScopeCondition(c, scope, "a.id", "a.region_code"));
            if (batch_id > 0) sql += StrCat(" AND j.batch_id = ", batch_id);
            return sql + " ORDER BY j.batch_id, j.line";
          },
          [&](const pqxx::row& row) {
            StoredReject r;
            r.batch_id = row[0].as<int64_t>();
            r.agency_code = row[1].c_str();
            r.file_name = row[2].c_str();
            r.line = row[3].as<int64_t>();
            r.raw = OrThrow(ingest::ZipRawCells(row[4].c_str(), row[5].c_str()));
            r.reasons = OrThrow(ingest::DecodeIssues(row[6].c_str()));
            r.text = row[7].c_str();
            return visit(r);
          });
    });
  }

  absl::StatusOr<domain::StoreSummary> Summary() override {
    return Guard(
        "cannot read the database", [&]() -> absl::StatusOr<domain::StoreSummary> {
          Connection& c = conn_();
          pqxx::read_transaction w(c.get());
          pqxx::row r = w.exec_prepared1(c.Prepared(
              "SELECT (SELECT count(*) FROM regions), "
              "(SELECT count(*) FROM countries), (SELECT count(*) FROM agencies), "
              "(SELECT count(*) FROM import_batches), "
              "(SELECT count(*) FROM source_records), "
              "(SELECT count(*) FROM record_versions), "
              "(SELECT count(*) FROM rejects)"));
          domain::StoreSummary s;
          s.regions = r[0].as<int64_t>();
          s.countries = r[1].as<int64_t>();
          s.agencies = r[2].as<int64_t>();
          s.batches = r[3].as<int64_t>();
          s.source_records = r[4].as<int64_t>();
          s.versions = r[5].as<int64_t>();
          s.rejects = r[6].as<int64_t>();
          return s;
        });
  }

 private:
  static constexpr const char* kBatchSelect =
      "SELECT b.id, a.code, b.agency_id, b.file_name, b.file_digest, b.format, "
      "b.encoding, b.delimiter, b.header, b.started_at, coalesce(b.finished_at, ''), "
      "b.rows, b.inserted, b.updated, b.unchanged, b.rejected, b.warnings, b.blank, "
      "b.kind FROM import_batches b JOIN agencies a ON a.id = b.agency_id";

  // Without `with_raw`, the header and the raw cells are not read at all.
  static const std::string& RecordSelect(bool with_raw) {
    static const std::string kWith = RecordSelectOf("b.header, v.raw");
    static const std::string kWithout = RecordSelectOf("'', ''");
    return with_raw ? kWith : kWithout;
  }
  static std::string RecordSelectOf(std::string_view header_and_raw) {
    return StrCat(
        "SELECT a.code, r.record_id, v.version, v.batch_id, v.line, b.finished_at, ",
        header_and_raw, ", v.warnings, ", VersionColumns("v."),
        ", r.id, coalesce(l.person_id, 0)"
        " FROM source_records r JOIN agencies a ON a.id = r.agency_id "
        "JOIN record_versions v ON v.source_record_id = r.id "
        "JOIN import_batches b ON b.id = v.batch_id "
        "LEFT JOIN person_links l ON l.source_record_id = r.id WHERE TRUE");
  }
  // The origin region of record r's current version.
  static constexpr const char* kCurrentOrigin =
      "(SELECT cv.origin_region FROM record_versions cv WHERE cv.source_record_id = "
      "r.id AND cv.version = r.current_version)";
  // The cleaned name with ASCII letters in lower case: SQLite's LIKE folds those
  // and no others, whatever the database's locale.
  static constexpr const char* kFoldedName =
      "translate(v.name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";

  // "%<name>%" for LIKE … ESCAPE '\', matching kFoldedName: wildcards in the name
  // taken literally.
  static std::string NamePattern(std::string_view name) {
    std::string pattern = "%";
    for (char c : name) {
      if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
      pattern.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return pattern + "%";
  }

  // The versions whose `column` ("nik" or "phone") is the parameter `value`, given
  // the parameter `key` (its person_keys key): by person_keys, and among the
  // committed batches whose keys it does not hold yet, by the column itself.
  static std::string KeyedVersions(std::string_view column, std::string_view value,
                                   std::string_view key) {
    return StrCat(" AND v.", column, " = ", value,
                  " AND v.id IN (SELECT version_id FROM person_keys WHERE key = ", key,
                  " UNION ALL SELECT u.id FROM ", kUnkeyedVersions, " AND u.", column,
                  " = ", value, ")");
  }
  // The versions `u` of the committed batches `ub` that person_keys does not cover.
  // A batch's versions lie between its first and last version id, among those of
  // imports that ran beside it.
  static constexpr const char* kUnkeyedVersions =
      "import_batches ub JOIN record_versions u ON u.id BETWEEN ub.first_version AND "
      "ub.last_version AND u.batch_id = ub.id WHERE NOT ub.keyed AND "
      "ub.finished_at IS NOT NULL";

  // Adds the keys of every committed batch not yet keyed to person_keys (in key
  // order: one sorted pass) and marks those batches keyed. Never waits: while
  // another connection refreshes, or on a read-only database, searches scan the
  // unkeyed batches' versions instead.
  static void RefreshPersonKeys(pqxx::connection_base& c) {
    try {
      pqxx::work w(c);
      const char* unkeyed =
          "SELECT id FROM import_batches WHERE NOT keyed AND finished_at IS NOT NULL";
      if (w.exec(unkeyed).empty()) return;  // the usual case: nothing to write
      if (!w.exec_params1("SELECT pg_try_advisory_xact_lock($1)", kPersonKeysLock)[0]
               .as<bool>())
        return;
      // Listed again under the lock: a refresh that held it may have keyed some.
      std::vector<int64_t> ids;
      for (const auto& row : w.exec(unkeyed)) ids.push_back(row[0].as<int64_t>());
      if (ids.empty()) return;
      std::string these = StrCat(" AND ub.id IN (", IdList(ids), ")");
      w.exec0(StrCat(
          "INSERT INTO person_keys (key, version_id) SELECT k, id FROM ("
          "SELECT 'n' || u.nik AS k, u.id FROM ",
          kUnkeyedVersions, these,
          " AND u.nik IS NOT NULL UNION ALL "
          "SELECT 'p' || u.phone, u.id FROM ",
          kUnkeyedVersions, these, " AND u.phone IS NOT NULL) keys ORDER BY k, id"));
      w.exec0(StrCat("UPDATE import_batches SET keyed = TRUE WHERE id IN (", IdList(ids),
                     ") AND NOT keyed"));
      w.commit();
    } catch (const pqxx::sql_error& e) {
      if (SqlState(e) != "25006") throw;  // read_only_sql_transaction
    }
  }

  // Runs the query `sql(connection)` through a server-side cursor on a connection
  // of its own, so that `row` may use the store meanwhile, with a block of rows in
  // memory at a time.
  template <typename Sql, typename Row>
  absl::Status Stream(const Sql& sql, const Row& row) {
    Connection c(conninfo_);
    pqxx::read_transaction w(c.get());
    pqxx::icursorstream cursor(w, sql(c.get()), "stream", kStreamBlock);
    for (pqxx::result block; cursor.get(block), !block.empty();) {
      for (const auto& r : block) GUGUS_RETURN_IF_ERROR(row(r));
    }
    return absl::OkStatus();
  }

  static ImportBatch ReadBatch(const pqxx::row& row) {
    ImportBatch b;
    b.id = row[0].as<int64_t>();
    b.agency_code = row[1].c_str();
    b.meta.agency_id = row[2].as<int64_t>();
    b.meta.file_name = row[3].c_str();
    b.meta.digest = row[4].c_str();
    b.meta.format = row[5].c_str();
    b.meta.encoding = row[6].c_str();
    b.meta.delimiter = row[7].c_str();
    b.meta.header = OrThrow(ingest::DecodeCells(row[8].c_str()));
    b.started_at = row[9].c_str();
    b.finished_at = row[10].c_str();
    ImportCounts& c = b.counts;
    c.rows = row[11].as<int64_t>();
    c.inserted = row[12].as<int64_t>();
    c.updated = row[13].as<int64_t>();
    c.unchanged = row[14].as<int64_t>();
    c.rejected = row[15].as<int64_t>();
    c.warnings = row[16].as<int64_t>();
    c.blank = row[17].as<int64_t>();
    b.meta.kind = row[18].c_str();
    return b;
  }

  static StoredRecord ReadRecord(const pqxx::row& row, bool with_raw) {
    StoredRecord r;
    r.agency_code = row[0].c_str();
    r.parsed[Field::kRecordId] = row[1].c_str();
    r.version = row[2].as<int64_t>();
    r.batch_id = row[3].as<int64_t>();
    r.line = row[4].as<int64_t>();
    r.imported_at = Text(row[5]);
    r.parsed.warnings = OrThrow(ingest::DecodeIssues(row[8].c_str()));
    for (int f = 1; f < kFieldCount; ++f) r.parsed.value[f] = Text(row[8 + f]);
    if (!r.parsed[Field::kAge].empty()) r.parsed.age = std::stoi(r.parsed[Field::kAge]);
    r.source_record_id = row[8 + kFieldCount].as<int64_t>();
    r.person_id = row[9 + kFieldCount].as<int64_t>();
    if (with_raw)
      r.raw = OrThrow(ingest::ZipRawCells(row[6].c_str(), row[7].c_str(), &r.parsed));
    return r;
  }

  ConnectionFn conn_;
  std::string conninfo_;
};

}  // namespace

std::unique_ptr<domain::RecordRepository> NewRecordRepository(ConnectionFn conn,
                                                              std::string conninfo) {
  return std::make_unique<PgRecordRepository>(std::move(conn), std::move(conninfo));
}

}  // namespace gugus::storage::pg
