// The JobRepository over PostgreSQL: the same contract as storage/sqlite's, shared
// by every server on the database. A claim locks the row it takes with FOR UPDATE
// SKIP LOCKED, so servers claiming at once never get the same job and never wait
// for each other.
#include <fstream>
#include <vector>

#include "core/status.h"
#include "storage/common/job_claim.h"
#include "storage/common/sql.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_util.h"

namespace gugus::storage::pg {
namespace {

using domain::Job;
using domain::JobState;

Job ReadJob(const pqxx::row& row) {
  Job j;
  j.id = row[0].as<int64_t>();
  j.kind = row[1].c_str();
  j.owner = row[2].as<int64_t>();
  j.subject = row[3].c_str();
  std::optional<JobState> state = domain::ParseJobState(row[4].c_str());
  // The schema's CHECK constraint admits only known states.
  if (!state) throw std::runtime_error("a job has an unknown state");
  j.state = *state;
  j.progress.done = row[5].as<uint64_t>();
  j.progress.total = row[6].as<uint64_t>();
  j.progress.items = row[7].as<int64_t>();
  j.result = row[8].c_str();
  j.error = row[9].c_str();
  j.created_at = row[10].c_str();
  j.started_at = row[11].c_str();
  j.finished_at = row[12].c_str();
  j.payload = row[13].c_str();
  j.has_file = row[14].as<int>() != 0;
  j.worker = row[15].c_str();
  j.lease_until_ms = row[16].as<int64_t>();
  j.attempts = row[17].as<int>();
  return j;
}

absl::Status Lost() {
  return absl::FailedPreconditionError("the job is no longer held by this server");
}

class PgJobRepository : public domain::JobRepository {
 public:
  explicit PgJobRepository(ConnectionFn conn) : conn_(std::move(conn)) {}

  absl::StatusOr<domain::AddedJob> Add(const domain::NewJob& job) override {
    return Guard("cannot store the job", [&]() -> absl::StatusOr<domain::AddedJob> {
      Connection& c = conn_();
      // Two servers adding the same key at once: the second insert waits for the
      // first's transaction on the unique index, then finds its job. When that job
      // finished in between, the insert is tried again.
      for (int attempt = 0;; ++attempt) {
        pqxx::work w(c.get());
        std::optional<std::string> key;
        if (!job.dedup_key.empty()) key = job.dedup_key;
        pqxx::result r = w.exec_prepared(
            c.Prepared(StrCat(kInsertJob,
                              " ON CONFLICT (dedup_key) WHERE state IN ('queued', "
                              "'running') DO NOTHING RETURNING id")),
            job.kind, job.owner, job.subject, job.payload, key,
            job.file_path.empty() ? 0 : 1, job.created_at);
        if (r.empty()) {
          pqxx::result found = w.exec_prepared(
              c.Prepared("SELECT id FROM jobs WHERE dedup_key = $1 AND state IN "
                         "('queued', 'running')"),
              job.dedup_key);
          if (!found.empty()) return domain::AddedJob{found[0][0].as<int64_t>(), false};
          if (attempt == 3)
            return absl::AbortedError(
                "cannot store the job: it kept changing; try again");
          continue;
        }
        const int64_t id = r[0][0].as<int64_t>();
        if (!job.file_path.empty())
          GUGUS_RETURN_IF_ERROR(StoreFile(c, w, id, job.file_path));
        w.commit();
        return domain::AddedJob{id, true};
      }
    });
  }

  absl::StatusOr<std::optional<Job>> Find(int64_t id) override {
    return Guard("cannot read the job", [&]() -> absl::StatusOr<std::optional<Job>> {
      Connection& c = conn_();
      pqxx::read_transaction w(c.get());
      pqxx::result r =
          w.exec_prepared(c.Prepared(StrCat(kJobSelect, " WHERE id = $1")), id);
      if (r.empty()) return std::optional<Job>();
      return std::optional<Job>(ReadJob(r[0]));
    });
  }

  absl::StatusOr<std::optional<Job>> Claim(const domain::JobClaim& claim) override {
    return Guard("cannot claim a job", [&]() -> absl::StatusOr<std::optional<Job>> {
      if (claim.kinds.empty()) return std::optional<Job>();
      Connection& c = conn_();
      std::string kinds;
      for (const std::string& k : claim.kinds)
        kinds += StrCat(kinds.empty() ? "" : ", ", c.get().quote(k));
      const std::string select =
          StrCat(ClaimableJobSql(kinds), " FOR UPDATE SKIP LOCKED");
      pqxx::work w(c.get());
      std::optional<Job> job = ClaimJob(
          claim,
          [&]() -> std::optional<Job> {
            pqxx::result r = w.exec_prepared(c.Prepared(select), claim.now_ms);
            if (r.empty()) return std::nullopt;
            return ReadJob(r[0]);
          },
          [&](const Job& worn) {
            w.exec_prepared(c.Prepared(kFailWornJob), WornJobError(worn.attempts),
                            claim.now, worn.id);
            w.exec_prepared(c.Prepared(kDeleteJobFile), worn.id);
          },
          [&](const Job& job) {
            w.exec_prepared(c.Prepared(kTakeJob), claim.worker, claim.lease_until_ms,
                            claim.now, job.id);
          });
      w.commit();
      return job;
    });
  }

  absl::Status Renew(int64_t id, std::string_view worker,
                     const domain::JobProgress& progress,
                     int64_t lease_until_ms) override {
    return Guard("cannot renew the job", [&]() -> absl::Status {
      Connection& c = conn_();
      pqxx::work w(c.get());
      pqxx::result r =
          w.exec_prepared(c.Prepared(kRenewJob), static_cast<int64_t>(progress.done),
                          static_cast<int64_t>(progress.total), progress.items,
                          lease_until_ms, id, std::string(worker));
      if (r.affected_rows() == 0) return Lost();
      w.commit();
      return absl::OkStatus();
    });
  }

  absl::Status Finish(int64_t id, std::string_view worker, JobState state,
                      const domain::JobProgress& progress, std::string_view result,
                      std::string_view error, std::string_view finished_at) override {
    return Guard("cannot finish the job", [&]() -> absl::Status {
      Connection& c = conn_();
      pqxx::work w(c.get());
      pqxx::result r = w.exec_prepared(
          c.Prepared(kFinishJob), std::string(domain::JobStateName(state)),
          std::string(result), std::string(error), std::string(finished_at),
          static_cast<int64_t>(progress.done), static_cast<int64_t>(progress.total),
          progress.items, id, std::string(worker));
      if (r.affected_rows() == 0) return Lost();
      w.exec_prepared(c.Prepared(kDeleteJobFile), id);
      w.commit();
      return absl::OkStatus();
    });
  }

  absl::Status CopyFile(int64_t id, const std::string& path) override {
    return Guard("cannot read the job's file", [&]() -> absl::Status {
      Connection& c = conn_();
      pqxx::read_transaction w(c.get());
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      if (!out)
        return absl::UnavailableError("cannot write the job's file to the work folder");
      // A chunk at a time: memory stays flat whatever the file's size.
      int64_t seq = 0;
      for (;; ++seq) {
        pqxx::result r = w.exec_prepared(
            c.Prepared("SELECT data FROM job_files WHERE job_id = $1 AND seq = $2"), id,
            seq);
        if (r.empty()) break;
        pqxx::binarystring data(r[0][0]);
        out.write(reinterpret_cast<const char*>(data.data()),
                  static_cast<std::streamsize>(data.size()));
      }
      out.close();
      if (!out)
        return absl::UnavailableError("cannot write the job's file to the work folder");
      if (seq == 0) return absl::NotFoundError("the job's file is gone");
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<std::pair<JobState, int64_t>>> Counts() override {
    using Out = std::vector<std::pair<JobState, int64_t>>;
    return Guard("cannot count jobs", [&]() -> absl::StatusOr<Out> {
      Connection& c = conn_();
      pqxx::read_transaction w(c.get());
      Out out;
      for (const pqxx::row& row : w.exec_prepared(c.Prepared(kCountJobs)))
        if (auto state = domain::ParseJobState(row[0].c_str()))
          out.emplace_back(*state, row[1].as<int64_t>());
      return out;
    });
  }

  absl::Status Forget(std::string_view finished_before) override {
    return Guard("cannot forget old jobs", [&]() -> absl::Status {
      Connection& c = conn_();
      pqxx::work w(c.get());
      w.exec_prepared(c.Prepared(kForgetJobs), std::string(finished_before));
      w.commit();
      return absl::OkStatus();
    });
  }

 private:
  static absl::Status StoreFile(Connection& c, pqxx::work& w, int64_t id,
                                const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::UnavailableError("cannot read the uploaded file");
    const std::string& insert =
        c.Prepared("INSERT INTO job_files (job_id, seq, data) VALUES ($1, $2, $3)");
    std::vector<char> buf(kJobFileChunk);
    for (int64_t seq = 0;; ++seq) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      const std::streamsize n = in.gcount();
      if (n <= 0 && seq > 0) break;
      w.exec_prepared(insert, id, seq,
                      pqxx::binarystring(buf.data(), static_cast<size_t>(n)));
      if (n < static_cast<std::streamsize>(buf.size())) break;
    }
    if (in.bad()) return absl::UnavailableError("cannot read the uploaded file");
    return absl::OkStatus();
  }

  ConnectionFn conn_;
};

}  // namespace

std::unique_ptr<domain::JobRepository> NewJobRepository(ConnectionFn conn) {
  return std::make_unique<PgJobRepository>(std::move(conn));
}

}  // namespace gugus::storage::pg
