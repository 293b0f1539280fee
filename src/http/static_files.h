// The built web application's files and the compression of answers.
//
// StaticFiles serves the files under one folder: a request path is decoded, and a
// path with a "." or ".." segment, a backslash or a NUL never reaches the file
// system. Each file is read once and kept with its gzip and brotli forms (made at
// the highest levels: the files are few and change only with a new build; a file
// whose modification time or size changed is read again).
// Thread-safety: every function and method may be called from several threads.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace gugus::http {

enum class Encoding { kIdentity, kGzip, kBrotli };

// The encoding to answer with for an Accept-Encoding header value: brotli when
// `allow_brotli` and offered, else gzip when offered, else none.
Encoding ChooseEncoding(std::string_view accept_encoding, bool allow_brotli);

// Whether answers of this media type are worth compressing (text, JSON, JS, SVG).
bool IsCompressible(std::string_view content_type);

// `text` compressed (gzip: zlib at `level` 1–9; brotli: quality 0–11); nullopt on a
// library failure (the caller sends the text as it is).
std::optional<std::string> Compress(std::string_view text, Encoding encoding, int level);

std::string_view EncodingName(Encoding encoding);  // "gzip", "br", ""

// The media type for a file name's extension (application/octet-stream if unknown).
std::string_view MediaTypeOf(std::string_view file_name);

struct StaticFile {
  std::string content_type;
  std::string identity, gzip, brotli;  // gzip/brotli "" when not smaller
  const std::string& In(Encoding e) const;
};

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

  // The regular file at `decoded_path` ("/assets/index-1a2b.js") under the root, or
  // null when there is none or the path is not acceptable.
  std::shared_ptr<const StaticFile> Find(std::string_view decoded_path);

 private:
  struct Entry {
    std::filesystem::file_time_type mtime;
    uintmax_t size = 0;
    std::shared_ptr<const StaticFile> file;
  };
  std::filesystem::path root_;
  std::mutex mu_;
  std::map<std::string, Entry, std::less<>> cache_;
};

}  // namespace gugus::http
