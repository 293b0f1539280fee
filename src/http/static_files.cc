#include "http/static_files.h"

#include <brotli/encode.h>
#include <zlib.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "core/text.h"

namespace gugus::http {
namespace {

bool Offered(std::string_view accept, std::string_view coding) {
  for (std::string_view item : Split(accept, ',')) {
    size_t semi = item.find(';');
    std::string_view name = Trim(item.substr(0, semi));
    if (name != coding) continue;
    // "gzip;q=0" refuses it.
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      size_t q = params.find("q=");
      if (q != std::string_view::npos &&
          std::strtod(std::string(params.substr(q + 2)).c_str(), nullptr) <= 0)
        return false;
    }
    return true;
  }
  return false;
}

std::optional<std::string> Gzip(std::string_view text, int level) {
  z_stream z{};
  // 15 + 16: a gzip wrapper, not zlib's own.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return std::nullopt;
  std::string out;
  out.resize(deflateBound(&z, text.size()));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  size_t written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  out.resize(written);
  return out;
}

std::optional<std::string> Brotli(std::string_view text, int quality) {
  std::string out;
  size_t size = BrotliEncoderMaxCompressedSize(text.size());
  if (size == 0) return std::nullopt;
  out.resize(size);
  if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT,
                             text.size(), reinterpret_cast<const uint8_t*>(text.data()),
                             &size, reinterpret_cast<uint8_t*>(out.data())))
    return std::nullopt;
  out.resize(size);
  return out;
}

}  // namespace

Encoding ChooseEncoding(std::string_view accept_encoding, bool allow_brotli) {
  if (allow_brotli && Offered(accept_encoding, "br")) return Encoding::kBrotli;
  if (Offered(accept_encoding, "gzip")) return Encoding::kGzip;
  return Encoding::kIdentity;
}

bool IsCompressible(std::string_view type) {
  return (type.starts_with("text/") && !type.starts_with("text/event-stream")) ||
         type.starts_with("application/json") ||
         type.starts_with("application/javascript") ||
         type.starts_with("image/svg+xml") || type.starts_with("application/xml") ||
         type.starts_with("application/manifest+json");
}

std::optional<std::string> Compress(std::string_view text, Encoding encoding, int level) {
  switch (encoding) {
    case Encoding::kGzip:
      return Gzip(text, level);
    case Encoding::kBrotli:
      return Brotli(text, level);
    case Encoding::kIdentity:
      break;
  }
  return std::string(text);
}

std::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kGzip:
      return "gzip";
    case Encoding::kBrotli:
      return "br";
    case Encoding::kIdentity:
      break;
  }
  return "";
}

std::string_view MediaTypeOf(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 19> kTypes =
      {{{".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".webmanifest", "application/manifest+json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".ico", "image/vnd.microsoft.icon"},
        {".woff", "font/woff"},
        {".woff2", "font/woff2"},
        {".ttf", "font/ttf"},
        {".txt", "text/plain; charset=utf-8"},
        {".wasm", "application/wasm"}}};
  size_t dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    std::string_view ext = name.substr(dot);
    for (const auto& [e, type] : kTypes)
      if (e == ext) return type;
  }
  return "application/octet-stream";
}

const std::string& StaticFile::In(Encoding e) const {
  if (e == Encoding::kGzip && !gzip.empty()) return gzip;
  if (e == Encoding::kBrotli && !brotli.empty()) return brotli;
  return identity;
}

std::shared_ptr<const StaticFile> StaticFiles::Find(std::string_view path) {
  if (path.empty() || path.front() != '/') return nullptr;
  std::filesystem::path relative;
  for (std::string_view segment : Split(path.substr(1), '/')) {
    if (segment.empty()) continue;
    if (segment == "." || segment == ".." ||
        segment.find_first_of(std::string_view("\\\0", 2)) != std::string_view::npos)
      return nullptr;
    relative /= std::string(segment);
  }
  if (relative.empty()) return nullptr;
  std::filesystem::path full = root_ / relative;
  std::error_code ec;
  auto status = std::filesystem::status(full, ec);
  if (ec || !std::filesystem::is_regular_file(status)) return nullptr;
  auto mtime = std::filesystem::last_write_time(full, ec);
  if (ec) return nullptr;
  uintmax_t size = std::filesystem::file_size(full, ec);
  if (ec) return nullptr;
  std::string key = relative.string();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.mtime == mtime && it->second.size == size)
      return it->second.file;
  }
  std::ifstream in(full, std::ios::binary);
  if (!in) return nullptr;
  std::stringstream content;
  content << in.rdbuf();
  auto file = std::make_shared<StaticFile>();
  file->content_type = std::string(MediaTypeOf(full.filename().string()));
  file->identity = content.str();
  if (IsCompressible(file->content_type) && file->identity.size() >= 256) {
    if (auto gz = Compress(file->identity, Encoding::kGzip, 9);
        gz && gz->size() < file->identity.size())
      file->gzip = std::move(*gz);
    if (auto br = Compress(file->identity, Encoding::kBrotli, 11);
        br && br->size() < file->identity.size())
      file->brotli = std::move(*br);
  }
  std::lock_guard<std::mutex> lock(mu_);
  cache_[key] = Entry{mtime, size, file};
  return file;
}

}  // namespace gugus::http
