// Private to src/synth: the fixed tables the generator draws from — agencies,
// destinations, exploitation and recruitment terms as clerks write them, origin
// weights. Static data; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace gugus::synth::internal {

struct AgencyTemplate {
  std::string_view code;    // "POLDA-NTT"
  std::string_view name;    // "Kepolisian Daerah Nusa Tenggara Timur"
  std::string_view type;    // one of the SPEC's agency types
  std::string_view region;  // Kemendagri code: "53", "53.01"
  std::string_view prefix;  // record id prefix: "PNTT"
  std::string_view tag;     // used in case references: "POLDA NTT"
  bool national = false;    // sees cases from everywhere (Bareskrim, Kemlu)
};
// In the order agencies are taken: the first N of these are the N agencies.
std::span<const AgencyTemplate> AgencyTemplates();

// The agency's case number `n` opened in `month`/`year`, as the agency writes it:
// "LP/B/123/VI/2023/SPKT/POLDA NTT", "PDM-45/N.3.10/Eku.2/08/2023",
// "50/Pid.Sus/2023/PN Kpg", "UPTD-PPA/2023/007", ... `alternate` gives a second
// series that never meets the first: a police report of the other model (LP/A for
// LP/B), a prosecutor's register "Eoh.2" for "Eku.2", a court's "Pid.Sus-TPPO" for
// "Pid.Sus" (other types ignore it).
std::string FormatCaseRef(const AgencyTemplate& t, int64_t n, int month, int year,
                          bool alternate);

// Mobile number prefixes after the leading 0 ("812"), and how common each is.
std::span<const std::string_view> PhonePrefixes();
std::span<const double> PhonePrefixWeights();

enum class Exploitation {
  kSexual,
  kForcedLabour,
  kDomestic,
  kCriminality,  // forced criminality in online-scam compounds
  kMarriage,
  kShipCrew,  // ABK: forced labour on fishing vessels
  kAdoption,  // illegal adoption / baby selling
  kDebtBondage,
  kOrgan,
};
inline constexpr int kExploitationCount = 9;

enum class Recruitment {
  kSocialMedia,
  kOnlineJob,
  kFamily,
  kFriend,
  kCalo,  // sponsor / broker
  kP3mi,  // recruitment company
  kPartner,
  kOther,
};
inline constexpr int kRecruitmentCount = 8;

// Ways clerks write a term: [0] is the usual Indonesian form, then variants.
std::span<const std::string_view> ExploitationTerms(Exploitation e, bool english);
std::span<const std::string_view> RecruitmentTerms(Recruitment r, bool english);

struct Destination {
  std::string_view iso;      // "MY"; "" for a domestic destination
  std::string_view name_id;  // "Malaysia"
  std::string_view name_en;  // "Malaysia"
  std::string_view region;   // domestic: the regency code ("21.71")
  double weight;
};
std::span<const Destination> Destinations();

struct ProvinceWeight {
  std::string_view code;
  std::string_view abbreviation;  // "NTT"; "" when clerks do not abbreviate it
  double weight;
};
std::span<const ProvinceWeight> OriginProvinces();
// Regencies that send many victims (Indramayu, TTS, Lombok Timur, ...).
bool IsSendingHotspot(std::string_view regency_code);

}  // namespace gugus::synth::internal
