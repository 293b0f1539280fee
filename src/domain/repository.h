// Repository interfaces: everything the domain needs from storage, with no SQL.
//
// A backend (src/storage/sqlite today, PostgreSQL later) implements Store. Domain
// services talk only to these interfaces, so a new backend needs no domain change;
// one conformance suite (tests/store_conformance_test.cc) runs against each backend.
//
// Thread-safety: a Store may be shared between threads; each thread gets its own
// connection inside the backend. An ImportTransaction belongs to the thread that
// began it.
// Errors: NotFound for absent entities, AlreadyExists for duplicates,
// FailedPrecondition for a database that needs `gugus init`, Unavailable/Internal
// for I/O and database failures (with the backend's message, never personal data).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/country_index.h"
#include "core/region_index.h"
#include "domain/access.h"
#include "domain/accounts/account.h"
#include "domain/agency.h"
#include "ingest/interchange.h"
#include "report/cube.h"

namespace gugus::domain {

class JusticeRepository;  // domain/justice/justice_repository.h

class ReferenceRepository {
 public:
  virtual ~ReferenceRepository() = default;
  // Replaces all regions/countries in one transaction; agencies keep their codes
  // (a region an agency points to must still exist, else FailedPrecondition).
  virtual absl::Status ReplaceRegions(const std::vector<Region>& regions) = 0;
  virtual absl::Status ReplaceCountries(const std::vector<Country>& countries) = 0;
  // `max_level` bounds what is loaded (kRegency skips districts and villages).
  virtual absl::StatusOr<std::vector<Region>> LoadRegions(
      RegionLevel max_level = RegionLevel::kVillage) = 0;
  virtual absl::StatusOr<std::vector<Country>> LoadCountries() = 0;
};

class AgencyRepository {
 public:
  virtual ~AgencyRepository() = default;
  // Fills agency.id. AlreadyExists when the code is taken; FailedPrecondition when
  // the region is unknown.
  virtual absl::Status Add(Agency& agency) = 0;
  virtual absl::StatusOr<Agency> FindByCode(std::string_view code) = 0;
  virtual absl::StatusOr<std::vector<Agency>> List() = 0;
  // Writes name, type and region when the stored version equals agency.version,
  // then bumps agency.version. Aborted when stale; NotFound when absent;
  // FailedPrecondition when the region is unknown.
  virtual absl::Status Update(Agency& agency) = 0;
};

// Counts of one import, as reported to the user and kept with the batch.
struct ImportCounts {
  int64_t rows = 0;       // data rows read (blank rows excluded)
  int64_t inserted = 0;   // new source records
  int64_t updated = 0;    // new versions of existing source records
  int64_t unchanged = 0;  // identical to the current version
  int64_t rejected = 0;   // quarantined rows
  int64_t warnings = 0;   // accepted rows with at least one warning
  int64_t blank = 0;      // rows with no value at all, skipped
};

struct ImportFileMeta {
  int64_t agency_id = 0;
  std::string file_name;         // base name only: paths may hold personal data
  std::string digest;            // hex BLAKE2b-256 of the file's bytes (given at commit)
  std::string format;            // "csv", "xlsx", "jsonl"
  std::string kind = "victims";  // or "legal" (ingest::FileKindName)
  std::string encoding;
  std::string delimiter;
  std::vector<std::string> header;
};

struct ImportBatch {
  int64_t id = 0;
  std::string agency_code;
  ImportFileMeta meta;
  ImportCounts counts;
  std::string started_at;  // ISO 8601 UTC
  std::string finished_at;
};

enum class UpsertResult { kInserted, kUpdated, kUnchanged };

// All writes of one file. Nothing is visible to others until Commit(); destroying an
// uncommitted transaction rolls everything back. `Parsed` is what a row of the
// file's kind parses into: ingest::ParsedRecord for victim files (ImportTransaction),
// ingest::ParsedLegal for legal-progress files (justice_repository.h).
template <typename Parsed>
class BasicImportTransaction {
 public:
  virtual ~BasicImportTransaction() = default;
  virtual int64_t batch_id() const = 0;
  // Stores `record` as (agency, record_id)'s first or next version unless its
  // `content_hash` equals the current version's. `raw_cells` and `warnings` are in
  // their stored form (ingest/stored_form.h). A record id new in this transaction
  // may be upserted once: a second time fails with FailedPrecondition, at once or at
  // Commit (callers reject repeated ids within a file before they get here). Writes
  // may be buffered until Commit, so the store takes the strings it is given rather
  // than copying them; the caller's objects are left valid with unspecified contents.
  virtual absl::StatusOr<UpsertResult> Upsert(Parsed&& record, std::string&& raw_cells,
                                              std::string&& warnings, int64_t line,
                                              std::string_view content_hash) = 0;
  // `text` is the row's source text when it could not be split into cells, else "".
  // `raw_cells` and `reasons` are in their stored form (ingest/stored_form.h).
  virtual absl::Status Reject(int64_t line, const std::string& raw_cells,
                              std::string_view text, const std::string& reasons) = 0;
  // Makes everything visible at once, recording the counts and the file's digest
  // (computed while the rows were being stored).
  virtual absl::Status Commit(const ImportCounts& counts, std::string_view digest) = 0;
};
using ImportTransaction = BasicImportTransaction<ingest::ParsedRecord>;

// What the command line and other trusted callers read: every record. Requests made
// for a principal pass domain::ScopeOf(principal) instead.
inline RecordScope WholeStore() {
  RecordScope scope;
  scope.everything = true;
  return scope;
}

// One source record version as stored.
struct StoredRecord {
  int64_t source_record_id = 0;
  int64_t person_id = 0;  // the linked person; 0 until `gugus link` has seen it
  std::string agency_code;
  int64_t version = 0;
  int64_t batch_id = 0;
  int64_t line = 0;
  std::string imported_at;
  ingest::ParsedRecord parsed;                           // values and warnings
  std::vector<std::pair<std::string, std::string>> raw;  // header → cell as submitted
};

struct StoredReject {
  int64_t batch_id = 0;
  std::string agency_code;
  std::string file_name;
  int64_t line = 0;
  std::vector<std::pair<std::string, std::string>> raw;
  std::string text;  // source text of a row that could not be split into cells
  std::vector<ingest::Issue> reasons;
};

// Every criterion given must hold. Only records visible under `scope` are returned
// (domain/access.h: CanSee over the agency's region and the current version's
// origin region); the default is the whole store.
struct RecordQuery {
  std::string agency_code;  // "" = every agency
  std::string record_id;    // exact
  std::string nik;          // exact 16 digits
  std::string phone;        // exact, normalised as stored ("+62…")
  std::string name;         // case-insensitive substring of the cleaned name
  std::vector<int64_t> source_record_ids;  // any of these (empty: no condition)
  std::vector<int64_t> person_ids;         // linked to any of these persons
  bool all_versions = false;
  bool with_raw = true;  // false leaves StoredRecord::raw empty (cheaper)
  int limit = 50;
  int offset = 0;  // skip this many (pagination)
  RecordScope scope = WholeStore();
};

struct StoreSummary {
  int64_t regions = 0, countries = 0, agencies = 0, batches = 0;
  int64_t source_records = 0, versions = 0, rejects = 0;
};

class RecordRepository {
 public:
  virtual ~RecordRepository() = default;
  virtual absl::StatusOr<std::unique_ptr<ImportTransaction>> BeginImport(
      const ImportFileMeta& meta) = 0;
  // The latest committed batch of `agency_id` with this file digest, if any.
  virtual absl::StatusOr<std::optional<ImportBatch>> FindBatch(
      int64_t agency_id, std::string_view digest) = 0;
  // Batches whose agency is visible under `scope` (a batch has no origin region: the
  // agency's region decides, also for secretariats that see records by origin).
  virtual absl::StatusOr<std::vector<ImportBatch>> ListBatches(
      const RecordScope& scope) = 0;
  absl::StatusOr<std::vector<ImportBatch>> ListBatches() {
    return ListBatches(WholeStore());
  }
  // Current versions in (agency code, record_id) order, one call per record, without
  // `raw` (exports need only the parsed values).
  virtual absl::Status ForEachCurrentRecord(
      const std::function<absl::Status(const StoredRecord&)>& visit) = 0;
  virtual absl::StatusOr<std::vector<StoredRecord>> FindRecords(
      const RecordQuery& query) = 0;
  // Quarantined rows of one batch (batch_id > 0) or of all batches, in order, of
  // the batches ListBatches(scope) shows (a rejected row may have no readable origin).
  virtual absl::Status ForEachReject(
      int64_t batch_id, const RecordScope& scope,
      const std::function<absl::Status(const StoredReject&)>& visit) = 0;
  absl::Status ForEachReject(
      int64_t batch_id, const std::function<absl::Status(const StoredReject&)>& visit) {
    return ForEachReject(batch_id, WholeStore(), visit);
  }
  virtual absl::StatusOr<StoreSummary> Summary() = 0;
};

// --- Persons: the result of record linkage ---

// One source record's current values, as linkage reads them.
struct LinkRecord {
  int64_t source_record_id = 0;
  int64_t version = 0;  // the current version's number
  std::string agency_code;
  std::string agency_type;
  ingest::ParsedRecord parsed;  // values only
};

struct PersonLink {
  int64_t source_record_id = 0;
  int64_t person_id = 0;
  int64_t version = 0;  // the record version the link was made from
};

// A linked record as person search indexes it.
struct LinkedName {
  int64_t source_record_id = 0;
  int64_t person_id = 0;
  int64_t agency_id = 0;
  std::string origin_region;  // the current version's, "" when unknown
  std::string name;           // the current version's cleaned name
};

struct LinkState {
  int64_t last_run = 0;      // id of the latest link run
  int64_t last_version = 0;  // latest import, in commit order (SQLite: version id)
  bool operator==(const LinkState&) const = default;
};

enum class Decision { kSame, kDifferent };

// "same" or "different", as stored and as the API spells it.
inline std::string_view DecisionName(Decision d) {
  return d == Decision::kSame ? "same" : "different";
}

// A reviewer's decision on two source records; the latest one per pair binds every
// later run (must-link / cannot-link).
struct LinkDecision {
  int64_t record_a = 0, record_b = 0;  // source record ids, record_a < record_b
  Decision decision = Decision::kSame;
  std::string decided_by;
  std::string decided_at;  // ISO 8601 UTC, set by the store
  std::string note;
};

// A pair the model was unsure about, waiting for a reviewer.
struct ReviewItem {
  int64_t id = 0;
  int64_t record_a = 0, record_b = 0;
  double probability = 0;
  std::string evidence;  // each comparison's level and tf adjustment (LinkService)
  // Filled when read back:
  std::string agency_a, record_id_a, agency_b, record_id_b;
  int64_t person_a = 0, person_b = 0;
};

struct LinkRun {
  int64_t id = 0;
  std::string kind;  // "full" or "incremental"
  std::string started_at, finished_at;
  int64_t records = 0, new_records = 0, candidate_pairs = 0, links = 0;
  int64_t persons = 0, review_items = 0;
  std::string model;  // the fitted parameters (JSON), reused by incremental runs
};

// Everything a run changes, written in one transaction.
struct LinkRunWrite {
  LinkRun run;
  std::vector<PersonLink> links;         // new or changed assignments only
  std::vector<int64_t> new_persons;      // person ids to create
  std::vector<int64_t> retired_persons;  // persons left without records
  bool replace_review = false;           // a full run replaces the whole queue
  std::vector<int64_t> review_records;   // else: items touching these are replaced
  std::vector<ReviewItem> review;
};

class LinkRepository {
 public:
  virtual ~LinkRepository() = default;
  // Current versions of every source record, in source_record_id order (import
  // order; LinkService puts them in the order of their stable keys itself).
  virtual absl::Status ForEachLinkRecord(
      const std::function<absl::Status(LinkRecord&&)>& visit) = 0;
  // Every record's person, in source_record_id order.
  virtual absl::StatusOr<std::vector<PersonLink>> Links() = 0;
  // The smallest person id never used.
  virtual absl::StatusOr<int64_t> NextPersonId() = 0;
  virtual absl::StatusOr<std::optional<LinkRun>> LastRun() = 0;
  // Fills write.run.id.
  virtual absl::Status SaveRun(LinkRunWrite& write) = 0;
  // Appends a decision (history is kept; the latest per pair binds).
  virtual absl::Status AddDecision(const LinkDecision& decision) = 0;
  virtual absl::StatusOr<std::vector<LinkDecision>> Decisions() = 0;
  // The binding (latest) decision on one pair of source records, if any.
  virtual absl::StatusOr<std::optional<LinkDecision>> DecisionOn(int64_t record_a,
                                                                 int64_t record_b) = 0;
  // Undecided items, the most uncertain (probability nearest 0.5) first, skipping
  // `offset`. Only items whose two records are both visible under `scope`: a
  // decision merges or splits persons, so a reviewer must see both sides.
  virtual absl::StatusOr<std::vector<ReviewItem>> ReviewQueue(int limit,
                                                              const RecordScope& scope,
                                                              int offset) = 0;
  absl::StatusOr<std::vector<ReviewItem>> ReviewQueue(int limit) {
    return ReviewQueue(limit, WholeStore(), 0);
  }
  // How many undecided items ReviewQueue would list under `scope` in all.
  virtual absl::StatusOr<int64_t> CountReviewQueue(const RecordScope& scope) = 0;
  // NotFound when absent or when either record is outside `scope` (one message).
  virtual absl::StatusOr<ReviewItem> FindReviewItem(int64_t id,
                                                    const RecordScope& scope) = 0;
  absl::StatusOr<ReviewItem> FindReviewItem(int64_t id) {
    return FindReviewItem(id, WholeStore());
  }
  // Every linked record's current name and places, for the person search index
  // (domain/person_service.h), in source_record_id order.
  virtual absl::Status ForEachLinkedName(
      const std::function<absl::Status(LinkedName&&)>& visit) = 0;
  // Changes whenever what ForEachLinkedName reads may have changed: a link run or a
  // new record version. Cheap (two index look-ups).
  virtual absl::StatusOr<LinkState> State() = 0;
  // (agency code, record_id, person id) of every linked record, in that order.
  virtual absl::Status ForEachExportLink(
      const std::function<absl::Status(std::string_view, std::string_view, int64_t)>&
          visit) = 0;
};

// --- Accounts and sessions ---

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  // Fills user.id, version, created_at/updated_at. AlreadyExists when the username
  // is taken; FailedPrecondition when the agency id is unknown.
  virtual absl::Status AddUser(User& user) = 0;
  virtual absl::StatusOr<User> FindUser(std::string_view username) = 0;  // NotFound
  virtual absl::StatusOr<User> FindUserById(int64_t id) = 0;             // NotFound
  virtual absl::StatusOr<std::vector<User>> ListUsers() = 0;             // by username
  // Writes role, region, agency, password hash, disabled and must_change_password
  // when the stored version equals user.version, then bumps user.version and
  // updated_at. Aborted when the version is stale (someone else changed it first);
  // NotFound when absent.
  virtual absl::Status UpdateUser(User& user) = 0;
  virtual absl::Status AddSession(const Session& session) = 0;
  virtual absl::StatusOr<Session> FindSession(std::string_view token_hash) = 0;
  virtual absl::Status RevokeSession(std::string_view token_hash) = 0;
  // Revokes every session of the user (disable, password reset).
  virtual absl::Status RevokeUserSessions(int64_t user_id) = 0;

  // Failed logins, counted per key (AccountService's digest of a username or a
  // client address) in the database, so that every server sharing it throttles
  // alike. Times are milliseconds since the epoch.
  //
  // The failures recorded under each of `keys`, in the order given (count 0 for a
  // key without any).
  virtual absl::StatusOr<std::vector<LoginFailures>> FindLoginFailures(
      const std::vector<std::string>& keys) = 0;
  // Adds one failure at `now_ms` under each key, atomically: a key whose last failure
  // is older than `forget_before_ms` starts again at 1, and every key whose last
  // failure is older than that is deleted.
  virtual absl::Status AddLoginFailure(const std::vector<std::string>& keys,
                                       int64_t now_ms, int64_t forget_before_ms) = 0;
  // Forgets the keys' failures (a successful login).
  virtual absl::Status ClearLoginFailures(const std::vector<std::string>& keys) = 0;
};

// --- Audit trail ---

struct AuditQuery {
  int64_t after_seq = 0;  // entries with seq > after_seq
  std::string actor;      // exact, "" = any
  std::string action;     // exact, "" = any
  int limit = 100;
};

class AuditRepository {
 public:
  using SealFn = std::function<std::string(const AuditEntry&)>;

  virtual ~AuditRepository() = default;
  // Appends `entries` to the chain, in the order given, as one write transaction:
  // takes the write lock, reads the current last entry (seq, hash) inside that
  // transaction, then for each entry in turn sets seq to the previous seq + 1 and
  // prev_hash to the previous entry's hash, calls `seal(entry)` for entry.hash, and
  // stores it; then commits. The head is never cached across calls, so appends from
  // other processes sharing the database (the CLI) and from other connections of
  // this one chain correctly; concurrent appends cannot fork the chain.
  // Durability: when it returns OK every entry is committed as durably as the store
  // commits anything (SQLite: WAL with synchronous=FULL, fsynced at commit).
  // All or nothing: on error no entry of the batch is stored and `entries` is left
  // as given (seq, prev_hash and hash untouched). An empty batch does nothing.
  virtual absl::Status AppendBatch(std::span<AuditEntry> entries, const SealFn& seal) = 0;
  // A batch of one: on success `entry` holds its seq, prev_hash and hash.
  absl::Status Append(AuditEntry& entry, const SealFn& seal) {
    return AppendBatch(std::span<AuditEntry>(&entry, 1), seal);
  }
  // Every entry in storage order (seq ascending as stored; verification checks it).
  virtual absl::Status ForEachAudit(
      const std::function<absl::Status(const AuditEntry&)>& visit) = 0;
  virtual absl::StatusOr<std::vector<AuditEntry>> FindAudit(const AuditQuery& query) = 0;
};

// --- Statistics ---

class StatsRepository {
 public:
  virtual ~StatsRepository() = default;
  // Brings the compact statistics table up to date with the current record versions
  // and links (cheap when nothing changed since the last call; proportional to what
  // changed otherwise), then loads every current record's Fact in person order with
  // the agencies and destinations they refer to.
  virtual absl::StatusOr<report::FactSet> LoadFacts() = 0;
};

// --- Jobs ---
//
// Heavy work (an upload's import, a relink after a review decision) runs as a job
// in the database, so that every server sharing it sees the job, exactly one server
// runs it, and a job whose server died is taken over (domain/jobs.h). A job holds
// what it needs to run again anywhere: its payload (JSON text) and, for an upload,
// the file's bytes, kept until the job finishes.

enum class JobState { kQueued, kRunning, kDone, kFailed };
std::string_view JobStateName(JobState state);
std::optional<JobState> ParseJobState(std::string_view name);

struct JobProgress {
  uint64_t done = 0, total = 0;  // units of the job's own kind (bytes, steps)
  int64_t items = 0;             // rows read, pairs scored …
};

struct Job {
  int64_t id = 0;
  std::string kind;     // "import", "relink"
  int64_t owner = 0;    // user id of whoever submitted it
  std::string subject;  // e.g. the agency code; no personal data
  JobState state = JobState::kQueued;
  JobProgress progress;
  std::string result;                               // JSON text when done
  std::string error;                                // plain message when failed
  std::string created_at, started_at, finished_at;  // ISO 8601 UTC
  std::string payload;         // JSON text: what the job's handler needs
  bool has_file = false;       // whether bytes were stored with it
  std::string worker;          // the server running it ("" while queued)
  int64_t lease_until_ms = 0;  // the worker holds it until then (Unix ms)
  int attempts = 0;            // times it was claimed
};

struct NewJob {
  std::string kind;
  int64_t owner = 0;
  std::string subject;
  std::string payload = "{}";
  // Non-empty: while a job with this key is queued or running, Add returns that job
  // instead of adding another (the same upload sent twice at once runs once).
  std::string dedup_key;
  std::string file_path;  // non-empty: the file's bytes are stored with the job
  std::string created_at;
};

struct AddedJob {
  int64_t id = 0;
  bool added = false;  // false: an unfinished job with the same dedup_key exists
};

struct JobClaim {
  std::string worker;
  std::vector<std::string> kinds;  // the kinds the worker can run
  int64_t now_ms = 0;
  int64_t lease_until_ms = 0;
  int max_attempts = 3;  // a job claimed this often already fails instead
  std::string now;       // ISO 8601, for started_at / finished_at
};

class JobRepository {
 public:
  virtual ~JobRepository() = default;
  // Stores a queued job (and its file's bytes) in one transaction.
  virtual absl::StatusOr<AddedJob> Add(const NewJob& job) = 0;
  virtual absl::StatusOr<std::optional<Job>> Find(int64_t id) = 0;
  // Takes the oldest job of claim.kinds that is queued, or running with a lease that
  // ended before claim.now_ms (its worker died): it becomes running, held by
  // claim.worker until claim.lease_until_ms, attempts + 1. One job goes to one
  // claimant, whichever server asks (PostgreSQL: FOR UPDATE SKIP LOCKED). A job
  // already claimed max_attempts times is failed instead (it keeps killing its
  // servers) and the next one is looked at. nullopt when none waits.
  virtual absl::StatusOr<std::optional<Job>> Claim(const JobClaim& claim) = 0;
  // Records progress and extends the lease; FailedPrecondition when `worker` no
  // longer holds the job (another server took it over).
  virtual absl::Status Renew(int64_t id, std::string_view worker,
                             const JobProgress& progress, int64_t lease_until_ms) = 0;
  // Ends a job `worker` holds: done (with result) or failed (with error), with its
  // last progress; the stored file is deleted. FailedPrecondition when the worker no
  // longer holds it.
  virtual absl::Status Finish(int64_t id, std::string_view worker, JobState state,
                              const JobProgress& progress, std::string_view result,
                              std::string_view error, std::string_view finished_at) = 0;
  // Writes the job's stored file to `path` (created or replaced). NotFound when the
  // job has none (left).
  virtual absl::Status CopyFile(int64_t id, const std::string& path) = 0;
  // Counts by state, for /metrics.
  virtual absl::StatusOr<std::vector<std::pair<JobState, int64_t>>> Counts() = 0;
  // Deletes jobs that finished before `finished_before` (ISO 8601).
  virtual absl::Status Forget(std::string_view finished_before) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual ReferenceRepository& reference() = 0;
  virtual AgencyRepository& agencies() = 0;
  virtual RecordRepository& records() = 0;
  virtual LinkRepository& links() = 0;
  virtual AccountRepository& accounts() = 0;
  virtual AuditRepository& audit() = 0;
  virtual StatsRepository& stats() = 0;
  virtual JobRepository& jobs() = 0;
  virtual JusticeRepository& justice() = 0;
};

}  // namespace gugus::domain
