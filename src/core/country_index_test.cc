#include "core/country_index.h"

#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gugus {
namespace {

// A few entries as ingest::LoadIsoCountries gives them (the full list is tested
// against the installed iso-codes in ingest/reference_files_test.cc).
std::vector<Country> SomeCountries() {
  return {
      {"MY", "MYS", "Malaysia", "Malaysia"},
      {"KH", "KHM", "Cambodia", "Kamboja"},
      {"SA", "SAU", "Saudi Arabia", "Arab Saudi"},
      {"KR", "KOR", "Korea, Republic of", "Korea Selatan"},
      {"KP", "PRK", "Korea, Democratic People's Republic of", "Korea Utara"},
      {"IR", "IRN", "Iran, Islamic Republic of", "Iran"},
      {"CI", "CIV", "C\xC3\xB4te d'Ivoire", "Pantai Gading"},
      {"ID", "IDN", "Indonesia", "Indonesia"},
      {"AS", "ASM", "American Samoa", "Samoa Amerika"},
      {"US", "USA", "United States", "Amerika Serikat"},
  };
}

std::string Resolve(const CountryIndex& index, std::string_view text) {
  return index.Resolve(text).value_or("<none>");
}

TEST(CountryIndexTest, ResolvesCodesAndNamesInBothLanguages) {
  CountryIndex index(SomeCountries());
  EXPECT_EQ(Resolve(index, "KH"), "KH");
  EXPECT_EQ(Resolve(index, "kh"), "KH");
  EXPECT_EQ(Resolve(index, "KHM"), "KH");
  EXPECT_EQ(Resolve(index, "Cambodia"), "KH");
  EXPECT_EQ(Resolve(index, "Kamboja"), "KH");
  EXPECT_EQ(Resolve(index, "  KAMBOJA "), "KH");
  EXPECT_EQ(Resolve(index, "Cote d'Ivoire"), "CI");
  EXPECT_EQ(Resolve(index, "C\xC3\xB4te d\xE2\x80\x99Ivoire"), "CI");  // ’ and ô
  EXPECT_EQ(Resolve(index, "Pantai Gading"), "CI");
}

TEST(CountryIndexTest, ResolvesClerkSpellings) {
  CountryIndex index(SomeCountries());
  EXPECT_EQ(Resolve(index, "Arab Saudi"), "SA");
  EXPECT_EQ(Resolve(index, "Saudi"), "SA");
  EXPECT_EQ(Resolve(index, "KSA"), "SA");
  EXPECT_EQ(Resolve(index, "Malaysya"), "MY");
  EXPECT_EQ(Resolve(index, "Korsel"), "KR");
  EXPECT_EQ(Resolve(index, "Korea"), "KR");
  EXPECT_EQ(Resolve(index, "South Korea"), "KR");
  EXPECT_EQ(Resolve(index, "Korea Utara"), "KP");
  EXPECT_EQ(Resolve(index, "Iran"), "IR");  // head of "Iran, Islamic Republic of"
  EXPECT_EQ(Resolve(index, "USA"), "US");
  EXPECT_EQ(Resolve(index, "Amerika"), "US");
}

TEST(CountryIndexTest, IndonesiansResolveToId) {
  CountryIndex index(SomeCountries());
  for (const char* text : {"WNI", "wni", "Indonesia", "ID", "IDN", "RI"})
    EXPECT_EQ(Resolve(index, text), "ID") << text;
}

TEST(CountryIndexTest, IsoCodeWinsOverAbbreviation) {
  // "AS" is American Samoa's code; Amerika Serikat must be written otherwise.
  CountryIndex index(SomeCountries());
  EXPECT_EQ(Resolve(index, "AS"), "AS");
  EXPECT_EQ(Resolve(index, "Amerika Serikat"), "US");
}

TEST(CountryIndexTest, AliasesOfAbsentCountriesAreSkipped) {
  CountryIndex index(SomeCountries());  // no Hong Kong here
  EXPECT_EQ(Resolve(index, "Hongkong"), "<none>");
}

TEST(CountryIndexTest, UnknownTextResolvesToNothing) {
  CountryIndex index(SomeCountries());
  for (const char* text : {"", "   ", "---", "Atlantis", "WNA", "Sukabumi", "XX"})
    EXPECT_EQ(Resolve(index, text), "<none>") << text;
  CountryIndex empty;
  EXPECT_EQ(Resolve(empty, "Malaysia"), "<none>");
  EXPECT_EQ(empty.FindByAlpha2("MY"), nullptr);
}

TEST(CountryIndexTest, FindByAlpha2) {
  CountryIndex index(SomeCountries());
  ASSERT_NE(index.FindByAlpha2("KH"), nullptr);
  EXPECT_EQ(index.FindByAlpha2("KH")->name_id, "Kamboja");
  EXPECT_EQ(index.FindByAlpha2("kh")->alpha3, "KHM");
  EXPECT_EQ(index.FindByAlpha2("KHM"), nullptr);
  EXPECT_EQ(index.FindByAlpha2("ZZ"), nullptr);
  EXPECT_EQ(index.FindByAlpha2(""), nullptr);
  EXPECT_EQ(index.countries().size(), 10u);
}

}  // namespace
}  // namespace gugus
