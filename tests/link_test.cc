// `gugus link` in process (LinkService over the run's store) on synthetic agency
// files from the generator: persons against the generator's truth, stable person
// ids across full, "none" and incremental runs, reviewers' decisions binding every
// later run, ids never reused; and the pure id assignment.
#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>

#include "core/strcat.h"
#include "domain/registry/import_service.h"
#include "domain/registry/link_service.h"
#include "domain/registry/reference_service.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/reader.h"
#include "synth/generator.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TempDir;

using Key = std::pair<std::string, std::string>;  // agency code, record_id
using PersonOf = std::map<Key, int64_t>;

// The generated data set, made once for the suite (the generator is deterministic).
// Agencies: POLDA-NTT, UPTD-PPA-JABAR, DINSOS-NTB, BP3MI-JATIM; the tests import
// the first three and keep the last for an incremental run.
constexpr int kPersons = 500;
constexpr int kAgencies = 4;
constexpr uint64_t kSeed = 7;

struct Generated {
  TempDir dir;
  std::unique_ptr<domain::ReferenceIndexes> refs;
  std::vector<domain::Agency> agencies;
  std::vector<std::string> files;  // each agency's file
  std::map<Key, std::string> truth;
  // Each agency's record ids in the order of its file's rows (invalid rows too).
  std::map<std::string, std::vector<std::string>> row_ids;
};

using Partition = std::set<std::set<Key>>;  // persons as sets of records

Partition PartitionOf(const PersonOf& persons) {
  std::map<int64_t, std::set<Key>> records_of;
  for (const auto& [key, person] : persons) records_of[person].insert(key);
  Partition out;
  for (auto& [person, records] : records_of) out.insert(std::move(records));
  return out;
}

// A CSV file's rows as written, the header first, each with its line end: split at
// line ends outside quotes (an address may hold a quoted line break).
std::vector<std::string> SplitCsvRows(const std::string& text) {
  std::vector<std::string> rows;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') {
      quoted = !quoted;
    } else if (text[i] == '\n' && !quoted) {
      rows.push_back(text.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  if (start < text.size()) rows.push_back(text.substr(start));
  return rows;
}

// The file's rows in a random order, except that a record id written twice keeps
// its first entry first: the import keeps that one and quarantines the repeat, so
// the store holds the same records either way.
std::string ShuffleRows(const std::string& text, const std::vector<std::string>& ids,
                        uint64_t seed) {
  std::vector<std::string> rows = SplitCsvRows(text);
  EXPECT_EQ(rows.size(), ids.size() + 1);
  if (rows.size() != ids.size() + 1) return text;
  std::vector<size_t> order(ids.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  std::map<std::string, std::vector<size_t>> slots;  // record id → places in order
  for (size_t k = 0; k < order.size(); ++k) slots[ids[order[k]]].push_back(k);
  for (const auto& [id, places] : slots) {
    if (places.size() < 2) continue;
    std::vector<size_t> entries;
    for (size_t k : places) entries.push_back(order[k]);
    std::sort(entries.begin(), entries.end());
    for (size_t j = 0; j < places.size(); ++j) order[places[j]] = entries[j];
  }
  std::string out = rows[0];
  for (size_t k : order) out += rows[k + 1];
  return out;
}

struct PairScores {
  int64_t predicted = 0, correct = 0, truth = 0;
  double precision() const {
    return predicted ? static_cast<double>(correct) / static_cast<double>(predicted) : 1;
  }
  double recall() const {
    return truth ? static_cast<double>(correct) / static_cast<double>(truth) : 1;
  }
};

class LinkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    gen_ = new Generated;
    std::string db = testing::PreparedDatabase(gen_->dir, "refs.db");
    auto store = testing::OpenStore(db);
    auto refs = domain::LoadReferenceIndexes(*store);
    ASSERT_TRUE(refs.ok()) << refs.status();
    gen_->refs = std::move(refs).value();
    synth::GeneratorOptions options;
    options.agencies = kAgencies;
    options.persons = kPersons;
    options.seed = kSeed;
    options.out_dir = gen_->dir.File("gen");
    auto summary = synth::Generate(options, gen_->refs->regions);
    ASSERT_TRUE(summary.ok()) << summary.status();
    auto agencies = testing::ReadCsvRows(options.out_dir + "/agencies.csv");
    for (const auto& c : agencies) {
      ASSERT_EQ(c.size(), 5u);
      gen_->agencies.push_back({0, c[0], c[1], c[2], c[3]});
      gen_->files.push_back(options.out_dir + "/" + c[4]);
    }
    ASSERT_EQ(gen_->agencies.size(), static_cast<size_t>(kAgencies));
    for (const auto& t : testing::ReadCsvRows(options.out_dir + "/truth.csv")) {
      ASSERT_EQ(t.size(), 3u);
      gen_->truth[{t[0], t[1]}] = t[2];
      gen_->row_ids[t[0]].push_back(t[1]);
    }
  }
  static void TearDownTestSuite() {
    delete gen_;
    gen_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(gen_, nullptr);
    ASSERT_NE(gen_->refs, nullptr);
    db_ = testing::PreparedDatabase(dir_);
    store_ = testing::OpenStore(db_);
    for (domain::Agency a : gen_->agencies) {
      absl::Status s = store_->agencies().Add(a);
      ASSERT_TRUE(s.ok() || absl::IsAlreadyExists(s)) << s;
    }
    imports_ = std::make_unique<domain::ImportService>(*store_, gen_->refs->regions,
                                                       gen_->refs->countries);
    links_ = std::make_unique<domain::LinkService>(*store_);
  }

  // Imports agency `i`'s generated file; returns the records it inserted.
  int64_t ImportAgency(size_t i) {
    domain::ImportRequest request;
    request.path = gen_->files[i];
    request.agency_code = gen_->agencies[i].code;
    request.today = Date{2026, 6, 30};
    auto report = imports_->Import(request);
    EXPECT_TRUE(report.ok()) << report.status();
    if (!report.ok()) return 0;
    EXPECT_GT(report->counts.inserted, 0);
    return report->counts.inserted;
  }
  // The first three agencies: the base data set of most tests.
  int64_t ImportBase() { return ImportAgency(0) + ImportAgency(1) + ImportAgency(2); }

  domain::LinkReport Link(bool full = false) {
    domain::LinkRequest request;
    request.full = full;
    auto report = links_->Link(request);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : domain::LinkReport{};
  }

  // `gugus export links`, as rows and as text.
  PersonOf Persons() { return PersonsIn(*store_); }
  static PersonOf PersonsIn(domain::Store& store) {
    PersonOf out;
    EXPECT_TRUE(store.links()
                    .ForEachExportLink([&](std::string_view agency,
                                           std::string_view record_id, int64_t person) {
                      bool fresh = out.emplace(Key(agency, record_id), person).second;
                      EXPECT_TRUE(fresh) << agency << " " << record_id;
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }
  std::string ExportText() {
    std::string out;
    EXPECT_TRUE(store_->links()
                    .ForEachExportLink([&](std::string_view agency,
                                           std::string_view record_id, int64_t person) {
                      out += StrCat(agency, ",", record_id, ",", person, "\n");
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }
  static size_t DistinctPersons(const PersonOf& persons) {
    std::set<int64_t> ids;
    for (const auto& [key, person] : persons) ids.insert(person);
    return ids.size();
  }

  // Source record id → (agency, record_id), for every current record.
  std::map<int64_t, Key> RecordKeys() {
    std::map<int64_t, Key> out;
    EXPECT_TRUE(store_->links()
                    .ForEachLinkRecord([&](domain::LinkRecord&& r) {
                      out[r.source_record_id] = {r.agency_code,
                                                 r.parsed[ingest::Field::kRecordId]};
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  // Pairwise "same person" scores of the linkage against the generator's truth.
  static PairScores Score(const PersonOf& persons) {
    std::map<int64_t, std::vector<std::string>> by_person;
    std::map<std::string, int64_t> by_truth;
    for (const auto& [key, person] : persons) {
      auto t = gen_->truth.find(key);
      EXPECT_NE(t, gen_->truth.end()) << key.first << " " << key.second;
      if (t == gen_->truth.end()) continue;
      by_person[person].push_back(t->second);
      ++by_truth[t->second];
    }
    PairScores s;
    for (auto& [person, keys] : by_person) {
      std::map<std::string, int64_t> n;
      for (const std::string& k : keys) ++n[k];
      int64_t size = static_cast<int64_t>(keys.size());
      s.predicted += size * (size - 1) / 2;
      for (const auto& [k, c] : n) s.correct += c * (c - 1) / 2;
    }
    for (const auto& [k, c] : by_truth) s.truth += c * (c - 1) / 2;
    return s;
  }

  int64_t NextPersonId() {
    auto next = store_->links().NextPersonId();
    EXPECT_TRUE(next.ok()) << next.status();
    return next.ok() ? *next : 0;
  }

  // The id of the person holding (agency, record_id) of a review item's side.
  static int64_t PersonA(const PersonOf& p, const domain::ReviewItem& i) {
    auto it = p.find({i.agency_a, i.record_id_a});
    return it == p.end() ? 0 : it->second;
  }
  static int64_t PersonB(const PersonOf& p, const domain::ReviewItem& i) {
    auto it = p.find({i.agency_b, i.record_id_b});
    return it == p.end() ? 0 : it->second;
  }

  // An undecided review item whose two records are in different persons.
  // A waiting pair of records of two persons that hold one record each: deciding
  // "same" must merge them and nothing else, whatever the model makes of the
  // records around (with more records, a person's other records may rightly go
  // elsewhere when the relink weighs them against the joined person).
  std::optional<domain::ReviewItem> ItemAcrossPersons() {
    auto queue = store_->links().ReviewQueue(1000);
    EXPECT_TRUE(queue.ok()) << queue.status();
    if (!queue.ok()) return std::nullopt;
    std::map<int64_t, int> records_of;
    for (const auto& [key, person] : Persons()) ++records_of[person];
    for (const domain::ReviewItem& item : *queue)
      if (item.person_a != 0 && item.person_b != 0 && item.person_a != item.person_b &&
          records_of[item.person_a] == 1 && records_of[item.person_b] == 1)
        return item;
    return std::nullopt;
  }

  // An undecided review item across two persons of at least two records each.
  std::optional<domain::ReviewItem> ItemAcrossPersonsOfSeveralRecords() {
    auto queue = store_->links().ReviewQueue(1000);
    EXPECT_TRUE(queue.ok()) << queue.status();
    if (!queue.ok()) return std::nullopt;
    std::map<int64_t, int> records_of;
    for (const auto& [key, person] : Persons()) ++records_of[person];
    for (const domain::ReviewItem& item : *queue)
      if (item.person_a != 0 && item.person_b != 0 && item.person_a != item.person_b &&
          records_of[item.person_a] >= 2 && records_of[item.person_b] >= 2)
        return item;
    return std::nullopt;
  }
  // An undecided review item whose two records are in one person (through others).
  std::optional<domain::ReviewItem> ItemWithinOnePerson() {
    auto queue = store_->links().ReviewQueue(1000);
    EXPECT_TRUE(queue.ok()) << queue.status();
    if (!queue.ok()) return std::nullopt;
    for (const domain::ReviewItem& item : *queue)
      if (item.person_a != 0 && item.person_a == item.person_b) return item;
    return std::nullopt;
  }

  void ImportCopyThenCorrect(int64_t& person_a, int64_t& person_b);
  static inline const Key kCopy = {"POLDA-NTT", "COPY-1"};

  static inline Generated* gen_ = nullptr;
  TempDir dir_;
  std::string db_;
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<domain::ImportService> imports_;
  std::unique_ptr<domain::LinkService> links_;
};

TEST_F(LinkTest, FirstRunIsFullAndGivesEveryRecordOnePersonAgreeingWithTheTruth) {
  const int64_t records = ImportBase();
  domain::LinkReport r = Link();
  EXPECT_EQ(r.kind, "full");
  EXPECT_GT(r.run_id, 0);
  EXPECT_EQ(r.records, records);
  EXPECT_EQ(r.new_records, records);
  EXPECT_GT(r.candidate_pairs, 0);
  EXPECT_GT(r.links, 0);
  EXPECT_EQ(r.persons_created, r.persons);
  EXPECT_EQ(r.persons_retired, 0);
  EXPECT_EQ(r.records_moved, 0);

  PersonOf persons = Persons();
  EXPECT_EQ(static_cast<int64_t>(persons.size()), records);
  EXPECT_EQ(static_cast<int64_t>(DistinctPersons(persons)), r.persons);
  EXPECT_LT(r.persons, records);  // some records were linked
  EXPECT_EQ(NextPersonId(), r.persons + 1);

  PairScores s = Score(persons);
  std::printf(
      "[ measured ] full run: %lld records, %lld persons; pairs linked %lld, "
      "true %lld, correct %lld: precision %.4f recall %.4f\n",
      static_cast<long long>(records), static_cast<long long>(r.persons),
      static_cast<long long>(s.predicted), static_cast<long long>(s.truth),
      static_cast<long long>(s.correct), s.precision(), s.recall());
  EXPECT_GT(s.predicted, 50);
  // Pairs of records, on a few hundred persons (measured 2026-11-23: precision
  // 0.911, recall 0.935; before report dates and addresses were compared 0.952
  // and 0.869: the model now merges more, rightly on the whole, bench/RESULTS.md).
  EXPECT_GE(s.precision(), 0.88);
  EXPECT_GE(s.recall(), 0.85);
}

TEST_F(LinkTest, RunWithoutNewDataIsNoneAndAFullRerunKeepsEveryPersonId) {
  ImportBase();
  domain::LinkReport first = Link();
  ASSERT_EQ(first.kind, "full");
  const std::string before = ExportText();
  ASSERT_FALSE(before.empty());

  domain::LinkReport none = Link();
  EXPECT_EQ(none.kind, "none");
  EXPECT_EQ(none.records, first.records);
  EXPECT_EQ(none.persons, first.persons);
  EXPECT_EQ(ExportText(), before);

  domain::LinkReport full = Link(/*full=*/true);
  EXPECT_EQ(full.kind, "full");
  EXPECT_EQ(full.persons, first.persons);
  EXPECT_EQ(full.persons_created, 0);
  EXPECT_EQ(full.persons_retired, 0);
  EXPECT_EQ(full.records_moved, 0);
  EXPECT_EQ(ExportText(), before);
  EXPECT_EQ(NextPersonId(), first.persons + 1);
}

// Issue 19: the same files imported in another order gave other persons, as ties
// between equal weights (and the samples the model is fitted on) followed the
// order records were imported in.
TEST_F(LinkTest, FullRunGivesTheSamePersonsWhateverTheImportOrder) {
  int64_t inserted = 0;
  for (size_t i = 0; i < gen_->files.size(); ++i) inserted += ImportAgency(i);
  const domain::LinkReport in_order = Link(/*full=*/true);
  ASSERT_EQ(in_order.kind, "full");
  const Partition expected = PartitionOf(Persons());

  // A second store: agencies added and imported the other way round, each file's
  // rows shuffled.
  TempDir other;
  const std::string db = testing::PreparedDatabase(other, "reordered.db");
  std::unique_ptr<domain::Store> store = testing::OpenStore(db);
  for (auto a = gen_->agencies.rbegin(); a != gen_->agencies.rend(); ++a) {
    domain::Agency agency = *a;
    absl::Status s = store->agencies().Add(agency);
    ASSERT_TRUE(s.ok() || absl::IsAlreadyExists(s)) << s;
  }
  domain::ImportService imports(*store, gen_->refs->regions, gen_->refs->countries);
  int64_t reinserted = 0;
  for (size_t i = gen_->files.size(); i-- > 0;) {
    const std::string& code = gen_->agencies[i].code;
    domain::ImportRequest request;
    request.path = other.File(code + ".csv");
    testing::WriteFile(request.path, ShuffleRows(testing::ReadFile(gen_->files[i]),
                                                 gen_->row_ids[code], 1000 + i));
    request.agency_code = code;
    request.today = Date{2026, 6, 30};
    auto report = imports.Import(request);
    ASSERT_TRUE(report.ok()) << report.status();
    reinserted += report->counts.inserted;
  }
  ASSERT_EQ(reinserted, inserted);
  domain::LinkService links(*store);
  domain::LinkRequest request;
  request.full = true;
  auto reordered = links.Link(request);
  ASSERT_TRUE(reordered.ok()) << reordered.status();
  EXPECT_EQ(reordered->candidate_pairs, in_order.candidate_pairs);
  EXPECT_EQ(reordered->links, in_order.links);
  EXPECT_EQ(reordered->persons, in_order.persons);

  const Partition got = PartitionOf(PersonsIn(*store));
  // How many records sit with other records than in the first store.
  std::map<Key, const std::set<Key>*> expected_of;
  for (const std::set<Key>& person : expected)
    for (const Key& k : person) expected_of[k] = &person;
  int64_t differ = 0;
  for (const std::set<Key>& person : got)
    for (const Key& k : person)
      if (!expected_of.contains(k) || *expected_of[k] != person) ++differ;
  EXPECT_EQ(differ, 0) << "of " << inserted << " records";
  EXPECT_TRUE(got == expected);
}

TEST_F(LinkTest, IncrementalRunKeepsTheIdsOfPersonsItDoesNotTouch) {
  ImportBase();
  domain::LinkReport first = Link();
  ASSERT_EQ(first.kind, "full");
  const PersonOf before = Persons();
  const int64_t next_before = NextPersonId();
  auto first_run = store_->links().LastRun();
  ASSERT_TRUE(first_run.ok() && first_run->has_value());

  const int64_t added = ImportAgency(3);
  domain::LinkReport r = Link();
  EXPECT_EQ(r.kind, "incremental");
  EXPECT_EQ(r.new_records, added);
  EXPECT_EQ(r.records, first.records + added);
  auto run = store_->links().LastRun();
  ASSERT_TRUE(run.ok() && run->has_value());
  EXPECT_EQ((*run)->id, r.run_id);
  EXPECT_EQ((*run)->kind, "incremental");
  EXPECT_EQ((*run)->model, (*first_run)->model);  // kept, not refitted
  const PersonOf after = Persons();
  ASSERT_EQ(static_cast<int64_t>(after.size()), r.records);
  EXPECT_EQ(static_cast<int64_t>(DistinctPersons(after)), r.persons);

  // Persons that gained a new record.
  std::set<int64_t> touched;
  int64_t new_into_old = 0;
  for (const auto& [key, person] : after) {
    if (before.contains(key)) continue;
    touched.insert(person);
    if (person < next_before) ++new_into_old;
  }
  EXPECT_GT(new_into_old, 0) << "no new record joined an existing person";

  int64_t moved = 0;
  std::map<int64_t, int64_t> after_of_old;  // old person → its person now
  for (const auto& [key, old_person] : before) {
    ASSERT_TRUE(after.contains(key)) << key.first << " " << key.second;
    int64_t now = after.at(key);
    if (!touched.contains(now)) {
      EXPECT_EQ(now, old_person) << key.first << " " << key.second;
    } else if (now != old_person) {
      ++moved;
    }
    // An incremental run keeps existing persons whole...
    auto [it, fresh] = after_of_old.try_emplace(old_person, now);
    EXPECT_EQ(it->second, now) << "person " << old_person << " was split";
    // ...and a person holding old records keeps one of their ids.
    EXPECT_LT(now, next_before) << key.first << " " << key.second;
  }
  EXPECT_EQ(moved, r.records_moved);
  for (const auto& [key, person] : after)
    if (!before.contains(key) && !touched.contains(person)) ADD_FAILURE();

  PairScores s = Score(after);
  std::printf(
      "[ measured ] after incremental: %lld records, %lld persons; "
      "precision %.4f recall %.4f; %lld new records joined existing persons\n",
      static_cast<long long>(r.records), static_cast<long long>(r.persons), s.precision(),
      s.recall(), static_cast<long long>(new_into_old));
  EXPECT_GE(s.precision(), 0.88);  // measured 0.899 (recall 0.929)
  EXPECT_GE(s.recall(), 0.85);

  // And nothing new again: no id changes.
  const std::string text = ExportText();
  EXPECT_EQ(Link().kind, "none");
  EXPECT_EQ(ExportText(), text);
}

TEST_F(LinkTest, SameDecisionMergesAndBindsLaterFullAndIncrementalRuns) {
  ImportBase();
  domain::LinkReport first = Link();
  auto item = ItemAcrossPersons();
  ASSERT_TRUE(item.has_value()) << "the review queue has no pair across two persons";
  PersonOf before = Persons();
  ASSERT_NE(PersonA(before, *item), PersonB(before, *item));

  auto decided =
      links_->Decide(item->id, domain::Decision::kSame, "tester", "same NIK", {});
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->kind, "incremental");
  EXPECT_EQ(decided->persons, first.persons - 1);
  EXPECT_EQ(decided->persons_retired, 1);
  PersonOf merged = Persons();
  EXPECT_EQ(PersonA(merged, *item), PersonB(merged, *item));
  EXPECT_EQ(static_cast<int64_t>(DistinctPersons(merged)), first.persons - 1);
  // The merged person keeps one of the two ids.
  EXPECT_THAT((std::set<int64_t>{PersonA(before, *item), PersonB(before, *item)}),
              ::testing::Contains(PersonA(merged, *item)));
  // Decided: no longer waiting in the queue.
  auto queue = store_->links().ReviewQueue(100000);
  ASSERT_TRUE(queue.ok());
  for (const auto& i : *queue) EXPECT_NE(i.id, item->id);
  auto decisions = store_->links().Decisions();
  ASSERT_TRUE(decisions.ok());
  ASSERT_EQ(decisions->size(), 1u);
  EXPECT_EQ(decisions->front().decided_by, "tester");
  EXPECT_EQ(decisions->front().note, "same NIK");

  domain::LinkReport full = Link(/*full=*/true);
  EXPECT_EQ(full.kind, "full");
  PersonOf after_full = Persons();
  EXPECT_EQ(PersonA(after_full, *item), PersonB(after_full, *item));
  EXPECT_EQ(PersonA(after_full, *item), PersonA(merged, *item));

  ImportAgency(3);
  domain::LinkReport incremental = Link();
  EXPECT_EQ(incremental.kind, "incremental");
  PersonOf after_incremental = Persons();
  EXPECT_EQ(PersonA(after_incremental, *item), PersonB(after_incremental, *item));
}

TEST_F(LinkTest, DifferentDecisionSplitsAPersonAndBindsLaterRuns) {
  ImportBase();
  Link();
  // A reviewer says "same", then thinks better of it: the revised decision binds.
  auto item = ItemAcrossPersons();
  ASSERT_TRUE(item.has_value());
  ASSERT_TRUE(links_->Decide(item->id, domain::Decision::kSame, "tester", "", {}).ok());
  PersonOf merged = Persons();
  ASSERT_EQ(PersonA(merged, *item), PersonB(merged, *item));
  const int64_t persons_merged = static_cast<int64_t>(DistinctPersons(merged));

  auto revised =
      links_->Decide(item->id, domain::Decision::kDifferent, "tester", "not her", {});
  ASSERT_TRUE(revised.ok()) << revised.status();
  PersonOf split = Persons();
  EXPECT_NE(PersonA(split, *item), PersonB(split, *item));
  EXPECT_EQ(revised->persons, persons_merged + 1);
  auto decisions = store_->links().Decisions();
  ASSERT_TRUE(decisions.ok());
  ASSERT_EQ(decisions->size(), 1u);  // the latest per pair
  EXPECT_EQ(decisions->front().decision, domain::Decision::kDifferent);

  Link(/*full=*/true);
  PersonOf after_full = Persons();
  EXPECT_NE(PersonA(after_full, *item), PersonB(after_full, *item));
}

// Issue 19: "same person" linked both persons' records again, and the cluster guard
// could keep some of them out, moving a record instead of merging the persons.
TEST_F(LinkTest, SameDecisionMergesTwoPersonsOfSeveralRecordsWholeAndAFullRunKeepsIt) {
  ImportBase();
  const domain::LinkReport first = Link();
  auto item = ItemAcrossPersonsOfSeveralRecords();
  ASSERT_TRUE(item.has_value()) << "no review item across two persons of 2+ records";
  const PersonOf before = Persons();
  const int64_t person_a = PersonA(before, *item), person_b = PersonB(before, *item);
  std::set<Key> both;  // every record of the two persons
  for (const auto& [key, person] : before)
    if (person == person_a || person == person_b) both.insert(key);
  ASSERT_GE(both.size(), 4u);
  auto persons_of_both = [&](const PersonOf& persons) {
    std::set<int64_t> ids;
    for (const Key& k : both) ids.insert(persons.at(k));
    return ids;
  };

  auto same = links_->Decide(item->id, domain::Decision::kSame, "tester", "", {});
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->persons, first.persons - 1);
  EXPECT_EQ(same->persons_retired, 1);
  const PersonOf merged = Persons();
  EXPECT_EQ(persons_of_both(merged).size(), 1u);
  EXPECT_THAT((std::set<int64_t>{person_a, person_b}),
              ::testing::Contains(*persons_of_both(merged).begin()));
  EXPECT_EQ(static_cast<int64_t>(DistinctPersons(merged)), first.persons - 1);
  for (const auto& [key, person] : before) {  // nobody else moved
    if (both.contains(key)) continue;
    EXPECT_EQ(merged.at(key), person);
  }

  // A full run makes the same two persons of the records and the decision joins
  // them again: nothing changes.
  const domain::LinkReport full = Link(/*full=*/true);
  EXPECT_EQ(full.persons, first.persons - 1);
  EXPECT_EQ(full.records_moved, 0);
  EXPECT_EQ(Persons(), merged);
}

TEST_F(LinkTest, DifferentDecisionOnAnItemWithinOnePersonSplitsItAndAFullRunKeepsIt) {
  ImportBase();
  const domain::LinkReport first = Link();
  auto item = ItemWithinOnePerson();
  ASSERT_TRUE(item.has_value()) << "no review item inside one person";
  auto different =
      links_->Decide(item->id, domain::Decision::kDifferent, "tester", "", {});
  ASSERT_TRUE(different.ok()) << different.status();
  PersonOf split = Persons();
  EXPECT_NE(PersonA(split, *item), PersonB(split, *item));
  EXPECT_GT(different->persons, first.persons);
  Link(/*full=*/true);
  PersonOf after_full = Persons();
  EXPECT_NE(PersonA(after_full, *item), PersonB(after_full, *item));
}

TEST_F(LinkTest, DifferentDecisionOnAModelLinkedPairSplitsItsPersonInAFullRun) {
  ImportBase();
  domain::LinkReport first = Link();
  // Two records the model put in one person (above the link threshold).
  auto links = store_->links().Links();
  ASSERT_TRUE(links.ok());
  std::map<int64_t, std::vector<int64_t>> records_of;
  for (const domain::PersonLink& l : *links)
    records_of[l.person_id].push_back(l.source_record_id);
  int64_t a = 0, b = 0, person = 0;
  for (const auto& [p, records] : records_of) {
    if (records.size() != 2) continue;
    a = records[0];
    b = records[1];
    person = p;
    break;
  }
  ASSERT_NE(person, 0) << "no person of two records";
  std::map<int64_t, Key> keys = RecordKeys();
  const int64_t next_before = NextPersonId();

  domain::LinkDecision d;
  d.record_a = a;
  d.record_b = b;
  d.decision = domain::Decision::kDifferent;
  d.decided_by = "tester";
  ASSERT_TRUE(store_->links().AddDecision(d).ok());
  domain::LinkReport full = Link(/*full=*/true);
  EXPECT_EQ(full.kind, "full");
  EXPECT_EQ(full.persons, first.persons + 1);
  EXPECT_EQ(full.persons_created, 1);
  PersonOf split = Persons();
  int64_t pa = split.at(keys.at(a)), pb = split.at(keys.at(b));
  EXPECT_NE(pa, pb);
  // One part keeps the id (a tie: the part of the record that comes first by agency
  // code and record_id, the order a run takes records in), the other is new.
  const bool a_first = keys.at(a) < keys.at(b);
  EXPECT_EQ(a_first ? pa : pb, person);
  EXPECT_EQ(a_first ? pb : pa, next_before);

  // Binding in later runs.
  ImportAgency(3);
  EXPECT_EQ(Link().kind, "incremental");
  PersonOf incremental = Persons();
  EXPECT_NE(incremental.at(keys.at(a)), incremental.at(keys.at(b)));
}

TEST_F(LinkTest, APersonIdRetiredByAMergeIsNeverGivenAgain) {
  ImportBase();
  Link();
  std::set<int64_t> ever;
  auto remember = [&] {
    for (const auto& [key, person] : Persons()) ever.insert(person);
  };
  remember();
  auto item = ItemAcrossPersons();
  ASSERT_TRUE(item.has_value());
  PersonOf before = Persons();
  ASSERT_TRUE(links_->Decide(item->id, domain::Decision::kSame, "tester", "", {}).ok());
  PersonOf merged = Persons();
  int64_t kept = PersonA(merged, *item);
  int64_t retired =
      PersonA(before, *item) == kept ? PersonB(before, *item) : PersonA(before, *item);
  ASSERT_NE(retired, kept);
  remember();
  EXPECT_GT(NextPersonId(), *ever.rbegin());

  // Splitting again needs a new id: not the retired one.
  ASSERT_TRUE(
      links_->Decide(item->id, domain::Decision::kDifferent, "tester", "", {}).ok());
  PersonOf split = Persons();
  int64_t other =
      PersonA(split, *item) == kept ? PersonB(split, *item) : PersonA(split, *item);
  EXPECT_NE(other, retired);
  EXPECT_GT(other, *ever.rbegin());
  remember();
  ImportAgency(3);
  Link();
  remember();
  for (const auto& [key, person] : Persons()) EXPECT_NE(person, retired);
  EXPECT_GT(NextPersonId(), *ever.rbegin());
}

// Links the base data, then imports a POLDA-NTT record "COPY-1" copying the values
// of a record A, links it (it joins A's person), and re-imports it corrected to the
// values of a record B of another person: a new version of COPY-1.
void LinkTest::ImportCopyThenCorrect(int64_t& person_a, int64_t& person_b) {
  ImportBase();
  Link();
  std::map<int64_t, domain::LinkRecord> records;  // with a NIK and a sex
  ASSERT_TRUE(store_->links()
                  .ForEachLinkRecord([&](domain::LinkRecord&& r) {
                    const auto& v = r.parsed;
                    if (!v[ingest::Field::kNik].empty() &&
                        !v[ingest::Field::kSex].empty())
                      records.emplace(r.source_record_id, std::move(r));
                    return absl::OkStatus();
                  })
                  .ok());
  auto links = store_->links().Links();
  ASSERT_TRUE(links.ok());
  std::map<int64_t, int64_t> person_of;
  for (const auto& l : *links) person_of[l.source_record_id] = l.person_id;
  ASSERT_GE(records.size(), 2u);
  const domain::LinkRecord& a = records.begin()->second;
  const domain::LinkRecord* b = nullptr;
  for (const auto& [id, r] : records)
    if (person_of[id] != person_of[a.source_record_id]) {
      b = &r;
      break;
    }
  ASSERT_NE(b, nullptr);
  person_a = person_of[a.source_record_id];
  person_b = person_of[b->source_record_id];

  auto file = [](const domain::LinkRecord& r) {
    using ingest::Field;
    const auto& v = r.parsed;
    return StrCat(
        "record_id,report_date,name,nik,sex,birth_date,origin_region,phone\n"
        "COPY-1,2025-12-01,",
        v[Field::kName], ",", v[Field::kNik], ",", v[Field::kSex], ",",
        v[Field::kBirthDate], ",", v[Field::kOriginRegion], ",", v[Field::kPhone], "\n");
  };
  std::string path = dir_.File("copy.csv");
  testing::WriteFile(path, file(a));
  domain::ImportRequest request;
  request.path = path;
  request.agency_code = "POLDA-NTT";
  request.today = Date{2026, 6, 30};
  auto first = imports_->Import(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->counts.inserted, 1);
  ASSERT_EQ(Link().kind, "incremental");
  ASSERT_EQ(Persons().at(kCopy), person_a);

  testing::WriteFile(path, file(*b));
  auto corrected = imports_->Import(request);
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  ASSERT_EQ(corrected->counts.updated, 1);
}

TEST_F(LinkTest, CorrectedRecordMovesToItsNewPersonInAFullRun) {
  int64_t person_a = 0, person_b = 0;
  ASSERT_NO_FATAL_FAILURE(ImportCopyThenCorrect(person_a, person_b));
  domain::LinkReport r = Link(/*full=*/true);
  EXPECT_EQ(r.kind, "full");
  EXPECT_GE(r.records_moved, 1);  // the copy (a refit may move a few others)
  PersonOf persons = Persons();
  EXPECT_EQ(persons.at(kCopy), person_b);
  // A's person lost the copy but keeps its id.
  EXPECT_TRUE(std::any_of(persons.begin(), persons.end(),
                          [&](const auto& p) { return p.second == person_a; }));
}

// Linking again after a correction should look at the corrected record. Today an
// incremental run only scores records never linked: it reports "none" and the
// record stays with the person of its old values until `gugus link --full`.
TEST_F(LinkTest, CorrectedRecordIsRelinkedWithoutAFullRun) {
  int64_t person_a = 0, person_b = 0;
  ASSERT_NO_FATAL_FAILURE(ImportCopyThenCorrect(person_a, person_b));
  domain::LinkReport r = Link();
  EXPECT_EQ(r.kind, "incremental");
  EXPECT_EQ(r.new_records, 1);
  EXPECT_EQ(Persons().at(kCopy), person_b);
}

TEST_F(LinkTest, DecideOnAnUnknownItemIsNotFoundAndNeedsAReviewer) {
  ImportBase();
  Link();
  auto unknown = links_->Decide(999999, domain::Decision::kSame, "tester", "", {});
  EXPECT_TRUE(absl::IsNotFound(unknown.status())) << unknown.status();
  auto item = ItemAcrossPersons();
  ASSERT_TRUE(item.has_value());
  auto nobody = links_->Decide(item->id, domain::Decision::kSame, "", "", {});
  EXPECT_TRUE(absl::IsInvalidArgument(nobody.status())) << nobody.status();
  auto decisions = store_->links().Decisions();
  ASSERT_TRUE(decisions.ok());
  EXPECT_TRUE(decisions->empty());
}

TEST_F(LinkTest, LinkOnAnEmptyStoreAsksToImportFirst) {
  auto r = links_->Link({});
  EXPECT_TRUE(absl::IsFailedPrecondition(r.status())) << r.status();
  EXPECT_THAT(r.status().message(), HasSubstr("import"));
  auto run = store_->links().LastRun();
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(run->has_value());
}

TEST(LinkSettingsTest, DefaultSettingsAreTheShippedBenchmarkFile) {
  std::string file = testing::ReadFile(std::string(GUGUS_SOURCE_DIR) +
                                       "/bench/linkage/generated.settings.json");
  ASSERT_FALSE(file.empty());
  EXPECT_EQ(domain::DefaultLinkSettings(), file);
}

// --- AssignPersonIds (pure) ---

using domain::AssignPersonIds;
using Ids = std::vector<int64_t>;

TEST(AssignPersonIdsTest, SameClustersKeepTheirIds) {
  EXPECT_THAT(AssignPersonIds({3, 3, 8, 1, 1}, {5, 5, 7, 9, 9}, 10),
              ElementsAre(5, 5, 7, 9, 9));
  EXPECT_THAT(AssignPersonIds({}, {}, 1), ElementsAre());
}

TEST(AssignPersonIdsTest, ASplitKeepsTheIdForTheLargerPart) {
  EXPECT_THAT(AssignPersonIds({0, 0, 0, 1, 1}, {4, 4, 4, 4, 4}, 10),
              ElementsAre(4, 4, 4, 10, 10));
  EXPECT_THAT(AssignPersonIds({0, 0, 1, 1, 1}, {4, 4, 4, 4, 4}, 10),
              ElementsAre(10, 10, 4, 4, 4));
  // Three parts: the largest keeps it, the others are new in record order.
  EXPECT_THAT(AssignPersonIds({2, 1, 1, 0, 0, 0}, {4, 4, 4, 4, 4, 4}, 10),
              ElementsAre(10, 11, 11, 4, 4, 4));
}

TEST(AssignPersonIdsTest, AMergeKeepsTheIdOfTheBiggerOverlapAndRetiresTheOther) {
  Ids merged = AssignPersonIds({0, 0, 0, 0, 0}, {3, 3, 3, 6, 6}, 10);
  EXPECT_THAT(merged, ElementsAre(3, 3, 3, 3, 3));
  EXPECT_THAT(AssignPersonIds({0, 0, 0, 0}, {3, 6, 6, 6}, 10), ElementsAre(6, 6, 6, 6));
  // The cluster holding more of an id wins it; the other falls back to its next id.
  EXPECT_THAT(AssignPersonIds({0, 0, 0, 1, 1, 1}, {5, 5, 6, 5, 5, 5}, 10),
              ElementsAre(6, 6, 6, 5, 5, 5));
  // ...or to a new one when it has none left.
  EXPECT_THAT(AssignPersonIds({0, 0, 1, 1, 1}, {5, 5, 5, 5, 5}, 10),
              ElementsAre(10, 10, 5, 5, 5));
}

TEST(AssignPersonIdsTest, NewClustersGetNextIdsInOrderOfTheirFirstRecord) {
  EXPECT_THAT(AssignPersonIds({5, 5, 2, 9, 2}, {0, 0, 0, 0, 0}, 20),
              ElementsAre(20, 20, 21, 22, 21));
  // New records joining an existing person take its id; alone, a new one.
  EXPECT_THAT(AssignPersonIds({0, 0, 1, 2}, {1, 0, 0, 2}, 3), ElementsAre(1, 1, 3, 2));
}

TEST(AssignPersonIdsTest, TiesGoToTheSmallerId) {
  // A merge of two persons of the same size keeps the smaller id.
  EXPECT_THAT(AssignPersonIds({0, 0, 0, 0}, {8, 8, 3, 3}, 10), ElementsAre(3, 3, 3, 3));
  EXPECT_THAT(AssignPersonIds({0, 0}, {8, 3}, 10), ElementsAre(3, 3));
  // Two clusters each holding one record of ids 3 and 8: the first cluster (in
  // record order) takes the smaller id, the other the remaining one.
  EXPECT_THAT(AssignPersonIds({0, 1, 1, 0}, {8, 3, 8, 3}, 10), ElementsAre(3, 8, 8, 3));
  // A split into equal halves: the part of the first record keeps the id.
  EXPECT_THAT(AssignPersonIds({1, 0, 1, 0}, {7, 7, 7, 7}, 10), ElementsAre(7, 10, 7, 10));
}

}  // namespace
}  // namespace gugus
