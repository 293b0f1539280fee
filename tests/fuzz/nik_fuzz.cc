// Fuzzes ParseNik. Invariants: no crash; errors are InvalidArgument with a message; a
// parsed NIK has 16 digits whose parts agree with the decoded fields, a valid birth
// date not after the reference, and FormatNik rebuilds the same digits.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/nik.h"

namespace {

void Check(bool ok, const char* what, std::string_view input) {
  if (ok) return;
  std::fprintf(stderr, "invariant violated: %s (input %zu bytes)\n", what, input.size());
  std::abort();
}

void FuzzOne(std::string_view input, const gugus::Date& reference) {
  absl::StatusOr<gugus::NikInfo> r = gugus::ParseNik(input, reference);
  if (!r.ok()) {
    Check(r.status().code() == absl::StatusCode::kInvalidArgument,
          "error is InvalidArgument", input);
    Check(!r.status().message().empty(), "error has a message", input);
    Check(r.status().message().size() < 400, "error message is bounded", input);
    return;
  }
  const gugus::NikInfo& nik = *r;
  Check(nik.digits.size() == 16, "NIK has 16 characters", input);
  for (char c : nik.digits) Check(c >= '0' && c <= '9', "NIK is all digits", input);
  Check(nik.digits.substr(12) != "0000", "serial is not 0000", input);
  const gugus::Date& b = nik.birth_date;
  Check(gugus::IsValidDate(b.year, b.month, b.day), "birth date is valid", input);
  Check(b <= reference, "birth date is not after the reference", input);
  Check(b > gugus::Date{reference.year - 100, reference.month, reference.day},
        "birth date is within a century of the reference", input);
  Check(nik.province_code == nik.digits.substr(0, 2), "province code", input);
  Check(nik.regency_code == nik.province_code + "." + nik.digits.substr(2, 2),
        "regency code", input);
  Check(nik.district_code == nik.regency_code + "." + nik.digits.substr(4, 2),
        "district code", input);
  const int serial = std::stoi(nik.digits.substr(12));
  Check(gugus::FormatNik(nik.district_code, b, nik.sex, serial) == nik.digits,
        "FormatNik rebuilds the digits", input);
  absl::StatusOr<gugus::NikInfo> again = gugus::ParseNik(nik.digits, reference);
  Check(again.ok() && again->birth_date == b && again->sex == nik.sex,
        "the bare digits parse the same", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  FuzzOne(input, gugus::Date{2024, 6, 15});
  FuzzOne(input, gugus::Date{2000, 1, 1});
  FuzzOne(input, gugus::Date{1999, 12, 31});
  return 0;
}
