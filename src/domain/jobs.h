// Background jobs: heavy work (an upload's import, a relink after a review
// decision) never runs on an HTTP worker thread. A job is stored in the database
// (JobRepository) with everything it needs to run, so that several servers sharing
// one database share the work:
//   - Submit stores the job (an upload's bytes with it) and returns its id; any
//     server answers Find for it.
//   - Each JobQueue has one worker thread that claims jobs of the kinds it has a
//     handler for, one at a time, oldest first. A claim holds the job for a lease
//     (`lease`), renewed with the job's progress every `heartbeat` while it runs; a
//     server that dies stops renewing, and when the lease has passed another
//     server's queue (or this one's after a restart) claims the job again and runs
//     it from the start. Handlers are therefore written to be run again: an import
//     is one transaction and the same file again changes nothing, a relink is
//     idempotent.
//   - Submitting the same upload (same dedup key) while it is queued or running
//     gives the job already there.
// The worker looks for jobs every `poll` and at once when this process submits one.
// Shutdown() lets the running job finish, leaves queued jobs in the database for
// the next server, and joins the threads.
// Thread-safe. The Store must outlive the queue.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/repository.h"

namespace gugus::domain {

// What a handler gets: the job (kind, owner, subject, payload), the local path of
// its file ("" when it has none; removed after the handler returns) and a way to
// report progress.
struct JobRun {
  const Job& job;
  const std::string& file;
  const std::function<void(const JobProgress&)>& report;
};

// A handler returns a JSON document (as text) describing its result, or the error
// the job fails with.
using JobHandler = std::function<absl::StatusOr<std::string>(const JobRun& run)>;

struct JobQueueOptions {
  std::chrono::milliseconds lease{30'000};
  std::chrono::milliseconds heartbeat{1'000};
  std::chrono::milliseconds poll{1'000};
  int max_attempts = 3;
  std::string work_dir = "var/uploads";  // where a job's file is written to run it
  std::chrono::hours keep{24 * 7};       // finished jobs are forgotten after this
  std::string worker;                    // "" : a random name for this process
};

class JobQueue {
 public:
  explicit JobQueue(Store& store, JobQueueOptions options = {});
  ~JobQueue();  // Shutdown()
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Runs jobs of `kind` with `handler` from now on (register before submitting).
  void Handle(std::string kind, JobHandler handler);

  // Stores a job. With a file, its bytes are stored too (the caller may delete the
  // file afterwards). AddedJob.added is false when an unfinished job with the same
  // dedup key was there (its id is returned). FailedPrecondition after Shutdown.
  absl::StatusOr<AddedJob> Submit(NewJob job);
  // A job as stored; while this process runs it, with its latest progress.
  absl::StatusOr<std::optional<Job>> Find(int64_t id);
  // Counts by state, for /metrics.
  absl::StatusOr<std::vector<std::pair<JobState, int64_t>>> Counts();
  // Stops claiming, lets the running job finish, joins the worker.
  void Shutdown();

  const std::string& worker() const { return options_.worker; }

 private:
  void Work();
  // Runs one claimed job to its end (or until another server took it over).
  void Run(Job job, const JobHandler& handler);
  bool Stopping();

  Store& store_;
  JobQueueOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, JobHandler> handlers_;
  bool wake_ = false;
  bool stopping_ = false;
  std::optional<Job> running_;  // the job this process runs now, with its progress
  std::thread worker_;
};

}  // namespace gugus::domain
