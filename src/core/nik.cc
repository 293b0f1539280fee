#include "core/nik.h"

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "core/strcat.h"

namespace gugus {
namespace {

constexpr size_t kNikLength = 16;
constexpr int kFemaleDayOffset = 40;

int TwoDigits(const char* p) { return (p[0] - '0') * 10 + (p[1] - '0'); }

bool IsSeparator(char c) { return c == ' ' || c == '.' || c == '-' || c == '\t'; }

}  // namespace

absl::StatusOr<NikInfo> ParseNik(std::string_view text, const Date& reference) {
  char digits[kNikLength];
  size_t count = 0;  // digits seen, including any beyond the sixteenth
  bool non_digit = false;
  bool exponent = false;  // "3.20201E+15": the cell was stored as a number
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      if (count < kNikLength) digits[count] = c;
      ++count;
    } else if (IsSeparator(c)) {
      continue;
    } else if (text.substr(i, 2) == "\xC2\xA0") {  // no-break space
      ++i;
    } else {
      non_digit = true;
      exponent = exponent || c == 'E' || c == 'e';
    }
  }
  if (non_digit) {
    return absl::InvalidArgumentError(
        exponent ? "NIK must contain only digits (it looks like a number in scientific "
                   "notation: format the spreadsheet column as text)"
                 : "NIK must contain only digits");
  }
  if (count != kNikLength) {
    return absl::InvalidArgumentError(
        StrCat("NIK must have 16 digits (has ", count, ")"));
  }

  int day = TwoDigits(digits + 6);
  const int month = TwoDigits(digits + 8);
  const int yy = TwoDigits(digits + 10);
  Sex sex = Sex::kMale;
  if (day > kFemaleDayOffset) {
    sex = Sex::kFemale;
    day -= kFemaleDayOffset;
  }
  // An invalid reference would put birth dates in year 0090; use today instead.
  const Date ref = IsValidDate(reference.year, reference.month, reference.day)
                       ? reference
                       : TodayInJakarta();
  Date birth{ref.year - ref.year % 100 + yy, month, day};
  if (birth > ref) birth.year -= 100;
  if (!IsValidDate(birth.year, birth.month, birth.day)) {
    return absl::InvalidArgumentError(
        StrCat("NIK birth-date part is impossible (digits 7–12 are ",
               std::string_view(digits + 6, 6),
               "; day must be 01–31, or 41–71 for women, and month 01–12)"));
  }
  if (std::string_view(digits + 12, 4) == "0000") {
    return absl::InvalidArgumentError("NIK serial 0000 is not issued");
  }

  NikInfo info;
  info.digits.assign(digits, kNikLength);
  info.province_code.assign(digits, 2);
  info.regency_code.assign(digits, 2).append(".").append(digits + 2, 2);
  info.district_code = info.regency_code;
  info.district_code.append(".").append(digits + 4, 2);
  info.birth_date = birth;
  info.sex = sex;
  return info;
}

std::string FormatNik(std::string_view district_code, const Date& birth_date, Sex sex,
                      int serial) {
  std::string out;
  out.reserve(kNikLength);
  for (char c : district_code) {
    if (c != '.') out.push_back(c);
  }
  auto append2 = [&out](int v) {
    out.push_back(static_cast<char>('0' + v / 10 % 10));
    out.push_back(static_cast<char>('0' + v % 10));
  };
  append2(birth_date.day + (sex == Sex::kFemale ? kFemaleDayOffset : 0));
  append2(birth_date.month);
  append2(((birth_date.year % 100) + 100) % 100);
  append2(serial / 100 % 100);
  append2(serial % 100);
  return out;
}

}  // namespace gugus
