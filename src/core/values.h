// Parsers for the small Indonesian values of the interchange format: sex, phone
// numbers and names. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gugus {

enum class Sex { kMale, kFemale };

// L, P, Laki-laki, Laki laki, Lelaki, Perempuan, Pria, Wanita, M, F, male, female
// (case-insensitive, trimmed). nullopt when unrecognised or empty.
std::optional<Sex> ParseSex(std::string_view text);
std::string_view SexCode(Sex sex);  // "L" or "P" (the form exported)

// Indonesian phone numbers to E.164 "+62…": accepts 08…, 8…, 62…, +62…, 0062…,
// with spaces, dots, dashes and parentheses. Indonesian mobile and landline numbers
// have 8–13 digits after the 62. Foreign numbers with another "+CC" prefix are kept
// as "+<digits>" when 8–15 digits. nullopt when the text is not a phone number.
std::optional<std::string> NormalizePhone(std::string_view text);

// A name as written, trimmed, with runs of white space (including NBSP and tabs)
// collapsed to one space and Unicode NFC-composed. The caller keeps the original.
std::string CleanName(std::string_view text);
// The same into `out` (replacing its contents, reusing its buffer).
void CleanName(std::string_view text, std::string& out);

}  // namespace gugus
