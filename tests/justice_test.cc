// Cases, suspects and the course of justice (SPEC section 8) end to end over the
// run's store: legal-progress files of a police unit, a prosecutor's office and a
// court (tests/testdata/justice) imported, linked into cases and suspects, counted,
// and seen through the access rules.
#include <map>
#include <nlohmann/json.hpp>

#include "absl/strings/str_split.h"
#include "domain/access.h"
#include "domain/justice/justice_service.h"
#include "domain/registry/import_service.h"
#include "domain/registry/reference_service.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/justice_dto.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TempDir;
using testing::TestData;
using ::testing::UnorderedElementsAre;

class JusticeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::PreparedDatabase(dir_);
    store_ = testing::OpenStore(db_);
    auto refs = domain::LoadReferenceIndexes(*store_);
    ASSERT_TRUE(refs.ok()) << refs.status();
    refs_ = std::move(refs).value();
    for (auto [code, type] :
         {std::pair{"KEJARI-KUPANG", "prosecutor"}, std::pair{"PN-KUPANG", "court"}}) {
      domain::Agency a;
      a.code = code;
      a.name = std::string("Kantor ") + code;
      a.type = type;
      a.region_code = "53.71";
      ASSERT_TRUE(store_->agencies().Add(a).ok());
    }
    service_ = std::make_unique<domain::ImportService>(*store_, refs_->regions,
                                                       refs_->countries);
  }

  absl::StatusOr<domain::ImportReport> Import(const std::string& file,
                                              const std::string& agency) {
    domain::ImportRequest request;
    request.path =
        file.find('/') == std::string::npos ? TestData("justice/" + file) : file;
    request.agency_code = agency;
    request.today = Date{2024, 6, 30};
    return service_->Import(request);
  }

  void ImportAll() {
    for (auto [file, agency] : {std::pair{"polda_ntt.legal.csv", "POLDA-NTT"},
                                std::pair{"kejari_kupang.legal.csv", "KEJARI-KUPANG"},
                                std::pair{"pn_kupang.legal.csv", "PN-KUPANG"}}) {
      auto r = Import(file, agency);
      ASSERT_TRUE(r.ok()) << file << ": " << r.status();
    }
  }

  std::shared_ptr<const domain::JusticeModel> Linked() {
    domain::JusticeService justice(*store_);
    auto report = justice.Link();
    EXPECT_TRUE(report.ok()) << report.status();
    auto model = justice.Model();
    EXPECT_TRUE(model.ok()) << model.status();
    return model.ok() ? *model : nullptr;
  }

  std::map<int64_t, std::vector<std::string>> RejectCodesByLine(int64_t batch) {
    std::map<int64_t, std::vector<std::string>> out;
    EXPECT_TRUE(store_->records()
                    .ForEachReject(batch,
                                   [&](const domain::StoredReject& r) {
                                     for (const auto& i : r.reasons)
                                       out[r.line].push_back(i.field + ":" + i.code);
                                     return absl::OkStatus();
                                   })
                    .ok());
    return out;
  }

  std::map<std::string, std::vector<std::string>> WarningsById() {
    std::map<std::string, std::vector<std::string>> out;
    EXPECT_TRUE(store_->justice()
                    .ForEachLegalRecord([&](domain::LegalRecord&& r) {
                      for (const auto& w : r.parsed.warnings)
                        out[r.agency_code + "/" + r.parsed[ingest::LegalField::kRecordId]]
                            .push_back(w.field + ":" + w.code);
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  TempDir dir_;
  std::string db_;
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<domain::ReferenceIndexes> refs_;
  std::unique_ptr<domain::ImportService> service_;
};

TEST_F(JusticeTest, LegalFileIsRecognisedQuarantinedAndWarnedAbout) {
  auto r = Import("polda_ntt.legal.csv", "POLDA-NTT");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->kind, ingest::FileKind::kLegal);
  EXPECT_EQ(r->counts.rows, 13);
  EXPECT_EQ(r->counts.inserted, 9);
  EXPECT_EQ(r->counts.rejected, 4);
  // Lines: header 1, P9 on 11 (unknown stage), P10 on 12 (future), the second P3
  // on 13 (repeated), P11 on 14 (no case number).
  std::map<int64_t, std::vector<std::string>> rejects = RejectCodesByLine(r->batch_id);
  EXPECT_THAT(rejects[11], ElementsAre("stage:unknown_stage"));
  EXPECT_THAT(rejects[12], ElementsAre("event_date:future"));
  EXPECT_THAT(rejects[13], ElementsAre("record_id:duplicate"));
  EXPECT_THAT(rejects[14], ElementsAre("case_ref:missing"));
  auto warnings = WarningsById();
  EXPECT_THAT(warnings["POLDA-NTT/P12"],
              UnorderedElementsAre(HasSubstr("suspect_nik:"), "role:unknown_term"));
  // The agency never submitted victim rows V-1 and V-2.
  EXPECT_THAT(warnings["POLDA-NTT/P3"], ElementsAre("victim_record_ids:unknown_victim"));
  EXPECT_TRUE(warnings["POLDA-NTT/P1"].empty());

  auto batches = store_->records().ListBatches();
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 1u);
  EXPECT_EQ(batches->front().meta.kind, "legal");
}

TEST_F(JusticeTest, ReimportChangesNothingAndAChangedRowIsANewVersion) {
  ASSERT_TRUE(Import("kejari_kupang.legal.csv", "KEJARI-KUPANG").ok());
  auto again = Import("kejari_kupang.legal.csv", "KEJARI-KUPANG");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_imported);
  auto batches = store_->records().ListBatches();
  ASSERT_TRUE(batches.ok());
  EXPECT_EQ(batches->size(), 1u);

  std::string text = testing::ReadFile(TestData("justice/kejari_kupang.legal.csv"));
  size_t at = text.find("Rp 50.000.000");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 13, "Rp 60.000.000");
  std::string changed = dir_.File("kejari_changed.csv");
  testing::WriteFile(changed, text);
  auto r = Import(changed, "KEJARI-KUPANG");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->counts.updated, 1);
  EXPECT_EQ(r->counts.unchanged, 4);
  int64_t version = 0, restitution = 0;
  ASSERT_TRUE(store_->justice()
                  .ForEachLegalRecord([&](domain::LegalRecord&& l) {
                    if (l.parsed[ingest::LegalField::kRecordId] == "K4") {
                      version = l.version;
                      restitution = l.parsed.restitution.value_or(-1);
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(version, 2);
  EXPECT_EQ(restitution, 60000000);
}

TEST_F(JusticeTest, AgencyCasesJoinByCitedNumbersAndSharedSuspects) {
  ImportAll();
  auto model = Linked();
  ASSERT_TRUE(model);
  // Two cases: LP/B/123 with the prosecutor's PDM-45 (which cites it) and the
  // court's 12/Pid.Sus/2024 (which cites nothing but shares the suspects, one by
  // NIK); LP/B/200 on its own, though its recruiter is the same man.
  ASSERT_EQ(model->cases().size(), 2u);
  std::vector<std::vector<std::string>> refs;
  for (const domain::CaseView& c : model->cases()) {
    std::vector<std::string> r;
    for (const auto& ac : c.agency_cases) r.push_back(ac.agency_code + " " + ac.case_ref);
    refs.push_back(r);
  }
  EXPECT_THAT(refs, UnorderedElementsAre(
                        ElementsAre("POLDA-NTT LP/B/123/VI/2023/SPKT/POLDA NTT",
                                    "KEJARI-KUPANG PDM-45/KPG/Eku.2/11/2023",
                                    "PN-KUPANG 12/Pid.Sus/2024/PN Kpg"),
                        ElementsAre("POLDA-NTT LP/B/200/X/2023/SPKT/POLDA NTT")));
  // Suspects: the recruiter (in both cases), the harbourer, and Kornelis.
  std::set<int64_t> all;
  for (const domain::CaseView& c : model->cases())
    all.insert(c.suspects.begin(), c.suspects.end());
  EXPECT_EQ(all.size(), 3u);
  const domain::CaseView& big =
      model->cases()[0].agency_cases.size() == 3 ? model->cases()[0] : model->cases()[1];
  const domain::CaseView& small =
      &big == &model->cases()[0] ? model->cases()[1] : model->cases()[0];
  EXPECT_EQ(big.suspects.size(), 2u);
  EXPECT_EQ(small.suspects.size(), 2u);
  std::vector<int64_t> shared;
  std::set_intersection(big.suspects.begin(), big.suspects.end(), small.suspects.begin(),
                        small.suspects.end(), std::back_inserter(shared));
  EXPECT_EQ(shared.size(), 1u) << "the recruiter of both cases is one suspect";
  EXPECT_EQ(big.p19_returns, 1);
  ASSERT_NE(big.stage, nullptr);
  EXPECT_EQ(big.stage->code, "restitusi_dibayar");
}

TEST_F(JusticeTest, CountsFollowTheSpecsDefinitions) {
  ImportAll();
  auto model = Linked();
  ASSERT_TRUE(model);
  auto rows = model->Count({});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].year, 2023);
  EXPECT_EQ(rows[0].cases, 2);
  EXPECT_EQ(rows[0].suspects_named, 3);
  EXPECT_EQ(rows[0].prosecuted, 2);
  EXPECT_EQ(rows[0].convicted, 0);
  EXPECT_EQ(rows[1].year, 2024);
  EXPECT_EQ(rows[1].cases, 0);
  EXPECT_EQ(rows[1].convicted, 1);
  EXPECT_EQ(rows[1].acquitted, 1);
  EXPECT_EQ(rows[1].restitution_ordered, 45000000);
  EXPECT_EQ(rows[1].restitution_paid, 20000000);
  // April–March years: the March 2024 verdicts belong to 2023's year.
  domain::JusticeCountOptions tip;
  tip.year_start_month = 4;
  auto tip_rows = model->Count(tip);
  ASSERT_EQ(tip_rows.size(), 2u);
  EXPECT_EQ(tip_rows[0].convicted, 1);
  EXPECT_EQ(tip_rows[0].restitution_ordered, 45000000);
  EXPECT_EQ(tip_rows[1].year, 2024);
  EXPECT_EQ(tip_rows[1].restitution_paid, 20000000);
  EXPECT_EQ(http::JusticeCsv(rows, false),
            "year,cases,suspects_named,prosecuted,convicted,acquitted,"
            "restitution_ordered,restitution_paid\n"
            "2023,2,3,2,0,0,0,0\n"
            "2024,0,0,0,1,1,45000000,20000000\n");
}

TEST_F(JusticeTest, CaseIdsAreStableAcrossRuns) {
  ImportAll();
  auto first = Linked();
  ASSERT_TRUE(first);
  std::map<std::string, int64_t> before;
  for (const auto& c : first->cases())
    for (const auto& ac : c.agency_cases) before[ac.agency_code + ac.ref_key] = c.id;
  auto second = Linked();
  ASSERT_TRUE(second);
  for (const auto& c : second->cases())
    for (const auto& ac : c.agency_cases)
      EXPECT_EQ(before[ac.agency_code + ac.ref_key], c.id) << ac.case_ref;
}

TEST_F(JusticeTest, AnAgencySeesOnlyItsOwnAgencyCasesOfACase) {
  ImportAll();
  auto model = Linked();
  ASSERT_TRUE(model);
  auto police = store_->agencies().FindByCode("POLDA-NTT");
  ASSERT_TRUE(police.ok());
  domain::Principal investigator;
  investigator.role = domain::Role::kInvestigator;
  investigator.region_code = "53";
  investigator.agency_id = police->id;
  domain::RecordScope scope = domain::ScopeOf(investigator);
  std::vector<http::CaseSight> cases = http::ListCases(scope, *model, {});
  ASSERT_EQ(cases.size(), 2u);
  for (const http::CaseSight& s : cases) {
    for (const domain::CaseEvent* e : s.events)
      EXPECT_EQ(model->records()[e->record].agency_code, "POLDA-NTT");
    EXPECT_EQ(s.agency_cases.size(), 1u);
  }
  // Another province's agency sees nothing of them.
  domain::Principal other;
  other.role = domain::Role::kCaseworker;
  other.region_code = "32";
  other.agency_id = 999;
  EXPECT_TRUE(http::ListCases(domain::ScopeOf(other), *model, {}).empty());
  // Analysts see no case at all.
  domain::Principal analyst;
  analyst.role = domain::Role::kAnalyst;
  analyst.region_code = domain::kNationalRegion;
  EXPECT_TRUE(http::ListCases(domain::ScopeOf(analyst), *model, {}).empty());
}

TEST_F(JusticeTest, StalledCasesAreOpenCasesWithoutRecentEvents) {
  ImportAll();
  auto model = Linked();
  ASSERT_TRUE(model);
  http::CaseFilter filter;
  filter.today = Date{2024, 6, 30};
  filter.stalled_days = 180;
  std::vector<http::CaseSight> stalled =
      http::ListCases(domain::WholeStore(), *model, filter);
  ASSERT_EQ(stalled.size(), 1u);  // LP/B/200: nothing since October 2023
  EXPECT_EQ(stalled[0].agency_cases.front()->case_ref, "LP/B/200/X/2023/SPKT/POLDA NTT");
  filter.stalled_days = 365;
  EXPECT_TRUE(http::ListCases(domain::WholeStore(), *model, filter).empty());
}

TEST(JusticeCliTest, ImportLinkCountShowAndExport) {
  TempDir dir;
  std::string db = testing::PreparedDatabase(dir);
  auto gugus = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    return testing::RunGugus(args);
  };
  for (const char* code : {"KEJARI-KUPANG", "PN-KUPANG"}) {
    auto r = gugus({"agency", "add", code, "--name", "Kantor", "--type",
                    std::string(code).starts_with("PN") ? "court" : "prosecutor",
                    "--region", "53.71"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  for (auto [file, agency] : {std::pair{"polda_ntt.legal.csv", "POLDA-NTT"},
                              std::pair{"kejari_kupang.legal.csv", "KEJARI-KUPANG"},
                              std::pair{"pn_kupang.legal.csv", "PN-KUPANG"}}) {
    auto r = gugus({"import", TestData(std::string("justice/") + file), "--agency",
                    agency, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("\"kind\":\"legal\""));
  }
  // A legal file named as a victim file is read as one, and refused for its header.
  auto wrong = gugus({"import", TestData("justice/pn_kupang.legal.csv"), "--agency",
                      "PN-KUPANG", "--kind", "victims"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_THAT(wrong.err, HasSubstr("report_date"));

  auto link = gugus({"link"});
  ASSERT_EQ(link.exit_code, 0) << link.err;
  EXPECT_THAT(link.out, HasSubstr("in 2 cases"));

  auto justice = gugus({"justice", "--format", "csv"});
  ASSERT_EQ(justice.exit_code, 0) << justice.err;
  EXPECT_EQ(justice.out,
            "year,cases,suspects_named,prosecuted,convicted,acquitted,"
            "restitution_ordered,restitution_paid\n"
            "2023,2,3,2,0,0,0,0\n"
            "2024,0,0,0,1,1,45000000,20000000\n");
  // Added up, the three agencies name the recruiter three times.
  auto by_agency = gugus({"justice", "--by", "agency", "--format", "csv"});
  ASSERT_EQ(by_agency.exit_code, 0) << by_agency.err;
  EXPECT_THAT(by_agency.out, HasSubstr("2023,(agencies added up),3,"));
  EXPECT_THAT(by_agency.out, HasSubstr("2023,(unified),2,3,2,"));

  auto exported = gugus({"export", "cases", "--format", "csv"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::vector<std::string> lines = absl::StrSplit(exported.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 5u) << exported.out;
  EXPECT_EQ(lines[0], "agency,case_ref,case_id");
  std::string case_id = lines[1].substr(lines[1].rfind(',') + 1);

  auto cases = gugus({"cases", "--format", "json"});
  ASSERT_EQ(cases.exit_code, 0) << cases.err;
  auto list = nlohmann::json::parse(cases.out);
  ASSERT_EQ(list.size(), 2u);

  auto show = gugus({"case", "show", case_id, "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto detail = nlohmann::json::parse(show.out);
  EXPECT_EQ(detail["restitution"]["ordered"], 45000000);
  EXPECT_EQ(detail["restitution"]["paid"], 20000000);
  EXPECT_EQ(detail["restitution"]["claimed"], 50000000);
  EXPECT_EQ(gugus({"case", "show", "999999"}).exit_code, 1);
}

}  // namespace
}  // namespace gugus
