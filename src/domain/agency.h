// Agencies (instansi): the bodies that submit records. Value types; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace gugus::domain {

// SPEC section 4's agency types, as stored and typed on the command line.
std::span<const std::string_view> AgencyTypes();
bool IsAgencyType(std::string_view type);

struct Agency {
  int64_t id = 0;
  std::string code;  // "POLDA-NTT": letters, digits, '-', '_' and '.', 2–32 chars
  std::string name;
  std::string type;         // one of AgencyTypes()
  std::string region_code;  // Kemendagri code, or "ID" for national bodies
  int64_t version = 1;      // optimistic concurrency: bumped by every update
};

// Empty when valid, else a plain message saying what is wrong with the code.
std::string CheckAgencyCode(std::string_view code);

}  // namespace gugus::domain
