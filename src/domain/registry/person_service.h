// Persons as a caller may see them (SPEC section 6): search and the person page.
//
// A person is the result of `gugus link`: the source records linked to one person
// id. A caller sees a person when at least one of its source records is visible
// under its RecordScope (domain/access.h), and then only those records: every
// count, name, date, agency and explanation returned here is computed from the
// visible records alone, so nothing tells a caller how many records lie outside its
// scope. Records not linked yet belong to no person and are not found.
//
// Search(scope, {q, limit, offset}) reads `q` as
//   - a NIK: 16 digits once spaces, dots and dashes are removed → records with
//     exactly that NIK (score 1, matched_by "nik");
//   - a phone number (core/values.h NormalizePhone: 0812…, +62 812…, 62812…) →
//     records with that number (score 1, matched_by "phone");
//   - otherwise a name, normalised like linkage does it (linkage/indonesian_name.h:
//     titles dropped, old spellings modernised, "St." is Siti, order of parts free)
//     and compared with linkage::NameSimilarity; records scoring at least
//     kNameThreshold match (matched_by "name").
// Each person is reported once, with its best score, best first (ties by person
// id). limit is 1..100 (larger values are cut to 100), offset 0..10,000.
//
// Names are searched in an in-memory index of every linked record's name (about
// 100 MiB and 2.5 s to build for a million records), built on first use or by
// Warm(), and rebuilt in the background when a link run or an import changes the
// data (LinkRepository::State); until the new one is ready, searches use the
// previous index, and every hit is re-read and re-scored from the store before it
// is returned, so a hit never shows data that is gone or no longer visible (a
// search may miss a name changed a few seconds ago). Agencies' regions are read
// afresh for every search.
//
// Get(scope, person_id): the visible records (with their raw cells) by report
// date, the person's facts resolved from them with every record's value as its
// source (report/person_facts.h), a timeline of their report and incident dates,
// and for each visible record
// after the first the explanation against the earlier visible record it is most
// like (LinkService::Explainer: stored model, no term-frequency adjustments), so
// that the explanations connect every visible record and no other.
//
// Ownership: the service keeps a reference to `store`, which must outlive it.
// Thread-safety: Search, Get and Warm may be called from any number of threads.
// Errors: InvalidArgument for a q that is empty, longer than 200 bytes, holds
// digits but is neither a NIK nor a phone number, or has no name part (titles or
// initials only), and for a bad limit or offset; the messages never repeat q.
// NotFound from Get, with one message, when the person does not exist or has no
// visible record. Storage errors as the store reports them.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/region_index.h"
#include "domain/access.h"
#include "domain/repository.h"
#include "linkage/linker.h"
#include "report/person_facts.h"

namespace gugus::domain {

struct PersonQuery {
  std::string q;
  int limit = 20;
  int offset = 0;
};

// Name similarity from which a record matches a name query.
inline constexpr double kNameThreshold = 0.85;

struct PersonHit {
  int64_t person_id = 0;
  double score = 0;        // 1 for a NIK or phone match, else the name similarity
  std::string matched_by;  // "nik", "phone" or "name"
  std::string name;        // cleaned name of the best-matching visible record
  // From the best-matching visible record, else from the earliest reported visible
  // record that has one; "" when none has.
  std::string sex, birth_date, origin_region;
  std::vector<std::string> agencies;  // codes of the visible records' agencies, sorted
  int records = 0;                    // visible records of this person
};

struct PersonRecord {
  int64_t source_record_id = 0;
  std::string record_id;  // the agency's own id (record.parsed's record_id)
  StoredRecord record;    // current version, with raw cells
};

// Why record_b belongs with record_a (source record ids).
struct PersonLinkEvidence {
  int64_t record_a = 0, record_b = 0;
  linkage::PairExplanation explanation;
};

struct TimelineEvent {
  std::string date;  // YYYY-MM-DD
  std::string kind;  // "report" or "incident"
  std::string agency_code;
  std::string record_id;
};

// What one visible record says of one of its person's facts.
struct FactSource {
  int64_t source_record_id = 0;
  std::string agency_code, record_id;
  std::string value;      // as report::FactValueText writes it
  bool from_nik = false;  // read from the record's NIK (it states no value)
};

// One single-valued fact of a person (report/person_facts.h) with its sources.
struct PersonFact {
  report::PersonField field = report::PersonField::kSex;
  std::string value;  // the value chosen; "" = unknown
  report::FactRule rule = report::FactRule::kUnknown;
  bool disagreement = false;
  std::vector<FactSource> sources;  // every record that knows it, in record order
};

struct PersonFacts {
  std::vector<PersonFact> fields;  // one per report::PersonField, in that order
  int age = -1;                    // at the earliest exploitation; -1 = unknown
};

// The facts of a person from these records (agencies give their types).
PersonFacts FactsOf(std::span<const StoredRecord> records,
                    std::span<const Agency> agencies);

struct PersonDetail {
  int64_t person_id = 0;
  std::vector<PersonRecord> records;      // visible only; by report date
  std::vector<PersonLinkEvidence> links;  // one per visible record after the first
  std::vector<TimelineEvent> timeline;    // by date, reports before incidents
  PersonFacts facts;                      // from the visible records only
};

class PersonNameIndex;
struct ParsedQuery;

class PersonService {
 public:
  explicit PersonService(Store& store);
  ~PersonService();
  PersonService(const PersonService&) = delete;
  PersonService& operator=(const PersonService&) = delete;

  // Answers are kept as person answers are (below), up to kMaxKeptSearches pages,
  // while the index they came from is up to date.
  absl::StatusOr<std::vector<PersonHit>> Search(const RecordScope& scope,
                                                const PersonQuery& query);
  // A person as `scope` sees it. Answers are kept (up to kMaxKeptDetails) and
  // given again while the records, the links and the agencies are unchanged — the
  // store's LinkState and every agency's region and version are part of the key —
  // so a person page read again and again costs two small queries.
  absl::StatusOr<PersonDetail> Get(const RecordScope& scope, int64_t person_id);
  // The same, shared: the pointer stays the same while the answer does, so a caller
  // may keep what it derives from it (the API keeps the JSON).
  absl::StatusOr<std::shared_ptr<const PersonDetail>> GetShared(const RecordScope& scope,
                                                                int64_t person_id);

  // Builds the name index now unless it is up to date (a server calls this at
  // start-up, off the request path, so that the first search is fast).
  absl::Status Warm();

 private:
  // The index to search: the current one, or the previous one while the current
  // one is being built in the background.
  absl::StatusOr<std::shared_ptr<const PersonNameIndex>> Index(const LinkState& state);
  // A page of hits for a parsed query; `current` is set false when the name index
  // used is behind `state`.
  absl::StatusOr<std::vector<PersonHit>> Find(const RecordScope& scope,
                                              const ParsedQuery& parsed, size_t limit,
                                              size_t offset, const LinkState& state,
                                              const std::vector<Agency>& agencies,
                                              bool& current);
  // The background builder's loop: builds whenever asked, until stopped.
  void RebuildInBackground();

  // The regencies and cities an explanation's address fill resolves against,
  // loaded at the first explanation and kept (reference regions change only with
  // `gugus init`, as for the server's own region index).
  absl::StatusOr<const RegionIndex*> FillRegions();

  absl::StatusOr<PersonDetail> Compute(const RecordScope& scope, int64_t person_id);

  Store& store_;
  std::mutex details_mu_;
  // (person, scope) → the answer and what it was computed from.
  struct KeptDetail {
    std::string basis;  // LinkState and agencies, as text
    std::shared_ptr<const PersonDetail> detail;
  };
  absl::flat_hash_map<std::string, KeptDetail> details_;
  std::mutex searches_mu_;
  // (query, scope, page) → the hits and what they were computed from.
  struct KeptSearch {
    std::string basis;
    std::vector<PersonHit> hits;
  };
  absl::flat_hash_map<std::string, KeptSearch> searches_;
  std::mutex regions_mu_;
  std::unique_ptr<const RegionIndex> fill_regions_;
  std::mutex mu_;
  std::condition_variable built_;  // building_ became false
  std::condition_variable work_;   // requested_ or stop_ became true
  // Guarded by mu_:
  std::shared_ptr<const PersonNameIndex> index_;
  bool building_ = false;   // a build is under way (here or in the background)
  bool requested_ = false;  // the background builder should build
  bool stop_ = false;
  std::thread builder_;
};

}  // namespace gugus::domain
