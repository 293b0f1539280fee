// The records a linkage run works on: named text columns, one value per record, and
// a unique id per record. Column-major, so that each comparison reads only the
// columns it needs. A plain value type; not thread-safe to modify, safe to read from
// many threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gugus::linkage {

struct Records {
  std::vector<std::string> names;                 // column names
  std::vector<std::vector<std::string>> columns;  // columns[c][record]
  std::vector<std::string> ids;                   // unique, one per record
  // Which input a record came from: 0 (left) or 1 (right) when linking two inputs,
  // always 0 when deduplicating one.
  std::vector<uint8_t> source;

  size_t size() const { return ids.size(); }
  // The column's index, or -1.
  int Find(std::string_view name) const {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return static_cast<int>(i);
    return -1;
  }
  // The named column, or nullptr when there is none.
  const std::vector<std::string>* Column(std::string_view name) const {
    int c = Find(name);
    return c < 0 ? nullptr : &columns[static_cast<size_t>(c)];
  }
  std::vector<std::string>* Column(std::string_view name) {
    int c = Find(name);
    return c < 0 ? nullptr : &columns[static_cast<size_t>(c)];
  }
};

}  // namespace gugus::linkage
