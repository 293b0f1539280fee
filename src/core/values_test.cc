#include "core/values.h"

#include <optional>
#include <string>
#include <string_view>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gugus {
namespace {

using ::testing::Optional;

// ---------------------------------------------------------------------------------
// Sex

TEST(ParseSexTest, EveryAcceptedWordForMale) {
  for (std::string_view text :
       {"L", "l", "Laki-laki", "LAKI-LAKI", "laki-laki", "Laki laki", "Laki  laki",
        "laki - laki", "Laki2", "Lelaki", "LELAKI", "Pria", "PRIA", "M", "m", "male",
        "Male", "MALE"}) {
    EXPECT_THAT(ParseSex(text), Optional(Sex::kMale)) << text;
  }
}

TEST(ParseSexTest, EveryAcceptedWordForFemale) {
  for (std::string_view text : {"P", "p", "Perempuan", "PEREMPUAN", "perempuan", "Wanita",
                                "WANITA", "F", "f", "female", "Female", "FEMALE"}) {
    EXPECT_THAT(ParseSex(text), Optional(Sex::kFemale)) << text;
  }
}

TEST(ParseSexTest, SurroundingWhiteSpaceIsIgnored) {
  EXPECT_THAT(ParseSex("  L "), Optional(Sex::kMale));
  EXPECT_THAT(ParseSex("\tPerempuan\r\n"), Optional(Sex::kFemale));
  EXPECT_THAT(ParseSex("\xC2\xA0Wanita\xC2\xA0"), Optional(Sex::kFemale));
}

TEST(ParseSexTest, UnrecognisedOrEmptyIsNullopt) {
  for (std::string_view text : {"",
                                "   ",
                                "-",
                                "X",
                                "LP",
                                "L/P",
                                "laki",
                                "lakilaki",
                                "laki-",
                                "-laki-laki",
                                "perempuan perempuan",
                                "wanita2",
                                "man",
                                "woman",
                                "1",
                                "0",
                                "pr",
                                "lk",
                                "transgender",
                                "tidak diketahui",
                                "Pérempuan",
                                "laki-laki-laki",
                                "a very long text that is not a sex at all"}) {
    EXPECT_EQ(ParseSex(text), std::nullopt) << text;
  }
}

TEST(SexCodeTest, ExportsLAndP) {
  EXPECT_EQ(SexCode(Sex::kMale), "L");
  EXPECT_EQ(SexCode(Sex::kFemale), "P");
  EXPECT_THAT(ParseSex(SexCode(Sex::kMale)), Optional(Sex::kMale));
  EXPECT_THAT(ParseSex(SexCode(Sex::kFemale)), Optional(Sex::kFemale));
}

// ---------------------------------------------------------------------------------
// Phone numbers

void ExpectPhone(std::string_view text, std::string_view want) {
  EXPECT_THAT(NormalizePhone(text), Optional(std::string(want))) << text;
}

TEST(NormalizePhoneTest, MobileWithTrunkZero) {
  ExpectPhone("0812-3456-7890", "+6281234567890");
  ExpectPhone("081234567890", "+6281234567890");
  ExpectPhone("0812 3456 7890", "+6281234567890");
  ExpectPhone("0812.3456.7890", "+6281234567890");
  ExpectPhone("(0812) 3456-7890", "+6281234567890");
  ExpectPhone("0812345678", "+62812345678");
}

TEST(NormalizePhoneTest, WithCountryCode) {
  ExpectPhone("6281234567890", "+6281234567890");
  ExpectPhone("62 812 3456 7890", "+6281234567890");
  ExpectPhone("+6281234567890", "+6281234567890");
  ExpectPhone("+62 812-3456-7890", "+6281234567890");
  ExpectPhone("+62 (812) 3456 7890", "+6281234567890");
  ExpectPhone("006281234567890", "+6281234567890");
  ExpectPhone("0062 812 3456 7890", "+6281234567890");
}

TEST(NormalizePhoneTest, TrunkZeroWrittenAfterCountryCode) {
  ExpectPhone("+62 (0)812 3456 7890", "+6281234567890");
  ExpectPhone("+62 0812 3456 7890", "+6281234567890");
}

TEST(NormalizePhoneTest, MobileWhoseLeadingZeroASpreadsheetDropped) {
  ExpectPhone("81234567890", "+6281234567890");
  ExpectPhone("812345678", "+62812345678");                  // 9 digits: shortest
  ExpectPhone("812345678901", "+62812345678901");            // 12 digits: longest
  EXPECT_EQ(NormalizePhone("81234567"), std::nullopt);       // 8 digits
  EXPECT_EQ(NormalizePhone("8123456789012"), std::nullopt);  // 13 digits
}

TEST(NormalizePhoneTest, Landlines) {
  ExpectPhone("(021) 555-1234", "+62215551234");
  ExpectPhone("021 5551 2345", "+622155512345");
  ExpectPhone("(0274) 512345", "+62274512345");
  ExpectPhone("+62 21 5551 2345", "+622155512345");
}

TEST(NormalizePhoneTest, NationalNumberLengthBounds) {
  ExpectPhone("021234567", "+6221234567");                           // 8 after 62
  EXPECT_EQ(NormalizePhone("02123456"), std::nullopt);               // 7 after 62
  ExpectPhone("+62 8123 4567 8901 2", "+628123456789012");           // 13 after 62
  EXPECT_EQ(NormalizePhone("+62 8123 4567 8901 23"), std::nullopt);  // 14
  ExpectPhone("0812 3456 7890 12", "+628123456789012");              // 13 after 0
  EXPECT_EQ(NormalizePhone("0812 3456 7890 123"), std::nullopt);     // 14 after 0
}

TEST(NormalizePhoneTest, ForeignNumbersKeepTheirCountryCode) {
  ExpectPhone("+60 12-345 6789", "+60123456789");    // Malaysia
  ExpectPhone("+966 50 123 4567", "+966501234567");  // Saudi Arabia
  ExpectPhone("+852 9123 4567", "+85291234567");     // Hong Kong
  ExpectPhone("+1 (212) 555-0100", "+12125550100");
  EXPECT_EQ(NormalizePhone("+60 1234"), std::nullopt);               // too short
  EXPECT_EQ(NormalizePhone("+60 1234 5678 9012 34"), std::nullopt);  // 16 digits
  EXPECT_EQ(NormalizePhone("+0 1234 5678"), std::nullopt);
}

TEST(NormalizePhoneTest, InternationalPrefixOtherThanIndonesiaIsNotGuessed) {
  // 00x prefixes are operator-specific in Indonesia (001, 007, 008); guessing the
  // country would store a wrong number.
  EXPECT_EQ(NormalizePhone("0060123456789"), std::nullopt);
  EXPECT_EQ(NormalizePhone("001 60 12 345 6789"), std::nullopt);
}

TEST(NormalizePhoneTest, NotAPhoneNumber) {
  for (std::string_view text : {"",
                                "   ",
                                "-",
                                "0",
                                "62",
                                "+62",
                                "+",
                                "0812-3456-789O",
                                "Tel. 081234567890",
                                "081234567890 ext 12",
                                "0812345678a",
                                "6.28123E+12",
                                "081234567890 / 081398765432",
                                "08123456789012345678",
                                "++6281234567890",
                                "62+81234567890",
                                "1234567890",
                                "5551234",
                                "tidak ada",
                                "+62 1234 5678",
                                "0 1234 5678",
                                "#081234567890",
                                "0812\xE2\x80\x93"
                                "3456\xE2\x80\x93"
                                "7890"}) {
    EXPECT_EQ(NormalizePhone(text), std::nullopt) << text;
  }
}

TEST(NormalizePhoneTest, WhiteSpaceIncludingNoBreakSpace) {
  ExpectPhone("  0812 3456 7890  ", "+6281234567890");
  ExpectPhone(
      "0812\xC2\xA0"
      "3456\xC2\xA0"
      "7890",
      "+6281234567890");
  ExpectPhone("0812\t3456\t7890", "+6281234567890");
}

// ---------------------------------------------------------------------------------
// Names

TEST(CleanNameTest, TrimsAndCollapsesWhiteSpace) {
  EXPECT_EQ(CleanName("  Siti   Nurhaliza  "), "Siti Nurhaliza");
  EXPECT_EQ(CleanName("Siti\tNurhaliza"), "Siti Nurhaliza");
  EXPECT_EQ(CleanName("Siti\xC2\xA0\xC2\xA0Nurhaliza\xC2\xA0"), "Siti Nurhaliza");
  EXPECT_EQ(CleanName("Siti\r\nNurhaliza"), "Siti Nurhaliza");
  EXPECT_EQ(CleanName(""), "");
  EXPECT_EQ(CleanName("   "), "");
}

TEST(CleanNameTest, KeepsCaseAndPunctuationAsWritten) {
  EXPECT_EQ(CleanName("SITI binti Ahmad"), "SITI binti Ahmad");
  EXPECT_EQ(CleanName("Ni Made D. Ayu"), "Ni Made D. Ayu");
  EXPECT_EQ(CleanName("O'Brien-Putri"), "O'Brien-Putri");
}

TEST(CleanNameTest, ComposesToNfc) {
  // "José" typed with a combining acute accent (NFD) becomes the precomposed é.
  EXPECT_EQ(CleanName("Jose\xCC\x81"), "Jos\xC3\xA9");
  EXPECT_EQ(CleanName("Jos\xC3\xA9"), "Jos\xC3\xA9");
  EXPECT_EQ(CleanName("  Jose\xCC\x81   Rizal "), "Jos\xC3\xA9 Rizal");
}

TEST(CleanNameTest, DoesNotApplyCompatibilityMappings) {
  // NFC, not NFKC: the ligature and full-width letters are left as written.
  EXPECT_EQ(CleanName("\xEF\xAC\x81"
                      "fi"),
            "\xEF\xAC\x81"
            "fi");
  EXPECT_EQ(CleanName("\xEF\xBC\xA1"), "\xEF\xBC\xA1");
}

TEST(CleanNameTest, InvalidUtf8IsKeptRatherThanLost) {
  EXPECT_EQ(CleanName(" Siti \xFF  Aminah "), "Siti \xFF Aminah");
}

}  // namespace
}  // namespace gugus
