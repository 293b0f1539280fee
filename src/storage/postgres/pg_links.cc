// The LinkRepository over PostgreSQL: persons, links, runs, review queue and
// decisions, as storage/sqlite/sqlite_links.cc does them on SQLite. Reads of every
// record stream through a cursor; a run's writes go in bulk (COPY into temporary
// tables, then one statement per table) in one transaction, under an advisory lock
// that serialises the runs of every process sharing the database.
#include <algorithm>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "core/date.h"
#include "core/status.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_stream.h"
#include "storage/postgres/pg_util.h"

namespace gugus::storage::pg {
namespace {

using domain::Decision;
using domain::LinkDecision;
using domain::LinkRecord;
using domain::LinkRun;
using domain::LinkRunWrite;
using domain::PersonLink;
using domain::ReviewItem;

// The transaction-level advisory lock every SaveRun holds ("gugusL" in ASCII): the
// runs of several servers commit one after the other, in the order of their ids.
constexpr int64_t kLinkLock = 0x67756775734c;

// Decided items stay (with their number, so a decision can be revised); the rest of
// the queue is rebuilt by a full run, or around the records an incremental run
// looked at again.
constexpr const char* kUndecided =
    "NOT EXISTS (SELECT 1 FROM link_decisions d WHERE d.record_a = i.record_a AND "
    "d.record_b = i.record_b)";

// For each element, whether a later one has the same key: written rows that a
// later one replaces (SQLite's upserts keep the last; one INSERT may not touch a row
// twice).
template <typename T, typename Key>
std::vector<bool> Superseded(const std::vector<T>& rows, Key key) {
  std::vector<bool> out(rows.size(), false);
  absl::flat_hash_map<decltype(key(rows[0])), size_t> last;
  last.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    auto [it, fresh] = last.try_emplace(key(rows[i]), i);
    if (!fresh) {
      out[it->second] = true;
      it->second = i;
    }
  }
  return out;
}

class PgLinkRepository : public domain::LinkRepository {
 public:
  explicit PgLinkRepository(ConnectionFn conn) : conn_(std::move(conn)) {}

  absl::Status ForEachLinkRecord(
      const std::function<absl::Status(LinkRecord&&)>& visit) override {
    return Guard("cannot read records", [&]() -> absl::Status {
      pqxx::read_transaction w(conn_().get());
      return ForEachRow(
          w,
          StrCat("SELECT r.id, a.code, a.type, r.current_version, r.record_id, ",
                 VersionColumns("v."),
                 " FROM source_records r JOIN agencies a ON a.id = r.agency_id "
                 "JOIN record_versions v ON v.source_record_id = r.id "
                 "AND v.version = r.current_version ORDER BY r.id"),
          [&](const pqxx::row& row) {
            LinkRecord r;
            r.source_record_id = row[0].as<int64_t>();
            r.agency_code = row[1].c_str();
            r.agency_type = row[2].c_str();
            r.version = row[3].as<int64_t>();
            r.parsed[ingest::Field::kRecordId] = row[4].c_str();
            for (int f = 1; f < ingest::kFieldCount; ++f) {
              const pqxx::field c = row[4 + f];
              if (!c.is_null()) r.parsed.value[f] = c.c_str();
            }
            return visit(std::move(r));
          },
          /*batch=*/10000, Fetch::kAhead);
    });
  }

  absl::StatusOr<std::vector<PersonLink>> Links() override {
    return Guard("cannot read links", [&]() -> absl::StatusOr<std::vector<PersonLink>> {
      pqxx::read_transaction w(conn_().get());
      std::vector<PersonLink> out;
      GUGUS_RETURN_IF_ERROR(ForEachRow(w,
                                       "SELECT source_record_id, person_id, version "
                                       "FROM person_links ORDER BY source_record_id",
                                       [&](const pqxx::row& row) {
                                         out.push_back({row[0].as<int64_t>(),
                                                        row[1].as<int64_t>(),
                                                        row[2].as<int64_t>()});
                                         return absl::OkStatus();
                                       }));
      return out;
    });
  }

  absl::StatusOr<int64_t> NextPersonId() override {
    return Guard("cannot read persons", [&]() -> absl::StatusOr<int64_t> {
      pqxx::read_transaction w(conn_().get());
      return w.exec1("SELECT coalesce(max(id), 0) + 1 FROM persons")[0].as<int64_t>();
    });
  }

  absl::StatusOr<std::optional<LinkRun>> LastRun() override {
    return Guard("cannot read link runs",
                 [&]() -> absl::StatusOr<std::optional<LinkRun>> {
                   pqxx::read_transaction w(conn_().get());
                   pqxx::result r = w.exec(
                       "SELECT id, kind, started_at, finished_at, records, new_records, "
                       "candidate_pairs, links, persons, review_items, model "
                       "FROM link_runs ORDER BY id DESC LIMIT 1");
                   if (r.empty()) return std::nullopt;
                   const pqxx::row row = r[0];
                   LinkRun run;
                   run.id = row[0].as<int64_t>();
                   run.kind = row[1].c_str();
                   run.started_at = row[2].c_str();
                   run.finished_at = row[3].c_str();
                   run.records = row[4].as<int64_t>();
                   run.new_records = row[5].as<int64_t>();
                   run.candidate_pairs = row[6].as<int64_t>();
                   run.links = row[7].as<int64_t>();
                   run.persons = row[8].as<int64_t>();
                   run.review_items = row[9].as<int64_t>();
                   run.model = row[10].c_str();
                   return run;
                 });
  }

  absl::Status SaveRun(LinkRunWrite& write) override {
    return Guard("cannot save the linkage", [&]() -> absl::Status {
      pqxx::work w(conn_().get());
      // Taken before the run's id is: ids of runs are in commit order, which the
      // statistics' refresh relies on (it reads links of runs after the last it saw).
      w.exec_params("SELECT pg_advisory_xact_lock($1)", kLinkLock);
      const LinkRun& r = write.run;
      const int64_t run =
          w.exec_params1(
               "INSERT INTO link_runs (kind, started_at, finished_at, records, "
               "new_records, candidate_pairs, links, persons, review_items, model) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
               r.kind, r.started_at, NowUtc(), r.records, r.new_records,
               r.candidate_pairs, r.links, r.persons, r.review_items, r.model)[0]
              .as<int64_t>();
      if (!write.new_persons.empty()) {
        w.exec_params(
            "INSERT INTO persons (id, created_run) SELECT unnest($1::bigint[]), $2",
            IdArray(write.new_persons), run);
      }
      if (!write.retired_persons.empty()) {
        w.exec_params("UPDATE persons SET retired_run = $1 WHERE id = ANY($2::bigint[])",
                      run, IdArray(write.retired_persons));
      }
      if (!write.links.empty()) {
        if (absl::Status saved = SaveLinks(w, write.links, run); !saved.ok())
          return saved;
      }
      if (write.replace_review) {
        w.exec0(StrCat("DELETE FROM review_items i WHERE ", kUndecided));
      } else if (!write.review_records.empty()) {
        w.exec_params(StrCat("DELETE FROM review_items i WHERE (i.record_a = "
                             "ANY($1::bigint[]) OR i.record_b = ANY($1::bigint[])) AND ",
                             kUndecided),
                      IdArray(write.review_records));
      }
      if (!write.review.empty()) SaveReview(w, write.review, run);
      w.commit();
      write.run.id = run;
      return absl::OkStatus();
    });
  }

  absl::Status AddDecision(const LinkDecision& decision) override {
    return Guard("cannot record the decision", [&]() -> absl::Status {
      pqxx::work w(conn_().get());
      w.exec_params(
          "INSERT INTO link_decisions (record_a, record_b, decision, decided_by, "
          "decided_at, note) VALUES ($1, $2, $3, $4, $5, $6)",
          std::min(decision.record_a, decision.record_b),
          std::max(decision.record_a, decision.record_b),
          std::string(DecisionName(decision.decision)), decision.decided_by, NowUtc(),
          decision.note);
      w.commit();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<LinkDecision>> Decisions() override {
    return Guard("cannot read decisions",
                 [&]() -> absl::StatusOr<std::vector<LinkDecision>> {
                   pqxx::read_transaction w(conn_().get());
                   pqxx::result r = w.exec(
                       "SELECT DISTINCT ON (record_a, record_b) record_a, record_b, "
                       "decision, decided_by, decided_at, note FROM link_decisions "
                       "ORDER BY record_a, record_b, id DESC");
                   std::vector<LinkDecision> out;
                   out.reserve(r.size());
                   for (const pqxx::row& row : r) out.push_back(ReadDecision(row));
                   return out;
                 });
  }

  absl::StatusOr<std::optional<LinkDecision>> DecisionOn(int64_t record_a,
                                                         int64_t record_b) override {
    return Guard("cannot read decisions",
                 [&]() -> absl::StatusOr<std::optional<LinkDecision>> {
                   Connection& c = conn_();
                   pqxx::read_transaction w(c.get());
                   pqxx::result r = w.exec_prepared(
                       c.Prepared("SELECT record_a, record_b, decision, decided_by, "
                                  "decided_at, note FROM link_decisions WHERE record_a "
                                  "= $1 AND record_b = $2 ORDER BY id DESC LIMIT 1"),
                       std::min(record_a, record_b), std::max(record_a, record_b));
                   if (r.empty()) return std::optional<LinkDecision>();
                   return std::optional<LinkDecision>(ReadDecision(r[0]));
                 });
  }

  absl::StatusOr<std::vector<ReviewItem>> ReviewQueue(int limit,
                                                      const domain::RecordScope& scope,
                                                      int offset) override {
    return Guard(
        "cannot read the review queue", [&]() -> absl::StatusOr<std::vector<ReviewItem>> {
          pqxx::read_transaction w(conn_().get());
          pqxx::result r = w.exec_params(
              StrCat(kReviewItemSelect, " WHERE ", Undecided(w.conn(), scope),
                     " ORDER BY abs(i.probability - 0.5), i.id LIMIT $1 OFFSET $2"),
              std::max(limit, 0), std::max(offset, 0));
          std::vector<ReviewItem> out;
          out.reserve(r.size());
          for (const pqxx::row& row : r) out.push_back(ReadItem(row));
          return out;
        });
  }

  absl::StatusOr<int64_t> CountReviewQueue(const domain::RecordScope& scope) override {
    return Guard("cannot read the review queue", [&]() -> absl::StatusOr<int64_t> {
      pqxx::read_transaction w(conn_().get());
      return w
          .exec1(StrCat("SELECT count(*) FROM (", kReviewItemSelect, " WHERE ",
                        Undecided(w.conn(), scope), ") q"))[0]
          .as<int64_t>();
    });
  }

  absl::StatusOr<ReviewItem> FindReviewItem(int64_t id,
                                            const domain::RecordScope& scope) override {
    return Guard("cannot read the review queue", [&]() -> absl::StatusOr<ReviewItem> {
      pqxx::read_transaction w(conn_().get());
      pqxx::result r = w.exec_params(StrCat(kReviewItemSelect, " WHERE i.id = $1 AND ",
                                            BothVisible(w.conn(), scope)),
                                     id);
      if (r.empty()) return absl::NotFoundError(StrCat("no review item ", id));
      return ReadItem(r[0]);
    });
  }

  absl::Status ForEachLinkedName(
      const std::function<absl::Status(domain::LinkedName&&)>& visit) override {
    return Guard("cannot read links", [&]() -> absl::Status {
      pqxx::read_transaction w(conn_().get());
      return ForEachRow(w,
                        "SELECT r.id, l.person_id, r.agency_id, "
                        "coalesce(v.origin_region, ''), v.name "
                        "FROM person_links l JOIN source_records r "
                        "ON r.id = l.source_record_id "
                        "JOIN record_versions v ON v.source_record_id = r.id "
                        "AND v.version = r.current_version ORDER BY r.id",
                        [&](const pqxx::row& row) {
                          domain::LinkedName n;
                          n.source_record_id = row[0].as<int64_t>();
                          n.person_id = row[1].as<int64_t>();
                          n.agency_id = row[2].as<int64_t>();
                          n.origin_region = row[3].c_str();
                          n.name = row[4].c_str();
                          return visit(std::move(n));
                        });
    });
  }

  absl::StatusOr<domain::LinkState> State() override {
    return Guard("cannot read links", [&]() -> absl::StatusOr<domain::LinkState> {
      Connection& c = conn_();
      pqxx::read_transaction w(c.get());
      // Both maxima are read from indexes. Imports are watched in the order they
      // committed (import_batches.commit_seq), not by the newest version id:
      // imports of different agencies run side by side and take their ids as they
      // write, so one that took lower ids may commit last and leave the newest id
      // as it was. last_version holds that commit number here.
      pqxx::row row = w.exec_prepared1(
          c.Prepared("SELECT (SELECT coalesce(max(id), 0) FROM link_runs), "
                     "(SELECT coalesce(max(commit_seq), 0) FROM import_batches)"));
      domain::LinkState state;
      state.last_run = row[0].as<int64_t>();
      state.last_version = row[1].as<int64_t>();
      return state;
    });
  }

  absl::Status ForEachExportLink(
      const std::function<absl::Status(std::string_view, std::string_view, int64_t)>&
          visit) override {
    return Guard("cannot read links", [&]() -> absl::Status {
      pqxx::read_transaction w(conn_().get());
      return ForEachRow(w,
                        "SELECT a.code, r.record_id, l.person_id FROM person_links l "
                        "JOIN source_records r ON r.id = l.source_record_id "
                        "JOIN agencies a ON a.id = r.agency_id "
                        "ORDER BY a.code, r.record_id",
                        [&](const pqxx::row& row) {
                          return visit(row[0].c_str(), row[1].c_str(),
                                       row[2].as<int64_t>());
                        });
    });
  }

 private:
  // The run's links, new or changed, from a COPY (the last of a record's wins, as
  // on SQLite): records already linked updated, the others inserted in the order of
  // the primary key (the runs' advisory lock keeps other writers out between the
  // two). Refused, with nothing written, when a link names a record or person that
  // does not exist: the foreign keys SQLite checks, checked here in bulk
  // (migration 5).
  static absl::Status SaveLinks(pqxx::work& w, const std::vector<PersonLink>& links,
                                int64_t run) {
    w.exec0(
        "CREATE TEMP TABLE run_links (source_record_id bigint, "
        "person_id bigint, version bigint) ON COMMIT DROP");
    const std::vector<bool> skip =
        Superseded(links, [](const PersonLink& l) { return l.source_record_id; });
    {
      pqxx::stream_to s(
          w, "run_links",
          std::vector<std::string>{"source_record_id", "person_id", "version"});
      for (size_t i = 0; i < links.size(); ++i) {
        if (skip[i]) continue;
        s << std::make_tuple(links[i].source_record_id, links[i].person_id,
                             links[i].version);
      }
      s.complete();
    }
    w.exec0("ANALYZE run_links");
    const int64_t dangling =
        w.exec1(
             "SELECT count(*) FROM run_links n WHERE NOT EXISTS (SELECT 1 FROM "
             "source_records r WHERE r.id = n.source_record_id) OR NOT EXISTS "
             "(SELECT 1 FROM persons p WHERE p.id = n.person_id)")[0]
            .as<int64_t>();
    if (dangling > 0)
      return absl::FailedPreconditionError(StrCat(
          "cannot save the linkage: ", dangling,
          " links name a record or a person that does not exist; nothing was saved"));
    w.exec_params(
        "UPDATE person_links p SET person_id = n.person_id, version = n.version, "
        "run_id = $1 FROM run_links n WHERE p.source_record_id = n.source_record_id",
        run);
    w.exec_params(
        "INSERT INTO person_links (source_record_id, person_id, version, run_id) "
        "SELECT source_record_id, person_id, version, $1 FROM run_links n "
        "WHERE NOT EXISTS (SELECT 1 FROM person_links p "
        "WHERE p.source_record_id = n.source_record_id) ORDER BY source_record_id",
        run);
    return absl::OkStatus();
  }

  // The run's review items, in the order given (their numbers follow it). An item
  // for a pair already queued replaces it, with a new number, as SQLite's INSERT OR
  // REPLACE does.
  static void SaveReview(pqxx::work& w, const std::vector<ReviewItem>& review,
                         int64_t run) {
    w.exec0(
        "CREATE TEMP TABLE run_review (ord bigint, record_a bigint, record_b bigint, "
        "probability double precision, evidence text) ON COMMIT DROP");
    const std::vector<bool> skip = Superseded(
        review, [](const ReviewItem& i) { return std::pair(i.record_a, i.record_b); });
    {
      pqxx::stream_to s(w, "run_review",
                        std::vector<std::string>{"ord", "record_a", "record_b",
                                                 "probability", "evidence"});
      for (size_t i = 0; i < review.size(); ++i) {
        if (skip[i]) continue;
        const ReviewItem& item = review[i];
        s << std::make_tuple(static_cast<int64_t>(i), item.record_a, item.record_b,
                             ExactDouble(item.probability), item.evidence);
      }
      s.complete();
    }
    w.exec0(
        "DELETE FROM review_items i USING run_review n "
        "WHERE i.record_a = n.record_a AND i.record_b = n.record_b");
    w.exec_params(
        "INSERT INTO review_items (record_a, record_b, probability, evidence, run_id) "
        "SELECT record_a, record_b, probability, evidence, $1 FROM run_review "
        "ORDER BY ord",
        run);
  }

  // Item i has no decision yet and both its records are visible under `scope`.
  static std::string Undecided(pqxx::connection_base& c,
                               const domain::RecordScope& scope) {
    return StrCat(kUndecided, " AND ", BothVisible(c, scope));
  }

  // Both records of item i visible under `scope`, by their agencies and their current
  // versions' origin regions.
  static std::string BothVisible(pqxx::connection_base& c,
                                 const domain::RecordScope& scope) {
    auto origin = [](std::string_view r) {
      return StrCat("(SELECT v.origin_region FROM record_versions v WHERE ",
                    "v.source_record_id = ", r, ".id AND v.version = ", r,
                    ".current_version)");
    };
    return StrCat(ScopeCondition(c, scope, "aa.id", "aa.region_code", origin("ra")),
                  " AND ",
                  ScopeCondition(c, scope, "ab.id", "ab.region_code", origin("rb")));
  }

  // A row of record_a, record_b, decision, decided_by, decided_at, note.
  static LinkDecision ReadDecision(const pqxx::row& row) {
    LinkDecision x;
    x.record_a = row[0].as<int64_t>();
    x.record_b = row[1].as<int64_t>();
    x.decision = std::string_view(row[2].c_str()) == "same" ? Decision::kSame
                                                            : Decision::kDifferent;
    x.decided_by = row[3].c_str();
    x.decided_at = row[4].c_str();
    x.note = row[5].c_str();
    return x;
  }

  static ReviewItem ReadItem(const pqxx::row& row) {
    ReviewItem r;
    r.id = row[0].as<int64_t>();
    r.record_a = row[1].as<int64_t>();
    r.record_b = row[2].as<int64_t>();
    r.probability = row[3].as<double>();
    r.evidence = row[4].c_str();
    r.agency_a = row[5].c_str();
    r.record_id_a = row[6].c_str();
    r.agency_b = row[7].c_str();
    r.record_id_b = row[8].c_str();
    r.person_a = row[9].as<int64_t>();
    r.person_b = row[10].as<int64_t>();
    return r;
  }

  ConnectionFn conn_;
};

}  // namespace

std::unique_ptr<domain::LinkRepository> NewLinkRepository(ConnectionFn conn) {
  return std::make_unique<PgLinkRepository>(std::move(conn));
}

}  // namespace gugus::storage::pg
