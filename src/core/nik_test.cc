#include "core/nik.h"

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gugus {
namespace {

using ::testing::HasSubstr;

constexpr Date kReport{2024, 6, 15};

std::string ErrorOf(std::string_view text, Date reference = kReport) {
  absl::StatusOr<NikInfo> r = ParseNik(text, reference);
  if (r.ok()) return "ok";
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << text;
  return std::string(r.status().message());
}

TEST(ParseNikTest, SplitsAManNik) {
  absl::StatusOr<NikInfo> r = ParseNik("3202011203900001", kReport);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->digits, "3202011203900001");
  EXPECT_EQ(r->province_code, "32");
  EXPECT_EQ(r->regency_code, "32.02");
  EXPECT_EQ(r->district_code, "32.02.01");
  EXPECT_EQ(r->birth_date, (Date{1990, 3, 12}));
  EXPECT_EQ(r->sex, Sex::kMale);
}

TEST(ParseNikTest, WomenHaveFortyAddedToTheDay) {
  absl::StatusOr<NikInfo> r = ParseNik("3202015203900002", kReport);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->birth_date, (Date{1990, 3, 12}));
  EXPECT_EQ(r->sex, Sex::kFemale);
}

TEST(ParseNikTest, DayBoundariesForMenAndWomen) {
  struct Case {
    const char* dd;
    int day;
    Sex sex;
  };
  for (const Case& c : {Case{"01", 1, Sex::kMale}, Case{"31", 31, Sex::kMale},
                        Case{"41", 1, Sex::kFemale}, Case{"71", 31, Sex::kFemale}}) {
    const std::string nik = std::string("320201") + c.dd + "01900001";
    absl::StatusOr<NikInfo> r = ParseNik(nik, kReport);
    ASSERT_TRUE(r.ok()) << nik << ": " << r.status();
    EXPECT_EQ(r->birth_date, (Date{1990, 1, c.day})) << nik;
    EXPECT_EQ(r->sex, c.sex) << nik;
  }
  // 00, 32–40 and 72+ are no day for anyone.
  for (const char* dd : {"00", "32", "35", "40", "72", "99"}) {
    const std::string nik = std::string("320201") + dd + "01900001";
    EXPECT_THAT(ErrorOf(nik), HasSubstr("NIK birth-date part is impossible")) << nik;
  }
}

TEST(ParseNikTest, ImpossibleMonthsAndDays) {
  EXPECT_THAT(ErrorOf("3202011200900001"), HasSubstr("birth-date part is impossible"));
  EXPECT_THAT(ErrorOf("3202011213900001"), HasSubstr("birth-date part is impossible"));
  EXPECT_THAT(ErrorOf("3202013102900001"), HasSubstr("birth-date part is impossible"));
  EXPECT_THAT(ErrorOf("3202017102900001"), HasSubstr("birth-date part is impossible"));
  EXPECT_THAT(ErrorOf("3202013104900001"), HasSubstr("birth-date part is impossible"));
  // The message shows the six date digits so the clerk can find the typo.
  EXPECT_THAT(ErrorOf("3202011213900001"), HasSubstr("121390"));
}

TEST(ParseNikTest, LeapDays) {
  // 29 February exists in 1992 and 2000 but not in 1993 or 1900.
  absl::StatusOr<NikInfo> r = ParseNik("3202012902920001", kReport);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->birth_date, (Date{1992, 2, 29}));
  r = ParseNik("3202016902000001", kReport);  // woman born 29/02/2000
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->birth_date, (Date{2000, 2, 29}));
  EXPECT_THAT(ErrorOf("3202012902930001"), HasSubstr("birth-date part is impossible"));
  EXPECT_THAT(ErrorOf("3202012902000001", Date{1999, 12, 31}),
              HasSubstr("birth-date part is impossible"));  // 1900 was not leap
}

TEST(ParseNikTest, CenturyIsTheOneThatKeepsBirthNotAfterTheReference) {
  auto born = [](std::string_view nik, Date ref) {
    absl::StatusOr<NikInfo> r = ParseNik(nik, ref);
    EXPECT_TRUE(r.ok()) << nik << ": " << r.status();
    return r.ok() ? r->birth_date : Date{};
  };
  EXPECT_EQ(born("3202011203100001", kReport), (Date{2010, 3, 12}));
  EXPECT_EQ(born("3202011203240001", kReport), (Date{2024, 3, 12}));
  EXPECT_EQ(born("3202011506240001", kReport), (Date{2024, 6, 15}));  // same day
  EXPECT_EQ(born("3202011606240001", kReport), (Date{1924, 6, 16}));  // a day later
  EXPECT_EQ(born("3202011203250001", kReport), (Date{1925, 3, 12}));
  EXPECT_EQ(born("3202011203000001", kReport), (Date{2000, 3, 12}));
  EXPECT_EQ(born("3202011203990001", kReport), (Date{1999, 3, 12}));
  // Reported in 2005, a NIK year 10 is 1910.
  EXPECT_EQ(born("3202011203100001", Date{2005, 1, 1}), (Date{1910, 3, 12}));
  EXPECT_EQ(born("3202011203050001", Date{2005, 1, 1}), (Date{1905, 3, 12}));
  EXPECT_EQ(born("3202010101050001", Date{2005, 1, 1}), (Date{2005, 1, 1}));
}

TEST(ParseNikTest, InvalidReferenceFallsBackToToday) {
  absl::StatusOr<NikInfo> r = ParseNik("3202011203900001", Date{});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->birth_date, (Date{1990, 3, 12}));
}

TEST(ParseNikTest, SpacesDotsAndDashesAreIgnored) {
  for (std::string_view text :
       {"3202 0112 0390 0001", "32.02.01.120390.0001", "32-02-01-120390-0001",
        "  3202011203900001  ", "3202\t0112\t0390\t0001",
        "3202\xC2\xA0"
        "0112\xC2\xA0"
        "0390\xC2\xA0"
        "0001",
        "32.02.01 120390 0001"}) {
    absl::StatusOr<NikInfo> r = ParseNik(text, kReport);
    ASSERT_TRUE(r.ok()) << text << ": " << r.status();
    EXPECT_EQ(r->digits, "3202011203900001") << text;
  }
}

TEST(ParseNikTest, WrongLengthSaysHowManyDigits) {
  EXPECT_EQ(ErrorOf("320201120390001"), "NIK must have 16 digits (has 15)");
  EXPECT_EQ(ErrorOf("32020112039000011"), "NIK must have 16 digits (has 17)");
  EXPECT_EQ(ErrorOf(""), "NIK must have 16 digits (has 0)");
  EXPECT_EQ(ErrorOf(" - . "), "NIK must have 16 digits (has 0)");
  EXPECT_EQ(ErrorOf("3202 0112 0390"), "NIK must have 16 digits (has 12)");
  EXPECT_EQ(ErrorOf(std::string(1000, '1')), "NIK must have 16 digits (has 1000)");
}

TEST(ParseNikTest, NonDigitsAreRejected) {
  for (std::string_view text :
       {"320201120390000O", "3202011203900001a", "NIK 3202011203900001",
        "3202011203900001/", "3202011203900001,", "'3202011203900001",
        "３２０２０１１２０３９０００01", "3202011203900001\xFF"}) {
    EXPECT_EQ(ErrorOf(text), "NIK must contain only digits") << text;
  }
  EXPECT_EQ(ErrorOf(std::string_view("3202011203900001\0", 17)),
            "NIK must contain only digits");
}

TEST(ParseNikTest, ScientificNotationFromSpreadsheetsGetsAHint) {
  EXPECT_THAT(ErrorOf("3.20201E+15"), HasSubstr("scientific notation"));
  EXPECT_THAT(ErrorOf("3,20201E+15"), HasSubstr("format the spreadsheet column as text"));
}

TEST(ParseNikTest, SerialZeroIsNotIssued) {
  EXPECT_EQ(ErrorOf("3202011203900000"), "NIK serial 0000 is not issued");
  EXPECT_EQ(ErrorOf("3202011203900001"), "ok");
  EXPECT_EQ(ErrorOf("3202011203909999"), "ok");
}

TEST(ParseNikTest, RegionIsNotCheckedHere) {
  // Codes that do not exist are the caller's business (RegionIndex).
  absl::StatusOr<NikInfo> r = ParseNik("9999991203900001", kReport);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->district_code, "99.99.99");
}

TEST(FormatNikTest, BuildsSixteenDigits) {
  EXPECT_EQ(FormatNik("32.02.01", Date{1990, 3, 12}, Sex::kMale, 1), "3202011203900001");
  EXPECT_EQ(FormatNik("32.02.01", Date{1990, 3, 12}, Sex::kFemale, 2),
            "3202015203900002");
  EXPECT_EQ(FormatNik("320201", Date{2005, 11, 1}, Sex::kMale, 9999), "3202010111059999");
  EXPECT_EQ(FormatNik("11.01.01", Date{2000, 1, 31}, Sex::kFemale, 123),
            "1101017101000123");
}

TEST(FormatNikTest, RoundTripsThroughParseNik) {
  for (Sex sex : {Sex::kMale, Sex::kFemale}) {
    for (Date birth : {Date{1925, 7, 1}, Date{1960, 12, 31}, Date{2000, 2, 29},
                       Date{2024, 6, 15}, Date{1992, 1, 9}}) {
      const std::string nik = FormatNik("35.78.12", birth, sex, 42);
      absl::StatusOr<NikInfo> r = ParseNik(nik, kReport);
      ASSERT_TRUE(r.ok()) << nik << ": " << r.status();
      EXPECT_EQ(r->birth_date, birth) << nik;
      EXPECT_EQ(r->sex, sex) << nik;
      EXPECT_EQ(r->district_code, "35.78.12") << nik;
      EXPECT_EQ(r->digits, nik);
    }
  }
}

}  // namespace
}  // namespace gugus
