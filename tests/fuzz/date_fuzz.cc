// Fuzzes ParseDate with and without Excel serials. Invariants: no crash; a parsed
// date is valid; its ISO form parses back to the same date; errors are one of the
// two documented codes; the day-number conversion round-trips.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/date.h"

namespace {

void Check(bool ok, const char* what, std::string_view input) {
  if (ok) return;
  std::fprintf(stderr, "invariant violated: %s (input %zu bytes)\n", what, input.size());
  std::abort();
}

void FuzzOne(std::string_view input, gugus::DateParseOptions options) {
  absl::StatusOr<gugus::Date> r = gugus::ParseDate(input, options);
  if (!r.ok()) {
    const absl::StatusCode code = r.status().code();
    Check(code == absl::StatusCode::kInvalidArgument ||
              code == absl::StatusCode::kOutOfRange,
          "error is InvalidArgument or OutOfRange", input);
    Check(!r.status().message().empty(), "error has a message", input);
    Check(r.status().message().size() < 400, "error message is bounded", input);
    return;
  }
  const gugus::Date d = *r;
  Check(gugus::IsValidDate(d.year, d.month, d.day), "parsed date is valid", input);
  const std::string iso = gugus::FormatIsoDate(d);
  Check(iso.size() == 10, "ISO form has 10 characters", input);
  absl::StatusOr<gugus::Date> again = gugus::ParseDate(iso);
  Check(again.ok() && *again == d, "ISO form parses back to the same date", input);
  Check(gugus::CivilFromDays(gugus::DaysFromCivil(d)) == d, "day numbers round-trip",
        input);
  Check(gugus::AgeInYears(d, d) == 0, "age on the birth date is 0", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  FuzzOne(input, {});
  FuzzOne(input, {.allow_excel_serial = true});

  // Whatever parses without serials parses the same with them, unless it is a bare
  // number (then it is a serial).
  absl::StatusOr<gugus::Date> plain = gugus::ParseDate(input);
  absl::StatusOr<gugus::Date> excel =
      gugus::ParseDate(input, {.allow_excel_serial = true});
  if (plain.ok()) {
    Check(excel.ok() && *excel == *plain, "serials do not change other formats", input);
  }
  return 0;
}
