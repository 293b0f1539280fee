#include "core/region_index.h"

#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gugus {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The installed idn-area-data provinces, regencies/cities and districts, read
// plainly (these three files quote nothing that matters to these tests; the real
// loader is ingest/reference_files).
std::vector<Region> ReadRealData() {
  const std::string dir = GUGUS_SOURCE_DIR "/node_modules/idn-area-data/data/";
  struct File {
    const char* name;
    RegionLevel level;
  };
  std::vector<Region> regions;
  for (File file : {File{"provinces.csv", RegionLevel::kProvince},
                    File{"regencies.csv", RegionLevel::kRegency},
                    File{"districts.csv", RegionLevel::kDistrict}}) {
    std::ifstream in(dir + file.name);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      Region r;
      r.level = file.level;
      size_t first = line.find(',');
      r.code = line.substr(0, first);
      if (file.level == RegionLevel::kProvince) {
        r.parent_code = "ID";
        r.name = line.substr(first + 1);
      } else {
        size_t second = line.find(',', first + 1);
        r.parent_code = line.substr(first + 1, second - first - 1);
        r.name = line.substr(second + 1);
      }
      regions.push_back(std::move(r));
    }
  }
  return regions;
}

class RegionIndexTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { index_ = new RegionIndex(ReadRealData()); }
  static void TearDownTestSuite() {
    delete index_;
    index_ = nullptr;
  }

  static std::string Code(std::string_view text) {
    RegionMatch m = index_->Resolve(text);
    if (m.kind == RegionMatch::kResolved) return m.code;
    if (m.kind == RegionMatch::kNotFound) return "<not found>";
    std::string out = "<ambiguous";
    for (const std::string& c : m.candidates) out += " " + c;
    return out + ">";
  }

  static RegionIndex* index_;
};

RegionIndex* RegionIndexTest::index_ = nullptr;

TEST_F(RegionIndexTest, RealDataIsThere) {
  // 1 root + 38 provinces + 514 regencies/cities + 7,285 districts (idn-area-data 4).
  EXPECT_EQ(index_->size(), 1u + 38 + 514 + 7285);
  ASSERT_NE(index_->Find("32.02"), nullptr);
  EXPECT_EQ(index_->Find("32.02")->name, "Kabupaten Sukabumi");
  EXPECT_EQ(index_->Find("32.02")->parent_code, "32");
  EXPECT_EQ(index_->Find("ID")->level, RegionLevel::kNational);
  EXPECT_EQ(index_->Find("99"), nullptr);
}

TEST_F(RegionIndexTest, ResolvesRegencyAndCityWithTheirKind) {
  EXPECT_EQ(Code("Kab. Sukabumi"), "32.02");
  EXPECT_EQ(Code("Kabupaten Sukabumi"), "32.02");
  EXPECT_EQ(Code("KAB SUKABUMI"), "32.02");
  EXPECT_EQ(Code("KAB.SUKABUMI"), "32.02");
  EXPECT_EQ(Code("Kab  Sukabumi "), "32.02");
  EXPECT_EQ(Code("kab. sukabumi"), "32.02");
  EXPECT_EQ(Code("Kota Sukabumi"), "32.72");
  EXPECT_EQ(Code("KOTA SUKABUMI"), "32.72");
  EXPECT_EQ(Code("Kota Bandung"), "32.73");
  EXPECT_EQ(Code("Kab Bandung"), "32.04");
  EXPECT_EQ(Code("Kab Bandung Barat"), "32.17");
  EXPECT_EQ(Code("Bandung Barat"), "32.17");
  EXPECT_EQ(Code("Kotamadya Bandung"), "32.73");
  EXPECT_EQ(Code("Kodya Bandung"), "32.73");
  // The kind written after the name, as some registers print it.
  EXPECT_EQ(Code("Sukabumi, Kab."), "32.02");
  EXPECT_EQ(Code("BANDUNG (KOTA)"), "32.73");
  EXPECT_EQ(Code("Sukabumi Kota"), "32.72");
}

TEST_F(RegionIndexTest, BareNameOfRegencyAndCityIsAmbiguous) {
  EXPECT_EQ(Code("Sukabumi"), "<ambiguous 32.02 32.72>");
  EXPECT_EQ(Code("SUKABUMI"), "<ambiguous 32.02 32.72>");
  EXPECT_EQ(Code("Bandung"), "<ambiguous 32.04 32.73>");
  RegionMatch m = index_->Resolve("Malang");
  EXPECT_EQ(m.kind, RegionMatch::kAmbiguous);
  EXPECT_TRUE(m.code.empty());
  EXPECT_THAT(m.candidates, ElementsAre("35.07", "35.73"));
}

TEST_F(RegionIndexTest, BanjarIsARegencyInKalselAndACityInJabar) {
  EXPECT_EQ(Code("Banjar"), "<ambiguous 32.79 63.03>");
  EXPECT_EQ(Code("Kota Banjar"), "32.79");
  EXPECT_EQ(Code("Kabupaten Banjar"), "63.03");
  // A province after a comma narrows the choice.
  EXPECT_EQ(Code("Banjar, Kalimantan Selatan"), "63.03");
  EXPECT_EQ(Code("Banjar, Jawa Barat"), "32.79");
  EXPECT_EQ(Code("Banjar, Jabar"), "32.79");
  // A contradicting province is ignored rather than inventing an answer.
  EXPECT_EQ(Code("Banjar, Papua"), "<ambiguous 32.79 63.03>");
  // Banjarnegara, Banjarmasin and Banjarbaru are not Banjar.
  EXPECT_EQ(Code("Banjarmasin"), "63.71");
}

TEST_F(RegionIndexTest, ProvinceNamedLikeItsCapitalResolvesToTheProvince) {
  // Bengkulu, Jambi and Gorontalo are provinces and cities (Gorontalo also a
  // regency) inside them: the bare name gives the province, true either way.
  EXPECT_EQ(Code("Bengkulu"), "17");
  EXPECT_EQ(Code("Jambi"), "15");
  EXPECT_EQ(Code("Gorontalo"), "75");
  EXPECT_EQ(Code("Kota Bengkulu"), "17.71");
  EXPECT_EQ(Code("Kota Jambi"), "15.71");
  EXPECT_EQ(Code("Kab. Gorontalo"), "75.01");
  EXPECT_EQ(Code("Kota Gorontalo"), "75.71");
  EXPECT_EQ(Code("Provinsi Bengkulu"), "17");
  EXPECT_EQ(Code("Prov. Gorontalo"), "75");
  // Bengkulu Utara is its own regency.
  EXPECT_EQ(Code("Bengkulu Utara"), "17.03");
}

TEST_F(RegionIndexTest, ResolvesProvinces) {
  EXPECT_EQ(Code("Jawa Barat"), "32");
  EXPECT_EQ(Code("JAWA BARAT"), "32");
  EXPECT_EQ(Code("Prov. Jawa Barat"), "32");
  EXPECT_EQ(Code("Provinsi Jawa Barat"), "32");
  EXPECT_EQ(Code("Propinsi Jawa Barat"), "32");
  EXPECT_EQ(Code("DKI Jakarta"), "31");
  EXPECT_EQ(Code("D.K.I. Jakarta"), "31");
  EXPECT_EQ(Code("Daerah Khusus Ibukota Jakarta"), "31");
  EXPECT_EQ(Code("Jakarta"), "31");
  EXPECT_EQ(Code("Kepulauan Riau"), "21");
  EXPECT_EQ(Code("Kep. Riau"), "21");
  EXPECT_EQ(Code("Riau"), "14");
  EXPECT_EQ(Code("Kep. Bangka Belitung"), "19");
  EXPECT_EQ(Code("Nusa Tenggara Timur"), "53");
  EXPECT_EQ(Code("Papua Barat Daya"), "96");
  EXPECT_EQ(Code("Papua"), "91");
}

TEST_F(RegionIndexTest, ResolvesOfficialProvinceAbbreviations) {
  EXPECT_EQ(Code("NTT"), "53");
  EXPECT_EQ(Code("N.T.T."), "53");
  EXPECT_EQ(Code("NTB"), "52");
  EXPECT_EQ(Code("DIY"), "34");
  EXPECT_EQ(Code("D.I. Yogyakarta"), "34");
  EXPECT_EQ(Code("Yogyakarta"), "34");  // Kota Yogyakarta lies in it
  EXPECT_EQ(Code("Kota Yogyakarta"), "34.71");
  EXPECT_EQ(Code("DKI"), "31");
  EXPECT_EQ(Code("Jabar"), "32");
  EXPECT_EQ(Code("Jateng"), "33");
  EXPECT_EQ(Code("Jatim"), "35");
  EXPECT_EQ(Code("Sumut"), "12");
  EXPECT_EQ(Code("Kalbar"), "61");
  EXPECT_EQ(Code("Sulsel"), "73");
  EXPECT_EQ(Code("Kepri"), "21");
  EXPECT_EQ(Code("Prov. NTT"), "53");
}

TEST_F(RegionIndexTest, ResolvesJakartaAdministrativeCities) {
  EXPECT_EQ(Code("Jakarta Selatan"), "31.74");
  EXPECT_EQ(Code("Kota Jakarta Selatan"), "31.74");
  EXPECT_EQ(Code("Kota Adm. Jakarta Selatan"), "31.74");
  EXPECT_EQ(Code("KOTA ADMINISTRASI JAKARTA SELATAN"), "31.74");
  EXPECT_EQ(Code("Kota Administrasi Jakarta Timur"), "31.75");
  EXPECT_EQ(Code("Kepulauan Seribu"), "31.01");
  EXPECT_EQ(Code("Kab. Adm. Kep. Seribu"), "31.01");
}

TEST_F(RegionIndexTest, SpacingAndHyphenVariantsMeet) {
  EXPECT_EQ(Code("Baubau"), "74.72");
  EXPECT_EQ(Code("Kota Bau-Bau"), "74.72");
  EXPECT_EQ(Code("Pangkalpinang"), "19.71");
  EXPECT_EQ(Code("Palangka Raya"), "62.71");
  EXPECT_EQ(Code("Tolitoli"), "72.04");
  // "Kota" that is part of the name, not the kind.
  EXPECT_EQ(Code("Kota Baru"), "63.02");
  EXPECT_EQ(Code("Kotabaru"), "63.02");
  EXPECT_EQ(Code("Lima Puluh Kota"), "13.07");
  EXPECT_EQ(Code("Kab. Lima Puluh Kota"), "13.07");
  EXPECT_EQ(Code("Kotamobagu"), "71.74");
}

TEST_F(RegionIndexTest, EverydayAndFormerNames) {
  EXPECT_EQ(Code("Solo"), "33.72");
  EXPECT_EQ(Code("Kota Surakarta"), "33.72");
  EXPECT_EQ(Code("Toba Samosir"), "12.12");
  EXPECT_EQ(Code("Mamuju Utara"), "76.01");
}

TEST_F(RegionIndexTest, AddressPicksTheRegencyOrCity) {
  // District names are not resolved; the regency after them is.
  EXPECT_EQ(Code("Kec. Cisaat, Kab. Sukabumi, Jawa Barat"), "32.02");
  EXPECT_EQ(Code("Desa Tonjong, Kota Bandung"), "32.73");
  EXPECT_EQ(Code("Sukabumi, Jawa Barat"), "<ambiguous 32.02 32.72>");
}

TEST_F(RegionIndexTest, ResolvesCodes) {
  EXPECT_EQ(Code("32"), "32");
  EXPECT_EQ(Code("32.02"), "32.02");
  EXPECT_EQ(Code("3202"), "32.02");
  EXPECT_EQ(Code(" 32.02 "), "32.02");
  EXPECT_EQ(Code("32.02.01"), "32.02.01");
  EXPECT_EQ(Code("320201"), "32.02.01");
  EXPECT_EQ(Code("ID"), "ID");
}

TEST_F(RegionIndexTest, UnknownOrMalformedCodesAreNotFound) {
  EXPECT_EQ(Code("99"), "<not found>");
  EXPECT_EQ(Code("32.99"), "<not found>");
  EXPECT_EQ(Code("3299"), "<not found>");
  EXPECT_EQ(Code("32.2"), "<not found>");
  EXPECT_EQ(Code("320"), "<not found>");
  EXPECT_EQ(Code("32..02"), "<not found>");
  EXPECT_EQ(Code("32.02."), "<not found>");
  EXPECT_EQ(Code("32.02.01.2002"), "<not found>");  // villages were not loaded here
  EXPECT_EQ(Code("32020120021"), "<not found>");
}

TEST_F(RegionIndexTest, NonRegionsAreNotFound) {
  EXPECT_EQ(Code(""), "<not found>");
  EXPECT_EQ(Code("   "), "<not found>");
  EXPECT_EQ(Code("Kabupaten"), "<not found>");
  EXPECT_EQ(Code("Kota"), "<not found>");
  EXPECT_EQ(Code("Malaysia"), "<not found>");
  EXPECT_EQ(Code("Cisaat"), "<not found>");  // a district: names not resolved
  EXPECT_EQ(Code("Kota Jawa Barat"), "<not found>");
  EXPECT_EQ(Code("Provinsi Sukabumi"), "<not found>");
  EXPECT_EQ(Code("\xff\xfe garbage"), "<not found>");
  RegionMatch m = index_->Resolve("Atlantis");
  EXPECT_EQ(m.kind, RegionMatch::kNotFound);
  EXPECT_THAT(m.candidates, IsEmpty());
}

TEST(RegionIndexEmptyTest, HoldsOnlyTheRoot) {
  RegionIndex index;
  EXPECT_EQ(index.size(), 1u);
  ASSERT_NE(index.Find("ID"), nullptr);
  EXPECT_EQ(index.Find("ID")->parent_code, "");
  EXPECT_EQ(index.Resolve("Sukabumi").kind, RegionMatch::kNotFound);
  EXPECT_EQ(index.Resolve("32").kind, RegionMatch::kNotFound);
}

TEST(RegionIndexSmallTest, DuplicateCodesKeepTheFirst) {
  RegionIndex index({{"32", "ID", "Jawa Barat", RegionLevel::kProvince},
                     {"32", "ID", "Something Else", RegionLevel::kProvince}});
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(index.Find("32")->name, "Jawa Barat");
  EXPECT_EQ(index.Resolve("Jawa Barat").code, "32");
}

TEST(RegionCodeTest, LevelOfCode) {
  EXPECT_EQ(LevelOfCode("ID"), RegionLevel::kNational);
  EXPECT_EQ(LevelOfCode("32"), RegionLevel::kProvince);
  EXPECT_EQ(LevelOfCode("32.02"), RegionLevel::kRegency);
  EXPECT_EQ(LevelOfCode("32.02.01"), RegionLevel::kDistrict);
  EXPECT_EQ(LevelOfCode("32.02.01.2002"), RegionLevel::kVillage);
}

TEST(RegionCodeTest, ContainsIsComponentWise) {
  EXPECT_TRUE(RegionIndex::Contains("32", "32.02.01"));
  EXPECT_TRUE(RegionIndex::Contains("32", "32"));
  EXPECT_TRUE(RegionIndex::Contains("32.02", "32.02.01.2002"));
  EXPECT_FALSE(RegionIndex::Contains("32", "3"));
  EXPECT_FALSE(RegionIndex::Contains("32.0", "32.02"));
  EXPECT_FALSE(RegionIndex::Contains("3", "32"));
  EXPECT_FALSE(RegionIndex::Contains("32", "33.02"));
  EXPECT_FALSE(RegionIndex::Contains("32.02", "32"));
  EXPECT_FALSE(RegionIndex::Contains("32.02", "32.021"));
  EXPECT_TRUE(RegionIndex::Contains("ID", "32.02"));
  EXPECT_TRUE(RegionIndex::Contains("ID", "ID"));
  EXPECT_TRUE(RegionIndex::Contains("ID", "anything"));
  EXPECT_FALSE(RegionIndex::Contains("", "32"));
}

}  // namespace
}  // namespace gugus
