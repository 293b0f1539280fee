// audit_bench: how many audit entries per second AuditLog::Record (domain/audit_log.h)
// makes durable when 1, 8 or 32 threads record at once, as HTTP workers do on every
// read of personal data. Each run uses a fresh database under DIR (WAL,
// synchronous=FULL as gugus opens it); every thread first records one entry to open
// its connection, then all start together and record ENTRIES/threads entries each.
// Prints a Markdown table of the median over RUNS runs: entries per second (calls
// that returned OK), the median and 99th-percentile time one Record call took, and
// how many calls failed in all runs together (e.g. a lock wait past SQLite's busy
// timeout).
//
//   audit_bench DIR [ENTRIES=4000] [RUNS=5]
#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "domain/audit_log.h"
#include "storage/sqlite/sqlite_store.h"

namespace {

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

struct Run {
  double per_second = 0, median_ms = 0, p99_ms = 0;
  int failed = 0;
  bool ok = false;
};

void Remove(const std::string& db) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
}

Run Measure(const std::string& db, int threads, int entries) {
  Remove(db);
  Run run;
  auto opened =
      gugus::storage::OpenSqliteStore(db, gugus::storage::OpenMode::kCreateOrUpgrade);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", std::string(opened.status().message()).c_str());
    return run;
  }
  gugus::domain::AuditLog log(**opened);
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
        absl::Status s = log.Record({actor, address, "person.read",
                                     "person:" + std::to_string(i), "{\"fields\":12}"});
        if (!s.ok() && !reported.exchange(true))
          std::fprintf(stderr, "a Record call failed: %s\n", s.ToString().c_str());
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
  for (auto& w : workers) w.join();
  const double seconds = Ms(begin, Clock::now()) / 1000;
  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  for (int f : failures) run.failed += f;
  run.per_second =
      static_cast<double>(static_cast<int>(all.size()) - run.failed) / seconds;
  run.median_ms = Percentile(all, 0.5);
  run.p99_ms = Percentile(all, 0.99);
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
      "| threads | entries per run | runs | entries/s (median) | "
      "median ms per Record | p99 ms per Record | failed calls |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|---:|\n");
  for (int threads : {1, 8, 32}) {
    std::vector<double> rates, medians, p99s;
    int failed = 0;
    for (int r = 0; r < runs; ++r) {
      Run run = Measure(dir + "/audit.db", threads, entries);
      if (!run.ok) return 1;
      rates.push_back(run.per_second);
      medians.push_back(run.median_ms);
      p99s.push_back(run.p99_ms);
      failed += run.failed;
    }
    const int each = (entries + threads - 1) / threads;
    std::printf("| %d | %d | %d | %.0f | %.2f | %.2f | %d |\n", threads, each * threads,
                runs, Percentile(rates, 0.5), Percentile(medians, 0.5),
                Percentile(p99s, 0.5), failed);
    std::fflush(stdout);
  }
  return 0;
}
