#include "domain/jobs.h"

#include <sodium.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>
#include <filesystem>

#include "core/date.h"
#include "core/strcat.h"

namespace gugus::domain {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "host:pid:random": names the server in the job table (no personal data).
std::string NewWorkerName() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = 0;
  std::array<unsigned char, 4> random;
  randombytes_buf(random.data(), random.size());
  std::array<char, 9> hex;
  sodium_bin2hex(hex.data(), hex.size(), random.data(), random.size());
  return StrCat(host.data(), ":", getpid(), ":", hex.data());
}

}  // namespace

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
  }
  return "unknown";
}

std::optional<JobState> ParseJobState(std::string_view name) {
  for (JobState s :
       {JobState::kQueued, JobState::kRunning, JobState::kDone, JobState::kFailed})
    if (JobStateName(s) == name) return s;
  return std::nullopt;
}

JobQueue::JobQueue(Store& store, JobQueueOptions options)
    : store_(store), options_(std::move(options)) {
  if (options_.worker.empty()) options_.worker = NewWorkerName();
  worker_ = std::thread([this] { Work(); });
}

JobQueue::~JobQueue() { Shutdown(); }

void JobQueue::Handle(std::string kind, JobHandler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handlers_[std::move(kind)] = std::move(handler);
  wake_ = true;
  cv_.notify_all();
}

absl::StatusOr<AddedJob> JobQueue::Submit(NewJob job) {
  if (Stopping()) return absl::FailedPreconditionError("the server is shutting down");
  job.created_at = NowUtc();
  absl::StatusOr<AddedJob> added = store_.jobs().Add(job);
  if (added.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = true;
    cv_.notify_all();
  }
  return added;
}

absl::StatusOr<std::optional<Job>> JobQueue::Find(int64_t id) {
  absl::StatusOr<std::optional<Job>> job = store_.jobs().Find(id);
  if (!job.ok() || !job->has_value()) return job;
  std::lock_guard<std::mutex> lock(mu_);
  // The store's progress is as old as the last heartbeat; this process knows better.
  if (running_ && running_->id == id && (*job)->state == JobState::kRunning &&
      (*job)->worker == options_.worker)
    (*job)->progress = running_->progress;
  return job;
}

absl::StatusOr<std::vector<std::pair<JobState, int64_t>>> JobQueue::Counts() {
  return store_.jobs().Counts();
}

bool JobQueue::Stopping() {
  std::lock_guard<std::mutex> lock(mu_);
  return stopping_;
}

void JobQueue::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (worker_.joinable()) worker_.join();
}

void JobQueue::Work() {
  auto next_forget = std::chrono::steady_clock::now();
  for (;;) {
    JobClaim claim;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      wake_ = false;
      for (const auto& [kind, handler] : handlers_) claim.kinds.push_back(kind);
    }
    if (!claim.kinds.empty()) {
      claim.worker = options_.worker;
      claim.now_ms = NowMs();
      claim.lease_until_ms = claim.now_ms + options_.lease.count();
      claim.max_attempts = options_.max_attempts;
      claim.now = NowUtc();
      absl::StatusOr<std::optional<Job>> job = store_.jobs().Claim(claim);
      if (!job.ok()) {
        spdlog::warn("{{\"event\":\"job_claim_failed\",\"code\":\"{}\"}}",
                     absl::StatusCodeToString(job.status().code()));
      } else if (job->has_value()) {
        JobHandler handler;
        {
          std::lock_guard<std::mutex> lock(mu_);
          handler = handlers_[(*job)->kind];
        }
        Run(std::move(**job), handler);
        continue;  // look for the next one at once
      }
    }
    if (std::chrono::steady_clock::now() >= next_forget) {
      next_forget = std::chrono::steady_clock::now() + std::chrono::hours(1);
      absl::Status forgot = store_.jobs().Forget(
          FormatUtc(std::chrono::system_clock::now() - options_.keep));
      if (!forgot.ok())
        spdlog::warn("{{\"event\":\"job_forget_failed\",\"code\":\"{}\"}}",
                     absl::StatusCodeToString(forgot.code()));
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, options_.poll, [&] { return stopping_ || wake_; });
  }
}

void JobQueue::Run(Job job, const JobHandler& handler) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = job;
  }
  spdlog::info("{{\"event\":\"job_started\",\"job\":{},\"kind\":\"{}\",\"attempt\":{}}}",
               job.id, job.kind, job.attempts);
  // The lease is renewed (with the progress) until the handler returns.
  std::mutex beat_mu;
  std::condition_variable beat_cv;
  bool finished = false;
  std::thread heartbeat([&] {
    std::unique_lock<std::mutex> lock(beat_mu);
    while (!beat_cv.wait_for(lock, options_.heartbeat, [&] { return finished; })) {
      lock.unlock();
      JobProgress progress;
      {
        std::lock_guard<std::mutex> l(mu_);
        progress = running_->progress;
      }
      absl::Status renewed = store_.jobs().Renew(job.id, options_.worker, progress,
                                                 NowMs() + options_.lease.count());
      if (absl::IsFailedPrecondition(renewed)) {
        spdlog::warn("{{\"event\":\"job_taken_over\",\"job\":{}}}", job.id);
        return;
      }
      lock.lock();
    }
  });

  absl::StatusOr<std::string> result = std::string();
  std::string file;
  if (job.has_file) {
    file =
        (std::filesystem::path(options_.work_dir) / StrCat("job-", job.id, "-", getpid()))
            .string();
    std::error_code ec;
    std::filesystem::create_directories(options_.work_dir, ec);
    if (absl::Status copied = store_.jobs().CopyFile(job.id, file); !copied.ok())
      result = copied;
  }
  if (result.ok()) {
    auto report = [this](const JobProgress& p) {
      std::lock_guard<std::mutex> lock(mu_);
      running_->progress = p;
    };
    const std::function<void(const JobProgress&)> report_fn = report;
    result = handler(JobRun{job, file, report_fn});
  }
  if (!file.empty()) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
  }
  {
    std::lock_guard<std::mutex> lock(beat_mu);
    finished = true;
    beat_cv.notify_all();
  }
  heartbeat.join();

  JobProgress last;
  {
    std::lock_guard<std::mutex> lock(mu_);
    last = running_->progress;
  }
  absl::Status finished_status =
      result.ok()
          ? store_.jobs().Finish(job.id, options_.worker, JobState::kDone, last, *result,
                                 "", NowUtc())
          : store_.jobs().Finish(job.id, options_.worker, JobState::kFailed, last, "",
                                 std::string(result.status().message()), NowUtc());
  if (!finished_status.ok())
    spdlog::warn("{{\"event\":\"job_finish_failed\",\"job\":{},\"code\":\"{}\"}}", job.id,
                 absl::StatusCodeToString(finished_status.code()));
  else
    spdlog::info("{{\"event\":\"job_finished\",\"job\":{},\"state\":\"{}\"}}", job.id,
                 result.ok() ? "done" : "failed");
  std::lock_guard<std::mutex> lock(mu_);
  running_.reset();
}

}  // namespace gugus::domain
