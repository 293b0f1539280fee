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

namespace gugus::linkage {

// The address's words in written order.
std::vector<std::string> AddressWords(std::string_view raw);

}  // namespace gugus::linkage
