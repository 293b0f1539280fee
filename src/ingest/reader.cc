#include "ingest/reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "core/text.h"
#include "ingest/reader_internal.h"

namespace gugus::ingest {

std::string_view FormatName(FileFormat format) {
  switch (format) {
    case FileFormat::kCsv:
      return "csv";
    case FileFormat::kXlsx:
      return "xlsx";
    case FileFormat::kJsonLines:
      return "jsonl";
  }
  return "unknown";
}

namespace internal {

absl::StatusOr<ByteSource> ByteSource::OpenFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string what = absl::StrCat("cannot open '", path, "': ", std::strerror(err));
    if (err == ENOENT || err == ENOTDIR) return absl::NotFoundError(what);
    if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(what);
    return absl::InvalidArgumentError(what);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(absl::StrCat("'", path, "' is not a regular file"));
  }
  ByteSource source;
  source.fd_ = fd;
  source.size_ = static_cast<uint64_t>(st.st_size);
  return source;
}

ByteSource ByteSource::FromString(std::string content) {
  ByteSource source;
  source.size_ = content.size();
  source.content_ = std::move(content);
  return source;
}

ByteSource::ByteSource(ByteSource&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      content_(std::move(other.content_)),
      offset_(other.offset_),
      size_(other.size_) {}

ByteSource& ByteSource::operator=(ByteSource&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    content_ = std::move(other.content_);
    offset_ = other.offset_;
    size_ = other.size_;
  }
  return *this;
}

ByteSource::~ByteSource() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<size_t> ByteSource::Read(char* out, size_t n) {
  if (fd_ < 0) {
    size_t take = std::min<uint64_t>(n, content_.size() - offset_);
    std::memcpy(out, content_.data() + offset_, take);
    offset_ += take;
    return take;
  }
  size_t done = 0;
  while (done < n) {
    ssize_t got = ::read(fd_, out + done, n - done);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      return absl::DataLossError(
          absl::StrCat("reading the file failed: ", std::strerror(errno)));
    }
    done += static_cast<size_t>(got);
  }
  return done;
}

absl::Status ByteSource::Rewind() {
  offset_ = 0;
  if (fd_ >= 0 && ::lseek(fd_, 0, SEEK_SET) != 0) {
    return absl::DataLossError(
        absl::StrCat("reading the file failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

int ByteSource::ReleaseFd() { return std::exchange(fd_, -1); }

absl::Status CheckIsText(std::string_view prefix) {
  prefix = prefix.substr(0, 64 * 1024);
  auto starts = [&](std::string_view magic) {
    return prefix.substr(0, magic.size()) == magic;
  };
  if (starts("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return absl::InvalidArgumentError(
        "the file is an old Excel (.xls) or password-protected workbook; save it as "
        "XLSX or CSV");
  }
  if (starts("\xFF\xFE") || starts("\xFE\xFF")) {
    return absl::InvalidArgumentError(
        "the file is UTF-16 text; save it as CSV UTF-8 (or plain CSV)");
  }
  size_t control = 0;
  for (char ch : prefix) {
    auto c = static_cast<unsigned char>(ch);
    if (c == 0) return absl::InvalidArgumentError("the file is not text (binary data)");
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) {
      ++control;
    }
  }
  if (control * 10 > prefix.size()) {
    return absl::InvalidArgumentError("the file is not text (binary data)");
  }
  return absl::OkStatus();
}

bool IsBlankCell(std::string_view cell) {
  for (char c : cell) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

bool IsAscii(std::string_view text) {
  const char* p = text.data();
  const char* end = p + text.size();
  uint64_t high = 0;
  for (; end - p >= 8; p += 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    high |= word;
  }
  for (; p < end; ++p) high |= static_cast<unsigned char>(*p);
  return (high & 0x8080808080808080ULL) == 0;
}

void EnsureUtf8(std::string& cell) {
  if (!IsAscii(cell) && !IsValidUtf8(cell)) cell = Windows1252ToUtf8(cell);
}

absl::Status FinishHeader(std::vector<std::string>& cells, int64_t line) {
  for (std::string& cell : cells) {
    std::string_view trimmed = Trim(cell);
    if (trimmed.size() != cell.size()) cell = std::string(trimmed);
  }
  while (!cells.empty() && cells.back().empty()) cells.pop_back();
  if (cells.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the header row (line ", line, ") is empty"));
  }
  return absl::OkStatus();
}

void FitToHeader(RawRow& row, size_t ncells, size_t width, bool with_numeric) {
  size_t last = ncells;
  while (last > width && IsBlankCell(row.cells[last - 1])) --last;
  if (last > width) {
    std::string message = absl::StrCat("row has ", ncells, " cells, header has ", width);
    if (row.problem.empty()) {
      row.problem = std::move(message);
    } else {
      absl::StrAppend(&row.problem, "; ", message);
    }
  }
  size_t n = std::max(last, width);
  if (row.cells.size() < n) row.cells.resize(n);
  for (size_t i = ncells; i < n; ++i) row.cells[i].clear();
  row.cells.resize(n);
  if (with_numeric) {
    if (row.numeric.size() < n) row.numeric.resize(n, false);
    for (size_t i = ncells; i < n; ++i) row.numeric[i] = false;
    row.numeric.resize(n);
  } else {
    row.numeric.clear();
  }
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<RowReader>> OpenTable(const std::string& path) {
  std::string head(4096, '\0');
  {
    GUGUS_ASSIGN_OR_RETURN(internal::ByteSource source,
                           internal::ByteSource::OpenFile(path));
    GUGUS_ASSIGN_OR_RETURN(size_t n, source.Read(head.data(), head.size()));
    head.resize(n);
  }
  if (head.empty()) return absl::InvalidArgumentError("the file is empty");
  std::string_view view = head;
  if (view.starts_with("PK\x03\x04") || view.starts_with("PK\x05\x06")) {
    return OpenXlsx(path);
  }
  if (view.starts_with("\xEF\xBB\xBF")) view.remove_prefix(3);
  size_t first = view.find_first_not_of(" \t\r\n\f\v");
  if (first != std::string_view::npos && view[first] == '{') return OpenJsonLines(path);
  return OpenCsv(path);
}

}  // namespace gugus::ingest
