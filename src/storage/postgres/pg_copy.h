// Private to src/storage/postgres: bulk writes by COPY. CopyBuffer collects rows of
// one table as COPY text and writes them with one COPY; IdSource draws ids from a
// sequence in blocks. Used by one thread at a time unless said otherwise.
#pragma once

#include <algorithm>
#include <charconv>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

namespace gugus::storage::pg {

// Whole lines of COPY text (fields escaped and tab-separated), for stream_to to pass
// on as they are.
struct CopyLines {
  std::string text;
};

}  // namespace gugus::storage::pg

// stream_to escapes every field it is given, which costs more than the server's
// whole COPY (a string or two per field, joined one by one): the lines this file
// escapes itself go through unchanged. libpqxx 7 has stream_to::write_raw_line
// for this.
template <>
inline std::string pqxx::internal::TypedCopyEscaper::operator()(
    const gugus::storage::pg::CopyLines* lines) const {
  return lines->text;
}

namespace gugus::storage::pg {

// How much COPY text an import buffers before writing it.
inline constexpr size_t kFlushBytes = 4 << 20;

// Rows of one table as COPY text, written together by Send.
class CopyBuffer {
 public:
  CopyBuffer(std::string table, std::vector<std::string> columns)
      : table_(std::move(table)), columns_(std::move(columns)) {}

  CopyBuffer& Text(std::string_view value) {
    std::string& out = lines_.text;
    size_t start = 0;
    for (size_t i = 0; i < value.size(); ++i) {
      char escaped;
      switch (value[i]) {
        case '\\':
          escaped = '\\';
          break;
        case '\t':
          escaped = 't';
          break;
        case '\n':
          escaped = 'n';
          break;
        case '\r':
          escaped = 'r';
          break;
        default:
          continue;
      }
      out.append(value.substr(start, i - start));
      out.push_back('\\');
      out.push_back(escaped);
      start = i + 1;
    }
    out.append(value.substr(start));
    out.push_back('\t');
    return *this;
  }
  // "" as NULL: the columns where an absent value is NULL.
  CopyBuffer& TextOrNull(std::string_view value) {
    return value.empty() ? Null() : Text(value);
  }
  CopyBuffer& Int(int64_t value) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    lines_.text.append(digits, end);
    lines_.text.push_back('\t');
    return *this;
  }
  CopyBuffer& Null() {
    lines_.text.append("\\N\t");
    return *this;
  }
  // A bytea value given as hex digits.
  CopyBuffer& Hex(std::string_view hex) {
    lines_.text.append("\\\\x");
    lines_.text.append(hex);
    lines_.text.push_back('\t');
    return *this;
  }
  void EndRow() { lines_.text.back() = '\n'; }

  size_t size() const { return lines_.text.size(); }

  // Writes the buffered rows (if any) and empties the buffer, keeping its memory.
  void Send(pqxx::transaction_base& tx) {
    if (lines_.text.empty()) return;
    lines_.text.pop_back();  // stream_to ends the last line itself
    pqxx::stream_to stream(tx, table_, columns_);
    stream << std::tie(lines_);
    stream.complete();
    lines_.text.clear();
  }

 private:
  std::string table_;
  std::vector<std::string> columns_;
  CopyLines lines_;
};

inline std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

// Ids for new rows drawn from a table's identity sequence in growing blocks: one
// round trip for many rows. Ascending within one transaction, never taken by
// another; what a rolled-back import drew is skipped. The writer thread draws the
// next block after each COPY (TopUp), while the connection is its anyway, so that
// the thread filling the buffers seldom waits for a write to end to draw ids.
class IdSource {
 public:
  explicit IdSource(std::string sequence) : sequence_(std::move(sequence)) {}

  // `before_round_trip()` is called before the sequence is read here: it must
  // leave the connection to this thread (and end a TopUp under way).
  template <typename Fn>
  int64_t Next(pqxx::transaction_base& tx, Fn&& before_round_trip) {
    if (next_ == ids_.size()) {
      if (!TakeSpare()) {
        before_round_trip();
        if (!TakeSpare()) ids_ = Draw(tx);
      }
      next_ = 0;
    }
    return ids_[next_++];
  }

  // Draws the block after the current one, unless there is one or no id was
  // ever asked for (an import of known records needs no new ones).
  void TopUp(pqxx::transaction_base& tx) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (has_spare_ || !used_) return;
    }
    std::vector<int64_t> ids = Draw(tx);
    std::lock_guard<std::mutex> lock(mu_);
    spare_ = std::move(ids);
    has_spare_ = true;
  }

 private:
  bool TakeSpare() {
    std::lock_guard<std::mutex> lock(mu_);
    used_ = true;
    if (!has_spare_) return false;
    ids_.swap(spare_);
    has_spare_ = false;
    return true;
  }

  std::vector<int64_t> Draw(pqxx::transaction_base& tx) {
    int block = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      block = block_;
      block_ = std::min(block_ * 4, kMaxBlock);
    }
    pqxx::result r = tx.exec_params(
        "SELECT nextval($1::regclass) FROM generate_series(1, $2)", sequence_, block);
    std::vector<int64_t> ids;
    ids.reserve(r.size());
    for (const auto& row : r) ids.push_back(row[0].as<int64_t>());
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  static constexpr int kMaxBlock = 1 << 16;
  const std::string sequence_;
  std::vector<int64_t> ids_;  // the block being used, by the filling thread only
  size_t next_ = 0;
  std::mutex mu_;  // guards what follows, which both threads use
  int block_ = 64;
  bool used_ = false;
  bool has_spare_ = false;
  std::vector<int64_t> spare_;
};

}  // namespace gugus::storage::pg
