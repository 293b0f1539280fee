#include "domain/registry/person_service.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "core/status.h"
#include "core/strcat.h"
#include "core/values.h"
#include "domain/registry/link_service.h"
#include "domain/registry/reference_service.h"
#include "ingest/interchange.h"
#include "linkage/comparison.h"
#include "linkage/indonesian_name.h"
#include "linkage/string_metrics.h"

namespace gugus::domain {

using ingest::Field;

// Every linked record's name, normalised, with an inverted index from canonical
// part to the distinct names that hold it. Names repeat (about 270,000 distinct in
// a million records), so a query scores each distinct name once. Immutable once
// built; shared by concurrent searches.
class PersonNameIndex {
 public:
  struct Entry {
    int64_t person_id = 0;
    int64_t agency_id = 0;
    uint32_t origin = 0;  // into origins_
  };

  static absl::StatusOr<std::shared_ptr<const PersonNameIndex>> Build(Store& store);

  const LinkState& state() const { return state_; }
  const Entry& entry(uint32_t record) const { return entries_[record]; }
  size_t tokens() const { return tokens_.size(); }
  std::string_view origin(uint32_t record) const {
    return origins_[entries_[record].origin];
  }
  // The parts near the query's, best first, through which every distinct name
  // that may reach kNameThreshold is found (Postings), and how to bound the names
  // not found yet.
  struct Near {
    double similarity = 0;  // to the query's part it was looked for from
    uint32_t token = 0;
  };
  struct Plan {
    std::vector<Near> near;
    // Per query part: whether its near parts are listed (then no name not found
    // yet has a part nearer to it than the next entry of `near`), and otherwise
    // the most any name's part can score against it.
    std::vector<bool> listed;
    std::vector<double> otherwise;
    // An upper bound of the score of every name that is not in the postings of
    // near[0 .. next) (compound names excepted: SameName finds those).
    double Bound(const linkage::NormalizedName& query, size_t next) const;
  };
  Plan PlanFor(const linkage::NormalizedName& query) const;
  // The indexed parts whose similarity to `probe` is `threshold` or more, with it:
  // a scan of every part, kept for the next query with the same part (the common
  // given names come again and again), up to kMaxKeptProbes lists.
  std::shared_ptr<const std::vector<Near>> NearParts(const std::string& probe,
                                                     double threshold) const;
  std::span<const uint32_t> Postings(uint32_t token) const {
    return {postings_.data() + posting_begin_[token],
            postings_.data() + posting_begin_[token + 1]};
  }
  // Distinct names with the same parts as `query` in any order — the only names
  // that can score 1.0 (NameSimilarity is 1 only for equal parts, all paired) if
  // the query has fewer than 16 parts — and those whose parts run together equal
  // the query's (the compound rule). May hold names that score less.
  std::vector<uint32_t> SameName(const linkage::NormalizedName& query) const;
  size_t names() const { return father_begin_.size() - 1; }
  // linkage::NameSimilarity(query, distinct name `name`), through `scorer`
  // (made for `query`, used for this index only).
  double Score(linkage::NameScorer& scorer, uint32_t name) const;
  // The records that carry distinct name `name`.
  std::span<const uint32_t> Records(uint32_t name) const {
    return {name_records_.data() + name_record_begin_[name],
            name_records_.data() + name_record_begin_[name + 1]};
  }

 private:
  bool HasToken(std::string_view token) const {
    return token_ids_.contains(AsAbsl(token));
  }

  LinkState state_;
  std::vector<Entry> entries_;  // one per linked record
  std::vector<std::string> origins_;
  // Distinct canonical parts and their phonetic keys, with the Sketch of each and
  // each as NameScorer takes it (its id the token's).
  std::vector<std::string> tokens_, phonetic_;
  std::vector<linkage::JaroSketch> token_sketches_, phonetic_sketches_;
  std::vector<linkage::NamePart> token_parts_;
  absl::flat_hash_map<std::string, uint32_t> token_ids_;
  // Distinct names: their parts (token ids, name_parts_[name_part_begin_[n] ..
  // name_part_begin_[n + 1])), fathers, and records.
  std::vector<uint32_t> name_part_begin_, name_parts_;
  // The fathers in one buffer: name n's at fathers_[father_begin_[n] ..
  // father_begin_[n + 1]), as "text|phonetic keys" ("" for a name without one).
  std::string fathers_;
  std::vector<uint32_t> father_begin_;
  std::vector<uint32_t> name_record_begin_, name_records_;
  // (hash of the name's parts sorted and joined by spaces, name) and (hash of its
  // parts run together, name), sorted: SameName.
  std::vector<std::pair<size_t, uint32_t>> sorted_parts_, letters_;
  // For each token, the distinct names that hold it: postings_[posting_begin_[t] ..
  // posting_begin_[t + 1]).
  std::vector<uint32_t> posting_begin_, postings_;
  mutable std::mutex near_mu_;
  mutable absl::flat_hash_map<std::pair<std::string, double>,
                              std::shared_ptr<const std::vector<Near>>>
      near_;
};

// The query as one of the three kinds it may be.
struct ParsedQuery {
  enum Kind { kNik, kPhone, kName } kind = kName;
  std::string value;  // the NIK's digits or the normalised phone number
  linkage::NormalizedName name;
};

namespace {

constexpr size_t kMaxQueryBytes = 200;
// Lists of the parts near a query's part kept per name index (a few hundred
// entries each).
constexpr size_t kMaxKeptProbes = 20000;
// NameSimilarity compares at most this many parts of a name.
constexpr size_t kMaxNameParts = 16;
constexpr int kMaxLimit = 100;
constexpr int kMaxOffset = 10000;
// Records read for one NIK or phone number: a recruiter's number may be written on
// many victims' records.
constexpr int kMaxMatchedRecords = 20000;
// Visible records read for one page of hits, and for one person.
constexpr int kMaxPageRecords = 100000;
constexpr int kMaxPersonRecords = 10000;
// Person answers kept for reading again (each a few kilobytes), and search answers
// (a page of hits each).
constexpr size_t kMaxKeptDetails = 10000;
constexpr size_t kMaxKeptSearches = 2000;
// A record is explained against at most this many earlier ones (a person with
// hundreds of records is a data problem, not a reason for a slow page).
constexpr size_t kMaxExplainedAgainst = 200;
constexpr const char* kNoSuchPerson = "no such person";

int Threads() {
  return static_cast<int>(
      std::max(1u, std::min(std::thread::hardware_concurrency(), 8u)));
}

std::vector<std::string_view> SplitSpaces(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    size_t space = text.find(' ');
    if (space != 0) out.push_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return out;
}

absl::StatusOr<ParsedQuery> ParseQuery(std::string_view q) {
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.front())))
    q.remove_prefix(1);
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.back())))
    q.remove_suffix(1);
  if (q.empty()) return absl::InvalidArgumentError("the search text is empty");
  if (q.size() > kMaxQueryBytes)
    return absl::InvalidArgumentError("the search text is longer than 200 bytes");
  ParsedQuery parsed;
  if (std::any_of(q.begin(), q.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::string digits;
    bool only_digits = true;
    for (char c : q) {
      if (c == ' ' || c == '.' || c == '-') continue;
      if (c < '0' || c > '9') only_digits = false;
      digits.push_back(c);
    }
    if (only_digits && digits.size() == 16) {
      parsed.kind = ParsedQuery::kNik;
      parsed.value = std::move(digits);
      return parsed;
    }
    if (std::optional<std::string> phone = NormalizePhone(q)) {
      parsed.kind = ParsedQuery::kPhone;
      parsed.value = *std::move(phone);
      return parsed;
    }
    return absl::InvalidArgumentError(
        "the search text holds digits but is neither a NIK (16 digits) nor a phone "
        "number");
  }
  parsed.name = linkage::NormalizeName(q);
  if (std::none_of(parsed.name.parts.begin(), parsed.name.parts.end(),
                   [](const std::string& p) { return !linkage::IsInitial(p); }))
    return absl::InvalidArgumentError(
        "the search text holds no name to search for (only titles, initials or "
        "punctuation)");
  return parsed;
}

// Visible current records of `persons`, each person's sorted by report date.
absl::StatusOr<absl::flat_hash_map<int64_t, std::vector<StoredRecord>>> VisibleRecords(
    Store& store, const RecordScope& scope, std::vector<int64_t> persons, bool with_raw,
    int limit) {
  absl::flat_hash_map<int64_t, std::vector<StoredRecord>> out;
  if (persons.empty()) return out;
  RecordQuery q;
  q.person_ids = std::move(persons);
  q.scope = scope;
  q.with_raw = with_raw;
  q.limit = limit;
  GUGUS_ASSIGN_OR_RETURN(std::vector<StoredRecord> found, store.records().FindRecords(q));
  for (StoredRecord& r : found) out[r.person_id].push_back(std::move(r));
  for (auto& [person, records] : out) {
    std::sort(records.begin(), records.end(),
              [](const StoredRecord& a, const StoredRecord& b) {
                return std::tie(a.parsed[Field::kReportDate], a.agency_code,
                                a.parsed[Field::kRecordId]) <
                       std::tie(b.parsed[Field::kReportDate], b.agency_code,
                                b.parsed[Field::kRecordId]);
              });
  }
  return out;
}

// A hit from a person's visible records (sorted by report date) and the one that
// matched best.
PersonHit Summarise(int64_t person, const std::vector<StoredRecord>& records, size_t best,
                    double score, std::string_view matched_by) {
  PersonHit hit;
  hit.person_id = person;
  hit.score = score;
  hit.matched_by = std::string(matched_by);
  hit.records = static_cast<int>(records.size());
  hit.name = records[best].parsed[Field::kName];
  auto pick = [&](Field f) {
    if (!records[best].parsed[f].empty()) return records[best].parsed[f];
    for (const StoredRecord& r : records)
      if (!r.parsed[f].empty()) return r.parsed[f];
    return std::string();
  };
  hit.sex = pick(Field::kSex);
  hit.birth_date = pick(Field::kBirthDate);
  hit.origin_region = pick(Field::kOriginRegion);
  for (const StoredRecord& r : records) hit.agencies.push_back(r.agency_code);
  std::sort(hit.agencies.begin(), hit.agencies.end());
  hit.agencies.erase(std::unique(hit.agencies.begin(), hit.agencies.end()),
                     hit.agencies.end());
  return hit;
}

// What a kept answer depends on besides its question: the records and links (new
// versions and runs only ever add ids) and the agencies' regions (scope).
std::string AnswerBasis(const LinkState& state, const std::vector<Agency>& agencies) {
  std::string basis = StrCat(state.last_run, ":", state.last_version);
  for (const Agency& a : agencies)
    basis += StrCat(";", a.id, ":", a.region_code, ":", a.version);
  return basis;
}

std::string ScopeKey(const RecordScope& scope) {
  return StrCat(scope.everything, scope.by_origin, "|", scope.region, "|",
                scope.agency_id);
}

// Compressed sparse rows from (row, value) pairs given in row order.
void Rows(size_t rows, const std::vector<std::pair<uint32_t, uint32_t>>& pairs,
          std::vector<uint32_t>& begin, std::vector<uint32_t>& values) {
  begin.assign(rows + 1, 0);
  for (const auto& [row, value] : pairs) ++begin[row + 1];
  for (size_t r = 0; r < rows; ++r) begin[r + 1] += begin[r];
  values.resize(pairs.size());
  std::vector<uint32_t> next(begin.begin(), begin.end() - 1);
  for (const auto& [row, value] : pairs) values[next[row]++] = value;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const PersonNameIndex>> PersonNameIndex::Build(
    Store& store) {
  auto index = std::make_shared<PersonNameIndex>();
  GUGUS_ASSIGN_OR_RETURN(index->state_, store.links().State());
  absl::flat_hash_map<std::string, uint32_t> origin_ids;
  index->origins_.emplace_back();
  origin_ids[""] = 0;
  std::vector<std::string> keys;  // per record, until interned
  GUGUS_RETURN_IF_ERROR(store.links().ForEachLinkedName([&](LinkedName&& n) {
    Entry e;
    e.person_id = n.person_id;
    e.agency_id = n.agency_id;
    auto [it, fresh] = origin_ids.try_emplace(
        n.origin_region, static_cast<uint32_t>(index->origins_.size()));
    if (fresh) index->origins_.push_back(n.origin_region);
    e.origin = it->second;
    index->entries_.push_back(e);
    keys.push_back(std::move(n.name));
    return absl::OkStatus();
  }));
  const size_t n = index->entries_.size();
  if (n >= std::numeric_limits<uint32_t>::max())
    return absl::ResourceExhaustedError("too many linked records for the search index");

  // Normalising is the expensive part: in parallel. A name's key is its parts,
  // father and father's phonetic keys ('|' is in no normalised name).
  linkage::ParallelRanges(n, Threads(), [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      linkage::NormalizedName name = linkage::NormalizeName(keys[i]);
      keys[i] = StrCat(name.joined, "|", name.father, "|", name.father_phonetic);
    }
  });

  absl::flat_hash_map<std::string, uint32_t> name_ids;
  std::vector<std::pair<uint32_t, uint32_t>> name_records;  // (name, record)
  std::vector<std::pair<uint32_t, uint32_t>> postings;      // (token, name)
  name_records.reserve(n);
  index->name_part_begin_.push_back(0);
  index->father_begin_.push_back(0);
  for (size_t i = 0; i < n; ++i) {
    auto [it, fresh] =
        name_ids.try_emplace(keys[i], static_cast<uint32_t>(index->names()));
    const uint32_t name = it->second;
    name_records.emplace_back(name, static_cast<uint32_t>(i));
    if (fresh) {
      std::string_view key = keys[i];
      size_t bar = key.find('|'), bar2 = key.find('|', bar + 1);
      size_t first = postings.size();
      std::vector<std::string_view> parts = SplitSpaces(key.substr(0, bar));
      std::vector<std::string_view> sorted = parts;
      std::sort(sorted.begin(), sorted.end());
      std::string joined;
      for (std::string_view part : sorted) {
        if (!joined.empty()) joined += ' ';
        joined += part;
      }
      index->sorted_parts_.emplace_back(absl::Hash<std::string_view>{}(joined), name);
      joined.clear();
      for (std::string_view part : parts) joined += part;
      index->letters_.emplace_back(absl::Hash<std::string_view>{}(joined), name);
      for (std::string_view part : parts) {
        auto [t, new_token] = index->token_ids_.try_emplace(
            AsAbsl(part), static_cast<uint32_t>(index->tokens_.size()));
        if (new_token) index->tokens_.emplace_back(part);
        index->name_parts_.push_back(t->second);
        bool seen = false;
        for (size_t k = first; k < postings.size(); ++k)
          seen = seen || postings[k].first == t->second;
        if (!seen) postings.emplace_back(t->second, name);
      }
      index->name_part_begin_.push_back(static_cast<uint32_t>(index->name_parts_.size()));
      if (bar2 > bar + 1)  // a father: text and key as they are in the name's key
        index->fathers_.append(key.substr(bar + 1));
      if (index->fathers_.size() >= std::numeric_limits<uint32_t>::max())
        return absl::ResourceExhaustedError(
            "too many fathers' names for the search index");
      index->father_begin_.push_back(static_cast<uint32_t>(index->fathers_.size()));
    }
    std::string().swap(keys[i]);
  }
  const size_t names = index->names();
  std::sort(name_records.begin(), name_records.end());
  Rows(names, name_records, index->name_record_begin_, index->name_records_);
  std::sort(postings.begin(), postings.end());
  Rows(index->tokens_.size(), postings, index->posting_begin_, index->postings_);
  std::sort(index->sorted_parts_.begin(), index->sorted_parts_.end());
  std::sort(index->letters_.begin(), index->letters_.end());
  const size_t tokens = index->tokens_.size();
  index->phonetic_.resize(tokens);
  index->token_sketches_.resize(tokens);
  index->phonetic_sketches_.resize(tokens);
  index->token_parts_.resize(tokens);
  linkage::ParallelRanges(tokens, Threads(), [&](size_t begin, size_t end) {
    for (size_t t = begin; t < end; ++t) {
      index->phonetic_[t] = linkage::PhoneticKey(index->tokens_[t]);
      index->token_sketches_[t] = linkage::Sketch(index->tokens_[t]);
      index->phonetic_sketches_[t] = linkage::Sketch(index->phonetic_[t]);
      // Views into tokens_ and phonetic_, which no longer change.
      index->token_parts_[t] = linkage::MakeNamePart(
          index->tokens_[t], index->phonetic_[t], static_cast<uint32_t>(t));
    }
  });
  return std::shared_ptr<const PersonNameIndex>(std::move(index));
}

double PersonNameIndex::Score(linkage::NameScorer& scorer, uint32_t name) const {
  const uint32_t begin = name_part_begin_[name], end = name_part_begin_[name + 1];
  linkage::NamePart stack[kMaxNameParts];
  thread_local std::vector<linkage::NamePart> heap;  // names of more parts (garbage)
  linkage::NamePart* parts = stack;
  if (end - begin > kMaxNameParts) {
    heap.resize(end - begin);
    parts = heap.data();
  }
  for (uint32_t k = begin; k < end; ++k) parts[k - begin] = token_parts_[name_parts_[k]];
  std::string_view father(fathers_.data() + father_begin_[name],
                          father_begin_[name + 1] - father_begin_[name]);
  const size_t bar = father.find('|');
  return scorer.Score(
      std::span(parts, end - begin), father.substr(0, bar),
      bar == std::string_view::npos ? std::string_view() : father.substr(bar + 1));
}

std::vector<uint32_t> PersonNameIndex::SameName(
    const linkage::NormalizedName& query) const {
  std::vector<uint32_t> out;
  auto add = [&](const std::vector<std::pair<size_t, uint32_t>>& sorted, size_t hash) {
    for (auto it = std::lower_bound(sorted.begin(), sorted.end(),
                                    std::pair<size_t, uint32_t>(hash, 0));
         it != sorted.end() && it->first == hash; ++it)
      out.push_back(it->second);
  };
  if (query.parts.empty()) return out;
  add(sorted_parts_, absl::Hash<std::string_view>{}(query.sorted));
  std::string letters;
  for (const std::string& part : query.parts) letters += part;
  add(letters_, absl::Hash<std::string_view>{}(letters));
  return out;
}

double PersonNameIndex::Plan::Bound(const linkage::NormalizedName& query,
                                    size_t next) const {
  if (next >= near.size()) return kNameThreshold;  // the rest is below it (Find)
  std::vector<double> best(listed.size());
  for (size_t i = 0; i < best.size(); ++i)
    best[i] = listed[i] ? near[next].similarity : otherwise[i];
  return linkage::NameSimilarityBound(query, best);
}

// A record scores at least kNameThreshold only if some of its parts are near the
// query's. Which query parts must find a near part (≥ `threshold`), so that no
// record that could reach kNameThreshold is missed:
//  - let D be the weight of the distinctive query parts (neither common nor
//    initials: 1 each) and C that of the others (a common part weighs 0.5, an
//    initial 1, and may equal the record's). A record none of whose parts comes
//    within t of a distinctive part scores at most (C + D·t) / (C + D) when those
//    parts are paired, and C / (C + 0.15·D) when the record is too short to pair
//    them (a missing part costs 0.15 of its weight). Both stay below the threshold
//    when C/D < 0.73 and t < 0.85 − 0.15·C/D: then the distinctive parts alone,
//    looked for at that t (less a margin of 0.02), find every match, and their
//    lists are short ("Siti Aminah", "Muhammad Rizki");
//  - otherwise ("Siti Nur Aini", "T. Wijayanti", "I Wayan Sudarma") every part
//    that is not an initial is looked for at 0.83, and every initial as written:
//    a record with no part that near any of them scores below that (an initial
//    against a word scores 0.85, and is not looked for).
// Checked against scoring every name of a million records (bench/RESULTS.md,
// `person_search_bench … check`). Names written run together or apart
// ("Nurhaliza", "Nur Haliza") meet in NameSimilarity's compound rule rather than
// part by part: SameName finds them exactly, and the query's adjacent parts are
// also looked for joined, and a query part split in two when both halves are
// indexed parts.
// The parts found are ranked by their similarity, so that a search may stop once
// Plan::Bound (NameSimilarityBound with each listed query part at the next
// similarity, the others as far as they can go) is below the hits it has.
PersonNameIndex::Plan PersonNameIndex::PlanFor(
    const linkage::NormalizedName& query) const {
  std::vector<std::string> distinctive, others;
  auto add = [&](const std::string& part) {
    if (linkage::IsInitial(part)) return;
    std::vector<std::string>& list = linkage::IsCommonPart(part) ? others : distinctive;
    if (std::find(list.begin(), list.end(), part) == list.end()) list.push_back(part);
  };
  double light = 0, heavy = 0;  // C and D above
  for (const std::string& part : query.parts) {
    add(part);
    if (linkage::IsInitial(part)) {
      light += linkage::IsCommonPart(part) ? 0.5 : 1.0;  // "I" (Balinese) is common
    } else if (linkage::IsCommonPart(part)) {
      light += 0.5;
    } else {
      heavy += 1.0;
    }
  }
  const int parts = static_cast<int>(query.parts.size());
  for (int i = 0; i + 1 < parts; ++i) {
    std::string together = query.parts[i] + query.parts[i + 1];
    if (HasToken(together)) add(together);
  }
  for (const std::string& part : query.parts) {
    for (size_t k = 2; k + 2 <= part.size(); ++k) {
      std::string_view head = std::string_view(part).substr(0, k);
      std::string_view tail = std::string_view(part).substr(k);
      if (HasToken(head) && HasToken(tail)) {
        add(std::string(head));
        add(std::string(tail));
      }
    }
  }
  double threshold = kNameThreshold - 0.02;
  std::vector<std::string> probes = std::move(distinctive);
  Plan plan;
  auto take = [&](uint32_t t, double similarity) {
    plan.near.push_back({similarity, t});
  };
  const size_t n = query.parts.size();
  plan.listed.assign(n, false);
  plan.otherwise.assign(n, 1.0);
  if (heavy > 0 && light / heavy < 0.73) {
    threshold -= 0.15 * light / heavy;
    for (size_t i = 0; i < n; ++i)
      plan.listed[i] =
          !linkage::IsInitial(query.parts[i]) && !linkage::IsCommonPart(query.parts[i]);
  } else {
    probes.insert(probes.end(), others.begin(), others.end());
    for (size_t i = 0; i < n; ++i) {
      const std::string& part = query.parts[i];
      if (!linkage::IsInitial(part)) {
        plan.listed[i] = true;
        continue;
      }
      // The initial as written comes first; any other part scores 0.85 at most
      // against it (a word that starts with it).
      plan.otherwise[i] = 0.85;
      if (auto it = token_ids_.find(AsAbsl(part)); it != token_ids_.end())
        take(it->second, 1.0);
    }
  }
  for (const std::string& probe : probes) {
    std::shared_ptr<const std::vector<Near>> near = NearParts(probe, threshold);
    plan.near.insert(plan.near.end(), near->begin(), near->end());
  }
  std::stable_sort(plan.near.begin(), plan.near.end(), [](const Near& a, const Near& b) {
    return a.similarity > b.similarity;
  });
  return plan;
}

std::shared_ptr<const std::vector<PersonNameIndex::Near>> PersonNameIndex::NearParts(
    const std::string& probe, double threshold) const {
  const std::pair<std::string, double> key(probe, threshold);
  {
    std::lock_guard<std::mutex> lock(near_mu_);
    if (auto it = near_.find(key); it != near_.end()) return it->second;
  }
  auto near = std::make_shared<std::vector<Near>>();
  std::string phonetic = linkage::PhoneticKey(probe);
  const linkage::JaroSketch sketch = linkage::Sketch(probe),
                            phonetic_sketch = linkage::Sketch(phonetic);
  // Most parts share too few letters with the probe: the constant-time bound
  // rules them out from 32 bytes each, the linear one most of the rest, and only
  // what is left is scored. (Initials are never probes; an indexed initial goes
  // past the first bound, which does not hold for it.)
  for (size_t t = 0; t < tokens_.size(); ++t) {
    if (!token_parts_[t].initial &&
        linkage::PartSimilaritySketchBound(sketch, phonetic_sketch, token_sketches_[t],
                                           phonetic_sketches_[t]) < threshold)
      continue;
    if (linkage::PartSimilarityBound(probe, phonetic, sketch.mask, phonetic_sketch.mask,
                                     tokens_[t], phonetic_[t], token_sketches_[t].mask,
                                     phonetic_sketches_[t].mask) < threshold)
      continue;
    const double similarity =
        linkage::PartSimilarity(probe, phonetic, tokens_[t], phonetic_[t]);
    if (similarity >= threshold) near->push_back({similarity, static_cast<uint32_t>(t)});
  }
  std::lock_guard<std::mutex> lock(near_mu_);
  if (near_.size() >= kMaxKeptProbes) near_.clear();
  near_.emplace(key, near);
  return near;
}

PersonService::PersonService(Store& store) : store_(store) {}

PersonService::~PersonService() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_.notify_all();
  if (builder_.joinable()) builder_.join();
}

absl::Status PersonService::Warm() {
  GUGUS_ASSIGN_OR_RETURN(LinkState state, store_.links().State());
  std::unique_lock<std::mutex> lock(mu_);
  built_.wait(lock, [&] { return !building_; });
  if (index_ && index_->state() == state) return absl::OkStatus();
  building_ = true;
  lock.unlock();
  absl::StatusOr<std::shared_ptr<const PersonNameIndex>> built =
      PersonNameIndex::Build(store_);
  lock.lock();
  building_ = false;
  built_.notify_all();
  if (!built.ok()) return built.status();
  index_ = *std::move(built);
  return absl::OkStatus();
}

void PersonService::RebuildInBackground() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    work_.wait(lock, [&] { return stop_ || requested_; });
    if (stop_) return;
    requested_ = false;
    lock.unlock();
    absl::StatusOr<std::shared_ptr<const PersonNameIndex>> built =
        PersonNameIndex::Build(store_);
    lock.lock();
    building_ = false;
    built_.notify_all();
    // On failure the previous index stays; the next search asks again.
    if (built.ok()) index_ = *std::move(built);
  }
}

absl::StatusOr<std::shared_ptr<const PersonNameIndex>> PersonService::Index(
    const LinkState& state) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (index_ && index_->state() == state) return index_;
    if (index_) {
      if (!building_) {
        building_ = true;
        requested_ = true;
        // One long-lived thread: the store keeps a connection per thread.
        if (!builder_.joinable())
          builder_ = std::thread([this] { RebuildInBackground(); });
        work_.notify_all();
      }
      return index_;
    }
  }
  GUGUS_RETURN_IF_ERROR(Warm());
  std::lock_guard<std::mutex> lock(mu_);
  return index_;
}

absl::StatusOr<std::vector<PersonHit>> PersonService::Search(const RecordScope& scope,
                                                             const PersonQuery& query) {
  if (query.limit < 1) return absl::InvalidArgumentError("limit must be at least 1");
  if (query.offset < 0 || query.offset > kMaxOffset)
    return absl::InvalidArgumentError("offset must be between 0 and 10000");
  const size_t limit = static_cast<size_t>(std::min(query.limit, kMaxLimit));
  const size_t offset = static_cast<size_t>(query.offset);
  GUGUS_ASSIGN_OR_RETURN(ParsedQuery parsed, ParseQuery(query.q));
  if (scope.nothing) return std::vector<PersonHit>();

  GUGUS_ASSIGN_OR_RETURN(LinkState state, store_.links().State());
  GUGUS_ASSIGN_OR_RETURN(std::vector<Agency> agencies, store_.agencies().List());
  std::string basis = AnswerBasis(state, agencies);
  // The query as it is searched for: spellings that normalise alike share answers.
  const std::string key =
      StrCat(static_cast<int>(parsed.kind), "|", parsed.value, "|", parsed.name.joined,
             "|", parsed.name.father, "|", ScopeKey(scope), "|", limit, "|", offset);
  {
    std::lock_guard<std::mutex> lock(searches_mu_);
    auto it = searches_.find(key);
    if (it != searches_.end() && it->second.basis == basis) return it->second.hits;
  }
  bool current = true;
  GUGUS_ASSIGN_OR_RETURN(std::vector<PersonHit> hits,
                         Find(scope, parsed, limit, offset, state, agencies, current));
  // An answer from an index behind the store is right for now but not kept.
  if (current) {
    std::lock_guard<std::mutex> lock(searches_mu_);
    if (searches_.size() >= kMaxKeptSearches) searches_.clear();
    searches_[key] = KeptSearch{std::move(basis), hits};
  }
  return hits;
}

absl::StatusOr<std::vector<PersonHit>> PersonService::Find(
    const RecordScope& scope, const ParsedQuery& parsed, size_t limit, size_t offset,
    const LinkState& state, const std::vector<Agency>& agencies, bool& current) {
  std::vector<PersonHit> hits;
  if (parsed.kind != ParsedQuery::kName) {
    const bool nik = parsed.kind == ParsedQuery::kNik;
    const Field field = nik ? Field::kNik : Field::kPhone;
    RecordQuery q;
    (nik ? q.nik : q.phone) = parsed.value;
    q.scope = scope;
    q.with_raw = false;
    q.limit = kMaxMatchedRecords;
    GUGUS_ASSIGN_OR_RETURN(std::vector<StoredRecord> found,
                           store_.records().FindRecords(q));
    std::vector<int64_t> persons;
    for (const StoredRecord& r : found)
      if (r.person_id != 0) persons.push_back(r.person_id);
    std::sort(persons.begin(), persons.end());
    persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
    if (offset >= persons.size()) return hits;
    std::vector<int64_t> page(persons.begin() + static_cast<ptrdiff_t>(offset),
                              persons.begin() + static_cast<ptrdiff_t>(std::min(
                                                    persons.size(), offset + limit)));
    GUGUS_ASSIGN_OR_RETURN(auto visible,
                           VisibleRecords(store_, scope, page, false, kMaxPageRecords));
    for (int64_t person : page) {
      auto it = visible.find(person);
      if (it == visible.end()) continue;  // relinked meanwhile
      const std::vector<StoredRecord>& records = it->second;
      auto best = std::find_if(
          records.begin(), records.end(),
          [&](const StoredRecord& r) { return r.parsed[field] == parsed.value; });
      if (best == records.end()) continue;
      hits.push_back(Summarise(person, records,
                               static_cast<size_t>(best - records.begin()), 1.0,
                               nik ? "nik" : "phone"));
    }
    return hits;
  }

  GUGUS_ASSIGN_OR_RETURN(std::shared_ptr<const PersonNameIndex> index, Index(state));
  current = index->state() == state;
  // Agencies' regions as they are now (an agency may have moved since the index
  // was built).
  absl::flat_hash_map<int64_t, std::string> region_of;
  for (const Agency& a : agencies) region_of[a.id] = a.region_code;
  linkage::NameScorer scorer(parsed.name, index->tokens());
  absl::flat_hash_map<int64_t, double> best;                 // person → score
  size_t perfect = 0;                                        // persons at 1.0
  std::vector<uint64_t> scored((index->names() + 63) / 64);  // a bit per name
  auto score = [&](uint32_t name) {
    uint64_t& word = scored[name / 64];
    const uint64_t bit = uint64_t{1} << (name % 64);
    if (word & bit) return;
    word |= bit;
    double score = index->Score(scorer, name);
    if (score < kNameThreshold) return;
    for (uint32_t record : index->Records(name)) {
      const PersonNameIndex::Entry& e = index->entry(record);
      auto region = region_of.find(e.agency_id);
      if (region == region_of.end()) continue;
      if (!CanSee(scope, RecordPlace{e.agency_id, region->second, index->origin(record)}))
        continue;
      double& top = best[e.person_id];
      if (score == 1.0 && top < 1.0) ++perfect;
      top = std::max(top, score);
    }
  };
  const size_t need = offset + limit;
  // Names with the query's very parts (or its letters run together) first: when
  // they alone fill the page with persons at 1.0 (ties go by person id), no other
  // name can come before them, and a common name ("Siti Aminah") need not score
  // the tens of thousands of names near it.
  for (uint32_t name : index->SameName(parsed.name)) score(name);
  std::optional<PersonNameIndex::Plan> plan;
  size_t next = 0;  // into plan->near
  // The other names through the parts near the query's, best first. With
  // `early`, stops once `need` persons score above what any name not yet scored
  // can (checked whenever that bound has fallen by 0.002 since it was last).
  auto widen = [&](bool early) {
    if (!plan) plan = index->PlanFor(parsed.name);
    double checked = 2;
    for (; next < plan->near.size(); ++next) {
      if (early && next > 0 &&
          plan->near[next].similarity < plan->near[next - 1].similarity) {
        const double bound = plan->Bound(parsed.name, next);
        if (bound < checked - 0.002) {
          checked = bound;
          size_t above = 0;
          for (const auto& [person, top] : best) above += top > bound ? 1 : 0;
          if (above >= need) return false;
        }
      }
      for (uint32_t name : index->Postings(plan->near[next].token)) score(name);
    }
    return true;
  };
  bool complete = perfect >= need ? false : widen(true);

  auto better = [](const std::pair<double, int64_t>& a,
                   const std::pair<double, int64_t>& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  while (true) {
    std::vector<std::pair<double, int64_t>> ranked;
    ranked.reserve(best.size());
    for (const auto& [person, score] : best) ranked.emplace_back(score, person);
    std::sort(ranked.begin(), ranked.end(), better);
    // Each hit is re-read and re-scored from the store: the index may be a little
    // behind it.
    for (size_t from = offset; from < ranked.size() && hits.size() < limit;) {
      size_t to = std::min(ranked.size(), from + limit - hits.size());
      std::vector<int64_t> page;
      for (size_t k = from; k < to; ++k) page.push_back(ranked[k].second);
      GUGUS_ASSIGN_OR_RETURN(auto visible,
                             VisibleRecords(store_, scope, page, false, kMaxPageRecords));
      for (int64_t person : page) {
        auto it = visible.find(person);
        if (it == visible.end()) continue;
        const std::vector<StoredRecord>& records = it->second;
        double top = -1;
        size_t top_at = 0;
        for (size_t r = 0; r < records.size(); ++r) {
          double s = linkage::NameSimilarity(
              parsed.name, linkage::NormalizeName(records[r].parsed[Field::kName]));
          if (s > top) {
            top = s;
            top_at = r;
          }
        }
        if (top < kNameThreshold) continue;
        hits.push_back(Summarise(person, records, top_at, top, "name"));
      }
      from = to;
    }
    // A short page after stopping early means the store has moved on from the
    // index (hits gone on re-reading): rank every candidate after all.
    if (complete || hits.size() == limit) break;
    hits.clear();
    complete = widen(false);
  }
  std::sort(hits.begin(), hits.end(), [](const PersonHit& a, const PersonHit& b) {
    return a.score != b.score ? a.score > b.score : a.person_id < b.person_id;
  });
  return hits;
}

absl::StatusOr<const RegionIndex*> PersonService::FillRegions() {
  std::lock_guard<std::mutex> lock(regions_mu_);
  if (!fill_regions_) {
    GUGUS_ASSIGN_OR_RETURN(RegionIndex regions,
                           LoadRegionIndex(store_, RegionLevel::kRegency));
    fill_regions_ = std::make_unique<const RegionIndex>(std::move(regions));
  }
  return fill_regions_.get();
}

absl::StatusOr<PersonDetail> PersonService::Get(const RecordScope& scope,
                                                int64_t person_id) {
  GUGUS_ASSIGN_OR_RETURN(std::shared_ptr<const PersonDetail> detail,
                         GetShared(scope, person_id));
  return *detail;
}

absl::StatusOr<std::shared_ptr<const PersonDetail>> PersonService::GetShared(
    const RecordScope& scope, int64_t person_id) {
  if (person_id <= 0 || scope.nothing) return absl::NotFoundError(kNoSuchPerson);
  GUGUS_ASSIGN_OR_RETURN(LinkState state, store_.links().State());
  GUGUS_ASSIGN_OR_RETURN(std::vector<Agency> agencies, store_.agencies().List());
  std::string basis = AnswerBasis(state, agencies);
  const std::string key = StrCat(person_id, "|", ScopeKey(scope));
  {
    std::lock_guard<std::mutex> lock(details_mu_);
    auto it = details_.find(key);
    if (it != details_.end() && it->second.basis == basis) return it->second.detail;
  }
  GUGUS_ASSIGN_OR_RETURN(PersonDetail detail, Compute(scope, person_id));
  auto kept = std::make_shared<const PersonDetail>(std::move(detail));
  std::lock_guard<std::mutex> lock(details_mu_);
  if (details_.size() >= kMaxKeptDetails) details_.clear();
  details_[key] = KeptDetail{std::move(basis), kept};
  return kept;
}

PersonFacts FactsOf(std::span<const StoredRecord> records,
                    std::span<const Agency> agencies) {
  using report::PersonField;
  std::vector<report::FactWitness> witnesses;
  for (const StoredRecord& r : records) {
    std::string_view type;
    for (const Agency& a : agencies)
      if (a.code == r.agency_code) type = a.type;
    witnesses.push_back(report::WitnessOf(r.parsed, r.agency_code, type));
  }
  const report::PersonFacts resolved = report::ResolvePersonFacts(witnesses);
  PersonFacts out;
  out.age = resolved.age;
  for (int i = 0; i < report::kPersonFieldCount; ++i) {
    const auto field = static_cast<PersonField>(i);
    PersonFact fact;
    fact.field = field;
    fact.value = report::FactValueText(field, resolved[field].value);
    fact.rule = resolved[field].rule;
    fact.disagreement = resolved[field].disagreement;
    for (size_t r = 0; r < records.size(); ++r) {
      const int64_t value = witnesses[r].Value(field);
      if (value == 0) continue;
      FactSource source;
      source.source_record_id = records[r].source_record_id;
      source.agency_code = records[r].agency_code;
      source.record_id = records[r].parsed[Field::kRecordId];
      source.value = report::FactValueText(field, value);
      source.from_nik = witnesses[r].stated[static_cast<size_t>(i)] != value;
      fact.sources.push_back(std::move(source));
    }
    out.fields.push_back(std::move(fact));
  }
  return out;
}

absl::StatusOr<PersonDetail> PersonService::Compute(const RecordScope& scope,
                                                    int64_t person_id) {
  GUGUS_ASSIGN_OR_RETURN(
      auto visible, VisibleRecords(store_, scope, {person_id}, true, kMaxPersonRecords));
  auto it = visible.find(person_id);
  if (it == visible.end() || it->second.empty())
    return absl::NotFoundError(kNoSuchPerson);
  std::vector<StoredRecord>& records = it->second;

  PersonDetail detail;
  detail.person_id = person_id;
  for (const StoredRecord& r : records) {
    for (Field f : {Field::kReportDate, Field::kIncidentDate}) {
      if (r.parsed[f].empty()) continue;
      detail.timeline.push_back({r.parsed[f],
                                 f == Field::kReportDate ? "report" : "incident",
                                 r.agency_code, r.parsed[Field::kRecordId]});
    }
  }
  std::sort(detail.timeline.begin(), detail.timeline.end(),
            [](const TimelineEvent& a, const TimelineEvent& b) {
              // "incident" < "report" would put an incident first on its day; a
              // report of that day is what brought it to light, so it goes first.
              auto rank = [](const TimelineEvent& e) {
                return e.kind == "report" ? 0 : 1;
              };
              return std::make_tuple(a.date, rank(a), a.agency_code, a.record_id) <
                     std::make_tuple(b.date, rank(b), b.agency_code, b.record_id);
            });

  if (records.size() > 1) {
    GUGUS_ASSIGN_OR_RETURN(const RegionIndex* regions, FillRegions());
    LinkService links(store_, regions);
    absl::StatusOr<RecordExplainer> explainer = links.Explainer(records);
    if (explainer.ok()) {
      for (size_t i = 1; i < records.size(); ++i) {
        std::optional<linkage::PairExplanation> best;
        size_t best_at = 0;
        size_t first = i > kMaxExplainedAgainst ? i - kMaxExplainedAgainst : 0;
        for (size_t j = first; j < i; ++j) {
          linkage::PairExplanation e = explainer->Explain(j, i);
          if (!best || e.weight > best->weight) {
            best = std::move(e);
            best_at = j;
          }
        }
        detail.links.push_back({records[best_at].source_record_id,
                                records[i].source_record_id, *std::move(best)});
      }
    } else if (!absl::IsFailedPrecondition(explainer.status())) {
      return explainer.status();
    }
    // Without a usable model (settings changed since the last run) the records are
    // still shown, unexplained, until `gugus link --full`.
  }
  GUGUS_ASSIGN_OR_RETURN(std::vector<Agency> agencies, store_.agencies().List());
  detail.facts = FactsOf(records, agencies);
  for (StoredRecord& r : records) {
    PersonRecord pr;
    pr.source_record_id = r.source_record_id;
    pr.record_id = r.parsed[Field::kRecordId];
    pr.record = std::move(r);
    detail.records.push_back(std::move(pr));
  }
  return detail;
}

}  // namespace gugus::domain
