// Private to src/synth: invented Indonesian names by region and religion.
//
// Names are drawn from tables of common given names and family names; no table
// holds a real person's full name. Thread-safe (static tables); the Rng is the
// caller's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/values.h"
#include "synth/rng.h"

namespace gugus::synth::internal {

enum class Ethnicity {
  kJavanese,
  kSundanese,
  kSasak,         // Lombok: Baiq/Lalu, bin/binti
  kNttChristian,  // given names + Timorese/Rote/Sabu family names
  kBatakChristian,
  kBatakMuslim,  // Mandailing/Angkola family names
  kLampung,
  kMalay,  // West Kalimantan: Utin/Uray/Syarifah
  kDayak,
  kChinese,  // "Lie Mei Ling" or "Susanti Wijaya"
  kBalinese,
  kEasternChristian,  // Maluku, North Sulawesi, Papua
  kMuslim,            // Muhammad/Nur/Siti/Abdul/Ahmad; Andi in South Sulawesi
};

bool IsMuslim(Ethnicity e);

// The ethnicity of someone from `regency_code` ("53.02"), drawn by the region's mix.
Ethnicity PickEthnicity(Rng& rng, std::string_view regency_code);

struct PersonName {
  std::string title;               // "H." / "Hj." / ""
  std::vector<std::string> given;  // one to three parts, at least one
  std::string family;              // "" when none
  std::string patronym;            // "bin" / "binti" / ""
  std::string father;              // after bin/binti
};

// A new name; `age` decides titles (H./Hj.) and old spellings (Soe-, Dj-, Tj-).
PersonName MakeName(Rng& rng, Ethnicity ethnicity, Sex sex, int age);
// A brother's or sister's name: same family name and father, new given names.
PersonName MakeSiblingName(Rng& rng, const PersonName& sibling, Ethnicity ethnicity,
                           Sex sex, int age);
// A suspect: an adult name, sometimes with "alias ...". When given, `sex` receives
// the sex the name was made for and `foreign` whether it is a foreign boss's name
// ("Mr. Lim"); neither changes the draws.
std::string MakeSuspectName(Rng& rng, Ethnicity ethnicity, Sex* sex = nullptr,
                            bool* foreign = nullptr);

// All parts joined: "Hj. Siti Aminah binti Abdullah".
std::string FullName(const PersonName& name);

// An invented village name that sounds like the province ("53" → "Oelnasi").
std::string_view PickVillage(Rng& rng, std::string_view province_code);

}  // namespace gugus::synth::internal
