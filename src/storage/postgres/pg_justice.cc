// The JusticeRepository over PostgreSQL: the same contract as storage/sqlite's.
// A legal-progress import runs on a connection of its own (its transaction stays
// open while the caller uses the store), under its agency's advisory lock so that
// two servers importing one agency's legal files follow one another; rows go in by
// COPY. A linkage run replaces the assignment in one transaction, also by COPY.
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/date.h"
#include "core/status.h"
#include "ingest/stored_form.h"
#include "storage/common/sql.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_copy.h"
#include "storage/postgres/pg_util.h"

namespace gugus::storage::pg {
namespace {

using domain::ImportCounts;
using domain::ImportFileMeta;
using domain::UpsertResult;
using ingest::kLegalFieldCount;
using ingest::LegalField;

// pg_advisory_xact_lock(kLegalImportLock, agency id): one legal-progress import of
// an agency at a time across servers ("gugL" in ASCII).
constexpr int kLegalImportLock = 0x6775674c;

std::vector<std::string> LegalCopyColumns() {
  std::vector<std::string> columns = {
      "id", "legal_record_id", "version", "batch_id", "line", "raw", "warnings"};
  for (int f = 1; f < kLegalFieldCount; ++f)
    columns.emplace_back(ingest::LegalFields()[static_cast<size_t>(f)].key);
  return columns;
}

class PgLegalImport : public domain::LegalImportTransaction {
 public:
  static absl::StatusOr<std::unique_ptr<PgLegalImport>> Begin(
      const std::string& conninfo, const ImportFileMeta& meta) {
    return Guard("cannot start the import",
                 [&]() -> absl::StatusOr<std::unique_ptr<PgLegalImport>> {
                   std::unique_ptr<PgLegalImport> tx(new PgLegalImport(conninfo, meta));
                   tx->Start(meta);
                   return tx;
                 });
  }

  int64_t batch_id() const override { return batch_id_; }

  absl::StatusOr<UpsertResult> Upsert(ingest::ParsedLegal&& record,
                                      std::string&& raw_cells, std::string&& warnings,
                                      int64_t line, std::string_view hash) override {
    return Guard("cannot store a legal-progress row",
                 [&]() -> absl::StatusOr<UpsertResult> {
                   const std::string& record_id = record[LegalField::kRecordId];
                   std::string hex = ToHex(hash);
                   auto it = existing_.find(record_id);
                   int64_t id = 0, version = 1;
                   UpsertResult result = UpsertResult::kInserted;
                   if (it != existing_.end()) {
                     if (it->second.hash == hex) return UpsertResult::kUnchanged;
                     id = it->second.id;
                     version = ++it->second.version;
                     it->second.hash = hex;
                     it->second.changed = true;
                     result = UpsertResult::kUpdated;
                   } else {
                     id = record_ids_->Next(work_, [] {});
                     records_.Int(id).Int(agency_id_).Text(record_id).Int(1).Hex(hex);
                     records_.EndRow();
                     existing_.emplace(record_id, Existing{id, 1, hex, false});
                   }
                   versions_.Int(version_ids_->Next(work_, [] {}))
                       .Int(id)
                       .Int(version)
                       .Int(batch_id_)
                       .Int(line)
                       .Text(raw_cells)
                       .Text(warnings);
                   for (int f = 1; f < kLegalFieldCount; ++f) {
                     const std::string& value = record.value[static_cast<size_t>(f)];
                     versions_.TextOrNull(value);  // integers' text is their COPY form
                   }
                   versions_.EndRow();
                   if (versions_.size() + rejects_.size() >= kFlushBytes) Flush();
                   return result;
                 });
  }

  absl::Status Reject(int64_t line, const std::string& raw_cells, std::string_view text,
                      const std::string& reasons) override {
    return Guard("cannot quarantine a row", [&]() -> absl::Status {
      rejects_.Int(batch_id_).Int(line).Text(raw_cells).Text(reasons).TextOrNull(text);
      rejects_.EndRow();
      if (versions_.size() + rejects_.size() >= kFlushBytes) Flush();
      return absl::OkStatus();
    });
  }

  absl::Status Commit(const ImportCounts& c, std::string_view digest) override {
    return Guard("cannot commit the import", [&]() -> absl::Status {
      Flush();
      // Changed records' current version and hash, a thousand to a statement (ids,
      // numbers and hex digits only in the text).
      std::string values;
      size_t n = 0;
      auto update = [&] {
        if (n == 0) return;
        work_.exec0(
            StrCat("UPDATE legal_records r SET current_version = u.version, "
                   "content_hash = decode(u.hash, 'hex') FROM (VALUES ",
                   values, ") AS u(id, version, hash) WHERE r.id = u.id"));
        values.clear();
        n = 0;
      };
      for (const auto& [record_id, e] : existing_) {
        if (!e.changed) continue;
        values += StrCat(n ? ", (" : "(", e.id, "::bigint, ", e.version, "::bigint, '",
                         e.hash, "')");
        if (++n == 1000) update();
      }
      update();
      work_.exec_params(kFinishBatch, NowUtc(), c.rows, c.inserted, c.updated,
                        c.unchanged, c.rejected, c.warnings, c.blank, std::string(digest),
                        batch_id_);
      work_.commit();
      return absl::OkStatus();
    });
  }

 private:
  PgLegalImport(const std::string& conninfo, const ImportFileMeta& meta)
      : conn_(conninfo),
        work_(conn_),
        agency_id_(meta.agency_id),
        records_("legal_records",
                 {"id", "agency_id", "record_id", "current_version", "content_hash"}),
        versions_("legal_versions", LegalCopyColumns()),
        rejects_("rejects", {"batch_id", "line", "raw", "reasons", "text"}) {}

  void Start(const ImportFileMeta& meta) {
    work_.exec_params("SELECT pg_advisory_xact_lock($1, $2::integer)", kLegalImportLock,
                      agency_id_);
    batch_id_ = work_
                    .exec_params1(StrCat(kStartBatch, " RETURNING id"), agency_id_,
                                  meta.file_name, meta.digest, meta.format, meta.encoding,
                                  meta.delimiter, ingest::EncodeCells(meta.header),
                                  NowUtc(), meta.kind)[0]
                    .as<int64_t>();
    pqxx::row sequences = work_.exec1(
        "SELECT pg_get_serial_sequence('legal_records', 'id'), "
        "pg_get_serial_sequence('legal_versions', 'id')");
    record_ids_.emplace(sequences[0].c_str());
    version_ids_.emplace(sequences[1].c_str());
    pqxx::result r = work_.exec_params(
        "SELECT record_id, id, current_version, encode(content_hash, 'hex') "
        "FROM legal_records WHERE agency_id = $1",
        agency_id_);
    for (const auto& row : r)
      existing_.emplace(
          row[0].c_str(),
          Existing{row[1].as<int64_t>(), row[2].as<int64_t>(), row[3].c_str(), false});
  }

  // Records before versions, versions before nothing: the tables' keys hold at
  // every COPY.
  void Flush() {
    records_.Send(work_);
    versions_.Send(work_);
    rejects_.Send(work_);
  }

  struct Existing {
    int64_t id = 0;
    int64_t version = 0;
    std::string hash;  // hex
    bool changed = false;
  };

  pqxx::connection conn_;
  pqxx::work work_;
  int64_t agency_id_;
  int64_t batch_id_ = 0;
  std::optional<IdSource> record_ids_, version_ids_;
  absl::flat_hash_map<std::string, Existing> existing_;
  CopyBuffer records_, versions_, rejects_;
};

class PgJusticeRepository : public domain::JusticeRepository {
 public:
  PgJusticeRepository(ConnectionFn conn, std::string conninfo)
      : conn_(std::move(conn)), conninfo_(std::move(conninfo)) {}

  absl::StatusOr<std::unique_ptr<domain::LegalImportTransaction>> BeginLegalImport(
      const ImportFileMeta& meta) override {
    GUGUS_ASSIGN_OR_RETURN(std::unique_ptr<PgLegalImport> tx,
                           PgLegalImport::Begin(conninfo_, meta));
    return std::unique_ptr<domain::LegalImportTransaction>(std::move(tx));
  }

  absl::Status ForEachVictimRecordId(
      int64_t agency_id, const std::function<void(std::string_view)>& visit) override {
    return Guard("cannot read records", [&]() -> absl::Status {
      pqxx::read_transaction t(conn_().get());
      pqxx::result r = t.exec_params(
          "SELECT record_id FROM source_records WHERE agency_id = $1", agency_id);
      for (const auto& row : r) visit(std::string_view(row[0].c_str(), row[0].size()));
      return absl::OkStatus();
    });
  }

  absl::Status ForEachLegalRecord(
      const std::function<absl::Status(domain::LegalRecord&&)>& visit) override {
    return Guard("cannot read legal-progress rows", [&]() -> absl::Status {
      pqxx::read_transaction t(conn_().get());
      pqxx::result r = t.exec(LegalRecordSelect());
      for (const auto& row : r) {
        domain::LegalRecord l;
        l.legal_record_id = row[0].as<int64_t>();
        l.version = row[1].as<int64_t>();
        l.version_id = row[2].as<int64_t>();
        l.agency_id = row[3].as<int64_t>();
        l.agency_code = row[4].c_str();
        l.agency_type = row[5].c_str();
        l.agency_region = row[6].c_str();
        l.parsed.warnings = OrThrow(ingest::DecodeIssues(row[7].c_str()));
        for (int f = 0; f < kLegalFieldCount; ++f) {
          const pqxx::field& field = row[8 + f];
          if (!field.is_null()) l.parsed.value[static_cast<size_t>(f)] = field.c_str();
        }
        FillLegalNumbers(l.parsed);
        GUGUS_RETURN_IF_ERROR(visit(std::move(l)));
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<ingest::StageSpec>> LoadStages() override {
    return Guard("cannot read the stages",
                 [&]() -> absl::StatusOr<std::vector<ingest::StageSpec>> {
                   pqxx::read_transaction t(conn_().get());
                   pqxx::result r = t.exec(
                       "SELECT code, area, rank, name_id, name_en, aliases, milestones "
                       "FROM legal_stages ORDER BY rank, code");
                   std::vector<ingest::StageSpec> out;
                   for (const auto& row : r) {
                     ingest::StageSpec st;
                     st.code = row[0].c_str();
                     st.area = row[1].c_str();
                     st.rank = row[2].as<int>();
                     st.name_id = row[3].c_str();
                     st.name_en = row[4].c_str();
                     st.aliases = absl::StrSplit(row[5].c_str(), ';', absl::SkipEmpty());
                     st.milestones = OrThrow(ingest::ParseMilestones(row[6].c_str()));
                     out.push_back(std::move(st));
                   }
                   if (out.empty()) return ingest::DefaultStages();
                   return out;
                 });
  }

  absl::Status ReplaceStages(const std::vector<ingest::StageSpec>& stages) override {
    return Guard("cannot store the stages", [&]() -> absl::Status {
      pqxx::work w(conn_().get());
      w.exec0("DELETE FROM legal_stages");
      for (const ingest::StageSpec& st : stages) {
        w.exec_params(
            "INSERT INTO legal_stages (code, area, rank, name_id, name_en, aliases, "
            "milestones) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            st.code, st.area, st.rank, st.name_id, st.name_en,
            absl::StrJoin(st.aliases, ";"), ingest::MilestoneNames(st.milestones));
      }
      w.commit();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<domain::JusticeAssignment> LoadAssignment() override {
    return Guard("cannot read cases", [&]() -> absl::StatusOr<domain::JusticeAssignment> {
      pqxx::read_transaction t(conn_().get());
      domain::JusticeAssignment out;
      pqxx::result run = t.exec(
          "SELECT id, next_case_id, next_suspect_id FROM justice_runs "
          "ORDER BY id DESC LIMIT 1");
      if (!run.empty()) {
        out.run = run[0][0].as<int64_t>();
        out.next_case_id = run[0][1].as<int64_t>();
        out.next_suspect_id = run[0][2].as<int64_t>();
      }
      for (const auto& row :
           t.exec("SELECT agency_id, ref_key, case_ref, case_id FROM agency_cases")) {
        out.agency_cases.push_back(
            {row[0].as<int64_t>(), row[1].c_str(), row[2].c_str(), row[3].as<int64_t>()});
      }
      for (const auto& row :
           t.exec("SELECT legal_record_id, suspect_id FROM suspect_links"))
        out.suspect_links.push_back({row[0].as<int64_t>(), row[1].as<int64_t>()});
      return out;
    });
  }

  absl::Status SaveRun(const domain::JusticeRunWrite& w) override {
    return Guard("cannot store the case linkage", [&]() -> absl::Status {
      pqxx::work t(conn_().get());
      // One run at a time, whichever server runs it.
      t.exec0("LOCK TABLE justice_runs IN EXCLUSIVE MODE");
      t.exec_params(
          "INSERT INTO justice_runs (started_at, finished_at, cases, suspects, "
          "next_case_id, next_suspect_id) VALUES ($1, $2, $3, $4, $5, $6)",
          w.started_at, w.finished_at, w.cases, w.suspects, w.next_case_id,
          w.next_suspect_id);
      t.exec0("DELETE FROM agency_cases");
      t.exec0("DELETE FROM suspect_links");
      t.exec0("DELETE FROM justice_review");
      CopyBuffer cases("agency_cases", {"agency_id", "ref_key", "case_ref", "case_id"});
      for (const domain::AgencyCaseRow& a : w.agency_cases) {
        cases.Int(a.agency_id).Text(a.ref_key).Text(a.case_ref).Int(a.case_id).EndRow();
        if (cases.size() >= kFlushBytes) cases.Send(t);
      }
      cases.Send(t);
      CopyBuffer links("suspect_links", {"legal_record_id", "suspect_id"});
      for (const domain::SuspectLinkRow& s : w.suspect_links) {
        links.Int(s.legal_record_id).Int(s.suspect_id).EndRow();
        if (links.size() >= kFlushBytes) links.Send(t);
      }
      links.Send(t);
      CopyBuffer review("justice_review", {"kind", "a", "b", "probability", "evidence"});
      for (const domain::JusticeReviewRow& i : w.review) {
        review.Text(i.kind).Text(i.a).Text(i.b).Text(std::to_string(i.probability));
        review.Text(i.evidence).EndRow();
        if (review.size() >= kFlushBytes) review.Send(t);
      }
      review.Send(t);
      t.commit();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<domain::JusticeReviewRow>> Review() override {
    return Guard("cannot read the review queue",
                 [&]() -> absl::StatusOr<std::vector<domain::JusticeReviewRow>> {
                   pqxx::read_transaction t(conn_().get());
                   std::vector<domain::JusticeReviewRow> out;
                   for (const auto& row :
                        t.exec("SELECT kind, a, b, probability, evidence FROM "
                               "justice_review ORDER BY abs(probability - 0.5), id"))
                     out.push_back({row[0].c_str(), row[1].c_str(), row[2].c_str(),
                                    row[3].as<double>(), row[4].c_str()});
                   return out;
                 });
  }

  absl::StatusOr<domain::JusticeState> State() override {
    return Guard(
        "cannot read the justice state", [&]() -> absl::StatusOr<domain::JusticeState> {
          Connection& c = conn_();
          pqxx::read_transaction t(c.get());
          pqxx::row r = t.exec_prepared1(
              c.Prepared("SELECT (SELECT count(*) FROM import_batches WHERE kind = "
                         "'legal' AND finished_at IS NOT NULL), "
                         "(SELECT coalesce(max(id), 0) FROM justice_runs), "
                         "(SELECT coalesce(max(id), 0) FROM link_runs)"));
          return domain::JusticeState{r[0].as<int64_t>(), r[1].as<int64_t>(),
                                      r[2].as<int64_t>()};
        });
  }

 private:
  ConnectionFn conn_;
  std::string conninfo_;
};

}  // namespace

std::unique_ptr<domain::JusticeRepository> NewJusticeRepository(ConnectionFn conn,
                                                                std::string conninfo) {
  return std::make_unique<PgJusticeRepository>(std::move(conn), std::move(conninfo));
}

}  // namespace gugus::storage::pg
