// Indonesian street addresses as clerks write them, reduced to comparable words.
//
// "Dusun III RT 018/RW 004, Desa Sebangki, Kec. Seluas, Kab. Bengkayang" and
// "DUSUN III RT 18/RW 4 Desa Sebangki, Kecamatan Seluas, Kabupaten Bengkayang" give
// the same words. Rules, in order:
//   1. Case and accents are folded (FoldValue, as FoldForMatch); every character that is
//   not a
//      letter or a digit separates words, so commas, dots, slashes and line breaks
//      do not matter.
//   2. The usual abbreviations get one form: Kecamatan/Kec./Kc. → kec,
//      Kabupaten/Kab. → kab, Kelurahan/Kel. → kel, Desa/Ds. → desa, Dusun/Dsn. →
//      dusun, Kampung/Kp./Kmp. → kampung, Jalan/Jln./Jl. → jl, Gang/Gg. → gg,
//      Nomor/No./Nmr. → no, Rukun Tetangga → rt, Rukun Warga → rw, Provinsi/Prov. →
//      prov, Perumahan/Perum. → perum, Blok/Blk. → blok.
//   3. Numbers lose their leading zeros ("RT 002" is "RT 2"); a lone "0" stays.
// Pure functions; thread-safe; never fails (any bytes give some words, maybe none).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/region_index.h"

namespace gugus::linkage {

// The address's words in written order.
std::vector<std::string> AddressWords(std::string_view raw);

// The code of the regency or city the address names ("…, Kec. Praya Timur, Kab.
// Lombok Tengah, NTB" → "52.02"), or "" when it names none, or none unambiguously.
// Only a part introduced by its kind counts: "Kab."/"Kabupaten"/"Kodya" anywhere,
// "Kota" only at the start of a comma-separated part, because "Desa Kota Baru" is a
// village, not the regency Kotabaru. The last such part wins (addresses run from
// the street to the province), and the longest run of its words that `regions`
// resolves to a regency or city, so a province written after it does not matter
// ("KAB. LOMBOK TENGAH NTB"). Thread-safe.
std::string RegencyOfAddress(std::string_view raw, const RegionIndex& regions);

}  // namespace gugus::linkage
