// The append-only, hash-chained audit trail of SPEC section 6: every read of a
// person's identifying data and every change is recorded, and `Verify` detects an
// entry that was altered, deleted or moved.
//
// Each entry's hash is SHA-256 over the previous entry's hash and every field of the
// entry, each field length-prefixed so that no two different entries hash alike by
// moving text across a field boundary. Truncating the tail leaves a valid shorter
// chain: an operator who keeps the head hash elsewhere detects it with
// Verify(expect_head).
//
// Group commit. An HTTP server records an entry per read of personal data, thousands
// a second; a write transaction and an fsync each would serialise every request on
// the disk. So Record queues its entry, and the calls waiting at one moment share one
// transaction (the writer queue of LevelDB's DBImpl::Write): the caller at the front
// of the queue becomes the leader, takes up to kMaxBatch queued entries, appends them
// with AuditRepository::AppendBatch (one transaction that reads the head, chains the
// entries in queue order and commits) without holding the queue's lock, hands the
// result to every caller of that batch, wakes them and passes leadership to the
// next caller in the queue. Callers that queue while a batch is being written go
// into the next one. There is no background thread: the callers do the writing.
//
// Ordering: entries are chained in the order their Record calls entered the queue,
// and the time `at` is taken from the clock at that moment, under the queue's lock,
// so time order is chain order. Calls of one thread appear in the order it made them.
// Durability: Record returns OK only once ITS entry is committed (durable as the
// store's commits are); if the batch fails, every Record of that batch returns the
// error and none of its entries is stored, so a caller must not hand out the data
// whose read it could not record. The chain itself is never left half-written.
// Several processes (the server, the CLI) may append to one database: the store
// reads the head inside each write transaction. Batching happens within one AuditLog,
// so a process should record through a single AuditLog.
//
// Entries never hold personal data: `target` names things by internal ids,
// `detail` holds a JSON object of non-identifying facts.
//
// Ownership: the Store must outlive the AuditLog, and no Record may be running when
// the AuditLog is destroyed. Thread-safety: every method may be called from several
// threads at once; `now` is called under the queue's lock, one call at a time.
// Errors: InvalidArgument for an event without actor or action or with a `detail`
// that is not a JSON object, returned before anything is queued; storage errors as
// they come (for every entry of the failed batch). Verify reports damage in its
// result, not as an error.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/accounts/account.h"
#include "domain/repository.h"

namespace gugus::domain {

struct AuditEvent {
  std::string actor;          // username, "system" or "cli:<user>"
  std::string address;        // client address, "" for the CLI
  std::string action;         // "user.add", "person.read" …
  std::string target;         // "user:siti.rahma", "person:12" …
  std::string detail = "{}";  // a JSON object
};

struct AuditVerification {
  int64_t entries = 0;        // entries read
  bool intact = true;         // no problem found
  int64_t first_bad_seq = 0;  // the sequence number of the first problem (0: none)
  std::string problem;        // what is wrong, in plain English ("" when intact)
  std::string head_hash;      // the last entry's hash ("" for an empty trail)
};

class AuditLog {
 public:
  // The most entries one transaction appends; more waiting callers go into the next.
  static constexpr size_t kMaxBatch = 1024;

  // `now` gives the time to record (ISO 8601 UTC with milliseconds); default: the
  // system clock.
  explicit AuditLog(Store& store, std::function<std::string()> now = {});

  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends one entry for `event` and returns once it is committed, or with the
  // error that kept its batch from being committed.
  absl::Status Record(const AuditEvent& event);

  // Walks the whole trail: sequence numbers 1, 2, 3 … in order, each entry's
  // prev_hash equal to the hash of the entry before, each hash equal to Seal(entry).
  // With `expect_head`, the trail must also hold an entry with that hash (a head
  // recorded earlier); otherwise entries after it were removed.
  absl::StatusOr<AuditVerification> Verify(std::string_view expect_head = "");

  // Hex SHA-256 over prev_hash, seq, at, actor, address, action, target and detail,
  // each preceded by its length as 8 bytes little-endian.
  static std::string Seal(const AuditEntry& entry);

 private:
  // A Record call waiting in the queue; lives on the caller's stack.
  struct Writer {
    AuditEntry entry;
    absl::Status status;
    bool done = false;  // set by the leader that wrote the entry's batch
    std::condition_variable cv;
  };

  Store& store_;
  std::function<std::string()> now_;
  std::mutex mu_;
  std::deque<Writer*> writers_;  // guarded by mu_; the front one is the leader
};

}  // namespace gugus::domain
