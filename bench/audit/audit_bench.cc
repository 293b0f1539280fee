// audit_bench: how many audit entries per second are made durable when 1, 8 or 32
// threads record at once, as HTTP workers do on every read of personal data. Two
// paths, each measured on the same database settings (WAL, synchronous=FULL as gugus
// opens them):
//   group commit       AuditLog::Record (domain/audit_log.h): waiting callers share
//                      a transaction
//   one per entry      AuditRepository::Append per entry, each its own IMMEDIATE
//                      transaction: what Record did before the group commit (less
//                      its check of the event, microseconds)
// Each run uses a fresh database under DIR; every thread first records one entry to
// open its connection, then all start together and record ENTRIES/threads entries
// each. Prints a Markdown table of the medians over RUNS runs: entries per second
// (calls that returned OK), the median, 99th-percentile and largest time one call
// took, entries per transaction, and how many calls failed in all runs together (a
// lock wait past SQLite's busy timeout fails a call).
//
//   audit_bench DIR [ENTRIES=4000] [RUNS=5]
#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/date.h"
#include "domain/audit_log.h"
#include "storage/sqlite/sqlite_store.h"

namespace {

using gugus::domain::AuditEntry;
using gugus::domain::AuditLog;
using gugus::domain::AuditRepository;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1,
                    static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// The store's audit repository, counting its transactions.
class CountingAudit : public AuditRepository {
 public:
  explicit CountingAudit(AuditRepository& inner) : inner_(inner) {}
  absl::Status AppendBatch(std::span<AuditEntry> entries, const SealFn& seal) override {
    ++batches_;
    return inner_.AppendBatch(entries, seal);
  }
  absl::Status ForEachAudit(
      const std::function<absl::Status(const AuditEntry&)>& visit) override {
    return inner_.ForEachAudit(visit);
  }
  absl::StatusOr<std::vector<AuditEntry>> FindAudit(
      const gugus::domain::AuditQuery& query) override {
    return inner_.FindAudit(query);
  }
  int64_t batches() const { return batches_; }

 private:
  AuditRepository& inner_;
  std::atomic<int64_t> batches_{0};
};

class CountingStore : public gugus::domain::Store {
 public:
  explicit CountingStore(gugus::domain::Store& inner)
      : inner_(inner), audit_(inner.audit()) {}
  gugus::domain::ReferenceRepository& reference() override { return inner_.reference(); }
  gugus::domain::AgencyRepository& agencies() override { return inner_.agencies(); }
  gugus::domain::RecordRepository& records() override { return inner_.records(); }
  gugus::domain::LinkRepository& links() override { return inner_.links(); }
  gugus::domain::AccountRepository& accounts() override { return inner_.accounts(); }
  CountingAudit& audit() override { return audit_; }
  gugus::domain::StatsRepository& stats() override { return inner_.stats(); }
  gugus::domain::JobRepository& jobs() override { return inner_.jobs(); }
  gugus::domain::JusticeRepository& justice() override { return inner_.justice(); }

 private:
  gugus::domain::Store& inner_;
  CountingAudit audit_;
};

enum class Path { kGroupCommit, kOnePerEntry };

struct Run {
  double per_second = 0, median_ms = 0, p99_ms = 0, max_ms = 0, per_batch = 0;
  int failed = 0;
  bool ok = false;
};

void Remove(const std::string& db) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
}

Run Measure(const std::string& db, Path path, int threads, int entries) {
  Remove(db);
  Run run;
  auto opened =
      gugus::storage::OpenSqliteStore(db, gugus::storage::OpenMode::kCreateOrUpgrade);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", std::string(opened.status().message()).c_str());
    return run;
  }
  CountingStore store(**opened);
  AuditLog log(store);
  const int each = (entries + threads - 1) / threads;
  std::vector<std::vector<double>> latencies(static_cast<size_t>(threads));
  std::vector<int> failures(static_cast<size_t>(threads), 0);
  std::barrier start(threads + 1);
  std::atomic<bool> reported{false};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const std::string actor = "user" + std::to_string(t);
      const std::string address = "10.0.0." + std::to_string(t + 1);
      auto record = [&](int i) {
        const std::string target = "person:" + std::to_string(i);
        absl::Status s;
        if (path == Path::kGroupCommit) {
          s = log.Record({actor, address, "person.read", target, "{\"fields\":12}"});
        } else {
          AuditEntry e;
          e.at = gugus::FormatUtc(std::chrono::system_clock::now(), true);
          e.actor = actor;
          e.address = address;
          e.action = "person.read";
          e.target = target;
          e.detail = "{\"fields\":12}";
          s = store.audit().Append(e, &AuditLog::Seal);
        }
        if (!s.ok() && !reported.exchange(true))
          std::fprintf(stderr, "a call failed: %s\n", s.ToString().c_str());
        return s;
      };
      if (!record(0).ok()) ++failures[static_cast<size_t>(t)];
      start.arrive_and_wait();
      std::vector<double>& mine = latencies[static_cast<size_t>(t)];
      mine.reserve(static_cast<size_t>(each));
      for (int i = 1; i <= each; ++i) {
        auto before = Clock::now();
        if (!record(i).ok()) ++failures[static_cast<size_t>(t)];
        mine.push_back(Ms(before, Clock::now()));
      }
    });
  }
  start.arrive_and_wait();
  auto begin = Clock::now();
  const int64_t batches_at_start = store.audit().batches();
  for (auto& w : workers) w.join();
  const double seconds = Ms(begin, Clock::now()) / 1000;
  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  for (int f : failures) run.failed += f;
  const double ok = static_cast<double>(static_cast<int>(all.size()) - run.failed);
  run.per_second = ok / seconds;
  run.median_ms = Percentile(all, 0.5);
  run.p99_ms = Percentile(all, 0.99);
  run.max_ms = Percentile(all, 1.0);
  // Every warm-up call returned before the start.
  run.per_batch = static_cast<double>(all.size()) /
                  static_cast<double>(
                      std::max<int64_t>(1, store.audit().batches() - batches_at_start));
  run.ok = true;
  opened->reset();
  Remove(db);
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: audit_bench DIR [ENTRIES] [RUNS]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const int entries = argc > 2 ? std::atoi(argv[2]) : 4000;
  const int runs = argc > 3 ? std::atoi(argv[3]) : 5;
  std::filesystem::create_directories(dir);
  std::printf(
      "| path | threads | entries per run | runs | entries/s | median ms per call | "
      "p99 ms | max ms | entries per transaction | failed calls |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (Path path : {Path::kOnePerEntry, Path::kGroupCommit}) {
    for (int threads : {1, 8, 32}) {
      std::vector<double> rates, medians, p99s, maxes, per_batch;
      int failed = 0;
      for (int r = 0; r < runs; ++r) {
        Run run = Measure(dir + "/audit.db", path, threads, entries);
        if (!run.ok) return 1;
        rates.push_back(run.per_second);
        medians.push_back(run.median_ms);
        p99s.push_back(run.p99_ms);
        maxes.push_back(run.max_ms);
        per_batch.push_back(run.per_batch);
        failed += run.failed;
      }
      const int each = (entries + threads - 1) / threads;
      std::printf("| %s | %d | %d | %d | %.0f | %.2f | %.2f | %.1f | %.1f | %d |\n",
                  path == Path::kGroupCommit ? "group commit" : "one per entry", threads,
                  each * threads, runs, Percentile(rates, 0.5), Percentile(medians, 0.5),
                  Percentile(p99s, 0.5), Percentile(maxes, 0.5),
                  Percentile(per_batch, 0.5), failed);
      std::fflush(stdout);
    }
  }
  return 0;
}
