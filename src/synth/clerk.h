// Private to src/synth: the variation clerks put into what they transcribe —
// spelling variants, typos, case, date and phone formats, NIK slips.
// Pure functions of their inputs and the caller's Rng; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/date.h"
#include "synth/names.h"
#include "synth/rng.h"

namespace gugus::synth::internal {

// Pre-1972 spelling: u→oe, j→dj, c→tj, y→j (before a vowel), ny→nj, sy→sj, kh→ch.
// "Suharti" → "Soeharti", "Joko" → "Djoko", "Cahyono" → "Tjahjono".
std::string OldSpelling(std::string_view word);
// The reverse: "Soeharti" → "Suharti", "Djoko" → "Joko", "Tjahjono" → "Cahyono".
std::string ModernSpelling(std::string_view word);

// Replaces `part` by a spelling clerks use for it ("Muhammad" → "Moh.",
// "Yohanes" → "Johanes", "Zainudin" → "Zainuddin", old ↔ new spelling).
// False when no variant applies.
bool SpellingVariant(Rng& rng, std::string& part);

// One typo on an ASCII letter: transposition, keyboard-neighbour substitution,
// deletion or a doubled letter. No-op on text with fewer than three letters.
void Typo(Rng& rng, std::string& text);

// Upper/lower case for ASCII and the Latin-1 letters (é ↔ É).
void UpperUtf8(std::string& text);
void LowerUtf8(std::string& text);
// "KABUPATEN TIMOR TENGAH SELATAN" → "Kabupaten Timor Tengah Selatan".
std::string TitleCase(std::string_view text);

// The name as one clerk writes it; `noise` scales the variation (1 = typical).
void RenderName(Rng& rng, const PersonName& name, double noise, std::string& out);
// A suspect's name (already a string) with lighter variation.
void RenderPlainName(Rng& rng, std::string_view name, double noise, std::string& out);

enum class DateFormat {
  kIso,         // 2021-03-12
  kSlash,       // 12/03/2021
  kDash,        // 12-03-2021
  kDot,         // 12.03.2021
  kSlashLoose,  // 12/3/2021
  kLongId,      // 12 Maret 2021
  kShortId,     // 12 Mar 2021, 3 Agt 2021
  kLongEn,      // 12 March 2021
};
inline constexpr int kDateFormatCount = 8;

// Appends `date` in `format`. `day`/`month` may be an impossible pair (31/02) on
// purpose; the caller decides.
void AppendDate(Rng& rng, int year, int month, int day, DateFormat format,
                std::string& out);

// Phone formats: 0812..., 0812-3456-7890, +62 812-3456-7890, 62812..., +62812...,
// 0812 3456 7890.
inline constexpr int kPhoneFormatCount = 6;
// `digits` are the national digits after the leading 0 ("81234567890").
void AppendPhone(std::string_view digits, int format, std::string& out);

// One mistyped digit (a neighbour on the keypad or any digit) or two adjacent digits
// swapped; the result always differs from `digits` and has the same length.
void CorruptDigits(Rng& rng, std::string& digits);

}  // namespace gugus::synth::internal
