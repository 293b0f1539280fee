// Civil dates and the date formats Indonesian agencies write (SPEC section 5).
//
// ParseDate accepts, after trimming:
//   YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY (one- or two-digit day/month),
//   "D MMMM YYYY" and "D MMM YYYY" with Indonesian or English month names or
//   abbreviations, case-insensitive, optional trailing dot or comma ("3 Agu 2021",
//   "3 Agt. 2021", "12 Maret 1999", "12 March, 1999", "1 Okt 2020", "5 Des 2019",
//   "3 Nop 2020", "3 Peb 2020"), and, when `allow_excel_serial` is set, an Excel
//   serial day number (1900 date system, e.g. "44197" = 2021-01-01; fractional
//   part ignored).
// Errors: InvalidArgument "unparseable" when no format fits; OutOfRange
// "impossible" when a format fits but the date does not exist (31/02/2021).
// Thread-safe; no allocation beyond the returned status.
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace gugus {

struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31

  auto operator<=>(const Date&) const = default;
};

struct DateParseOptions {
  bool allow_excel_serial = false;
};

bool IsValidDate(int year, int month, int day);
absl::StatusOr<Date> ParseDate(std::string_view text, DateParseOptions options = {});
std::string FormatIsoDate(const Date& date);  // "YYYY-MM-DD"

// Days since 1970-01-01 (may be negative) and back; for age arithmetic.
int DaysFromCivil(const Date& date);
Date CivilFromDays(int days);

// Whole years between `birth` and `on` (negative when `on` is before `birth`).
int AgeInYears(const Date& birth, const Date& on);

// Today's date in Asia/Jakarta (UTC+7), the reference for "in the future".
Date TodayInJakarta();

// The current time in UTC as ISO 8601 to the second: "2026-11-22T23:50:07Z".
std::string NowUtc();

// `t` in UTC as ISO 8601, to the second or with milliseconds
// ("2026-11-22T23:50:07.042Z"). Fixed width, so such strings sort by time.
std::string FormatUtc(std::chrono::system_clock::time_point t, bool milliseconds = false);

}  // namespace gugus
