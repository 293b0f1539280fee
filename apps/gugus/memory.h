// The server process's memory: returning freed heap memory to the system, and what
// the heap and SQLite hold, for /metrics.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace gugus {

// Replacing an index or a fact set, and every import or link run, frees hundreds
// of MiB in blocks under the mmap threshold, which glibc keeps in its per-thread
// heaps; each heap comes to keep its own peak (measured in the soak of bench/http:
// 150 MiB kept free after a minute of imports, 1.7 GiB after eight, RSS rising
// 100 MiB a minute). While a HeapTrimmer lives, every 5 s, when the resident memory
// that is neither in use nor mapped apart (free memory still resident, beside the
// program itself) has grown by 64 MiB since the last trim, the free pages of every
// heap go back to the system (malloc_trim: 50-100 ms under that load).
class HeapTrimmer {
 public:
  HeapTrimmer();
  ~HeapTrimmer();  // stops the thread
  HeapTrimmer(const HeapTrimmer&) = delete;
  HeapTrimmer& operator=(const HeapTrimmer&) = delete;

 private:
  void Run();
  std::mutex mu_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread thread_;
};

// Prometheus text: gugus_sqlite_memory_bytes, gugus_heap_bytes{kind=in_use|free|mapped}.
std::string MemoryMetrics();

}  // namespace gugus
