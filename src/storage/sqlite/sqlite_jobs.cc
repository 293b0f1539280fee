#include "storage/sqlite/sqlite_jobs.h"

#include <fstream>
#include <vector>

#include "core/status.h"
#include "storage/common/job_claim.h"
#include "storage/common/sql.h"
#include "storage/sqlite/sqlite_util.h"

namespace gugus::storage::internal {
namespace {

using domain::Job;
using domain::JobState;

Job ReadJob(SQLite::Statement& s) {
  Job j;
  j.id = s.getColumn(0).getInt64();
  j.kind = s.getColumn(1).getString();
  j.owner = s.getColumn(2).getInt64();
  j.subject = s.getColumn(3).getString();
  std::optional<JobState> state = domain::ParseJobState(s.getColumn(4).getString());
  // The schema's CHECK constraint admits only known states.
  if (!state) throw std::runtime_error("a job has an unknown state");
  j.state = *state;
  j.progress.done = static_cast<uint64_t>(s.getColumn(5).getInt64());
  j.progress.total = static_cast<uint64_t>(s.getColumn(6).getInt64());
  j.progress.items = s.getColumn(7).getInt64();
  j.result = s.getColumn(8).getString();
  j.error = s.getColumn(9).getString();
  j.created_at = s.getColumn(10).getString();
  j.started_at = s.getColumn(11).getString();
  j.finished_at = s.getColumn(12).getString();
  j.payload = s.getColumn(13).getString();
  j.has_file = s.getColumn(14).getInt() != 0;
  j.worker = s.getColumn(15).getString();
  j.lease_until_ms = s.getColumn(16).getInt64();
  j.attempts = s.getColumn(17).getInt();
  return j;
}

std::string KindList(const std::vector<std::string>& kinds) {
  std::string out;
  for (size_t i = 0; i < kinds.size(); ++i) out += StrCat(i ? ", " : "", "?");
  return out;
}

class SqliteJobRepository : public domain::JobRepository {
 public:
  explicit SqliteJobRepository(std::function<SQLite::Database&()> db)
      : db_(std::move(db)) {}

  absl::StatusOr<domain::AddedJob> Add(const domain::NewJob& job) override {
    return Guard("cannot store the job", [&]() -> absl::StatusOr<domain::AddedJob> {
      SQLite::Database& d = db_();
      // IMMEDIATE: the check for an unfinished job with the key and the insert are
      // one step for every writer of the file.
      SQLite::Transaction tx(d, SQLite::TransactionBehavior::IMMEDIATE);
      if (!job.dedup_key.empty()) {
        SQLite::Statement s(d,
                            "SELECT id FROM jobs WHERE dedup_key = ? AND state IN "
                            "('queued', 'running')");
        s.bind(1, job.dedup_key);
        if (s.executeStep()) return domain::AddedJob{s.getColumn(0).getInt64(), false};
      }
      SQLite::Statement insert(d, kInsertJob);
      insert.bind(1, job.kind);
      insert.bind(2, static_cast<int64_t>(job.owner));
      insert.bind(3, job.subject);
      insert.bind(4, job.payload);
      if (job.dedup_key.empty())
        insert.bind(5);
      else
        insert.bind(5, job.dedup_key);
      insert.bind(6, job.file_path.empty() ? 0 : 1);
      insert.bind(7, job.created_at);
      insert.exec();
      const int64_t id = d.getLastInsertRowid();
      if (!job.file_path.empty()) GUGUS_RETURN_IF_ERROR(StoreFile(d, id, job.file_path));
      tx.commit();
      return domain::AddedJob{id, true};
    });
  }

  absl::StatusOr<std::optional<Job>> Find(int64_t id) override {
    return Guard("cannot read the job", [&]() -> absl::StatusOr<std::optional<Job>> {
      SQLite::Statement s(db_(), StrCat(kJobSelect, " WHERE id = ?"));
      s.bind(1, static_cast<int64_t>(id));
      if (!s.executeStep()) return std::optional<Job>();
      return std::optional<Job>(ReadJob(s));
    });
  }

  absl::StatusOr<std::optional<Job>> Claim(const domain::JobClaim& claim) override {
    return Guard("cannot claim a job", [&]() -> absl::StatusOr<std::optional<Job>> {
      if (claim.kinds.empty()) return std::optional<Job>();
      SQLite::Database& d = db_();
      SQLite::Transaction tx(d, SQLite::TransactionBehavior::IMMEDIATE);
      std::optional<Job> job = ClaimJob(
          claim,
          [&]() -> std::optional<Job> {
            SQLite::Statement s(d, ClaimableJobSql(KindList(claim.kinds)));
            // The kinds' "?" come first in the text and take numbers 1…k; "$1" is
            // bound by its name.
            for (size_t i = 0; i < claim.kinds.size(); ++i)
              s.bind(static_cast<int>(i + 1), claim.kinds[i]);
            s.bind("$1", static_cast<int64_t>(claim.now_ms));
            if (!s.executeStep()) return std::nullopt;
            return ReadJob(s);
          },
          [&](const Job& worn) {
            SQLite::Statement fail(d, kFailWornJob);
            fail.bind(1, WornJobError(worn.attempts));
            fail.bind(2, claim.now);
            fail.bind(3, static_cast<int64_t>(worn.id));
            fail.exec();
            DeleteFile(d, worn.id);
          },
          [&](const Job& job) {
            SQLite::Statement take(d, kTakeJob);
            take.bind(1, claim.worker);
            take.bind(2, static_cast<int64_t>(claim.lease_until_ms));
            take.bind(3, claim.now);
            take.bind(4, static_cast<int64_t>(job.id));
            take.exec();
          });
      tx.commit();
      return job;
    });
  }

  absl::Status Renew(int64_t id, std::string_view worker,
                     const domain::JobProgress& progress,
                     int64_t lease_until_ms) override {
    return Guard("cannot renew the job", [&]() -> absl::Status {
      SQLite::Statement s(db_(), kRenewJob);
      s.bind(1, static_cast<int64_t>(progress.done));
      s.bind(2, static_cast<int64_t>(progress.total));
      s.bind(3, static_cast<int64_t>(progress.items));
      s.bind(4, static_cast<int64_t>(lease_until_ms));
      s.bind(5, static_cast<int64_t>(id));
      s.bind(6, std::string(worker));
      if (s.exec() == 0) return Lost();
      return absl::OkStatus();
    });
  }

  absl::Status Finish(int64_t id, std::string_view worker, JobState state,
                      const domain::JobProgress& progress, std::string_view result,
                      std::string_view error, std::string_view finished_at) override {
    return Guard("cannot finish the job", [&]() -> absl::Status {
      SQLite::Database& d = db_();
      SQLite::Transaction tx(d, SQLite::TransactionBehavior::IMMEDIATE);
      SQLite::Statement s(d, kFinishJob);
      s.bind(1, std::string(domain::JobStateName(state)));
      s.bind(2, std::string(result));
      s.bind(3, std::string(error));
      s.bind(4, std::string(finished_at));
      s.bind(5, static_cast<int64_t>(progress.done));
      s.bind(6, static_cast<int64_t>(progress.total));
      s.bind(7, static_cast<int64_t>(progress.items));
      s.bind(8, static_cast<int64_t>(id));
      s.bind(9, std::string(worker));
      if (s.exec() == 0) return Lost();
      DeleteFile(d, id);
      tx.commit();
      return absl::OkStatus();
    });
  }

  absl::Status CopyFile(int64_t id, const std::string& path) override {
    return Guard("cannot read the job's file", [&]() -> absl::Status {
      SQLite::Statement s(db_(),
                          "SELECT data FROM job_files WHERE job_id = ? ORDER BY seq");
      s.bind(1, static_cast<int64_t>(id));
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      if (!out)
        return absl::UnavailableError("cannot write the job's file to the work folder");
      bool any = false;
      while (s.executeStep()) {
        const SQLite::Column data = s.getColumn(0);
        out.write(static_cast<const char*>(data.getBlob()), data.getBytes());
        any = true;
      }
      out.close();
      if (!out)
        return absl::UnavailableError("cannot write the job's file to the work folder");
      if (!any) return absl::NotFoundError("the job's file is gone");
      return absl::OkStatus();
    });
  }

  absl::StatusOr<std::vector<std::pair<JobState, int64_t>>> Counts() override {
    using Out = std::vector<std::pair<JobState, int64_t>>;
    return Guard("cannot count jobs", [&]() -> absl::StatusOr<Out> {
      SQLite::Statement s(db_(), kCountJobs);
      Out out;
      while (s.executeStep())
        if (auto state = domain::ParseJobState(s.getColumn(0).getString()))
          out.emplace_back(*state, s.getColumn(1).getInt64());
      return out;
    });
  }

  absl::Status Forget(std::string_view finished_before) override {
    return Guard("cannot forget old jobs", [&]() -> absl::Status {
      SQLite::Statement s(db_(), kForgetJobs);
      s.bind(1, std::string(finished_before));
      s.exec();
      return absl::OkStatus();
    });
  }

 private:
  static absl::Status Lost() {
    return absl::FailedPreconditionError("the job is no longer held by this server");
  }

  static absl::Status StoreFile(SQLite::Database& d, int64_t id,
                                const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::UnavailableError("cannot read the uploaded file");
    SQLite::Statement s(d, "INSERT INTO job_files (job_id, seq, data) VALUES (?, ?, ?)");
    std::vector<char> buf(kJobFileChunk);
    for (int64_t seq = 0;; ++seq) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      const std::streamsize n = in.gcount();
      if (n <= 0 && seq > 0) break;
      s.bind(1, static_cast<int64_t>(id));
      s.bind(2, seq);
      s.bind(3, buf.data(), static_cast<int>(n));
      s.exec();
      s.reset();
      if (n < static_cast<std::streamsize>(buf.size())) break;
    }
    if (in.bad()) return absl::UnavailableError("cannot read the uploaded file");
    return absl::OkStatus();
  }

  static void DeleteFile(SQLite::Database& d, int64_t id) {
    SQLite::Statement s(d, kDeleteJobFile);
    s.bind(1, static_cast<int64_t>(id));
    s.exec();
  }

  std::function<SQLite::Database&()> db_;
};

}  // namespace

std::unique_ptr<domain::JobRepository> NewSqliteJobRepository(
    std::function<SQLite::Database&()> db) {
  return std::make_unique<SqliteJobRepository>(std::move(db));
}

}  // namespace gugus::storage::internal
