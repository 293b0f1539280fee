// Synthetic Indonesian trafficking-victim records for tests, benchmarks and the demo.
//
// Generate() invents `persons` people (names by region and religion, mononyms,
// bin/binti patronymics, titles H./Hj.; NIKs consistent with region, birth date and
// sex; phones; origins weighted toward the main sending regions; destinations;
// exploitation and recruitment mixes) and writes each person into one to four of
// `agencies` agencies' files, with the variation real clerks produce (spelling
// variants, dropped/abbreviated/swapped name parts, typos, missing or mistyped NIK
// digits, other date formats, an age instead of a birth date, region names instead
// of codes) plus a small share of invalid rows. Each agency's file is in its own
// dialect: headers in Indonesian or English, delimiter, encoding, date format.
//
// Output in `out_dir` (created when missing):
//   agencies.csv   code,name,type,region,file   (one line per agency)
//   <file>         one interchange-format file per agency (e.g. POLDA-NTT.csv)
//   truth.csv      agency,record_id,person_key  (invalid rows included; the lines of
//                  one agency are in the order of its file's rows)
//   persons.csv    person_key,name,sex,birth_date,nik,origin_region: each person as
//                  registered (canonical name, ISO birth date, L/P, NIK, regency
//                  code), before any clerk's variation; for evaluating linkage
// Invalid rows fail exactly one rule of SPEC section 5 (name missing; report date
// unparseable, impossible or in the future; birth date after the report date; age
// not in 0–120; record id repeated in the file — the repeat being a second entry of
// the same person). Valid rows pass every rule (warnings allowed) when imported any
// day after 2025-12-31, the last report date written.
// Deterministic: the same options give byte-identical files (any platform: the
// random source and the draws are the generator's own).
// Errors: InvalidArgument for bad options or a region index without districts;
// Internal/PermissionDenied for I/O.
// Not thread-safe across calls writing the same out_dir; otherwise reentrant.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "core/region_index.h"

namespace gugus::synth {

struct GeneratorOptions {
  int agencies = 5;        // 1..50
  int64_t persons = 1000;  // 1..10,000,000
  uint64_t seed = 1;
  std::string out_dir;
  double invalid_share = 0.01;  // share of rows made invalid on purpose
};

struct GeneratorSummary {
  int agencies = 0;
  int64_t persons = 0;
  int64_t records = 0;          // rows written across all files
  int64_t invalid_records = 0;  // rows made invalid on purpose
};

// `regions` must hold provinces, regencies and districts (villages unused).
// `progress(done_persons, total_persons)` is called now and then when set.
absl::StatusOr<GeneratorSummary> Generate(
    const GeneratorOptions& options, const RegionIndex& regions,
    const std::function<void(int64_t, int64_t)>& progress = {});

}  // namespace gugus::synth
