// Internals shared by the readers of reader.h (CSV, XLSX, JSON lines). Not part of
// the public contract: only src/ingest and its tests include this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ingest/reader.h"

namespace gugus::ingest::internal {

// Readers pull their input in chunks of this size; the CSV reader also decides the
// encoding and the delimiter from the first chunk.
inline constexpr size_t kChunkBytes = size_t{1} << 20;

// A single row (CSV record, JSON line, XLSX <row> element) longer than this is an
// error: it is almost always an unclosed quote swallowing the rest of the file, and
// memory must stay bounded.
inline constexpr size_t kMaxRowBytes = size_t{64} << 20;

// Bytes from a file descriptor or from an owned string. Move-only.
class ByteSource {
 public:
  // NotFound / PermissionDenied / InvalidArgument (a directory) for an unusable path.
  static absl::StatusOr<ByteSource> OpenFile(const std::string& path);
  static ByteSource FromString(std::string content);

  ByteSource(ByteSource&& other) noexcept;
  ByteSource& operator=(ByteSource&& other) noexcept;
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;
  ~ByteSource();

  // Reads up to `n` bytes into `out`, fewer only at the end; 0 at the end.
  absl::StatusOr<size_t> Read(char* out, size_t n);
  absl::Status Rewind();
  uint64_t size() const { return size_; }

  // Gives up the file descriptor (-1 for a string source); the caller owns it.
  int ReleaseFd();
  // The string of a string source (empty for a file).
  std::string& content() { return content_; }

 private:
  ByteSource() = default;

  int fd_ = -1;
  std::string content_;
  uint64_t offset_ = 0;  // read position within content_
  uint64_t size_ = 0;
};

// InvalidArgument with a plain message when `prefix` (the first bytes of a file) is
// not text: NUL bytes, many control characters, UTF-16, an OLE (old .xls) file.
absl::Status CheckIsText(std::string_view prefix);

// True when the cell holds nothing but ASCII blanks (space, tab).
bool IsBlankCell(std::string_view cell);

// Only ASCII bytes (fast path before UTF-8 validation).
bool IsAscii(std::string_view text);

// Makes `cell` valid UTF-8: invalid text is taken as Windows-1252, the only other
// encoding the interchange format accepts.
void EnsureUtf8(std::string& cell);

// Turns the first non-blank row into the header: cells trimmed, trailing empty cells
// dropped. InvalidArgument when nothing is left.
absl::Status FinishHeader(std::vector<std::string>& cells, int64_t line);

// Aligns a data row of `ncells` parsed cells (row.cells[0, ncells)) with a header of
// `width` columns: missing cells become "", blank cells beyond the header are
// dropped, and non-blank ones are kept and flagged in row.problem. With
// `with_numeric`, row.numeric (at least `ncells` long) is resized alike; else cleared.
void FitToHeader(RawRow& row, size_t ncells, size_t width, bool with_numeric = false);

// Limits of the XLSX reader against zip bombs and absurd input; tests lower them.
struct XlsxLimits {
  uint64_t max_shared_strings_bytes = uint64_t{512} << 20;  // uncompressed XML
  uint64_t max_sheet_bytes = uint64_t{4} << 30;             // uncompressed XML
  uint64_t max_part_bytes = uint64_t{16} << 20;  // workbook.xml, its relationships
};

absl::StatusOr<std::unique_ptr<RowReader>> OpenXlsxWithLimits(ByteSource source,
                                                              const XlsxLimits& limits);

}  // namespace gugus::ingest::internal
