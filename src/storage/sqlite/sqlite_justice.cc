#include "storage/sqlite/sqlite_justice.h"

#include <unordered_map>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/date.h"
#include "core/status.h"
#include "ingest/stored_form.h"
#include "storage/common/sql.h"
#include "storage/sqlite/sqlite_util.h"

namespace gugus::storage::internal {
namespace {

using domain::ImportCounts;
using domain::ImportFileMeta;
using domain::UpsertResult;
using ingest::kLegalFieldCount;
using ingest::LegalField;

class SqliteLegalImport : public domain::LegalImportTransaction {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteLegalImport>> Begin(
      SQLite::Database& db, const ImportFileMeta& meta) {
    return Guard("cannot start the import",
                 [&]() -> absl::StatusOr<std::unique_ptr<SqliteLegalImport>> {
                   db.exec("BEGIN IMMEDIATE");
                   std::unique_ptr<SqliteLegalImport> tx(new SqliteLegalImport(db, meta));
                   tx->Start(meta);
                   return tx;
                 });
  }

  ~SqliteLegalImport() override {
    if (open_) {
      try {
        db_.exec("ROLLBACK");
      } catch (const std::exception&) {
        // The connection is closing or the transaction already ended.
      }
    }
  }

  int64_t batch_id() const override { return batch_id_; }

  absl::StatusOr<UpsertResult> Upsert(ingest::ParsedLegal&& record,
                                      std::string&& raw_cells, std::string&& warnings,
                                      int64_t line, std::string_view hash) override {
    return Guard("cannot store a legal-progress row",
                 [&]() -> absl::StatusOr<UpsertResult> {
                   const std::string& record_id = record[LegalField::kRecordId];
                   auto it = existing_.find(record_id);
                   int64_t id = 0, version = 1;
                   UpsertResult result = UpsertResult::kInserted;
                   if (it != existing_.end()) {
                     if (it->second.hash == hash) return UpsertResult::kUnchanged;
                     id = it->second.id;
                     version = ++it->second.version;
                     it->second.hash.assign(hash);
                     result = UpsertResult::kUpdated;
                     update_record_.reset();
                     update_record_.bind(1, static_cast<int64_t>(version));
                     update_record_.bind(2, hash.data(), static_cast<int>(hash.size()));
                     update_record_.bind(3, static_cast<int64_t>(id));
                     update_record_.exec();
                   } else {
                     insert_record_.reset();
                     insert_record_.bind(1, static_cast<int64_t>(agency_id_));
                     insert_record_.bind(2, record_id);
                     insert_record_.bind(3, hash.data(), static_cast<int>(hash.size()));
                     insert_record_.exec();
                     id = db_.getLastInsertRowid();
                     existing_.emplace(record_id, Existing{id, 1, std::string(hash)});
                   }
                   SQLite::Statement& s = insert_version_;
                   s.reset();
                   s.bind(1, static_cast<int64_t>(id));
                   s.bind(2, static_cast<int64_t>(version));
                   s.bind(3, static_cast<int64_t>(batch_id_));
                   s.bind(4, static_cast<int64_t>(line));
                   s.bindNoCopy(5, raw_cells);
                   s.bindNoCopy(6, warnings);
                   for (int f = 1; f < kLegalFieldCount; ++f) {
                     int index = 6 + f;
                     const std::string& value = record.value[static_cast<size_t>(f)];
                     if (value.empty()) {
                       s.bind(index);
                     } else if (IsLegalNumber(f)) {
                       s.bind(index, static_cast<int64_t>(std::stoll(value)));
                     } else {
                       s.bindNoCopy(index, value);
                     }
                   }
                   s.exec();
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
      if (text.empty())
        insert_reject_.bind(5);
      else
        insert_reject_.bind(5, std::string(text));
      insert_reject_.exec();
      return absl::OkStatus();
    });
  }

  absl::Status Commit(const ImportCounts& c, std::string_view digest) override {
    return Guard("cannot commit the import", [&]() -> absl::Status {
      FinishBatch(db_, batch_id_, c, digest);
      open_ = false;
      return absl::OkStatus();
    });
  }

 private:
  SqliteLegalImport(SQLite::Database& db, const ImportFileMeta& meta)
      : db_(db),
        agency_id_(meta.agency_id),
        open_(true),
        insert_record_(db,
                       "INSERT INTO legal_records (agency_id, record_id, "
                       "current_version, content_hash) VALUES (?, ?, 1, ?)"),
        update_record_(db,
                       "UPDATE legal_records SET current_version = ?, content_hash = ? "
                       "WHERE id = ?"),
        insert_version_(db, StrCat("INSERT INTO legal_versions (legal_record_id, "
                                   "version, batch_id, line, raw, warnings, ",
                                   LegalVersionColumns(), ") VALUES (",
                                   Placeholders(6 + kLegalFieldCount - 1), ")")),
        insert_reject_(db,
                       "INSERT INTO rejects (batch_id, line, raw, reasons, text) "
                       "VALUES (?, ?, ?, ?, ?)") {}

  void Start(const ImportFileMeta& meta) {
    batch_id_ = StartBatch(db_, meta);
    SQLite::Statement s(db_,
                        "SELECT record_id, id, current_version, content_hash "
                        "FROM legal_records WHERE agency_id = ?");
    s.bind(1, static_cast<int64_t>(agency_id_));
    while (s.executeStep()) {
      SQLite::Column hash = s.getColumn(3);
      existing_.emplace(s.getColumn(0).getString(),
                        Existing{s.getColumn(1).getInt64(), s.getColumn(2).getInt64(),
                                 std::string(static_cast<const char*>(hash.getBlob()),
                                             static_cast<size_t>(hash.getBytes()))});
    }
  }

  struct Existing {
    int64_t id = 0;
    int64_t version = 0;
    std::string hash;
  };

  SQLite::Database& db_;
  int64_t agency_id_;
  int64_t batch_id_ = 0;
  bool open_;
  std::unordered_map<std::string, Existing> existing_;
  SQLite::Statement insert_record_, update_record_, insert_version_, insert_reject_;
};

class SqliteJusticeRepository : public domain::JusticeRepository {
 public:
  explicit SqliteJusticeRepository(std::function<SQLite::Database&()> db)
      : db_(std::move(db)) {}

  absl::StatusOr<std::unique_ptr<domain::LegalImportTransaction>> BeginLegalImport(
      const ImportFileMeta& meta) override {
    GUGUS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteLegalImport> tx,
                           SqliteLegalImport::Begin(db_(), meta));
    return std::unique_ptr<domain::LegalImportTransaction>(std::move(tx));
  }

  absl::Status ForEachVictimRecordId(
      int64_t agency_id, const std::function<void(std::string_view)>& visit) override {
    return Guard("cannot read records", [&]() -> absl::Status {
      SQLite::Statement s(db_(),
                          "SELECT record_id FROM source_records WHERE agency_id = ?");
      s.bind(1, static_cast<int64_t>(agency_id));
      while (s.executeStep()) {
        SQLite::Column c = s.getColumn(0);
        visit(std::string_view(c.getText(), static_cast<size_t>(c.getBytes())));
      }
      return absl::OkStatus();
    });
  }

  absl::Status ForEachLegalRecord(
      const std::function<absl::Status(domain::LegalRecord&&)>& visit) override {
    return Guard("cannot read legal-progress rows", [&]() -> absl::Status {
      SQLite::Statement s(db_(), LegalRecordSelect());
      while (s.executeStep()) {
        domain::LegalRecord r;
        r.legal_record_id = s.getColumn(0).getInt64();
        r.version = s.getColumn(1).getInt64();
        r.version_id = s.getColumn(2).getInt64();
        r.agency_id = s.getColumn(3).getInt64();
        r.agency_code = s.getColumn(4).getString();
        r.agency_type = s.getColumn(5).getString();
        r.agency_region = s.getColumn(6).getString();
        r.parsed.warnings = OrThrow(ingest::DecodeIssues(s.getColumn(7).getString()));
        for (int f = 0; f < kLegalFieldCount; ++f) {
          SQLite::Column c = s.getColumn(8 + f);
          if (c.isNull()) continue;
          r.parsed.value[static_cast<size_t>(f)] = c.getString();
        }
        FillLegalNumbers(r.parsed);
        GUGUS_RETURN_IF_ERROR(visit(std::move(r)));
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<ingest::StageSpec>> LoadStages() override {
    return Guard("cannot read the stages",
                 [&]() -> absl::StatusOr<std::vector<ingest::StageSpec>> {
                   SQLite::Statement s(db_(),
                                       "SELECT code, area, rank, name_id, name_en, "
                                       "aliases, milestones FROM legal_stages "
                                       "ORDER BY rank, code");
                   std::vector<ingest::StageSpec> out;
                   while (s.executeStep()) {
                     ingest::StageSpec st;
                     st.code = s.getColumn(0).getString();
                     st.area = s.getColumn(1).getString();
                     st.rank = s.getColumn(2).getInt();
                     st.name_id = s.getColumn(3).getString();
                     st.name_en = s.getColumn(4).getString();
                     st.aliases = absl::StrSplit(s.getColumn(5).getString(), ';',
                                                 absl::SkipEmpty());
                     st.milestones =
                         OrThrow(ingest::ParseMilestones(s.getColumn(6).getString()));
                     out.push_back(std::move(st));
                   }
                   if (out.empty()) return ingest::DefaultStages();
                   return out;
                 });
  }

  absl::Status ReplaceStages(const std::vector<ingest::StageSpec>& stages) override {
    return Guard("cannot store the stages", [&]() -> absl::Status {
      SQLite::Database& db = db_();
      SQLite::Transaction tx(db);
      db.exec("DELETE FROM legal_stages");
      SQLite::Statement s(db,
                          "INSERT INTO legal_stages (code, area, rank, name_id, name_en, "
                          "aliases, milestones) VALUES (?, ?, ?, ?, ?, ?, ?)");
      for (const ingest::StageSpec& st : stages) {
        s.reset();
        s.bind(1, st.code);
        s.bind(2, st.area);
        s.bind(3, st.rank);
        s.bind(4, st.name_id);
        s.bind(5, st.name_en);
        s.bind(6, absl::StrJoin(st.aliases, ";"));
        s.bind(7, ingest::MilestoneNames(st.milestones));
        s.exec();
      }
      tx.commit();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<domain::JusticeAssignment> LoadAssignment() override {
    return Guard("cannot read cases", [&]() -> absl::StatusOr<domain::JusticeAssignment> {
      SQLite::Database& db = db_();
      domain::JusticeAssignment out;
      SQLite::Statement run(db,
                            "SELECT id, next_case_id, next_suspect_id FROM justice_runs "
                            "ORDER BY id DESC LIMIT 1");
      if (run.executeStep()) {
        out.run = run.getColumn(0).getInt64();
        out.next_case_id = run.getColumn(1).getInt64();
        out.next_suspect_id = run.getColumn(2).getInt64();
      }
      SQLite::Statement cases(db,
                              "SELECT agency_id, ref_key, case_ref, case_id "
                              "FROM agency_cases");
      while (cases.executeStep()) {
        out.agency_cases.push_back(
            {cases.getColumn(0).getInt64(), cases.getColumn(1).getString(),
             cases.getColumn(2).getString(), cases.getColumn(3).getInt64()});
      }
      SQLite::Statement links(db,
                              "SELECT legal_record_id, suspect_id FROM suspect_links");
      while (links.executeStep())
        out.suspect_links.push_back(
            {links.getColumn(0).getInt64(), links.getColumn(1).getInt64()});
      return out;
    });
  }

  absl::Status SaveRun(const domain::JusticeRunWrite& w) override {
    return Guard("cannot store the case linkage", [&]() -> absl::Status {
      SQLite::Database& db = db_();
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      SQLite::Statement run(db,
                            "INSERT INTO justice_runs (started_at, finished_at, cases, "
                            "suspects, next_case_id, next_suspect_id) "
                            "VALUES (?, ?, ?, ?, ?, ?)");
      run.bind(1, w.started_at);
      run.bind(2, w.finished_at);
      run.bind(3, static_cast<int64_t>(w.cases));
      run.bind(4, static_cast<int64_t>(w.suspects));
      run.bind(5, static_cast<int64_t>(w.next_case_id));
      run.bind(6, static_cast<int64_t>(w.next_suspect_id));
      run.exec();
      db.exec("DELETE FROM agency_cases");
      db.exec("DELETE FROM suspect_links");
      db.exec("DELETE FROM justice_review");
      SQLite::Statement c(db,
                          "INSERT INTO agency_cases (agency_id, ref_key, case_ref, "
                          "case_id) VALUES (?, ?, ?, ?)");
      for (const domain::AgencyCaseRow& a : w.agency_cases) {
        c.reset();
        c.bind(1, static_cast<int64_t>(a.agency_id));
        c.bind(2, a.ref_key);
        c.bind(3, a.case_ref);
        c.bind(4, static_cast<int64_t>(a.case_id));
        c.exec();
      }
      SQLite::Statement l(db,
                          "INSERT INTO suspect_links (legal_record_id, suspect_id) "
                          "VALUES (?, ?)");
      for (const domain::SuspectLinkRow& s : w.suspect_links) {
        l.reset();
        l.bind(1, static_cast<int64_t>(s.legal_record_id));
        l.bind(2, static_cast<int64_t>(s.suspect_id));
        l.exec();
      }
      SQLite::Statement r(db,
                          "INSERT INTO justice_review (kind, a, b, probability, "
                          "evidence) VALUES (?, ?, ?, ?, ?)");
      for (const domain::JusticeReviewRow& i : w.review) {
        r.reset();
        r.bind(1, i.kind);
        r.bind(2, i.a);
        r.bind(3, i.b);
        r.bind(4, i.probability);
        r.bind(5, i.evidence);
        r.exec();
      }
      tx.commit();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<domain::JusticeReviewRow>> Review() override {
    return Guard(
        "cannot read the review queue",
        [&]() -> absl::StatusOr<std::vector<domain::JusticeReviewRow>> {
          SQLite::Statement s(db_(),
                              "SELECT kind, a, b, probability, evidence FROM "
                              "justice_review ORDER BY abs(probability - 0.5), id");
          std::vector<domain::JusticeReviewRow> out;
          while (s.executeStep())
            out.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(),
                           s.getColumn(2).getString(), s.getColumn(3).getDouble(),
                           s.getColumn(4).getString()});
          return out;
        });
  }

  absl::StatusOr<domain::JusticeState> State() override {
    return Guard("cannot read the justice state",
                 [&]() -> absl::StatusOr<domain::JusticeState> {
                   CachedStatement s(
                       db_(),
                       "SELECT (SELECT count(*) FROM import_batches WHERE kind = 'legal' "
                       "AND finished_at IS NOT NULL), "
                       "(SELECT coalesce(max(id), 0) FROM justice_runs), "
                       "(SELECT coalesce(max(id), 0) FROM link_runs)");
                   s->executeStep();
                   return domain::JusticeState{s->getColumn(0).getInt64(),
                                               s->getColumn(1).getInt64(),
                                               s->getColumn(2).getInt64()};
                 });
  }

 private:
  std::function<SQLite::Database&()> db_;
};

}  // namespace

std::unique_ptr<domain::JusticeRepository> NewSqliteJusticeRepository(
    std::function<SQLite::Database&()> db) {
  return std::make_unique<SqliteJusticeRepository>(std::move(db));
}

}  // namespace gugus::storage::internal
