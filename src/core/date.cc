#include "core/date.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "core/status.h"
#include "core/strcat.h"
#include "core/text.h"

namespace gugus {
namespace {

// Excel's 1900 date system: serial 25569 is 1970-01-01 for every serial from 61 on;
// serials 1..59 are one day later because Excel counts a 29 February 1900 that never
// was (serial 60, kept for Lotus 1-2-3 compatibility).
constexpr int64_t kExcelEpochOffset = 25569;
constexpr int64_t kExcelFictitiousLeapDay = 60;
constexpr int64_t kExcelMaxSerial = 2958465;  // 9999-12-31

constexpr std::string_view kMonthNamesEn[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

struct MonthName {
  std::string_view name;  // lower case
  int month;
};

// Indonesian and English names and the abbreviations clerks write; "mrt" is the
// traditional Indonesian short form of Maret.
constexpr MonthName kMonthNames[] = {
    {"januari", 1},   {"january", 1},   {"jan", 1},     {"februari", 2},
    {"pebruari", 2},  {"february", 2},  {"feb", 2},     {"peb", 2},
    {"maret", 3},     {"march", 3},     {"mar", 3},     {"mrt", 3},
    {"april", 4},     {"apr", 4},       {"mei", 5},     {"may", 5},
    {"juni", 6},      {"june", 6},      {"jun", 6},     {"juli", 7},
    {"july", 7},      {"jul", 7},       {"agustus", 8}, {"august", 8},
    {"agu", 8},       {"agt", 8},       {"ags", 8},     {"agst", 8},
    {"aug", 8},       {"september", 9}, {"sep", 9},     {"sept", 9},
    {"oktober", 10},  {"october", 10},  {"okt", 10},    {"oct", 10},
    {"november", 11}, {"nopember", 11}, {"nov", 11},    {"nop", 11},
    {"desember", 12}, {"december", 12}, {"des", 12},    {"dec", 12},
};
constexpr size_t kLongestMonthName = 9;

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The value as the user wrote it, bounded so a megabyte cell cannot make a megabyte
// message; cut on a UTF-8 boundary.
std::string Quoted(std::string_view text) {
  constexpr size_t kMax = 40;
  if (text.size() <= kMax) return StrCat("\"", text, "\"");
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return StrCat("\"", text.substr(0, cut), "…\"");
}

absl::Status Unparseable(std::string_view text) {
  return absl::InvalidArgumentError(StrCat(
      "unparseable date ", Quoted(text),
      ": write it as 2021-03-04, 04/03/2021, 04-03-2021, 04.03.2021 or 4 Maret 2021"));
}

absl::Status TwoDigitYear(std::string_view text) {
  return absl::InvalidArgumentError(
      StrCat("unparseable date ", Quoted(text),
             ": a two-digit year is ambiguous; write the year in full (e.g. 2021)"));
}

absl::Status Impossible(std::string_view text, const Date& d) {
  std::string why;
  if (d.year < 1 || d.year > 9999) {
    why = StrCat("year ", d.year, " is outside 0001–9999");
  } else if (d.month < 1 || d.month > 12) {
    why = StrCat("there is no month ", d.month);
  } else if (d.day < 1) {
    why = "there is no day 0";
  } else {
    why = StrCat(kMonthNamesEn[d.month - 1], " ", d.year, " has ",
                 DaysInMonth(d.year, d.month), " days");
  }
  return absl::OutOfRangeError(StrCat("impossible date ", Quoted(text), ": ", why));
}

// A cursor over the trimmed text. Every reader leaves `pos` unchanged on failure.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }

  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }

  // Reads a run of digits; `*count` is its length and `*value` its value, saturated
  // so that long runs cannot overflow.
  bool Digits(int* count, int64_t* value) {
    size_t start = pos_;
    int64_t v = 0;
    while (!AtEnd() && IsDigit(s_[pos_])) {
      if (v < 100000000) v = v * 10 + (s_[pos_] - '0');
      ++pos_;
    }
    *count = static_cast<int>(pos_ - start);
    *value = v;
    return *count > 0;
  }

  // Reads a number of `min`..`max` digits; fails (without moving) when the run of
  // digits at the cursor has another length.
  bool Number(int min, int max, int* value) {
    size_t start = pos_;
    int count = 0;
    int64_t v = 0;
    if (!Digits(&count, &v) || count < min || count > max) {
      pos_ = start;
      return false;
    }
    *value = static_cast<int>(v);
    return true;
  }

  // Reads exactly `n` digits, whatever follows them.
  bool Fixed(int n, int* value) {
    if (s_.size() - pos_ < static_cast<size_t>(n)) return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
      const char c = s_[pos_ + i];
      if (!IsDigit(c)) return false;
      v = v * 10 + (c - '0');
    }
    pos_ += n;
    *value = v;
    return true;
  }

  // Skips ASCII blanks and no-break spaces (U+00A0, common in Excel exports);
  // returns how many were skipped.
  int Blanks() {
    int n = 0;
    while (!AtEnd()) {
      if (s_[pos_] == ' ' || s_[pos_] == '\t') {
        ++pos_;
      } else if (s_.substr(pos_, 2) == "\xC2\xA0") {
        pos_ += 2;
      } else {
        break;
      }
      ++n;
    }
    return n;
  }

  // Reads an ASCII word of letters.
  std::string_view Letters() {
    size_t start = pos_;
    while (!AtEnd() && absl::ascii_isalpha(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    return s_.substr(start, pos_ - start);
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

int MonthFromName(std::string_view word) {
  if (word.empty() || word.size() > kLongestMonthName) return 0;
  char lower[kLongestMonthName];
  for (size_t i = 0; i < word.size(); ++i) {
    lower[i] = absl::ascii_tolower(static_cast<unsigned char>(word[i]));
  }
  std::string_view key(lower, word.size());
  for (const MonthName& m : kMonthNames) {
    if (m.name == key) return m.month;
  }
  return 0;
}

// An optional time of day after the date, as spreadsheets and databases export it:
// HH:MM[:SS[.fraction]] with an optional "Z" or "+07:00" zone. Only its shape is
// checked; the date is what was written before it.
bool TimeOfDay(Scanner& sc) {
  int hour = 0, minute = 0, second = 0;
  if (!sc.Number(1, 2, &hour) || hour > 23) return false;
  if (!sc.Consume(':') || !sc.Number(2, 2, &minute) || minute > 59) return false;
  if (sc.Consume(':')) {
    if (!sc.Number(2, 2, &second) || second > 60) return false;
    if (sc.Consume('.')) {
      int count = 0;
      int64_t ignored = 0;
      if (!sc.Digits(&count, &ignored)) return false;
    }
  }
  if (sc.Consume('Z')) return sc.AtEnd();
  if (sc.Consume('+') || sc.Consume('-')) {
    int zh = 0, zm = 0;
    if (!sc.Fixed(2, &zh) || zh > 14) return false;
    sc.Consume(':');
    if (!sc.Fixed(2, &zm) || zm > 59) return false;
  }
  return sc.AtEnd();
}

// What may follow a numeric date: nothing, or a time of day after a space (or, for
// ISO dates, after 'T').
bool DateEnd(Scanner& sc, bool iso) {
  if (sc.AtEnd()) return true;
  if (iso && sc.Consume('T')) return TimeOfDay(sc);
  if (sc.Blanks() == 0) return false;
  return TimeOfDay(sc);
}

absl::StatusOr<Date> Checked(std::string_view text, const Date& d) {
  if (!IsValidDate(d.year, d.month, d.day)) return Impossible(text, d);
  return d;
}

absl::StatusOr<Date> ExcelSerial(std::string_view text) {
  Scanner sc(text);
  int count = 0;
  int64_t serial = 0;
  sc.Digits(&count, &serial);
  if (sc.Consume('.')) {
    int frac_count = 0;
    int64_t ignored = 0;
    sc.Digits(&frac_count, &ignored);
  }
  if (serial < 1 || serial > kExcelMaxSerial) {
    return absl::OutOfRangeError(StrCat("impossible date ", Quoted(text),
                                        ": an Excel day number must be between 1 and ",
                                        kExcelMaxSerial));
  }
  if (serial == kExcelFictitiousLeapDay) {
    return absl::OutOfRangeError(
        StrCat("impossible date ", Quoted(text),
               ": Excel day number 60 is 29 February 1900, which did not exist"));
  }
  if (serial < kExcelFictitiousLeapDay) ++serial;
  return CivilFromDays(static_cast<int>(serial - kExcelEpochOffset));
}

bool LooksLikeExcelSerial(std::string_view text) {
  Scanner sc(text);
  int count = 0;
  int64_t ignored = 0;
  if (!sc.Digits(&count, &ignored)) return false;
  if (sc.Consume('.') && !sc.Digits(&count, &ignored)) return false;
  return sc.AtEnd();
}

// Reads a four-digit year at the end of the text; a two-digit one gets its own
// message because it is the commonest near miss.
absl::StatusOr<int> YearAtEnd(Scanner& sc, std::string_view text) {
  int count = 0;
  int64_t year = 0;
  if (!sc.Digits(&count, &year)) return Unparseable(text);
  if (count == 2) return TwoDigitYear(text);
  if (count != 4) return Unparseable(text);
  return static_cast<int>(year);
}

// "3 Agu 2021", "3 Agt. 2021", "12 March, 1999", "04-Mar-2021" (Excel's d-mmm-yyyy).
absl::StatusOr<Date> NamedMonth(Scanner& sc, std::string_view text, int day,
                                bool dashes) {
  int month = MonthFromName(sc.Letters());
  if (month == 0) return Unparseable(text);
  if (dashes) {
    if (!sc.Consume('-')) return Unparseable(text);
  } else {
    bool punct = sc.Consume('.');
    punct = sc.Consume(',') || punct;
    if (sc.Blanks() == 0 && !punct) return Unparseable(text);
  }
  GUGUS_ASSIGN_OR_RETURN(int year, YearAtEnd(sc, text));
  if (!sc.AtEnd()) return Unparseable(text);
  return Checked(text, Date{year, month, day});
}

}  // namespace

bool IsValidDate(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

absl::StatusOr<Date> ParseDate(std::string_view text, DateParseOptions options) {
  text = Trim(text);
  if (text.empty()) return absl::InvalidArgumentError("unparseable date: it is empty");
  if (options.allow_excel_serial && LooksLikeExcelSerial(text)) return ExcelSerial(text);

  Scanner sc(text);
  int count = 0;
  int64_t first = 0;
  if (!sc.Digits(&count, &first)) return Unparseable(text);

  if (count == 4) {  // YYYY-MM-DD, optionally followed by a time
    int month = 0, day = 0;
    if (!sc.Consume('-') || !sc.Number(1, 2, &month) || !sc.Consume('-') ||
        !sc.Number(1, 2, &day) || !DateEnd(sc, /*iso=*/true)) {
      return Unparseable(text);
    }
    return Checked(text, Date{static_cast<int>(first), month, day});
  }
  if (count > 2) return Unparseable(text);

  const int day = static_cast<int>(first);
  if (sc.Blanks() > 0) return NamedMonth(sc, text, day, /*dashes=*/false);
  const char sep = sc.Peek();
  if (sep != '/' && sep != '-' && sep != '.') return Unparseable(text);
  sc.Consume(sep);
  if (sep == '-' && absl::ascii_isalpha(static_cast<unsigned char>(sc.Peek()))) {
    return NamedMonth(sc, text, day, /*dashes=*/true);
  }
  int month = 0;
  if (!sc.Number(1, 2, &month) || !sc.Consume(sep)) return Unparseable(text);
  GUGUS_ASSIGN_OR_RETURN(int year, YearAtEnd(sc, text));
  if (!DateEnd(sc, /*iso=*/false)) return Unparseable(text);
  return Checked(text, Date{year, month, day});
}

std::string FormatIsoDate(const Date& date) {
  if (date.year < 0 || date.year > 9999 || date.month < 0 || date.month > 99 ||
      date.day < 0 || date.day > 99) {
    return absl::StrFormat("%04d-%02d-%02d", date.year, date.month, date.day);
  }
  // The common case, without a format parser: it runs for every date of every row.
  std::string out = "0000-00-00";
  auto put = [&out](size_t at, int value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10)
      out[at + static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(0, date.year, 4);
  put(5, date.month, 2);
  put(8, date.day, 2);
  return out;
}

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian), in 64-bit
// arithmetic so that no int input can overflow.
int DaysFromCivil(const Date& date) {
  const int64_t m = date.month;
  const int64_t y = static_cast<int64_t>(date.year) - (m <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                                           // [0, 399]
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + date.day - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return static_cast<int>(era * 146097 + doe - 719468);
}

Date CivilFromDays(int days) {
  const int64_t z = static_cast<int64_t>(days) + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;  // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;                             // [1, 31]
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;                                // [1, 12]
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return Date{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

int AgeInYears(const Date& birth, const Date& on) {
  // The largest n with birth + n years <= on; someone born on 29 February turns a
  // year older on 1 March in common years.
  int years = on.year - birth.year;
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --years;
  return years;
}

Date TodayInJakarta() {
  using std::chrono::days;
  using std::chrono::floor;
  using std::chrono::hours;
  const auto jakarta = std::chrono::system_clock::now() + hours(7);
  const auto day = floor<days>(jakarta).time_since_epoch().count();
  return CivilFromDays(static_cast<int>(day));
}

std::string FormatUtc(std::chrono::system_clock::time_point t, bool milliseconds) {
  using std::chrono::days;
  using std::chrono::floor;
  const auto day = floor<days>(t);
  const int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t - day).count();
  const int64_t seconds = ms / 1000;
  std::string out = fmt::format(
      "{}T{:02d}:{:02d}:{:02d}",
      FormatIsoDate(CivilFromDays(static_cast<int>(day.time_since_epoch().count()))),
      seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (milliseconds) out += fmt::format(".{:03d}", ms % 1000);
  out += 'Z';
  return out;
}

std::string NowUtc() { return FormatUtc(std::chrono::system_clock::now()); }

}  // namespace gugus
