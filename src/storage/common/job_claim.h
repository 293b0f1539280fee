#pragma once
// How both backends claim a job (domain/repository.h JobRepository::Claim), each
// inside a transaction of its own that keeps other claimers out.

#include <optional>

#include "domain/repository.h"

namespace gugus::storage {

// Claims the oldest claimable job for `claim`: next() reads it (std::nullopt when
// there is none); a job already claimed claim.max_attempts times (its server died
// each time) is failed by fail_worn(job) and the next one read; take(job) leases
// the job to claim.worker. Returns the job as take() left it in the table, or
// nullopt. The caller commits either way: jobs failed on the way stay failed.
template <typename Next, typename FailWorn, typename Take>
std::optional<domain::Job> ClaimJob(const domain::JobClaim& claim, Next&& next,
                                    FailWorn&& fail_worn, Take&& take) {
  for (;;) {
    std::optional<domain::Job> job = next();
    if (!job) return std::nullopt;
    if (job->attempts >= claim.max_attempts) {
      fail_worn(*job);
      continue;
    }
    take(*job);
    job->state = domain::JobState::kRunning;
    job->worker = claim.worker;
    job->lease_until_ms = claim.lease_until_ms;
    if (job->started_at.empty()) job->started_at = claim.now;
    ++job->attempts;
    return job;
  }
}

}  // namespace gugus::storage
