#include "core/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "core/strcat.h"

namespace gugus {
namespace {

std::string DirName(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// mkstemp creates files 0600; a file of kLikeNewFiles gets what any new file would get,
// 0666 less the umask, which only /proc tells without changing the process-wide umask.
mode_t NewFileMode() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Umask:", 0) == 0) {
      return 0666 & ~static_cast<mode_t>(std::strtoul(line.c_str() + 6, nullptr, 8));
    }
  }
  return 0600;
}

absl::Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return WriteError("cannot write", path, ErrnoText(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace

std::string ErrnoText(int err) {
  char buf[256];
  // GNU strerror_r: thread-safe, and may return a static string instead of `buf`.
  return strerror_r(err, buf, sizeof(buf));
}

std::string BaseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  if (slash != std::string_view::npos && path.size() > 1) path.remove_prefix(slash + 1);
  return std::string(path);
}

absl::Status WriteError(std::string_view what, std::string_view path,
                        std::string_view detail) {
  return absl::UnavailableError(StrCat(what, " ", BaseName(path), ": ", detail));
}

absl::Status WriteFileAtomically(
    const std::string& path,
    const std::function<absl::Status(int fd, const std::string& tmp_path)>& fill,
    FileMode mode) {
  if (path.empty() || path.back() == '/') {
    return absl::InvalidArgumentError("the path names no file");
  }
  std::string tmp = path + ".tmp-XXXXXX";
  std::vector<char> name(tmp.begin(), tmp.end());
  name.push_back('\0');
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) return WriteError("cannot create", path, ErrnoText(errno));
  tmp.assign(name.data());
  if (mode == FileMode::kLikeNewFiles)
    ::fchmod(fd, NewFileMode());  // on failure the file stays private, which is safe

  absl::Status status = fill(fd, tmp);
  if (status.ok() && ::fsync(fd) != 0) {
    status = WriteError("cannot write", path, ErrnoText(errno));
  }
  // close() reports deferred write errors on some file systems (NFS).
  if (::close(fd) != 0 && status.ok()) {
    status = WriteError("cannot write", path, ErrnoText(errno));
  }
  if (status.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    status = WriteError("cannot write", path, ErrnoText(errno));
  }
  if (!status.ok()) {
    ::unlink(tmp.c_str());
    return status;
  }
  // Make the rename itself durable. Best effort: some file systems refuse to fsync a
  // directory, and the file is already complete and in place.
  const int dir = ::open(DirName(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return absl::OkStatus();
}

absl::Status WriteBytesAtomically(const std::string& path, std::string_view bytes) {
  return WriteFileAtomically(
      path, [&](int fd, const std::string&) { return WriteAll(fd, bytes, path); });
}

}  // namespace gugus
