// The append-only, hash-chained audit trail of SPEC section 6: every read of a
// person's identifying data and every change is recorded, and `Verify` detects an
// entry that was altered, deleted or moved.
//
// Each entry's hash is SHA-256 over the previous entry's hash and every field of the
// entry, each field length-prefixed so that no two different entries hash alike by
// moving text across a field boundary. The store appends atomically (it reads the
// head and writes the next entry in one transaction), so concurrent Record calls
// never fork the chain. Truncating the tail leaves a valid shorter chain: an operator
// who keeps the head hash elsewhere detects it with Verify(expect_head).
//
// Entries never hold personal data: `target` names things by internal ids,
// `detail` holds a JSON object of non-identifying facts.
//
// Ownership: the Store must outlive the AuditLog. Thread-safety: every method may be
// called from several threads at once.
// Errors: InvalidArgument for an event without actor or action or with a `detail`
// that is not a JSON object; storage errors as they come. Verify reports damage in
// its result, not as an error.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/account.h"
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
  // `now` gives the time to record (ISO 8601 UTC with milliseconds); default: the
  // system clock.
  explicit AuditLog(Store& store, std::function<std::string()> now = {});

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
  Store& store_;
  std::function<std::string()> now_;
};

}  // namespace gugus::domain
