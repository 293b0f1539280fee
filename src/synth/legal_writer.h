// Private to src/synth: the agencies' legal-progress files (SPEC section 8) for the
// cases the generator invents, and the truth to evaluate case linkage, suspect
// linkage and the justice counts against.
//
// The generator hands over each case that a police agency could have taken up (one
// of its agencies is police, or a police agency sits in its origin province) with
// what the victim files already say of it: the law agencies that wrote victim rows,
// their case numbers and valid victim record ids, the suspects with their stable
// keys. A share of those cases (GeneratorOptions::legal_share) gets a legal track:
// the police report, inquiry, investigation, suspects named, files returned (p19)
// and completed (p21) or the case stopped (sp3); the prosecutor's handover,
// indictment, transfer to court and sentencing demand (or skpp); the court's
// verdicts, appeals, finality; execution and restitution paid. Many tracks stall on
// the way; events after 2025-12-31 are not written.
//
// Every draw comes from the writer's own Rng (seeded from the seed, not the
// generator's stream), so the victim files do not depend on whether legal files are
// written. Rows are written as they are made: memory holds one case, the agencies'
// buffers, the identities of suspects still in a recruiter pool (Retain) and the
// justice tallies. Not thread-safe.
//
// Output in `<out_dir>/legal/`: see generator.h.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/region_index.h"
#include "core/values.h"
#include "synth/catalog.h"
#include "synth/dialect.h"

namespace gugus::synth {
struct GeneratorOptions;
struct GeneratorSummary;
}  // namespace gugus::synth

namespace gugus::synth::internal {

// Who a suspect is, as the generator's recruiter pools know them.
struct SuspectRef {
  int64_t key = 0;  // the same person in every case where the pool hands them out
  Sex sex = Sex::kMale;
  int home = -1;         // the generator's regency index where first seen
  bool foreign = false;  // a foreign boss ("Mr. Lim"): no NIK
};

// A top-level agency that keeps a legal file: police, prosecutor or court.
struct LegalAgencySeed {
  const AgencyTemplate* t = nullptr;
  std::string region;  // as in the top-level agencies.csv
  Dialect dialect;     // the agency's habits in its victim file
};

struct LegalSuspect {
  SuspectRef ref;
  std::string_view name;                     // as registered, "Yohanes Tefa alias Om Yos"
  std::string_view province;                 // home province code, "53"
  std::span<const Region* const> districts;  // of the home regency, not empty
};

// A law agency (index into the seeds) that wrote victim rows of the case.
struct LegalTouch {
  int agency = -1;
  int first_days = 0;                       // its first report of the case
  std::string_view case_ref;                // as its victim rows carry it, or ""
  std::span<const std::string> victim_ids;  // its valid victim record ids of the case
};

struct LegalCase {
  int64_t key = 0;  // written "C" + six digits
  int report_days = 0;
  std::string_view origin_regency;  // "53.02"
  std::string_view destination;     // "Malaysia", "Batam": for notes
  bool overseas = false;
  bool child = false;      // a victim under 18
  bool sexual = false;     // sexual exploitation
  bool placement = false;  // recruited through a sponsor or P3MI
  std::vector<LegalSuspect> suspects;
  std::vector<LegalTouch> touched;  // law agencies with victim rows of the case
  std::vector<int> police_nearby;   // police seeds in the origin province
};

class LegalWriter {
 public:
  // `seeds` are the top-level police, prosecutor and court agencies, in their order.
  LegalWriter(const GeneratorOptions& options, const RegionIndex& index,
              std::vector<LegalAgencySeed> seeds);
  ~LegalWriter();
  LegalWriter(const LegalWriter&) = delete;
  LegalWriter& operator=(const LegalWriter&) = delete;

  // Creates `<out_dir>/legal/` and the truth files.
  absl::Status Open();
  // Maybe gives the case a legal track and writes its rows.
  absl::Status AddCase(const LegalCase& c);
  // Forgets the identities of suspects not in `live` (keys still in some pool).
  void Retain(std::span<const int64_t> live);
  // Writes agencies.csv and justice.csv, closes every file, adds the counts.
  absl::Status Close(GeneratorSummary& summary);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gugus::synth::internal
