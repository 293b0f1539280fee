#include "core/text.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace gugus {
namespace {

// ---------------------------------------------------------------------------------
// IsValidUtf8

TEST(IsValidUtf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Sukabumi"));
  EXPECT_TRUE(IsValidUtf8("Jos\xC3\xA9"));                // é
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC"));               // €
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));           // emoji, 4 bytes
  EXPECT_TRUE(IsValidUtf8(std::string_view("a\0b", 3)));  // NUL is valid UTF-8
}

TEST(IsValidUtf8Test, RejectsWindows1252AndBrokenSequences) {
  EXPECT_FALSE(IsValidUtf8("Jos\xE9"));           // é in Windows-1252
  EXPECT_FALSE(IsValidUtf8("\x80"));              // € in Windows-1252
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("abc\xA9"));  // lone continuation byte
}

// ---------------------------------------------------------------------------------
// Windows1252ToUtf8

TEST(Windows1252ToUtf8Test, AsciiIsUnchanged) {
  EXPECT_EQ(Windows1252ToUtf8("Kab. Sukabumi, 32.02"), "Kab. Sukabumi, 32.02");
  EXPECT_EQ(Windows1252ToUtf8(""), "");
}

TEST(Windows1252ToUtf8Test, EuroSignAndOtherC1Letters) {
  EXPECT_EQ(Windows1252ToUtf8("\x80"), "\xE2\x82\xAC");  // €
  EXPECT_EQ(Windows1252ToUtf8("\x85"), "\xE2\x80\xA6");  // …
  EXPECT_EQ(Windows1252ToUtf8("\x91"
                              "a\x92"),
            "\xE2\x80\x98"
            "a\xE2\x80\x99");  // ‘a’
  EXPECT_EQ(Windows1252ToUtf8("\x93"
                              "b\x94"),
            "\xE2\x80\x9C"
            "b\xE2\x80\x9D");                                            // “b”
  EXPECT_EQ(Windows1252ToUtf8("\x96\x97"), "\xE2\x80\x93\xE2\x80\x94");  // – —
  EXPECT_EQ(Windows1252ToUtf8("\x8A\x9A"), "\xC5\xA0\xC5\xA1");          // Š š
  EXPECT_EQ(Windows1252ToUtf8("\x99"), "\xE2\x84\xA2");                  // ™
  EXPECT_EQ(Windows1252ToUtf8("\x9E"), "\xC5\xBE");                      // ž
}

// Bug: 0x9F was mapped to U+FFFD as if undefined; it is Ÿ (U+0178).
TEST(Windows1252ToUtf8Test, Issue9FIsCapitalYWithDiaeresis) {
  EXPECT_EQ(Windows1252ToUtf8("\x9F"), "\xC5\xB8");
}

TEST(Windows1252ToUtf8Test, TheFiveUndefinedBytesBecomeReplacementCharacters) {
  for (char c : {'\x81', '\x8D', '\x8F', '\x90', '\x9D'}) {
    EXPECT_EQ(Windows1252ToUtf8(std::string(1, c)), "\xEF\xBF\xBD")
        << static_cast<int>(static_cast<unsigned char>(c));
  }
}

TEST(Windows1252ToUtf8Test, EveryDefinedHighByteGivesOneValidCharacter) {
  int replacements = 0;
  for (int b = 0x80; b <= 0xFF; ++b) {
    const std::string out = Windows1252ToUtf8(std::string(1, static_cast<char>(b)));
    EXPECT_TRUE(IsValidUtf8(out)) << b;
    EXPECT_GE(out.size(), 2u) << b;
    if (out == "\xEF\xBF\xBD") ++replacements;
  }
  EXPECT_EQ(replacements, 5);
}

TEST(Windows1252ToUtf8Test, Latin1RangeMapsToItself) {
  EXPECT_EQ(Windows1252ToUtf8("Jos\xE9"), "Jos\xC3\xA9");  // é
  EXPECT_EQ(Windows1252ToUtf8("\xA0"), "\xC2\xA0");        // NBSP
  EXPECT_EQ(Windows1252ToUtf8("\xFF"), "\xC3\xBF");        // ÿ
  EXPECT_EQ(Windows1252ToUtf8("\xC0"), "\xC3\x80");        // À
}

// ---------------------------------------------------------------------------------
// Trim and CollapseSpaces

TEST(TrimTest, AsciiWhiteSpace) {
  EXPECT_EQ(Trim("  Bogor \t\r\n"), "Bogor");
  EXPECT_EQ(Trim("Bogor"), "Bogor");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" \t\n "), "");
  EXPECT_EQ(Trim(" Kota  Bogor "), "Kota  Bogor");  // inner space kept
}

TEST(TrimTest, NoBreakAndOtherUnicodeSpaces) {
  EXPECT_EQ(Trim("\xC2\xA0"
                 "Bogor\xC2\xA0"),
            "Bogor");  // NBSP
  EXPECT_EQ(Trim("\xE2\x80\x83"
                 "Bogor\xE3\x80\x80"),
            "Bogor");  // em, ideographic
  EXPECT_EQ(Trim("\xEF\xBB\xBF"
                 "Bogor"),
            "Bogor");                             // BOM
  EXPECT_EQ(Trim("Bogor\xE2\x80\x8B"), "Bogor");  // zero-width space
  EXPECT_EQ(Trim("\xC2\xA0\xC2\xA0"), "");
}

TEST(TrimTest, DoesNotEatLettersThatEndInSpaceLikeBytes) {
  EXPECT_EQ(Trim("Jos\xC3\xA9 "), "Jos\xC3\xA9");  // é ends in 0xA9
  EXPECT_EQ(Trim("\xC3\xA0"), "\xC3\xA0");         // à shares 0xA0 with NBSP
  EXPECT_EQ(Trim(" \xA0 "), "\xA0");               // a stray byte is not NBSP
}

TEST(CollapseSpacesTest, RunsBecomeOneSpace) {
  EXPECT_EQ(CollapseSpaces("  Kota   Bogor  "), "Kota Bogor");
  EXPECT_EQ(CollapseSpaces("Kota\t\tBogor"), "Kota Bogor");
  EXPECT_EQ(CollapseSpaces("Kota\xC2\xA0\xC2\xA0 Bogor"), "Kota Bogor");
  EXPECT_EQ(CollapseSpaces("Kota\r\nBogor"), "Kota Bogor");
  EXPECT_EQ(CollapseSpaces("Jos\xC3\xA9  Rizal"), "Jos\xC3\xA9 Rizal");
  EXPECT_EQ(CollapseSpaces(""), "");
  EXPECT_EQ(CollapseSpaces("   "), "");
}

TEST(CollapseSpacesTest, IntoABufferReplacesWhatItHeld) {
  std::string out = "an earlier, longer value";
  CollapseSpaces(
      " Kota \xC2\xA0"
      "Bogor ",
      out);
  EXPECT_EQ(out, "Kota Bogor");
  CollapseSpaces("  ", out);
  EXPECT_EQ(out, "");
}

// ---------------------------------------------------------------------------------
// FoldForMatch and HeaderKey

TEST(FoldForMatchTest, CaseAndSpacesFoldAlike) {
  EXPECT_EQ(FoldForMatch("KABUPATEN  Sukabumi"), "kabupaten sukabumi");
  EXPECT_EQ(FoldForMatch("kabupaten sukabumi"), "kabupaten sukabumi");
  EXPECT_EQ(FoldForMatch(" Kota\tBogor "), "kota bogor");
}

TEST(FoldForMatchTest, AccentsAreStripped) {
  EXPECT_EQ(FoldForMatch("Jos\xC3\xA9"), "jose");      // precomposed é
  EXPECT_EQ(FoldForMatch("Jose\xCC\x81"), "jose");     // e + combining acute
  EXPECT_EQ(FoldForMatch("\xC3\x89LODIE"), "elodie");  // É
  EXPECT_EQ(FoldForMatch("M\xC3\xBCller"), "muller");  // ü
  EXPECT_EQ(FoldForMatch("S\xC3\xA3o Tom\xC3\xA9"), "sao tome");
}

TEST(FoldForMatchTest, CompatibilityFormsAndNoBreakSpaces) {
  EXPECT_EQ(FoldForMatch("\xEF\xBC\xA2\xEF\xBC\xAF\xEF\xBC\xA7\xEF\xBC\xAF\xEF\xBC\xB2"),
            "bogor");  // full-width
  EXPECT_EQ(FoldForMatch("Kota\xC2\xA0"
                         "Bogor"),
            "kota bogor");  // NBSP
  EXPECT_EQ(FoldForMatch("Stra\xC3\x9F"
                         "e"),
            "strasse");  // ß case-folds to ss
  EXPECT_EQ(FoldForMatch("\xEF\xAC\x81"
                         "fi"),
            "fifi");  // ﬁ ligature
}

TEST(FoldForMatchTest, InvisibleCharactersAreIgnored) {
  EXPECT_EQ(FoldForMatch("Su\xC2\xAD"
                         "kabumi"),
            "sukabumi");  // soft hyphen
  EXPECT_EQ(FoldForMatch("Su\xE2\x80\x8B"
                         "kabumi"),
            "sukabumi");  // zero-width space
}

// Bug: text that was not valid UTF-8 came back unfolded ("ABC\xFF" stayed upper
// case), so a stray byte made a name unmatchable.
TEST(FoldForMatchTest, IssueInvalidUtf8StillFolds) {
  EXPECT_EQ(FoldForMatch("SUKABUMI\xFF"), "sukabumi\xEF\xBF\xBD");
  EXPECT_EQ(FoldForMatch("Jos\xC3\xA9 \xFF"), "jose \xEF\xBF\xBD");
  EXPECT_TRUE(IsValidUtf8(FoldForMatch("\xC3\x28\xA0\xA1")));
}

TEST(HeaderKeyTest, SpellingsOfOneHeaderGiveOneKey) {
  const std::string key = HeaderKey("tanggal_laporan");
  EXPECT_EQ(key, "tanggallaporan");
  EXPECT_EQ(HeaderKey("Tanggal Laporan"), key);
  EXPECT_EQ(HeaderKey("TANGGAL-LAPORAN"), key);
  EXPECT_EQ(HeaderKey("  tanggal  laporan "), key);
  EXPECT_EQ(HeaderKey("TanggalLaporan"), key);
  EXPECT_EQ(HeaderKey("Tanggal_-_Laporan"), key);
  EXPECT_EQ(HeaderKey("\xEF\xBB\xBF"
                      "tanggal_laporan"),
            key);  // BOM on first header
  EXPECT_EQ(HeaderKey("Tanggal\xC2\xA0Laporan"), key);
  EXPECT_EQ(HeaderKey("report_date"), "reportdate");
}

TEST(HeaderKeyTest, DifferentHeadersStayDifferent) {
  EXPECT_NE(HeaderKey("tanggal_lahir"), HeaderKey("tanggal_laporan"));
  EXPECT_NE(HeaderKey("nik"), HeaderKey("nama"));
  EXPECT_EQ(HeaderKey("NIK"), "nik");
  EXPECT_EQ(HeaderKey("Daerah Asal (Kab/Kota)"), "daerahasal(kab/kota)");
}

}  // namespace
}  // namespace gugus

namespace gugus {
namespace {

TEST(SplitTest, KeepsEmptyPiecesAndPointsIntoTheText) {
  EXPECT_EQ(Split("a,,b", ','), (std::vector<std::string_view>{"a", "", "b"}));
  EXPECT_EQ(Split("", '/'), (std::vector<std::string_view>{""}));
  EXPECT_EQ(Split("/api/v1", '/'), (std::vector<std::string_view>{"", "api", "v1"}));
  std::string text = "x&y";
  EXPECT_EQ(Split(text, '&')[1].data(), text.data() + 2);
}

}  // namespace
}  // namespace gugus
