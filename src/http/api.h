// The JSON API under /api/v1: one table of routes, each naming its access rule,
// and the handlers behind them. The table is data, so the OpenAPI document
// (openapi.h) and the access-matrix test are generated from it: a route cannot be
// added without saying who may call it (RouteAccess has no default).
//
// Handlers run on the server's worker threads and return values; heavy work
// (imports, relinking after a review decision) is queued as a job. Every read of
// personal data and every change is written to the audit trail.
// Thread-safe: Api holds only thread-safe services.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/country_index.h"
#include "core/region_index.h"
#include "domain/access.h"
#include "domain/accounts/account_service.h"
#include "domain/audit_log.h"
#include "domain/jobs.h"
#include "domain/justice/justice_service.h"
#include "domain/registry/import_service.h"
#include "domain/registry/person_service.h"
#include "domain/reporting/stats_service.h"
#include "domain/repository.h"

namespace gugus::http {

// One API request, as the handlers see it (no HTTP library types).
struct Call {
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> params;  // path parameters, decoded
  std::string body;                           // kJson routes
  std::string upload_path;  // kUpload routes: the body in a temporary file (the
                            // handler owns it: it moves or deletes it)
  std::string address;      // the client's address
  std::string token;        // the bearer token, when one was sent
  std::optional<domain::Principal> principal;  // set on every non-public route

  // The first value of a query parameter, or "".
  std::string Query(std::string_view name) const;
};

struct Reply {
  int status = 200;
  nlohmann::json json;
  std::string text;  // when set, sent as is with `content_type`
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
};

enum class BodyKind { kNone, kJson, kUpload };

// Who may call a route. Not default-constructible: every route must say.
class RouteAccess {
 public:
  static constexpr RouteAccess Public() {
    return RouteAccess(true, domain::Action::kSession);
  }
  static constexpr RouteAccess Needs(domain::Action action) {
    return RouteAccess(false, action);
  }
  bool is_public() const { return is_public_; }
  domain::Action action() const { return action_; }

 private:
  constexpr RouteAccess(bool is_public, domain::Action action)
      : is_public_(is_public), action_(action) {}
  bool is_public_;
  domain::Action action_;
};

struct QueryParam {
  std::string_view name;
  std::string_view type;  // "string", "integer"
  std::string_view description;
};

class Api;

struct Route {
  std::string_view method;  // GET, POST, PATCH
  std::string_view path;    // OpenAPI template: /api/v1/persons/{person_id}
  RouteAccess access;
  BodyKind body;
  std::string_view tag;
  std::string_view summary;
  std::vector<QueryParam> query;
  absl::StatusOr<Reply> (Api::*handler)(Call&);
};

// Every route of the API (also /healthz, /metrics and the OpenAPI document).
const std::vector<Route>& Routes();

struct ApiOptions {
  std::string upload_dir = "var/uploads";
  int default_limit = 50;
  int max_limit = 500;
};

struct Services {
  domain::Store& store;
  const RegionIndex& regions;
  const CountryIndex& countries;
  domain::AccountService& accounts;
  domain::AuditLog& audit;
  domain::JobQueue& jobs;
};

class Api {
 public:
  Api(Services services, ApiOptions options);

  // Prepares what the first requests would otherwise wait for (the person-name
  // index, the statistics' facts); a server calls it off the request path at
  // start-up.
  absl::Status Warm();

  // Public.
  absl::StatusOr<Reply> Health(Call& call);
  absl::StatusOr<Reply> OpenApi(Call& call);
  absl::StatusOr<Reply> Login(Call& call);
  // Session.
  absl::StatusOr<Reply> Logout(Call& call);
  absl::StatusOr<Reply> Me(Call& call);
  absl::StatusOr<Reply> ChangePassword(Call& call);
  absl::StatusOr<Reply> GetJob(Call& call);
  // Reference.
  absl::StatusOr<Reply> ListRegions(Call& call);
  absl::StatusOr<Reply> GetRegion(Call& call);
  absl::StatusOr<Reply> ListAgencies(Call& call);
  absl::StatusOr<Reply> GetAgency(Call& call);
  absl::StatusOr<Reply> AddAgency(Call& call);
  absl::StatusOr<Reply> UpdateAgency(Call& call);
  // Records, persons, imports.
  absl::StatusOr<Reply> ListRecords(Call& call);
  absl::StatusOr<Reply> GetRecord(Call& call);
  absl::StatusOr<Reply> SearchPersons(Call& call);
  absl::StatusOr<Reply> GetPerson(Call& call);
  absl::StatusOr<Reply> ListDisagreements(Call& call);
  absl::StatusOr<Reply> ListImports(Call& call);
  absl::StatusOr<Reply> GetImport(Call& call);
  absl::StatusOr<Reply> ListRejects(Call& call);
  absl::StatusOr<Reply> SubmitImport(Call& call);
  // 202 with the job and its Location.
  absl::StatusOr<Reply> JobAccepted(int64_t id);
  // Gives the queue the handlers of the jobs the API submits (import, relink).
  static void HandleJobs(Services s);
  // Review.
  absl::StatusOr<Reply> ListReview(Call& call);
  absl::StatusOr<Reply> GetReviewItem(Call& call);
  absl::StatusOr<Reply> DecideReviewItem(Call& call);
  // Users and audit.
  absl::StatusOr<Reply> ListUsers(Call& call);
  absl::StatusOr<Reply> AddUser(Call& call);
  absl::StatusOr<Reply> UpdateUser(Call& call);
  absl::StatusOr<Reply> ResetPassword(Call& call);
  absl::StatusOr<Reply> ListAudit(Call& call);
  // Statistics.
  absl::StatusOr<Reply> Stats(Call& call);
  absl::StatusOr<Reply> Reconciliation(Call& call);
  absl::StatusOr<Reply> StatsDashboard(Call& call);
  // Justice (api_justice.cc).
  absl::StatusOr<Reply> ListCases(Call& call);
  absl::StatusOr<Reply> GetCase(Call& call);
  absl::StatusOr<Reply> Justice(Call& call);

 private:
  absl::Status Audit(const Call& call, std::string_view action, std::string target,
                     nlohmann::json detail = nlohmann::json::object());
  absl::StatusOr<domain::Agency> VisibleAgencyForImport(const Call& call,
                                                        std::string_view code);
  absl::StatusOr<domain::User> ManagedUser(const Call& call, std::string_view username);

  Services s_;
  ApiOptions options_;
  absl::StatusOr<domain::StatsQuery> StatsQueryOf(const Call& call, bool dims);

  domain::PersonService persons_;
  // A person page's JSON, kept beside the PersonService answer it was made from
  // (the same pointer while that answer stands).
  std::mutex person_json_mu_;
  std::unordered_map<const domain::PersonDetail*,
                     std::pair<std::weak_ptr<const domain::PersonDetail>, std::string>>
      person_json_;
  domain::StatsService stats_;
  domain::JusticeService justice_;
};

}  // namespace gugus::http
