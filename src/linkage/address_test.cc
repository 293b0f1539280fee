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

}  // namespace
}  // namespace gugus::linkage
