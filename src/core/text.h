// UTF-8 text utilities shared by every layer. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gugus {

bool IsValidUtf8(std::string_view bytes);

// Windows-1252 bytes to UTF-8 (the five undefined bytes map to U+FFFD).
std::string Windows1252ToUtf8(std::string_view bytes);

// Trims ASCII and Unicode white space (incl. NBSP) at both ends.
std::string_view Trim(std::string_view text);

// Trims and collapses inner runs of white space to one ASCII space.
std::string CollapseSpaces(std::string_view text);
// The same into `out` (replacing its contents, reusing its buffer).
void CollapseSpaces(std::string_view text, std::string& out);

// Case-folded, accent-stripped, NFKC form, for comparing words typed by people:
// "KABUPATEN  Sukabumi" and "kabupaten sukabumi" fold alike; "José" → "jose".
std::string FoldForMatch(std::string_view text);

// Folded letters and digits only, for looking up names people type: "Timor-Leste",
// "timor leste" and "TIMOR LESTE" give "timorleste"; "Hong Kong" and "Hongkong" meet;
// "Côte d'Ivoire" loses its accent and apostrophe; codes ("forced_labour") match
// their labels ("Forced labour").
std::string MatchKey(std::string_view text);

// Key for matching column headers: folded, with spaces, '_' and '-' removed.
// "Tanggal Laporan", "tanggal_laporan" and "TANGGAL-LAPORAN" give the same key.
std::string HeaderKey(std::string_view text);

// The pieces of `text` between `separator`s ("a,,b" gives "a", "", "b"; "" gives
// one empty piece). The pieces point into `text`.
std::vector<std::string_view> Split(std::string_view text, char separator);

}  // namespace gugus
