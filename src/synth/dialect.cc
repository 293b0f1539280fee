#include "synth/dialect.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <string>

#include "synth/output.h"
#include "synth/rng.h"

namespace gugus::synth::internal {
namespace {
using SV = std::string_view;
}  // namespace

std::string HeaderText(SV key, int style) {
  std::string out;
  switch (style) {
    case 0:  // tanggal_laporan
      return std::string(key);
    case 1:    // Tanggal Laporan, NIK, ID Rekaman
    case 3: {  // Tanggal_Laporan
      char sep = style == 1 ? ' ' : '_';
      size_t start = 0;
      while (start <= key.size()) {
        size_t end = key.find('_', start);
        if (end == SV::npos) end = key.size();
        std::string word(key.substr(start, end - start));
        if (word == "nik" || word == "id") {
          internal::UpperUtf8(word);
        } else if (!word.empty()) {
          word[0] = static_cast<char>(word[0] - 'a' + 'A');
        }
        if (!out.empty()) out += sep;
        out += word;
        start = end + 1;
      }
      return out;
    }
    case 2:  // TANGGAL_LAPORAN
      out = std::string(key);
      internal::UpperUtf8(out);
      return out;
    default:  // tanggal-laporan
      out = std::string(key);
      std::replace(out.begin(), out.end(), '_', '-');
      return out;
  }
}

Dialect ChooseDialect(const AgencyTemplate& t) {
  // Per agency, independent of the seed: an agency keeps its habits.
  Rng r(internal::StableHash(t.code) ^ 0x9e3779b97f4a7c15ull);
  Dialect d;
  double x = r.Unit();
  d.header_lang = x < 0.5 ? 1 : x < 0.88 ? 0 : 2;
  d.header_style = static_cast<int>(r.Below(5));
  static constexpr Weighted<char> kDelims[] = {{',', 5}, {';', 4}, {'\t', 2}};
  d.delimiter = r.PickWeighted(kDelims);
  static constexpr Weighted<Encoding> kEncodings[] = {
      {Encoding::kUtf8, 5}, {Encoding::kUtf8Bom, 3}, {Encoding::kWindows1252, 3}};
  d.encoding = r.PickWeighted(kEncodings);
  d.crlf = d.encoding != Encoding::kUtf8 ? r.Chance(0.7) : r.Chance(0.2);
  d.quote_all = r.Chance(0.2);
  static constexpr Weighted<DateFormat> kFormats[] = {
      {DateFormat::kIso, 3},       {DateFormat::kSlash, 4},      {DateFormat::kDash, 2},
      {DateFormat::kDot, 1},       {DateFormat::kSlashLoose, 1}, {DateFormat::kLongId, 2},
      {DateFormat::kShortId, 1.5}, {DateFormat::kLongEn, 0.5}};
  d.date_format = r.PickWeighted(kFormats);
  d.sex_style = static_cast<int>(r.Below(6));
  d.region_style = static_cast<int>(r.Below(7));
  d.dest_style = r.Chance(0.55) ? 0 : r.Chance(0.6) ? 1 : 2;
  d.english_terms = d.header_lang == 0 ? r.Chance(0.6) : r.Chance(0.15);
  d.term_sep = r.Chance(0.6) ? SV("; ") : SV(";");
  d.phone_format = static_cast<int>(r.Below(internal::kPhoneFormatCount));
  d.nationality_style = static_cast<int>(r.Below(5));
  d.id_style = static_cast<int>(r.Below(5));
  d.upper_names = Is(t, "police") || Is(t, "prosecutor") || Is(t, "court")
                      ? (r.Chance(0.6) ? 0.9 : 0.05)
                      : (r.Chance(0.25) ? 0.85 : 0.03);
  d.noise = 0.6 + r.Unit() * 0.9;
  d.nik_rate = Is(t, "police") || Is(t, "prosecutor") || Is(t, "court") ? 0.75
               : Is(t, "migrant_worker_agency")                         ? 0.7
               : Is(t, "ngo") || Is(t, "health")                        ? 0.35
               : Is(t, "immigration")                                   ? 0.4
                                                                        : 0.6;
  d.birth_rate = 0.55 + r.Unit() * 0.35;
  d.age_with_birth = 0.15 + r.Unit() * 0.45;
  d.suspects_rate = Is(t, "police") || Is(t, "prosecutor") || Is(t, "court") ? 0.9
                    : Is(t, "health")                                        ? 0.1
                                                                             : 0.45;

  // Columns: the three required ones always, the others by the agency's trade.
  const bool law = Is(t, "police") || Is(t, "prosecutor") || Is(t, "court");
  std::array<double, kColCount> keep{};
  keep.fill(0.8);
  keep[kRecordId] = keep[kReportDate] = keep[kName] = 1;
  keep[kCaseRef] = law ? 1 : Is(t, "ngo") ? 0.5 : Is(t, "health") ? 0.3 : 0.7;
  keep[kNik] = 0.9;
  keep[kSex] = 0.95;
  keep[kBirthDate] = 0.85;
  keep[kAge] = 0.7;
  keep[kBirthPlace] = 0.5;
  keep[kOrigin] = 0.92;
  keep[kAddress] = 0.6;
  keep[kPhone] = 0.65;
  keep[kNationality] = Is(t, "immigration") ? 1 : 0.5;
  keep[kExploitation] = 0.88;
  keep[kRecruitment] = Is(t, "health") ? 0.3 : 0.72;
  keep[kDestination] = 0.9;
  keep[kIncidentDate] = 0.6;
  keep[kSuspects] = law ? 1 : Is(t, "health") ? 0.2 : 0.5;
  keep[kNotes] = 0.7;
  for (int c = 0; c < kColCount; ++c) {
    if (r.Chance(keep[c])) d.columns.push_back(c);
  }
  if (r.Chance(0.35)) {
    for (int k = 0; k < 3; ++k) {
      size_t a = r.Below(d.columns.size());
      size_t b = r.Below(d.columns.size());
      std::swap(d.columns[a], d.columns[b]);
    }
  }
  for (int c : d.columns) d.has[static_cast<size_t>(c)] = true;
  return d;
}

void AppendRow(const Dialect& d, std::span<const int> columns,
               std::span<const std::string> fields, std::string& line, std::string& out) {
  line.clear();
  for (size_t k = 0; k < columns.size(); ++k) {
    if (k > 0) line += d.delimiter;
    AppendField(line, fields[static_cast<size_t>(columns[k])], d.delimiter, d.quote_all);
  }
  line += d.crlf ? "\r\n" : "\n";
  if (d.encoding == Encoding::kWindows1252) {
    AppendWindows1252(line, out);
  } else {
    out += line;
  }
}

void OverrideDialect(size_t index, Dialect& d) {
  struct Fixed {
    int lang;
    int style;
    char delim;
    Encoding enc;
    bool crlf;
    DateFormat fmt;
  };
  static constexpr Fixed kFixed[] = {
      {1, 1, ';', Encoding::kWindows1252, true, DateFormat::kSlash},  // POLDA-NTT
      {0, 0, ',', Encoding::kUtf8Bom, false, DateFormat::kLongId},    // UPTD-PPA-JABAR
      {1, 0, '\t', Encoding::kUtf8, false, DateFormat::kDash},        // DINSOS-NTB
      {0, 1, ',', Encoding::kUtf8, true, DateFormat::kIso},           // BP3MI-JATIM
      {1, 2, ';', Encoding::kUtf8, false, DateFormat::kShortId},      // LSM-...-KALBAR
  };
  if (index >= std::size(kFixed)) return;
  const Fixed& f = kFixed[index];
  d.header_lang = f.lang;
  d.header_style = f.style;
  d.delimiter = f.delim;
  d.encoding = f.enc;
  d.crlf = f.crlf;
  d.date_format = f.fmt;
}

}  // namespace gugus::synth::internal
