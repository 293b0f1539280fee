// NIK (Nomor Induk Kependudukan), the 16-digit Indonesian national id:
//   PP RR SS DDMMYY XXXX
//   PP.RR.SS  the district (kecamatan) code of registration,
//   DD        day of birth, plus 40 for women,
//   MM YY     month and two-digit year of birth,
//   XXXX      serial, 0001.. (0000 is not issued).
// ParseNik strips spaces, dots and dashes, then checks length, digits, the date part
// and the serial. It does not check the region against reference data: the caller
// does that with RegionIndex (the code is returned as "PP.RR.SS").
// The century is chosen so that the birth date is not after `reference` (normally
// the report date): YY > reference's YY means 19YY.
// Errors (InvalidArgument), each with a plain message: wrong length, non-digits,
// impossible date part, serial 0000. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/date.h"
#include "core/values.h"

namespace gugus {

struct NikInfo {
  std::string digits;         // the 16 digits
  std::string province_code;  // "32"
  std::string regency_code;   // "32.02"
  std::string district_code;  // "32.02.01"
  Date birth_date;
  Sex sex = Sex::kMale;
};

absl::StatusOr<NikInfo> ParseNik(std::string_view text, const Date& reference);

// Builds a NIK from its parts (used by the data generator and tests).
std::string FormatNik(std::string_view district_code, const Date& birth_date, Sex sex,
                      int serial);

}  // namespace gugus
