// Writing a file so that it is either complete or absent: reports, exports and
// backups go through here.
//
// Errors: Unavailable naming only the base name of the path (a full path would
// disclose the server's layout to whoever sees the error); no partial target and no
// temporary file is left behind. Thread-safe: each write touches only its own
// temporary file.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace gugus {

// "laporan.pdf" for "/srv/out/laporan.pdf".
std::string BaseName(std::string_view path);

// strerror_r's text for `err`.
std::string ErrnoText(int err);

// An Unavailable error "<what> <base name>: <detail>".
absl::Status WriteError(std::string_view what, std::string_view path,
                        std::string_view detail);

enum class FileMode {
  kLikeNewFiles,  // 0666 less the umask, as any new file (reports, exports)
  kPrivate,       // 0600: only the owner may read it (database backups)
};

// Creates "<path>.tmp-XXXXXX" beside `path` (so the final rename stays on one file
// system and is atomic), lets `fill` write it — through `fd`, or by reopening
// `tmp_path` for libraries and programs that only take file names — then fsyncs it,
// renames it over `path` and fsyncs the folder. A status `fill` returns is passed
// through unchanged.
absl::Status WriteFileAtomically(
    const std::string& path,
    const std::function<absl::Status(int fd, const std::string& tmp_path)>& fill,
    FileMode mode = FileMode::kLikeNewFiles);
absl::Status WriteBytesAtomically(const std::string& path, std::string_view bytes);

}  // namespace gugus
