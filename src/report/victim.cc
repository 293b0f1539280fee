#include "report/victim.h"

#include <array>

#include "core/date.h"
#include "core/nik.h"

namespace gugus::report {
namespace {

constexpr std::array<int, kAgeBandCount> kBandLow = {0, 9, 18, 21, 24, 27, 30, 39, 48};
constexpr std::array<std::string_view, kAgeBandCount> kLabels = {
    "0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+"};
constexpr std::array<std::string_view, kAgeBandCount> kCtdcLabels = {
    "0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"};

std::optional<Date> DateOf(const std::string& iso) {
  if (iso.empty()) return std::nullopt;
  auto d = ParseDate(iso);
  if (!d.ok()) return std::nullopt;
  return *d;
}

}  // namespace

int AgeBand(int age) {
  if (age < 0) return -1;
  int band = 0;
  while (band + 1 < kAgeBandCount && age >= kBandLow[band + 1]) ++band;
  return band;
}

std::string_view AgeBandLabel(int band) {
  return band >= 0 && band < kAgeBandCount ? kLabels[band] : std::string_view();
}

std::string_view CtdcAgeBandLabel(int band) {
  return band >= 0 && band < kAgeBandCount ? kCtdcLabels[band] : std::string_view();
}

std::optional<int> AgeAtExploitation(const ingest::ParsedRecord& record) {
  using ingest::Field;
  std::optional<Date> birth = DateOf(record[Field::kBirthDate]);
  const std::optional<Date> reported = DateOf(record[Field::kReportDate]);
  // Police and social-service files often give a NIK but no birth date: the NIK
  // carries it (the century chosen so that it is not after the report).
  if (!birth && !record[Field::kNik].empty() && reported)
    if (auto nik = ParseNik(record[Field::kNik], *reported); nik.ok())
      birth = nik->birth_date;
  if (birth) {
    auto on = DateOf(record[Field::kIncidentDate]);
    if (!on || DaysFromCivil(*on) < DaysFromCivil(*birth)) on = reported;
    if (on && DaysFromCivil(*on) >= DaysFromCivil(*birth)) return AgeInYears(*birth, *on);
  }
  if (record.age) return *record.age;
  return std::nullopt;
}

}  // namespace gugus::report
