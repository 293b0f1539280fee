#include "ingest/reference_files.h"

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gugus::ingest {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kDataDir = GUGUS_SOURCE_DIR "/node_modules/idn-area-data/data";

// A scratch folder removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("gugus_reference_files_" + std::to_string(::getpid()) + "_" +
             std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& bytes) const {
    std::string file = (path_ / name).string();
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

size_t CountLevel(const std::vector<Region>& regions, RegionLevel level) {
  size_t n = 0;
  for (const Region& r : regions) n += r.level == level;
  return n;
}

// The installed data with villages, loaded once for the suite.
class RealRegionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::vector<Region>> regions = LoadIdnAreaData(kDataDir);
    ASSERT_TRUE(regions.ok()) << regions.status();
    regions_ = new std::vector<Region>(*std::move(regions));
    index_ = new RegionIndex(*regions_);
  }
  static void TearDownTestSuite() {
    delete index_;
    delete regions_;
    index_ = nullptr;
    regions_ = nullptr;
  }
  static std::vector<Region>* regions_;
  static RegionIndex* index_;
};

std::vector<Region>* RealRegionsTest::regions_ = nullptr;
RegionIndex* RealRegionsTest::index_ = nullptr;

TEST_F(RealRegionsTest, LoadsEveryLevel) {
  EXPECT_EQ(CountLevel(*regions_, RegionLevel::kProvince), 38u);
  EXPECT_EQ(CountLevel(*regions_, RegionLevel::kRegency), 514u);
  EXPECT_EQ(CountLevel(*regions_, RegionLevel::kDistrict), 7285u);
  EXPECT_EQ(CountLevel(*regions_, RegionLevel::kVillage), 83762u);
  EXPECT_EQ(index_->size(), 1u + regions_->size());  // plus the root "ID"
}

TEST(LoadIdnAreaDataTest, WithoutVillages) {
  absl::StatusOr<std::vector<Region>> regions = LoadIdnAreaData(kDataDir, false);
  ASSERT_TRUE(regions.ok()) << regions.status();
  EXPECT_EQ(regions->size(), 38u + 514u + 7285u);
  EXPECT_EQ(CountLevel(*regions, RegionLevel::kVillage), 0u);
}

TEST_F(RealRegionsTest, RegionsHaveCodesParentsAndNames) {
  const RegionIndex& index = *index_;
  const Region* jabar = index.Find("32");
  ASSERT_NE(jabar, nullptr);
  EXPECT_EQ(jabar->name, "Jawa Barat");
  EXPECT_EQ(jabar->parent_code, "ID");
  const Region* sukabumi = index.Find("32.02");
  ASSERT_NE(sukabumi, nullptr);
  EXPECT_EQ(sukabumi->parent_code, "32");
  EXPECT_EQ(sukabumi->level, RegionLevel::kRegency);
  const Region* district = index.Find("32.02.01");
  ASSERT_NE(district, nullptr);
  EXPECT_EQ(district->name, "Palabuhanratu");
  EXPECT_EQ(district->parent_code, "32.02");
  const Region* village = index.Find("32.02.01.2002");
  ASSERT_NE(village, nullptr);
  EXPECT_EQ(village->name, "Tonjong");
  EXPECT_EQ(village->parent_code, "32.02.01");
  EXPECT_EQ(village->level, RegionLevel::kVillage);
  // Quoted names with commas and doubled quotes come out whole.
  ASSERT_NE(index.Find("14.02.09.2010"), nullptr);
  EXPECT_EQ(index.Find("14.02.09.2010")->name, "Lambang Sari I, II, III");
  ASSERT_NE(index.Find("35.29.22"), nullptr);
  EXPECT_EQ(index.Find("35.29.22")->name, "Ra\"as");
  // Every parent is in the index.
  for (const Region& r : index.regions()) {
    if (r.code == "ID") continue;
    EXPECT_NE(index.Find(r.parent_code), nullptr) << r.code;
    EXPECT_EQ(LevelOfCode(r.code), r.level) << r.code;
  }
}

TEST_F(RealRegionsTest, FullIndexResolvesVillageCodesAndNames) {
  const RegionIndex& index = *index_;
  RegionMatch m = index.Resolve("3202012002");
  EXPECT_EQ(m.kind, RegionMatch::kResolved);
  EXPECT_EQ(m.code, "32.02.01.2002");
  EXPECT_EQ(index.Resolve("32.02.01.2002").code, "32.02.01.2002");
  EXPECT_EQ(index.Resolve("3202019999").kind, RegionMatch::kNotFound);
  EXPECT_EQ(index.Resolve("Kabupaten Sukabumi").code, "32.02");
  EXPECT_EQ(index.Resolve("Sukabumi").kind, RegionMatch::kAmbiguous);
  // Village names are not resolved, even when unique.
  EXPECT_EQ(index.Resolve("Tonjong").kind, RegionMatch::kNotFound);
}

TEST(LoadIdnAreaDataTest, MissingFolderIsNotFoundAndSaysHowToInstall) {
  absl::StatusOr<std::vector<Region>> regions =
      LoadIdnAreaData("/nonexistent/idn-area-data/data");
  ASSERT_EQ(regions.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(regions.status().message(), HasSubstr("provinces.csv"));
  EXPECT_THAT(regions.status().message(), HasSubstr("npm install idn-area-data"));
}

TEST(LoadIdnAreaDataTest, MissingVillagesFileIsNotFound) {
  TempDir dir;
  dir.Write("provinces.csv", "code,name\n32,Jawa Barat\n");
  dir.Write("regencies.csv", "code,province_code,name\n32.02,32,Kabupaten Sukabumi\n");
  dir.Write("districts.csv", "code,regency_code,name\n32.02.01,32.02,Palabuhanratu\n");
  EXPECT_TRUE(LoadIdnAreaData(dir.path(), false).ok());
  absl::StatusOr<std::vector<Region>> all = LoadIdnAreaData(dir.path());
  EXPECT_EQ(all.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(all.status().message(), HasSubstr("villages.csv"));
}

TEST(LoadIdnAreaDataTest, AcceptsBomAndCrlf) {
  TempDir dir;
  dir.Write("provinces.csv",
            "\xEF\xBB\xBF"
            "code,name\r\n32,Jawa Barat\r\n\r\n");
  dir.Write("regencies.csv",
            "code,province_code,name\r\n32.02,32,\"Kabupaten Sukabumi\"\r\n");
  dir.Write("districts.csv", "code,regency_code,name\n");
  absl::StatusOr<std::vector<Region>> regions = LoadIdnAreaData(dir.path(), false);
  ASSERT_TRUE(regions.ok()) << regions.status();
  ASSERT_EQ(regions->size(), 2u);
  EXPECT_EQ((*regions)[0].name, "Jawa Barat");
  EXPECT_EQ((*regions)[1].name, "Kabupaten Sukabumi");
}

// Damaged files are InvalidArgument naming the file and line.
void ExpectDamaged(const std::string& provinces, const std::string& regencies,
                   const std::string& want) {
  TempDir dir;
  dir.Write("provinces.csv", provinces);
  dir.Write("regencies.csv", regencies);
  dir.Write("districts.csv", "code,regency_code,name\n");
  absl::StatusOr<std::vector<Region>> regions = LoadIdnAreaData(dir.path(), false);
  ASSERT_EQ(regions.status().code(), absl::StatusCode::kInvalidArgument)
      << regions.status();
  EXPECT_THAT(regions.status().message(), HasSubstr(want));
}

TEST(LoadIdnAreaDataTest, DamagedFilesAreInvalidArgument) {
  const std::string ok_regencies = "code,province_code,name\n32.02,32,Kab Sukabumi\n";
  ExpectDamaged("", ok_regencies, "provinces.csv:1: empty file");
  ExpectDamaged("kode,nama\n32,Jawa Barat\n", ok_regencies, "expected the columns");
  ExpectDamaged("code,name\n32,Jawa Barat,extra\n", ok_regencies,
                "provinces.csv:2: 3 fields, expected 2");
  ExpectDamaged("code,name\n3X,Jawa Barat\n", ok_regencies, "bad code \"3X\"");
  ExpectDamaged("code,name\n32,\n", ok_regencies, "empty name");
  ExpectDamaged("code,name\n32,Jawa Barat\n32,Jawa Barat\n", ok_regencies,
                "provinces.csv:3: duplicate code");
  ExpectDamaged("code,name\n32,\"Jawa Barat\n", ok_regencies, "unterminated quote");
  ExpectDamaged("code,name\n32,Jawa Barat\n",
                "code,province_code,name\n33.02,33,Kab Banyumas\n",
                "regencies.csv:2: unknown parent \"33\"");
  ExpectDamaged("code,name\n32,Jawa Barat\n",
                "code,province_code,name\n33.02,32,Kab Banyumas\n", "bad code \"33.02\"");
}

TEST(DefaultRegionDataDirTest, FindsTheInstalledPackage) {
  // Tests run from the project root.
  std::string dir = DefaultRegionDataDir();
  EXPECT_TRUE(fs::exists(fs::path(dir) / "provinces.csv")) << dir;
}

TEST(DefaultRegionDataDirTest, EnvironmentVariableComesFirst) {
  TempDir dir;
  dir.Write("provinces.csv", "code,name\n");
  ::setenv("GUGUS_REF_DIR", dir.path().c_str(), 1);
  std::string found = DefaultRegionDataDir();
  ::unsetenv("GUGUS_REF_DIR");
  EXPECT_EQ(found, dir.path());
}

class IsoCountriesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::vector<Country>> countries = LoadIsoCountries();
    ASSERT_TRUE(countries.ok()) << countries.status();
    index_ = new CountryIndex(*std::move(countries));
  }
  static void TearDownTestSuite() {
    delete index_;
    index_ = nullptr;
  }
  static std::string Resolve(std::string_view text) {
    return index_->Resolve(text).value_or("<none>");
  }
  static CountryIndex* index_;
};

CountryIndex* IsoCountriesTest::index_ = nullptr;

TEST_F(IsoCountriesTest, LoadsAllCountriesWithIndonesianNames) {
  EXPECT_EQ(index_->countries().size(), 249u);
  const Country* kh = index_->FindByAlpha2("KH");
  ASSERT_NE(kh, nullptr);
  EXPECT_EQ(kh->alpha3, "KHM");
  EXPECT_EQ(kh->name_en, "Cambodia");
  EXPECT_EQ(kh->name_id, "Kamboja");
  EXPECT_EQ(index_->FindByAlpha2("SA")->name_id, "Arab Saudi");
  EXPECT_EQ(index_->FindByAlpha2("JP")->name_id, "Jepang");
  EXPECT_EQ(index_->FindByAlpha2("DE")->name_id, "Jerman");
  // The common name's translation where iso-codes has one.
  EXPECT_EQ(index_->FindByAlpha2("KR")->name_en, "Korea, Republic of");
  EXPECT_EQ(index_->FindByAlpha2("KR")->name_id, "Korea Selatan");
  EXPECT_EQ(index_->FindByAlpha2("SY")->name_id, "Suriah");
  EXPECT_EQ(index_->FindByAlpha2("TW")->name_id, "Taiwan");
  // Untranslated names fall back to English.
  EXPECT_EQ(index_->FindByAlpha2("MY")->name_id, "Malaysia");
  // The catalogue's "Timor Timur" is the pre-1999 province; Indonesia writes this.
  EXPECT_EQ(index_->FindByAlpha2("TL")->name_id, "Timor Leste");
}

TEST_F(IsoCountriesTest, ResolvesWhatIndonesianClerksWrite) {
  const std::pair<const char*, const char*> cases[] = {
      {"Malaysia", "MY"},
      {"Malaysya", "MY"},
      {"Kamboja", "KH"},
      {"Arab Saudi", "SA"},
      {"Saudi Arabia", "SA"},
      {"Saudi", "SA"},
      {"KSA", "SA"},
      {"Hong Kong", "HK"},
      {"Hongkong", "HK"},
      {"HONGKONG", "HK"},
      {"Taiwan", "TW"},
      {"Korea Selatan", "KR"},
      {"Korsel", "KR"},
      {"South Korea", "KR"},
      {"UEA", "AE"},
      {"UAE", "AE"},
      {"Uni Emirat Arab", "AE"},
      {"Myanmar", "MM"},
      {"Burma", "MM"},
      {"Filipina", "PH"},
      {"Philippines", "PH"},
      {"Singapura", "SG"},
      {"Jepang", "JP"},
      {"Tiongkok", "CN"},
      {"RRT", "CN"},
      {"Cina", "CN"},
      {"China", "CN"},
      {"Brunei", "BN"},
      {"Brunei Darussalam", "BN"},
      {"Timor Leste", "TL"},
      {"Timor-Leste", "TL"},
      {"Vietnam", "VN"},
      {"Viet Nam", "VN"},
      {"Thailand", "TH"},
      {"Laos", "LA"},
      {"Turki", "TR"},
      {"T\xC3\xBCrkiye", "TR"},
      {"Turkey", "TR"},
      {"Qatar", "QA"},
      {"Kuwait", "KW"},
      {"Oman", "OM"},
      {"Yordania", "JO"},
      {"Mesir", "EG"},
      {"Irak", "IQ"},
      {"Suriah", "SY"},
      {"Polandia", "PL"},
      {"Belanda", "NL"},
      {"Jerman", "DE"},
      {"Inggris", "GB"},
      {"Amerika Serikat", "US"},
      {"USA", "US"},
      {"Australia", "AU"},
      {"Selandia Baru", "NZ"},
      {"Iran", "IR"},
      {"Bolivia", "BO"},
      {"WNI", "ID"},
      {"Indonesia", "ID"},
      {"ID", "ID"},
      {"IDN", "ID"},
      {"kh", "KH"},
      {"AS", "AS"},  // ISO: American Samoa
  };
  for (const auto& [text, want] : cases) EXPECT_EQ(Resolve(text), want) << text;
}

TEST_F(IsoCountriesTest, EveryCountryResolvesByItsOwnNamesAndCodes) {
  for (const Country& c : index_->countries()) {
    EXPECT_EQ(Resolve(c.alpha2), c.alpha2);
    EXPECT_EQ(Resolve(c.alpha3), c.alpha2);
    EXPECT_EQ(Resolve(c.name_en), c.alpha2) << c.name_en;
    EXPECT_EQ(Resolve(c.name_id), c.alpha2) << c.name_id;
  }
}

TEST_F(IsoCountriesTest, SharedHeadsAreNotGuessed) {
  EXPECT_EQ(Resolve("Virgin Islands"), "<none>");  // British or U.S.
  EXPECT_EQ(Resolve("Sukabumi"), "<none>");
}

TEST(LoadIsoCountriesTest, MissingJsonIsNotFoundAndSaysHowToInstall) {
  absl::StatusOr<std::vector<Country>> countries =
      LoadIsoCountries("/nonexistent/iso_3166-1.json");
  ASSERT_EQ(countries.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(countries.status().message(), HasSubstr("iso_3166-1.json"));
  EXPECT_THAT(countries.status().message(), HasSubstr("iso-codes"));
}

TEST(LoadIsoCountriesTest, MissingCatalogueFallsBackToEnglish) {
  absl::StatusOr<std::vector<Country>> countries = LoadIsoCountries(
      "/usr/share/iso-codes/json/iso_3166-1.json", "/nonexistent/iso_3166-1.mo");
  ASSERT_TRUE(countries.ok()) << countries.status();
  CountryIndex index(*std::move(countries));
  EXPECT_EQ(index.FindByAlpha2("KH")->name_id, "Cambodia");
  // The clerk spellings still work.
  EXPECT_EQ(index.Resolve("Kamboja").value_or(""), "KH");
  EXPECT_EQ(index.Resolve("Arab Saudi").value_or(""), "SA");
}

TEST(LoadIsoCountriesTest, DamagedJsonIsInvalidArgument) {
  TempDir dir;
  for (const char* json :
       {"", "{", "[]", "{\"3166-1\": 5}", "{\"3166-1\": [{\"alpha_2\": \"K\"}]}",
        "{\"3166-1\": [{\"alpha_2\": \"kh\", \"alpha_3\": \"KHM\", \"name\": \"x\"}]}",
        "{\"3166-1\": []}"}) {
    std::string path = dir.Write("iso.json", json);
    absl::StatusOr<std::vector<Country>> countries = LoadIsoCountries(path, "");
    EXPECT_EQ(countries.status().code(), absl::StatusCode::kInvalidArgument) << json;
  }
}

// Builds a little-endian .mo with the given pairs (sorted by msgid, as msgfmt).
std::string MakeMo(const std::vector<std::pair<std::string, std::string>>& pairs,
                   bool big_endian = false) {
  auto u32 = [big_endian](uint32_t v) {
    std::string s(4, '\0');
    for (int i = 0; i < 4; ++i)
      s[big_endian ? 3 - i : i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    return s;
  };
  uint32_t n = static_cast<uint32_t>(pairs.size());
  uint32_t originals = 28, translations = originals + 8 * n;
  uint32_t strings = translations + 8 * n;
  std::string head = u32(0x950412de) + u32(0) + u32(n) + u32(originals) +
                     u32(translations) + u32(0) + u32(0);
  std::string table_o, table_t, blob;
  for (const auto& [id, str] : pairs) {
    table_o += u32(static_cast<uint32_t>(id.size())) +
               u32(strings + static_cast<uint32_t>(blob.size()));
    blob += id + '\0';
  }
  for (const auto& [id, str] : pairs) {
    table_t += u32(static_cast<uint32_t>(str.size())) +
               u32(strings + static_cast<uint32_t>(blob.size()));
    blob += str + '\0';
  }
  return head + table_o + table_t + blob;
}

TEST(LoadIsoCountriesTest, ReadsCataloguesOfEitherByteOrder) {
  TempDir dir;
  std::string json =
      dir.Write("iso.json",
                R"({"3166-1": [{"alpha_2": "KH", "alpha_3": "KHM", "name": "Cambodia"},
                     {"alpha_2": "MY", "alpha_3": "MYS", "name": "Malaysia"}]})");
  for (bool big : {false, true}) {
    std::string mo =
        dir.Write("id.mo", MakeMo({{"", "Content-Type: text/plain; charset=UTF-8\n"},
                                   {"Cambodia", "Kamboja"},
                                   {"ctx\x04Malaysia", "Wrong"}},
                                  big));
    absl::StatusOr<std::vector<Country>> countries = LoadIsoCountries(json, mo);
    ASSERT_TRUE(countries.ok()) << countries.status();
    ASSERT_EQ(countries->size(), 2u);
    EXPECT_EQ((*countries)[0].name_id, "Kamboja") << big;
    EXPECT_EQ((*countries)[1].name_id, "Malaysia") << big;  // context entry skipped
  }
}

TEST(LoadIsoCountriesTest, DamagedCatalogueIsInvalidArgument) {
  TempDir dir;
  std::string json = dir.Write(
      "iso.json",
      R"({"3166-1": [{"alpha_2": "KH", "alpha_3": "KHM", "name": "Cambodia"}]})");
  std::string good = MakeMo({{"Cambodia", "Kamboja"}});
  std::string bad_offset = good;
  bad_offset[28 + 4] = '\x7f';  // first original string's offset far past the end
  std::string huge_count = good;
  huge_count[8] = '\xff';
  huge_count[11] = '\x7f';
  for (const std::string& bytes : {std::string("short"), std::string(64, 'x'),
                                   good.substr(0, 30), bad_offset, huge_count}) {
    std::string mo = dir.Write("bad.mo", bytes);
    absl::StatusOr<std::vector<Country>> countries = LoadIsoCountries(json, mo);
    EXPECT_EQ(countries.status().code(), absl::StatusCode::kInvalidArgument)
        << countries.status();
  }
  // Truncations at every byte never crash (the last byte is the final string's
  // terminating NUL, which the catalogue does not need).
  for (size_t n = 0; n + 1 < good.size(); ++n) {
    std::string mo = dir.Write("cut.mo", good.substr(0, n));
    absl::StatusOr<std::vector<Country>> countries = LoadIsoCountries(json, mo);
    EXPECT_EQ(countries.status().code(), absl::StatusCode::kInvalidArgument) << n;
  }
}

}  // namespace
}  // namespace gugus::ingest
