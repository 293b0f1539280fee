#include "report/cube.h"

#include <algorithm>
#include <array>
#include <climits>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "core/strcat.h"
#include "core/vocabulary.h"
#include "report/victim.h"

namespace gugus::report {
namespace {

struct DimInfo {
  Dim dim;
  std::string_view name;
};

constexpr std::array<DimInfo, 15> kDims = {{
    {Dim::kOriginProvince, "origin_province"},
    {Dim::kOriginRegency, "origin_regency"},
    {Dim::kAgencyProvince, "agency_province"},
    {Dim::kAgencyRegency, "agency_regency"},
    {Dim::kAgency, "agency"},
    {Dim::kAgencyType, "agency_type"},
    {Dim::kReportYear, "report_year"},
    {Dim::kReportMonth, "report_month"},
    {Dim::kIncidentYear, "incident_year"},
    {Dim::kSex, "sex"},
    {Dim::kAgeGroup, "age_group"},
    {Dim::kChild, "child"},
    {Dim::kExploitation, "exploitation"},
    {Dim::kRecruitment, "recruitment"},
    {Dim::kDestination, "destination"},
}};

constexpr std::array<Dim, 15> kAllDims = {
    Dim::kOriginProvince, Dim::kOriginRegency, Dim::kAgencyProvince, Dim::kAgencyRegency,
    Dim::kAgency,         Dim::kAgencyType,    Dim::kReportYear,     Dim::kReportMonth,
    Dim::kIncidentYear,   Dim::kSex,           Dim::kAgeGroup,       Dim::kChild,
    Dim::kExploitation,   Dim::kRecruitment,   Dim::kDestination};

using Keys = absl::InlinedVector<int64_t, 4>;
constexpr int64_t kUnknownKey = -1;

// Province and regency parts of a packed region; kUnknownKey when not that precise.
int64_t ProvinceOf(int32_t packed) { return packed > 0 ? packed / 10000 : kUnknownKey; }
int64_t RegencyOf(int32_t packed) {
  return packed > 0 && packed % 10000 != 0 ? packed / 100 : kUnknownKey;
}

void Bits(uint32_t mask, Keys& out) {
  for (int i = 0; mask != 0; ++i, mask >>= 1)
    if (mask & 1u) out.push_back(i);
  if (out.empty()) out.push_back(kUnknownKey);
}

// A person's single-valued facts as the cube counts them.
struct Subject {
  int32_t origin = 0;  // packed; 0 = unknown
  int16_t age = -1;
  int8_t sex = 0;
};

// A person of one record: what the record says (ResolvePersonFacts's answer, without
// building a witness for the most common case).
Subject SubjectOf(const Fact& f) {
  Subject s;
  s.origin =
      static_cast<int32_t>(SpokenValue(PersonField::kOrigin, f.origin, f.nik_origin));
  s.sex = static_cast<int8_t>(SpokenValue(PersonField::kSex, f.sex, f.nik_sex));
  s.age = f.age;
  return s;
}

Subject SubjectOf(const PersonFacts& p) {
  Subject s;
  s.origin = static_cast<int32_t>(p[PersonField::kOrigin].value);
  s.sex = static_cast<int8_t>(p[PersonField::kSex].value);
  s.age = static_cast<int16_t>(p.age);
  return s;
}

// The raw keys of a fact of a person in a dimension: integers whose numeric order is
// the order the values are shown in (kUnknownKey last). Several for multi-valued
// dimensions.
void RawKeys(Dim dim, const Fact& f, const Subject& person, const AgencyInfo& agency,
             int64_t agency_type, Keys& out) {
  out.clear();
  switch (dim) {
    case Dim::kOriginProvince:
      out.push_back(ProvinceOf(person.origin));
      return;
    case Dim::kOriginRegency:
      out.push_back(RegencyOf(person.origin));
      return;
    case Dim::kAgencyProvince:
      out.push_back(ProvinceOf(agency.region));
      return;
    case Dim::kAgencyRegency:
      out.push_back(RegencyOf(agency.region));
      return;
    case Dim::kAgency:
      out.push_back(f.agency);
      return;
    case Dim::kAgencyType:
      out.push_back(agency_type);
      return;
    case Dim::kReportYear:
      out.push_back(f.report_date / 10000);
      return;
    case Dim::kReportMonth:
      out.push_back(f.report_date / 100);
      return;
    case Dim::kIncidentYear:
      out.push_back(f.incident_date > 0 ? f.incident_date / 10000 : kUnknownKey);
      return;
    case Dim::kSex:
      out.push_back(person.sex == 1 || person.sex == 2 ? person.sex : kUnknownKey);
      return;
    case Dim::kAgeGroup:
      out.push_back(person.age >= 0 ? AgeBand(person.age) : kUnknownKey);
      return;
    case Dim::kChild:
      out.push_back(person.age < 0 ? kUnknownKey : person.age < kAdultAge ? 0 : 1);
      return;
    case Dim::kExploitation:
      Bits(f.exploitation, out);
      return;
    case Dim::kRecruitment:
      Bits(f.recruitment, out);
      return;
    case Dim::kDestination:
      out.push_back(f.destination >= 0 ? f.destination : kUnknownKey);
  }
}

std::string TermCode(Vocabulary vocabulary, int64_t bit) {
  const auto& terms = Terms(vocabulary);
  return bit >= 0 && bit < static_cast<int64_t>(terms.size())
             ? std::string(terms[bit].code)
             : std::string(kUnknown);
}

std::string Code(Dim dim, int64_t key, const FactSet& facts,
                 const std::vector<std::string>& types) {
  if (key == kUnknownKey) return std::string(kUnknown);
  auto two = [](int64_t v) { return StrCat(v < 10 ? "0" : "", v); };
  switch (dim) {
    case Dim::kOriginProvince:
    case Dim::kAgencyProvince:
      return two(key);
    case Dim::kOriginRegency:
    case Dim::kAgencyRegency:
      return StrCat(two(key / 100), ".", two(key % 100));
    case Dim::kAgency:
      return facts.agencies[key].code;
    case Dim::kAgencyType:
      return types[key];
    case Dim::kReportYear:
    case Dim::kIncidentYear:
      return StrCat(key);
    case Dim::kReportMonth:
      return StrCat(key / 100, "-", two(key % 100));
    case Dim::kSex:
      return key == 1 ? "L" : "P";
    case Dim::kAgeGroup:
      return std::string(AgeBandLabel(static_cast<int>(key)));
    case Dim::kChild:
      return key == 0 ? "child" : "adult";
    case Dim::kExploitation:
      return TermCode(Vocabulary::kExploitation, key);
    case Dim::kRecruitment:
      return TermCode(Vocabulary::kRecruitment, key);
    case Dim::kDestination:
      return facts.destinations[key];
  }
  return std::string(kUnknown);
}

// Orders cells by key with each dimension's total after its values.
int Rank(int v) { return v == kTotal ? INT_MAX : v; }
bool KeyLess(std::span<const int> a, std::span<const int> b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return Rank(a[i]) < Rank(b[i]);
  return false;
}

// Counts distinct members of groups (records, persons, cases) into every level of
// the cube. A group contributes once to each cell any of its interior cells project
// to.
class CubeCounter {
 public:
  explicit CubeCounter(std::vector<int64_t> radix) : radix_(std::move(radix)) {
    stride_.assign(radix_.size(), 1);
    for (size_t d = radix_.size(); d-- > 1;) stride_[d - 1] = stride_[d] * radix_[d];
    size_ = radix_.empty() ? 1 : stride_[0] * radix_[0];
    masks_ = size_t{1} << radix_.size();
  }
  int64_t size() const { return size_; }

  // Adds one group made of these interior cells (duplicates allowed) to `counts`.
  void Add(std::span<const int64_t> cells, std::vector<int64_t>& counts) {
    if (cells.size() == 1) {
      Projections(cells[0], proj_);
      for (size_t m = 0; m < masks_; ++m) ++counts[proj_[m]];
      return;
    }
    all_.resize(cells.size() * masks_);
    for (size_t i = 0; i < cells.size(); ++i) {
      Projections(cells[i], proj_);
      for (size_t m = 0; m < masks_; ++m) all_[m * cells.size() + i] = proj_[m];
    }
    for (size_t m = 0; m < masks_; ++m) {
      auto first = all_.begin() + static_cast<std::ptrdiff_t>(m * cells.size());
      auto last = first + static_cast<std::ptrdiff_t>(cells.size());
      std::sort(first, last);
      for (auto it = first; it != last; ++it)
        if (it == first || *it != *(it - 1)) ++counts[*it];
    }
  }

  // How far apart two cells that differ by one value of dimension d lie.
  int64_t Stride(size_t d) const { return stride_[d]; }
  // The cell's digit in dimension d (radix-1 = total).
  int64_t Digit(int64_t cell, size_t d) const { return cell / stride_[d] % radix_[d]; }

 private:
  // The cell's projection onto every level: mask bit d set = dimension d totalled.
  // Each mask adds one dimension's step to a smaller mask's projection.
  void Projections(int64_t cell, std::vector<int64_t>& out) const {
    out.resize(masks_);
    out[0] = cell;
    for (size_t m = 1; m < masks_; ++m) {
      const size_t d = static_cast<size_t>(__builtin_ctzll(m));
      out[m] = out[m & (m - 1)] + (radix_[d] - 1 - Digit(cell, d)) * stride_[d];
    }
  }

  std::vector<int64_t> radix_, stride_;
  int64_t size_ = 1;
  size_t masks_ = 1;
  std::vector<int64_t> proj_, all_;
};

// "a, b,,c" → {"a", "b", "c"}: names between commas, spaces trimmed, empties dropped.
std::vector<std::string> SplitList(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view part = list.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

uint32_t Mask(Vocabulary vocabulary, const std::string& codes) {
  const auto& terms = Terms(vocabulary);
  uint32_t mask = 0;
  for (const std::string& code : SplitList(codes)) {
    std::string_view c = code;
    if (!c.empty() && c.back() == ';') c.remove_suffix(1);
    for (size_t i = 0; i < terms.size() && i < 32; ++i)
      if (terms[i].code == c) mask |= 1u << i;
  }
  return mask;
}

// FNV-1a: a stable 64-bit hash (stored, so it must not change between runs).
int64_t CaseKey(int64_t agency_id, std::string_view case_ref) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](unsigned char c) {
    h ^= c;
    h *= 1099511628211ull;
  };
  for (int i = 0; i < 8; ++i) mix(static_cast<unsigned char>(agency_id >> (8 * i)));
  bool any = false;
  for (char c : case_ref) {
    if (c == ' ' || c == '\t') continue;
    mix(static_cast<unsigned char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
    any = true;
  }
  if (!any) return 0;
  return h == 0 ? 1 : static_cast<int64_t>(h);
}

// Calls visit(group, resolve) for each person with a record `filter`'s region and
// agency accept: `group` the indices of those records, `resolve()` the `fields` of
// the person they give (ResolvePersonFacts), computed only when called. Dates do
// not matter: a person's facts come from all its records.
template <typename Visit>
void ForEachPerson(const FactSet& facts, const FactFilter& filter, uint32_t fields,
                   Visit&& visit) {
  FactFilter scope = filter;
  scope.from = scope.to = 0;
  const std::vector<uint32_t> order = PersonOrder(facts, scope);
  std::vector<FactWitness> witnesses;
  for (size_t at = 0; at < order.size();) {
    const size_t begin = at;
    const int64_t person = facts.facts[order[at]].person;
    while (at < order.size() && facts.facts[order[at]].person == person) ++at;
    const std::span<const uint32_t> group(order.data() + begin, at - begin);
    visit(group, [&] {
      witnesses.clear();
      for (uint32_t i : group) {
        const Fact& f = facts.facts[i];
        witnesses.push_back(WitnessOf(f, facts.agencies[f.agency].type));
      }
      return ResolvePersonFacts(witnesses, fields);
    });
  }
}

bool InPeriod(const FactFilter& filter, const Fact& f) {
  return (filter.from == 0 || f.report_date >= filter.from) &&
         (filter.to == 0 || f.report_date <= filter.to);
}

}  // namespace

FactWitness WitnessOf(const Fact& f, std::string_view agency_type) {
  FactWitness w;
  auto set = [&](PersonField field, int64_t stated, int64_t from_nik) {
    w.stated[static_cast<size_t>(field)] = stated;
    w.from_nik[static_cast<size_t>(field)] = from_nik;
  };
  set(PersonField::kSex, f.sex, f.nik_sex);
  set(PersonField::kBirthDate, f.birth_date, f.nik_birth);
  set(PersonField::kOrigin, f.origin, f.nik_origin);
  set(PersonField::kNik, f.nik, 0);
  w.agency_type = agency_type;
  w.report_date = f.report_date;
  w.incident_date = f.incident_date;
  w.age = f.age;
  w.stable_key = f.stable_key;
  return w;
}

RecordFact FactOf(const ingest::ParsedRecord& record, int64_t agency_id,
                  std::string_view agency_code) {
  using ingest::Field;
  RecordFact out;
  Fact& f = out.fact;
  f.case_key = CaseKey(agency_id, record[Field::kCaseRef]);
  const FactWitness w = WitnessOf(record, agency_code, "");
  auto stated = [&](PersonField field) { return w.stated[static_cast<size_t>(field)]; };
  auto encoded = [&](PersonField field) {
    return w.from_nik[static_cast<size_t>(field)];
  };
  f.report_date = w.report_date;
  f.incident_date = w.incident_date;
  f.origin = static_cast<int32_t>(stated(PersonField::kOrigin));
  f.sex = static_cast<int8_t>(stated(PersonField::kSex));
  f.age = w.age;
  f.birth_date = static_cast<int32_t>(stated(PersonField::kBirthDate));
  f.nik = stated(PersonField::kNik);
  f.nik_sex = static_cast<int8_t>(encoded(PersonField::kSex));
  f.nik_birth = static_cast<int32_t>(encoded(PersonField::kBirthDate));
  f.nik_origin = static_cast<int32_t>(encoded(PersonField::kOrigin));
  f.stable_key = w.stable_key;
  // Vocabulary codes are stored ';'-joined; SplitList splits on commas.
  std::string exploitation = record[Field::kExploitation],
              recruitment = record[Field::kRecruitment];
  std::replace(exploitation.begin(), exploitation.end(), ';', ',');
  std::replace(recruitment.begin(), recruitment.end(), ';', ',');
  f.exploitation = Mask(Vocabulary::kExploitation, exploitation);
  f.recruitment = Mask(Vocabulary::kRecruitment, recruitment);
  const std::string& destination = record[Field::kDestination];
  if (!destination.empty())
    out.destination = destination[0] >= '0' && destination[0] <= '9' ? "ID" : destination;
  return out;
}

int32_t PackRegion(std::string_view code) {
  int32_t parts[3] = {0, 0, 0};
  size_t part = 0;
  int digits = 0;
  for (char c : code) {
    if (c == '.') {
      if (digits == 0 || ++part >= 3) break;
      digits = 0;
      continue;
    }
    if (c < '0' || c > '9' || digits >= 2) return part > 0 ? parts[0] * 10000 : 0;
    parts[part] = parts[part] * 10 + (c - '0');
    ++digits;
  }
  if (parts[0] <= 0) return 0;
  return parts[0] * 10000 + parts[1] * 100 + parts[2];
}

std::string UnpackRegion(int32_t packed) {
  if (packed <= 0) return "";
  auto two = [](int v) { return StrCat(v < 10 ? "0" : "", v); };
  std::string code = two(packed / 10000);
  if (packed % 10000 != 0) code += StrCat(".", two(packed / 100 % 100));
  if (packed % 100 != 0) code += StrCat(".", two(packed % 100));
  return code;
}

bool InPackedRegion(int32_t packed, int32_t root) {
  if (root == 0) return true;
  if (packed <= 0) return false;
  if (root % 100 != 0) return packed == root;                // district
  if (root % 10000 != 0) return packed / 100 == root / 100;  // regency
  return packed / 10000 == root / 10000;                     // province
}

std::span<const Dim> AllDims() { return kAllDims; }

std::string_view DimName(Dim dim) {
  for (const auto& d : kDims)
    if (d.dim == dim) return d.name;
  return "";
}

std::optional<Dim> ParseDim(std::string_view name) {
  for (const auto& d : kDims)
    if (d.name == name) return d.dim;
  return std::nullopt;
}

absl::StatusOr<std::vector<Dim>> ParseDims(std::string_view list) {
  std::vector<Dim> dims;
  for (const std::string& part : SplitList(list)) {
    const std::string& name = part;
    auto dim = ParseDim(name);
    if (!dim) {
      std::string known;
      for (const auto& d : kDims) known += StrCat(known.empty() ? "" : ", ", d.name);
      return absl::InvalidArgumentError(
          StrCat("unknown dimension '", name.substr(0, 40), "'; known: ", known));
    }
    if (std::find(dims.begin(), dims.end(), *dim) != dims.end())
      return absl::InvalidArgumentError(StrCat("dimension '", name, "' given twice"));
    dims.push_back(*dim);
  }
  if (dims.size() > kMaxDims)
    return absl::InvalidArgumentError(
        StrCat("at most ", kMaxDims, " dimensions at a time"));
  return dims;
}

bool FactFilter::Accepts(const Fact& fact, const AgencyInfo& agency) const {
  if (from != 0 && fact.report_date < from) return false;
  if (to != 0 && fact.report_date > to) return false;
  if (agency_id > 0 && agency.id != agency_id) return false;
  if (region == 0) return true;
  return InPackedRegion(agency.region, region) ||
         (by_origin && InPackedRegion(fact.origin, region));
}

std::vector<uint32_t> PersonOrder(const FactSet& facts, const FactFilter& filter) {
  std::vector<uint32_t> order;
  order.reserve(facts.facts.size());
  for (uint32_t i = 0; i < facts.facts.size(); ++i) {
    const Fact& f = facts.facts[i];
    if (filter.Accepts(f, facts.agencies[f.agency])) order.push_back(i);
  }
  auto by_person = [&](uint32_t a, uint32_t b) {
    return facts.facts[a].person < facts.facts[b].person;
  };
  if (!std::is_sorted(order.begin(), order.end(), by_person))
    std::stable_sort(order.begin(), order.end(), by_person);
  return order;
}

bool StatCell::interior() const {
  return std::find(key.begin(), key.end(), kTotal) == key.end();
}

const StatCell* StatTable::Find(std::span<const int> key) const {
  auto it = std::lower_bound(
      cells.begin(), cells.end(), key,
      [](const StatCell& c, std::span<const int> k) { return KeyLess(c.key, k); });
  if (it == cells.end() || KeyLess(key, it->key)) return nullptr;
  return &*it;
}

std::vector<Disagreement> FindDisagreements(const FactSet& facts,
                                            const FactFilter& filter) {
  constexpr uint32_t kListed =
      FieldBit(PersonField::kSex) | FieldBit(PersonField::kBirthDate) |
      FieldBit(PersonField::kOrigin) | FieldBit(PersonField::kNik);
  std::vector<Disagreement> out;
  ForEachPerson(facts, filter, kListed,
                [&](std::span<const uint32_t> group, const auto& resolve) {
                  if (group.size() < 2) return;  // one record cannot disagree
                  const uint32_t fields = resolve().disagreements() & kListed;
                  if (fields == 0) return;
                  Disagreement d;
                  bool in_period = false;
                  for (uint32_t i : group) {
                    const Fact& f = facts.facts[i];
                    in_period = in_period || InPeriod(filter, f);
                    d.last_report = std::max(d.last_report, f.report_date);
                  }
                  if (!in_period) return;
                  d.person = facts.facts[group[0]].person;
                  d.fields = fields;
                  d.records = static_cast<int>(group.size());
                  out.push_back(d);
                });
  std::sort(out.begin(), out.end(), [](const Disagreement& a, const Disagreement& b) {
    if (a.last_report != b.last_report) return a.last_report > b.last_report;
    return a.person < b.person;
  });
  return out;
}

absl::StatusOr<StatTable> Tabulate(const FactSet& facts, std::span<const Dim> dims,
                                   const FactFilter& filter) {
  if (dims.size() > kMaxDims)
    return absl::InvalidArgumentError(
        StrCat("at most ", kMaxDims, " dimensions at a time"));
  const size_t n = dims.size();

  // Agency types as small integers, in name order.
  std::vector<std::string> types;
  for (const auto& a : facts.agencies) types.push_back(a.type);
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  std::vector<int64_t> type_of;
  for (const auto& a : facts.agencies)
    type_of.push_back(std::lower_bound(types.begin(), types.end(), a.type) -
                      types.begin());

  // The facts that count, grouped by person, each with its person's facts.
  struct Counted {
    uint32_t fact;
    Subject person;
  };
  std::vector<Counted> order;
  order.reserve(facts.facts.size());
  ForEachPerson(facts, filter,
                FieldBit(PersonField::kSex) | FieldBit(PersonField::kBirthDate) |
                    FieldBit(PersonField::kOrigin),
                [&](std::span<const uint32_t> group, const auto& resolve) {
                  const Subject subject = group.size() == 1
                                              ? SubjectOf(facts.facts[group[0]])
                                              : SubjectOf(resolve());
                  for (uint32_t i : group)
                    if (InPeriod(filter, facts.facts[i])) order.push_back({i, subject});
                });

  // Each dimension's values: the raw keys seen, in order, then a dense index.
  std::vector<std::vector<int64_t>> raw(n);
  std::vector<absl::flat_hash_map<int64_t, int>> dense(n);
  Keys keys;
  for (size_t d = 0; d < n; ++d) {
    absl::flat_hash_set<int64_t> seen;
    for (const Counted& c : order) {
      const Fact& f = facts.facts[c.fact];
      RawKeys(dims[d], f, c.person, facts.agencies[f.agency], type_of[f.agency], keys);
      seen.insert(keys.begin(), keys.end());
    }
    raw[d].assign(seen.begin(), seen.end());
    // Numeric order, unknown last.
    std::sort(raw[d].begin(), raw[d].end(), [](int64_t a, int64_t b) {
      return static_cast<uint64_t>(a) < static_cast<uint64_t>(b);
    });
    for (size_t v = 0; v < raw[d].size(); ++v) dense[d][raw[d][v]] = static_cast<int>(v);
  }

  std::vector<int64_t> radix(n);
  int64_t size = 1;
  for (size_t d = 0; d < n; ++d) {
    radix[d] = static_cast<int64_t>(raw[d].size()) + 1;  // + the total
    size *= radix[d];
    if (size > kMaxCells)
      return absl::InvalidArgumentError(
          "too many combinations of values; ask for fewer dimensions or narrow the "
          "region or period");
  }
  CubeCounter cube(radix);
  std::vector<int64_t> records(size), persons(size), cases(size);

  // The interior cells of one fact: the product of its values in each dimension.
  std::vector<Keys> dim_values(n);
  std::vector<int64_t> fact_cells, person_cells;
  std::vector<std::pair<int64_t, int64_t>> case_cells;  // (case key, cell)
  auto cells_of = [&](const Fact& f, const Subject& person) {
    fact_cells.assign(1, 0);
    for (size_t d = 0; d < n; ++d) {
      RawKeys(dims[d], f, person, facts.agencies[f.agency], type_of[f.agency],
              dim_values[d]);
      size_t before = fact_cells.size();
      for (size_t j = 1; j < dim_values[d].size(); ++j)
        for (size_t c = 0; c < before; ++c) fact_cells.push_back(fact_cells[c]);
      for (size_t j = 0; j < dim_values[d].size(); ++j) {
        int64_t offset = dense[d].at(dim_values[d][j]) * cube.Stride(d);
        for (size_t c = 0; c < before; ++c) fact_cells[j * before + c] += offset;
      }
    }
  };

  for (size_t at = 0; at < order.size();) {
    const int64_t person = facts.facts[order[at].fact].person;
    person_cells.clear();
    for (; at < order.size() && facts.facts[order[at].fact].person == person; ++at) {
      const Fact& f = facts.facts[order[at].fact];
      cells_of(f, order[at].person);
      cube.Add(fact_cells, records);
      person_cells.insert(person_cells.end(), fact_cells.begin(), fact_cells.end());
      if (f.case_key != 0)
        for (int64_t c : fact_cells) case_cells.emplace_back(f.case_key, c);
    }
    std::sort(person_cells.begin(), person_cells.end());
    person_cells.erase(std::unique(person_cells.begin(), person_cells.end()),
                       person_cells.end());
    cube.Add(person_cells, persons);
  }
  std::sort(case_cells.begin(), case_cells.end());
  for (size_t at = 0; at < case_cells.size();) {
    person_cells.clear();
    const int64_t key = case_cells[at].first;
    for (; at < case_cells.size() && case_cells[at].first == key; ++at)
      if (person_cells.empty() || person_cells.back() != case_cells[at].second)
        person_cells.push_back(case_cells[at].second);
    cube.Add(person_cells, cases);
  }

  StatTable table;
  table.dims.assign(dims.begin(), dims.end());
  table.values.resize(n);
  for (size_t d = 0; d < n; ++d)
    for (int64_t key : raw[d])
      table.values[d].push_back(Code(dims[d], key, facts, types));
  for (int64_t c = 0; c < size; ++c) {
    if (records[c] == 0) continue;
    StatCell cell;
    cell.key.resize(n);
    for (size_t d = 0; d < n; ++d) {
      int64_t digit = cube.Digit(c, d);
      cell.key[d] = digit == radix[d] - 1 ? kTotal : static_cast<int>(digit);
    }
    cell.records = records[c];
    cell.persons = persons[c];
    cell.cases = cases[c];
    table.cells.push_back(std::move(cell));
  }
  // The flat order puts each total after its values already; keep it explicit.
  std::sort(table.cells.begin(), table.cells.end(),
            [](const StatCell& a, const StatCell& b) { return KeyLess(a.key, b.key); });
  return table;
}

}  // namespace gugus::report
