#include "core/values.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "core/text.h"

namespace gugus {
namespace {

constexpr std::string_view kMaleWords[] = {"l",    "laki-laki", "laki2", "lelaki",
                                           "pria", "m",         "male"};
constexpr std::string_view kFemaleWords[] = {"p", "perempuan", "wanita", "f", "female"};

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Indonesian numbers after the country code: mobile 8xx… and landlines with an
// area code; never 0 or 1 first.
bool IsIndonesianNationalNumber(std::string_view national) {
  return national.size() >= 8 && national.size() <= 13 && national[0] >= '2';
}

}  // namespace

std::optional<Sex> ParseSex(std::string_view text) {
  text = Trim(text);
  // Lower case, with runs of blanks and dashes folded to one '-' so that "Laki laki",
  // "laki - laki" and "LAKI-LAKI" read alike.
  constexpr size_t kMax = 12;
  if (text.empty() || text.size() > kMax) return std::nullopt;
  char buf[kMax];
  size_t n = 0;
  bool pending_dash = false;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\t') {
      pending_dash = true;
      continue;
    }
    if (pending_dash) buf[n++] = '-';
    pending_dash = false;
    buf[n++] = absl::ascii_tolower(static_cast<unsigned char>(c));
  }
  const std::string_view word(buf, n);
  for (std::string_view w : kMaleWords) {
    if (word == w) return Sex::kMale;
  }
  for (std::string_view w : kFemaleWords) {
    if (word == w) return Sex::kFemale;
  }
  return std::nullopt;
}

std::string_view SexCode(Sex sex) { return sex == Sex::kFemale ? "P" : "L"; }

std::optional<std::string> NormalizePhone(std::string_view text) {
  text = Trim(text);
  // E.164 allows 15 digits; a trunk or international prefix adds at most 2.
  constexpr size_t kMaxDigits = 17;
  char digits[kMaxDigits];
  size_t n = 0;
  bool plus = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsAsciiDigit(c)) {
      if (n == kMaxDigits) return std::nullopt;
      digits[n++] = c;
    } else if (c == '+' && i == 0) {
      plus = true;
    } else if (c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' || c == '\t') {
      continue;
    } else if (text.substr(i, 2) == "\xC2\xA0") {  // no-break space
      ++i;
    } else {
      return std::nullopt;
    }
  }
  std::string_view d(digits, n);
  if (d.empty()) return std::nullopt;

  std::string_view national;
  if (plus) {
    if (d.substr(0, 2) != "62") {  // a foreign number, kept as written
      if (d.size() < 8 || d.size() > 15 || d[0] == '0') return std::nullopt;
      return std::string("+").append(d);
    }
    national = d.substr(2);
  } else if (d.substr(0, 4) == "0062") {
    national = d.substr(4);
  } else if (d.substr(0, 2) == "62") {
    national = d.substr(2);
  } else if (d[0] == '0' && d.substr(0, 2) != "00") {
    national = d.substr(1);
  } else if (d[0] == '8') {  // a mobile number without its trunk 0 (Excel drops it)
    if (d.size() < 9 || d.size() > 12) return std::nullopt;
    national = d;
  } else {
    return std::nullopt;
  }
  // "+62 (0)812…": the trunk 0 written after the country code.
  if (!national.empty() && national[0] == '0') national.remove_prefix(1);
  if (!IsIndonesianNationalNumber(national)) return std::nullopt;
  return std::string("+62").append(national);
}

void CleanName(std::string_view text, std::string& out) {
  CollapseSpaces(text, out);
  bool ascii = true;
  for (char c : out) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return;  // already NFC
  uint8_t* composed = nullptr;
  const utf8proc_ssize_t len =
      utf8proc_map(reinterpret_cast<const uint8_t*>(out.data()),
                   static_cast<utf8proc_ssize_t>(out.size()), &composed,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (len < 0) return;  // not UTF-8: the reader's concern, keep the bytes
  std::unique_ptr<uint8_t, decltype(&std::free)> holder(composed, &std::free);
  out.assign(reinterpret_cast<const char*>(composed), static_cast<size_t>(len));
}

std::string CleanName(std::string_view text) {
  std::string out;
  CleanName(text, out);
  return out;
}

}  // namespace gugus
