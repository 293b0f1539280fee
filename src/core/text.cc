#include "core/text.h"

#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <memory>

namespace gugus {
namespace {

// Windows-1252 0x80–0x9F; 0 marks the five undefined bytes.
constexpr char32_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void AppendUtf8(std::string& out, char32_t cp) {
  uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

bool IsSpace(utf8proc_int32_t cp) {
  if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f')
    return true;
  if (cp < 0x80) return false;
  if (cp == 0xFEFF || cp == 0x200B) return true;  // BOM / zero-width space
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

// Decodes one code point at `i`; invalid bytes decode as U+FFFD of length 1.
utf8proc_int32_t Decode(std::string_view s, size_t i, size_t* len) {
  utf8proc_int32_t cp = 0;
  utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const uint8_t*>(s.data() + i),
                                        static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
  if (n <= 0) {
    *len = 1;
    return 0xFFFD;
  }
  *len = static_cast<size_t>(n);
  return cp;
}

// Invalid UTF-8 sequences replaced by U+FFFD, so that utf8proc accepts the text.
std::string ReplaceInvalidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size();) {
    size_t len = 0;
    utf8proc_int32_t cp = Decode(text, i, &len);
    AppendUtf8(out, static_cast<char32_t>(cp));
    i += len;
  }
  return out;
}

std::string Map(std::string_view text, int options) {
  std::string repaired;
  if (!IsValidUtf8(text)) {
    repaired = ReplaceInvalidUtf8(text);
    text = repaired;
  }
  uint8_t* out = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const uint8_t*>(text.data()),
                                    static_cast<utf8proc_ssize_t>(text.size()), &out,
                                    static_cast<utf8proc_option_t>(options));
  if (n < 0) return std::string(text);
  std::unique_ptr<uint8_t, decltype(&std::free)> holder(out, &std::free);
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

}  // namespace

bool IsValidUtf8(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n =
        utf8proc_iterate(reinterpret_cast<const uint8_t*>(bytes.data() + i),
                         static_cast<utf8proc_ssize_t>(bytes.size() - i), &cp);
    if (n <= 0) return false;
    i += static_cast<size_t>(n);
  }
  return true;
}

std::string Windows1252ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else if (c < 0xA0) {
      char32_t cp = kCp1252High[c - 0x80];
      AppendUtf8(out, cp ? cp : 0xFFFD);
    } else {
      AppendUtf8(out, c);  // Latin-1 range maps to itself
    }
  }
  return out;
}

std::string_view Trim(std::string_view text) {
  size_t begin = 0;
  while (begin < text.size()) {
    size_t len = 0;
    if (!IsSpace(Decode(text, begin, &len))) break;
    begin += len;
  }
  size_t end = text.size();
  while (end > begin) {
    // Step back to the start of the last code point.
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
      --start;
    size_t len = 0;
    if (!IsSpace(Decode(text, start, &len)) || start + len != end) break;
    end = start;
  }
  return text.substr(begin, end - begin);
}

void CollapseSpaces(std::string_view text, std::string& out) {
  text = Trim(text);
  out.clear();
  bool in_space = false;
  for (size_t i = 0; i < text.size();) {
    // Runs of plain ASCII (no white space) are copied in one go: most cells are one.
    size_t run = i;
    while (run < text.size()) {
      auto c = static_cast<unsigned char>(text[run]);
      if (c >= 0x80 || c == ' ' || (c >= '\t' && c <= '\r')) break;
      ++run;
    }
    if (run > i) {
      if (in_space) out.push_back(' ');
      in_space = false;
      out.append(text.substr(i, run - i));
      i = run;
      continue;
    }
    size_t len = 1;
    auto c = static_cast<unsigned char>(text[i]);
    utf8proc_int32_t cp = c < 0x80 ? c : Decode(text, i, &len);
    if (IsSpace(cp)) {
      in_space = true;
    } else {
      if (in_space) out.push_back(' ');
      in_space = false;
      out.append(text.substr(i, len));
    }
    i += len;
  }
}

std::string CollapseSpaces(std::string_view text) {
  std::string out;
  CollapseSpaces(text, out);
  return out;
}

std::string FoldForMatch(std::string_view text) {
  bool ascii = true;
  for (char ch : text) ascii = ascii && static_cast<unsigned char>(ch) < 0x80;
  if (ascii) {  // the common case, without utf8proc's allocations
    std::string out = CollapseSpaces(text);
    for (char& ch : out)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return out;
  }
  std::string folded = Map(text, UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                     UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
  return CollapseSpaces(folded);
}

std::string MatchKey(std::string_view text) {
  std::string folded = FoldForMatch(text);
  std::string key;
  key.reserve(folded.size());
  for (size_t i = 0; i < folded.size();) {
    auto c = static_cast<unsigned char>(folded[i]);
    if (c < 0x80) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) key.push_back(folded[i]);
      ++i;
      continue;
    }
    size_t len = 0;
    utf8proc_category_t cat = utf8proc_category(Decode(folded, i, &len));
    if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
        (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO))
      key.append(folded, i, len);
    i += len;
  }
  return key;
}

std::string HeaderKey(std::string_view text) {
  std::string folded = FoldForMatch(text);
  std::string out;
  out.reserve(folded.size());
  for (char ch : folded)
    if (ch != ' ' && ch != '_' && ch != '-') out.push_back(ch);
  return out;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t end; (end = text.find(separator, start)) != std::string_view::npos;
       start = end + 1)
    out.push_back(text.substr(start, end - start));
  out.push_back(text.substr(start));
  return out;
}

}  // namespace gugus
