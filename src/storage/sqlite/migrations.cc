#include "storage/sqlite/migrations.h"

#include <array>

namespace gugus::storage {
namespace {

constexpr std::string_view kInitial = R"sql(
CREATE TABLE regions (
  code        TEXT PRIMARY KEY,
  parent_code TEXT,
  level       INTEGER NOT NULL,
  name        TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE countries (
  alpha2  TEXT PRIMARY KEY,
  alpha3  TEXT NOT NULL,
  name_en TEXT NOT NULL,
  name_id TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE agencies (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  type        TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions(code),
  created_at  TEXT NOT NULL
);

-- One file submitted by one agency. `header` is the JSON array of the file's column
-- names; the raw cells of its rows are stored as JSON arrays aligned with it.
CREATE TABLE import_batches (
  id          INTEGER PRIMARY KEY,
  agency_id   INTEGER NOT NULL REFERENCES agencies(id),
  file_name   TEXT NOT NULL,
  file_digest TEXT NOT NULL,
  format      TEXT NOT NULL,
  encoding    TEXT NOT NULL,
  delimiter   TEXT NOT NULL,
  header      TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  rows        INTEGER NOT NULL DEFAULT 0,
  inserted    INTEGER NOT NULL DEFAULT 0,
  updated     INTEGER NOT NULL DEFAULT 0,
  unchanged   INTEGER NOT NULL DEFAULT 0,
  rejected    INTEGER NOT NULL DEFAULT 0,
  warnings    INTEGER NOT NULL DEFAULT 0,
  blank       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX import_batches_file ON import_batches(agency_id, file_digest);

-- The identity of a row as an agency keeps it; its contents live in versions.
CREATE TABLE source_records (
  id              INTEGER PRIMARY KEY,
  agency_id       INTEGER NOT NULL REFERENCES agencies(id),
  record_id       TEXT NOT NULL,
  current_version INTEGER NOT NULL,
  content_hash    BLOB NOT NULL,
  UNIQUE (agency_id, record_id)
);

-- Never updated or deleted: every submitted content of a source record.
CREATE TABLE record_versions (
  id               INTEGER PRIMARY KEY,
  source_record_id INTEGER NOT NULL REFERENCES source_records(id),
  version          INTEGER NOT NULL,
  batch_id         INTEGER NOT NULL REFERENCES import_batches(id),
  line             INTEGER NOT NULL,
  raw              TEXT NOT NULL,
  warnings         TEXT NOT NULL,
  report_date      TEXT NOT NULL,
  name             TEXT NOT NULL,
  case_ref         TEXT,
  nik              TEXT,
  sex              TEXT,
  birth_date       TEXT,
  age              INTEGER,
  birth_place      TEXT,
  origin_region    TEXT,
  address          TEXT,
  phone            TEXT,
  nationality      TEXT,
  exploitation     TEXT,
  recruitment      TEXT,
  destination      TEXT,
  incident_date    TEXT,
  suspects         TEXT,
  notes            TEXT,
  UNIQUE (source_record_id, version)
);

-- Quarantine: rows that were not accepted, with every reason (JSON array).
CREATE TABLE rejects (
  id       INTEGER PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES import_batches(id),
  line     INTEGER NOT NULL,
  raw      TEXT NOT NULL,
  reasons  TEXT NOT NULL,
  text     TEXT  -- the source line when it could not be split into cells
);
CREATE INDEX rejects_batch ON rejects(batch_id, line);
)sql";

// Record linkage: persons, which person each source record belongs to, the runs
// that decided it, the review queue and reviewers' decisions.
constexpr const char* kPersons = R"sql(
CREATE TABLE link_runs (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('full', 'incremental')),
  started_at      TEXT NOT NULL,
  finished_at     TEXT NOT NULL,
  records         INTEGER NOT NULL,
  new_records     INTEGER NOT NULL,
  candidate_pairs INTEGER NOT NULL,
  links           INTEGER NOT NULL,
  persons         INTEGER NOT NULL,
  review_items    INTEGER NOT NULL,
  model           TEXT NOT NULL
);

-- A person id, once given, is never given to anyone else.
CREATE TABLE persons (
  id          INTEGER PRIMARY KEY,
  created_run INTEGER NOT NULL REFERENCES link_runs(id),
  retired_run INTEGER REFERENCES link_runs(id)
);

CREATE TABLE person_links (
  source_record_id INTEGER PRIMARY KEY REFERENCES source_records(id),
  person_id        INTEGER NOT NULL REFERENCES persons(id),
  version          INTEGER NOT NULL,  -- of the source record, when it was linked
  run_id           INTEGER NOT NULL REFERENCES link_runs(id)
);
CREATE INDEX person_links_person ON person_links(person_id);

CREATE TABLE review_items (
  id          INTEGER PRIMARY KEY,
  record_a    INTEGER NOT NULL REFERENCES source_records(id),
  record_b    INTEGER NOT NULL REFERENCES source_records(id),
  probability REAL NOT NULL,
  evidence    TEXT NOT NULL,  -- levels and tf adjustments, explained on demand
  run_id      INTEGER NOT NULL REFERENCES link_runs(id),
  UNIQUE (record_a, record_b),
  CHECK (record_a < record_b)
);
CREATE INDEX review_items_b ON review_items(record_b);

-- Append-only: the latest decision per pair binds.
CREATE TABLE link_decisions (
  id         INTEGER PRIMARY KEY,
  record_a   INTEGER NOT NULL REFERENCES source_records(id),
  record_b   INTEGER NOT NULL REFERENCES source_records(id),
  decision   TEXT NOT NULL CHECK (decision IN ('same', 'different')),
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  note       TEXT NOT NULL DEFAULT '',
  CHECK (record_a < record_b)
);
CREATE INDEX link_decisions_pair ON link_decisions(record_a, record_b, id);
)sql";

// Accounts, sessions and the hash-chained audit trail; agencies gain a version for
// optimistic concurrency (a stale edit is refused, not silently overwritten).
constexpr const char* kAccess = R"sql(
ALTER TABLE agencies ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE users (
  id                   INTEGER PRIMARY KEY,
  username             TEXT NOT NULL UNIQUE,
  role                 TEXT NOT NULL CHECK (role IN ('admin', 'secretariat', 'caseworker',
                         'investigator', 'migrant_officer', 'analyst')),
  region_code          TEXT NOT NULL,  -- a region code, or 'ID' for national
  agency_id            INTEGER NOT NULL REFERENCES agencies(id),
  password_hash        TEXT NOT NULL,
  disabled             INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  version              INTEGER NOT NULL DEFAULT 1,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
);

-- Only a hash of each session token is kept.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  address    TEXT NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

-- Append-only; each entry's hash covers the previous entry's hash.
CREATE TABLE audit_entries (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  address   TEXT NOT NULL,
  action    TEXT NOT NULL,
  target    TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
)sql";

// Person search (domain/person_service.h) finds records by NIK and by phone number.
// (Dropped again by migration 6, kPersonKeys.)
// Old versions are indexed too (an index cannot follow source_records.current_version);
// the query keeps only current ones. Partial: most records have neither.
constexpr const char* kPersonSearch = R"sql(
CREATE INDEX record_versions_nik ON record_versions(nik) WHERE nik IS NOT NULL;
CREATE INDEX record_versions_phone ON record_versions(phone) WHERE phone IS NOT NULL;
)sql";

// Statistics (domain/stats_service.h): each current source record reduced to a few
// integers (report/cube.h Fact), kept in person order so that counting distinct
// persons is one pass. Derived data: refreshed from record_versions and
// person_links before each read, using the watermarks in stat_state.
constexpr const char* kStatistics = R"sql(
CREATE TABLE stat_facts (
  person_key       INTEGER NOT NULL,  -- person id; -source_record_id when not linked
  source_record_id INTEGER NOT NULL REFERENCES source_records(id),
  agency_id        INTEGER NOT NULL,
  case_key         INTEGER NOT NULL,
  report_date      INTEGER NOT NULL,
  incident_date    INTEGER NOT NULL,
  origin           INTEGER NOT NULL,
  destination      TEXT NOT NULL,
  exploitation     INTEGER NOT NULL,
  recruitment      INTEGER NOT NULL,
  age              INTEGER NOT NULL,
  sex              INTEGER NOT NULL,
  PRIMARY KEY (person_key, source_record_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX stat_facts_record ON stat_facts(source_record_id);

CREATE TABLE stat_state (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;

-- stat_facts packed into fixed-size binary rows (sqlite_stats.cc), in person
-- order, rewritten whenever stat_facts changes: reading a million facts from here
-- takes a few tens of milliseconds instead of half a second.
CREATE TABLE stat_snapshot (
  chunk INTEGER PRIMARY KEY,
  data  BLOB NOT NULL
);
)sql";

// Person search without indexes on record_versions: kept up row by row they cost an
// import of a million rows 6 s, and built again at commit 1-2 s of a 6 s import
// (bench/RESULTS.md). Instead every version's NIK ('n' + digits) and normalised
// phone ('p' + number) is copied into person_keys, which is derived data: versions
// are never updated or deleted, so it is only ever appended to, up to
// person_keys_state.done, before a search (sqlite_store.cc RefreshPersonKeys). A
// search also scans the versions after `done`, so it is complete even when the
// copy could not be brought up to date. record_versions keeps no secondary index.
constexpr const char* kPersonKeys = R"sql(
DROP INDEX record_versions_nik;
DROP INDEX record_versions_phone;
CREATE TABLE person_keys (
  key        TEXT NOT NULL,
  -- A record_versions.id, copied from there; no foreign key, whose check would
  -- read a random page of record_versions for every key the refresh adds.
  version_id INTEGER NOT NULL,
  PRIMARY KEY (key, version_id)
) WITHOUT ROWID;
CREATE TABLE person_keys_state (
  done INTEGER NOT NULL  -- record_versions.id up to which person_keys is complete
);
INSERT INTO person_keys_state (done) VALUES (0);
)sql";

// What each record says of its person, for person facts (report/person_facts.h).
// stat_facts is derived data: rebuilt from the records on the next read.
constexpr const char* kPersonFacts = R"sql(
DROP TABLE stat_facts;
CREATE TABLE stat_facts (
  person_key       INTEGER NOT NULL,  -- person id; -source_record_id when not linked
  source_record_id INTEGER NOT NULL REFERENCES source_records(id),
  agency_id        INTEGER NOT NULL,
  case_key         INTEGER NOT NULL,
  report_date      INTEGER NOT NULL,
  incident_date    INTEGER NOT NULL,
  origin           INTEGER NOT NULL,
  destination      TEXT NOT NULL,
  exploitation     INTEGER NOT NULL,
  recruitment      INTEGER NOT NULL,
  age              INTEGER NOT NULL,
  sex              INTEGER NOT NULL,
  nik              INTEGER NOT NULL,  -- the valid NIK as a number; 0 = none
  stable_key       INTEGER NOT NULL,  -- agency code and record id hashed
  birth_date       INTEGER NOT NULL,  -- stated, YYYYMMDD; 0 = none
  nik_birth        INTEGER NOT NULL,  -- what the NIK encodes
  nik_origin       INTEGER NOT NULL,
  nik_sex          INTEGER NOT NULL,
  PRIMARY KEY (person_key, source_record_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX stat_facts_record ON stat_facts(source_record_id);
DELETE FROM stat_snapshot;
DELETE FROM stat_state;
)sql";

// Failed logins in the database, so that servers sharing it throttle alike.
constexpr const char* kLoginFailures = R"sql(
CREATE TABLE login_failures (
  key     TEXT PRIMARY KEY,   -- a digest of a username or a client address
  count   INTEGER NOT NULL,
  last_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX login_failures_last ON login_failures(last_ms);
)sql";

// Background jobs in the database, so that every server sharing it sees them and a
// job whose server died is taken over (domain/jobs.h); an upload's bytes are kept
// with its job until it finishes.
constexpr const char* kJobs = R"sql(
CREATE TABLE jobs (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL,
  owner          INTEGER NOT NULL,
  subject        TEXT NOT NULL,
  payload        TEXT NOT NULL,
  dedup_key      TEXT,
  has_file       INTEGER NOT NULL DEFAULT 0,
  state          TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  done           INTEGER NOT NULL DEFAULT 0,
  total          INTEGER NOT NULL DEFAULT 0,
  items          INTEGER NOT NULL DEFAULT 0,
  result         TEXT NOT NULL DEFAULT '',
  error          TEXT NOT NULL DEFAULT '',
  created_at     TEXT NOT NULL,
  started_at     TEXT NOT NULL DEFAULT '',
  finished_at    TEXT NOT NULL DEFAULT '',
  worker         TEXT NOT NULL DEFAULT '',
  lease_until_ms INTEGER NOT NULL DEFAULT 0,
  attempts       INTEGER NOT NULL DEFAULT 0
);
-- One unfinished job per key: the same upload sent twice at once runs once.
CREATE UNIQUE INDEX jobs_unfinished_key ON jobs(dedup_key)
  WHERE state IN ('queued', 'running');
CREATE INDEX jobs_unfinished ON jobs(id) WHERE state IN ('queued', 'running');
CREATE TABLE job_files (
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  seq    INTEGER NOT NULL,
  data   BLOB NOT NULL,
  PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
)sql";

constexpr const char* kJustice = R"sql(
ALTER TABLE import_batches ADD COLUMN kind TEXT NOT NULL DEFAULT 'victims';

-- The stage catalogue (SPEC section 8): data, so that a new law changes rows, not
-- code. Empty until replaced: the SPEC's list (ingest::DefaultStages) applies.
CREATE TABLE legal_stages (
  code       TEXT PRIMARY KEY,
  area       TEXT NOT NULL,
  rank       INTEGER NOT NULL,
  name_id    TEXT NOT NULL,
  name_en    TEXT NOT NULL,
  aliases    TEXT NOT NULL,  -- ';'-separated
  milestones TEXT NOT NULL   -- ';'-separated (ingest::MilestoneNames)
) WITHOUT ROWID;

-- Legal-progress rows: identity and versions, as source_records/record_versions.
CREATE TABLE legal_records (
  id              INTEGER PRIMARY KEY,
  agency_id       INTEGER NOT NULL REFERENCES agencies(id),
  record_id       TEXT NOT NULL,
  current_version INTEGER NOT NULL,
  content_hash    BLOB NOT NULL,
  UNIQUE (agency_id, record_id)
);
CREATE TABLE legal_versions (
  id                 INTEGER PRIMARY KEY,
  legal_record_id    INTEGER NOT NULL REFERENCES legal_records(id),
  version            INTEGER NOT NULL,
  batch_id           INTEGER NOT NULL REFERENCES import_batches(id),
  line               INTEGER NOT NULL,
  raw                TEXT NOT NULL,
  warnings           TEXT NOT NULL,
  case_ref           TEXT NOT NULL,
  other_refs         TEXT,
  event_date         TEXT NOT NULL,
  stage              TEXT NOT NULL,
  suspect_name       TEXT,
  suspect_nik        TEXT,
  suspect_birth_date TEXT,
  suspect_sex        TEXT,
  suspect_phone      TEXT,
  role               TEXT,
  company            TEXT,
  bank_account       TEXT,
  social_account     TEXT,
  articles           TEXT,
  verdict            TEXT,
  sentence_months    INTEGER,
  fine               INTEGER,
  restitution        INTEGER,
  victim_record_ids  TEXT,
  notes              TEXT,
  UNIQUE (legal_record_id, version)
);

-- The latest justice linkage: agency cases into cases, suspect mentions into
-- suspects. Ids are never given twice (justice_runs keeps the next ones).
CREATE TABLE justice_runs (
  id              INTEGER PRIMARY KEY,
  started_at      TEXT NOT NULL,
  finished_at     TEXT NOT NULL,
  cases           INTEGER NOT NULL,
  suspects        INTEGER NOT NULL,
  next_case_id    INTEGER NOT NULL,
  next_suspect_id INTEGER NOT NULL
);
CREATE TABLE agency_cases (
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  ref_key   TEXT NOT NULL,
  case_ref  TEXT NOT NULL,
  case_id   INTEGER NOT NULL,
  PRIMARY KEY (agency_id, ref_key)
) WITHOUT ROWID;
CREATE INDEX agency_cases_case ON agency_cases(case_id);
CREATE TABLE suspect_links (
  legal_record_id INTEGER PRIMARY KEY REFERENCES legal_records(id),
  suspect_id      INTEGER NOT NULL
);
CREATE INDEX suspect_links_suspect ON suspect_links(suspect_id);
CREATE TABLE justice_review (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('case', 'suspect')),
  a           TEXT NOT NULL,
  b           TEXT NOT NULL,
  probability REAL NOT NULL,
  evidence    TEXT NOT NULL
);
)sql";

constexpr std::array<Migration, 10> kMigrations = {{
    {1, "initial: reference data, agencies, imports, source records, quarantine",
     kInitial},
    {2, "record linkage: persons, links, runs, review queue, decisions", kPersons},
    {3, "access: users, sessions, audit trail, agency versions", kAccess},
    {4, "person search: record versions by NIK and by phone", kPersonSearch},
    {5, "statistics: compact facts per current record", kStatistics},
    {6, "person search: NIK and phone keys derived from versions, no index on them",
     kPersonKeys},
    {7, "person facts: what each record says of its person", kPersonFacts},
    {8, "login throttling: failed logins shared by every server", kLoginFailures},
    {9, "jobs: background work shared by every server, with uploads' bytes", kJobs},
    {10, "justice: legal-progress rows, stages, agency cases, suspects", kJustice},
}};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace gugus::storage
