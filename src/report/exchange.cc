#include "report/exchange.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "core/date.h"
#include "core/status.h"
#include "ingest/csv_writer.h"
#include "report/person_facts.h"
#include "report/victim.h"

namespace gugus::report {
namespace {

using ingest::Field;

// ';'-joined vocabulary codes → the codes, without empties.
std::vector<std::string_view> SplitCodes(std::string_view joined) {
  std::vector<std::string_view> out;
  while (!joined.empty()) {
    size_t end = joined.find(';');
    std::string_view code = joined.substr(0, end);
    while (!code.empty() && code.front() == ' ') code.remove_prefix(1);
    while (!code.empty() && code.back() == ' ') code.remove_suffix(1);
    if (!code.empty()) out.push_back(code);
    if (end == std::string_view::npos) break;
    joined.remove_prefix(end + 1);
  }
  return out;
}

bool IsRegionCode(std::string_view destination) {
  return !destination.empty() && destination.front() >= '0' && destination.front() <= '9';
}

// A parsed destination's country: alpha-2 as is, a Kemendagri region code → "ID".
std::string_view CountryOfDestination(std::string_view destination) {
  if (IsRegionCode(destination)) return "ID";
  return destination;
}

std::optional<Date> DateOf(std::string_view iso) {
  if (iso.empty()) return std::nullopt;
  auto d = ParseDate(iso);
  if (!d.ok()) return std::nullopt;
  return *d;
}

// The value with the most votes; "" when none or when the top is shared.
std::string Majority(const std::map<std::string, int>& votes) {
  std::string best;
  int top = 0;
  bool tie = false;
  for (const auto& [value, n] : votes) {
    if (n > top) {
      best = value;
      top = n;
      tie = false;
    } else if (n == top) {
      tie = true;
    }
  }
  return tie ? std::string() : best;
}

bool HasWarning(const ingest::ParsedRecord& record, Field field) {
  std::string_view key = ingest::Spec(field).key;
  for (const ingest::Issue& issue : record.warnings)
    if (issue.field == key) return true;
  return false;
}

// Province code ("32") and regency/city code ("32.02") of a Kemendagri code, "" for
// a level the code does not reach.
std::string_view ProvinceCode(std::string_view code) { return code.substr(0, 2); }
std::string_view RegencyCode(std::string_view code) {
  return code.size() >= 5 ? code.substr(0, 5) : std::string_view();
}

std::string_view RegionName(std::string_view code, const RegionIndex* regions) {
  if (code.empty() || !regions) return code;
  const Region* region = regions->Find(code);
  return region ? std::string_view(region->name) : code;
}

}  // namespace

// --- Person-level facts ---

VictimFacts ResolveVictim(std::span<const PersonRecord> records) {
  std::vector<const PersonRecord*> order;
  for (const PersonRecord& r : records)
    if (r.parsed) order.push_back(&r);
  // Earliest report first; a record without a report date (never stored, but the
  // function is total) last.
  std::stable_sort(order.begin(), order.end(),
                   [](const PersonRecord* a, const PersonRecord* b) {
                     const std::string& da = (*a->parsed)[Field::kReportDate];
                     const std::string& db = (*b->parsed)[Field::kReportDate];
                     if (da.empty() != db.empty()) return db.empty();
                     return da < db;
                   });

  VictimFacts f;
  f.records = static_cast<int>(order.size());
  std::set<std::string> agencies, types, exploitation, recruitment;
  std::map<std::string, int> countries;
  std::optional<Date> registered;
  std::vector<FactWitness> witnesses;
  for (const PersonRecord* r : order) {
    const ingest::ParsedRecord& p = *r->parsed;
    agencies.insert(r->agency_code);
    if (!r->agency_type.empty()) types.insert(r->agency_type);
    if (!registered) registered = DateOf(p[Field::kReportDate]);
    witnesses.push_back(WitnessOf(p, r->agency_code, r->agency_type));
    if (const std::string& d = p[Field::kDestination]; !d.empty())
      ++countries[std::string(CountryOfDestination(d))];
    for (std::string_view c : SplitCodes(p[Field::kExploitation]))
      exploitation.emplace(c);
    for (std::string_view c : SplitCodes(p[Field::kRecruitment])) recruitment.emplace(c);
  }
  // Sex, citizenship and age are the person's facts, as statistics count them.
  const PersonFacts facts = ResolvePersonFacts(witnesses);
  f.sex = FactValueText(PersonField::kSex, facts[PersonField::kSex].value);
  f.citizenship =
      FactValueText(PersonField::kNationality, facts[PersonField::kNationality].value);
  if (facts.age >= 0) f.age_at_exploitation = facts.age;
  f.agencies = static_cast<int>(agencies.size());
  f.agency_types.assign(types.begin(), types.end());
  f.exploitation.assign(exploitation.begin(), exploitation.end());
  f.recruitment.assign(recruitment.begin(), recruitment.end());
  f.country_of_exploitation = Majority(countries);

  if (registered) {
    f.registration_year = registered->year;
    for (const PersonRecord* r : order) {
      const ingest::ParsedRecord& p = *r->parsed;
      if (auto birth = DateOf(p[Field::kBirthDate])) {
        int age = AgeInYears(*birth, *registered);
        if (age < 0) continue;  // born after registration: a typo, look further
        f.age_at_registration = age;
        break;
      }
      if (p.age) {
        // The age stated at this record's report, moved back to registration.
        int later = 0;
        if (auto reported = DateOf(p[Field::kReportDate]))
          later = std::max(0, AgeInYears(*registered, *reported));
        f.age_at_registration = std::max(0, *p.age - later);
        break;
      }
    }
  }
  return f;
}

// --- HTCDS 2.0 ---

namespace {

// Exploitation codes HTCDS has no type for. Debt bondage is one of the standard's
// methods of control; recorded alone it is read as forced labour (ILO: debt bondage
// is a form of forced labour), beside another form as that form's means of control.
constexpr std::string_view kDebtBondage = "debt_bondage";

struct Picklist {
  std::string_view gugus;
  std::string_view htcds;
};

constexpr Picklist kGenders[] = {{"L", "Masculine"}, {"P", "Feminine"}};

// org_Type has no judiciary and no prosecution service: prosecutors are law
// enforcement, courts the nearest, LegalService (gugus_agency_type keeps the type).
constexpr Picklist kOrganisationTypes[] = {
    {"police", "LawEnforcement"},
    {"prosecutor", "LawEnforcement"},
    {"court", "LegalService"},
    {"pppa_unit", "LocalGovernmentOrganisation"},
    {"social_service", "LocalGovernmentOrganisation"},
    {"migrant_worker_agency", "CentralGovernmentOrganisation"},
    {"immigration", "ImmigrationService"},
    {"health", "HealthServiceOrganisation"},
    {"labour", "LocalGovernmentOrganisation"},
    {"foreign_affairs", "CentralGovernmentOrganisation"},
    {"ngo", "NGO"},
};

constexpr Picklist kExploitationTypes[] = {
    {"sexual_exploitation", "SexualExploitation"},
    {"forced_labour", "ForcedLabour"},
    {"child_labour", "ChildLabour"},
    {"domestic_servitude", "Servitude"},
    {"forced_marriage", "ForcedMarriage"},
    {"forced_criminality", "Other"},  // online-scam compounds: not in HTCDS
    {"forced_military", "ForcedMilitaryByNonStateActors"},
    {"organ_removal", "OrganRemoval"},
    {"forced_begging", "ForcedBegging"},
    {"illegal_adoption", "ForcedAdoption"},
    {"surrogacy", "Surrogacy"},
    {"other", "Other"},
};

constexpr Picklist kRecruitmentMethods[] = {
    {"social_media", "ThroughOnlineSocialNetworks"},
    {"online_job", "ThroughAnOnlineAdvertisement"},
    {"family", "ThroughFamilyOrFamilyEvents"},
    {"friend_neighbour", "ThroughFriendsOrSocialEvents"},
    {"sponsor", "Other"},
    {"recruitment_company", "Other"},
    {"intimate_partner", "Other"},
    {"other", "Other"},
};

template <size_t N>
std::string_view Lookup(const Picklist (&list)[N], std::string_view value) {
  for (const Picklist& p : list)
    if (p.gugus == value) return p.htcds;
  return {};
}

// Joins distinct values with ';' (Salesforce's multiselect picklist separator).
void AddDistinct(std::vector<std::string_view>& values, std::string_view value) {
  if (value.empty()) return;
  if (std::find(values.begin(), values.end(), value) == values.end())
    values.push_back(value);
}
std::string Join(const std::vector<std::string_view>& values) {
  std::string out;
  for (std::string_view v : values) {
    if (!out.empty()) out.push_back(';');
    out.append(v);
  }
  return out;
}

enum class Col {
  kPersonId,
  kAgency,
  kRecordId,
  kOrgName,
  kOrgType,
  kFirstName,       // identifiers
  kIdentityNumber,  // identifiers
  kMobilePhone,     // identifiers
  kMailingStreet,   // identifiers
  kGender,
  kBirthdate,
  kAgeWhenTrafficked,
  kCitizenship,
  kMailingCountry,
  kMailingState,
  kMailingCity,
  kTypeOfExploitation,
  kMethodsOfControl,
  kMethodOfRecruitment,
  kRelationshipToTrafficker,
  kEventType,
  kEventDate,
  kEventCountry,
  kEventState,
  kEventCity,
  kAgencyType,
  kReportDate,
  kCaseRef,
  kOriginRegion,
  kDestination,
  kExploitation,
  kRecruitment,
};
constexpr int kColCount = static_cast<int>(Col::kRecruitment) + 1;

struct ColumnSpec {
  std::string_view name;
  bool identifier;
};

constexpr std::array<ColumnSpec, kColCount> kColumns = {{
    {"gugus_person_id", false},
    {"gugus_agency", false},
    {"gugus_record_id", false},
    {"org_Name", false},
    {"org_Type", false},
    {"prs_FirstName", true},
    {"prs_IdentityNumber", true},
    {"prs_MobilePhone", true},
    {"prs_MailingStreet", true},
    {"prs_Gender", false},
    {"prs_Birthdate", false},
    {"vic_AgeWhenTrafficked", false},
    {"prs_Citizenship", false},
    {"prs_MailingCountry", false},
    {"prs_MailingState", false},
    {"prs_MailingCity", false},
    {"vic_TypeOfExploitation", false},
    {"vic_MethodsOfControl", false},
    {"vic_MethodOfRecruitment", false},
    {"vic_RelationshipToTrafficker", false},
    {"hte_Type", false},
    {"hte_Date", false},
    {"hte_Country", false},
    {"hte_State", false},
    {"hte_City", false},
    {"gugus_agency_type", false},
    {"gugus_report_date", false},
    {"gugus_case_ref", false},
    {"gugus_origin_region", false},
    {"gugus_destination", false},
    {"gugus_exploitation", false},
    {"gugus_recruitment", false},
}};

absl::Status WriteOut(std::ostream& out, std::string& buffer) {
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  buffer.clear();
  if (!out) return absl::DataLossError("cannot write the output");
  return absl::OkStatus();
}

}  // namespace

std::string_view HtcdsGender(std::string_view sex) {
  std::string_view g = Lookup(kGenders, sex);
  return g.empty() ? "NonSpecifiedUnknown" : g;
}
std::string_view HtcdsOrganisationType(std::string_view agency_type) {
  return Lookup(kOrganisationTypes, agency_type);
}
std::string_view HtcdsExploitationType(std::string_view code) {
  return Lookup(kExploitationTypes, code);
}
std::string_view HtcdsRecruitmentMethod(std::string_view code) {
  return Lookup(kRecruitmentMethods, code);
}

std::vector<std::string_view> HtcdsHeader(const HtcdsOptions& options) {
  std::vector<std::string_view> header;
  for (const ColumnSpec& c : kColumns)
    if (options.identifiers || !c.identifier) header.push_back(c.name);
  return header;
}

void AppendHtcdsHeader(std::string& out, const HtcdsOptions& options) {
  ingest::AppendCsvRow(out, HtcdsHeader(options));
}

void AppendHtcdsRow(std::string& out, const HtcdsSource& source,
                    const HtcdsOptions& options) {
  const ingest::ParsedRecord& p = *source.parsed;
  std::array<std::string, kColCount> v;
  auto set = [&v](Col c, std::string_view value) {
    v[static_cast<int>(c)] = std::string(value);
  };
  if (source.person_id > 0) set(Col::kPersonId, std::to_string(source.person_id));
  set(Col::kAgency, source.agency_code);
  set(Col::kRecordId, p[Field::kRecordId]);
  set(Col::kOrgName, source.agency_name);
  set(Col::kOrgType, HtcdsOrganisationType(source.agency_type));
  set(Col::kFirstName, p[Field::kName]);
  set(Col::kIdentityNumber, p[Field::kNik]);
  set(Col::kMobilePhone, p[Field::kPhone]);
  set(Col::kMailingStreet, p[Field::kAddress]);
  set(Col::kGender, HtcdsGender(p[Field::kSex]));
  set(Col::kBirthdate, p[Field::kBirthDate]);
  if (std::optional<int> age = AgeAtExploitation(p))
    set(Col::kAgeWhenTrafficked, std::to_string(*age));
  set(Col::kCitizenship,
      p[Field::kNationality].empty() && !HasWarning(p, Field::kNationality)
          ? std::string_view("ID")
          : std::string_view(p[Field::kNationality]));

  if (const std::string& origin = p[Field::kOriginRegion]; !origin.empty()) {
    set(Col::kMailingCountry, "ID");
    set(Col::kMailingState, RegionName(ProvinceCode(origin), options.regions));
    set(Col::kMailingCity, RegionName(RegencyCode(origin), options.regions));
  }

  std::vector<std::string_view> codes = SplitCodes(p[Field::kExploitation]);
  std::vector<std::string_view> types, control;
  for (std::string_view c : codes) {
    if (c == kDebtBondage)
      AddDistinct(control, "DebtBondage");
    else
      AddDistinct(types, HtcdsExploitationType(c));
  }
  if (types.empty() && !control.empty()) types.push_back("ForcedLabour");
  set(Col::kTypeOfExploitation, Join(types));
  set(Col::kMethodsOfControl, Join(control));

  std::vector<std::string_view> methods;
  bool familial = false, acquainted = false;
  for (std::string_view c : SplitCodes(p[Field::kRecruitment])) {
    AddDistinct(methods, HtcdsRecruitmentMethod(c));
    familial |= c == "family";
    acquainted |= c == "friend_neighbour" || c == "intimate_partner";
  }
  set(Col::kMethodOfRecruitment, Join(methods));
  set(Col::kRelationshipToTrafficker, familial     ? "Familial"
                                      : acquainted ? "Acquainted"
                                                   : "");

  const std::string& destination = p[Field::kDestination];
  const std::string& incident = p[Field::kIncidentDate];
  if (!destination.empty() || !incident.empty()) set(Col::kEventType, "Exploitation");
  set(Col::kEventDate, incident);
  set(Col::kEventCountry, CountryOfDestination(destination));
  if (IsRegionCode(destination)) {
    set(Col::kEventState, RegionName(ProvinceCode(destination), options.regions));
    set(Col::kEventCity, RegionName(RegencyCode(destination), options.regions));
  }

  set(Col::kAgencyType, source.agency_type);
  set(Col::kReportDate, p[Field::kReportDate]);
  set(Col::kCaseRef, p[Field::kCaseRef]);
  set(Col::kOriginRegion, p[Field::kOriginRegion]);
  set(Col::kDestination, destination);
  set(Col::kExploitation, p[Field::kExploitation]);
  set(Col::kRecruitment, p[Field::kRecruitment]);

  std::vector<std::string_view> row;
  row.reserve(kColCount);
  for (int i = 0; i < kColCount; ++i)
    if (options.identifiers || !kColumns[i].identifier) row.push_back(v[i]);
  ingest::AppendCsvRow(out, row);
}

absl::Status WriteHtcdsCsv(std::span<const HtcdsSource> sources,
                           const HtcdsOptions& options, std::ostream& out) {
  std::string buffer;
  AppendHtcdsHeader(buffer, options);
  for (const HtcdsSource& s : sources) {
    AppendHtcdsRow(buffer, s, options);
    if (buffer.size() > (1 << 16)) GUGUS_RETURN_IF_ERROR(WriteOut(out, buffer));
  }
  return WriteOut(out, buffer);
}

// --- CTDC ---

namespace {

enum class Ctdc : int {
  kYearOfRegistration,
  kDatasource,
  kGender,
  kAgeBroad,
  kMajorityStatus,
  kMajorityStatusAtExploit,
  kCitizenship,
  kMeansOfControlDebtBondage,
  kIsForcedLabour,
  kIsSexualExploit,
  kIsOtherExploit,
  kIsSexAndLabour,
  kIsForcedMarriage,
  kIsForcedMilitary,
  kIsOrganRemoval,
  kTypeOfExploitConcatenated,
  kTypeOfLabourBegging,
  kTypeOfLabourDomesticWork,
  kTypeOfLabourIllicitActivities,
  kCountryOfExploitation,
  kRecruiterRelationIntimatePartner,
  kRecruiterRelationFriend,
  kRecruiterRelationFamily,
  kRecruiterRelationOther,
  kRecruiterRelationUnknown,
};
constexpr int kCtdcCount = static_cast<int>(Ctdc::kRecruiterRelationUnknown) + 1;

// In the order of the data dictionary's Main sheet.
constexpr std::array<std::string_view, kCtdcCount> kCtdcNames = {
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "citizenship",
    "meansOfControlDebtBondage",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "typeOfExploitConcatenated",
    "typeOfLabourBegging",
    "typeOfLabourDomesticWork",
    "typeOfLabourIllicitActivities",
    "CountryOfExploitation",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
    "recruiterRelationUnknown",
};

// The columns each generalisation step suppresses, in CtdcQuasi order.
const std::vector<Ctdc>& StepColumns(int step) {
  static const auto* steps = new std::array<std::vector<Ctdc>, kCtdcQuasiCount>{{
      {Ctdc::kAgeBroad},
      {Ctdc::kCountryOfExploitation},
      {Ctdc::kCitizenship},
      {Ctdc::kYearOfRegistration},
      {Ctdc::kGender},
      {Ctdc::kMajorityStatus, Ctdc::kMajorityStatusAtExploit},
  }};
  return (*steps)[step];
}

// Every quasi-identifying column: an equivalence class is a combination of these.
constexpr Ctdc kQuasiColumns[] = {
    Ctdc::kYearOfRegistration,
    Ctdc::kGender,
    Ctdc::kAgeBroad,
    Ctdc::kMajorityStatus,
    Ctdc::kMajorityStatusAtExploit,
    Ctdc::kCitizenship,
    Ctdc::kCountryOfExploitation,
};

using CtdcRow = std::array<std::string, kCtdcCount>;

std::string& At(CtdcRow& row, Ctdc c) { return row[static_cast<int>(c)]; }

std::string Flag(bool known, bool value) {
  if (!known) return std::string(kCtdcMissing);
  return value ? "1" : "0";
}

std::string MajorityStatus(std::optional<int> age) {
  if (!age || *age < 0) return std::string(kCtdcMissing);
  return *age >= kAdultAge ? "Adult" : "Minor";
}

CtdcRow MakeCtdcRow(const VictimFacts& f) {
  CtdcRow row;
  auto known = [](std::string_view v) {
    return v.empty() ? std::string(kCtdcMissing) : std::string(v);
  };
  At(row, Ctdc::kYearOfRegistration) = f.registration_year > 0
                                           ? std::to_string(f.registration_year)
                                           : std::string(kCtdcMissing);
  // The dictionary's Datasource lookup value for case-management systems.
  At(row, Ctdc::kDatasource) = "Case management";
  At(row, Ctdc::kGender) = f.sex == "L"   ? "Male"
                           : f.sex == "P" ? "Female"
                                          : std::string(kCtdcMissing);
  int band = f.age_at_registration ? AgeBand(*f.age_at_registration) : -1;
  At(row, Ctdc::kAgeBroad) = known(CtdcAgeBandLabel(band));
  At(row, Ctdc::kMajorityStatus) = MajorityStatus(f.age_at_registration);
  At(row, Ctdc::kMajorityStatusAtExploit) = MajorityStatus(f.age_at_exploitation);
  At(row, Ctdc::kCitizenship) = known(f.citizenship);
  At(row, Ctdc::kCountryOfExploitation) = known(f.country_of_exploitation);

  auto has = [&f](std::string_view code) {
    return std::find(f.exploitation.begin(), f.exploitation.end(), code) !=
           f.exploitation.end();
  };
  bool exploitation_known = !f.exploitation.empty();
  bool debt = has(kDebtBondage);
  bool begging = has("forced_begging"), domestic = has("domestic_servitude"),
       criminality = has("forced_criminality");
  bool labour = has("forced_labour") || has("child_labour") || begging || domestic ||
                criminality || (debt && f.exploitation.size() == 1);
  bool sexual = has("sexual_exploitation");
  bool marriage = has("forced_marriage"), military = has("forced_military"),
       organ = has("organ_removal");
  bool other = has("illegal_adoption") || has("surrogacy") || has("other");
  At(row, Ctdc::kMeansOfControlDebtBondage) = debt ? "1" : std::string(kCtdcMissing);
  At(row, Ctdc::kIsForcedLabour) = Flag(exploitation_known, labour);
  At(row, Ctdc::kIsSexualExploit) = Flag(exploitation_known, sexual);
  At(row, Ctdc::kIsOtherExploit) = Flag(exploitation_known, other);
  At(row, Ctdc::kIsSexAndLabour) = Flag(exploitation_known, sexual && labour);
  At(row, Ctdc::kIsForcedMarriage) = Flag(exploitation_known, marriage);
  At(row, Ctdc::kIsForcedMilitary) = Flag(exploitation_known, military);
  At(row, Ctdc::kIsOrganRemoval) = Flag(exploitation_known, organ);
  // CTDC's descriptions, in alphabetical order.
  std::vector<std::string_view> types;
  if (labour) types.push_back("Forced labour");
  if (marriage) types.push_back("Forced marriage");
  if (military) types.push_back("Forced military");
  if (organ) types.push_back("Organ removal");
  if (other) types.push_back("Other");
  if (sexual) types.push_back("Sexual exploitation");
  At(row, Ctdc::kTypeOfExploitConcatenated) =
      types.empty() ? std::string(kCtdcMissing) : Join(types);
  // gugus does not ask for the type of labour: only what was recorded is 1.
  At(row, Ctdc::kTypeOfLabourBegging) = begging ? "1" : std::string(kCtdcMissing);
  At(row, Ctdc::kTypeOfLabourDomesticWork) = domestic ? "1" : std::string(kCtdcMissing);
  At(row, Ctdc::kTypeOfLabourIllicitActivities) =
      criminality ? "1" : std::string(kCtdcMissing);

  auto recruited = [&f](std::string_view code) {
    return std::find(f.recruitment.begin(), f.recruitment.end(), code) !=
           f.recruitment.end();
  };
  // Channels (social media, job sites) and "other" say nothing about who recruited.
  bool partner = recruited("intimate_partner"), friend_ = recruited("friend_neighbour"),
       family = recruited("family"),
       broker = recruited("sponsor") || recruited("recruitment_company");
  bool relation_known = partner || friend_ || family || broker;
  At(row, Ctdc::kRecruiterRelationIntimatePartner) = Flag(relation_known, partner);
  At(row, Ctdc::kRecruiterRelationFriend) = Flag(relation_known, friend_);
  At(row, Ctdc::kRecruiterRelationFamily) = Flag(relation_known, family);
  At(row, Ctdc::kRecruiterRelationOther) = Flag(relation_known, broker);
  At(row, Ctdc::kRecruiterRelationUnknown) = relation_known ? "0" : "1";
  return row;
}

std::string ClassKey(const CtdcRow& row) {
  std::string key;
  for (Ctdc c : kQuasiColumns) {
    key.append(row[static_cast<int>(c)]);
    key.push_back('\x1f');
  }
  return key;
}

// How many rows share each row's combination of quasi-identifiers.
std::vector<int64_t> ClassSizes(const std::vector<CtdcRow>& rows) {
  absl::flat_hash_map<std::string, int64_t> sizes;
  std::vector<std::string> keys;
  keys.reserve(rows.size());
  for (const CtdcRow& row : rows) ++sizes[keys.emplace_back(ClassKey(row))];
  std::vector<int64_t> out;
  out.reserve(rows.size());
  for (const std::string& key : keys) out.push_back(sizes[key]);
  return out;
}

}  // namespace

std::string_view CtdcQuasiName(CtdcQuasi q) {
  constexpr std::array<std::string_view, kCtdcQuasiCount> kNames = {
      "ageBroad", "CountryOfExploitation", "citizenship", "yearOfRegistration",
      "gender",   "majorityStatus"};
  int i = static_cast<int>(q);
  return i >= 0 && i < kCtdcQuasiCount ? kNames[i] : std::string_view();
}

int64_t CtdcReport::suppressed_total() const {
  int64_t total = 0;
  for (int64_t n : suppressed) total += n;
  return total;
}

std::vector<std::string_view> CtdcHeader() {
  return std::vector<std::string_view>(kCtdcNames.begin(), kCtdcNames.end());
}

absl::StatusOr<CtdcReport> WriteCtdcCsv(std::span<const VictimFacts> persons, int k,
                                        std::ostream& out) {
  if (k < 1) return absl::InvalidArgumentError("k must be at least 1");
  CtdcReport report;
  report.persons = static_cast<int64_t>(persons.size());
  std::vector<CtdcRow> rows;
  rows.reserve(persons.size());
  for (const VictimFacts& f : persons) rows.push_back(MakeCtdcRow(f));

  // Generalise step by step: in every class still smaller than k, suppress the next
  // quasi-identifier, then count the classes again. Rows only ever leave small
  // classes, so a class of k or more stays one.
  for (int step = 0; step < kCtdcQuasiCount; ++step) {
    std::vector<int64_t> sizes = ClassSizes(rows);
    for (size_t i = 0; i < rows.size(); ++i) {
      if (sizes[i] >= k) continue;
      for (Ctdc c : StepColumns(step)) {
        std::string& value = At(rows[i], c);
        if (value == kCtdcMissing) continue;
        value = std::string(kCtdcMissing);
        ++report.suppressed[step];
      }
    }
  }
  // What is still in a small class cannot be hidden any further: drop it. A class
  // is dropped whole, so every class that stays has k rows or more.
  std::vector<int64_t> sizes = ClassSizes(rows);
  std::vector<std::string> lines;
  lines.reserve(rows.size());
  std::vector<std::string_view> fields(kCtdcCount);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (sizes[i] < k) {
      ++report.dropped;
      continue;
    }
    for (int c = 0; c < kCtdcCount; ++c) fields[c] = rows[i][c];
    std::string line;
    ingest::AppendCsvRow(line, fields);
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  report.rows = static_cast<int64_t>(lines.size());

  std::string buffer;
  ingest::AppendCsvRow(buffer, CtdcHeader());
  for (const std::string& line : lines) {
    buffer.append(line);
    if (buffer.size() > (1 << 16)) GUGUS_RETURN_IF_ERROR(WriteOut(out, buffer));
  }
  GUGUS_RETURN_IF_ERROR(WriteOut(out, buffer));
  out.flush();
  if (!out) return absl::DataLossError("cannot write the output");
  return report;
}

}  // namespace gugus::report
