// Private to src/synth: buffered file output and the small formatting helpers the
// generator writes rows with. An Output is used by one thread at a time.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "core/date.h"
#include "core/status.h"

namespace gugus::synth::internal {

// PermissionDenied for EACCES/EPERM/EROFS, Internal otherwise; names the path.
absl::Status IoError(std::string_view what, const std::string& path, int err);

struct FileCloser {
  void operator()(FILE* f) const {
    if (f != nullptr) std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

// A buffered output file; Write errors are remembered and reported by Close.
class Output {
 public:
  absl::Status Open(const std::string& path) {
    path_ = path;
    file_.reset(std::fopen(path.c_str(), "wb"));
    if (!file_) return IoError("cannot create", path, errno);
    buffer_.reserve(kFlushAt + 4096);
    return absl::OkStatus();
  }
  std::string& buffer() { return buffer_; }
  absl::Status MaybeFlush() {
    if (buffer_.size() < kFlushAt) return absl::OkStatus();
    return Flush();
  }
  absl::Status Flush() {
    if (!buffer_.empty() &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_.get()) != buffer_.size()) {
      return IoError("cannot write", path_, errno);
    }
    buffer_.clear();
    return absl::OkStatus();
  }
  absl::Status Close() {
    GUGUS_RETURN_IF_ERROR(Flush());
    FILE* f = file_.release();
    if (f != nullptr && std::fclose(f) != 0) return IoError("cannot write", path_, errno);
    return absl::OkStatus();
  }

 private:
  static constexpr size_t kFlushAt = 1 << 20;
  std::string path_;
  FilePtr file_;
  std::string buffer_;
};

// Appends `field` quoted per RFC 4180 when it holds the delimiter, a quote or a
// line break (always when `quote_all`).
void AppendField(std::string& line, std::string_view field, char delim, bool quote_all);
// Appends `value` zero-padded to `width` digits (value >= 0).
void AppendPadded(int64_t value, int width, std::string& out);
// UTF-8 to Windows-1252; what 1252 cannot hold becomes '?'.
void AppendWindows1252(std::string_view utf8, std::string& out);
// "YYYY-MM-DD".
void AppendIsoDate(const Date& d, std::string& out);

}  // namespace gugus::synth::internal
