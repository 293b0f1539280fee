// The access-control matrix, generated from the route table: every route × every
// role × a resource inside and a resource outside the caller's region and agency,
// plus no token and a forged token. Expected outcomes come from SPEC section 6 as
// written down here, independently of src/domain/access.cc, so a policy change that
// leaks fails. A route added without an example here fails the test by name.
#include <httplib.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "core/strcat.h"
#include "domain/access.h"
#include "domain/justice/justice_service.h"
#include "domain/registry/import_service.h"
#include "domain/registry/reference_service.h"
#include "gtest/gtest.h"
#include "http/api.h"
#include "tests/http_support.h"
#include "tests/test_support.h"

namespace gugus {
namespace {

using domain::Action;
using domain::Role;
using testing::HttpResult;
using testing::TestServer;

// SPEC section 6, role by role.
bool Expected(Role role, Action action) {
  switch (action) {
    case Action::kSession:
    case Action::kReadReference:
    case Action::kReadAggregates:
      return true;
    case Action::kReadRecords:
      return role != Role::kAnalyst;
    case Action::kImport:
      return role != Role::kAnalyst;
    case Action::kReview:
      return role == Role::kSecretariat || role == Role::kCaseworker ||
             role == Role::kInvestigator || role == Role::kMigrantOfficer;
    case Action::kManageAgencies:
    case Action::kManageUsers:
    case Action::kReadAudit:
      return role == Role::kAdmin;
  }
  return false;
}

constexpr std::string_view kHome = "UPTD-PPA-JABAR";  // region 32: every caller's agency

struct Caller {
  Role role;
  std::string username;
  std::string token;
  std::string password;
  int64_t job = 0;  // a job this caller submitted (0: the role cannot submit any)
};

struct Request {
  std::string method, path, body;
  std::string content_type = "application/json";
  std::string token;  // overrides the caller's token when set
};

// What the fixture knows about resources inside and outside region 32.
struct Resources {
  std::string record_in, record_out;  // "AGENCY/record_id"
  int64_t person_in = 0, person_out = 0;
  std::string name_out;    // the out-of-scope person's name, to search for
  std::string agency_out;  // an agency outside region 32 that submitted records
  int64_t batch_in = 0, batch_out = 0;
  int64_t item_in = 0, item_out = 0;
  int64_t foreign_job = 0;            // a job of a user the callers are not
  int64_t case_in = 0, case_out = 0;  // cases of the home agency and of POLDA-NTT
};

class AccessMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::TestServerOptions options;
    options.generated_data = true;
    options.persons = 800;
    server_ = std::make_unique<TestServer>(options);
    AddCases();
    FindResources();
    for (Role role : domain::AllRoles()) {
      std::string name = StrCat("m.", domain::RoleName(role));
      server_->AddUser(name, role, "32", std::string(kHome));
      callers_.push_back(
          {role, name, server_->Login(name), std::string(testing::kTestPassword)});
      ASSERT_FALSE(callers_.back().token.empty()) << name;
    }
    server_->AddUser("target.jabar", Role::kCaseworker, "32", std::string(kHome));
    server_->AddUser("target.ntt", Role::kInvestigator, "53", "POLDA-NTT");
    server_->AddUser("login.probe", Role::kAnalyst, "32", std::string(kHome));
    // Each caller that may import owns a job; another user's job is foreign.
    for (Caller& c : callers_) {
      if (!Expected(c.role, Action::kImport)) continue;
      HttpResult r = server_->Send(
          "POST", StrCat("/api/v1/imports?agency=", kHome, "&file_name=a.csv"), c.token,
          "record_id,report_date,name\nM-1,2024-01-02,Ani\n", "text/csv");
      ASSERT_EQ(r.status, 202) << c.username << " " << r.body;
      c.job = r.json["id"].get<int64_t>();
      server_->WaitForJob(c.job, c.token);
    }
    server_->AddUser("other.owner", Role::kCaseworker, "32", std::string(kHome));
    std::string other = server_->Login("other.owner");
    HttpResult r = server_->Send(
        "POST", StrCat("/api/v1/imports?agency=", kHome, "&file_name=b.csv"), other,
        "record_id,report_date,name\nM-2,2024-01-02,Budi\n", "text/csv");
    ASSERT_EQ(r.status, 202) << r.body;
    res_.foreign_job = r.json["id"].get<int64_t>();
    server_->WaitForJob(res_.foreign_job, other);
  }

  // One case of the home agency and one of POLDA-NTT (legal-progress rows), linked.
  void AddCases() {
    domain::Store& store = server_->store();
    auto refs = domain::LoadReferenceIndexes(store);
    ASSERT_TRUE(refs.ok()) << refs.status();
    domain::ImportService importer(store, (*refs)->regions, (*refs)->countries);
    testing::TempDir dir;
    for (auto [agency, ref] :
         {std::pair{std::string(kHome), "UPTD/2024/001"},
          std::pair{std::string("POLDA-NTT"), "LP/B/9/I/2024/SPKT"}}) {
      std::string file = dir.File(agency + ".csv");
      testing::WriteFile(file, StrCat("record_id,case_ref,event_date,stage,suspect_name\n"
                                      "L-1,",
                                      ref,
                                      ",2024-01-05,laporan,\n"
                                      "L-2,",
                                      ref, ",2024-02-01,tersangka,Anton Wijaya\n"));
      domain::ImportRequest request;
      request.path = file;
      request.agency_code = agency;
      auto r = importer.Import(request);
      ASSERT_TRUE(r.ok()) << r.status();
    }
    domain::JusticeService justice(store);
    ASSERT_TRUE(justice.Link().ok());
    auto model = justice.Model();
    ASSERT_TRUE(model.ok());
    for (const domain::CaseView& c : (*model)->cases())
      (c.agency_cases.front().agency_code == kHome ? res_.case_in : res_.case_out) = c.id;
    ASSERT_NE(res_.case_in, 0);
    ASSERT_NE(res_.case_out, 0);
  }

  void FindResources() {
    domain::Store& store = server_->store();
    auto agencies = store.agencies().List();
    ASSERT_TRUE(agencies.ok());
    std::map<std::string, std::string> agency_region;
    for (const auto& a : *agencies) agency_region[a.code] = a.region_code;
    // Which records each person has, and whether a region-32 caller may see each.
    std::map<int64_t, bool> visible;  // source record id → visible from region 32
    std::map<int64_t, std::string> key, name;
    ASSERT_TRUE(store.links()
                    .ForEachLinkRecord([&](domain::LinkRecord&& r) {
                      bool in =
                          r.agency_code == kHome ||
                          domain::InRegion(agency_region[r.agency_code], "32") ||
                          domain::InRegion(r.parsed[ingest::Field::kOriginRegion], "32");
                      visible[r.source_record_id] = in;
                      key[r.source_record_id] =
                          StrCat(r.agency_code, "/", r.parsed[ingest::Field::kRecordId]);
                      name[r.source_record_id] = r.parsed[ingest::Field::kName];
                      return absl::OkStatus();
                    })
                    .ok());
    auto links = store.links().Links();
    ASSERT_TRUE(links.ok());
    std::map<int64_t, std::vector<int64_t>> records_of;
    for (const auto& l : *links) records_of[l.person_id].push_back(l.source_record_id);
    for (const auto& [person, records] : records_of) {
      bool any = false, home = false;
      for (int64_t r : records) {
        any |= visible[r];
        home |= key[r].starts_with(kHome);
      }
      if (home && res_.person_in == 0) {
        res_.person_in = person;
        for (int64_t r : records)
          if (key[r].starts_with(kHome)) res_.record_in = key[r];
      }
      if (!any && res_.person_out == 0) {
        res_.person_out = person;
        res_.record_out = key[records[0]];
        res_.name_out = name[records[0]];
      }
    }
    auto batches = store.records().ListBatches();
    ASSERT_TRUE(batches.ok());
    for (const auto& b : *batches) {
      if (b.agency_code == kHome && !res_.batch_in) res_.batch_in = b.id;
      if (!domain::InRegion(agency_region[b.agency_code], "32") && !res_.batch_out) {
        res_.batch_out = b.id;
        res_.agency_out = b.agency_code;
      }
    }
    auto items = store.links().ReviewQueue(100000);
    ASSERT_TRUE(items.ok());
    for (const auto& i : *items) {
      if (visible[i.record_a] && visible[i.record_b] && i.agency_a == kHome &&
          i.agency_b == kHome && !res_.item_in)
        res_.item_in = i.id;
      if (!visible[i.record_a] && !visible[i.record_b] && !res_.item_out)
        res_.item_out = i.id;
    }
    ASSERT_NE(res_.person_in, 0);
    ASSERT_NE(res_.person_out, 0);
    ASSERT_NE(res_.batch_in, 0);
    ASSERT_NE(res_.batch_out, 0);
    ASSERT_NE(res_.item_in, 0) << "the generated data has no review pair inside JABAR";
    ASSERT_NE(res_.item_out, 0) << "the generated data has no review pair outside JABAR";
  }

  int64_t UserVersion(const std::string& username) {
    auto user = server_->store().accounts().FindUser(username);
    return user.ok() ? user->version : 0;
  }

  std::unique_ptr<TestServer> server_;
  std::vector<Caller> callers_;
  Resources res_;
  int counter_ = 0;
};

// An example request for each route, inside (in=true) or outside the caller's scope.
// std::nullopt: the route has no resource to be outside of (lists, own session).
using Example = std::function<std::optional<Request>(Caller&, bool in)>;

TEST_F(AccessMatrixTest, EveryRouteEveryRoleInAndOutOfScope) {
  auto json_body = [](nlohmann::json j) { return j.dump(); };
  std::map<std::string, Example> examples = {
      {"GET /healthz",
       [](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"GET", "/healthz"};
       }},
      {"GET /api/v1/openapi.json",
       [](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"GET", "/api/v1/openapi.json"};
       }},
      {"POST /api/v1/auth/login",
       [&](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"POST", "/api/v1/auth/login",
                        json_body({{"username", "login.probe"},
                                   {"password", testing::kTestPassword}})};
       }},
      {"POST /api/v1/auth/logout",
       [&](Caller& c, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         Request r{"POST", "/api/v1/auth/logout"};
         r.token = server_->Login(c.username, c.password);  // keep the main token
         return r;
       }},
      {"GET /api/v1/auth/me",
       [](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"GET", "/api/v1/auth/me"};
       }},
      {"POST /api/v1/auth/password",
       [&](Caller& c, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         // A wrong old password: the handler runs (access passed) and refuses.
         return Request{"POST", "/api/v1/auth/password",
                        json_body({{"old_password", "not-the-password"},
                                   {"new_password", c.password + "-baru"}})};
       }},
      {"GET /api/v1/jobs/{job_id}",
       [&](Caller& c, bool in) -> std::optional<Request> {
         if (in && c.job == 0) return std::nullopt;  // this role cannot own a job
         return Request{"GET", StrCat("/api/v1/jobs/", in ? c.job : res_.foreign_job)};
       }},
      {"GET /api/v1/regions",
       [](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"GET", "/api/v1/regions?parent=32"};
       }},
      {"GET /api/v1/regions/{code}",
       [](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"GET", "/api/v1/regions/32.02"};
       }},
      {"GET /api/v1/agencies",
       [](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"GET", "/api/v1/agencies"};
       }},
      {"GET /api/v1/agencies/{code}",
       [](Caller&, bool in) -> std::optional<Request> {
         return Request{"GET", in ? "/api/v1/agencies/UPTD-PPA-JABAR"
                                  : "/api/v1/agencies/POLDA-NTT"};
       }},
      {"POST /api/v1/agencies",
       [&](Caller&, bool in) -> std::optional<Request> {
         return Request{"POST", "/api/v1/agencies",
                        json_body({{"code", StrCat("BARU-", ++counter_)},
                                   {"name", "Dinas Sosial Baru"},
                                   {"type", "social_service"},
                                   {"region", in ? "32.02" : "53"}})};
       }},
      {"PATCH /api/v1/agencies/{code}",
       [&](Caller&, bool in) -> std::optional<Request> {
         std::string code = in ? "UPTD-PPA-JABAR" : "POLDA-NTT";
         auto a = server_->store().agencies().FindByCode(code);
         return Request{"PATCH", StrCat("/api/v1/agencies/", code),
                        json_body({{"name", a->name}, {"version", a->version}})};
       }},
      {"GET /api/v1/records",
       [&](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"GET", "/api/v1/records?agency=UPTD-PPA-JABAR&limit=5"};
       }},
      {"GET /api/v1/records/{agency}/{record_id}",
       [&](Caller&, bool in) -> std::optional<Request> {
         return Request{
             "GET", StrCat("/api/v1/records/", in ? res_.record_in : res_.record_out)};
       }},
      {"GET /api/v1/persons",
       [&](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"GET", "/api/v1/persons?q=siti"};
       }},
      {"GET /api/v1/persons/{person_id}",
       [&](Caller&, bool in) -> std::optional<Request> {
         return Request{
             "GET", StrCat("/api/v1/persons/", in ? res_.person_in : res_.person_out)};
       }},
      {"GET /api/v1/disagreements",
       [](Caller&, bool in) -> std::optional<Request> {
         return Request{"GET", in ? "/api/v1/disagreements?limit=5"
                                  : "/api/v1/disagreements?region=53"};
       }},
      {"GET /api/v1/imports",
       [](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"GET", "/api/v1/imports"};
       }},
      {"POST /api/v1/imports",
       [](Caller&, bool in) -> std::optional<Request> {
         Request r{"POST",
                   StrCat("/api/v1/imports?agency=", in ? "UPTD-PPA-JABAR" : "POLDA-NTT",
                          "&file_name=m.csv"),
                   "record_id,report_date,name\nM-3,2024-01-02,Citra\n"};
         r.content_type = "text/csv";
         return r;
       }},
      {"GET /api/v1/imports/{batch_id}",
       [&](Caller&, bool in) -> std::optional<Request> {
         return Request{"GET",
                        StrCat("/api/v1/imports/", in ? res_.batch_in : res_.batch_out)};
       }},
      {"GET /api/v1/imports/{batch_id}/rejects",
       [&](Caller&, bool in) -> std::optional<Request> {
         return Request{"GET", StrCat("/api/v1/imports/",
                                      in ? res_.batch_in : res_.batch_out, "/rejects")};
       }},
      {"GET /api/v1/review",
       [](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"GET", "/api/v1/review?limit=1000"};
       }},
      {"GET /api/v1/review/{item_id}",
       [&](Caller&, bool in) -> std::optional<Request> {
         return Request{"GET",
                        StrCat("/api/v1/review/", in ? res_.item_in : res_.item_out)};
       }},
      {"POST /api/v1/review/{item_id}/decision",
       [&](Caller&, bool in) -> std::optional<Request> {
         // An invalid decision: in scope the handler refuses it (400) after access
         // passed; out of scope the item does not exist for the caller.
         return Request{
             "POST",
             StrCat("/api/v1/review/", in ? res_.item_in : res_.item_out, "/decision"),
             json_body({{"decision", "mungkin"}})};
       }},
      {"GET /api/v1/users",
       [](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"GET", "/api/v1/users"};
       }},
      {"POST /api/v1/users",
       [&](Caller&, bool in) -> std::optional<Request> {
         return Request{"POST", "/api/v1/users",
                        json_body({{"username", StrCat("baru.", ++counter_)},
                                   {"role", "caseworker"},
                                   {"region", in ? "32" : "53"},
                                   {"agency", in ? "UPTD-PPA-JABAR" : "POLDA-NTT"}})};
       }},
      {"PATCH /api/v1/users/{username}",
       [&](Caller&, bool in) -> std::optional<Request> {
         std::string who = in ? "target.jabar" : "target.ntt";
         return Request{"PATCH", StrCat("/api/v1/users/", who),
                        json_body({{"role", in ? "caseworker" : "investigator"},
                                   {"version", UserVersion(who)}})};
       }},
      {"POST /api/v1/users/{username}/reset-password",
       [&](Caller&, bool in) -> std::optional<Request> {
         std::string who = in ? "target.jabar" : "target.ntt";
         return Request{"POST", StrCat("/api/v1/users/", who, "/reset-password"),
                        json_body({{"version", UserVersion(who)}})};
       }},
      {"GET /api/v1/stats",
       [](Caller&, bool in) -> std::optional<Request> {
         return Request{"GET", in ? "/api/v1/stats?by=sex,agency"
                                  : "/api/v1/stats?by=sex&region=53"};
       }},
      {"GET /api/v1/stats/reconciliation",
       [](Caller&, bool in) -> std::optional<Request> {
         return Request{"GET", in ? "/api/v1/stats/reconciliation"
                                  : "/api/v1/stats/reconciliation?region=53.71"};
       }},
      {"GET /api/v1/stats/dashboard",
       [](Caller&, bool in) -> std::optional<Request> {
         return Request{"GET", in ? "/api/v1/stats/dashboard?tables=sex,agency"
                                  : "/api/v1/stats/dashboard?region=53"};
       }},
      {"GET /api/v1/cases",
       [](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"GET", "/api/v1/cases"};
       }},
      {"GET /api/v1/cases/{case_id}",
       [&](Caller&, bool in) -> std::optional<Request> {
         return Request{"GET",
                        StrCat("/api/v1/cases/", in ? res_.case_in : res_.case_out)};
       }},
      {"GET /api/v1/justice",
       [](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;  // aggregates: every caller sees the same
         return Request{"GET", "/api/v1/justice?by=province"};
       }},
      {"GET /api/v1/audit",
       [](Caller&, bool in) -> std::optional<Request> {
         if (!in) return std::nullopt;
         return Request{"GET", "/api/v1/audit?limit=5"};
       }},
  };

  // Outside the caller's scope, personal data is absent (404); management of
  // reference data and accounts elsewhere is refused (403) or absent (404, users).
  std::map<std::string, int> out_status = {
      {"GET /api/v1/agencies/{code}", 200},
      {"POST /api/v1/agencies", 403},
      {"PATCH /api/v1/agencies/{code}", 403},
      {"POST /api/v1/imports", 403},
      {"POST /api/v1/users", 403},
  };

  int checked = 0;
  for (const http::Route& route : http::Routes()) {
    std::string id = StrCat(route.method, " ", route.path);
    auto example = examples.find(id);
    ASSERT_NE(example, examples.end())
        << "route " << id << " has no example in the access matrix: add one";
    for (Caller& caller : callers_) {
      bool allowed =
          route.access.is_public() || Expected(caller.role, route.access.action());
      for (bool in : {true, false}) {
        std::optional<Request> req = example->second(caller, in);
        if (!req) continue;
        std::string token = req->token.empty() ? caller.token : req->token;
        HttpResult r =
            server_->Send(req->method, req->path, token, req->body, req->content_type);
        SCOPED_TRACE(StrCat(id, " as ", domain::RoleName(caller.role),
                            in ? " in scope" : " out of scope", ": ", r.status, " ",
                            r.body.substr(0, 200)));
        ++checked;
        ASSERT_NE(r.status, 0);
        EXPECT_LT(r.status, 500);
        if (!allowed) {
          EXPECT_EQ(r.status, 403);
          EXPECT_EQ(r.ErrorCode(), "forbidden");
          continue;
        }
        if (in) {
          EXPECT_NE(r.status, 401);
          EXPECT_NE(r.status, 403);
          EXPECT_NE(r.status, 404);
        } else {
          auto expected = out_status.find(id);
          EXPECT_EQ(r.status, expected == out_status.end() ? 404 : expected->second);
        }
      }
      // Without a token, or with a forged one, nothing but public routes answers.
      if (!route.access.is_public()) {
        std::optional<Request> req = example->second(caller, true);
        if (!req) req = example->second(caller, false);
        for (std::string token : {std::string(), std::string("forged-token-AAAA")}) {
          HttpResult r =
              server_->Send(req->method, req->path, token, req->body, req->content_type);
          EXPECT_EQ(r.status, 401) << id << " with token '" << token << "'";
          EXPECT_EQ(r.ErrorCode(), "unauthenticated") << id;
        }
      }
    }
  }
  EXPECT_GT(checked, 200);
}

// Lists never include what lies outside the caller's scope.
TEST_F(AccessMatrixTest, ListsShowNothingOutsideTheScope) {
  for (Caller& c : callers_) {
    if (!Expected(c.role, Action::kReadRecords)) continue;
    SCOPED_TRACE(std::string(domain::RoleName(c.role)));
    HttpResult persons =
        server_->Get(StrCat("/api/v1/persons?limit=100&q=",
                            httplib::detail::encode_query_param(res_.name_out)),
                     c.token);
    ASSERT_EQ(persons.status, 200) << persons.body;
    for (const auto& p : persons.json["persons"])
      EXPECT_NE(p["person_id"].get<int64_t>(), res_.person_out);
    HttpResult records =
        server_->Get("/api/v1/records?agency=POLDA-NTT&limit=500", c.token);
    ASSERT_EQ(records.status, 200);
    for (const auto& r : records.json["records"]) {
      std::string origin = r["parsed"].value("origin_region", "");
      // Only records whose victim comes from region 32, and only for secretariats.
      EXPECT_TRUE(domain::InRegion(origin, "32")) << r.dump();
      EXPECT_TRUE(c.role == Role::kSecretariat || c.role == Role::kAdmin);
    }
    HttpResult cases = server_->Get("/api/v1/cases?limit=500", c.token);
    ASSERT_EQ(cases.status, 200);
    bool home_case = false;
    for (const auto& k : cases.json["cases"]) {
      EXPECT_NE(k["case_id"].get<int64_t>(), res_.case_out);
      home_case |= k["case_id"].get<int64_t>() == res_.case_in;
    }
    EXPECT_TRUE(home_case) << "the home agency's case is listed";
    HttpResult imports = server_->Get("/api/v1/imports", c.token);
    ASSERT_EQ(imports.status, 200);
    for (const auto& b : imports.json["imports"])
      EXPECT_NE(b["id"].get<int64_t>(), res_.batch_out);
    if (Expected(c.role, Action::kReview)) {
      HttpResult review = server_->Get("/api/v1/review?limit=1000", c.token);
      ASSERT_EQ(review.status, 200);
      for (const auto& i : review.json["items"])
        EXPECT_NE(i["item"].get<int64_t>(), res_.item_out);
    }
  }
}

}  // namespace
}  // namespace gugus
