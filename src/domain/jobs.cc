#include "domain/jobs.h"

#include "core/date.h"

namespace gugus::domain {

std::string_view JobStateName(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kDone:
      return "done";
    case JobState::kFailed:
      return "failed";
    case JobState::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

JobQueue::JobQueue(size_t keep) : keep_(keep), worker_([this] { Work(); }) {}

JobQueue::~JobQueue() { Shutdown(); }

absl::StatusOr<int64_t> JobQueue::Submit(std::string kind, int64_t owner,
                                         std::string subject, JobBody body,
                                         std::function<void()> cleanup) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) {
    if (cleanup) cleanup();
    return absl::FailedPreconditionError("the server is shutting down");
  }
  int64_t id = next_id_++;
  Entry& e = jobs_[id];
  e.job.id = id;
  e.job.kind = std::move(kind);
  e.job.owner = owner;
  e.job.subject = std::move(subject);
  e.job.created_at = NowUtc();
  e.body = std::move(body);
  e.cleanup = std::move(cleanup);
  queue_.push_back(id);
  cv_.notify_one();
  return id;
}

std::optional<Job> JobQueue::Find(int64_t id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second.job;
}

std::map<JobState, int64_t> JobQueue::Counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<JobState, int64_t> out;
  for (const auto& [id, e] : jobs_) ++out[e.job.state];
  return out;
}

void JobQueue::Shutdown() {
  std::deque<int64_t> cancelled;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && !worker_.joinable()) return;
    stopping_ = true;
    cancelled.swap(queue_);
    cv_.notify_all();
  }
  if (worker_.joinable()) worker_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (int64_t id : cancelled) {
    Entry& e = jobs_[id];
    e.job.state = JobState::kCancelled;
    e.job.error = "cancelled: the server stopped before the job ran";
    e.job.finished_at = NowUtc();
    if (e.cleanup) e.cleanup();
    e.cleanup = nullptr;
  }
}

void JobQueue::Work() {
  for (;;) {
    int64_t id = 0;
    JobBody body;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      id = queue_.front();
      queue_.pop_front();
      Entry& e = jobs_[id];
      e.job.state = JobState::kRunning;
      e.job.started_at = NowUtc();
      body = std::move(e.body);
    }
    auto report = [this, id](const JobProgress& p) {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_[id].job.progress = p;
    };
    absl::StatusOr<std::string> result = body(report);
    std::function<void()> cleanup;
    {
      std::lock_guard<std::mutex> lock(mu_);
      Entry& e = jobs_[id];
      e.job.finished_at = NowUtc();
      if (result.ok()) {
        e.job.state = JobState::kDone;
        e.job.result = std::move(*result);
      } else {
        e.job.state = JobState::kFailed;
        e.job.error = std::string(result.status().message());
      }
      cleanup = std::move(e.cleanup);
      e.cleanup = nullptr;
      finished_.push_back(id);
      while (finished_.size() > keep_) {
        jobs_.erase(finished_.front());
        finished_.pop_front();
      }
    }
    if (cleanup) cleanup();
  }
}

}  // namespace gugus::domain
