// Streaming CSV: RFC 4180 plus what spreadsheet programs write (';' in locales with a
// decimal comma, tabs, CR-only line ends, Windows-1252). The parser is a byte-level
// state machine over a reused 1 MiB buffer that can stop and resume at any byte, so
// a record may straddle chunks; cells are appended straight into the caller's
// RawRow, whose strings are reused from row to row.
#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "core/text.h"
#include "ingest/reader.h"
#include "ingest/reader_internal.h"

namespace gugus::ingest {
namespace {

using internal::ByteSource;
using internal::kChunkBytes;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Candidates in the order that wins a tie: a tab is rarely there by accident, and
// Indonesian-locale Excel writes ';'.
constexpr std::array<char, 3> kDelimiters = {'\t', ';', ','};

// Picks the delimiter whose per-record count (outside quotes) is most consistent over
// the first records of `sample`: the most frequent non-zero count wins by how many
// records share it, then by the count itself. `complete` says whether `sample` is
// the whole file (else its last record may be cut and is ignored).
char DetectDelimiter(std::string_view sample, bool complete) {
  constexpr size_t kMaxRecords = 50;
  std::vector<std::array<int, 3>> records;
  std::array<int, 3> counts{};
  bool in_quotes = false;
  bool has_content = false;
  for (size_t i = 0; i < sample.size() && records.size() < kMaxRecords; ++i) {
    char c = sample[i];
    if (c == '"') {
      in_quotes = !in_quotes;
      has_content = true;
    } else if (in_quotes) {
      continue;
    } else if (c == '\n' || c == '\r') {
      if (has_content) records.push_back(counts);
      counts = {};
      has_content = false;
    } else {
      has_content = true;
      for (size_t k = 0; k < kDelimiters.size(); ++k) counts[k] += c == kDelimiters[k];
    }
  }
  if (complete && has_content && !in_quotes && records.size() < kMaxRecords) {
    records.push_back(counts);
  }

  char best = ',';
  int best_share = 0;
  int best_count = 0;
  for (size_t k = 0; k < kDelimiters.size(); ++k) {
    // The mode of the non-zero counts and how many records have it.
    std::vector<int> values;
    for (const auto& r : records) {
      if (r[k] > 0) values.push_back(r[k]);
    }
    std::sort(values.begin(), values.end());
    int mode = 0;
    int share = 0;
    for (size_t i = 0; i < values.size();) {
      size_t j = i;
      while (j < values.size() && values[j] == values[i]) ++j;
      if (static_cast<int>(j - i) > share) {
        share = static_cast<int>(j - i);
        mode = values[i];
      }
      i = j;
    }
    if (share > best_share || (share == best_share && share > 0 && mode > best_count)) {
      best = kDelimiters[k];
      best_share = share;
      best_count = mode;
    }
  }
  return best;
}

// How far `prefix` can be checked as UTF-8 when more bytes follow: a multi-byte
// sequence cut at the end of the chunk is left out.
size_t CompleteUtf8Length(std::string_view prefix) {
  size_t n = prefix.size();
  for (size_t back = 1; back <= 3 && back <= n; ++back) {
    auto c = static_cast<unsigned char>(prefix[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: keep looking for the lead
    if (c >= 0xC0) {
      size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      if (need > back) return n - back;
    }
    break;
  }
  return n;
}

class CsvReader final : public RowReader {
 public:
  explicit CsvReader(ByteSource source)
      : source_(std::move(source)),
        // Small inputs (tests, the fuzzer) do not pay for a whole chunk; one byte
        // more than the input lets the first short read tell the end.
        capacity_(static_cast<size_t>(std::min<uint64_t>(
            kChunkBytes, std::max<uint64_t>(64 * 1024, source_.size() + 1)))),
        buffer_(std::make_unique_for_overwrite<char[]>(capacity_)) {
    info_.format = FileFormat::kCsv;
    info_.size_bytes = source_.size();
  }

  absl::Status Init();

  const FileInfo& info() const override { return info_; }
  const std::vector<std::string>& header() const override { return header_; }
  absl::StatusOr<bool> Next(RawRow& row) override;
  uint64_t bytes_read() const override { return buffer_offset_ + pos_; }
  int64_t blank_rows() const override { return blank_rows_; }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  // Replaces the buffer with the next chunk; false at the end of the input.
  absl::StatusOr<bool> Fill();
  // Parses one record into row.cells[0, *ncells); false when the input has none left.
  absl::StatusOr<bool> ReadRecord(RawRow& row, size_t* ncells);
  // Converts the parsed cells to UTF-8.
  void Decode(RawRow& row, size_t ncells) const;

  std::string* NewCell(RawRow& row, size_t* ncells) {
    if (*ncells < row.cells.size()) {
      row.cells[*ncells].clear();
    } else {
      row.cells.emplace_back();
    }
    return &row.cells[(*ncells)++];
  }

  ByteSource source_;
  FileInfo info_;
  std::vector<std::string> header_;
  int64_t blank_rows_ = 0;
  bool windows1252_ = false;

  size_t capacity_;
  std::unique_ptr<char[]> buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  uint64_t buffer_offset_ = 0;  // input offset of buffer_[0]
  bool at_end_ = false;

  int64_t line_ = 1;      // physical line of buffer_[pos_]
  bool skip_lf_ = false;  // the last record ended with CR: a following LF is part of it
  bool prev_cr_ = false;  // inside quotes: the previous byte was CR
  // Bytes that end an unquoted field / a run of quoted text.
  std::array<bool, 256> unquoted_stop_{};
  std::array<bool, 256> quoted_stop_{};
};

absl::StatusOr<bool> CsvReader::Fill() {
  if (at_end_) return false;
  buffer_offset_ += end_;
  pos_ = 0;
  GUGUS_ASSIGN_OR_RETURN(end_, source_.Read(buffer_.get(), capacity_));
  at_end_ = end_ < capacity_;  // Read() fills the buffer unless at the end
  return end_ > 0;
}

absl::Status CsvReader::Init() {
  GUGUS_ASSIGN_OR_RETURN(end_, source_.Read(buffer_.get(), capacity_));
  at_end_ = end_ < capacity_;
  std::string_view prefix(buffer_.get(), end_);
  bool bom = prefix.starts_with(kBom);
  if (bom) {
    pos_ = kBom.size();
    prefix.remove_prefix(kBom.size());
  }
  if (at_end_ && prefix.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos) {
    return absl::InvalidArgumentError("the file is empty");
  }
  GUGUS_RETURN_IF_ERROR(internal::CheckIsText(prefix));
  if (bom) {
    info_.encoding = "utf-8-bom";
  } else {
    size_t checked = at_end_ ? prefix.size() : CompleteUtf8Length(prefix);
    windows1252_ = !IsValidUtf8(prefix.substr(0, checked));
    info_.encoding = windows1252_ ? "windows-1252" : "utf-8";
  }
  info_.delimiter = DetectDelimiter(prefix, at_end_);
  for (char c : {info_.delimiter, '\r', '\n'}) {
    unquoted_stop_[static_cast<unsigned char>(c)] = true;
  }
  for (char c : {'"', '\r', '\n'}) quoted_stop_[static_cast<unsigned char>(c)] = true;

  RawRow row;
  size_t ncells = 0;
  for (;;) {
    GUGUS_ASSIGN_OR_RETURN(bool more, ReadRecord(row, &ncells));
    if (!more) {
      return absl::InvalidArgumentError("the file has no header row: every row is empty");
    }
    bool blank =
        row.problem.empty() &&
        std::all_of(row.cells.begin(), row.cells.begin() + ncells,
                    [](const std::string& c) { return internal::IsBlankCell(c); });
    if (!blank) break;
  }
  if (!row.problem.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the header row (line ", row.line, ") is broken: ", row.problem));
  }
  Decode(row, ncells);
  row.cells.resize(ncells);
  header_ = std::move(row.cells);
  return internal::FinishHeader(header_, row.line);
}

absl::StatusOr<bool> CsvReader::ReadRecord(RawRow& row, size_t* ncells) {
  *ncells = 0;
  row.problem.clear();
  row.numeric.clear();
  State state = State::kFieldStart;
  bool started = false;
  int64_t quote_line = 0;
  size_t row_bytes = 0;
  std::string* cell = nullptr;
  const char delimiter = info_.delimiter;

  for (;;) {
    if (pos_ == end_) {
      GUGUS_ASSIGN_OR_RETURN(bool more, Fill());
      if (!more) break;
    }
    const char* const base = buffer_.get();
    const char* p = base + pos_;
    const char* const end = base + end_;
    switch (state) {
      case State::kFieldStart:
        if (!started) {
          if (std::exchange(skip_lf_, false) && *p == '\n') {
            ++p;
            break;
          }
          started = true;
          row.line = line_;
        }
        cell = NewCell(row, ncells);
        if (*p == '"') {
          ++p;
          state = State::kQuoted;
          quote_line = line_;
          prev_cr_ = false;
        } else {
          state = State::kUnquoted;
        }
        break;

      case State::kUnquoted: {
        const char* q = p;
        while (q < end && !unquoted_stop_[static_cast<unsigned char>(*q)]) ++q;
        cell->append(p, q);
        row_bytes += q - p;
        p = q;
        if (p == end) break;
        char c = *p++;
        if (c == delimiter) {
          state = State::kFieldStart;
          break;
        }
        // End of the record (a quote in the middle of an unquoted field is kept as
        // text, as spreadsheet programs do).
        skip_lf_ = c == '\r';
        ++line_;
        pos_ = p - base;
        return true;
      }

      case State::kQuoted: {
        const char* q = p;
        while (q < end && !quoted_stop_[static_cast<unsigned char>(*q)]) ++q;
        if (q != p) {
          cell->append(p, q);
          row_bytes += q - p;
          prev_cr_ = false;
          p = q;
        }
        if (p == end) break;
        char c = *p++;
        if (c == '"') {
          state = State::kQuoteInQuoted;
          prev_cr_ = false;
          break;
        }
        // A line break inside quotes is part of the cell; CRLF is one physical line.
        cell->push_back(c);
        ++row_bytes;
        if (c == '\r' || !prev_cr_) ++line_;
        prev_cr_ = c == '\r';
        break;
      }

      case State::kQuoteInQuoted: {
        char c = *p;
        if (c == '"') {  // "" inside quotes
          cell->push_back('"');
          ++p;
          state = State::kQuoted;
        } else if (c == delimiter) {
          ++p;
          state = State::kFieldStart;
        } else if (c == '\r' || c == '\n') {
          ++p;
          skip_lf_ = c == '\r';
          ++line_;
          pos_ = p - base;
          return true;
        } else {
          state = State::kUnquoted;  // text after the closing quote is kept as is
        }
        break;
      }
    }
    pos_ = p - base;
    if (row_bytes > internal::kMaxRowBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the row starting on line ", row.line, " is longer than ",
          internal::kMaxRowBytes >> 20, " MiB (a quote that is never closed?)"));
    }
  }

  // End of input.
  if (!started) return false;
  if (state == State::kFieldStart) NewCell(row, ncells);  // after a final delimiter
  if (state == State::kQuoted) {
    row.problem = absl::StrCat("unterminated quote: the quoted cell starting on line ",
                               quote_line, " is never closed");
  }
  return true;
}

void CsvReader::Decode(RawRow& row, size_t ncells) const {
  for (size_t i = 0; i < ncells; ++i) {
    std::string& cell = row.cells[i];
    if (internal::IsAscii(cell)) continue;
    // A file that looked like UTF-8 may still carry a row pasted from elsewhere:
    // such a cell is read as Windows-1252 instead of failing the import.
    if (windows1252_ || !IsValidUtf8(cell)) cell = Windows1252ToUtf8(cell);
  }
}

absl::StatusOr<bool> CsvReader::Next(RawRow& row) {
  for (;;) {
    size_t ncells = 0;
    GUGUS_ASSIGN_OR_RETURN(bool more, ReadRecord(row, &ncells));
    if (!more) return false;
    if (row.problem.empty() &&
        std::all_of(row.cells.begin(), row.cells.begin() + ncells,
                    [](const std::string& c) { return internal::IsBlankCell(c); })) {
      ++blank_rows_;  // blank lines and rows of bare delimiters carry nothing
      continue;
    }
    Decode(row, ncells);
    internal::FitToHeader(row, ncells, header_.size());
    return true;
  }
}

absl::StatusOr<std::unique_ptr<RowReader>> Open(ByteSource source) {
  auto reader = std::make_unique<CsvReader>(std::move(source));
  GUGUS_RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<RowReader>(std::move(reader));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RowReader>> OpenCsv(const std::string& path) {
  GUGUS_ASSIGN_OR_RETURN(ByteSource source, ByteSource::OpenFile(path));
  return Open(std::move(source));
}

absl::StatusOr<std::unique_ptr<RowReader>> OpenCsvFromString(std::string content) {
  return Open(ByteSource::FromString(std::move(content)));
}

}  // namespace gugus::ingest
