// Background jobs: heavy work (an upload's import, a relink after a review
// decision) never runs on an HTTP worker thread. Jobs run one at a time, in
// submission order, on one thread of their own (the store has one writer anyway);
// callers poll a job's progress by id.
//
// A job's durable result is what it writes to the store (an import batch, a link
// run); the job records themselves live in memory and are forgotten after
// `keep` finished jobs. Shutdown() lets the running job finish, marks queued jobs
// "cancelled", runs their cleanups, and joins the thread.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace gugus::domain {

enum class JobState { kQueued, kRunning, kDone, kFailed, kCancelled };
std::string_view JobStateName(JobState state);

struct JobProgress {
  uint64_t done = 0, total = 0;  // units of the job's own kind (bytes, steps)
  int64_t items = 0;             // rows read, pairs scored …
};

// What a job's body returns: a JSON document (as text) describing its result.
using JobBody = std::function<absl::StatusOr<std::string>(
    const std::function<void(const JobProgress&)>& report)>;

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
};

class JobQueue {
 public:
  explicit JobQueue(size_t keep = 1000);
  ~JobQueue();  // Shutdown()
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Queues `body`; `cleanup` runs after it (or when it is cancelled), e.g. to delete
  // an uploaded file. FailedPrecondition after Shutdown.
  absl::StatusOr<int64_t> Submit(std::string kind, int64_t owner, std::string subject,
                                 JobBody body, std::function<void()> cleanup = {});
  std::optional<Job> Find(int64_t id) const;
  // Counts by state, for /metrics.
  std::map<JobState, int64_t> Counts() const;
  void Shutdown();

 private:
  struct Entry {
    Job job;
    JobBody body;
    std::function<void()> cleanup;
  };
  void Work();

  const size_t keep_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<int64_t, Entry> jobs_;
  std::deque<int64_t> queue_;
  std::deque<int64_t> finished_;
  int64_t next_id_ = 1;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace gugus::domain
