#include "memory.h"

#include <fmt/format.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>

#include "storage/sqlite/sqlite_store.h"

namespace gugus {
namespace {

constexpr int64_t kSlack = int64_t{64} << 20;
constexpr std::chrono::seconds kEvery{5};

// Resident bytes that the heap neither has in use nor holds in mappings of their
// own: free heap memory still resident, and the program itself.
int64_t ResidentFree() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  const struct mallinfo2 heap = mallinfo2();
  return int64_t{resident} * sysconf(_SC_PAGESIZE) - static_cast<int64_t>(heap.uordblks) -
         static_cast<int64_t>(heap.hblkhd);
}

}  // namespace

HeapTrimmer::HeapTrimmer() : thread_([this] { Run(); }) {}

HeapTrimmer::~HeapTrimmer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_.notify_all();
  thread_.join();
}

void HeapTrimmer::Run() {
  int64_t floor = ResidentFree();  // since the last trim
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_.wait_for(lock, kEvery, [&] { return stopping_; })) {
    const int64_t now = ResidentFree();
    if (now < floor + kSlack) {
      floor = std::min(floor, now);
      continue;
    }
    malloc_trim(0);
    floor = ResidentFree();
  }
}

std::string MemoryMetrics() {
  const struct mallinfo2 heap = mallinfo2();
  return fmt::format(
      "# HELP gugus_sqlite_memory_bytes What SQLite holds (page caches, statements).\n"
      "# TYPE gugus_sqlite_memory_bytes gauge\n"
      "gugus_sqlite_memory_bytes {}\n"
      "# HELP gugus_heap_bytes The C heap: in use, free but kept by the allocator, and "
      "in mappings of their own (large blocks).\n"
      "# TYPE gugus_heap_bytes gauge\n"
      "gugus_heap_bytes{{kind=\"in_use\"}} {}\n"
      "gugus_heap_bytes{{kind=\"free\"}} {}\n"
      "gugus_heap_bytes{{kind=\"mapped\"}} {}\n",
      storage::SqliteMemoryUsed(), heap.uordblks, heap.fordblks, heap.hblkhd);
}

}  // namespace gugus
