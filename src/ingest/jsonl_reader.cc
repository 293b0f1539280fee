// JSON lines: one object per non-blank line. The header is the union of the top-level
// keys of all lines in first-seen order, found by a first streaming pass (SAX, no
// DOM); the second pass yields the rows. nlohmann's SAX interface reports errors
// through a callback, and any exception it still throws is caught here.
#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "ingest/reader.h"
#include "ingest/reader_internal.h"

namespace gugus::ingest {
namespace {

using internal::ByteSource;
using json = nlohmann::json;

// A header wider than this is not a table but a dump of ids as keys.
constexpr size_t kMaxColumns = 10000;

// Splits the input into lines (LF or CRLF), reading it in chunks.
class LineReader {
 public:
  explicit LineReader(ByteSource* source) : source_(source) {}

  // The next line without its line end; valid until the next call. False at the end.
  absl::StatusOr<bool> Next(std::string_view* line) {
    for (;;) {
      const char* data = buffer_.data();
      const void* nl = std::memchr(data + scan_, '\n', buffer_.size() - scan_);
      size_t stop;
      if (nl != nullptr) {
        stop = static_cast<const char*>(nl) - data;
      } else if (at_end_) {
        if (pos_ == buffer_.size()) return false;
        stop = buffer_.size();
      } else {
        if (buffer_.size() - pos_ > internal::kMaxRowBytes) {
          return absl::InvalidArgumentError(
              absl::StrCat("line ", number_ + 1, " is longer than ",
                           internal::kMaxRowBytes >> 20, " MiB"));
        }
        GUGUS_RETURN_IF_ERROR(Refill());
        continue;
      }
      *line = std::string_view(data + pos_, stop - pos_);
      if (line->ends_with('\r')) line->remove_suffix(1);
      if (number_ == 0 && line->starts_with("\xEF\xBB\xBF")) line->remove_prefix(3);
      pos_ = scan_ = std::min(stop + 1, buffer_.size());
      ++number_;
      return true;
    }
  }

  int64_t number() const { return number_; }
  uint64_t consumed() const { return offset_ + pos_; }

 private:
  absl::Status Refill() {
    offset_ += pos_;
    buffer_.erase(0, pos_);
    pos_ = 0;
    scan_ = buffer_.size();
    size_t old = buffer_.size();
    buffer_.resize(old + internal::kChunkBytes);
    GUGUS_ASSIGN_OR_RETURN(size_t got,
                           source_->Read(buffer_.data() + old, internal::kChunkBytes));
    buffer_.resize(old + got);
    at_end_ = got < internal::kChunkBytes;
    return absl::OkStatus();
  }

  ByteSource* source_;
  std::string buffer_;
  size_t pos_ = 0;   // start of the next line
  size_t scan_ = 0;  // where the search for '\n' resumes
  uint64_t offset_ = 0;
  bool at_end_ = false;
  int64_t number_ = 0;
};

bool IsBlankLine(std::string_view line) {
  return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

// The parser's message without the input it quotes (a row may hold personal data).
std::string ParseErrorMessage(size_t position, const std::string& what) {
  std::string_view message = what;
  if (size_t bracket = message.find("] "); bracket != std::string_view::npos) {
    message.remove_prefix(bracket + 2);
  }
  if (message.starts_with("parse error")) {
    if (size_t colon = message.find(": "); colon != std::string_view::npos) {
      message.remove_prefix(colon + 2);
    }
  }
  for (std::string_view cut : {"; last read", " parsing '"}) {
    if (size_t at = message.find(cut); at != std::string_view::npos) {
      message = message.substr(0, at);
    }
  }
  return absl::StrCat("invalid JSON: ", AsAbsl(message), " (at byte ", position, ")");
}

// SAX handler for one line. With `columns` not null it only gathers the top-level
// keys into the header; else it fills `cells` by the key → column map.
class LineHandler {
 public:
  LineHandler(std::vector<std::string>* header,
              std::unordered_map<std::string, size_t>* columns, bool gather)
      : header_(header), columns_(columns), gather_(gather) {}

  void Reset(std::vector<std::string>* cells) {
    cells_ = cells;
    depth_ = 0;
    column_ = -1;
    in_list_ = false;
    is_object_ = false;
    problem_.clear();
  }
  bool is_object() const { return is_object_; }
  std::string& problem() { return problem_; }

  bool null() { return Scalar("", /*is_null=*/true); }
  bool boolean(bool value) { return Scalar(value ? "true" : "false"); }
  bool number_integer(json::number_integer_t value) {
    return Scalar(std::to_string(value));
  }
  bool number_unsigned(json::number_unsigned_t value) {
    return Scalar(std::to_string(value));
  }
  bool number_float(json::number_float_t, const json::string_t& text) {
    return Scalar(text);  // as written: no rounding through double
  }
  bool string(json::string_t& value) { return Scalar(value); }
  bool binary(json::binary_t&) { return Scalar(""); }

  bool start_object(size_t) {
    ++depth_;
    if (depth_ == 1) {
      is_object_ = true;
    } else if (depth_ == 2) {
      Problem("holds an object");
    } else if (depth_ == 3 && in_list_) {
      Problem("holds a list containing an object");
    }
    return true;
  }
  bool end_object() {
    --depth_;
    return true;
  }
  bool start_array(size_t) {
    ++depth_;
    if (depth_ == 2) {
      in_list_ = true;
      list_empty_ = true;
    } else if (depth_ == 3) {
      Problem("holds a list of lists");
    }
    return true;
  }
  bool end_array() {
    if (depth_ == 2) in_list_ = false;
    --depth_;
    return true;
  }
  bool key(json::string_t& key) {
    if (depth_ != 1) return true;
    key_ = key;
    auto it = columns_->find(key);
    if (it != columns_->end()) {
      column_ = static_cast<int64_t>(it->second);
    } else if (gather_ && header_->size() < kMaxColumns) {
      column_ = static_cast<int64_t>(header_->size());
      columns_->emplace(key, header_->size());
      header_->push_back(key);
    } else {
      column_ = -1;
    }
    return true;
  }
  bool parse_error(size_t position, const std::string&,
                   const nlohmann::detail::exception& e) {
    problem_ = ParseErrorMessage(position, e.what());
    return false;
  }

 private:
  bool Scalar(std::string_view text, bool is_null = false) {
    if (gather_ || depth_ > 2 || column_ < 0 || cells_ == nullptr) return true;
    std::string& cell = (*cells_)[column_];
    if (depth_ == 1) {
      cell.assign(text);
    } else if (in_list_ && !is_null) {  // a list of values: ';'-separated, as in CSV
      if (!list_empty_) cell.push_back(';');
      cell.append(text);
      list_empty_ = false;
    }
    return true;
  }

  void Problem(std::string_view what) {
    if (gather_ || !problem_.empty()) return;
    problem_ = absl::StrCat("field \"", key_, "\" ", AsAbsl(what));
  }

  std::vector<std::string>* header_;
  std::unordered_map<std::string, size_t>* columns_;
  bool gather_;
  std::vector<std::string>* cells_ = nullptr;
  int depth_ = 0;
  int64_t column_ = -1;
  bool in_list_ = false;
  bool list_empty_ = true;
  bool is_object_ = false;
  std::string key_;
  std::string problem_;
};

// Parses `line` with `handler`; false (with handler.problem() set) when it is not
// one JSON object.
bool ParseLine(std::string_view line, LineHandler& handler) {
  try {
    bool ok = json::sax_parse(line.begin(), line.end(), &handler,
                              json::input_format_t::json, /*strict=*/true);
    if (ok && !handler.is_object()) {
      handler.problem() = "the line is not a JSON object";
      return false;
    }
    return ok;
  } catch (const std::exception& e) {  // nlohmann reports most errors via the handler
    handler.problem() = ParseErrorMessage(0, e.what());
    return false;
  }
}

class JsonLinesReader final : public RowReader {
 public:
  explicit JsonLinesReader(ByteSource source)
      : source_(std::move(source)),
        lines_(&source_),
        handler_(&header_, &columns_, /*gather=*/false) {
    info_.format = FileFormat::kJsonLines;
    info_.encoding = "utf-8";
    info_.size_bytes = source_.size();
  }

  absl::Status Init();

  const FileInfo& info() const override { return info_; }
  const std::vector<std::string>& header() const override { return header_; }
  absl::StatusOr<bool> Next(RawRow& row) override;
  uint64_t bytes_read() const override { return lines_.consumed(); }
  int64_t blank_rows() const override { return blank_rows_; }
  absl::StatusOr<bool> NextObject(RawRow& row);

 private:
  ByteSource source_;
  FileInfo info_;
  std::vector<std::string> header_;
  int64_t blank_rows_ = 0;
  std::unordered_map<std::string, size_t> columns_;
  LineReader lines_;
  LineHandler handler_;
};

absl::Status JsonLinesReader::Init() {
  std::string prefix(64 * 1024, '\0');
  GUGUS_ASSIGN_OR_RETURN(size_t got, source_.Read(prefix.data(), prefix.size()));
  std::string_view text(prefix.data(), got);
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (got < prefix.size() &&
      text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos) {
    return absl::InvalidArgumentError("the file is empty");
  }
  GUGUS_RETURN_IF_ERROR(internal::CheckIsText(text));
  GUGUS_RETURN_IF_ERROR(source_.Rewind());

  // First pass: the header.
  {
    LineReader lines(&source_);
    LineHandler gather(&header_, &columns_, /*gather=*/true);
    bool any_object = false;
    std::string_view line;
    for (;;) {
      GUGUS_ASSIGN_OR_RETURN(bool more, lines.Next(&line));
      if (!more) break;
      if (IsBlankLine(line)) continue;
      gather.Reset(nullptr);
      any_object |= ParseLine(line, gather);
    }
    if (!any_object) {
      return absl::InvalidArgumentError(
          "not a JSON-lines file: no line holds a JSON object");
    }
    if (header_.empty()) {
      return absl::InvalidArgumentError(
          "the JSON-lines file has no fields: every object is {}");
    }
  }
  return source_.Rewind();
}

absl::StatusOr<bool> JsonLinesReader::Next(RawRow& row) {
  for (;;) {
    GUGUS_ASSIGN_OR_RETURN(bool more, NextObject(row));
    if (!more) return false;
    if (row.problem.empty() &&
        std::all_of(row.cells.begin(), row.cells.end(),
                    [](const std::string& c) { return internal::IsBlankCell(c); })) {
      ++blank_rows_;  // an object without a value, e.g. {}
      continue;
    }
    return true;
  }
}

absl::StatusOr<bool> JsonLinesReader::NextObject(RawRow& row) {
  std::string_view line;
  for (;;) {
    GUGUS_ASSIGN_OR_RETURN(bool more, lines_.Next(&line));
    if (!more) return false;
    if (!IsBlankLine(line)) break;
  }
  row.line = lines_.number();
  row.numeric.clear();
  row.cells.resize(header_.size());
  for (std::string& cell : row.cells) cell.clear();
  handler_.Reset(&row.cells);
  bool ok = ParseLine(line, handler_);
  row.problem = std::move(handler_.problem());
  if (!ok) {
    for (std::string& cell : row.cells) cell.clear();  // a partial parse is no data
  }
  // A row with a problem keeps its source line, so that quarantine loses nothing.
  if (row.problem.empty()) {
    row.text.clear();
  } else {
    row.text.assign(line);
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RowReader>> OpenJsonLines(const std::string& path) {
  GUGUS_ASSIGN_OR_RETURN(ByteSource source, ByteSource::OpenFile(path));
  auto reader = std::make_unique<JsonLinesReader>(std::move(source));
  GUGUS_RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<RowReader>(std::move(reader));
}

}  // namespace gugus::ingest
