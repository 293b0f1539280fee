#include "synth/generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "core/date.h"
#include "core/nik.h"
#include "core/status.h"
#include "core/strcat.h"
#include "core/values.h"
#include "synth/catalog.h"
#include "synth/clerk.h"
#include "synth/dates.h"
#include "synth/dialect.h"
#include "synth/legal_writer.h"
#include "synth/names.h"
#include "synth/output.h"
#include "synth/rng.h"

namespace gugus::synth {
namespace internal {
namespace {

using SV = std::string_view;

constexpr int kFirstReportYear = 2019;
constexpr int kLastReportDays = ToDays(2025, 12, 31);

// ---------------------------------------------------------------- geography

struct RegencyInfo {
  const Region* region = nullptr;
  std::string bare;        // "Kupang", "Jakarta Utara"
  bool city = false;       // PP.71–99
  bool ambiguous = false;  // a regency and a city share the bare name
  int province = -1;       // index into Geo::provinces
  std::vector<const Region*> districts;
};

struct ProvinceInfo {
  const Region* region = nullptr;
  std::string name;             // "Nusa Tenggara Timur"
  std::string abbreviation;     // "NTT" or ""
  std::vector<int> regencies;   // with districts
  std::vector<double> weights;  // of `regencies`, for origins
};

struct Geo {
  std::vector<RegencyInfo> regencies;
  std::vector<ProvinceInfo> provinces;
  std::unordered_map<std::string, int> regency_by_code;
  std::unordered_map<std::string, int> province_by_code;
  std::vector<int> origin_provinces;  // indexes into provinces
  std::vector<double> origin_weights;

  int Regency(SV code) const {
    auto it = regency_by_code.find(std::string(code));
    return it == regency_by_code.end() ? -1 : it->second;
  }
};

std::string BareRegencyName(SV name) {
  std::string title = internal::TitleCase(name);
  for (SV prefix : {SV("Kabupaten Administrasi "), SV("Kota Administrasi "),
                    SV("Kabupaten "), SV("Kota "), SV("Kab. "), SV("Kab ")}) {
    if (title.size() > prefix.size() && SV(title).substr(0, prefix.size()) == prefix) {
      return title.substr(prefix.size());
    }
  }
  return title;
}

bool IsCityCode(SV code) {
  // "PP.RR": cities are RR >= 71.
  return code.size() == 5 && code[3] >= '7' && !(code[3] == '7' && code[4] == '0');
}

absl::StatusOr<Geo> BuildGeo(const RegionIndex& index) {
  Geo geo;
  for (const Region& r : index.regions()) {
    if (r.level == RegionLevel::kProvince) {
      ProvinceInfo p;
      p.region = &r;
      p.name = internal::TitleCase(r.name);
      geo.province_by_code.emplace(r.code, static_cast<int>(geo.provinces.size()));
      geo.provinces.push_back(std::move(p));
    }
  }
  for (const Region& r : index.regions()) {
    if (r.level != RegionLevel::kRegency) continue;
    RegencyInfo g;
    g.region = &r;
    g.bare = BareRegencyName(r.name);
    g.city = IsCityCode(r.code);
    auto p = geo.province_by_code.find(r.parent_code);
    if (p == geo.province_by_code.end()) continue;
    g.province = p->second;
    geo.regency_by_code.emplace(r.code, static_cast<int>(geo.regencies.size()));
    geo.regencies.push_back(std::move(g));
  }
  for (const Region& r : index.regions()) {
    if (r.level != RegionLevel::kDistrict) continue;
    auto it = geo.regency_by_code.find(r.parent_code);
    if (it != geo.regency_by_code.end())
      geo.regencies[it->second].districts.push_back(&r);
  }
  std::unordered_map<std::string, int> bare_count;
  for (const RegencyInfo& g : geo.regencies) ++bare_count[g.bare];
  for (size_t i = 0; i < geo.regencies.size(); ++i) {
    RegencyInfo& g = geo.regencies[i];
    g.ambiguous = bare_count[g.bare] > 1;
    if (g.districts.empty()) continue;
    ProvinceInfo& p = geo.provinces[static_cast<size_t>(g.province)];
    p.regencies.push_back(static_cast<int>(i));
    double w = g.city ? 0.4 : 1.0;
    if (internal::IsSendingHotspot(g.region->code)) w *= 4;
    p.weights.push_back(w);
  }
  for (const auto& pw : internal::OriginProvinces()) {
    auto it = geo.province_by_code.find(std::string(pw.code));
    if (it == geo.province_by_code.end()) continue;
    ProvinceInfo& p = geo.provinces[static_cast<size_t>(it->second)];
    if (p.regencies.empty()) continue;
    p.abbreviation = std::string(pw.abbreviation);
    geo.origin_provinces.push_back(it->second);
    geo.origin_weights.push_back(pw.weight);
  }
  if (geo.origin_provinces.empty()) {
    return absl::InvalidArgumentError(
        "the region index holds no provinces with regencies and districts; load "
        "idn-area-data (provinces, regencies, districts)");
  }
  return geo;
}

enum class AgencyKind { kLaw, kPppa, kMigrant, kImmigration, kForeign, kHealth, kOther };

int ProvinceNumber(SV code) {
  if (code.size() < 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' ||
      code[1] > '9') {
    return -1;
  }
  return (code[0] - '0') * 10 + (code[1] - '0');
}

struct Agency {
  const AgencyTemplate* t = nullptr;
  std::string region;        // a code present in the index
  int province_number = -1;  // 53 for "53.01"; -1 for the national root
  AgencyKind kind = AgencyKind::kOther;
  double overseas_factor = 1;  // how likely it sees a case, by destination
  double domestic_factor = 1;
  int regency = -1;  // index when the agency sits in a regency
  Dialect d;
  std::string file;
  int64_t rows = 0;
  int64_t cases = 0;
  int id_base = 0;
  Output out;
};

// ---------------------------------------------------------------- cases and people

struct CaseInfo {
  int64_t number = 0;
  int origin = -1;  // regency index
  const Destination* dest = nullptr;
  int dest_regency = -1;  // for domestic destinations
  int report_days = 0;    // first report
  int incident_days = 0;
  std::array<Exploitation, 2> exp{};
  int exp_count = 1;
  std::array<Recruitment, 2> rec{};
  int rec_count = 1;
  std::vector<std::string> suspects;
  std::vector<SuspectRef> suspect_refs;  // who each of `suspects` is
  std::string job;
  int salary_million = 0;
  std::string shared_phone;
  std::vector<int> lead_agencies;
};

struct Person {
  int64_t key = 0;
  Ethnicity ethnicity = Ethnicity::kMuslim;
  PersonName name;
  Sex sex = Sex::kFemale;
  int birth_days = 0;
  gugus::Date birth;  // of birth_days
  int incident_days = 0;
  int origin = -1;  // regency index
  const Region* district = nullptr;
  std::string nik;
  bool fake_docs = false;  // a minor travelling on an adult's papers
  int doc_birth_days = 0;
  std::string doc_nik;
  std::string phone;  // national digits after the 0, or ""
  std::string address;
  std::string birth_place;
};

enum class Invalid {
  kNone,
  kMissingName,
  kUnparseableDate,
  kImpossibleDate,
  kFutureDate,
  kBirthAfterReport,
  kBadAge,
  kDuplicateId,
};

constexpr Weighted<Invalid> kInvalidKinds[] = {
    {Invalid::kMissingName, 20},      {Invalid::kUnparseableDate, 15},
    {Invalid::kImpossibleDate, 15},   {Invalid::kFutureDate, 12},
    {Invalid::kBirthAfterReport, 13}, {Invalid::kBadAge, 12},
    {Invalid::kDuplicateId, 13}};

constexpr SV kJobs[] = {"pelayan restoran",       "asisten rumah tangga",
                        "buruh perkebunan sawit", "operator pabrik",
                        "pekerja kafe",           "admin online",
                        "pemandu karaoke",        "ABK kapal ikan",
                        "perawat lansia",         "SPG",
                        "buruh bangunan",         "customer service"};

class Generator {
 public:
  Generator(const GeneratorOptions& options, const RegionIndex& index, Geo geo,
            const std::function<void(int64_t, int64_t)>& progress)
      : options_(options),
        index_(index),
        geo_(std::move(geo)),
        progress_(progress),
        rng_(options.seed) {}

  absl::StatusOr<GeneratorSummary> Run();

 private:
  absl::Status SetUpAgencies();
  absl::Status WriteAgenciesCsv();
  void MakeCase(CaseInfo& c, int victims);
  void MakePerson(const CaseInfo& c, const Person* sibling, Person& p);
  void AgencyWeights(int origin, const CaseInfo& c, bool adult, std::vector<double>& w);
  void ChooseAgencies(const CaseInfo& c, const Person& p, std::vector<int>& chosen);
  absl::Status Appear(const CaseInfo& c, const Person& p, int agency, int report_days);
  absl::Status EmitRow(const CaseInfo& c, const Person& p, Agency& a, int report_days,
                       Invalid invalid, const std::string* reuse_id);
  void RecordId(Agency& a, int year, std::string& out);
  const std::string& CaseRef(int agency, int year);
  void RegionText(const RegencyInfo& g, int style, std::string& out);
  void DestinationText(const CaseInfo& c, const Dialect& d, std::string& out);
  void NotesText(const CaseInfo& c, const Person& p, const Agency& a, std::string& out);
  void AppendDays(int days, DateFormat format, std::string& out) {
    gugus::Date dt = FromDays(days);
    internal::AppendDate(rng_, dt.year, dt.month, dt.day, format, out);
  }
  DateFormat RowDateFormat(const Dialect& d) {
    if (rng_.Chance(0.03)) {
      return static_cast<DateFormat>(rng_.Below(internal::kDateFormatCount));
    }
    return d.date_format;
  }

  const GeneratorOptions& options_;
  const RegionIndex& index_;
  Geo geo_;
  const std::function<void(int64_t, int64_t)>& progress_;
  Rng rng_;
  std::vector<Agency> agencies_;
  Output truth_;
  Output persons_;
  GeneratorSummary summary_;

  // Per case, per agency: the report date and case reference, set on first use.
  std::vector<int> case_days_;
  std::vector<std::string> case_refs_;
  std::vector<int> touched_;
  struct PoolEntry {
    std::string name;
    SuspectRef ref;
  };
  std::vector<std::vector<PoolEntry>> recruiters_;  // by province index
  int64_t suspect_keys_ = 0;

  // Legal-progress files (options_.legal).
  absl::Status SetUpLegal();
  absl::Status AddLegalCase(const CaseInfo& c, const std::vector<Person>& victims);
  std::unique_ptr<LegalWriter> legal_;
  std::vector<int> legal_seed_;                 // by agency: its seed index or -1
  std::vector<std::vector<int>> police_seeds_;  // by province number: police seeds
  std::vector<std::vector<std::string>>
      law_ids_;  // by agency: valid victim ids of the case
  LegalCase legal_case_;
  int64_t cases_since_retain_ = 0;
  std::vector<int> dest_regency_;  // regency index of each domestic destination, or -1
  std::map<std::pair<int, int>, std::vector<double>> dest_weights_;  // (province, year)

  // Scratch buffers reused across rows.
  std::array<std::string, kColCount> f_;
  std::string line_;
  std::string tmp_;
  std::vector<double> weights_;
  std::vector<int> chosen_;
};

absl::Status Generator::SetUpAgencies() {
  auto templates = internal::AgencyTemplates();
  agencies_.resize(static_cast<size_t>(options_.agencies));
  for (size_t i = 0; i < agencies_.size(); ++i) {
    Agency& a = agencies_[i];
    a.t = &templates[i];
    a.region = std::string(a.t->region);
    if (index_.Find(a.region) == nullptr) {
      // An index without that regency: fall back to the province, then the root.
      a.region = a.region.substr(0, 2);
      if (index_.Find(a.region) == nullptr) a.region = "ID";
    }
    a.province_number = ProvinceNumber(a.region);
    const AgencyTemplate& t = *a.t;
    if (Is(t, "police")) {
      a.kind = AgencyKind::kLaw;
    } else if (Is(t, "prosecutor") || Is(t, "court")) {
      a.kind = AgencyKind::kLaw;
      a.overseas_factor = a.domestic_factor = 0.5;  // fewer cases get that far
    } else if (Is(t, "pppa_unit")) {
      a.kind = AgencyKind::kPppa;
    } else if (Is(t, "migrant_worker_agency")) {
      a.kind = AgencyKind::kMigrant;
      a.domestic_factor = 0.15;
    } else if (Is(t, "immigration")) {
      a.kind = AgencyKind::kImmigration;
      a.domestic_factor = 0.1;
    } else if (Is(t, "foreign_affairs")) {
      a.kind = AgencyKind::kForeign;
      a.domestic_factor = 0.02;
    } else if (Is(t, "health")) {
      a.kind = AgencyKind::kHealth;
      a.overseas_factor = a.domestic_factor = 0.6;
    } else if (Is(t, "labour")) {
      a.overseas_factor = 0.8;
      a.domestic_factor = 0.3;
    }
    a.regency = a.region.size() == 5 ? geo_.Regency(a.region) : -1;
    a.d = ChooseDialect(*a.t);
    OverrideDialect(i, a.d);
    a.file = gugus::StrCat(a.t->code, ".csv");
    a.id_base = 1000 * static_cast<int>(10 + internal::StableHash(a.t->code) % 90);
    GUGUS_RETURN_IF_ERROR(
        a.out.Open((std::filesystem::path(options_.out_dir) / a.file).string()));
    // Header line.
    Dialect& d = a.d;
    std::string& buf = a.out.buffer();
    if (d.encoding == Encoding::kUtf8Bom) buf += "\xEF\xBB\xBF";
    Rng hr(internal::StableHash(a.t->code) + 7);
    for (size_t k = 0; k < d.columns.size(); ++k) {
      int c = d.columns[k];
      bool indonesian = d.header_lang == 1 || (d.header_lang == 2 && hr.Chance(0.5));
      if (k > 0) buf += d.delimiter;
      AppendField(
          buf,
          HeaderText(indonesian ? ingest::Fields()[c].alias : ingest::Fields()[c].key,
                     d.header_style),
          d.delimiter, d.quote_all);
    }
    buf += d.crlf ? "\r\n" : "\n";
  }
  case_days_.assign(agencies_.size(), -1);
  case_refs_.assign(agencies_.size(), std::string());
  recruiters_.assign(geo_.provinces.size(), {});
  for (const Destination& dest : internal::Destinations()) {
    dest_regency_.push_back(dest.region.empty() ? -1 : geo_.Regency(dest.region));
  }
  return absl::OkStatus();
}

absl::Status Generator::WriteAgenciesCsv() {
  Output out;
  GUGUS_RETURN_IF_ERROR(
      out.Open((std::filesystem::path(options_.out_dir) / "agencies.csv").string()));
  std::string& b = out.buffer();
  b += "code,name,type,region,file\n";
  for (const Agency& a : agencies_) {
    AppendField(b, a.t->code, ',', false);
    b += ',';
    AppendField(b, a.t->name, ',', false);
    b += ',';
    AppendField(b, a.t->type, ',', false);
    b += ',';
    AppendField(b, a.region, ',', false);
    b += ',';
    AppendField(b, a.file, ',', false);
    b += '\n';
  }
  return out.Close();
}

Exploitation PickExploitation(Rng& rng, const Destination& dest) {
  using E = Exploitation;
  SV iso = dest.iso;
  if (iso == "MY") {
    static constexpr Weighted<E> k[] = {{E::kForcedLabour, 35},
                                        {E::kDomestic, 30},
                                        {E::kSexual, 15},
                                        {E::kDebtBondage, 10},
                                        {E::kShipCrew, 3}};
    return rng.PickWeighted(k);
  }
  if (iso == "SA" || iso == "AE") {
    static constexpr Weighted<E> k[] = {{E::kDomestic, 80},
                                        {E::kForcedLabour, 10},
                                        {E::kSexual, 5},
                                        {E::kDebtBondage, 5}};
    return rng.PickWeighted(k);
  }
  if (iso == "KH" || iso == "MM") {
    static constexpr Weighted<E> k[] = {
        {E::kCriminality, 85}, {E::kSexual, 8}, {E::kForcedLabour, 5}, {E::kOrgan, 1}};
    return rng.PickWeighted(k);
  }
  if (iso == "TW") {
    static constexpr Weighted<E> k[] = {{E::kShipCrew, 35},
                                        {E::kForcedLabour, 25},
                                        {E::kMarriage, 25},
                                        {E::kDomestic, 15}};
    return rng.PickWeighted(k);
  }
  if (iso == "HK" || iso == "SG") {
    static constexpr Weighted<E> k[] = {{E::kDomestic, 75},
                                        {E::kForcedLabour, 10},
                                        {E::kSexual, 10},
                                        {E::kDebtBondage, 5}};
    return rng.PickWeighted(k);
  }
  if (iso == "JP" || iso == "KR") {
    static constexpr Weighted<E> k[] = {
        {E::kForcedLabour, 55}, {E::kShipCrew, 40}, {E::kSexual, 5}};
    return rng.PickWeighted(k);
  }
  if (iso == "CN") {
    static constexpr Weighted<E> k[] = {
        {E::kMarriage, 85}, {E::kForcedLabour, 10}, {E::kSexual, 5}};
    return rng.PickWeighted(k);
  }
  static constexpr Weighted<E> k[] = {{E::kSexual, 55},
                                      {E::kForcedLabour, 20},
                                      {E::kDomestic, 20},
                                      {E::kAdoption, 3},
                                      {E::kDebtBondage, 2}};
  return rng.PickWeighted(k);
}

double DestinationFactor(const Destination& d, SV province, int year) {
  SV iso = d.iso;
  double f = 1;
  if (iso == "KH") {
    static constexpr double k[] = {0.2, 0.4, 1.0, 2.5, 3.0, 2.5, 2.0};
    f *= k[year - kFirstReportYear];
  } else if (iso == "MM") {
    static constexpr double k[] = {0.05, 0.05, 0.05, 1.5, 2.0, 1.5, 1.2};
    f *= k[year - kFirstReportYear];
  }
  auto dom = [&](SV code) { return d.region == code; };
  if (province == "61") {
    if (iso == "MY") f *= 2.5;
    if (iso == "CN") f *= 4;
    if (iso == "TW") f *= 3;
    if (dom("61.71")) f *= 4;
  } else if (province == "53") {
    if (iso == "MY") f *= 2;
    if (iso == "SA" || iso == "HK") f *= 0.3;
    if (dom("53.71")) f *= 5;
    if (dom("21.71") || dom("35.78")) f *= 1.5;
  } else if (province == "52") {
    if (iso == "MY") f *= 1.5;
    if (iso == "SA") f *= 2;
    if (iso == "AE") f *= 1.5;
  } else if (province == "32" || province == "36") {
    if (iso == "SA" || iso == "AE") f *= 2;
    if (iso == "KH") f *= 1.3;
    if (iso == "CN") f *= 2;
    if (dom("31.72") || dom("31.73") || dom("36.71")) f *= 2;
  } else if (province == "33" || province == "35" || province == "34") {
    if (iso == "HK") f *= 3;
    if (iso == "TW") f *= 2.5;
    if (iso == "SG") f *= 1.5;
    if (iso == "KR" || iso == "JP") f *= 2;
    if (dom("35.78")) f *= 2;
  } else if (province == "12") {
    if (iso == "MY" || iso == "KH") f *= 1.5;
    if (dom("12.71")) f *= 4;
    if (dom("21.71")) f *= 2;
  } else if (province == "18") {
    if (dom("31.72") || dom("31.73") || dom("36.71")) f *= 2;
  }
  return f;
}

Recruitment PickRecruitment(Rng& rng, int year, Exploitation e) {
  using R = Recruitment;
  double online = 0.5 + 0.15 * (year - kFirstReportYear);  // rising since 2019
  std::array<double, internal::kRecruitmentCount> w = {15 * online, 8 * online, 12, 18,
                                                       25,          10,         5,  2};
  if (e == Exploitation::kCriminality) {
    w[0] *= 2;
    w[1] *= 3;
    w[5] *= 0.3;
  }
  if (e == Exploitation::kSexual) w[6] *= 3;
  if (e == Exploitation::kMarriage) {
    w[6] *= 4;
    w[2] *= 2;
  }
  if (e == Exploitation::kAdoption) {
    w[2] *= 4;
    w[5] = 0;
  }
  return static_cast<R>(rng.PickIndex(w));
}

void Generator::MakeCase(CaseInfo& c, int victims) {
  c.suspects.clear();
  c.suspect_refs.clear();
  c.lead_agencies.clear();
  c.shared_phone.clear();
  const ProvinceInfo& prov = geo_.provinces[static_cast<size_t>(
      geo_.origin_provinces[rng_.PickIndex(geo_.origin_weights)])];
  c.origin = prov.regencies[rng_.PickIndex(prov.weights)];
  SV province = prov.region->code;

  static constexpr double kYearWeights[] = {1.0, 1.1, 2.6, 2.8, 3.2, 3.0, 2.8};
  int year = kFirstReportYear + static_cast<int>(rng_.PickIndex(kYearWeights));
  int first = ToDays(year, 1, 1);
  int last = std::min(ToDays(year, 12, 31), kLastReportDays);
  c.report_days =
      first + static_cast<int>(rng_.Below(static_cast<uint64_t>(last - first + 1)));
  int delay = 1 + static_cast<int>(rng_.Below(60));
  if (rng_.Chance(0.4)) delay += static_cast<int>(rng_.Below(600));
  c.incident_days = c.report_days - delay;

  auto dests = internal::Destinations();
  // Destination weights depend on the province and the year only: computed once.
  std::vector<double>& dw = dest_weights_[{ProvinceNumber(province), year}];
  if (dw.empty()) {
    dw.resize(dests.size());
    for (size_t i = 0; i < dests.size(); ++i) {
      dw[i] = dests[i].weight * DestinationFactor(dests[i], province, year);
      if (!dests[i].region.empty() && dest_regency_[i] < 0) dw[i] = 0;
      // A domestic destination is elsewhere than home (mostly).
      if (!dests[i].region.empty() && dests[i].region.substr(0, 2) == province) {
        dw[i] *= 0.5;
      }
    }
  }
  size_t dest = rng_.PickIndex(dw);
  c.dest = &dests[dest];
  c.dest_regency = dest_regency_[dest];

  c.exp[0] = PickExploitation(rng_, *c.dest);
  c.exp_count = 1;
  if (rng_.Chance(0.22)) {
    Exploitation second = PickExploitation(rng_, *c.dest);
    if (c.exp[0] == Exploitation::kForcedLabour || c.exp[0] == Exploitation::kDomestic) {
      if (rng_.Chance(0.5)) second = Exploitation::kDebtBondage;
    }
    if (second != c.exp[0] && c.exp[0] != Exploitation::kAdoption &&
        second != Exploitation::kAdoption) {
      c.exp[1] = second;
      c.exp_count = 2;
    }
  }
  c.rec[0] = PickRecruitment(rng_, year, c.exp[0]);
  c.rec_count = 1;
  if (rng_.Chance(0.3)) {
    Recruitment second = PickRecruitment(rng_, year, c.exp[0]);
    if (second != c.rec[0]) {
      c.rec[1] = second;
      c.rec_count = 2;
    }
  }

  // Suspects: a recruiter from the victims' area (now and then one already known
  // from another case: syndicates), sometimes a second one and a boss.
  const RegencyInfo& origin = geo_.regencies[static_cast<size_t>(c.origin)];
  std::vector<PoolEntry>& pool = recruiters_[static_cast<size_t>(origin.province)];
  int count = 1 + (rng_.Chance(0.4) ? 1 : 0) + (rng_.Chance(0.15) ? 1 : 0);
  for (int i = 0; i < count; ++i) {
    if (!pool.empty() && rng_.Chance(0.3)) {
      const PoolEntry& known = pool[rng_.Below(pool.size())];
      if (std::find(c.suspects.begin(), c.suspects.end(), known.name) ==
          c.suspects.end()) {
        c.suspects.push_back(known.name);
        c.suspect_refs.push_back(known.ref);
      }
    } else {
      SuspectRef ref;
      ref.key = ++suspect_keys_;
      ref.home = c.origin;
      std::string s = internal::MakeSuspectName(
          rng_, internal::PickEthnicity(rng_, origin.region->code), &ref.sex,
          &ref.foreign);
      if (pool.size() < 64) {
        pool.push_back({s, ref});
      } else {
        pool[rng_.Below(pool.size())] = {s, ref};
      }
      c.suspects.push_back(std::move(s));
      c.suspect_refs.push_back(ref);
    }
  }

  c.job = std::string(rng_.Pick(kJobs));
  c.salary_million = rng_.Range(3, 15);
  if (victims > 1 && rng_.Chance(0.15)) {
    c.shared_phone = std::string(rng_.Pick(internal::PhonePrefixes()));
    for (int i = 0; i < 8; ++i) c.shared_phone += static_cast<char>('0' + rng_.Below(10));
  }

  // The agencies that handle the case together.
  AgencyWeights(c.origin, c, true, weights_);
  int lead = 1 + (rng_.Chance(0.45) ? 1 : 0) + (rng_.Chance(0.2) ? 1 : 0);
  lead = std::min<int>(lead, static_cast<int>(agencies_.size()));
  for (int i = 0; i < lead; ++i) {
    int a = static_cast<int>(rng_.PickIndex(weights_));
    c.lead_agencies.push_back(a);
    weights_[static_cast<size_t>(a)] = 0;
    double rest = 0;
    for (double w : weights_) rest += w;
    if (rest <= 0) break;
  }
}

void Generator::AgencyWeights(int origin, const CaseInfo& c, bool adult,
                              std::vector<double>& w) {
  const RegencyInfo& g = geo_.regencies[static_cast<size_t>(origin)];
  SV origin_code = g.region->code;
  const int origin_prov = ProvinceNumber(origin_code);
  SV iso = c.dest->iso;
  const bool overseas = !iso.empty();
  const bool malaysia = iso == "MY";
  const bool mainland = iso == "KH" || iso == "MM" || iso == "SG";
  SV dest_code =
      c.dest_regency >= 0
          ? SV(geo_.regencies[static_cast<size_t>(c.dest_regency)].region->code)
          : SV();
  w.resize(agencies_.size());
  for (size_t i = 0; i < agencies_.size(); ++i) {
    const Agency& a = agencies_[i];
    double x = 0.15;
    if (a.regency >= 0) {
      if (origin_code == a.region) {
        x += 10;
      } else if (origin_prov == a.province_number) {
        x += 1;
      }
    } else if (origin_prov == a.province_number) {
      x += 6;
    }
    if (!dest_code.empty() && RegionIndex::Contains(a.region, dest_code)) x += 6;
    if (overseas) {
      // Where victims bound abroad are intercepted or come back: Batam and the
      // Kalimantan borders for Malaysia, Batam for the mainland, the airport else.
      const int pn = a.province_number;
      if (malaysia && (pn == 21 || pn == 65 || pn == 61)) x += 3;
      if (mainland && pn == 21) x += 2;
      if (a.kind == AgencyKind::kImmigration && pn == 36 && !malaysia) x += 3;
      if (a.t->national) x += 1.5;
      x *= a.kind == AgencyKind::kMigrant ? (adult ? 1.5 : 0.8) : a.overseas_factor;
    } else {
      x *= a.domestic_factor;
    }
    if (a.kind == AgencyKind::kPppa && !adult) x *= 1.6;
    w[i] = x;
  }
}

void Generator::MakePerson(const CaseInfo& c, const Person* sibling, Person& p) {
  const RegencyInfo& case_origin = geo_.regencies[static_cast<size_t>(c.origin)];
  if (sibling != nullptr) {
    p.origin = sibling->origin;
    p.ethnicity = sibling->ethnicity;
  } else {
    double x = rng_.Unit();
    if (x < 0.8) {
      p.origin = c.origin;
    } else if (x < 0.92) {
      const ProvinceInfo& prov =
          geo_.provinces[static_cast<size_t>(case_origin.province)];
      p.origin = prov.regencies[rng_.PickIndex(prov.weights)];
    } else {
      const ProvinceInfo& prov = geo_.provinces[static_cast<size_t>(
          geo_.origin_provinces[rng_.PickIndex(geo_.origin_weights)])];
      p.origin = prov.regencies[rng_.PickIndex(prov.weights)];
    }
    p.ethnicity = internal::PickEthnicity(
        rng_, geo_.regencies[static_cast<size_t>(p.origin)].region->code);
  }
  const RegencyInfo& origin = geo_.regencies[static_cast<size_t>(p.origin)];

  // Sex and age by the form of exploitation.
  Exploitation e = c.exp[0];
  double female = 0.5;
  switch (e) {
    case Exploitation::kSexual:
      female = 0.96;
      break;
    case Exploitation::kDomestic:
      female = 0.95;
      break;
    case Exploitation::kMarriage:
      female = 1.0;
      break;
    case Exploitation::kShipCrew:
      female = 0.0;
      break;
    case Exploitation::kCriminality:
      female = 0.45;
      break;
    case Exploitation::kForcedLabour:
      female = 0.45;
      break;
    case Exploitation::kOrgan:
      female = 0.2;
      break;
    default:
      female = 0.55;
      break;
  }
  p.sex = rng_.Chance(female) ? Sex::kFemale : Sex::kMale;
  struct Band {
    int lo, hi;
  };
  static constexpr Weighted<Band> kDefault[] = {
      {{6, 11}, 2},   {{12, 14}, 8},  {{15, 17}, 20}, {{18, 24}, 30},
      {{25, 34}, 27}, {{35, 44}, 13}, {{45, 58}, 6}};
  static constexpr Weighted<Band> kSexualAges[] = {{{8, 11}, 2},   {{12, 14}, 11},
                                                   {{15, 17}, 27}, {{18, 24}, 35},
                                                   {{25, 34}, 19}, {{35, 44}, 6}};
  static constexpr Weighted<Band> kCriminalAges[] = {
      {{15, 17}, 4}, {{18, 24}, 40}, {{25, 34}, 43}, {{35, 44}, 13}};
  static constexpr Weighted<Band> kShipAges[] = {
      {{15, 17}, 9}, {{18, 24}, 40}, {{25, 34}, 35}, {{35, 44}, 14}, {{45, 55}, 2}};
  static constexpr Weighted<Band> kMarriageAges[] = {
      {{15, 17}, 22}, {{18, 24}, 53}, {{25, 34}, 25}};
  static constexpr Weighted<Band> kBabyAges[] = {{{0, 0}, 3}, {{1, 2}, 1}};
  Band band;
  switch (e) {
    case Exploitation::kSexual:
      band = rng_.PickWeighted(kSexualAges);
      break;
    case Exploitation::kCriminality:
      band = rng_.PickWeighted(kCriminalAges);
      break;
    case Exploitation::kShipCrew:
      band = rng_.PickWeighted(kShipAges);
      break;
    case Exploitation::kMarriage:
      band = rng_.PickWeighted(kMarriageAges);
      break;
    case Exploitation::kAdoption:
      band = rng_.PickWeighted(kBabyAges);
      break;
    default:
      band = rng_.PickWeighted(kDefault);
      break;
  }
  int age = rng_.Range(band.lo, band.hi);
  if (sibling != nullptr) {
    // A brother or sister, a few years apart.
    int sibling_age = AgeAt(sibling->birth, FromDays(c.incident_days));
    int gap = rng_.Range(1, 6) * (rng_.Chance(0.5) ? 1 : -1);
    age = std::clamp(sibling_age + gap, 0, 60);
  }
  p.incident_days = c.incident_days - static_cast<int>(rng_.Below(30));
  p.birth_days =
      p.incident_days - age * 365 - age / 4 - static_cast<int>(rng_.Below(365));
  if (e == Exploitation::kAdoption && age == 0) {
    p.birth_days = p.incident_days - static_cast<int>(rng_.Below(120));
  }

  p.name = sibling != nullptr
               ? internal::MakeSiblingName(rng_, sibling->name, p.ethnicity, p.sex, age)
               : internal::MakeName(rng_, p.ethnicity, p.sex, age);

  // NIK: registered in a district of the home regency.
  if (sibling != nullptr && sibling->origin == p.origin) {
    p.district = sibling->district;
  } else {
    p.district = origin.districts[rng_.Below(origin.districts.size())];
  }
  p.birth = FromDays(p.birth_days);
  p.nik = FormatNik(p.district->code, p.birth, p.sex, rng_.Range(1, 9999));

  // Minors sent abroad often travel on papers that make them adults.
  p.fake_docs = false;
  p.doc_nik.clear();
  if (!c.dest->iso.empty() && age < 18 && age >= 12 && rng_.Chance(0.15)) {
    p.fake_docs = true;
    int years = 18 - age + rng_.Range(1, 4);
    p.doc_birth_days = p.birth_days - years * 365 - static_cast<int>(rng_.Below(200));
    const ProvinceInfo& prov = geo_.provinces[static_cast<size_t>(origin.province)];
    const RegencyInfo& where =
        rng_.Chance(0.6) ? origin
                         : geo_.regencies[static_cast<size_t>(
                               prov.regencies[rng_.Below(prov.regencies.size())])];
    const Region* district = where.districts[rng_.Below(where.districts.size())];
    p.doc_nik =
        FormatNik(district->code, FromDays(p.doc_birth_days), p.sex, rng_.Range(1, 9999));
  }

  // Phone: most adults have one; siblings and recruits sometimes share one.
  p.phone.clear();
  if (!c.shared_phone.empty() && rng_.Chance(0.3)) {
    p.phone = c.shared_phone;
  } else if (age >= 13 && rng_.Chance(0.78)) {
    p.phone = std::string(
        internal::PhonePrefixes()[rng_.PickIndex(internal::PhonePrefixWeights())]);
    int digits = rng_.Chance(0.7) ? 8 : rng_.Chance(0.6) ? 9 : 7;
    for (int i = 0; i < digits; ++i) p.phone += static_cast<char>('0' + rng_.Below(10));
  }

  // Address: dusun/street, RT/RW, village, district, regency.
  if (sibling != nullptr && sibling->origin == p.origin) {
    p.address = sibling->address;
  } else {
    std::string& a = p.address;
    a.clear();
    if (origin.city || rng_.Chance(0.2)) {
      static constexpr SV kStreets[] = {
          "Jl. Merdeka",  "Jl. Sudirman",  "Jl. Kenanga", "Jl. Melati",    "Gg. Mawar",
          "Jl. Pahlawan", "Jl. Flamboyan", "Gg. Kelapa",  "Jl. Diponegoro"};
      a += rng_.Pick(kStreets);
      a += " No. ";
      a += std::to_string(rng_.Range(1, 120));
    } else {
      static constexpr SV kDusun[] = {"Dusun Krajan", "Dusun I",       "Dusun II",
                                      "Dusun III",    "Dsn. Sukamaju", "Dusun Timur",
                                      "Dusun Barat",  "Kampung Baru",  "Dusun Tengah"};
      a += rng_.Pick(kDusun);
    }
    a += " RT ";
    AppendPadded(rng_.Range(1, 25), 3, a);
    a += "/RW ";
    AppendPadded(rng_.Range(1, 12), 3, a);
    a += ", Desa ";
    a += internal::PickVillage(rng_, origin.region->code);
    a += ", Kec. ";
    a += internal::TitleCase(p.district->name);
    a += origin.city ? ", Kota " : ", Kab. ";
    a += origin.bare;
  }

  // Birth place: home regency, a district, or elsewhere in the province.
  p.birth_place.clear();
  double x = rng_.Unit();
  if (x < 0.6) {
    p.birth_place = origin.bare;
  } else if (x < 0.85) {
    p.birth_place = internal::TitleCase(p.district->name);
  } else {
    const ProvinceInfo& prov = geo_.provinces[static_cast<size_t>(origin.province)];
    p.birth_place = geo_.regencies[static_cast<size_t>(
                                       prov.regencies[rng_.Below(prov.regencies.size())])]
                        .bare;
  }
}

void Generator::ChooseAgencies(const CaseInfo& c, const Person& p,
                               std::vector<int>& chosen) {
  chosen.clear();
  static constexpr double kCounts[] = {55, 28, 12, 5};
  int k = 1 + static_cast<int>(rng_.PickIndex(kCounts));
  k = std::min<int>(k, static_cast<int>(agencies_.size()));
  bool adult = AgeAt(p.birth, FromDays(c.report_days)) >= 18;
  AgencyWeights(p.origin, c, adult || p.fake_docs, weights_);
  size_t next_lead = 0;
  while (static_cast<int>(chosen.size()) < k) {
    int a = -1;
    if (next_lead < c.lead_agencies.size() && rng_.Chance(0.8)) {
      a = c.lead_agencies[next_lead++];
    } else {
      double rest = 0;
      for (double w : weights_) rest += w;
      if (rest <= 0) break;
      a = static_cast<int>(rng_.PickIndex(weights_));
    }
    if (std::find(chosen.begin(), chosen.end(), a) != chosen.end()) continue;
    chosen.push_back(a);
    weights_[static_cast<size_t>(a)] = 0;
  }
}

void Generator::RecordId(Agency& a, int year, std::string& out) {
  int64_t seq = ++a.rows;
  switch (a.d.id_style) {
    case 0:  // PNTT-2023-000123
      out += a.t->prefix;
      out += '-';
      AppendPadded(year, 4, out);
      out += '-';
      AppendPadded(seq, 6, out);
      return;
    case 1:  // UPPA/045/2024
      out += a.t->prefix;
      out += '/';
      AppendPadded(seq, 3, out);
      out += '/';
      AppendPadded(year, 4, out);
      return;
    case 2:  // 47123
      AppendPadded(a.id_base + seq, 1, out);
      return;
    case 3:  // DSNTB.2022.00045
      out += a.t->prefix;
      out += '.';
      AppendPadded(year, 4, out);
      out += '.';
      AppendPadded(seq, 5, out);
      return;
    default:  // PRKPG0000123
      out += a.t->prefix;
      AppendPadded(seq, 7, out);
      return;
  }
}

const std::string& Generator::CaseRef(int agency, int year) {
  std::string& ref = case_refs_[static_cast<size_t>(agency)];
  if (!ref.empty()) return ref;
  Agency& a = agencies_[static_cast<size_t>(agency)];
  int64_t n = ++a.cases;
  gugus::Date d = FromDays(case_days_[static_cast<size_t>(agency)]);
  ref = internal::FormatCaseRef(*a.t, n, d.month, year, /*alternate=*/false);
  return ref;
}

void Generator::RegionText(const RegencyInfo& g, int style, std::string& out) {
  SV code = g.region->code;
  switch (style) {
    case 0:
      out += code;
      return;
    case 1:
      out += code.substr(0, 2);
      out += code.substr(3);
      return;
    case 2:
      out += g.city ? "Kota " : "Kab. ";
      out += g.bare;
      return;
    case 3: {
      size_t start = out.size();
      out += g.city ? "KOTA " : "KAB ";
      out += g.bare;
      std::string tail = out.substr(start);
      internal::UpperUtf8(tail);
      out.replace(start, std::string::npos, tail);
      return;
    }
    case 4:
      out += g.city ? "Kota " : "Kabupaten ";
      out += g.bare;
      return;
    case 5:
      out += g.bare;
      return;
    case 6:
      out += g.city ? "Kota " : "Kab ";
      out += g.bare;
      return;
    default: {  // the province only
      const ProvinceInfo& p = geo_.provinces[static_cast<size_t>(g.province)];
      if (!p.abbreviation.empty() && rng_.Chance(0.3)) {
        out += p.abbreviation;
      } else {
        if (rng_.Chance(0.3)) out += "Prov. ";
        out += p.name;
      }
      return;
    }
  }
}

void Generator::DestinationText(const CaseInfo& c, const Dialect& d, std::string& out) {
  size_t start = out.size();
  if (!c.dest->iso.empty()) {
    int style = rng_.Chance(0.1) ? static_cast<int>(rng_.Below(3)) : d.dest_style;
    out += style == 0 ? c.dest->name_id : style == 1 ? c.dest->name_en : c.dest->iso;
  } else if (c.dest_regency >= 0) {
    const RegencyInfo& g = geo_.regencies[static_cast<size_t>(c.dest_regency)];
    double x = rng_.Unit();
    if (x < 0.45) {
      out += g.city ? "Kota " : "Kab. ";
    } else if (x < 0.55) {
      out += g.city ? "Kota " : "Kabupaten ";
    }
    out += g.bare;
  }
  if (rng_.Chance(0.06)) {
    std::string tail = out.substr(start);
    internal::UpperUtf8(tail);
    out.replace(start, std::string::npos, tail);
  }
}

void Generator::NotesText(const CaseInfo& c, const Person& p, const Agency& a,
                          std::string& out) {
  const bool english = a.d.english_terms && rng_.Chance(0.7);
  SV dest = c.dest->iso.empty() && c.dest_regency >= 0
                ? SV(geo_.regencies[static_cast<size_t>(c.dest_regency)].bare)
            : english ? c.dest->name_en
                      : c.dest->name_id;
  int sentences = rng_.Chance(0.3) ? 2 : 1;
  for (int s = 0; s < sentences; ++s) {
    if (s > 0) out += rng_.Chance(0.25) ? "\n" : " ";
    switch (rng_.Below(10)) {
      case 0:
        if (english) {
          out += gugus::StrCat("Promised a job as ", c.job, " in ", dest, ", salary Rp ",
                               c.salary_million, " million per month.");
        } else {
          out += gugus::StrCat("Korban dijanjikan bekerja sebagai ", c.job, " di ", dest,
                               " dengan gaji Rp", c.salary_million, " juta per bulan.");
        }
        break;
      case 1:
        out += gugus::StrCat(english ? "Repatriated from " : "Dipulangkan dari ", dest,
                             english ? "." : ", tiba dalam kondisi lemah.");
        break;
      case 2:
        out +=
            english ? "Passport held by the employer." : "Paspor korban ditahan majikan.";
        break;
      case 3:
        out += english ? "Left without official documents – travelled by boat."
                       : "Berangkat tanpa dokumen resmi – melalui jalur laut.";
        break;
      case 4: {
        if (AgeAt(p.birth, FromDays(c.report_days)) < 18) {
          out += english ? "Victim is a child." : "Korban masih di bawah umur.";
        } else {
          out += english ? "Wages unpaid for months."
                         : "Gaji tidak dibayar selama ± 7 bulan.";
        }
        break;
      }
      case 5:
        out += gugus::StrCat(english ? "Referred by " : "Rujukan dari ",
                             agencies_[rng_.Below(agencies_.size())].t->code, ".");
        break;
      case 6:
        out += english ? "The recruiter was called \"boss\" by the victims."
                       : "Pelaku dipanggil \"bos\" oleh para korban.";
        break;
      case 7:
        out += english
                   ? "Physical abuse; needs counselling, shelter."
                   : "Korban mengalami kekerasan fisik; perlu pendampingan psikologis.";
        break;
      case 8:
        out +=
            gugus::StrCat(english ? "Family reported the victim missing."
                                  : "Keluarga melapor, korban hilang kontak sejak ",
                          english ? "" : std::to_string(FromDays(c.incident_days).year),
                          english ? "" : ".");
        break;
      default:
        out += english ? "Debt of Rp 15,000,000 for travel costs."
                       : "Korban dibebani utang biaya keberangkatan Rp 15.000.000.";
        break;
    }
  }
}

absl::Status Generator::Appear(const CaseInfo& c, const Person& p, int agency,
                               int report_days) {
  Agency& a = agencies_[static_cast<size_t>(agency)];
  Invalid invalid = Invalid::kNone;
  if (options_.invalid_share > 0 && rng_.Chance(options_.invalid_share)) {
    invalid = rng_.PickWeighted(kInvalidKinds);
    if ((invalid == Invalid::kBadAge && !a.d.has[kAge]) ||
        (invalid == Invalid::kBirthAfterReport && !a.d.has[kBirthDate])) {
      invalid = Invalid::kMissingName;
    }
  }
  if (invalid == Invalid::kDuplicateId) {
    // The same victim entered twice under one record id: the second row is invalid.
    GUGUS_RETURN_IF_ERROR(EmitRow(c, p, a, report_days, Invalid::kNone, nullptr));
    std::string id = f_[kRecordId];
    return EmitRow(c, p, a, report_days, Invalid::kDuplicateId, &id);
  }
  return EmitRow(c, p, a, report_days, invalid, nullptr);
}

absl::Status Generator::EmitRow(const CaseInfo& c, const Person& p, Agency& a,
                                int report_days, Invalid invalid,
                                const std::string* reuse_id) {
  const Dialect& d = a.d;
  const AgencyTemplate& t = *a.t;
  for (std::string& f : f_) f.clear();
  gugus::Date report = FromDays(report_days);
  const bool docs = p.fake_docs && (a.kind == AgencyKind::kMigrant ||
                                    a.kind == AgencyKind::kImmigration);
  const int birth_days = docs ? p.doc_birth_days : p.birth_days;
  gugus::Date birth = docs ? FromDays(birth_days) : p.birth;

  if (reuse_id != nullptr) {
    f_[kRecordId] = *reuse_id;
  } else {
    RecordId(a, report.year, f_[kRecordId]);
  }
  AppendDays(report_days, RowDateFormat(d), f_[kReportDate]);

  internal::RenderName(rng_, p.name, d.noise, f_[kName]);
  if (rng_.Chance(0.02 * d.noise)) {
    // Clerks' courtesy prefixes: "Ny." (Mrs) for women, "An." (child) for minors.
    if (AgeAt(p.birth, report) < 18) {
      f_[kName].insert(0, "An. ");
    } else if (p.sex == Sex::kFemale) {
      f_[kName].insert(0, "Ny. ");
    }
  }
  if (rng_.Chance(d.upper_names)) {
    internal::UpperUtf8(f_[kName]);
  } else if (rng_.Chance(0.02)) {
    internal::LowerUtf8(f_[kName]);
  }

  if (d.has[kCaseRef] && rng_.Chance(0.85)) {
    f_[kCaseRef] =
        CaseRef(static_cast<int>(&a - agencies_.data()),
                FromDays(case_days_[static_cast<size_t>(&a - agencies_.data())]).year);
  }

  const bool minor = AgeAt(p.birth, report) < 18;
  if (d.has[kNik] && rng_.Chance(d.nik_rate * (minor ? 0.7 : 1.0))) {
    std::string digits = docs ? p.doc_nik : p.nik;
    double x = rng_.Unit();
    if (x < 0.04) {
      internal::CorruptDigits(rng_, digits);
    } else if (x < 0.05) {
      digits.erase(rng_.Below(digits.size()), 1);
    }
    double y = rng_.Unit();
    if (y < 0.04 && digits.size() == 16) {
      for (int i = 12; i > 0; i -= 4) digits.insert(static_cast<size_t>(i), 1, ' ');
    } else if (y < 0.05 && digits.size() == 16) {
      digits.insert(12, 1, '.');
      digits.insert(6, 1, '.');
    }
    f_[kNik] = std::move(digits);
  }

  if (d.has[kSex] && rng_.Chance(0.94)) {
    static constexpr SV kSexes[6][2] = {{"L", "P"},         {"Laki-laki", "Perempuan"},
                                        {"M", "F"},         {"Pria", "Wanita"},
                                        {"male", "female"}, {"LAKI-LAKI", "PEREMPUAN"}};
    int style = rng_.Chance(0.02) ? static_cast<int>(rng_.Below(6)) : d.sex_style;
    f_[kSex] = kSexes[style][p.sex == Sex::kFemale ? 1 : 0];
  }

  bool wrote_birth = false;
  gugus::Date shown_birth = birth;
  if (d.has[kBirthDate] && rng_.Chance(d.birth_rate)) {
    wrote_birth = true;
    double x = rng_.Unit();
    gugus::Date b = birth;
    if (x < 0.025 && b.day <= 12 && b.day != b.month) {
      std::swap(b.day, b.month);
    } else if (x < 0.04) {
      b.year += rng_.Chance(0.5) ? 1 : -1;
      if (b.month == 2 && b.day == 29 && !IsLeap(b.year)) b.day = 28;
    } else if (x < 0.05) {
      b = FromDays(birth_days + (rng_.Chance(0.5) ? 1 : -1));
    }
    if (ToDays(b) > report_days) b = birth;
    shown_birth = b;
    AppendDays(ToDays(b), RowDateFormat(d), f_[kBirthDate]);
  }
  if (d.has[kAge] && rng_.Chance(wrote_birth ? d.age_with_birth : 0.75)) {
    int age = AgeAt(shown_birth, report);
    if (rng_.Chance(0.04)) age += rng_.Chance(0.5) ? 1 : -1;
    age = std::clamp(age, 0, 120);
    f_[kAge] = std::to_string(age);
  }

  const RegencyInfo& origin = geo_.regencies[static_cast<size_t>(p.origin)];
  if (d.has[kBirthPlace] && rng_.Chance(0.5)) {
    f_[kBirthPlace] = p.birth_place;
    if (rng_.Chance(d.upper_names * 0.5)) internal::UpperUtf8(f_[kBirthPlace]);
  }
  if (d.has[kOrigin] && rng_.Chance(0.88)) {
    double x = rng_.Unit();
    int style = x < 0.02   ? 7
                : x < 0.14 ? static_cast<int>(rng_.Below(7))
                           : d.region_style;
    RegionText(origin, style, f_[kOrigin]);
  }
  if (d.has[kAddress] && rng_.Chance(0.55)) {
    std::string& addr = f_[kAddress];
    addr = p.address;
    if (rng_.Chance(0.1)) {
      size_t kec = addr.find("Kec. ");
      if (kec != std::string::npos) addr.replace(kec, 5, "Kecamatan ");
    }
    if (rng_.Chance(0.05)) {
      size_t rt = addr.find(" RT ");
      size_t desa = addr.find(", Desa ");
      if (rt != std::string::npos && desa != std::string::npos && desa > rt) {
        addr.erase(rt, desa - rt);
      }
    }
    if (rng_.Chance(0.04)) {
      size_t comma = addr.find(", ");
      if (comma != std::string::npos) addr.replace(comma, 2, "\n");
    }
    if (rng_.Chance(d.upper_names * 0.3)) internal::UpperUtf8(addr);
  }
  if (d.has[kPhone] && !p.phone.empty() && rng_.Chance(0.6)) {
    std::string digits = p.phone;
    if (rng_.Chance(0.02)) internal::CorruptDigits(rng_, digits);
    int format = rng_.Chance(0.08)
                     ? static_cast<int>(rng_.Below(internal::kPhoneFormatCount))
                     : d.phone_format;
    internal::AppendPhone(digits, format, f_[kPhone]);
  }
  if (d.has[kNationality] &&
      rng_.Chance(a.kind == AgencyKind::kImmigration ? 0.95 : 0.6)) {
    static constexpr SV kNat[] = {"WNI", "Indonesia", "ID", "INDONESIA", "WNI"};
    f_[kNationality] = kNat[d.nationality_style];
  }
  if (d.has[kExploitation] && rng_.Chance(0.9)) {
    int n = c.exp_count == 2 && rng_.Chance(0.85) ? 2 : 1;
    for (int i = 0; i < n; ++i) {
      auto forms =
          internal::ExploitationTerms(c.exp[static_cast<size_t>(i)], d.english_terms);
      if (i > 0) f_[kExploitation] += d.term_sep;
      f_[kExploitation] += rng_.Chance(0.75) ? forms[0] : forms[1 + rng_.Below(3)];
    }
  }
  if (d.has[kRecruitment] && rng_.Chance(0.8)) {
    int n = c.rec_count == 2 && rng_.Chance(0.85) ? 2 : 1;
    for (int i = 0; i < n; ++i) {
      auto forms =
          internal::RecruitmentTerms(c.rec[static_cast<size_t>(i)], d.english_terms);
      if (i > 0) f_[kRecruitment] += d.term_sep;
      f_[kRecruitment] += rng_.Chance(0.75) ? forms[0] : forms[1 + rng_.Below(3)];
    }
  }
  if (d.has[kDestination] && rng_.Chance(0.92)) DestinationText(c, d, f_[kDestination]);
  if (d.has[kIncidentDate] && rng_.Chance(0.6)) {
    AppendDays(p.incident_days, RowDateFormat(d), f_[kIncidentDate]);
  }
  if (d.has[kSuspects] && rng_.Chance(d.suspects_rate)) {
    size_t n = c.suspects.size() > 1 && rng_.Chance(0.2) ? 1 : c.suspects.size();
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) f_[kSuspects] += d.term_sep;
      internal::RenderPlainName(rng_, c.suspects[i], d.noise, tmp_);
      if (rng_.Chance(d.upper_names)) internal::UpperUtf8(tmp_);
      f_[kSuspects] += tmp_;
    }
  }
  if (d.has[kNotes] && rng_.Chance(0.3)) NotesText(c, p, a, f_[kNotes]);

  // Invalid on purpose: exactly one reason per row.
  switch (invalid) {
    case Invalid::kNone:
    case Invalid::kDuplicateId:
      break;
    case Invalid::kMissingName:
      f_[kName] = rng_.Chance(0.3) ? "  " : "";
      break;
    case Invalid::kUnparseableDate: {
      static constexpr SV kBad[] = {"kemarin",    "-",       "Maret 2022",  "15/2022",
                                    "2O23-05-12", "N/A",     "belum diisi", "tgl 12",
                                    "xx/xx/2021", "20211305"};
      f_[kReportDate] = rng_.Pick(kBad);
      break;
    }
    case Invalid::kImpossibleDate: {
      struct DM {
        int day, month;
      };
      static constexpr DM kImpossible[] = {{31, 2}, {30, 2},  {31, 4}, {31, 6},
                                           {31, 9}, {31, 11}, {29, 2}};
      DM dm = rng_.Pick(kImpossible);
      int year = report.year;
      if (dm.day == 29 && IsLeap(year)) ++year;
      f_[kReportDate].clear();
      internal::AppendDate(rng_, year, dm.month, dm.day, d.date_format, f_[kReportDate]);
      break;
    }
    case Invalid::kFutureDate: {
      int y = report.year;
      int swapped = 2000 + (y % 10) * 10 + (y / 10) % 10;  // 2025 → 2052
      gugus::Date future{
          swapped >= 2031 ? swapped : 2031 + static_cast<int>(rng_.Below(20)),
          report.month, report.day};
      if (future.month == 2 && future.day == 29 && !IsLeap(future.year)) future.day = 28;
      f_[kReportDate].clear();
      AppendDays(ToDays(future), d.date_format, f_[kReportDate]);
      break;
    }
    case Invalid::kBirthAfterReport:
      f_[kBirthDate].clear();
      f_[kAge].clear();
      AppendDays(report_days + 1 + static_cast<int>(rng_.Below(400)), d.date_format,
                 f_[kBirthDate]);
      break;
    case Invalid::kBadAge: {
      static constexpr SV kBadAges[] = {"150", "dua puluh", "121",
                                        "-2",  "200",       "tiga belas"};
      f_[kBirthDate].clear();
      f_[kAge] = rng_.Pick(kBadAges);
      break;
    }
  }

  // Serialise in the agency's dialect.
  AppendRow(d, d.columns, f_, line_, a.out.buffer());
  GUGUS_RETURN_IF_ERROR(a.out.MaybeFlush());

  std::string& truth = truth_.buffer();
  AppendField(truth, t.code, ',', false);
  truth += ',';
  AppendField(truth, f_[kRecordId], ',', false);
  truth += ",P";
  AppendPadded(p.key, 6, truth);
  truth += '\n';
  GUGUS_RETURN_IF_ERROR(truth_.MaybeFlush());

  ++summary_.records;
  if (invalid != Invalid::kNone) ++summary_.invalid_records;
  if (legal_ && invalid == Invalid::kNone) {
    const size_t index = static_cast<size_t>(&a - agencies_.data());
    if (legal_seed_[index] >= 0) law_ids_[index].push_back(f_[kRecordId]);
  }
  return absl::OkStatus();
}

absl::Status Generator::SetUpLegal() {
  std::vector<LegalAgencySeed> seeds;
  legal_seed_.assign(agencies_.size(), -1);
  law_ids_.assign(agencies_.size(), {});
  police_seeds_.assign(100, {});
  for (size_t i = 0; i < agencies_.size(); ++i) {
    const Agency& a = agencies_[i];
    const AgencyTemplate& t = *a.t;
    if (!Is(t, "police") && !Is(t, "prosecutor") && !Is(t, "court")) continue;
    legal_seed_[i] = static_cast<int>(seeds.size());
    if (Is(t, "police") && a.province_number >= 0) {
      police_seeds_[static_cast<size_t>(a.province_number)].push_back(
          static_cast<int>(seeds.size()));
    }
    seeds.push_back({a.t, a.region, a.d});
  }
  legal_ = std::make_unique<LegalWriter>(options_, index_, std::move(seeds));
  return legal_->Open();
}

absl::Status Generator::AddLegalCase(const CaseInfo& c,
                                     const std::vector<Person>& victims) {
  if (++cases_since_retain_ >= 4096) {
    // Suspects leave the recruiter pools; their identities need not be kept.
    cases_since_retain_ = 0;
    std::vector<int64_t> live;
    for (const auto& pool : recruiters_) {
      for (const PoolEntry& e : pool) live.push_back(e.ref.key);
    }
    legal_->Retain(live);
  }
  const RegencyInfo& origin = geo_.regencies[static_cast<size_t>(c.origin)];
  const int province = ProvinceNumber(origin.region->code);
  LegalCase& lc = legal_case_;
  lc.touched.clear();
  bool police = province >= 0 && !police_seeds_[static_cast<size_t>(province)].empty();
  for (int a : touched_) {
    const int seed = legal_seed_[static_cast<size_t>(a)];
    if (seed < 0) continue;
    police = police || Is(*agencies_[static_cast<size_t>(a)].t, "police");
    lc.touched.push_back({seed, case_days_[static_cast<size_t>(a)],
                          case_refs_[static_cast<size_t>(a)],
                          law_ids_[static_cast<size_t>(a)]});
  }
  if (!police) return absl::OkStatus();
  lc.key = c.number;
  lc.report_days = c.report_days;
  lc.origin_regency = origin.region->code;
  lc.overseas = !c.dest->iso.empty();
  lc.destination = lc.overseas ? c.dest->name_id
                   : c.dest_regency >= 0
                       ? SV(geo_.regencies[static_cast<size_t>(c.dest_regency)].bare)
                       : SV("dalam negeri");
  lc.child = false;
  for (const Person& p : victims) {
    lc.child = lc.child || AgeAt(p.birth, FromDays(c.report_days)) < 18;
  }
  lc.sexual = c.exp[0] == Exploitation::kSexual ||
              (c.exp_count > 1 && c.exp[1] == Exploitation::kSexual);
  lc.placement = false;
  for (int i = 0; i < c.rec_count; ++i) {
    Recruitment r = c.rec[static_cast<size_t>(i)];
    lc.placement = lc.placement || r == Recruitment::kCalo || r == Recruitment::kP3mi;
  }
  lc.suspects.clear();
  for (size_t i = 0; i < c.suspects.size(); ++i) {
    const SuspectRef& ref = c.suspect_refs[i];
    const RegencyInfo& home = geo_.regencies[static_cast<size_t>(ref.home)];
    lc.suspects.push_back(
        {ref, c.suspects[i], SV(home.region->code).substr(0, 2), home.districts});
  }
  lc.police_nearby =
      province >= 0 ? police_seeds_[static_cast<size_t>(province)] : std::vector<int>();
  return legal_->AddCase(lc);
}

absl::StatusOr<GeneratorSummary> Generator::Run() {
  std::error_code ec;
  std::filesystem::create_directories(options_.out_dir, ec);
  if (ec) {
    return IoError("cannot create folder", options_.out_dir, ec.value());
  }
  GUGUS_RETURN_IF_ERROR(SetUpAgencies());
  if (options_.legal) GUGUS_RETURN_IF_ERROR(SetUpLegal());
  GUGUS_RETURN_IF_ERROR(
      truth_.Open((std::filesystem::path(options_.out_dir) / "truth.csv").string()));
  truth_.buffer() += "agency,record_id,person_key\n";
  GUGUS_RETURN_IF_ERROR(
      persons_.Open((std::filesystem::path(options_.out_dir) / "persons.csv").string()));
  persons_.buffer() += "person_key,name,sex,birth_date,nik,origin_region\n";

  summary_.agencies = options_.agencies;
  summary_.persons = options_.persons;
  CaseInfo c;
  std::vector<Person> victims;
  int64_t next_key = 1;
  int64_t next_progress = 0;
  static constexpr Weighted<std::pair<int, int>> kCaseSizes[] = {
      {{1, 1}, 45}, {{2, 2}, 15}, {{3, 3}, 10}, {{4, 4}, 7},
      {{5, 5}, 6},  {{6, 8}, 9},  {{9, 12}, 5}, {{13, 15}, 3}};
  while (next_key <= options_.persons) {
    if (progress_ && next_key >= next_progress) {
      progress_(next_key - 1, options_.persons);
      next_progress = next_key + 8192;
    }
    auto size = rng_.PickWeighted(kCaseSizes);
    int64_t n = std::min<int64_t>(rng_.Range(size.first, size.second),
                                  options_.persons - next_key + 1);
    MakeCase(c, static_cast<int>(n));
    c.number = next_key;
    if (c.exp[0] == Exploitation::kAdoption) n = std::min<int64_t>(n, 2);
    victims.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      Person& p = victims[static_cast<size_t>(i)];
      const Person* sibling =
          i > 0 && rng_.Chance(0.15) ? &victims[static_cast<size_t>(i - 1)] : nullptr;
      MakePerson(c, sibling, p);
      p.key = next_key++;
    }
    for (int a : touched_) {
      case_days_[static_cast<size_t>(a)] = -1;
      case_refs_[static_cast<size_t>(a)].clear();
      if (legal_) law_ids_[static_cast<size_t>(a)].clear();
    }
    touched_.clear();
    for (const Person& p : victims) {
      std::string& pb = persons_.buffer();
      pb += 'P';
      AppendPadded(p.key, 6, pb);
      pb += ',';
      AppendField(pb, internal::FullName(p.name), ',', false);
      pb += p.sex == Sex::kFemale ? ",P," : ",L,";
      AppendIsoDate(p.birth, pb);
      pb += ',';
      pb += p.nik;
      pb += ',';
      pb += geo_.regencies[static_cast<size_t>(p.origin)].region->code;
      pb += '\n';
      GUGUS_RETURN_IF_ERROR(persons_.MaybeFlush());

      ChooseAgencies(c, p, chosen_);
      for (int a : chosen_) {
        int& days = case_days_[static_cast<size_t>(a)];
        if (days < 0) {
          touched_.push_back(a);
          int offset = 0;
          if (c.lead_agencies.empty() || a != c.lead_agencies[0]) {
            offset = static_cast<int>(rng_.Below(30));
            if (rng_.Chance(0.5)) offset += static_cast<int>(rng_.Below(200));
          }
          days = std::min(c.report_days + offset, kLastReportDays);
        }
        int report_days =
            std::min(days + static_cast<int>(rng_.Below(3)), kLastReportDays);
        GUGUS_RETURN_IF_ERROR(Appear(c, p, a, report_days));
      }
      if (rng_.Chance(0.03)) {
        // Registered twice by the same agency (a later visit, a new clerk).
        int a = chosen_[rng_.Below(chosen_.size())];
        int later = std::min(case_days_[static_cast<size_t>(a)] + rng_.Range(30, 400),
                             kLastReportDays);
        GUGUS_RETURN_IF_ERROR(Appear(c, p, a, later));
      }
    }
    if (legal_) GUGUS_RETURN_IF_ERROR(AddLegalCase(c, victims));
  }
  if (progress_) progress_(options_.persons, options_.persons);

  for (Agency& a : agencies_) GUGUS_RETURN_IF_ERROR(a.out.Close());
  GUGUS_RETURN_IF_ERROR(truth_.Close());
  GUGUS_RETURN_IF_ERROR(persons_.Close());
  GUGUS_RETURN_IF_ERROR(WriteAgenciesCsv());
  if (legal_) GUGUS_RETURN_IF_ERROR(legal_->Close(summary_));
  return summary_;
}

}  // namespace
}  // namespace internal

absl::StatusOr<GeneratorSummary> Generate(
    const GeneratorOptions& options, const RegionIndex& regions,
    const std::function<void(int64_t, int64_t)>& progress) {
  if (options.agencies < 1 || options.agencies > 50 ||
      static_cast<size_t>(options.agencies) > internal::AgencyTemplates().size()) {
    return absl::InvalidArgumentError("agencies must be between 1 and 50");
  }
  if (options.persons < 1 || options.persons > 10'000'000) {
    return absl::InvalidArgumentError("persons must be between 1 and 10,000,000");
  }
  if (!(options.invalid_share >= 0 && options.invalid_share <= 0.5)) {
    return absl::InvalidArgumentError("invalid_share must be between 0 and 0.5");
  }
  if (!(options.legal_share >= 0 && options.legal_share <= 1)) {
    return absl::InvalidArgumentError("legal_share must be between 0 and 1");
  }
  if (options.out_dir.empty()) return absl::InvalidArgumentError("out_dir is required");
  GUGUS_ASSIGN_OR_RETURN(internal::Geo geo, internal::BuildGeo(regions));
  internal::Generator generator(options, regions, std::move(geo), progress);
  return generator.Run();
}

}  // namespace gugus::synth
