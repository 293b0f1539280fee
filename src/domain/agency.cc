#include "domain/agency.h"

#include <array>

#include "absl/strings/ascii.h"

namespace gugus::domain {
namespace {
constexpr std::array<std::string_view, 12> kTypes = {"police",
                                                     "prosecutor",
                                                     "court",
                                                     "pppa_unit",
                                                     "social_service",
                                                     "migrant_worker_agency",
                                                     "immigration",
                                                     "health",
                                                     "labour",
                                                     "foreign_affairs",
                                                     "ngo",
                                                     "other"};
}  // namespace

std::span<const std::string_view> AgencyTypes() { return kTypes; }

bool IsAgencyType(std::string_view type) {
  for (std::string_view t : kTypes)
    if (t == type) return true;
  return false;
}

std::string CheckAgencyCode(std::string_view code) {
  if (code.size() < 2 || code.size() > 32)
    return "agency code must have 2 to 32 characters";
  for (char c : code) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' &&
        c != '.') {
      return "agency code may hold only letters, digits, '-', '_' and '.'";
    }
  }
  return "";
}

}  // namespace gugus::domain
