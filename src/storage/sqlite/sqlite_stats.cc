#include "storage/sqlite/sqlite_stats.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "core/status.h"
#include "storage/common/stat_snapshot.h"
#include "storage/sqlite/sqlite_util.h"

namespace gugus::storage::internal {
namespace {

using domain::StatsRepository;

int64_t State(SQLite::Database& d, const char* name) {
  SQLite::Statement s(d, "SELECT value FROM stat_state WHERE name = ?");
  s.bind(1, name);
  return s.executeStep() ? s.getColumn(0).getInt64() : 0;
}

void SetState(SQLite::Database& d, const char* name, int64_t value) {
  SQLite::Statement s(d,
                      "INSERT INTO stat_state (name, value) VALUES (?, ?) "
                      "ON CONFLICT (name) DO UPDATE SET value = excluded.value");
  s.bind(1, name);
  s.bind(2, value);
  s.exec();
}

int64_t MaxId(SQLite::Database& d, const char* table) {
  SQLite::Statement s(d, StrCat("SELECT COALESCE(MAX(id), 0) FROM ", table));
  s.executeStep();
  return s.getColumn(0).getInt64();
}

class SqliteStatsRepository : public StatsRepository {
 public:
  explicit SqliteStatsRepository(std::function<SQLite::Database&()> db)
      : db_(std::move(db)) {}

  absl::StatusOr<report::FactSet> LoadFacts() override {
    GUGUS_RETURN_IF_ERROR(Refresh());
    return Guard("cannot read statistics", [&]() -> absl::StatusOr<report::FactSet> {
      SQLite::Database& d = db_();
      report::FactSet set;
      {
        SQLite::Statement s(d,
                            "SELECT id, code, name, type, region_code FROM agencies "
                            "ORDER BY code");
        while (s.executeStep()) {
          report::AgencyInfo a;
          a.id = s.getColumn(0).getInt64();
          a.code = s.getColumn(1).getString();
          a.name = s.getColumn(2).getString();
          a.type = s.getColumn(3).getString();
          a.region = report::PackRegion(s.getColumn(4).getString());
          set.agencies.push_back(std::move(a));
        }
      }
      set.facts.reserve(static_cast<size_t>(State(d, "snapshot_facts")));
      SnapshotReader reader(set);
      SQLite::Statement s(d, "SELECT data FROM stat_snapshot ORDER BY chunk");
      while (s.executeStep()) {
        SQLite::Column blob = s.getColumn(0);
        reader.Add(blob.getBlob(), static_cast<size_t>(blob.getBytes()));
      }
      return set;
    });
  }

 private:
  absl::Status Refresh() {
    return Guard("cannot update statistics", [&]() -> absl::Status {
      SQLite::Database& d = db_();
      // A quick look without the write lock: most calls find nothing new.
      if (State(d, "facts_version") == kFactsVersion &&
          State(d, "record_versions") == MaxId(d, "record_versions") &&
          State(d, "link_runs") == MaxId(d, "link_runs"))
        return absl::OkStatus();
      d.exec("BEGIN IMMEDIATE");
      try {
        bool all = false;
        if (State(d, "facts_version") != kFactsVersion) {
          d.exec("DELETE FROM stat_facts");
          d.exec("DELETE FROM stat_state");
          SetState(d, "facts_version", kFactsVersion);
          all = true;
        }
        const int64_t versions_done = State(d, "record_versions");
        const int64_t runs_done = State(d, "link_runs");
        const int64_t versions = MaxId(d, "record_versions");
        const int64_t runs = MaxId(d, "link_runs");
        absl::flat_hash_set<int64_t> touched;  // chunks
        AddVersions(d, versions_done, all ? nullptr : &touched);
        UpdatePersons(d, runs_done, all ? nullptr : &touched);
        WriteSnapshot(d, all ? nullptr : &touched);
        SetState(d, "record_versions", versions);
        SetState(d, "link_runs", runs);
        d.exec("COMMIT");
      } catch (...) {
        d.exec("ROLLBACK");
        throw;
      }
      return absl::OkStatus();
    });
  }

  // Current versions stored after `done`: new records, or new versions replacing
  // a record's old fact (the unique index on source_record_id makes REPLACE do it).
  // The chunks of the facts it adds, moves or replaces go into `touched` (unless
  // null: every chunk is rewritten).
  static void AddVersions(SQLite::Database& d, int64_t done,
                          absl::flat_hash_set<int64_t>* touched) {
    SQLite::Statement read(
        d,
        StrCat("SELECT r.id, r.agency_id, COALESCE(l.person_id, -r.id), a.code, ",
               VersionColumns("v."),
               ", r.record_id FROM record_versions v JOIN source_records r "
               "ON r.id = v.source_record_id AND v.version = r.current_version "
               "JOIN agencies a ON a.id = r.agency_id "
               "LEFT JOIN person_links l ON l.source_record_id = r.id WHERE v.id > ?"));
    read.bind(1, done);
    SQLite::Statement write(
        d,
        "INSERT OR REPLACE INTO stat_facts (person_key, source_record_id, agency_id, "
        "case_key, report_date, incident_date, origin, destination, exploitation, "
        "recruitment, age, sex, nik, stable_key, birth_date, nik_birth, nik_origin, "
        "nik_sex) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    SQLite::Statement old(d,
                          "SELECT person_key FROM stat_facts WHERE source_record_id = ?");
    ingest::ParsedRecord parsed;
    while (read.executeStep()) {
      const int64_t id = read.getColumn(0).getInt64();
      const int64_t agency = read.getColumn(1).getInt64();
      if (touched) {
        touched->insert(ChunkOf(read.getColumn(2).getInt64()));
        old.reset();
        old.bind(1, id);
        if (old.executeStep()) touched->insert(ChunkOf(old.getColumn(0).getInt64()));
      }
      const std::string agency_code = read.getColumn(3).getString();
      for (int f = 1; f < kFieldCount; ++f) {
        SQLite::Column c = read.getColumn(3 + f);
        parsed.value[f] = c.isNull() ? std::string() : c.getString();
      }
      parsed[ingest::Field::kRecordId] = read.getColumn(3 + kFieldCount).getString();
      report::RecordFact rf = StoredFact(parsed, agency, agency_code);
      write.reset();
      write.bind(1, read.getColumn(2).getInt64());
      write.bind(2, id);
      write.bind(3, agency);
      write.bind(4, rf.fact.case_key);
      write.bind(5, rf.fact.report_date);
      write.bind(6, rf.fact.incident_date);
      write.bind(7, rf.fact.origin);
      write.bind(8, rf.destination);
      write.bind(9, static_cast<int64_t>(rf.fact.exploitation));
      write.bind(10, static_cast<int64_t>(rf.fact.recruitment));
      write.bind(11, rf.fact.age);
      write.bind(12, rf.fact.sex);
      write.bind(13, rf.fact.nik);
      // SQLite integers are signed: the key's bits are kept as they are.
      write.bind(14, static_cast<int64_t>(rf.fact.stable_key));
      write.bind(15, rf.fact.birth_date);
      write.bind(16, rf.fact.nik_birth);
      write.bind(17, rf.fact.nik_origin);
      write.bind(18, rf.fact.nik_sex);
      write.exec();
    }
  }

  // Rewrites the snapshot's chunks in `touched` from stat_facts (every chunk when
  // null), and the count of facts it holds.
  static void WriteSnapshot(SQLite::Database& d,
                            const absl::flat_hash_set<int64_t>* touched) {
    constexpr const char* kColumns =
        "SELECT person_key, agency_id, case_key, report_date, incident_date, origin, "
        "destination, exploitation, recruitment, age, sex, nik, stable_key, "
        "birth_date, nik_birth, nik_origin, nik_sex FROM stat_facts ";
    SQLite::Statement write(d, "INSERT INTO stat_snapshot (chunk, data) VALUES (?, ?)");
    int64_t facts = touched ? State(d, "snapshot_facts") : 0;
    std::string chunk;
    int64_t current = 0;
    auto flush = [&] {
      if (chunk.empty()) return;
      write.reset();
      write.bind(1, current);
      write.bind(2, chunk.data(), static_cast<int>(chunk.size()));
      write.exec();
      facts += static_cast<int64_t>(chunk.size() / kPackedSize);
      chunk.clear();
    };
    auto pack = [&](SQLite::Statement& read) {
      while (read.executeStep()) {
        PackedFact p{};
        p.person = read.getColumn(0).getInt64();
        if (ChunkOf(p.person) != current) {
          flush();
          current = ChunkOf(p.person);
        }
        p.agency_id = read.getColumn(1).getInt64();
        p.case_key = read.getColumn(2).getInt64();
        p.report_date = read.getColumn(3).getInt();
        p.incident_date = read.getColumn(4).getInt();
        p.origin = read.getColumn(5).getInt();
        p.destination = PackDestination(read.getColumn(6).getString());
        p.exploitation = static_cast<uint32_t>(read.getColumn(7).getInt64());
        p.recruitment = static_cast<uint32_t>(read.getColumn(8).getInt64());
        p.age = static_cast<int16_t>(read.getColumn(9).getInt());
        p.sex = static_cast<int8_t>(read.getColumn(10).getInt());
        p.nik = read.getColumn(11).getInt64();
        p.stable_key = static_cast<uint64_t>(read.getColumn(12).getInt64());
        p.birth_date = read.getColumn(13).getInt();
        p.nik_birth = read.getColumn(14).getInt();
        p.nik_origin = read.getColumn(15).getInt();
        p.nik_sex = static_cast<int8_t>(read.getColumn(16).getInt());
        chunk.append(reinterpret_cast<const char*>(&p), kPackedSize);
      }
      flush();
    };
    if (!touched) {
      d.exec("DELETE FROM stat_snapshot");
      SQLite::Statement read(d,
                             StrCat(kColumns, "ORDER BY person_key, source_record_id"));
      pack(read);
    } else {
      SQLite::Statement size(d, "SELECT length(data) FROM stat_snapshot WHERE chunk = ?");
      SQLite::Statement drop(d, "DELETE FROM stat_snapshot WHERE chunk = ?");
      SQLite::Statement read(d, StrCat(kColumns,
                                       "WHERE person_key >= ? AND person_key < ? "
                                       "ORDER BY person_key, source_record_id"));
      for (int64_t c : *touched) {
        size.reset();
        size.bind(1, c);
        if (size.executeStep())
          facts -= size.getColumn(0).getInt64() / static_cast<int64_t>(kPackedSize);
        drop.reset();
        drop.bind(1, c);
        drop.exec();
        read.reset();
        read.bind(1, c << kChunkBits);
        read.bind(2, (c + 1) << kChunkBits);
        current = c;
        pack(read);
      }
    }
    SetState(d, "snapshot_facts", facts);  // lets a reader size its vector once
  }

  // Links written by runs after `done`: the facts move to their (new) person.
  static void UpdatePersons(SQLite::Database& d, int64_t done,
                            absl::flat_hash_set<int64_t>* touched) {
    SQLite::Statement read(d,
                           "SELECT source_record_id, person_id FROM person_links "
                           "WHERE run_id > ?");
    read.bind(1, done);
    SQLite::Statement write(d,
                            "UPDATE stat_facts SET person_key = ? "
                            "WHERE source_record_id = ? AND person_key <> ?");
    SQLite::Statement old(d,
                          "SELECT person_key FROM stat_facts WHERE source_record_id = ?");
    while (read.executeStep()) {
      const int64_t record = read.getColumn(0).getInt64();
      const int64_t person = read.getColumn(1).getInt64();
      if (touched) {
        old.reset();
        old.bind(1, record);
        if (!old.executeStep() || old.getColumn(0).getInt64() == person) continue;
        touched->insert(ChunkOf(old.getColumn(0).getInt64()));
        touched->insert(ChunkOf(person));
      }
      write.reset();
      write.bind(1, person);
      write.bind(2, record);
      write.bind(3, person);
      write.exec();
    }
  }

  std::function<SQLite::Database&()> db_;
};

}  // namespace

std::unique_ptr<domain::StatsRepository> NewSqliteStatsRepository(
    std::function<SQLite::Database&()> db) {
  return std::make_unique<SqliteStatsRepository>(std::move(db));
}

}  // namespace gugus::storage::internal
