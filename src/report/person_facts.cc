#include "report/person_facts.h"

#include <algorithm>
#include <array>

#include "core/date.h"
#include "core/nik.h"
#include "core/strcat.h"
#include "report/cube.h"
#include "report/victim.h"

namespace gugus::report {
namespace {

using ingest::Field;

constexpr std::array<std::string_view, kPersonFieldCount> kFieldNames = {
    "sex", "birth_date", "origin_region", "nationality", "nik"};

constexpr std::array<std::string_view, 6> kRuleNames = {
    "unknown", "agreement", "majority", "nik", "agency_type", "recent"};

// Most trusted first, per field. Identity (sex, birth date, NIK): the police check
// the KTP and Dukcapil's register in an investigation, immigration the passport,
// the migrant-worker agency registers workers with their documents. Origin: social
// services and PPPA units take the victim home to the region, the migrant-worker
// agency registers workers where they come from. Nationality: immigration and the
// foreign ministry decide it.
constexpr std::array<std::string_view, 12> kIdentityTrust = {
    "police", "immigration", "migrant_worker_agency", "court",  "prosecutor",
    "health", "pppa_unit",   "social_service",        "labour", "foreign_affairs",
    "ngo",    "other"};
constexpr std::array<std::string_view, 12> kOriginTrust = {
    "social_service", "pppa_unit",   "migrant_worker_agency",
    "police",         "immigration", "foreign_affairs",
    "court",          "prosecutor",  "health",
    "labour",         "ngo",         "other"};
constexpr std::array<std::string_view, 12> kNationalityTrust = {"immigration",
                                                                "foreign_affairs",
                                                                "migrant_worker_agency",
                                                                "police",
                                                                "court",
                                                                "prosecutor",
                                                                "pppa_unit",
                                                                "social_service",
                                                                "health",
                                                                "labour",
                                                                "ngo",
                                                                "other"};

// Does the coded value `outer` agree with `inner` and is it no more precise? Only
// regions nest; other values agree when equal.
bool Covers(PersonField f, int64_t outer, int64_t inner) {
  if (f != PersonField::kOrigin) return outer == inner;
  return InPackedRegion(static_cast<int32_t>(inner), static_cast<int32_t>(outer));
}

bool Compatible(PersonField f, int64_t a, int64_t b) {
  return Covers(f, a, b) || Covers(f, b, a);
}

int AgeOn(int32_t birth, int32_t on) {
  int age = on / 10000 - birth / 10000;
  if (on % 10000 < birth % 10000) --age;
  return age;
}

FieldFact Resolve(PersonField f, std::span<const FactWitness> records) {
  FieldFact out;
  // Most persons have one record, or records that say the same: no sorting then.
  int64_t first = 0;
  bool same = true;
  for (const FactWitness& r : records) {
    const int64_t v = r.Value(f);
    if (v == 0) continue;
    if (first == 0) first = v;
    if (v != first) {
      same = false;
      break;
    }
  }
  if (first == 0) return out;
  if (same) {
    out.value = first;
    out.rule = FactRule::kAgreement;
    return out;
  }
  // Distinct values spoken, and the most precise of them: the candidates.
  std::vector<int64_t> values;
  for (const FactWitness& r : records)
    if (int64_t v = r.Value(f); v != 0) values.push_back(v);
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::vector<int64_t> candidates;
  for (int64_t v : values) {
    bool finer_exists = false;
    for (int64_t w : values)
      if (w != v && Covers(f, v, w)) finer_exists = true;
    if (!finer_exists) candidates.push_back(v);
  }
  if (candidates.size() == 1) {
    out.value = candidates[0];
    out.rule = FactRule::kAgreement;
    return out;
  }
  out.disagreement = true;

  // Support: the records whose value agrees with the candidate.
  std::vector<int> support(candidates.size(), 0);
  for (const FactWitness& r : records) {
    const int64_t v = r.Value(f);
    if (v == 0) continue;
    for (size_t c = 0; c < candidates.size(); ++c)
      if (Covers(f, v, candidates[c])) ++support[c];
  }
  const int best = *std::max_element(support.begin(), support.end());
  std::vector<size_t> tied;
  for (size_t c = 0; c < candidates.size(); ++c)
    if (support[c] == best) tied.push_back(c);
  auto choose = [&](size_t c, FactRule rule) {
    out.value = candidates[c];
    out.rule = rule;
    return out;
  };
  if (tied.size() == 1) return choose(tied[0], FactRule::kMajority);

  // What the person's NIKs encode, when they all agree with one tied candidate.
  std::vector<int64_t> encoded;
  for (const FactWitness& r : records)
    if (int64_t v = r.from_nik[static_cast<size_t>(f)]; v != 0) encoded.push_back(v);
  if (!encoded.empty()) {
    std::vector<size_t> confirmed;
    for (size_t c : tied)
      if (std::all_of(encoded.begin(), encoded.end(),
                      [&](int64_t e) { return Compatible(f, e, candidates[c]); }))
        confirmed.push_back(c);
    if (confirmed.size() == 1) return choose(confirmed[0], FactRule::kNik);
  }

  // The most trusted agency type among each candidate's records.
  std::vector<int> rank(candidates.size(), 1 << 20);
  for (const FactWitness& r : records) {
    const int64_t v = r.Value(f);
    if (v == 0) continue;
    for (size_t c : tied)
      if (Covers(f, v, candidates[c]))
        rank[c] = std::min(rank[c], TrustRank(f, r.agency_type));
  }
  int top = 1 << 20;
  for (size_t c : tied) top = std::min(top, rank[c]);
  std::vector<size_t> trusted;
  for (size_t c : tied)
    if (rank[c] == top) trusted.push_back(c);
  if (trusted.size() == 1) return choose(trusted[0], FactRule::kAgencyType);

  // The most recent report; on the same day, the larger stable key.
  const FactWitness* latest = nullptr;
  size_t pick = trusted[0];
  for (const FactWitness& r : records) {
    const int64_t v = r.Value(f);
    if (v == 0) continue;
    for (size_t c : trusted) {
      if (!Covers(f, v, candidates[c])) continue;
      if (!latest || r.report_date > latest->report_date ||
          (r.report_date == latest->report_date && r.stable_key > latest->stable_key)) {
        latest = &r;
        pick = c;
      }
    }
  }
  return choose(pick, FactRule::kRecent);
}

}  // namespace

std::string_view PersonFieldName(PersonField field) {
  return kFieldNames[static_cast<size_t>(field)];
}

std::string_view FactRuleName(FactRule rule) {
  return kRuleNames[static_cast<size_t>(rule)];
}

int TrustRank(PersonField field, std::string_view agency_type) {
  const auto& order = field == PersonField::kOrigin        ? kOriginTrust
                      : field == PersonField::kNationality ? kNationalityTrust
                                                           : kIdentityTrust;
  auto it = std::find(order.begin(), order.end(), agency_type);
  return static_cast<int>(it - order.begin());
}

uint64_t StableRecordKey(std::string_view agency_code, std::string_view record_id) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  auto mix = [&](std::string_view s) {
    for (char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
  };
  mix(agency_code);
  mix(std::string_view("\0", 1));
  mix(record_id);
  return h;
}

int64_t SexValue(std::string_view sex) { return sex == "L" ? 1 : sex == "P" ? 2 : 0; }

int32_t PackIsoDate(std::string_view iso) {
  if (iso.size() != 10) return 0;
  int32_t v = 0;
  for (char c : iso) {
    if (c == '-') continue;
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

int64_t NationalityCode(std::string_view alpha2) {
  if (alpha2.size() != 2) return 0;
  return (int64_t{static_cast<unsigned char>(alpha2[0])} << 8) |
         static_cast<unsigned char>(alpha2[1]);
}

FactWitness WitnessOf(const ingest::ParsedRecord& record, std::string_view agency_code,
                      std::string_view agency_type) {
  FactWitness w;
  auto set = [&](PersonField f, int64_t v) { w.stated[static_cast<size_t>(f)] = v; };
  set(PersonField::kSex, SexValue(record[Field::kSex]));
  set(PersonField::kBirthDate, PackIsoDate(record[Field::kBirthDate]));
  set(PersonField::kOrigin, PackRegion(record[Field::kOriginRegion]));
  // Blank is the interchange format's default, Indonesia (import writes "ID" for
  // it; older versions kept it blank), unless the cell could not be read.
  const std::string& nationality = record[Field::kNationality];
  bool unreadable = false;
  for (const ingest::Issue& issue : record.warnings)
    unreadable = unreadable || issue.field == ingest::Spec(Field::kNationality).key;
  set(PersonField::kNationality,
      NationalityCode(nationality.empty() && !unreadable ? "ID" : nationality));
  w.report_date = PackIsoDate(record[Field::kReportDate]);
  w.incident_date = PackIsoDate(record[Field::kIncidentDate]);
  if (auto age = AgeAtExploitation(record); age && *age <= 150)
    w.age = static_cast<int16_t>(*age);
  w.agency_type = agency_type;
  w.stable_key = StableRecordKey(agency_code, record[Field::kRecordId]);
  const std::string& nik = record[Field::kNik];
  if (!nik.empty()) {
    Date reference = TodayInJakarta();
    if (auto reported = ParseDate(record[Field::kReportDate]); reported.ok())
      reference = *reported;
    if (auto info = ParseNik(nik, reference); info.ok()) {
      int64_t digits = 0;
      for (char c : info->digits) digits = digits * 10 + (c - '0');
      set(PersonField::kNik, digits);
      auto& from = w.from_nik;
      from[static_cast<size_t>(PersonField::kSex)] = info->sex == Sex::kMale ? 1 : 2;
      from[static_cast<size_t>(PersonField::kBirthDate)] = info->birth_date.year * 10000 +
                                                           info->birth_date.month * 100 +
                                                           info->birth_date.day;
      from[static_cast<size_t>(PersonField::kOrigin)] = PackRegion(info->regency_code);
    }
  }
  return w;
}

int64_t FactWitness::Value(PersonField f) const {
  const auto i = static_cast<size_t>(f);
  return SpokenValue(f, stated[i], from_nik[i]);
}

int64_t SpokenValue(PersonField f, int64_t s, int64_t n) {
  if (s == 0) return n;
  if (f == PersonField::kOrigin && n != 0 && s % 10000 == 0 &&
      InPackedRegion(static_cast<int32_t>(n), static_cast<int32_t>(s)))
    return n;
  return s;
}

uint32_t PersonFacts::disagreements() const {
  uint32_t bits = 0;
  for (int f = 0; f < kPersonFieldCount; ++f)
    if (fields[static_cast<size_t>(f)].disagreement) bits |= 1u << f;
  return bits;
}

PersonFacts ResolvePersonFacts(std::span<const FactWitness> records, uint32_t fields) {
  PersonFacts out;
  if (records.size() == 1) {  // most persons: what the record says, as it says it
    const FactWitness& r = records[0];
    for (int f = 0; f < kPersonFieldCount; ++f) {
      if (!(fields & (1u << f))) continue;
      FieldFact& fact = out.fields[static_cast<size_t>(f)];
      fact.value = r.Value(static_cast<PersonField>(f));
      fact.rule = fact.value != 0 ? FactRule::kAgreement : FactRule::kUnknown;
    }
    // Its age at exploitation reads the same birth date (stated, else the NIK's).
    out.age = r.age;
    return out;
  }
  for (int f = 0; f < kPersonFieldCount; ++f)
    if (fields & (1u << f))
      out.fields[static_cast<size_t>(f)] = Resolve(static_cast<PersonField>(f), records);
  // The earliest exploitation: the earliest incident date, else the earliest report.
  int32_t first_incident = 0, first_report = 0;
  const FactWitness* earliest_aged = nullptr;
  auto when = [](const FactWitness& r) {
    return r.incident_date != 0 ? r.incident_date : r.report_date;
  };
  for (const FactWitness& r : records) {
    if (r.incident_date != 0 && (first_incident == 0 || r.incident_date < first_incident))
      first_incident = r.incident_date;
    if (r.report_date != 0 && (first_report == 0 || r.report_date < first_report))
      first_report = r.report_date;
    if (r.age >= 0 &&
        (!earliest_aged || when(r) < when(*earliest_aged) ||
         (when(r) == when(*earliest_aged) && r.stable_key < earliest_aged->stable_key)))
      earliest_aged = &r;
  }
  const int64_t birth = out[PersonField::kBirthDate].value;
  if (birth != 0) {
    int32_t on =
        first_incident != 0 && first_incident >= birth ? first_incident : first_report;
    if (on != 0 && on >= birth) out.age = AgeOn(static_cast<int32_t>(birth), on);
  }
  if (out.age < 0 && earliest_aged) out.age = earliest_aged->age;
  if (out.age > 150) out.age = -1;
  return out;
}

std::string FactValueText(PersonField field, int64_t value) {
  if (value == 0) return "";
  switch (field) {
    case PersonField::kSex:
      return value == 1 ? "L" : "P";
    case PersonField::kBirthDate: {
      auto two = [](int64_t v) { return StrCat(v < 10 ? "0" : "", v); };
      return StrCat(value / 10000, "-", two(value / 100 % 100), "-", two(value % 100));
    }
    case PersonField::kOrigin:
      return UnpackRegion(static_cast<int32_t>(value));
    case PersonField::kNationality:
      return std::string{static_cast<char>(value >> 8), static_cast<char>(value & 0xff)};
    case PersonField::kNik: {
      std::string digits = StrCat(value);
      return std::string(16 - std::min<size_t>(16, digits.size()), '0') + digits;
    }
  }
  return "";
}

}  // namespace gugus::report
