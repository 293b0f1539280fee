// XLSX: the first worksheet of an Office Open XML workbook, with libzip and pugixml.
//
// Only the small parts (workbook.xml and its relationships) are parsed as a whole.
// The shared strings and the worksheet are streamed out of the zip in chunks; the
// text is cut into single <si> / <row> elements, each parsed on its own by pugixml
// in place, so memory stays at the shared strings plus one row however long the
// sheet. Every uncompressed size is capped (XlsxLimits) against zip bombs.
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>
#include <pugixml.hpp>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "ingest/reader.h"
#include "ingest/reader_internal.h"

namespace gugus::ingest {
namespace {

using internal::ByteSource;
using internal::XlsxLimits;

constexpr size_t kMaxColumns = 16384;  // Excel's limit: column XFD
constexpr unsigned kParseOptions = pugi::parse_default | pugi::parse_ws_pcdata;

absl::Status Damaged(std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("the XLSX file is damaged: ", AsAbsl(why)));
}

std::string Lowercased(std::string_view message) {
  std::string out(message);
  if (!out.empty()) out[0] = absl::ascii_tolower(static_cast<unsigned char>(out[0]));
  return out;
}

struct ZipDeleter {
  void operator()(zip_t* zip) const { zip_discard(zip); }
};
struct ZipFileDeleter {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDeleter>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileDeleter>;

// The name without its namespace prefix: files written by .NET tools say <x:row>.
std::string_view LocalName(std::string_view qname) {
  size_t colon = qname.rfind(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

pugi::xml_node Child(pugi::xml_node node, std::string_view local_name) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && LocalName(child.name()) == local_name) {
      return child;
    }
  }
  return {};
}

void AppendText(pugi::xml_node t, std::string& out) {
  for (pugi::xml_node piece : t.children()) {
    if (piece.type() == pugi::node_pcdata || piece.type() == pugi::node_cdata) {
      out.append(piece.value());
    }
  }
}

// Text of an <si> or <is>: plain <t>, or the <t> of each rich-text run <r>; the
// phonetic runs (<rPh>) are not part of the value.
void AppendRichText(pugi::xml_node node, std::string& out) {
  for (pugi::xml_node child : node.children()) {
    std::string_view name = LocalName(child.name());
    if (name == "t") {
      AppendText(child, out);
    } else if (name == "r") {
      for (pugi::xml_node t : child.children()) {
        if (LocalName(t.name()) == "t") AppendText(t, out);
      }
    }
  }
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Excel writes characters XML cannot hold as _xHHHH_ (a line break in a cell is
// often _x000D_); a literal "_x" is escaped as _x005F_x.
void DecodeOoxmlEscapes(std::string& text) {
  if (text.find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '_' && text.size() - i >= 7 && text[i + 1] == 'x' &&
        text[i + 6] == '_') {
      int cp = 0;
      bool hex = true;
      for (size_t k = 2; k < 6 && hex; ++k) {
        int d = HexDigit(text[i + k]);
        hex = d >= 0;
        cp = cp * 16 + d;
      }
      if (hex) {
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // a lone surrogate
        if (cp == 0) {
        } else if (cp < 0x80) {
          out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
          out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
          out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
          out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        i += 7;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  text = std::move(out);
}

// "C5" → 2; nullopt when there are no column letters or the column is beyond XFD.
std::optional<size_t> ParseColumn(std::string_view ref) {
  size_t column = 0;
  size_t letters = 0;
  for (char c : ref) {
    c = absl::ascii_toupper(static_cast<unsigned char>(c));
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + static_cast<size_t>(c - 'A' + 1);
    if (column > kMaxColumns) return std::nullopt;
    ++letters;
  }
  if (letters == 0) return std::nullopt;
  return column - 1;
}

std::optional<int64_t> ParsePositive(std::string_view text) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

// An Excel number as a person would type it: integers without ".0" (44197, also
// NIKs stored as numbers), everything else in the shortest form that reads back as
// the same double. False (text kept as is) when it is not a number.
bool FormatNumber(std::string_view text, std::string& out) {
  size_t first = text.find_first_not_of(" \t\r\n");
  text = first == std::string_view::npos
             ? std::string_view()
             : text.substr(first, text.find_last_not_of(" \t\r\n") + 1 - first);
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() ||
      !std::isfinite(value)) {
    out.assign(text);
    return false;
  }
  char buffer[64];
  std::to_chars_result result;
  if (value == std::trunc(value) && std::fabs(value) < 1e18) {
    result = std::to_chars(buffer, buffer + sizeof buffer, static_cast<int64_t>(value));
  } else if (std::fabs(value) >= 1e18) {  // not digits beyond the double's precision
    result = std::to_chars(buffer, buffer + sizeof buffer, value,
                           std::chars_format::scientific);
  } else {
    result = std::to_chars(buffer, buffer + sizeof buffer, value);
  }
  out.assign(buffer, result.ptr);
  return true;
}

// Cuts the elements with one local name (<row>, <si>) out of a zip entry streamed in
// chunks. Each is returned as a mutable range of the internal buffer (pugixml
// parses it in place), valid until the next call.
class ElementStream {
 public:
  ElementStream(ZipFilePtr file, std::string_view local_name, uint64_t max_bytes,
                std::string_view part)
      : file_(std::move(file)), local_(local_name), max_bytes_(max_bytes), part_(part) {}

  // False at the end of the entry.
  absl::StatusOr<bool> Next(char** begin, size_t* size) {
    for (;;) {
      if (!in_element_) {
        size_t lt = buffer_.find('<', pos_);
        if (lt == std::string::npos) {
          pos_ = buffer_.size();
          GUGUS_ASSIGN_OR_RETURN(bool more, More());
          if (!more) return false;
          continue;
        }
        size_t name_end = lt + 1;
        while (name_end < buffer_.size() && !IsNameEnd(buffer_[name_end])) ++name_end;
        if (name_end == buffer_.size()) {
          pos_ = lt;
          GUGUS_ASSIGN_OR_RETURN(bool more, More());
          if (!more) return false;
          continue;
        }
        std::string_view qname(buffer_.data() + lt + 1, name_end - lt - 1);
        if (qname.empty() || LocalName(qname) != local_) {
          pos_ = name_end;
          continue;
        }
        in_element_ = true;
        in_start_tag_ = true;
        quote_ = 0;
        close_tag_.assign("</").append(qname);
        pos_ = lt;
        scan_ = name_end;
      }
      size_t end = ScanToEnd();
      if (end != std::string::npos) {
        in_element_ = false;
        *begin = buffer_.data() + pos_;
        *size = end - pos_;
        pos_ = end;
        return true;
      }
      if (buffer_.size() - pos_ > internal::kMaxRowBytes) {
        return Damaged(absl::StrCat("an element of ", part_, " is larger than ",
                                    internal::kMaxRowBytes >> 20, " MiB"));
      }
      GUGUS_ASSIGN_OR_RETURN(bool more, More());
      if (!more) return Damaged(absl::StrCat(part_, " ends in the middle of an element"));
    }
  }

  // Uncompressed bytes consumed so far.
  uint64_t consumed() const { return total_ - (buffer_.size() - pos_); }

 private:
  static bool IsNameEnd(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/' ||
           c == '<';
  }

  // The end of the current element, or npos when the buffer does not reach it yet.
  size_t ScanToEnd() {
    if (in_start_tag_) {
      for (; scan_ < buffer_.size(); ++scan_) {
        char c = buffer_[scan_];
        if (quote_ != 0) {
          if (c == quote_) quote_ = 0;
        } else if (c == '"' || c == '\'') {
          quote_ = c;
        } else if (c == '>') {
          if (buffer_[scan_ - 1] == '/') return scan_ + 1;  // <row r="3"/>
          in_start_tag_ = false;
          ++scan_;
          break;
        }
      }
      if (in_start_tag_) return std::string::npos;
    }
    for (;;) {
      size_t close = buffer_.find(close_tag_, scan_);
      if (close == std::string::npos) {
        // Resume where a close tag cut by the chunk boundary could begin.
        size_t keep = close_tag_.size() - 1;
        if (buffer_.size() > scan_ + keep) scan_ = buffer_.size() - keep;
        return std::string::npos;
      }
      size_t j = close + close_tag_.size();
      while (j < buffer_.size() && (buffer_[j] == ' ' || buffer_[j] == '\t' ||
                                    buffer_[j] == '\r' || buffer_[j] == '\n')) {
        ++j;
      }
      if (j == buffer_.size()) {
        scan_ = close;
        return std::string::npos;
      }
      if (buffer_[j] == '>') return j + 1;
      scan_ = close + 1;  // </rowx> or similar: not ours
    }
  }

  // Drops the consumed text and appends the next chunk; false at the end.
  absl::StatusOr<bool> More() {
    if (at_end_) return false;
    if (pos_ > 0) {
      buffer_.erase(0, pos_);
      scan_ -= std::min(scan_, pos_);
      pos_ = 0;
    }
    if (chunk_ == nullptr) chunk_ = std::make_unique_for_overwrite<char[]>(kChunk);
    zip_int64_t got = zip_fread(file_.get(), chunk_.get(), kChunk);
    if (got < 0) return Damaged(Lowercased(zip_file_strerror(file_.get())));
    buffer_.append(chunk_.get(), static_cast<size_t>(got));
    total_ += static_cast<uint64_t>(got);
    if (total_ > max_bytes_) {
      return Damaged(absl::StrCat(part_, " is larger than ", max_bytes_ >> 20,
                                  " MiB uncompressed (a zip bomb?)"));
    }
    if (got == 0) at_end_ = true;
    return got > 0;
  }

  static constexpr size_t kChunk = 256 * 1024;

  ZipFilePtr file_;
  std::unique_ptr<char[]> chunk_;  // what zip_fread fills, appended to buffer_
  std::string local_;
  uint64_t max_bytes_;
  std::string part_;
  std::string buffer_;
  size_t pos_ = 0;
  uint64_t total_ = 0;
  bool at_end_ = false;
  // The element being cut out: it starts at pos_; scanning resumes at scan_.
  bool in_element_ = false;
  bool in_start_tag_ = false;
  char quote_ = 0;
  size_t scan_ = 0;
  std::string close_tag_;
};

// "worksheets/sheet1.xml" relative to xl/, or "/xl/worksheets/sheet1.xml".
std::string ResolvePart(std::string_view target) {
  std::vector<std::string_view> parts;
  if (!target.starts_with('/')) parts.push_back("xl");
  while (!target.empty()) {
    size_t slash = std::min(target.find('/'), target.size());
    std::string_view piece = target.substr(0, slash);
    target.remove_prefix(std::min(slash + 1, target.size()));
    if (piece.empty() || piece == ".") continue;
    if (piece == "..") {
      if (!parts.empty()) parts.pop_back();
    } else {
      parts.push_back(piece);
    }
  }
  std::string path;
  for (std::string_view piece : parts) {
    if (!path.empty()) path.push_back('/');
    path.append(piece);
  }
  return path;
}

class XlsxReader final : public RowReader {
 public:
  XlsxReader(ByteSource source, const XlsxLimits& limits)
      : source_(std::move(source)), limits_(limits) {
    info_.format = FileFormat::kXlsx;
    info_.encoding = "utf-8";
    info_.size_bytes = source_.size();
  }

  absl::Status Init();

  const FileInfo& info() const override { return info_; }
  const std::vector<std::string>& header() const override { return header_; }
  absl::StatusOr<bool> Next(RawRow& row) override;
  int64_t blank_rows() const override { return blank_rows_; }
  uint64_t bytes_read() const override {
    if (rows_ == nullptr || sheet_size_ == 0) return 0;
    double share = std::min(
        1.0, static_cast<double>(rows_->consumed()) / static_cast<double>(sheet_size_));
    return static_cast<uint64_t>(share * static_cast<double>(info_.size_bytes));
  }

 private:
  absl::Status OpenZip();
  std::optional<zip_uint64_t> Locate(const std::string& name) const;
  absl::StatusOr<ZipFilePtr> OpenEntry(zip_uint64_t index) const;
  // The whole of a small part; nullopt when the zip does not have it.
  absl::StatusOr<std::optional<std::string>> ReadPart(const std::string& name) const;
  absl::StatusOr<std::string> FindFirstSheet() const;
  absl::Status LoadSharedStrings();
  // Parses the next <row> into row.cells[0, *ncells); false at the end of the sheet.
  absl::StatusOr<bool> ReadRow(RawRow& row, size_t* ncells);
  void ReadCell(pugi::xml_node c, std::string& cell, bool* numeric, std::string& problem);

  std::string_view SharedString(size_t i) const {
    return std::string_view(strings_).substr(string_ends_[i],
                                             string_ends_[i + 1] - string_ends_[i]);
  }

  ByteSource source_;
  XlsxLimits limits_;
  FileInfo info_;
  std::vector<std::string> header_;
  int64_t blank_rows_ = 0;
  ZipPtr zip_;
  // Shared strings, back to back; string i is [string_ends_[i], string_ends_[i+1]).
  std::string strings_;
  std::vector<uint32_t> string_ends_ = {0};
  std::unique_ptr<ElementStream> rows_;
  uint64_t sheet_size_ = 0;
  int64_t last_row_ = 0;
  pugi::xml_document doc_;
};

absl::Status XlsxReader::OpenZip() {
  int error = 0;
  zip_t* zip = nullptr;
  if (int fd = source_.ReleaseFd(); fd >= 0) {
    zip = zip_fdopen(fd, 0, &error);
    if (zip == nullptr) ::close(fd);
  } else {
    zip_error_t source_error;
    zip_error_init(&source_error);
    std::string& content = source_.content();
    zip_source_t* src =
        zip_source_buffer_create(content.data(), content.size(), 0, &source_error);
    if (src == nullptr) {
      error = zip_error_code_zip(&source_error);
    } else {
      zip = zip_open_from_source(src, ZIP_RDONLY, &source_error);
      if (zip == nullptr) {
        error = zip_error_code_zip(&source_error);
        zip_source_free(src);
      }
    }
    zip_error_fini(&source_error);
  }
  if (zip == nullptr) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, error);
    std::string message = Lowercased(zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return Damaged(message);
  }
  zip_.reset(zip);
  return absl::OkStatus();
}

std::optional<zip_uint64_t> XlsxReader::Locate(const std::string& name) const {
  zip_int64_t index = zip_name_locate(zip_.get(), name.c_str(), 0);
  if (index < 0) index = zip_name_locate(zip_.get(), name.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return std::nullopt;
  return static_cast<zip_uint64_t>(index);
}

absl::StatusOr<ZipFilePtr> XlsxReader::OpenEntry(zip_uint64_t index) const {
  zip_file_t* file = zip_fopen_index(zip_.get(), index, 0);
  if (file == nullptr) return Damaged(Lowercased(zip_strerror(zip_.get())));
  return ZipFilePtr(file);
}

absl::StatusOr<std::optional<std::string>> XlsxReader::ReadPart(
    const std::string& name) const {
  std::optional<zip_uint64_t> index = Locate(name);
  if (!index) return std::nullopt;
  GUGUS_ASSIGN_OR_RETURN(ZipFilePtr file, OpenEntry(*index));
  std::string text;
  for (;;) {
    size_t old = text.size();
    text.resize(old + 64 * 1024);
    zip_int64_t got = zip_fread(file.get(), text.data() + old, 64 * 1024);
    if (got < 0) return Damaged(Lowercased(zip_file_strerror(file.get())));
    text.resize(old + static_cast<size_t>(got));
    if (got == 0) break;
    if (text.size() > limits_.max_part_bytes) {
      return Damaged(absl::StrCat(name, " is too large"));
    }
  }
  return text;
}

absl::StatusOr<std::string> XlsxReader::FindFirstSheet() const {
  // xl/workbook.xml lists the sheets in tab order; the first one's r:id names its
  // part in xl/_rels/workbook.xml.rels. Sheet parts need not be called sheet1.xml,
  // and sheet1.xml need not be the first tab.
  GUGUS_ASSIGN_OR_RETURN(std::optional<std::string> workbook,
                         ReadPart("xl/workbook.xml"));
  std::string rel_id;
  if (workbook) {
    pugi::xml_document doc;
    if (doc.load_buffer(workbook->data(), workbook->size(), kParseOptions,
                        pugi::encoding_utf8)) {
      pugi::xml_node sheet = Child(Child(doc.document_element(), "sheets"), "sheet");
      for (pugi::xml_attribute attribute : sheet.attributes()) {
        std::string_view name = attribute.name();
        if (name.find(':') != std::string_view::npos && LocalName(name) == "id") {
          rel_id = attribute.value();
        }
      }
    }
  }
  if (!rel_id.empty()) {
    GUGUS_ASSIGN_OR_RETURN(std::optional<std::string> rels,
                           ReadPart("xl/_rels/workbook.xml.rels"));
    pugi::xml_document doc;
    if (rels &&
        doc.load_buffer(rels->data(), rels->size(), kParseOptions, pugi::encoding_utf8)) {
      for (pugi::xml_node rel : doc.document_element().children()) {
        if (LocalName(rel.name()) == "Relationship" &&
            rel_id == rel.attribute("Id").value() &&
            std::string_view(rel.attribute("TargetMode").value()) != "External") {
          std::string part = ResolvePart(rel.attribute("Target").value());
          if (Locate(part)) return part;
          return Damaged(absl::StrCat("its first worksheet (", part, ") is missing"));
        }
      }
    }
  }
  std::string fallback = "xl/worksheets/sheet1.xml";
  if (Locate(fallback)) return fallback;
  if (!workbook) {
    return absl::InvalidArgumentError(
        "the file is a zip archive but not an XLSX workbook (no xl/workbook.xml)");
  }
  return Damaged("it has no worksheet");
}

absl::Status XlsxReader::LoadSharedStrings() {
  std::optional<zip_uint64_t> index = Locate("xl/sharedStrings.xml");
  if (!index) return absl::OkStatus();
  GUGUS_ASSIGN_OR_RETURN(ZipFilePtr file, OpenEntry(*index));
  ElementStream stream(std::move(file), "si", limits_.max_shared_strings_bytes,
                       "xl/sharedStrings.xml");
  pugi::xml_document doc;
  std::string text;
  for (;;) {
    char* begin = nullptr;
    size_t size = 0;
    GUGUS_ASSIGN_OR_RETURN(bool more, stream.Next(&begin, &size));
    if (!more) break;
    if (!doc.load_buffer_inplace(begin, size, kParseOptions, pugi::encoding_utf8)) {
      return Damaged("xl/sharedStrings.xml is not well-formed XML");
    }
    text.clear();
    AppendRichText(doc.document_element(), text);
    DecodeOoxmlEscapes(text);
    internal::EnsureUtf8(text);
    strings_.append(text);
    if (strings_.size() > UINT32_MAX) return Damaged("xl/sharedStrings.xml is too large");
    string_ends_.push_back(static_cast<uint32_t>(strings_.size()));
  }
  strings_.shrink_to_fit();
  string_ends_.shrink_to_fit();
  return absl::OkStatus();
}

absl::Status XlsxReader::Init() {
  if (source_.size() == 0) return absl::InvalidArgumentError("the file is empty");
  GUGUS_RETURN_IF_ERROR(OpenZip());
  GUGUS_ASSIGN_OR_RETURN(std::string sheet, FindFirstSheet());
  GUGUS_RETURN_IF_ERROR(LoadSharedStrings());

  zip_uint64_t index = *Locate(sheet);
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(zip_.get(), index, 0, &stat) == 0 && (stat.valid & ZIP_STAT_SIZE)) {
    sheet_size_ = stat.size;
  }
  GUGUS_ASSIGN_OR_RETURN(ZipFilePtr file, OpenEntry(index));
  rows_ = std::make_unique<ElementStream>(std::move(file), "row", limits_.max_sheet_bytes,
                                          "the worksheet");

  RawRow row;
  size_t ncells = 0;
  for (;;) {
    GUGUS_ASSIGN_OR_RETURN(bool more, ReadRow(row, &ncells));
    if (!more) return absl::InvalidArgumentError("the first worksheet is empty");
    if (!row.problem.empty()) {
      return Damaged(absl::StrCat("the header row (row ", row.line, "): ", row.problem));
    }
    if (!std::all_of(row.cells.begin(), row.cells.begin() + ncells,
                     [](const std::string& c) { return internal::IsBlankCell(c); })) {
      break;
    }
  }
  row.cells.resize(ncells);
  header_ = std::move(row.cells);
  return internal::FinishHeader(header_, row.line);
}

void XlsxReader::ReadCell(pugi::xml_node c, std::string& cell, bool* numeric,
                          std::string& problem) {
  std::string_view type = c.attribute("t").value();
  std::string_view value = Child(c, "v").text().get();
  if (type == "s") {
    size_t i = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), i);
    if (!value.empty() && ec == std::errc() && ptr == value.data() + value.size() &&
        i + 1 < string_ends_.size()) {
      cell.assign(SharedString(i));
    } else if (problem.empty()) {
      problem = absl::StrCat("cell ", c.attribute("r").value(),
                             " refers to a shared string that does not exist");
    }
  } else if (type == "inlineStr") {
    AppendRichText(Child(c, "is"), cell);
    DecodeOoxmlEscapes(cell);
  } else if (type == "b") {
    if (!value.empty()) cell.assign(value == "0" ? "FALSE" : "TRUE");
  } else if (type.empty() || type == "n") {
    if (!value.empty()) *numeric = FormatNumber(value, cell);
  } else {  // "str" (formula text), "e" (#N/A …), "d" (ISO 8601 date)
    cell.assign(value);
    DecodeOoxmlEscapes(cell);
  }
  internal::EnsureUtf8(cell);
}

absl::StatusOr<bool> XlsxReader::ReadRow(RawRow& row, size_t* ncells) {
  char* begin = nullptr;
  size_t size = 0;
  GUGUS_ASSIGN_OR_RETURN(bool more, rows_->Next(&begin, &size));
  if (!more) return false;

  *ncells = 0;
  row.problem.clear();
  row.numeric.resize(row.cells.size());
  for (size_t i = 0; i < row.cells.size(); ++i) {
    row.cells[i].clear();
    row.numeric[i] = false;
  }
  row.line = last_row_ + 1;
  if (!doc_.load_buffer_inplace(begin, size, kParseOptions, pugi::encoding_utf8)) {
    last_row_ = row.line;
    row.problem = "the row's XML is damaged";
    return true;
  }
  pugi::xml_node xml_row = doc_.document_element();
  if (std::optional<int64_t> number = ParsePositive(xml_row.attribute("r").value())) {
    row.line = *number;
  }
  last_row_ = row.line;

  size_t next_column = 0;
  for (pugi::xml_node c : xml_row.children()) {
    if (c.type() != pugi::node_element || LocalName(c.name()) != "c") continue;
    size_t column = next_column;
    if (pugi::xml_attribute ref = c.attribute("r")) {
      std::optional<size_t> parsed = ParseColumn(ref.value());
      if (!parsed) {
        if (row.problem.empty()) {
          row.problem = absl::StrCat("bad cell reference \"", ref.value(), "\"");
        }
        continue;
      }
      column = *parsed;
    }
    if (column >= kMaxColumns) continue;
    next_column = column + 1;
    if (column >= row.cells.size()) {
      row.cells.resize(column + 1);
      row.numeric.resize(column + 1, false);
    }
    *ncells = std::max(*ncells, column + 1);
    bool numeric = false;
    row.cells[column].clear();
    ReadCell(c, row.cells[column], &numeric, row.problem);
    row.numeric[column] = numeric;
  }
  return true;
}

absl::StatusOr<bool> XlsxReader::Next(RawRow& row) {
  for (;;) {
    size_t ncells = 0;
    GUGUS_ASSIGN_OR_RETURN(bool more, ReadRow(row, &ncells));
    if (!more) return false;
    if (row.problem.empty() &&
        std::all_of(row.cells.begin(), row.cells.begin() + ncells,
                    [](const std::string& c) { return internal::IsBlankCell(c); })) {
      ++blank_rows_;  // formatted but empty rows
      continue;
    }
    internal::FitToHeader(row, ncells, header_.size(), /*with_numeric=*/true);
    return true;
  }
}

}  // namespace

namespace internal {

absl::StatusOr<std::unique_ptr<RowReader>> OpenXlsxWithLimits(ByteSource source,
                                                              const XlsxLimits& limits) {
  auto reader = std::make_unique<XlsxReader>(std::move(source), limits);
  GUGUS_RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<RowReader>(std::move(reader));
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<RowReader>> OpenXlsx(const std::string& path) {
  GUGUS_ASSIGN_OR_RETURN(ByteSource source, ByteSource::OpenFile(path));
  return internal::OpenXlsxWithLimits(std::move(source), XlsxLimits());
}

absl::StatusOr<std::unique_ptr<RowReader>> OpenXlsxFromString(std::string content) {
  return internal::OpenXlsxWithLimits(ByteSource::FromString(std::move(content)),
                                      XlsxLimits());
}

}  // namespace gugus::ingest
