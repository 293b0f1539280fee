#include "domain/person_service.h"

#include <algorithm>
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
#include "core/status.h"
#include "core/strcat.h"
#include "core/values.h"
#include "domain/link_service.h"
#include "domain/reference_service.h"
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
  std::string_view origin(uint32_t record) const {
    return origins_[entries_[record].origin];
  }
  // Distinct names whose similarity to `query` may reach kNameThreshold, each once.
  std::vector<uint32_t> Candidates(const linkage::NormalizedName& query) const;
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
  // Distinct canonical parts and their phonetic keys, with CharMask of each.
  std::vector<std::string> tokens_, phonetic_;
  std::vector<uint64_t> token_masks_, phonetic_masks_;
  absl::flat_hash_map<std::string, uint32_t> token_ids_;
  // Distinct names: their parts (token ids, name_parts_[name_part_begin_[n] ..
  // name_part_begin_[n + 1])), father and father's phonetic keys, and records.
  std::vector<uint32_t> name_part_begin_, name_parts_;
  std::vector<std::string> fathers_, father_phonetic_;
  std::vector<uint32_t> name_record_begin_, name_records_;
  // For each token, the distinct names that hold it: postings_[posting_begin_[t] ..
  // posting_begin_[t + 1]).
  std::vector<uint32_t> posting_begin_, postings_;
};

namespace {

constexpr size_t kMaxQueryBytes = 200;
constexpr int kMaxLimit = 100;
constexpr int kMaxOffset = 10000;
// Records read for one NIK or phone number: a recruiter's number may be written on
// many victims' records.
constexpr int kMaxMatchedRecords = 20000;
// Visible records read for one page of hits, and for one person.
constexpr int kMaxPageRecords = 100000;
constexpr int kMaxPersonRecords = 10000;
// Person answers kept for reading again (each a few kilobytes).
constexpr size_t kMaxKeptDetails = 10000;
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

// The query as one of the three kinds it may be.
struct ParsedQuery {
  enum Kind { kNik, kPhone, kName } kind = kName;
  std::string value;  // the NIK's digits or the normalised phone number
  linkage::NormalizedName name;
};

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
  for (size_t i = 0; i < n; ++i) {
    auto [it, fresh] =
        name_ids.try_emplace(keys[i], static_cast<uint32_t>(index->fathers_.size()));
    const uint32_t name = it->second;
    name_records.emplace_back(name, static_cast<uint32_t>(i));
    if (fresh) {
      std::string_view key = keys[i];
      size_t bar = key.find('|'), bar2 = key.find('|', bar + 1);
      size_t first = postings.size();
      for (std::string_view part : SplitSpaces(key.substr(0, bar))) {
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
      index->fathers_.emplace_back(key.substr(bar + 1, bar2 - bar - 1));
      index->father_phonetic_.emplace_back(key.substr(bar2 + 1));
    }
    std::string().swap(keys[i]);
  }
  const size_t names = index->fathers_.size();
  std::sort(name_records.begin(), name_records.end());
  Rows(names, name_records, index->name_record_begin_, index->name_records_);
  std::sort(postings.begin(), postings.end());
  Rows(index->tokens_.size(), postings, index->posting_begin_, index->postings_);
  index->phonetic_.resize(index->tokens_.size());
  index->token_masks_.resize(index->tokens_.size());
  index->phonetic_masks_.resize(index->tokens_.size());
  linkage::ParallelRanges(
      index->tokens_.size(), Threads(), [&](size_t begin, size_t end) {
        for (size_t t = begin; t < end; ++t) {
          index->phonetic_[t] = linkage::PhoneticKey(index->tokens_[t]);
          index->token_masks_[t] = linkage::CharMask(index->tokens_[t]);
          index->phonetic_masks_[t] = linkage::CharMask(index->phonetic_[t]);
        }
      });
  return std::shared_ptr<const PersonNameIndex>(std::move(index));
}

double PersonNameIndex::Score(linkage::NameScorer& scorer, uint32_t name) const {
  thread_local std::vector<std::string_view> parts, phonetic;
  parts.clear();
  phonetic.clear();
  const std::span<const uint32_t> ids(name_parts_.data() + name_part_begin_[name],
                                      name_parts_.data() + name_part_begin_[name + 1]);
  for (uint32_t t : ids) {
    parts.push_back(tokens_[t]);
    phonetic.push_back(phonetic_[t]);
  }
  return scorer.Score(parts, phonetic, ids, fathers_[name], father_phonetic_[name]);
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
// Checked against scoring every name of a million records (bench/RESULTS.md).
// Names written run together or apart ("Nurhaliza", "Nur Haliza") meet in
// NameSimilarity's compound rule rather than part by part: the query's adjacent
// parts are also looked for joined, and a query part also split in two when both
// halves are indexed parts.
std::vector<uint32_t> PersonNameIndex::Candidates(
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
  std::vector<uint32_t> out;
  auto take = [&](uint32_t t) {
    out.insert(out.end(), postings_.begin() + posting_begin_[t],
               postings_.begin() + posting_begin_[t + 1]);
  };
  if (heavy > 0 && light / heavy < 0.73) {
    threshold -= 0.15 * light / heavy;
  } else {
    probes.insert(probes.end(), others.begin(), others.end());
    for (const std::string& part : query.parts) {
      if (!linkage::IsInitial(part)) continue;
      if (auto it = token_ids_.find(AsAbsl(part)); it != token_ids_.end())
        take(it->second);
    }
  }
  for (const std::string& probe : probes) {
    std::string key = linkage::PhoneticKey(probe);
    const uint64_t mask = linkage::CharMask(probe), key_mask = linkage::CharMask(key);
    // Most parts share too few letters with the probe: the cheap bound rules them
    // out, and only the rest are scored.
    for (size_t t = 0; t < tokens_.size(); ++t) {
      if (linkage::PartSimilarityBound(probe, key, mask, key_mask, tokens_[t],
                                       phonetic_[t], token_masks_[t],
                                       phonetic_masks_[t]) >= threshold &&
          linkage::PartSimilarity(probe, key, tokens_[t], phonetic_[t]) >= threshold)
        take(static_cast<uint32_t>(t));
    }
  }
  // Once each, in no particular order (the caller ranks by score): a mark per name
  // costs less than sorting lists of tens of thousands.
  std::vector<bool> seen(fathers_.size());
  size_t kept = 0;
  for (uint32_t name : out) {
    if (seen[name]) continue;
    seen[name] = true;
    out[kept++] = name;
  }
  out.resize(kept);
  return out;
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

absl::StatusOr<std::shared_ptr<const PersonNameIndex>> PersonService::Index() {
  GUGUS_ASSIGN_OR_RETURN(LinkState state, store_.links().State());
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
  std::vector<PersonHit> hits;
  if (scope.nothing) return hits;

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

  GUGUS_ASSIGN_OR_RETURN(std::shared_ptr<const PersonNameIndex> index, Index());
  // Agencies' regions as they are now (an agency may have moved since the index
  // was built).
  GUGUS_ASSIGN_OR_RETURN(std::vector<Agency> agencies, store_.agencies().List());
  absl::flat_hash_map<int64_t, std::string> region_of;
  for (const Agency& a : agencies) region_of[a.id] = a.region_code;
  absl::flat_hash_map<int64_t, double> best;  // person → score
  linkage::NameScorer scorer(parsed.name);
  for (uint32_t name : index->Candidates(parsed.name)) {
    double score = index->Score(scorer, name);
    if (score < kNameThreshold) continue;
    for (uint32_t record : index->Records(name)) {
      const PersonNameIndex::Entry& e = index->entry(record);
      auto region = region_of.find(e.agency_id);
      if (region == region_of.end()) continue;
      if (!CanSee(scope, RecordPlace{e.agency_id, region->second, index->origin(record)}))
        continue;
      double& top = best[e.person_id];
      top = std::max(top, score);
    }
  }
  std::vector<std::pair<double, int64_t>> ranked;
  ranked.reserve(best.size());
  for (const auto& [person, score] : best) ranked.emplace_back(score, person);
  auto better = [](const std::pair<double, int64_t>& a,
                   const std::pair<double, int64_t>& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
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
  // What the answer depends on besides the person: the records and links (new
  // versions and runs only ever add ids) and the agencies' regions (scope).
  GUGUS_ASSIGN_OR_RETURN(LinkState state, store_.links().State());
  GUGUS_ASSIGN_OR_RETURN(std::vector<Agency> agencies, store_.agencies().List());
  std::string basis = StrCat(state.last_run, ":", state.last_version);
  for (const Agency& a : agencies)
    basis += StrCat(";", a.id, ":", a.region_code, ":", a.version);
  const std::string key = StrCat(person_id, "|", scope.everything, scope.by_origin, "|",
                                 scope.region, "|", scope.agency_id);
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
