// The StatsRepository over PostgreSQL, as storage/sqlite/sqlite_stats.cc does it on
// SQLite: stat_facts holds each current record's fact (storage/common/
// stat_snapshot.h), stat_snapshot the same packed into bytea chunks in person
// order, stat_state the watermarks up to which both are complete. A read that finds
// nothing new costs one look at the watermarks and the chunks' bytes; a refresh
// touches the versions and links written since, and the chunks of their persons.
// Refreshes of several processes serialise on an advisory lock.
//
// Versions are watched by the order in which their imports committed (import_
// batches.commit_seq), not by their ids: imports of different agencies run side by
// side, and one that took lower ids may commit after one that took higher ones.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "core/status.h"
#include "storage/common/stat_snapshot.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_stream.h"
#include "storage/postgres/pg_util.h"

namespace gugus::storage::pg {
namespace {

// The transaction-level advisory lock every refresh holds ("gugusS" in ASCII).
constexpr int64_t kStatsLock = 0x677567757353;

// The watermarks and what they are compared with: facts version, imports done,
// runs done, facts in the snapshot, newest import, newest run (indexes' maxima).
constexpr const char* kStateSql =
    "SELECT coalesce((SELECT value FROM stat_state WHERE name = 'facts_version'), 0), "
    "coalesce((SELECT value FROM stat_state WHERE name = 'import_commits'), 0), "
    "coalesce((SELECT value FROM stat_state WHERE name = 'link_runs'), 0), "
    "coalesce((SELECT value FROM stat_state WHERE name = 'snapshot_facts'), 0), "
    "(SELECT coalesce(max(commit_seq), 0) FROM import_batches), "
    "(SELECT coalesce(max(id), 0) FROM link_runs)";

struct Watermarks {
  int64_t facts_version = 0, imports_done = 0, runs_done = 0, snapshot_facts = 0;
  int64_t imports = 0, runs = 0;
  bool UpToDate() const {
    return facts_version == kFactsVersion && imports_done == imports && runs_done == runs;
  }
};

Watermarks ReadWatermarks(Connection& c, pqxx::transaction_base& w) {
  pqxx::row row = w.exec_prepared1(c.Prepared(kStateSql));
  Watermarks m;
  m.facts_version = row[0].as<int64_t>();
  m.imports_done = row[1].as<int64_t>();
  m.runs_done = row[2].as<int64_t>();
  m.snapshot_facts = row[3].as<int64_t>();
  m.imports = row[4].as<int64_t>();
  m.runs = row[5].as<int64_t>();
  return m;
}

void SetState(pqxx::transaction_base& w, const char* name, int64_t value) {
  w.exec_params(
      "INSERT INTO stat_state (name, value) VALUES ($1, $2) "
      "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      std::string(name), value);
}

// The columns of stat_facts, in the order rows are written.
const std::vector<std::string>& FactColumns() {
  static const std::vector<std::string> columns = {
      "person_key",   "source_record_id", "agency_id",  "case_key",
      "report_date",  "incident_date",    "origin",     "destination",
      "exploitation", "recruitment",      "age",        "sex",
      "nik",          "stable_key",       "birth_date", "nik_birth",
      "nik_origin",   "nik_sex"};
  return columns;
}

class PgStatsRepository : public domain::StatsRepository {
 public:
  explicit PgStatsRepository(ConnectionFn conn) : conn_(std::move(conn)) {}

  absl::StatusOr<report::FactSet> LoadFacts() override {
    GUGUS_RETURN_IF_ERROR(Refresh());
    return Guard("cannot read statistics", [&]() -> absl::StatusOr<report::FactSet> {
      Connection& c = conn_();
      // One snapshot of the database for the agencies and every chunk.
      pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> w(c.get());
      report::FactSet set;
      for (const pqxx::row& row : w.exec_prepared(
               c.Prepared("SELECT id, code, name, type, region_code FROM agencies "
                          "ORDER BY code"))) {
        report::AgencyInfo a;
        a.id = row[0].as<int64_t>();
        a.code = row[1].c_str();
        a.name = row[2].c_str();
        a.type = row[3].c_str();
        a.region = report::PackRegion(row[4].c_str());
        set.agencies.push_back(std::move(a));
      }
      set.facts.reserve(static_cast<size_t>(std::max<int64_t>(
          0, w.exec1("SELECT coalesce((SELECT value FROM stat_state WHERE name = "
                     "'snapshot_facts'), 0)")[0]
                 .as<int64_t>())));
      SnapshotReader reader(set);
      // Some 2.5 MB a fetch, in binary: a million facts are 80 MB, which would be
      // 160 MB of hex to encode and decode as text.
      GUGUS_RETURN_IF_ERROR(ForEachRow(
          w, "SELECT data FROM stat_snapshot ORDER BY chunk",
          [&](const pqxx::row& row) {
            reader.Add(row[0].c_str(), row[0].size());
            return absl::OkStatus();
          },
          /*batch=*/16, Fetch::kAhead, Form::kBinary));
      return set;
    });
  }

 private:
  absl::Status Refresh() {
    return Guard("cannot update statistics", [&]() -> absl::Status {
      Connection& c = conn_();
      {
        // A quick look without any lock: most calls find nothing new.
        pqxx::read_transaction r(c.get());
        if (ReadWatermarks(c, r).UpToDate()) return absl::OkStatus();
      }
      pqxx::work w(c.get());
      w.exec_params("SELECT pg_advisory_xact_lock($1)", kStatsLock);
      // Read after the lock: another process may have done it. Every import
      // numbered up to m.imports is committed, and visible to what follows.
      Watermarks m = ReadWatermarks(c, w);
      if (m.UpToDate()) return absl::OkStatus();
      const bool all = m.facts_version != kFactsVersion;
      if (all) {
        w.exec0("TRUNCATE stat_facts");
        w.exec0("DELETE FROM stat_snapshot");
        w.exec0("DELETE FROM stat_state");
        SetState(w, "facts_version", kFactsVersion);
        m.imports_done = m.runs_done = m.snapshot_facts = 0;
      }
      absl::flat_hash_set<int64_t> touched;  // chunks
      GUGUS_RETURN_IF_ERROR(
          AddVersions(w, m.imports_done, m.imports, all ? nullptr : &touched));
      UpdatePersons(w, m.runs_done, all ? nullptr : &touched);
      GUGUS_RETURN_IF_ERROR(
          WriteSnapshot(c, w, all ? nullptr : &touched, m.snapshot_facts));
      SetState(w, "import_commits", m.imports);
      SetState(w, "link_runs", m.runs);
      w.commit();
      return absl::OkStatus();
    });
  }

  // Current versions stored by the imports numbered after `done` up to `upto`
  // (commit_seq): new records, or new versions replacing a record's old fact.
  // Facts are computed here (report::FactOf) and copied in a batch at a time. The
  // chunks of the facts it adds, moves or replaces go into `touched` (unless null:
  // stat_facts was empty and every chunk is rewritten).
  static absl::Status AddVersions(pqxx::work& w, int64_t done, int64_t upto,
                                  absl::flat_hash_set<int64_t>* touched) {
    const char* target = "stat_facts";
    if (touched) {
      w.exec0("CREATE TEMP TABLE new_facts (LIKE stat_facts) ON COMMIT DROP");
      target = "new_facts";
    }
    ingest::ParsedRecord parsed;
    GUGUS_RETURN_IF_ERROR(ForEachBatch(
        w,
        StrCat("SELECT r.id, r.agency_id, coalesce(l.person_id, -r.id), a.code, ",
               VersionColumns("v."),
               // A batch's versions lie between its first and last version id,
               // among those of imports that ran beside it.
               ", r.record_id FROM import_batches b JOIN record_versions v "
               "ON v.id BETWEEN b.first_version AND b.last_version AND v.batch_id = b.id "
               "JOIN source_records r "
               "ON r.id = v.source_record_id AND v.version = r.current_version "
               "JOIN agencies a ON a.id = r.agency_id "
               "LEFT JOIN person_links l ON l.source_record_id = r.id "
               "WHERE b.commit_seq > ",
               done, " AND b.commit_seq <= ", upto),
        [&](const pqxx::result& rows) {
          pqxx::stream_to s(w, target, FactColumns());
          for (const pqxx::row& row : rows) {
            const int64_t id = row[0].as<int64_t>();
            const int64_t agency = row[1].as<int64_t>();
            const int64_t person_key = row[2].as<int64_t>();
            if (touched) touched->insert(ChunkOf(person_key));
            for (int f = 1; f < ingest::kFieldCount; ++f)
              parsed.value[f] = Text(row[3 + f]);
            parsed[ingest::Field::kRecordId] = Text(row[3 + ingest::kFieldCount]);
            const report::RecordFact rf = StoredFact(parsed, agency, row[3].c_str());
            const report::Fact& x = rf.fact;
            // bigint is signed: the stable key's bits are kept as they are.
            s << std::make_tuple(
                person_key, id, agency, x.case_key, x.report_date, x.incident_date,
                x.origin, rf.destination, static_cast<int64_t>(x.exploitation),
                static_cast<int64_t>(x.recruitment), static_cast<int>(x.age),
                static_cast<int>(x.sex), x.nik, static_cast<int64_t>(x.stable_key),
                x.birth_date, x.nik_birth, x.nik_origin, static_cast<int>(x.nik_sex));
          }
          s.complete();
          return absl::OkStatus();
        }));
    if (!touched) return absl::OkStatus();
    for (const pqxx::row& row :
         w.exec("DELETE FROM stat_facts f USING new_facts n "
                "WHERE f.source_record_id = n.source_record_id RETURNING f.person_key"))
      touched->insert(ChunkOf(row[0].as<int64_t>()));
    w.exec0(StrCat("INSERT INTO stat_facts SELECT * FROM new_facts"));
    return absl::OkStatus();
  }

  // Links written by runs after `done`: the facts move to their (new) person, and
  // the chunks they leave and join are touched.
  static void UpdatePersons(pqxx::work& w, int64_t done,
                            absl::flat_hash_set<int64_t>* touched) {
    pqxx::result chunks = w.exec_params(
        StrCat("WITH moved AS (SELECT f.source_record_id, f.person_key AS old_key, "
               "l.person_id AS new_key FROM person_links l JOIN stat_facts f "
               "ON f.source_record_id = l.source_record_id "
               "WHERE l.run_id > $1 AND f.person_key <> l.person_id), "
               "changed AS (UPDATE stat_facts f SET person_key = m.new_key FROM moved m "
               "WHERE f.source_record_id = m.source_record_id "
               "RETURNING m.old_key, m.new_key) "
               "SELECT old_key >> ",
               kChunkBits, " FROM changed UNION SELECT new_key >> ", kChunkBits,
               " FROM changed"),
        done);
    if (touched)
      for (const pqxx::row& row : chunks) touched->insert(row[0].as<int64_t>());
  }

  // Rewrites the snapshot's chunks in `touched` from stat_facts (every chunk when
  // null), and the count of facts it holds (`facts` before).
  static absl::Status WriteSnapshot(Connection& c, pqxx::work& w,
                                    const absl::flat_hash_set<int64_t>* touched,
                                    int64_t facts) {
    constexpr const char* kColumns =
        "f.person_key, f.agency_id, f.case_key, f.report_date, f.incident_date, "
        "f.origin, f.destination, f.exploitation, f.recruitment, f.age, f.sex, f.nik, "
        "f.stable_key, f.birth_date, f.nik_birth, f.nik_origin, f.nik_sex";
    const std::string& insert =
        c.Prepared("INSERT INTO stat_snapshot (chunk, data) VALUES ($1, $2)");
    std::string chunk;
    int64_t current = 0;
    auto flush = [&] {
      if (chunk.empty()) return;
      w.exec_prepared(insert, current, pqxx::binarystring(chunk.data(), chunk.size()));
      facts += static_cast<int64_t>(chunk.size() / kPackedSize);
      chunk.clear();
    };
    std::string sql;
    if (!touched) {
      facts = 0;
      sql = StrCat("SELECT ", kColumns,
                   " FROM stat_facts f ORDER BY f.person_key, f.source_record_id");
    } else {
      if (touched->empty()) return absl::OkStatus();
      const std::vector<int64_t> chunks(touched->begin(), touched->end());
      for (const pqxx::row& row :
           w.exec_params("DELETE FROM stat_snapshot WHERE chunk = ANY($1::bigint[]) "
                         "RETURNING length(data)",
                         IdArray(chunks)))
        facts -= row[0].as<int64_t>() / static_cast<int64_t>(kPackedSize);
      // The chunks are disjoint ranges of person keys: in person order, they come
      // one after the other.
      sql = StrCat("SELECT ", kColumns, " FROM unnest(", w.quote(IdArray(chunks)),
                   "::bigint[]) c JOIN stat_facts f ON f.person_key >= c << ", kChunkBits,
                   " AND f.person_key < (c + 1) << ", kChunkBits,
                   " ORDER BY f.person_key, f.source_record_id");
    }
    GUGUS_RETURN_IF_ERROR(ForEachRow(w, sql, [&](const pqxx::row& row) {
      PackedFact p{};
      p.person = row[0].as<int64_t>();
      if (ChunkOf(p.person) != current || chunk.empty()) {
        flush();
        current = ChunkOf(p.person);
      }
      p.agency_id = row[1].as<int64_t>();
      p.case_key = row[2].as<int64_t>();
      p.report_date = row[3].as<int32_t>();
      p.incident_date = row[4].as<int32_t>();
      p.origin = row[5].as<int32_t>();
      p.destination = PackDestination(row[6].c_str());
      p.exploitation = static_cast<uint32_t>(row[7].as<int64_t>());
      p.recruitment = static_cast<uint32_t>(row[8].as<int64_t>());
      p.age = static_cast<int16_t>(row[9].as<int>());
      p.sex = static_cast<int8_t>(row[10].as<int>());
      p.nik = row[11].as<int64_t>();
      p.stable_key = static_cast<uint64_t>(row[12].as<int64_t>());
      p.birth_date = row[13].as<int32_t>();
      p.nik_birth = row[14].as<int32_t>();
      p.nik_origin = row[15].as<int32_t>();
      p.nik_sex = static_cast<int8_t>(row[16].as<int>());
      chunk.append(reinterpret_cast<const char*>(&p), kPackedSize);
      return absl::OkStatus();
    }));
    flush();
    SetState(w, "snapshot_facts", facts);  // lets a reader size its vector once
    return absl::OkStatus();
  }

  ConnectionFn conn_;
};

}  // namespace

std::unique_ptr<domain::StatsRepository> NewStatsRepository(ConnectionFn conn) {
  return std::make_unique<PgStatsRepository>(std::move(conn));
}

}  // namespace gugus::storage::pg
