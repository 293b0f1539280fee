#include "core/date.h"

#include <cctype>
#include <chrono>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gugus {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr DateParseOptions kExcel{.allow_excel_serial = true};

std::string Show(const absl::StatusOr<Date>& r) {
  return r.ok() ? FormatIsoDate(*r) : std::string(r.status().ToString());
}

// Parses `text` and expects the ISO date `want`.
void ExpectDate(std::string_view text, std::string_view want,
                DateParseOptions options = {}) {
  absl::StatusOr<Date> got = ParseDate(text, options);
  EXPECT_EQ(Show(got), want) << "input: \"" << text << "\"";
}

void ExpectUnparseable(std::string_view text, DateParseOptions options = {}) {
  absl::StatusOr<Date> got = ParseDate(text, options);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument)
      << "input: \"" << text << "\" gave " << Show(got);
  if (!got.ok()) {
    EXPECT_THAT(got.status().message(), HasSubstr("unparseable")) << text;
  }
}

void ExpectImpossible(std::string_view text, DateParseOptions options = {}) {
  absl::StatusOr<Date> got = ParseDate(text, options);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kOutOfRange)
      << "input: \"" << text << "\" gave " << Show(got);
  if (!got.ok()) {
    EXPECT_THAT(got.status().message(), HasSubstr("impossible")) << text;
  }
}

// ---------------------------------------------------------------------------------
// Numeric formats

TEST(ParseDateTest, IsoYearMonthDay) {
  ExpectDate("2021-03-04", "2021-03-04");
  ExpectDate("1999-12-31", "1999-12-31");
  ExpectDate("2000-01-01", "2000-01-01");
  ExpectDate("2021-3-4", "2021-03-04");  // one-digit month and day
}

TEST(ParseDateTest, IsoTimestampsExportedByDatabasesAndSpreadsheets) {
  ExpectDate("2021-03-04T00:00:00", "2021-03-04");
  ExpectDate("2021-03-04 00:00:00", "2021-03-04");
  ExpectDate("2021-03-04T23:59:59", "2021-03-04");
  ExpectDate("2021-03-04T10:15", "2021-03-04");
  ExpectDate("2021-03-04T10:15:30.123", "2021-03-04");
  ExpectDate("2021-03-04T10:15:30Z", "2021-03-04");
  ExpectDate("2021-03-04T10:15:30+07:00", "2021-03-04");
  ExpectDate("2021-03-04T10:15:30-0300", "2021-03-04");
  ExpectDate("2021-03-04  08:00", "2021-03-04");
}

TEST(ParseDateTest, MalformedTimeAfterDateIsRejected) {
  ExpectUnparseable("2021-03-04T");
  ExpectUnparseable("2021-03-04T25:00:00");
  ExpectUnparseable("2021-03-04 12:60");
  ExpectUnparseable("2021-03-04 12");
  ExpectUnparseable("2021-03-04 12:00:00 extra");
  ExpectUnparseable("2021-03-04T12:00:00.");
  ExpectUnparseable("2021-03-04Z");
  ExpectUnparseable("2021-03-04x");
}

TEST(ParseDateTest, DayMonthYearWithSlashesDashesAndDots) {
  for (char sep : {'/', '-', '.'}) {
    SCOPED_TRACE(std::string(1, sep));
    const std::string s(1, sep);
    ExpectDate("04" + s + "03" + s + "2021", "2021-03-04");
    ExpectDate("4" + s + "3" + s + "2021", "2021-03-04");
    ExpectDate("31" + s + "12" + s + "1999", "1999-12-31");
    ExpectDate("1" + s + "01" + s + "2000", "2000-01-01");
  }
}

TEST(ParseDateTest, DayComesBeforeMonth) {
  // 03/04 is 3 April in Indonesia, never 4 March.
  ExpectDate("03/04/2021", "2021-04-03");
  ExpectDate("13/04/2021", "2021-04-13");
  ExpectImpossible("04/13/2021");  // a US-style date does not silently pass
}

TEST(ParseDateTest, DayMonthYearAcceptsATimeAfterASpace) {
  ExpectDate("04/03/2021 00:00", "2021-03-04");
  ExpectDate("04/03/2021 0:00", "2021-03-04");
  ExpectDate("04-03-2021 13:45:00", "2021-03-04");
  ExpectUnparseable("04/03/2021T00:00");
}

TEST(ParseDateTest, TwoDigitYearsAreRejectedAsAmbiguous) {
  for (std::string_view text :
       {"04/03/21", "04-03-21", "04.03.21", "4/3/99", "3 Agu 21", "04-Mar-21"}) {
    absl::StatusOr<Date> got = ParseDate(text);
    ASSERT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(got.status().message(), HasSubstr("two-digit year")) << text;
    EXPECT_THAT(got.status().message(), HasSubstr("unparseable")) << text;
  }
}

TEST(ParseDateTest, YearsOfOtherLengthsAreRejected) {
  ExpectUnparseable("04/03/202");
  ExpectUnparseable("04/03/20211");
  ExpectUnparseable("04/03/1");
  ExpectUnparseable("021-03-04");
  ExpectUnparseable("20210-03-04");
  ExpectUnparseable("3 Maret 202");
}

TEST(ParseDateTest, MixedOrMissingSeparatorsAreRejected) {
  ExpectUnparseable("04/03-2021");
  ExpectUnparseable("04.03/2021");
  ExpectUnparseable("04/03/");
  ExpectUnparseable("04/03");
  ExpectUnparseable("04//03/2021");
  ExpectUnparseable("2021/03/04");
  ExpectUnparseable("2021.03.04");
  ExpectUnparseable("2021-03");
  ExpectUnparseable("2021-03-");
  ExpectUnparseable("20210304");
  ExpectUnparseable("04032021");
  ExpectUnparseable("004/03/2021");
  ExpectUnparseable("04/003/2021");
  ExpectUnparseable("2021-003-04");
  ExpectUnparseable("2021-03-004");
  ExpectUnparseable("04 / 03 / 2021");
}

// ---------------------------------------------------------------------------------
// Month names

struct MonthCase {
  const char* word;
  int month;
};

class MonthNameTest : public ::testing::TestWithParam<MonthCase> {};

TEST_P(MonthNameTest, DayMonthNameYear) {
  const MonthCase& c = GetParam();
  const std::string want = FormatIsoDate(Date{2021, c.month, 9});
  const std::string word = c.word;
  std::string upper = word, lower = word;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(ch));
  for (char& ch : lower) ch = static_cast<char>(std::tolower(ch));
  ExpectDate("9 " + word + " 2021", want);
  ExpectDate("09 " + word + " 2021", want);
  ExpectDate("9 " + upper + " 2021", want);
  ExpectDate("9 " + lower + " 2021", want);
  ExpectDate("9 " + word + ". 2021", want);
  ExpectDate("9 " + word + ", 2021", want);
  ExpectDate("9 " + word + ".2021", want);
  ExpectDate("9-" + word + "-2021", want);
}

// Every name and abbreviation the format promises: Indonesian, the older Indonesian
// spellings (Pebruari, Nopember), and English.
INSTANTIATE_TEST_SUITE_P(
    AllNames, MonthNameTest,
    ::testing::Values(
        MonthCase{"Januari", 1}, MonthCase{"January", 1}, MonthCase{"Jan", 1},
        MonthCase{"Februari", 2}, MonthCase{"Pebruari", 2}, MonthCase{"February", 2},
        MonthCase{"Feb", 2}, MonthCase{"Peb", 2}, MonthCase{"Maret", 3},
        MonthCase{"March", 3}, MonthCase{"Mar", 3}, MonthCase{"Mrt", 3},
        MonthCase{"April", 4}, MonthCase{"Apr", 4}, MonthCase{"Mei", 5},
        MonthCase{"May", 5}, MonthCase{"Juni", 6}, MonthCase{"June", 6},
        MonthCase{"Jun", 6}, MonthCase{"Juli", 7}, MonthCase{"July", 7},
        MonthCase{"Jul", 7}, MonthCase{"Agustus", 8}, MonthCase{"August", 8},
        MonthCase{"Agu", 8}, MonthCase{"Agt", 8}, MonthCase{"Ags", 8},
        MonthCase{"Agst", 8}, MonthCase{"Aug", 8}, MonthCase{"September", 9},
        MonthCase{"Sep", 9}, MonthCase{"Sept", 9}, MonthCase{"Oktober", 10},
        MonthCase{"October", 10}, MonthCase{"Okt", 10}, MonthCase{"Oct", 10},
        MonthCase{"November", 11}, MonthCase{"Nopember", 11}, MonthCase{"Nov", 11},
        MonthCase{"Nop", 11}, MonthCase{"Desember", 12}, MonthCase{"December", 12},
        MonthCase{"Des", 12}, MonthCase{"Dec", 12}),
    [](const ::testing::TestParamInfo<MonthCase>& info) {
      return std::string(info.param.word);
    });

TEST(ParseDateTest, ExamplesFromTheSpecification) {
  ExpectDate("12 Maret 1999", "1999-03-12");
  ExpectDate("3 Agu 2021", "2021-08-03");
  ExpectDate("3 Agt 2021", "2021-08-03");
  ExpectDate("3 Agt. 2021", "2021-08-03");
  ExpectDate("12 March, 1999", "1999-03-12");
  ExpectDate("1 Okt 2020", "2020-10-01");
  ExpectDate("5 Des 2019", "2019-12-05");
  ExpectDate("3 Nop 2020", "2020-11-03");
  ExpectDate("3 Peb 2020", "2020-02-03");
}

TEST(ParseDateTest, NamedMonthToleratesExtraSpacesAndNoBreakSpaces) {
  ExpectDate("12   Maret    1999", "1999-03-12");
  ExpectDate("12\tMaret\t1999", "1999-03-12");
  ExpectDate(
      "12\xC2\xA0Maret\xC2\xA0"
      "1999",
      "1999-03-12");
}

TEST(ParseDateTest, UnknownOrPartialMonthNamesAreRejected) {
  for (std::string_view text :
       {"3 Ag 2021",        "3 Ma 2021",        "3 Marc 2021",      "3 Augustus 2021",
        "3 Me 2021",        "3 Septembre 2021", "3 Sebtember 2021", "3 Januar 2021",
        "3 Maret2021",      "3 Maret",          "Maret 2021",       "March 3, 2021",
        "3 Maret 2021.",    "3 Maret, , 2021",  "3-Maret 2021",     "3 Maret-2021",
        "3-Maret-",         "3 Mär 2021",       "3 M4ret 2021",     "3 Marett 2021",
        "3 Desemberr 2021", "3 . Maret 2021"}) {
    ExpectUnparseable(text);
  }
}

// ---------------------------------------------------------------------------------
// Impossible dates, leap years and boundaries

TEST(ParseDateTest, ImpossibleDatesAreOutOfRangeAndSayWhy) {
  absl::StatusOr<Date> r = ParseDate("31/02/2021");
  ASSERT_EQ(r.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(r.status().message(), HasSubstr("31/02/2021"));
  EXPECT_THAT(r.status().message(), HasSubstr("February 2021 has 28 days"));

  r = ParseDate("2021-13-01");
  ASSERT_EQ(r.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(r.status().message(), HasSubstr("no month 13"));

  r = ParseDate("00/01/2021");
  ASSERT_EQ(r.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(r.status().message(), HasSubstr("no day 0"));

  r = ParseDate("0000-01-01");
  ASSERT_EQ(r.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(r.status().message(), HasSubstr("year 0"));
}

TEST(ParseDateTest, ImpossibleDatesInEveryFormat) {
  ExpectImpossible("31/02/2021");
  ExpectImpossible("29/02/2023");
  ExpectImpossible("31-04-2021");
  ExpectImpossible("31.06.2021");
  ExpectImpossible("2021-09-31");
  ExpectImpossible("31 November 2021");
  ExpectImpossible("30 Feb 2020");
  ExpectImpossible("32 Januari 2021");
  ExpectImpossible("0 Januari 2021");
  ExpectImpossible("01/00/2021");
  ExpectImpossible("01/13/2021");
  ExpectImpossible("2021-00-10");
  ExpectImpossible("2021-12-00");
  ExpectImpossible("99/99/2021");
}

TEST(ParseDateTest, LastDayOfEveryMonth) {
  const int last[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int m = 1; m <= 12; ++m) {
    const std::string mm = (m < 10 ? "0" : "") + std::to_string(m);
    ExpectDate(std::to_string(last[m - 1]) + "/" + mm + "/2021",
               "2021-" + mm + "-" + std::to_string(last[m - 1]));
    ExpectImpossible(std::to_string(last[m - 1] + 1) + "/" + mm + "/2021");
  }
}

TEST(ParseDateTest, LeapYears) {
  ExpectDate("29/02/2020", "2020-02-29");  // divisible by 4
  ExpectDate("29/02/2000", "2000-02-29");  // divisible by 400
  ExpectDate("29 Februari 2024", "2024-02-29");
  ExpectDate("2016-02-29", "2016-02-29");
  ExpectImpossible("29/02/1900");  // divisible by 100 only
  ExpectImpossible("29/02/2100");
  ExpectImpossible("29/02/2023");
  ExpectImpossible("30/02/2020");
}

TEST(ParseDateTest, YearBoundaries) {
  ExpectDate("0001-01-01", "0001-01-01");
  ExpectDate("9999-12-31", "9999-12-31");
  ExpectDate("01/01/1900", "1900-01-01");
  ExpectImpossible("01/01/0000");
}

// ---------------------------------------------------------------------------------
// Excel serial day numbers

TEST(ParseDateTest, ExcelSerialsOnlyWhenAllowed) {
  ExpectDate("44197", "2021-01-01", kExcel);
  ExpectUnparseable("44197");
  ExpectUnparseable("44197.5");
}

TEST(ParseDateTest, ExcelSerialsAroundTheFictitiousLeapDay) {
  ExpectDate("1", "1900-01-01", kExcel);
  ExpectDate("2", "1900-01-02", kExcel);
  ExpectDate("31", "1900-01-31", kExcel);
  ExpectDate("32", "1900-02-01", kExcel);
  ExpectDate("59", "1900-02-28", kExcel);
  ExpectDate("61", "1900-03-01", kExcel);
  ExpectDate("62", "1900-03-02", kExcel);
  ExpectDate("367", "1901-01-01", kExcel);

  absl::StatusOr<Date> leap = ParseDate("60", kExcel);
  ASSERT_EQ(leap.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(leap.status().message(), HasSubstr("29 February 1900"));
}

TEST(ParseDateTest, ExcelSerialsKnownDates) {
  ExpectDate("25569", "1970-01-01", kExcel);
  ExpectDate("36526", "2000-01-01", kExcel);
  ExpectDate("36585", "2000-02-29", kExcel);
  ExpectDate("43831", "2020-01-01", kExcel);
  ExpectDate("45292", "2024-01-01", kExcel);
  ExpectDate("2958465", "9999-12-31", kExcel);
}

TEST(ParseDateTest, ExcelSerialFractionIsTheTimeOfDayAndIgnored) {
  ExpectDate("44197.0", "2021-01-01", kExcel);
  ExpectDate("44197.5", "2021-01-01", kExcel);
  ExpectDate("44197.999999", "2021-01-01", kExcel);
  ExpectDate(" 44197 ", "2021-01-01", kExcel);
  ExpectDate("044197", "2021-01-01", kExcel);
}

TEST(ParseDateTest, ExcelSerialsOutsideTheRange) {
  ExpectImpossible("0", kExcel);
  ExpectImpossible("0.5", kExcel);
  ExpectImpossible("2958466", kExcel);
  ExpectImpossible("99999999999999999999", kExcel);
  ExpectUnparseable("-1", kExcel);
  ExpectUnparseable("44197.", kExcel);
  ExpectUnparseable(".5", kExcel);
  ExpectUnparseable("44197.5.1", kExcel);
  ExpectUnparseable("4.4197E4", kExcel);
  ExpectUnparseable("44 197", kExcel);
}

TEST(ParseDateTest, OtherFormatsStillWorkWhenSerialsAreAllowed) {
  ExpectDate("2021-03-04", "2021-03-04", kExcel);
  ExpectDate("04/03/2021", "2021-03-04", kExcel);
  ExpectDate("04.03.2021", "2021-03-04", kExcel);
  ExpectDate("4 Maret 2021", "2021-03-04", kExcel);
}

// ---------------------------------------------------------------------------------
// White space, empty input and garbage

TEST(ParseDateTest, SurroundingWhiteSpaceIsIgnored) {
  ExpectDate("  2021-03-04  ", "2021-03-04");
  ExpectDate("\t04/03/2021\r\n", "2021-03-04");
  ExpectDate(
      "\xC2\xA0"
      "04/03/2021\xC2\xA0",
      "2021-03-04");  // NBSP from Excel
  ExpectDate(
      "\xEF\xBB\xBF"
      "2021-03-04",
      "2021-03-04");  // stray BOM
}

TEST(ParseDateTest, EmptyInputIsUnparseable) {
  ExpectUnparseable("");
  ExpectUnparseable("   ");
  ExpectUnparseable("\xC2\xA0");
  ExpectUnparseable("", kExcel);
}

TEST(ParseDateTest, GarbageIsUnparseable) {
  for (std::string_view text :
       {"-", "/", "abc", "tidak tahu", "N/A", "-/-/-", "__/__/____", "2021", "12", "1e5",
        "+44197", "2021-03-04-05", "04/03/2021/05", "O4/03/2021", "04/03/2O21",
        "4 Maret 2021 2022", "\xFF\xFE", "٠٤/٠٣/٢٠٢١"}) {
    ExpectUnparseable(text);
  }
}

TEST(ParseDateTest, EmbeddedNulIsUnparseable) {
  ExpectUnparseable(std::string_view("04/03/2021\0", 11));
  ExpectUnparseable(std::string_view("04/03\0/2021", 11));
}

TEST(ParseDateTest, MessageQuotesTheValueButBoundsItsLength) {
  const std::string long_text(10000, '9');
  absl::StatusOr<Date> r = ParseDate("x" + long_text);
  ASSERT_FALSE(r.ok());
  EXPECT_LT(r.status().message().size(), 300u);
  EXPECT_THAT(ParseDate("tidak tahu").status().message(), HasSubstr("\"tidak tahu\""));
}

TEST(ParseDateTest, MessageTruncationKeepsUtf8Whole) {
  // 39 ASCII bytes then a two-byte letter straddling the 40-byte cut.
  const std::string text = std::string(39, 'x') + "\xC3\xA9" + "yyyy";
  absl::StatusOr<Date> r = ParseDate(text);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), Not(HasSubstr("\xC3\"")));
  EXPECT_THAT(r.status().message(), HasSubstr(std::string(39, 'x') + "…"));
}

// ---------------------------------------------------------------------------------
// Formatting and day arithmetic

TEST(FormatIsoDateTest, PadsWithZeros) {
  EXPECT_EQ(FormatIsoDate(Date{2021, 3, 4}), "2021-03-04");
  EXPECT_EQ(FormatIsoDate(Date{999, 12, 31}), "0999-12-31");
  EXPECT_EQ(FormatIsoDate(Date{1, 1, 1}), "0001-01-01");
}

TEST(IsValidDateTest, Boundaries) {
  EXPECT_TRUE(IsValidDate(2020, 2, 29));
  EXPECT_FALSE(IsValidDate(2021, 2, 29));
  EXPECT_FALSE(IsValidDate(1900, 2, 29));
  EXPECT_TRUE(IsValidDate(2000, 2, 29));
  EXPECT_FALSE(IsValidDate(2021, 4, 31));
  EXPECT_TRUE(IsValidDate(2021, 12, 31));
  EXPECT_FALSE(IsValidDate(2021, 0, 1));
  EXPECT_FALSE(IsValidDate(2021, 13, 1));
  EXPECT_FALSE(IsValidDate(2021, 1, 0));
  EXPECT_FALSE(IsValidDate(2021, 1, 32));
  EXPECT_FALSE(IsValidDate(0, 1, 1));
  EXPECT_TRUE(IsValidDate(1, 1, 1));
  EXPECT_TRUE(IsValidDate(9999, 12, 31));
  EXPECT_FALSE(IsValidDate(10000, 1, 1));
  EXPECT_FALSE(IsValidDate(-1, 1, 1));
}

TEST(DaysFromCivilTest, KnownDays) {
  EXPECT_EQ(DaysFromCivil(Date{1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil(Date{1970, 1, 2}), 1);
  EXPECT_EQ(DaysFromCivil(Date{1969, 12, 31}), -1);
  EXPECT_EQ(DaysFromCivil(Date{2000, 3, 1}), 11017);
  EXPECT_EQ(DaysFromCivil(Date{2021, 1, 1}), 18628);
  EXPECT_EQ(DaysFromCivil(Date{1900, 1, 1}), -25567);
}

TEST(DaysFromCivilTest, RoundTripsEveryDayFrom1800To2200) {
  Date expected{1800, 1, 1};
  for (int days = DaysFromCivil(expected); days <= DaysFromCivil(Date{2200, 12, 31});
       ++days) {
    const Date d = CivilFromDays(days);
    ASSERT_EQ(d, expected) << days;
    ASSERT_EQ(DaysFromCivil(d), days);
    ASSERT_TRUE(IsValidDate(d.year, d.month, d.day));
    // Next calendar day.
    if (IsValidDate(expected.year, expected.month, expected.day + 1)) {
      ++expected.day;
    } else if (expected.month < 12) {
      expected = Date{expected.year, expected.month + 1, 1};
    } else {
      expected = Date{expected.year + 1, 1, 1};
    }
  }
}

TEST(AgeInYearsTest, BirthdaysAndTheDayBefore) {
  EXPECT_EQ(AgeInYears(Date{2000, 5, 10}, Date{2021, 5, 10}), 21);
  EXPECT_EQ(AgeInYears(Date{2000, 5, 10}, Date{2021, 5, 9}), 20);
  EXPECT_EQ(AgeInYears(Date{2000, 5, 10}, Date{2021, 4, 30}), 20);
  EXPECT_EQ(AgeInYears(Date{2000, 5, 10}, Date{2021, 6, 1}), 21);
  EXPECT_EQ(AgeInYears(Date{2000, 5, 10}, Date{2000, 5, 10}), 0);
  EXPECT_EQ(AgeInYears(Date{2000, 12, 31}, Date{2001, 12, 30}), 0);
}

TEST(AgeInYearsTest, BornOnLeapDay) {
  EXPECT_EQ(AgeInYears(Date{2004, 2, 29}, Date{2005, 2, 28}), 0);
  EXPECT_EQ(AgeInYears(Date{2004, 2, 29}, Date{2005, 3, 1}), 1);
  EXPECT_EQ(AgeInYears(Date{2004, 2, 29}, Date{2008, 2, 29}), 4);
}

TEST(AgeInYearsTest, NegativeWhenTheDateIsBeforeBirth) {
  EXPECT_EQ(AgeInYears(Date{2000, 5, 10}, Date{2000, 5, 9}), -1);
  EXPECT_EQ(AgeInYears(Date{2000, 5, 10}, Date{1999, 5, 10}), -1);
  EXPECT_EQ(AgeInYears(Date{2000, 5, 10}, Date{1990, 1, 1}), -11);
}

TEST(TodayInJakartaTest, IsUtcPlusSevenHours) {
  const auto before = std::chrono::system_clock::now();
  const Date today = TodayInJakarta();
  const auto after = std::chrono::system_clock::now();
  auto jakarta_day = [](std::chrono::system_clock::time_point t) {
    return CivilFromDays(
        static_cast<int>(std::chrono::floor<std::chrono::days>(t + std::chrono::hours(7))
                             .time_since_epoch()
                             .count()));
  };
  // Either bound may cross midnight while the test runs; today is one of them.
  EXPECT_TRUE(today == jakarta_day(before) || today == jakarta_day(after));
  EXPECT_TRUE(IsValidDate(today.year, today.month, today.day));
  EXPECT_GE(today.year, 2024);
}

TEST(DateTest, OrdersChronologically) {
  EXPECT_LT((Date{2020, 12, 31}), (Date{2021, 1, 1}));
  EXPECT_LT((Date{2021, 1, 31}), (Date{2021, 2, 1}));
  EXPECT_LT((Date{2021, 2, 1}), (Date{2021, 2, 2}));
  EXPECT_EQ((Date{2021, 2, 1}), (Date{2021, 2, 1}));
}

TEST(FormatUtcTest, SecondsOrMillisecondsInUtc) {
  using std::chrono::milliseconds;
  using std::chrono::system_clock;
  // 2026-11-22T23:50:07.042Z
  const system_clock::time_point t{milliseconds(1'795'391'407'042)};
  EXPECT_EQ(FormatUtc(t), "2026-11-22T23:50:07Z");
  EXPECT_EQ(FormatUtc(t, true), "2026-11-22T23:50:07.042Z");
  EXPECT_EQ(FormatUtc(system_clock::time_point{}, true), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatUtc(system_clock::time_point{milliseconds(-1)}, true),
            "1969-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace gugus
