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
// With `legal` (opt-in; without it every file above is byte-identical, the legal
// data being drawn from a stream of its own), also the agencies' legal-progress
// files (SPEC section 8) for a share (`legal_share`) of the cases that a police
// agency could take up (one of the case's agencies is police, or a police agency
// sits in the case's origin province), in `out_dir/legal/`:
//   agencies.csv   code,name,type,region,file: every agency with a legal file —
//                  the top-level police, prosecutor and court agencies as they are
//                  there, and the kejaksaan negeri / pengadilan negeri that serve
//                  the police's area (KEJARI-KUPANG, PN-SOE, ...); region a code
//   <file>         one legal-progress file per agency (CSV in the agency's dialect),
//                  rows of one agency case together in date order. The police use
//                  the case_ref their victim rows of the case carry (a number of
//                  their other series when those carry none) and list some of those
//                  victims' record ids; prosecutors cite the police number in
//                  other_refs (~70%), courts the prosecutor's (~50%) or the
//                  police's (~20%), now and then written slightly differently
//   truth.csv      agency,record_id,case_key,suspect_key (every row, invalid ones
//                  too, in file order per agency; suspect_key empty when the row
//                  names no suspect). case_key "C" + the number of the case's first
//                  person; suspect_key "S" + six digits, the same person in every
//                  case where the recruiter pools bring them back
//   cases.csv      agency,case_ref,case_key: every agency case that has a valid row
//   justice.csv    year,cases,suspects_named,prosecuted,convicted,acquitted,
//                  restitution_ordered,restitution_paid — SPEC section 8's counts
//                  from the truth, over valid rows only, each year from the first to
//                  the last with any count:
//                    cases: true cases, in the year of their earliest event;
//                    suspects_named / prosecuted / convicted / acquitted: distinct
//                  suspect keys per year, each (suspect, case) counted in the year
//                  of its first row at a stage of the set — named: tersangka, spdp,
//                  p19, p21, tahap2, dakwaan, pelimpahan, tuntutan, putusan_pn,
//                  banding, putusan_pt, kasasi, putusan_ma, inkracht, eksekusi (not
//                  sp3, skpp, restitusi_dibayar); prosecuted: the same from tahap2
//                  on; convicted: putusan_pn guilty; acquitted: putusan_pn
//                  acquitted. A person in two cases may so count in two years, but
//                  once a year;
//                    restitution_ordered: per (suspect, case) the amount of the
//                  latest putusan_* row that carries one, in that row's year;
//                    restitution_paid: the sum of restitusi_dibayar rows, each in
//                  its year.
// Legal rows that are invalid on purpose (share `invalid_share`) fail exactly one
// rule of SPEC section 8 (case_ref or stage empty; unknown stage; event date
// unparseable, impossible or in the future; record id repeated — the repeat a
// second entry of the same event). Valid legal rows are dated 2019-01-01 to
// 2025-12-31 and write stages as codes, clerks' spellings of them ("P-21", "Tahap
// 2", "Putusan PN") or the SPEC's English names; roles, verdicts and amounts as
// SPEC section 8 lists them.
// Invalid victim rows fail exactly one rule of SPEC section 5 (name missing; report date
// unparseable, impossible or in the future; birth date after the report date; age
// not in 0–120; record id repeated in the file — the repeat being a second entry of
// the same person). Valid rows pass every rule (warnings allowed) when imported any
// day after 2025-12-31, the last report date written.
// Deterministic: the same options give byte-identical files (any platform: the
// random source and the draws are the generator's own). Memory does not grow with
// the rows: files are written as they are made (the legal writer keeps one case,
// the suspects still in a recruiter pool and the justice tallies).
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
  double invalid_share = 0.01;  // share of rows made invalid on purpose (legal rows too)
  bool legal = false;           // also write the legal-progress files (legal/)
  double legal_share = 0.2;     // share of the cases a police agency could take up
                                // that get a legal track
};

struct GeneratorSummary {
  int agencies = 0;
  int64_t persons = 0;
  int64_t records = 0;          // rows written across all files
  int64_t invalid_records = 0;  // rows made invalid on purpose
  // With `legal`:
  int legal_agencies = 0;             // agencies with a legal file
  int64_t legal_records = 0;          // legal rows written
  int64_t legal_invalid_records = 0;  // of those, invalid on purpose
  int64_t legal_cases = 0;            // true cases with a legal track
  int64_t legal_agency_cases = 0;     // lines of legal/cases.csv
  int64_t legal_suspects = 0;         // distinct suspects named in legal rows
};

// `regions` must hold provinces, regencies and districts (villages unused).
// `progress(done_persons, total_persons)` is called now and then when set.
absl::StatusOr<GeneratorSummary> Generate(
    const GeneratorOptions& options, const RegionIndex& regions,
    const std::function<void(int64_t, int64_t)>& progress = {});

}  // namespace gugus::synth
