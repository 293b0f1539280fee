#include "linkage/address.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gugus::linkage {
namespace {

using Words = std::vector<std::string>;

TEST(AddressWordsTest, AbbreviationsGetOneForm) {
  const Words want = {"dusun", "iii",      "rt",  "18",     "rw",  "4",
                      "desa",  "sebangki", "kec", "seluas", "kab", "bengkayang"};
  EXPECT_EQ(AddressWords("Dusun III RT 018/RW 004, Desa Sebangki, Kec. Seluas, "
                         "Kab. Bengkayang"),
            want);
  EXPECT_EQ(AddressWords("DSN. III RT.18 RW.04 DS. SEBANGKI KECAMATAN SELUAS "
                         "KABUPATEN BENGKAYANG"),
            want);
  EXPECT_EQ(AddressWords("Dusun III Rukun Tetangga 18 Rukun Warga 4\nDesa Sebangki,"
                         " Kc. Seluas, Kab Bengkayang"),
            want);
}

TEST(AddressWordsTest, StreetsNumbersAndVillages) {
  EXPECT_EQ(AddressWords("Jalan Melati Nomor 040, Gang Mawar, Kelurahan Cakranegara"),
            (Words{"jl", "melati", "no", "40", "gg", "mawar", "kel", "cakranegara"}));
  EXPECT_EQ(AddressWords("Jln. Melati No.40 Gg. Mawar Kel. Cakranegara"),
            (Words{"jl", "melati", "no", "40", "gg", "mawar", "kel", "cakranegara"}));
  EXPECT_EQ(AddressWords("Kp. Baru, Perum. Griya Blk. C-0"),
            (Words{"kampung", "baru", "perum", "griya", "blok", "c", "0"}));
  EXPECT_EQ(AddressWords("Prov. NTB"), (Words{"prov", "ntb"}));
  EXPECT_EQ(AddressWords("Propinsi NTB"), (Words{"prov", "ntb"}));
}

TEST(AddressWordsTest, AccentsFoldAndNothingFails) {
  EXPECT_EQ(AddressWords("Désa Sukamaju"), (Words{"desa", "sukamaju"}));
  EXPECT_TRUE(AddressWords("").empty());
  EXPECT_TRUE(AddressWords(" ,./-- ").empty());
  // Invalid UTF-8 gives some words (or none), never a crash.
  (void)AddressWords(std::string("Desa \xff\xfe Baru", 12));
  // "Rukun" alone is a word like any other.
  EXPECT_EQ(AddressWords("Dusun Rukun"), (Words{"dusun", "rukun"}));
}

// A few regions as idn-area-data names them.
RegionIndex SomeRegions() {
  return RegionIndex({
      {"32", "ID", "Jawa Barat", RegionLevel::kProvince},
      {"32.02", "32", "Kabupaten Sukabumi", RegionLevel::kRegency},
      {"32.72", "32", "Kota Sukabumi", RegionLevel::kRegency},
      {"52", "ID", "Nusa Tenggara Barat", RegionLevel::kProvince},
      {"52.01", "52", "Kabupaten Lombok Barat", RegionLevel::kRegency},
      {"52.02", "52", "Kabupaten Lombok Tengah", RegionLevel::kRegency},
      {"52.02.05", "52.02", "Praya Timur", RegionLevel::kDistrict},
      {"52.71", "52", "Kota Mataram", RegionLevel::kRegency},
      {"63", "ID", "Kalimantan Selatan", RegionLevel::kProvince},
      {"63.02", "63", "Kabupaten Kotabaru", RegionLevel::kRegency},
  });
}

TEST(RegencyOfAddressTest, TheRegencyOrCityTheAddressNames) {
  const RegionIndex regions = SomeRegions();
  EXPECT_EQ(RegencyOfAddress("Dusun Krajan RT 015/RW 005, Desa Batukliang, "
                             "Kec. Praya Timur, Kab. Lombok Tengah",
                             regions),
            "52.02");
  EXPECT_EQ(
      RegencyOfAddress("Jl. Flamboyan No. 17, Kec. Selaparang, Kota Mataram", regions),
      "52.71");
  EXPECT_EQ(RegencyOfAddress("Kp. Cibodas, KABUPATEN SUKABUMI, Jawa Barat", regions),
            "32.02");
  EXPECT_EQ(RegencyOfAddress("Jl. Veteran 3, Kota Sukabumi", regions), "32.72");
  EXPECT_EQ(RegencyOfAddress("Jl. Veteran 3, Kodya Sukabumi", regions), "32.72");
}

TEST(RegencyOfAddressTest, WithoutCommasAndWithAProvinceAfter) {
  const RegionIndex regions = SomeRegions();
  EXPECT_EQ(RegencyOfAddress("DSN. KRAJAN RT.15 DS. BATUKLIANG KECAMATAN PRAYA TIMUR "
                             "KABUPATEN LOMBOK TENGAH PROV. NTB",
                             regions),
            "52.02");
  EXPECT_EQ(RegencyOfAddress("Desa Batukliang, Kab. Lombok Tengah NTB", regions),
            "52.02");
}

TEST(RegencyOfAddressTest, TheLastRegencyWins) {
  // Addresses run from the street up: a street named after a regency comes first.
  EXPECT_EQ(RegencyOfAddress("Jl. Kab. Lombok Barat No. 3, Kota Mataram", SomeRegions()),
            "52.71");
}

TEST(RegencyOfAddressTest, NothingWhenNoRegencyIsNamedForSure) {
  const RegionIndex regions = SomeRegions();
  EXPECT_EQ(RegencyOfAddress("", regions), "");
  EXPECT_EQ(RegencyOfAddress("Jl. Melati No. 8 RT 3/RW 2", regions), "");
  // A district or province is not a regency; neither is an unknown name.
  EXPECT_EQ(RegencyOfAddress("Desa Batukliang, Kec. Praya Timur", regions), "");
  EXPECT_EQ(RegencyOfAddress("Desa Batukliang, Prov. Nusa Tenggara Barat", regions), "");
  EXPECT_EQ(RegencyOfAddress("Desa Sukamaju, Kab. Antah Berantah", regions), "");
  // "Kab. Lombok" could be any of the Lombok regencies.
  EXPECT_EQ(RegencyOfAddress("Desa Sukamaju, Kab. Lombok", regions), "");
  // Plain "Sukabumi" is the regency or the city.
  EXPECT_EQ(RegencyOfAddress("Kp. Cibodas, Sukabumi", regions), "");
  // "Kota" inside a part is a village's name, not the regency Kotabaru.
  EXPECT_EQ(RegencyOfAddress("Jl. Pramuka, Desa Kota Baru, Kec. Pulau Laut", regions),
            "");
  EXPECT_EQ(RegencyOfAddress("Jl. Pramuka, Desa Sungup, Kab. Kota Baru", regions),
            "63.02");
  // A name without its kind is not taken: it may be a village's.
  EXPECT_EQ(RegencyOfAddress("Jl. Pramuka, Desa Sungup, Kotabaru", regions), "");
}

}  // namespace
}  // namespace gugus::linkage
