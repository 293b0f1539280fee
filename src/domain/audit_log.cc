#include "domain/audit_log.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "core/strcat.h"

namespace gugus::domain {
namespace {

void Absorb(crypto_hash_sha256_state& state, std::string_view field) {
  std::array<unsigned char, 8> length;
  uint64_t n = field.size();
  for (unsigned char& b : length) {
    b = static_cast<unsigned char>(n & 0xff);
    n >>= 8;
  }
  crypto_hash_sha256_update(&state, length.data(), length.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(field.data()),
                            field.size());
}

bool IsJsonObject(const std::string& text) {
  nlohmann::json parsed =
      nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_object();
}

}  // namespace

AuditLog::AuditLog(Store& store, std::function<std::string()> now)
    : store_(store), now_(std::move(now)) {
  static const int ready = sodium_init();
  (void)ready;
  if (!now_) now_ = [] { return FormatUtc(std::chrono::system_clock::now(), true); };
}

std::string AuditLog::Seal(const AuditEntry& entry) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  Absorb(state, entry.prev_hash);
  Absorb(state, StrCat(entry.seq));
  Absorb(state, entry.at);
  Absorb(state, entry.actor);
  Absorb(state, entry.address);
  Absorb(state, entry.action);
  Absorb(state, entry.target);
  Absorb(state, entry.detail);
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256_final(&state, digest.data());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex;
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

absl::Status AuditLog::Record(const AuditEvent& event) {
  if (event.actor.empty())
    return absl::InvalidArgumentError("an audit entry needs an actor");
  if (event.action.empty())
    return absl::InvalidArgumentError("an audit entry needs an action");
  if (!IsJsonObject(event.detail))
    return absl::InvalidArgumentError("an audit entry's detail must be a JSON object");
  Writer w;
  w.entry.actor = event.actor;
  w.entry.address = event.address;
  w.entry.action = event.action;
  w.entry.target = event.target;
  w.entry.detail = event.detail;

  std::unique_lock<std::mutex> lock(mu_);
  // The time is taken where the queue order is decided, so that time order is
  // chain order.
  w.entry.at = now_();
  writers_.push_back(&w);
  while (!w.done && &w != writers_.front()) w.cv.wait(lock);
  if (w.done) return w.status;  // a leader wrote this entry's batch

  // This caller leads: it writes its own entry and those queued behind it. Entries
  // are moved out under the lock; their callers only read `status` and `done`.
  const size_t n = std::min(writers_.size(), kMaxBatch);
  std::vector<AuditEntry> batch;
  batch.reserve(n);
  for (size_t i = 0; i < n; ++i) batch.push_back(std::move(writers_[i]->entry));
  Writer* const last = writers_[n - 1];
  lock.unlock();
  // Callers arriving now queue behind `last` and wait for the next leader.
  absl::Status status = store_.audit().AppendBatch(batch, &AuditLog::Seal);
  lock.lock();
  while (true) {
    Writer* ready = writers_.front();
    writers_.pop_front();
    if (ready != &w) {
      ready->status = status;
      ready->done = true;
      ready->cv.notify_one();
    }
    if (ready == last) break;
  }
  // Hand leadership to the first caller of the next batch.
  if (!writers_.empty()) writers_.front()->cv.notify_one();
  return status;
}

absl::StatusOr<AuditVerification> AuditLog::Verify(std::string_view expect_head) {
  AuditVerification v;
  int64_t expected_seq = 1;
  std::string prev_hash;
  bool head_seen = false;
  auto fail = [&v](int64_t seq, std::string problem) {
    if (!v.intact) return;  // the first problem is the one to report
    v.intact = false;
    v.first_bad_seq = seq;
    v.problem = std::move(problem);
  };
  GUGUS_RETURN_IF_ERROR(store_.audit().ForEachAudit([&](const AuditEntry& e) {
    ++v.entries;
    if (e.seq > expected_seq) {
      fail(expected_seq,
           expected_seq + 1 == e.seq
               ? StrCat("entry ", expected_seq, " is missing")
               : StrCat("entries ", expected_seq, " to ", e.seq - 1, " are missing"));
    } else if (e.seq < expected_seq) {
      fail(e.seq, StrCat("entries are out of order at ", e.seq));
    }
    if (e.hash != Seal(e)) {
      fail(e.seq, StrCat("entry ", e.seq, " was altered"));
    } else if (e.prev_hash != prev_hash) {
      fail(e.seq, StrCat("entry ", e.seq,
                         " does not follow the entry before it: that "
                         "entry was altered, replaced or removed"));
    }
    if (!expect_head.empty() && e.hash == expect_head) head_seen = true;
    prev_hash = e.hash;
    expected_seq = e.seq + 1;
    return absl::OkStatus();
  }));
  v.head_hash = prev_hash;
  if (!expect_head.empty() && !head_seen) {
    fail(expected_seq,
         StrCat("no entry has the expected head hash ", expect_head,
                ": entries at the end of the trail were removed (or the hash is wrong)"));
  }
  return v;
}

}  // namespace gugus::domain
