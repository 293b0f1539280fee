// Person search and the person page (domain/person_service.h) over the run's store:
// synthetic agency files from the generator as background, plus a few hand-made
// synthetic people (no real person) whose records the tests know:
//
//   X  Siti Nurhaliza, from Kota Kupang (NTT), NIK 5371014507990003, phone
//      0812 3456 7890: UPTD-PPA-JABAR/PX-1 (origin Kupang), POLDA-NTT/PX-2
//      ("St. Nur Haliza"), UPTD-PPA-JABAR/PX-3 (origin not given)
//   Y  Djoko / Joko Santoso, from Kabupaten Kupang: POLDA-NTT/PY-1, PY-2
//   Z  Kornelia Rambu Ana, from Kabupaten Sukabumi: UPTD-PPA-JABAR/PZ-1
//   W  Yohana Bere Lelo, from Kota Kupang, found in Jawa Barat: UPTD-PPA-JABAR/PW-1
//   M  four different women named Maria Goreti Seran: POLDA-NTT/PM-1..4
//
// Agencies: POLDA-NTT (police, 53), UPTD-PPA-JABAR (pppa_unit, 32), DINSOS-NTB.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "core/strcat.h"
#include "domain/registry/import_service.h"
#include "domain/registry/link_service.h"
#include "domain/registry/person_service.h"
#include "domain/registry/reference_service.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest/reader.h"
#include "linkage/indonesian_name.h"
#include "synth/generator.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using domain::PersonHit;
using domain::PersonQuery;
using domain::RecordScope;
using domain::Role;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

constexpr const char* kHeader =
    "record_id,report_date,name,nik,sex,birth_date,origin_region,phone,incident_date,"
    "destination\n";

constexpr const char* kJabarFile =
    "PX-1,10/03/2023,Siti Nurhaliza binti Ahmad,5371014507990003,P,05/07/1999,Kota "
    "Kupang,0812 3456 7890,15/01/2023,Malaysia\n"
    "PX-3,20/01/2024,SITI NURHALIZA,5371014507990003,P,05/07/1999,,,,\n"
    "PZ-1,02/02/2023,Kornelia Rambu Ana,3202015203950001,P,12/03/1995,Kabupaten "
    "Sukabumi,,,\n"
    "PW-1,05/06/2023,Yohana Bere Lelo,,P,,Kota Kupang,,,Malaysia\n";

constexpr const char* kPoldaFile =
    "PX-2,02/05/2023,St. Nur Haliza,5371014507990003,P,05/07/1999,53.71,081234567890,"
    "15/01/2023,Malaysia\n"
    "PY-1,11/08/2022,Djoko Santoso,5301011208850002,L,12/08/1985,Kabupaten Kupang,,,\n"
    "PY-2,19/09/2022,Joko Santoso,5301011208850002,L,12/08/1985,Kabupaten Kupang,,,\n"
    "PM-1,01/02/2023,Maria Goreti Seran,5301014101900001,P,01/01/1990,Kabupaten "
    "Kupang,,,\n"
    "PM-2,01/03/2023,Maria Goreti Seran,5301014202910002,P,02/02/1991,Kabupaten "
    "Kupang,,,\n"
    "PM-3,01/04/2023,Maria Goreti Seran,5301014303920003,P,03/03/1992,Kabupaten "
    "Kupang,,,\n"
    "PM-4,01/05/2023,Maria Goreti Seran,5301014404930004,P,04/04/1993,Kabupaten "
    "Kupang,,,\n";

// Built once: the generated background and the people above, imported and linked.
struct Fixture {
  TempDir dir;
  std::string db;
  std::unique_ptr<domain::ReferenceIndexes> refs;
};

class PersonTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fixture_ = new Fixture;
    fixture_->db = testing::PreparedDatabase(fixture_->dir, "linked.db");
    auto store = testing::OpenStore(fixture_->db);
    auto refs = domain::LoadReferenceIndexes(*store);
    ASSERT_TRUE(refs.ok()) << refs.status();
    fixture_->refs = std::move(refs).value();
    synth::GeneratorOptions options;
    options.agencies = 3;
    options.persons = 400;
    options.seed = 5;
    options.invalid_share = 0;
    options.out_dir = fixture_->dir.File("gen");
    ASSERT_TRUE(testing::ImportGenerated(*store, *fixture_->refs, options).ok());
    domain::ImportService imports(*store, fixture_->refs->regions,
                                  fixture_->refs->countries);
    std::string jabar = fixture_->dir.File("jabar.csv");
    std::string polda = fixture_->dir.File("polda.csv");
    testing::WriteFile(jabar, StrCat(kHeader, kJabarFile));
    testing::WriteFile(polda, StrCat(kHeader, kPoldaFile));
    ImportInto(imports, jabar, "UPTD-PPA-JABAR");
    ImportInto(imports, polda, "POLDA-NTT");
    auto linked = domain::LinkService(*store).Link({.full = true, .threads = 2});
    ASSERT_TRUE(linked.ok()) << linked.status();
  }
  static void TearDownTestSuite() {
    delete fixture_;
    fixture_ = nullptr;
  }

  static void ImportInto(domain::ImportService& imports, const std::string& path,
                         const std::string& agency) {
    domain::ImportRequest request;
    request.path = path;
    request.agency_code = agency;
    request.today = Date{2026, 6, 30};
    auto report = imports.Import(request);
    ASSERT_TRUE(report.ok()) << report.status();
    ASSERT_EQ(report->counts.rejected, 0) << path;
  }

  void SetUp() override {
    ASSERT_NE(fixture_, nullptr);
    ASSERT_NE(fixture_->refs, nullptr);
    db_ = testing::CopyDatabase(fixture_->db, dir_);
    store_ = testing::OpenStore(db_);
    persons_ = std::make_unique<domain::PersonService>(*store_);
    polda_ = *store_->agencies().FindByCode("POLDA-NTT");
    jabar_ = *store_->agencies().FindByCode("UPTD-PPA-JABAR");
  }

  static RecordScope Scope(Role role, const std::string& region, int64_t agency_id = 0) {
    domain::Principal p;
    p.role = role;
    p.region_code = region;
    p.agency_id = agency_id;
    return domain::ScopeOf(p);
  }
  RecordScope National() { return Scope(Role::kSecretariat, "ID"); }
  RecordScope NttSecretariat() { return Scope(Role::kSecretariat, "53"); }
  RecordScope PoldaInvestigator() { return Scope(Role::kInvestigator, "53", polda_.id); }
  RecordScope JabarCaseworker() { return Scope(Role::kCaseworker, "32", jabar_.id); }

  // The source record (agency, record_id) as stored.
  domain::StoredRecord Record(const std::string& agency, const std::string& record_id) {
    domain::RecordQuery q;
    q.agency_code = agency;
    q.record_id = record_id;
    auto found = store_->records().FindRecords(q);
    EXPECT_TRUE(found.ok() && found->size() == 1) << agency << "/" << record_id;
    return found.ok() && found->size() == 1 ? (*found)[0] : domain::StoredRecord{};
  }
  int64_t PersonOf(const std::string& agency, const std::string& record_id) {
    return Record(agency, record_id).person_id;
  }

  std::vector<PersonHit> Search(const RecordScope& scope, const std::string& q,
                                int limit = 100, int offset = 0) {
    auto hits = persons_->Search(scope, PersonQuery{q, limit, offset});
    EXPECT_TRUE(hits.ok()) << hits.status();
    return hits.ok() ? *hits : std::vector<PersonHit>{};
  }
  // A copy: the hits are often a temporary.
  static std::optional<PersonHit> Find(const std::vector<PersonHit>& hits,
                                       int64_t person) {
    for (const PersonHit& h : hits)
      if (h.person_id == person) return h;
    return std::nullopt;
  }

  // Imports one more hand-made file for `agency`.
  void ImportMore(const std::string& agency, const std::string& rows) {
    std::string path = dir_.File(StrCat("more-", ++files_, ".csv"));
    testing::WriteFile(path, StrCat(kHeader, rows));
    domain::ImportService imports(*store_, fixture_->refs->regions,
                                  fixture_->refs->countries);
    ImportInto(imports, path, agency);
  }
  void Link() {
    auto report = domain::LinkService(*store_).Link({.threads = 2});
    ASSERT_TRUE(report.ok()) << report.status();
  }

  static inline Fixture* fixture_ = nullptr;
  TempDir dir_;
  std::string db_;
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<domain::PersonService> persons_;
  domain::Agency polda_, jabar_;
  int files_ = 0;
};

TEST_F(PersonTest, TheFixturesPeopleAreLinkedAsIntended) {
  int64_t x = PersonOf("POLDA-NTT", "PX-2");
  ASSERT_NE(x, 0);
  EXPECT_EQ(PersonOf("UPTD-PPA-JABAR", "PX-1"), x);
  EXPECT_EQ(PersonOf("UPTD-PPA-JABAR", "PX-3"), x);
  EXPECT_EQ(PersonOf("POLDA-NTT", "PY-1"), PersonOf("POLDA-NTT", "PY-2"));
  std::set<int64_t> marias;
  for (const char* id : {"PM-1", "PM-2", "PM-3", "PM-4"})
    marias.insert(PersonOf("POLDA-NTT", id));
  EXPECT_EQ(marias.size(), 4u);
}

TEST_F(PersonTest, SearchByNikFindsThePersonWhateverTheSeparators) {
  int64_t x = PersonOf("POLDA-NTT", "PX-2");
  for (const std::string q : {"5371014507990003", "5371.0145.0799.0003",
                              " 5371 0145 0799 0003 ", "5371-0145-0799-0003"}) {
    std::vector<PersonHit> hits = Search(National(), q);
    ASSERT_EQ(hits.size(), 1u) << q;
    const PersonHit& h = hits[0];
    EXPECT_EQ(h.person_id, x);
    EXPECT_EQ(h.matched_by, "nik");
    EXPECT_EQ(h.score, 1.0);
    EXPECT_EQ(h.records, 3);
    EXPECT_EQ(h.name, "Siti Nurhaliza binti Ahmad");  // earliest report with the NIK
    EXPECT_EQ(h.sex, "P");
    EXPECT_EQ(h.birth_date, "1999-07-05");
    EXPECT_EQ(h.origin_region, "53.71");
    EXPECT_THAT(h.agencies, ::testing::ElementsAre("POLDA-NTT", "UPTD-PPA-JABAR"));
  }
  EXPECT_TRUE(Search(National(), "5371014507990004").empty());
}

TEST_F(PersonTest, SearchByPhoneFindsThePersonInAnyWriting) {
  int64_t x = PersonOf("POLDA-NTT", "PX-2");
  for (const std::string q :
       {"081234567890", "0812-3456-7890", "+62 812 3456 7890", "62812 3456 7890"}) {
    std::vector<PersonHit> hits = Search(National(), q);
    ASSERT_EQ(hits.size(), 1u) << q;
    EXPECT_EQ(hits[0].person_id, x);
    EXPECT_EQ(hits[0].matched_by, "phone");
    EXPECT_EQ(hits[0].score, 1.0);
  }
}

TEST_F(PersonTest, NameSearchToleratesSpellingsTitlesTyposAndOrder) {
  int64_t x = PersonOf("POLDA-NTT", "PX-2");
  for (const std::string q :
       {"Siti Nurhaliza", "St. Nur Haliza", "Hj. Siti Nurhaliza", "Nurhaliza Siti",
        "siti nurhaliz", "SITI NUR HALIZA", "Sitti Nurhalisa"}) {
    std::vector<PersonHit> hits = Search(National(), q);
    std::optional<PersonHit> h = Find(hits, x);
    ASSERT_NE(h, std::nullopt) << q;
    EXPECT_EQ(h->matched_by, "name");
    EXPECT_GE(h->score, 0.9) << q;
    EXPECT_EQ(h->records, 3);
  }
  int64_t y = PersonOf("POLDA-NTT", "PY-1");
  for (const std::string q :
       {"Joko Santoso", "Djoko Santoso", "santoso djoko", "Bpk. Djoko Santosa"}) {
    std::optional<PersonHit> h = Find(Search(National(), q), y);
    ASSERT_NE(h, std::nullopt) << q;
    EXPECT_GE(h->score, 0.95) << q;
  }
  // The best-matching record names the hit.
  std::optional<PersonHit> h = Find(Search(National(), "St. Nur Haliza"), x);
  ASSERT_NE(h, std::nullopt);
  EXPECT_EQ(h->score, 1.0);
}

TEST_F(PersonTest, NameSearchRanksBestFirstAndLeavesOtherNamesOut) {
  int64_t x = PersonOf("POLDA-NTT", "PX-2");
  std::vector<PersonHit> hits = Search(National(), "Siti Nurhaliza");
  for (size_t i = 1; i < hits.size(); ++i) {
    EXPECT_GE(hits[i - 1].score, hits[i].score);
    EXPECT_GE(hits[i].score, domain::kNameThreshold);
    EXPECT_EQ(hits[i].matched_by, "name");
  }
  std::set<int64_t> ids;
  for (const PersonHit& h : hits) EXPECT_TRUE(ids.insert(h.person_id).second);
  EXPECT_EQ(Find(Search(National(), "Kornelia Rambu Ana"), x), std::nullopt);
  EXPECT_EQ(Find(Search(National(), "Siti Aminah"), x), std::nullopt);
}

TEST_F(PersonTest, PagesDoNotOverlap) {
  std::vector<PersonHit> all = Search(National(), "Maria Goreti Seran");
  ASSERT_GE(all.size(), 4u);
  std::vector<PersonHit> first = Search(National(), "Maria Goreti Seran", 2, 0);
  std::vector<PersonHit> second = Search(National(), "Maria Goreti Seran", 2, 2);
  ASSERT_EQ(first.size(), 2u);
  ASSERT_EQ(second.size(), 2u);
  for (size_t i = 0; i < 4; ++i)
    EXPECT_EQ((i < 2 ? first[i] : second[i - 2]).person_id, all[i].person_id);
  EXPECT_TRUE(Search(National(), "Maria Goreti Seran", 2, 10000).empty());
  EXPECT_LE(Search(National(), "Maria", 1000).size(), 100u);
}

TEST_F(PersonTest, RecordsNotLinkedYetBelongToNoPerson) {
  ImportMore("POLDA-NTT",
             "PN-1,03/03/2024,Veronika Nenobais,5371015506000001,P,15/06/2000,Kota "
             "Kupang,,,\n");
  EXPECT_TRUE(Search(National(), "5371015506000001").empty());
  EXPECT_TRUE(persons_->Warm().ok());
  EXPECT_TRUE(Search(National(), "Veronika Nenobais").empty());
  Link();
  ASSERT_TRUE(persons_->Warm().ok());
  int64_t v = PersonOf("POLDA-NTT", "PN-1");
  ASSERT_NE(v, 0);
  EXPECT_EQ(Search(National(), "5371015506000001").at(0).person_id, v);
  EXPECT_NE(Find(Search(National(), "Veronika Nenobais"), v), std::nullopt);
}

TEST_F(PersonTest, AnAgencyAccountFindsOnlyItsOwnAgencysPeople) {
  int64_t z = PersonOf("UPTD-PPA-JABAR", "PZ-1");
  EXPECT_NE(Find(Search(JabarCaseworker(), "Kornelia Rambu Ana"), z), std::nullopt);
  EXPECT_EQ(Find(Search(PoldaInvestigator(), "Kornelia Rambu Ana"), z), std::nullopt);
  EXPECT_TRUE(Search(PoldaInvestigator(), "3202015203950001").empty());
  // W is from NTT but only Jawa Barat reported her: the NTT police do not see her.
  int64_t w = PersonOf("UPTD-PPA-JABAR", "PW-1");
  EXPECT_EQ(Find(Search(PoldaInvestigator(), "Yohana Bere Lelo"), w), std::nullopt);
  // X: each agency sees its own records of her, and counts only those.
  std::optional<PersonHit> x =
      Find(Search(PoldaInvestigator(), "Siti Nurhaliza"), PersonOf("POLDA-NTT", "PX-2"));
  ASSERT_NE(x, std::nullopt);
  EXPECT_EQ(x->records, 1);
  EXPECT_THAT(x->agencies, ::testing::ElementsAre("POLDA-NTT"));
  EXPECT_EQ(x->name, "St. Nur Haliza");
  std::vector<PersonHit> by_phone = Search(JabarCaseworker(), "081234567890");
  ASSERT_EQ(by_phone.size(), 1u);
  EXPECT_EQ(by_phone[0].records, 2);
  EXPECT_THAT(by_phone[0].agencies, ::testing::ElementsAre("UPTD-PPA-JABAR"));
}

TEST_F(PersonTest, AProvincialSecretariatFindsItsPeopleReportedElsewhere) {
  int64_t w = PersonOf("UPTD-PPA-JABAR", "PW-1");
  std::optional<PersonHit> h = Find(Search(NttSecretariat(), "Yohana Bere Lelo"), w);
  ASSERT_NE(h, std::nullopt);
  EXPECT_EQ(h->records, 1);
  EXPECT_THAT(h->agencies, ::testing::ElementsAre("UPTD-PPA-JABAR"));
  EXPECT_EQ(h->origin_region, "53.71");
  // X: PX-1 (Jabar, origin Kupang) and PX-2 (NTT police) are visible; PX-3 (Jabar,
  // no origin) is not, and is not counted.
  std::vector<PersonHit> hits = Search(NttSecretariat(), "5371014507990003");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].records, 2);
  EXPECT_THAT(hits[0].agencies, ::testing::ElementsAre("POLDA-NTT", "UPTD-PPA-JABAR"));
  // Z, from Sukabumi and reported in Jawa Barat, is none of NTT's business.
  int64_t z = PersonOf("UPTD-PPA-JABAR", "PZ-1");
  EXPECT_EQ(Find(Search(NttSecretariat(), "Kornelia Rambu Ana"), z), std::nullopt);
  EXPECT_NE(Find(Search(Scope(Role::kSecretariat, "32"), "Kornelia Rambu Ana"), z),
            std::nullopt);
}

TEST_F(PersonTest, AnalystsFindNoPerson) {
  RecordScope analyst = Scope(Role::kAnalyst, "ID");
  EXPECT_TRUE(Search(analyst, "Siti Nurhaliza").empty());
  EXPECT_TRUE(Search(analyst, "5371014507990003").empty());
  EXPECT_TRUE(
      absl::IsNotFound(persons_->Get(analyst, PersonOf("POLDA-NTT", "PX-2")).status()));
}

TEST_F(PersonTest, GetShowsEveryRecordWithTimelineAndExplanationsToANationalAccount) {
  int64_t x = PersonOf("POLDA-NTT", "PX-2");
  auto detail = persons_->Get(National(), x);
  ASSERT_TRUE(detail.ok()) << detail.status();
  EXPECT_EQ(detail->person_id, x);
  std::vector<std::string> ids;
  for (const domain::PersonRecord& r : detail->records) {
    ids.push_back(r.record_id);
    EXPECT_EQ(r.source_record_id, r.record.source_record_id);
    EXPECT_EQ(r.record.person_id, x);
    EXPECT_FALSE(r.record.raw.empty());  // the cells as submitted
  }
  EXPECT_THAT(ids, ::testing::ElementsAre("PX-1", "PX-2", "PX-3"));  // by report date
  std::vector<std::string> timeline;
  for (const domain::TimelineEvent& e : detail->timeline)
    timeline.push_back(StrCat(e.date, " ", e.kind, " ", e.agency_code, "/", e.record_id));
  EXPECT_THAT(timeline, ::testing::ElementsAre("2023-01-15 incident POLDA-NTT/PX-2",
                                               "2023-01-15 incident UPTD-PPA-JABAR/PX-1",
                                               "2023-03-10 report UPTD-PPA-JABAR/PX-1",
                                               "2023-05-02 report POLDA-NTT/PX-2",
                                               "2024-01-20 report UPTD-PPA-JABAR/PX-3"));
  // Every record after the first is explained against an earlier one.
  ASSERT_EQ(detail->links.size(), 2u);
  std::set<int64_t> explained;
  for (const domain::PersonLinkEvidence& l : detail->links) {
    explained.insert(l.record_b);
    EXPECT_GT(l.explanation.weight, 0);
    EXPECT_GT(l.explanation.probability, 0.9);
    bool nik_agrees = false;
    for (const auto& level : l.explanation.levels) {
      EXPECT_EQ(level.tf_adjustment, 0);
      if (level.comparison == "nik") nik_agrees = level.level == 1;
    }
    EXPECT_TRUE(nik_agrees);
  }
  EXPECT_EQ(explained, (std::set<int64_t>{detail->records[1].source_record_id,
                                          detail->records[2].source_record_id}));
  EXPECT_EQ(detail->links[0].record_a, detail->records[0].source_record_id);
}

TEST_F(PersonTest, GetShowsOnlyVisibleRecordsAndExplainsOnlyBetweenThem) {
  int64_t x = PersonOf("POLDA-NTT", "PX-2");
  int64_t px3 = Record("UPTD-PPA-JABAR", "PX-3").source_record_id;
  auto detail = persons_->Get(NttSecretariat(), x);
  ASSERT_TRUE(detail.ok()) << detail.status();
  ASSERT_EQ(detail->records.size(), 2u);
  EXPECT_EQ(detail->records[0].record_id, "PX-1");
  EXPECT_EQ(detail->records[1].record_id, "PX-2");
  ASSERT_EQ(detail->links.size(), 1u);
  const domain::PersonLinkEvidence& link = detail->links[0];
  EXPECT_EQ(link.record_a, detail->records[0].source_record_id);
  EXPECT_EQ(link.record_b, detail->records[1].source_record_id);
  EXPECT_EQ(link.explanation.id_l, "UPTD-PPA-JABAR/PX-1");
  EXPECT_EQ(link.explanation.id_r, "POLDA-NTT/PX-2");
  for (const domain::TimelineEvent& e : detail->timeline) EXPECT_NE(e.record_id, "PX-3");
  EXPECT_EQ(detail->timeline.size(), 4u);
  for (const auto& l : detail->links) {
    EXPECT_NE(l.record_a, px3);
    EXPECT_NE(l.record_b, px3);
  }
  // The Jabar case worker sees the two Jabar records, explained against each other.
  auto jabar = persons_->Get(JabarCaseworker(), x);
  ASSERT_TRUE(jabar.ok()) << jabar.status();
  ASSERT_EQ(jabar->records.size(), 2u);
  EXPECT_EQ(jabar->records[1].record_id, "PX-3");
  ASSERT_EQ(jabar->links.size(), 1u);
  EXPECT_EQ(jabar->links[0].explanation.id_r, "UPTD-PPA-JABAR/PX-3");
  // One visible record: nothing to explain.
  auto polda = persons_->Get(PoldaInvestigator(), x);
  ASSERT_TRUE(polda.ok());
  EXPECT_EQ(polda->records.size(), 1u);
  EXPECT_TRUE(polda->links.empty());
}

TEST_F(PersonTest, GetAnswersTheSameForAnAbsentAndAnOutOfScopePerson) {
  int64_t z = PersonOf("UPTD-PPA-JABAR", "PZ-1");
  auto hidden = persons_->Get(PoldaInvestigator(), z);
  auto absent = persons_->Get(PoldaInvestigator(), 987654321);
  auto zero = persons_->Get(National(), 0);
  ASSERT_TRUE(absl::IsNotFound(hidden.status())) << hidden.status();
  ASSERT_TRUE(absl::IsNotFound(absent.status())) << absent.status();
  ASSERT_TRUE(absl::IsNotFound(zero.status())) << zero.status();
  EXPECT_EQ(hidden.status().message(), absent.status().message());
  EXPECT_EQ(zero.status().message(), absent.status().message());
  EXPECT_TRUE(persons_->Get(JabarCaseworker(), z).ok());
}

TEST_F(PersonTest, BadQueriesAreRefusedWithoutRepeatingThem) {
  auto refused = [&](const std::string& q, int limit = 20, int offset = 0) {
    auto result = persons_->Search(National(), PersonQuery{q, limit, offset});
    EXPECT_TRUE(absl::IsInvalidArgument(result.status())) << q << " " << result.status();
    if (q.size() > 3) {
      EXPECT_THAT(result.status().message(), Not(HasSubstr(q)));
    }
  };
  refused("");
  refused("   ");
  refused("12345");
  refused("5371 0145 0799 000");  // 15 digits and not a phone number
  refused("Siti 1999");
  refused("Dr. H.");  // titles only
  refused("A. B.");   // initials only
  refused(std::string(201, 'a'));
  refused("Siti", 0);
  refused("Siti", 20, -1);
  refused("Siti", 20, 10001);
}

TEST_F(PersonTest, ExplainRecordsComparesAnyTwoVisibleRecords) {
  domain::LinkService links(*store_);
  int64_t px1 = Record("UPTD-PPA-JABAR", "PX-1").source_record_id;
  int64_t px2 = Record("POLDA-NTT", "PX-2").source_record_id;
  int64_t pz1 = Record("UPTD-PPA-JABAR", "PZ-1").source_record_id;
  auto same = links.ExplainRecords(px1, px2);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->id_l, "UPTD-PPA-JABAR/PX-1");
  EXPECT_GT(same->probability, 0.9);
  auto different = links.ExplainRecords(px1, pz1);
  ASSERT_TRUE(different.ok()) << different.status();
  EXPECT_LT(different->probability, 0.1);
  EXPECT_LT(different->weight, same->weight);
  auto hidden = links.ExplainRecords(px1, px2, PoldaInvestigator());
  EXPECT_TRUE(absl::IsNotFound(hidden.status())) << hidden.status();
  EXPECT_EQ(hidden.status().message(),
            links.ExplainRecords(px2, 999999999, National()).status().message());
}

TEST_F(PersonTest, ARegionLeftEmptyIsReadFromTheAddressWhenExplained) {
  std::string path = dir_.File("address.csv");
  testing::WriteFile(path,
                     "record_id,report_date,name,sex,origin_region,address\n"
                     "PA-1,03/03/2023,Ni Luh Ayu Lestari,P,,\"Jl. Cendana No. 4, Kel. "
                     "Oebobo, Kec. Oebobo, Kota Kupang\"\n"
                     "PA-2,04/03/2023,Ni Luh Ayu Lestari,P,Kota Kupang,\n"
                     "PA-3,05/03/2023,Ni Luh Ayu Lestari,P,,Jl. Cendana No. 4\n");
  domain::ImportService imports(*store_, fixture_->refs->regions,
                                fixture_->refs->countries);
  ImportInto(imports, path, "UPTD-PPA-JABAR");
  auto region = [&](const std::string& a, const std::string& b) {
    auto e = domain::LinkService(*store_).ExplainRecords(
        Record("UPTD-PPA-JABAR", a).source_record_id,
        Record("UPTD-PPA-JABAR", b).source_record_id);
    EXPECT_TRUE(e.ok()) << e.status();
    linkage::LevelExplanation out;
    for (const linkage::LevelExplanation& l : e.ok() ? e->levels : decltype(e->levels){})
      if (l.comparison == "origin_region") out = l;
    return out;
  };
  linkage::LevelExplanation filled = region("PA-1", "PA-2");
  EXPECT_EQ(filled.value_l, "53.71");  // Kota Kupang, from the address
  EXPECT_EQ(filled.value_r, "53.71");
  EXPECT_EQ(filled.level_label, "same region");
  linkage::LevelExplanation none = region("PA-3", "PA-2");
  EXPECT_EQ(none.value_l, "");  // the address names no regency
  EXPECT_EQ(none.level_label, "null");
}

TEST_F(PersonTest, VisibilityFollowsAnAgencyThatMoved) {
  int64_t w = PersonOf("UPTD-PPA-JABAR", "PW-1");
  RecordScope jabar_secretariat = Scope(Role::kSecretariat, "32");
  ASSERT_NE(Find(Search(jabar_secretariat, "Yohana Bere Lelo"), w), std::nullopt);
  ASSERT_TRUE(persons_->Get(jabar_secretariat, w).ok());
  // The agency moves to Jawa Timur: the index is not rebuilt (no record changed),
  // but W, from Kupang, is no longer Jawa Barat's to see.
  domain::Agency moved = jabar_;
  moved.region_code = "35";
  ASSERT_TRUE(store_->agencies().Update(moved).ok());
  EXPECT_EQ(Find(Search(jabar_secretariat, "Yohana Bere Lelo"), w), std::nullopt);
  EXPECT_TRUE(absl::IsNotFound(persons_->Get(jabar_secretariat, w).status()));
  EXPECT_NE(Find(Search(Scope(Role::kSecretariat, "35"), "Yohana Bere Lelo"), w),
            std::nullopt);
}

TEST_F(PersonTest, ANameCorrectedInANewVersionIsSearchedByItsNewSpelling) {
  int64_t z = PersonOf("UPTD-PPA-JABAR", "PZ-1");
  ASSERT_NE(Find(Search(National(), "Kornelia Rambu Ana"), z), std::nullopt);
  ImportMore("UPTD-PPA-JABAR",
             "PZ-1,02/02/2023,Kornelia Rambu Ngana Praing,3202015203950001,P,12/03/1995,"
             "Kabupaten Sukabumi,,,\n");
  Link();
  ASSERT_TRUE(persons_->Warm().ok());
  std::optional<PersonHit> h = Find(Search(National(), "Kornelia Rambu Ngana Praing"), z);
  ASSERT_NE(h, std::nullopt);
  EXPECT_EQ(h->name, "Kornelia Rambu Ngana Praing");
  EXPECT_EQ(h->score, 1.0);
}

TEST_F(PersonTest, SearchesFromManyThreadsWhileTheDataChanges) {
  ASSERT_TRUE(persons_->Warm().ok());
  std::atomic<bool> stop = false;
  std::atomic<int> failures = 0, searches = 0;
  int64_t x = PersonOf("POLDA-NTT", "PX-2");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string q = t % 2 ? "Siti Nurhaliza" : "5371014507990003";
      while (!stop || searches < 40) {
        auto hits = persons_->Search(National(), PersonQuery{q, 20, 0});
        ++searches;
        if (!hits.ok() || Find(*hits, x) == std::nullopt) ++failures;
      }
    });
  }
  ImportMore("POLDA-NTT",
             "PN-2,03/03/2024,Fransiska Tefa,5371015708010002,P,17/08/2001,Kota "
             "Kupang,,,\n");
  Link();  // the next searches rebuild the index in the background
  stop = true;
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  ASSERT_TRUE(persons_->Warm().ok());
  EXPECT_NE(Find(Search(National(), "Fransiska Tefa"), PersonOf("POLDA-NTT", "PN-2")),
            std::nullopt);
}

// Search by NIK and phone reads keys derived from the stored versions (migration
// 6), brought up to date before each search: what was imported after one search is
// found by the next, and old versions keep their keys.
std::vector<domain::StoredRecord> ByNik(domain::Store& store, const std::string& nik,
                                        bool all_versions = false) {
  domain::RecordQuery q;
  q.nik = nik;
  q.all_versions = all_versions;
  auto found = store.records().FindRecords(q);
  EXPECT_TRUE(found.ok()) << found.status();
  return found.ok() ? *found : std::vector<domain::StoredRecord>{};
}

// Search scores the names near the query best first and stops once its page is
// settled: every page must still be exactly the ranking that scoring every linked
// record's name gives (best score first, then person id), for names as written,
// with typos, reordered, common parts alone and compound spellings, at several
// page sizes and offsets, nationally and for one province.
TEST(PersonRankingTest, PagesAreExactlyTheRankingOfEveryName) {
  // A store of its own, large enough that names repeat and searches stop early.
  testing::ScratchStore scratch;
  domain::Store& store = *scratch.store;
  synth::GeneratorOptions options;
  options.agencies = 2;
  options.persons = 6000;
  options.seed = 11;
  options.invalid_share = 0;
  options.out_dir = scratch.dir.File("gen");
  ASSERT_TRUE(testing::ImportGenerated(store, *scratch.refs, options).ok());
  ASSERT_TRUE(domain::LinkService(store).Link({.full = true, .threads = 2}).ok());
  domain::PersonService persons(store);
  auto Search = [&](const RecordScope& scope, const std::string& q, int limit,
                    int offset) {
    auto hits = persons.Search(scope, PersonQuery{q, limit, offset});
    EXPECT_TRUE(hits.ok()) << hits.status();
    return hits.ok() ? *hits : std::vector<PersonHit>{};
  };
  RecordScope national;
  national.everything = true;
  RecordScope province;
  province.region = "53";
  province.by_origin = true;

  std::vector<domain::LinkedName> linked;
  ASSERT_TRUE(store.links()
                  .ForEachLinkedName([&](domain::LinkedName&& n) {
                    linked.push_back(std::move(n));
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_GT(linked.size(), 3000u);
  std::vector<std::string> queries = {"Siti",         "Maria Goreti Seran",
                                      "Nur Haliza",   "Siti Nurhaliza",
                                      "Santoso Joko", "Maria",
                                      "Ni Luh",       "I Wayan",
                                      "Yohana Lelo"};
  for (size_t i = 0; i < linked.size(); i += linked.size() / 40) {
    std::string name = linked[i].name;
    queries.push_back(name);
    if (name.size() > 6) std::swap(name[3], name[4]);  // a typo
    queries.push_back(name);
  }
  absl::flat_hash_map<int64_t, std::string> region_of;
  auto agencies = store.agencies().List();
  ASSERT_TRUE(agencies.ok());
  for (const domain::Agency& a : *agencies) region_of[a.id] = a.region_code;
  int stopped_early = 0;  // pages whose hits are fewer than the matches
  for (const RecordScope& scope : {national, province}) {
    for (const std::string& q : queries) {
      const linkage::NormalizedName query = linkage::NormalizeName(q);
      absl::flat_hash_map<int64_t, double> best;
      for (const domain::LinkedName& n : linked) {
        if (!domain::CanSee(scope,
                            domain::RecordPlace{n.agency_id, region_of[n.agency_id],
                                                n.origin_region}))
          continue;
        double score = linkage::NameSimilarity(query, linkage::NormalizeName(n.name));
        if (score >= domain::kNameThreshold)
          best[n.person_id] = std::max(best[n.person_id], score);
      }
      std::vector<std::pair<double, int64_t>> ranked;
      for (const auto& [person, score] : best) ranked.emplace_back(-score, person);
      std::sort(ranked.begin(), ranked.end());
      for (auto [limit, offset] :
           {std::pair{100, 0}, std::pair{5, 0}, std::pair{5, 5}, std::pair{1, 12}}) {
        std::vector<std::pair<double, int64_t>> want, got;
        for (size_t k = offset; k < ranked.size() && k < size_t(offset + limit); ++k)
          want.push_back(ranked[k]);
        for (const PersonHit& h : Search(scope, q, limit, offset))
          got.emplace_back(-h.score, h.person_id);
        EXPECT_EQ(got, want) << q << " limit " << limit << " offset " << offset;
        stopped_early += ranked.size() > size_t(offset + limit) ? 1 : 0;
      }
    }
  }
  EXPECT_GT(stopped_early, 20);  // the case that matters was exercised
}

int64_t Scalar(const std::string& db, const char* sql) {
  std::string value = testing::QueryValue(db, sql);
  return value.empty() || value.starts_with("error") ? -1 : std::stoll(value);
}

TEST_F(PersonTest, ANikOrPhoneImportedAfterASearchIsFoundByTheNext) {
  ASSERT_EQ(ByNik(*store_, "5371014507990003").size(), 3u);
  ImportMore("POLDA-NTT",
             "PN-7,04/04/2024,Agustina Nitbani,5371016004020005,P,20/04/2002,Kota "
             "Kupang,0813 1111 2222,,\n");
  std::vector<domain::StoredRecord> found = ByNik(*store_, "5371016004020005");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].parsed[ingest::Field::kRecordId], "PN-7");
  domain::RecordQuery by_phone;
  by_phone.phone = "+6281311112222";
  auto phoned = store_->records().FindRecords(by_phone);
  ASSERT_TRUE(phoned.ok()) << phoned.status();
  ASSERT_EQ(phoned->size(), 1u);
  EXPECT_EQ((*phoned)[0].parsed[ingest::Field::kRecordId], "PN-7");
  Link();
  std::vector<PersonHit> hits = Search(National(), "5371016004020005");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].person_id, PersonOf("POLDA-NTT", "PN-7"));
}

TEST_F(PersonTest, ACorrectedNikFindsTheNewVersionAndTheHistoryTheOld) {
  ImportMore("POLDA-NTT",
             "PN-8,05/05/2024,Yuliana Seran,5301014505000008,P,05/05/2000,Kabupaten "
             "Kupang,,,\n");
  ImportMore("POLDA-NTT",
             "PN-8,05/05/2024,Yuliana Seran,5301014505000009,P,05/05/2000,Kabupaten "
             "Kupang,,,\n");
  EXPECT_TRUE(ByNik(*store_, "5301014505000008").empty());
  std::vector<domain::StoredRecord> old = ByNik(*store_, "5301014505000008", true);
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].version, 1);
  std::vector<domain::StoredRecord> now = ByNik(*store_, "5301014505000009");
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].version, 2);
}

// While another connection holds the write lock (a long import), a search cannot
// bring the keys up to date; it neither waits for the lock nor misses the newer
// records, which it finds by scanning them. The next search catches up.
TEST_F(PersonTest, SearchWhileTheWriteLockIsHeldStillFindsNewRecords) {
  GUGUS_SQLITE_ONLY("holds SQLite's database-wide write lock (PostgreSQL has none)");
  ASSERT_EQ(ByNik(*store_, "5371014507990003").size(), 3u);  // keys up to date
  ImportMore("POLDA-NTT",
             "PN-9,06/06/2024,Maria Magdalena Taek,5371014606030007,P,06/06/2003,Kota "
             "Kupang,,,\n");
  const char* kDone = "SELECT done FROM person_keys_state";
  const char* kLast = "SELECT max(id) FROM record_versions";
  sqlite3* writer = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &writer, SQLITE_OPEN_READWRITE, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(writer, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  std::vector<domain::StoredRecord> found = ByNik(*store_, "5371014606030007");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].parsed[ingest::Field::kRecordId], "PN-9");
  EXPECT_LT(Scalar(db_, kDone), Scalar(db_, kLast));  // not brought up to date
  sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(writer);
  EXPECT_EQ(ByNik(*store_, "5371014606030007").size(), 1u);
  EXPECT_EQ(Scalar(db_, kDone), Scalar(db_, kLast));
  EXPECT_EQ(Scalar(db_,
                   "SELECT count(*) FROM person_keys WHERE key = "
                   "'n5371014606030007'"),
            1);
}

}  // namespace
}  // namespace gugus
