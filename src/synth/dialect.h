// Private to src/synth: how one agency writes its file — header language and style,
// delimiter, encoding, line ends, quoting, date/sex/region/phone habits, which
// columns it keeps. Chosen from the agency code alone, so an agency keeps its habits
// whatever the seed. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/interchange.h"
#include "synth/catalog.h"
#include "synth/clerk.h"

namespace gugus::synth::internal {

enum Col {
  kRecordId,
  kReportDate,
  kName,
  kCaseRef,
  kNik,
  kSex,
  kBirthDate,
  kAge,
  kBirthPlace,
  kOrigin,
  kAddress,
  kPhone,
  kNationality,
  kExploitation,
  kRecruitment,
  kDestination,
  kIncidentDate,
  kSuspects,
  kNotes,
  kColCount
};

// The columns are the interchange format's fields, in its order; their English keys
// and Indonesian aliases come from ingest::Fields().
static_assert(kColCount == ingest::kFieldCount);

// `key` ("tanggal_laporan") in header style 0..4: tanggal_laporan, Tanggal Laporan,
// TANGGAL_LAPORAN, Tanggal_Laporan, tanggal-laporan.
std::string HeaderText(std::string_view key, int style);

enum class Encoding { kUtf8, kUtf8Bom, kWindows1252 };

struct Dialect {
  int header_lang = 0;  // 0 English keys, 1 Indonesian aliases, 2 mixed
  int header_style = 0;
  char delimiter = ',';
  Encoding encoding = Encoding::kUtf8;
  bool crlf = false;
  bool quote_all = false;
  DateFormat date_format = DateFormat::kIso;
  int sex_style = 0;
  int region_style = 0;
  int dest_style = 0;  // 0 Indonesian name, 1 English name, 2 ISO code
  bool english_terms = false;
  std::string_view term_sep = "; ";
  int phone_format = 0;
  int nationality_style = 0;
  int id_style = 0;
  double upper_names = 0;  // probability a name is written in capitals
  double noise = 1;
  double nik_rate = 0.6;
  double birth_rate = 0.7;
  double age_with_birth = 0.3;
  double suspects_rate = 0.5;
  std::vector<int> columns;
  std::array<bool, kColCount> has{};
};

inline bool Is(const AgencyTemplate& t, std::string_view type) { return t.type == type; }

Dialect ChooseDialect(const AgencyTemplate& t);

// Appends one row to `out` as the agency writes it: `fields[columns[k]]` for each k,
// quoted as needed, its delimiter and line end, in its encoding. `line` is scratch.
void AppendRow(const Dialect& d, std::span<const int> columns,
               std::span<const std::string> fields, std::string& line, std::string& out);
// The first five agencies (what small tests and the demo see) get fixed, clearly
// different habits.
void OverrideDialect(size_t index, Dialect& d);

}  // namespace gugus::synth::internal
