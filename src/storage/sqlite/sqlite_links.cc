#include "storage/sqlite/sqlite_links.h"

#include <algorithm>

#include "core/status.h"
#include "storage/sqlite/sqlite_util.h"

namespace gugus::storage::internal {
namespace {

using domain::Decision;
using domain::LinkDecision;
using domain::LinkRecord;
using domain::LinkRun;
using domain::LinkRunWrite;
using domain::PersonLink;
using domain::ReviewItem;

class SqliteLinkRepository : public domain::LinkRepository {
 public:
  explicit SqliteLinkRepository(std::function<SQLite::Database&()> db)
      : db_(std::move(db)) {}

  absl::Status ForEachLinkRecord(
      const std::function<absl::Status(LinkRecord&&)>& visit) override {
    return Guard("cannot read records", [&]() -> absl::Status {
      SQLite::Statement s(
          db_(), StrCat("SELECT r.id, a.code, a.type, r.current_version, r.record_id, ",
                        VersionColumns("v."),
                        " FROM source_records r JOIN agencies a ON a.id = r.agency_id "
                        "JOIN record_versions v ON v.source_record_id = r.id "
                        "AND v.version = r.current_version ORDER BY r.id"));
      while (s.executeStep()) {
        LinkRecord r;
        r.source_record_id = s.getColumn(0).getInt64();
        r.agency_code = s.getColumn(1).getString();
        r.agency_type = s.getColumn(2).getString();
        r.version = s.getColumn(3).getInt64();
        r.parsed[ingest::Field::kRecordId] = s.getColumn(4).getString();
        for (int f = 1; f < kFieldCount; ++f) {
          SQLite::Column c = s.getColumn(4 + f);
          if (!c.isNull()) r.parsed.value[f] = c.getString();
        }
        GUGUS_RETURN_IF_ERROR(visit(std::move(r)));
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<PersonLink>> Links() override {
    return Guard("cannot read links", [&]() -> absl::StatusOr<std::vector<PersonLink>> {
      SQLite::Statement s(db_(),
                          "SELECT source_record_id, person_id, version FROM person_links "
                          "ORDER BY source_record_id");
      std::vector<PersonLink> out;
      while (s.executeStep())
        out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getInt64(),
                       s.getColumn(2).getInt64()});
      return out;
    });
  }

  absl::StatusOr<int64_t> NextPersonId() override {
    return Guard("cannot read persons", [&]() -> absl::StatusOr<int64_t> {
      return db_().execAndGet("SELECT coalesce(max(id), 0) + 1 FROM persons").getInt64();
    });
  }

  absl::StatusOr<std::optional<LinkRun>> LastRun() override {
    return Guard("cannot read link runs",
                 [&]() -> absl::StatusOr<std::optional<LinkRun>> {
                   SQLite::Statement s(
                       db_(),
                       "SELECT id, kind, started_at, finished_at, records, new_records, "
                       "candidate_pairs, links, persons, review_items, model "
                       "FROM link_runs ORDER BY id DESC LIMIT 1");
                   if (!s.executeStep()) return std::nullopt;
                   LinkRun r;
                   r.id = s.getColumn(0).getInt64();
                   r.kind = s.getColumn(1).getString();
                   r.started_at = s.getColumn(2).getString();
                   r.finished_at = s.getColumn(3).getString();
                   r.records = s.getColumn(4).getInt64();
                   r.new_records = s.getColumn(5).getInt64();
                   r.candidate_pairs = s.getColumn(6).getInt64();
                   r.links = s.getColumn(7).getInt64();
                   r.persons = s.getColumn(8).getInt64();
                   r.review_items = s.getColumn(9).getInt64();
                   r.model = s.getColumn(10).getString();
                   return r;
                 });
  }

  absl::Status SaveRun(LinkRunWrite& w) override {
    return Guard("cannot save the linkage", [&]() -> absl::Status {
      SQLite::Database& d = db_();
      SQLite::Transaction tx(d, SQLite::TransactionBehavior::IMMEDIATE);
      {
        SQLite::Statement s(d,
                            "INSERT INTO link_runs (kind, started_at, finished_at, "
                            "records, new_records, candidate_pairs, links, persons, "
                            "review_items, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        const LinkRun& r = w.run;
        s.bind(1, r.kind);
        s.bind(2, r.started_at);
        s.bind(3, NowUtc());
        s.bind(4, static_cast<int64_t>(r.records));
        s.bind(5, static_cast<int64_t>(r.new_records));
        s.bind(6, static_cast<int64_t>(r.candidate_pairs));
        s.bind(7, static_cast<int64_t>(r.links));
        s.bind(8, static_cast<int64_t>(r.persons));
        s.bind(9, static_cast<int64_t>(r.review_items));
        s.bind(10, r.model);
        s.exec();
        w.run.id = d.getLastInsertRowid();
      }
      const int64_t run = w.run.id;
      {
        SQLite::Statement s(d, "INSERT INTO persons (id, created_run) VALUES (?, ?)");
        for (int64_t id : w.new_persons) {
          s.reset();
          s.bind(1, static_cast<int64_t>(id));
          s.bind(2, run);
          s.exec();
        }
      }
      {
        SQLite::Statement s(d, "UPDATE persons SET retired_run = ? WHERE id = ?");
        for (int64_t id : w.retired_persons) {
          s.reset();
          s.bind(1, run);
          s.bind(2, static_cast<int64_t>(id));
          s.exec();
        }
      }
      {
        SQLite::Statement s(
            d,
            "INSERT INTO person_links (source_record_id, person_id, version, run_id) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (source_record_id) DO UPDATE "
            "SET person_id = excluded.person_id, version = excluded.version, "
            "run_id = excluded.run_id");
        for (const PersonLink& l : w.links) {
          s.reset();
          s.bind(1, static_cast<int64_t>(l.source_record_id));
          s.bind(2, static_cast<int64_t>(l.person_id));
          s.bind(3, static_cast<int64_t>(l.version));
          s.bind(4, run);
          s.exec();
        }
      }
      // Decided items stay (with their number, so a decision can be revised); the
      // rest of the queue is rebuilt by a full run, or around the records an
      // incremental run looked at again.
      static constexpr const char* kUndecided =
          " NOT EXISTS (SELECT 1 FROM link_decisions d WHERE d.record_a = "
          "review_items.record_a AND d.record_b = review_items.record_b)";
      if (w.replace_review) {
        d.exec(StrCat("DELETE FROM review_items WHERE", kUndecided));
      } else {
        SQLite::Statement s(d, StrCat("DELETE FROM review_items WHERE (record_a = ?1 OR "
                                      "record_b = ?1) AND",
                                      kUndecided));
        for (int64_t id : w.review_records) {
          s.reset();
          s.bind(1, static_cast<int64_t>(id));
          s.exec();
        }
      }
      {
        SQLite::Statement s(d,
                            "INSERT OR REPLACE INTO review_items (record_a, record_b, "
                            "probability, evidence, run_id) VALUES (?, ?, ?, ?, ?)");
        for (const ReviewItem& item : w.review) {
          s.reset();
          s.bind(1, static_cast<int64_t>(item.record_a));
          s.bind(2, static_cast<int64_t>(item.record_b));
          s.bind(3, item.probability);
          s.bind(4, item.evidence);
          s.bind(5, run);
          s.exec();
        }
      }
      tx.commit();
      return absl::OkStatus();
    });
  }

  absl::Status AddDecision(const LinkDecision& decision) override {
    return Guard("cannot record the decision", [&]() -> absl::Status {
      SQLite::Statement s(db_(),
                          "INSERT INTO link_decisions (record_a, record_b, decision, "
                          "decided_by, decided_at, note) VALUES (?, ?, ?, ?, ?, ?)");
      s.bind(1, static_cast<int64_t>(std::min(decision.record_a, decision.record_b)));
      s.bind(2, static_cast<int64_t>(std::max(decision.record_a, decision.record_b)));
      s.bind(3, std::string(DecisionName(decision.decision)));
      s.bind(4, decision.decided_by);
      s.bind(5, NowUtc());
      s.bind(6, decision.note);
      s.exec();
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<LinkDecision>> Decisions() override {
    return Guard(
        "cannot read decisions", [&]() -> absl::StatusOr<std::vector<LinkDecision>> {
          SQLite::Statement s(
              db_(),
              "SELECT record_a, record_b, decision, decided_by, decided_at, note "
              "FROM link_decisions d WHERE id = (SELECT max(id) FROM "
              "link_decisions e WHERE e.record_a = d.record_a AND e.record_b = "
              "d.record_b) ORDER BY record_a, record_b");
          std::vector<LinkDecision> out;
          while (s.executeStep()) out.push_back(ReadDecision(s));
          return out;
        });
  }

  absl::StatusOr<std::optional<LinkDecision>> DecisionOn(int64_t record_a,
                                                         int64_t record_b) override {
    return Guard("cannot read decisions",
                 [&]() -> absl::StatusOr<std::optional<LinkDecision>> {
                   SQLite::Statement s(
                       db_(),
                       "SELECT record_a, record_b, decision, decided_by, decided_at, "
                       "note FROM link_decisions WHERE record_a = ? AND record_b = ? "
                       "ORDER BY id DESC LIMIT 1");
                   s.bind(1, static_cast<int64_t>(std::min(record_a, record_b)));
                   s.bind(2, static_cast<int64_t>(std::max(record_a, record_b)));
                   if (!s.executeStep()) return std::optional<LinkDecision>();
                   return std::optional<LinkDecision>(ReadDecision(s));
                 });
  }

  absl::StatusOr<std::vector<ReviewItem>> ReviewQueue(int limit,
                                                      const domain::RecordScope& scope,
                                                      int offset) override {
    return Guard("cannot read the review queue",
                 [&]() -> absl::StatusOr<std::vector<ReviewItem>> {
                   SQLite::Statement s(
                       db_(), StrCat(kReviewItemSelect, " WHERE ", Undecided(scope),
                                     " ORDER BY abs(i.probability - 0.5), i.id "
                                     "LIMIT :limit OFFSET :offset"));
                   BindScope(s, scope);
                   s.bind(":limit", limit);
                   s.bind(":offset", std::max(offset, 0));
                   std::vector<ReviewItem> out;
                   while (s.executeStep()) out.push_back(ReadItem(s));
                   return out;
                 });
  }

  absl::StatusOr<int64_t> CountReviewQueue(const domain::RecordScope& scope) override {
    return Guard("cannot read the review queue", [&]() -> absl::StatusOr<int64_t> {
      SQLite::Statement s(db_(), StrCat("SELECT count(*) FROM (", kReviewItemSelect,
                                        " WHERE ", Undecided(scope), ")"));
      BindScope(s, scope);
      s.executeStep();
      return s.getColumn(0).getInt64();
    });
  }

  absl::StatusOr<ReviewItem> FindReviewItem(int64_t id,
                                            const domain::RecordScope& scope) override {
    return Guard("cannot read the review queue", [&]() -> absl::StatusOr<ReviewItem> {
      SQLite::Statement s(
          db_(), StrCat(kReviewItemSelect, " WHERE i.id = :id AND ", BothVisible(scope)));
      BindScope(s, scope);
      s.bind(":id", static_cast<int64_t>(id));
      if (!s.executeStep()) return absl::NotFoundError(StrCat("no review item ", id));
      return ReadItem(s);
    });
  }

  absl::Status ForEachLinkedName(
      const std::function<absl::Status(domain::LinkedName&&)>& visit) override {
    return Guard("cannot read links", [&]() -> absl::Status {
      SQLite::Statement s(db_(),
                          "SELECT r.id, l.person_id, r.agency_id, "
                          "coalesce(v.origin_region, ''), v.name "
                          "FROM person_links l JOIN source_records r "
                          "ON r.id = l.source_record_id "
                          "JOIN record_versions v ON v.source_record_id = r.id "
                          "AND v.version = r.current_version ORDER BY r.id");
      while (s.executeStep()) {
        domain::LinkedName n;
        n.source_record_id = s.getColumn(0).getInt64();
        n.person_id = s.getColumn(1).getInt64();
        n.agency_id = s.getColumn(2).getInt64();
        n.origin_region = s.getColumn(3).getString();
        n.name = s.getColumn(4).getString();
        GUGUS_RETURN_IF_ERROR(visit(std::move(n)));
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<domain::LinkState> State() override {
    return Guard("cannot read links", [&]() -> absl::StatusOr<domain::LinkState> {
      CachedStatement s(db_(),
                        "SELECT (SELECT coalesce(max(id), 0) FROM link_runs), "
                        "(SELECT coalesce(max(id), 0) FROM record_versions)");
      s->executeStep();
      domain::LinkState state;
      state.last_run = s->getColumn(0).getInt64();
      state.last_version = s->getColumn(1).getInt64();
      return state;
    });
  }

  absl::Status ForEachExportLink(
      const std::function<absl::Status(std::string_view, std::string_view, int64_t)>&
          visit) override {
    return Guard("cannot read links", [&]() -> absl::Status {
      SQLite::Statement s(db_(),
                          "SELECT a.code, r.record_id, l.person_id FROM person_links l "
                          "JOIN source_records r ON r.id = l.source_record_id "
                          "JOIN agencies a ON a.id = r.agency_id "
                          "ORDER BY a.code, r.record_id");
      while (s.executeStep()) {
        GUGUS_RETURN_IF_ERROR(visit(s.getColumn(0).getString(),
                                    s.getColumn(1).getString(),
                                    s.getColumn(2).getInt64()));
      }
      return absl::OkStatus();
    });
  }

 private:
  // Item i has no decision yet and both its records are visible under `scope`.
  static std::string Undecided(const domain::RecordScope& scope) {
    return StrCat(
        "NOT EXISTS (SELECT 1 FROM link_decisions d WHERE d.record_a = i.record_a AND "
        "d.record_b = i.record_b) AND ",
        BothVisible(scope));
  }

  // Both records of item i visible under `scope`, by their agencies and their current
  // versions' origin regions.
  static std::string BothVisible(const domain::RecordScope& scope) {
    auto origin = [](std::string_view r) {
      return StrCat("(SELECT v.origin_region FROM record_versions v WHERE ",
                    "v.source_record_id = ", r, ".id AND v.version = ", r,
                    ".current_version)");
    };
    return StrCat(ScopeCondition(scope, "aa.id", "aa.region_code", origin("ra")), " AND ",
                  ScopeCondition(scope, "ab.id", "ab.region_code", origin("rb")));
  }

  // A row of record_a, record_b, decision, decided_by, decided_at, note.
  static LinkDecision ReadDecision(SQLite::Statement& s) {
    LinkDecision x;
    x.record_a = s.getColumn(0).getInt64();
    x.record_b = s.getColumn(1).getInt64();
    x.decision =
        s.getColumn(2).getString() == "same" ? Decision::kSame : Decision::kDifferent;
    x.decided_by = s.getColumn(3).getString();
    x.decided_at = s.getColumn(4).getString();
    x.note = s.getColumn(5).getString();
    return x;
  }

  static ReviewItem ReadItem(SQLite::Statement& s) {
    ReviewItem r;
    r.id = s.getColumn(0).getInt64();
    r.record_a = s.getColumn(1).getInt64();
    r.record_b = s.getColumn(2).getInt64();
    r.probability = s.getColumn(3).getDouble();
    r.evidence = s.getColumn(4).getString();
    r.agency_a = s.getColumn(5).getString();
    r.record_id_a = s.getColumn(6).getString();
    r.agency_b = s.getColumn(7).getString();
    r.record_id_b = s.getColumn(8).getString();
    r.person_a = s.getColumn(9).getInt64();
    r.person_b = s.getColumn(10).getInt64();
    return r;
  }

  std::function<SQLite::Database&()> db_;
};

}  // namespace

std::unique_ptr<domain::LinkRepository> NewSqliteLinkRepository(
    std::function<SQLite::Database&()> db) {
  return std::make_unique<SqliteLinkRepository>(std::move(db));
}

}  // namespace gugus::storage::internal
