#include "http/api.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <limits>
#include <ranges>
#include <system_error>

#include "core/status.h"
#include "core/strcat.h"
#include "domain/agency.h"
#include "domain/registry/link_service.h"
#include "http/api_util.h"
#include "http/dto.h"
#include "http/errors.h"
#include "http/openapi.h"

namespace gugus::http {
namespace {

using domain::Action;
using json = nlohmann::json;

absl::StatusOr<json> ParseObject(const Call& call) {
  json body = json::parse(call.body, nullptr, false);
  if (body.is_discarded())
    return absl::InvalidArgumentError("the request body is not valid JSON");
  if (!body.is_object())
    return absl::InvalidArgumentError("the request body must be a JSON object");
  return body;
}

// A string member: required ones must be present and non-empty.
absl::StatusOr<std::string> StringField(const json& body, std::string_view key,
                                        bool required) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (required) return FieldError(key, StrCat("'", key, "' is required"));
    return std::string();
  }
  if (!it->is_string()) return FieldError(key, StrCat("'", key, "' must be a string"));
  std::string value = it->get<std::string>();
  if (required && value.empty())
    return FieldError(key, StrCat("'", key, "' must not be empty"));
  if (value.size() > 4096) return FieldError(key, StrCat("'", key, "' is too long"));
  return value;
}

std::optional<std::string> OptionalString(const json& body, std::string_view key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

absl::StatusOr<int64_t> VersionField(const json& body) {
  auto it = body.find("version");
  if (it == body.end() || !it->is_number_integer())
    return FieldError("version",
                      "'version' is required: the version you read, so that a change "
                      "made meanwhile by someone else is not overwritten");
  return it->get<int64_t>();
}

// The decision already taken on `item`'s pair, if any (the latest binds).
absl::StatusOr<std::optional<domain::LinkDecision>> DecisionOn(
    domain::Store& store, const domain::ReviewItem& item) {
  return store.links().DecisionOn(item.record_a, item.record_b);
}

absl::Status AlreadyDecided(const domain::LinkDecision& d) {
  return absl::FailedPreconditionError(StrCat("this pair was already decided (",
                                              domain::DecisionName(d.decision), ") by ",
                                              d.decided_by, " at ", d.decided_at));
}

// The query parameters that say which records a statistics route counts (read by
// Api::StatsQueryOf), and its k.
constexpr QueryParam kFromParam{"from", "string",
                                "first report date counted, YYYY-MM-DD"};
constexpr QueryParam kToParam{"to", "string", "last report date counted, YYYY-MM-DD"};
constexpr QueryParam kRegionParam{"region", "string",
                                  "only this region (agency's or victim's origin)"};
constexpr QueryParam kHideParam{"k", "integer",
                                "hide cells of fewer than k persons (default 5)"};

}  // namespace

std::string Call::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  return it == query.end() ? std::string() : it->second;
}

const std::vector<Route>& Routes() {
  using A = RouteAccess;
  static const std::vector<Route> kRoutes = {
      {"GET",
       "/healthz",
       A::Public(),
       BodyKind::kNone,
       "system",
       "Liveness and database check",
       {},
       &Api::Health},
      {"GET",
       "/api/v1/openapi.json",
       A::Public(),
       BodyKind::kNone,
       "system",
       "This API's OpenAPI 3 document",
       {},
       &Api::OpenApi},
      {"POST",
       "/api/v1/auth/login",
       A::Public(),
       BodyKind::kJson,
       "auth",
       "Log in with {username, password}; returns a bearer token",
       {},
       &Api::Login},
      {"POST",
       "/api/v1/auth/logout",
       A::Needs(Action::kSession),
       BodyKind::kNone,
       "auth",
       "Revoke the caller's token",
       {},
       &Api::Logout},
      {"GET",
       "/api/v1/auth/me",
       A::Needs(Action::kSession),
       BodyKind::kNone,
       "auth",
       "The caller's account",
       {},
       &Api::Me},
      {"POST",
       "/api/v1/auth/password",
       A::Needs(Action::kSession),
       BodyKind::kJson,
       "auth",
       "Change the caller's password {old_password, new_password}",
       {},
       &Api::ChangePassword},
      {"GET",
       "/api/v1/jobs/{job_id}",
       A::Needs(Action::kSession),
       BodyKind::kNone,
       "jobs",
       "Progress and result of one of the caller's jobs",
       {},
       &Api::GetJob},
      {"GET",
       "/api/v1/regions",
       A::Needs(Action::kReadReference),
       BodyKind::kNone,
       "reference",
       "Children of a region (default: the provinces), or a name search",
       {{"parent", "string", "region code whose children to list (ID = provinces)"},
        {"q", "string", "search region names instead"},
        {"limit", "integer", "at most this many (search)"}},
       &Api::ListRegions},
      {"GET",
       "/api/v1/regions/{code}",
       A::Needs(Action::kReadReference),
       BodyKind::kNone,
       "reference",
       "One region with its ancestors",
       {},
       &Api::GetRegion},
      {"GET",
       "/api/v1/agencies",
       A::Needs(Action::kReadReference),
       BodyKind::kNone,
       "reference",
       "Every agency",
       {},
       &Api::ListAgencies},
      {"GET",
       "/api/v1/agencies/{code}",
       A::Needs(Action::kReadReference),
       BodyKind::kNone,
       "reference",
       "One agency",
       {},
       &Api::GetAgency},
      {"POST",
       "/api/v1/agencies",
       A::Needs(Action::kManageAgencies),
       BodyKind::kJson,
       "reference",
       "Add an agency {code, name, type, region}",
       {},
       &Api::AddAgency},
      {"PATCH",
       "/api/v1/agencies/{code}",
       A::Needs(Action::kManageAgencies),
       BodyKind::kJson,
       "reference",
       "Change an agency {name?, type?, region?, version}",
       {},
       &Api::UpdateAgency},
      {"GET",
       "/api/v1/records",
       A::Needs(Action::kReadRecords),
       BodyKind::kNone,
       "records",
       "Source records in the caller's scope",
       {{"agency", "string", "agency code"},
        {"name", "string", "part of the cleaned name"},
        {"nik", "string", "16-digit NIK"},
        {"limit", "integer", "at most this many (default 50, at most 500)"},
        {"offset", "integer", "skip this many"}},
       &Api::ListRecords},
      {"GET",
       "/api/v1/records/{agency}/{record_id}",
       A::Needs(Action::kReadRecords),
       BodyKind::kNone,
       "records",
       "One source record with every version",
       {},
       &Api::GetRecord},
      {"GET",
       "/api/v1/persons",
       A::Needs(Action::kReadRecords),
       BodyKind::kNone,
       "persons",
       "Search persons by name (fuzzy), NIK or phone",
       {{"q", "string", "a name, a 16-digit NIK or a phone number"},
        {"limit", "integer", "at most this many (default 20, at most 100)"},
        {"offset", "integer", "skip this many"}},
       &Api::SearchPersons},
      {"GET",
       "/api/v1/persons/{person_id}",
       A::Needs(Action::kReadRecords),
       BodyKind::kNone,
       "persons",
       "A person: linked records visible to the caller, its facts with their "
       "sources, timeline, explanations",
       {},
       &Api::GetPerson},
      {"GET",
       "/api/v1/disagreements",
       A::Needs(Action::kReadRecords),
       BodyKind::kNone,
       "persons",
       "Persons whose records disagree on sex, birth date, origin or NIK, newest "
       "first, each with its facts and records side by side",
       {kFromParam,
        kToParam,
        kRegionParam,
        {"limit", "integer", "at most this many (default 20, at most 100)"},
        {"offset", "integer", "skip this many"}},
       &Api::ListDisagreements},
      {"GET",
       "/api/v1/imports",
       A::Needs(Action::kReadRecords),
       BodyKind::kNone,
       "imports",
       "Import batches of agencies in the caller's scope",
       {},
       &Api::ListImports},
      {"POST",
       "/api/v1/imports",
       A::Needs(Action::kImport),
       BodyKind::kUpload,
       "imports",
       "Upload a CSV, XLSX or JSON-lines file (the request body) as a job",
       {{"agency", "string", "code of the submitting agency (required)"},
        {"file_name", "string", "the file's name, for the record"}},
       &Api::SubmitImport},
      {"GET",
       "/api/v1/imports/{batch_id}",
       A::Needs(Action::kReadRecords),
       BodyKind::kNone,
       "imports",
       "One import batch with its counts",
       {},
       &Api::GetImport},
      {"GET",
       "/api/v1/imports/{batch_id}/rejects",
       A::Needs(Action::kReadRecords),
       BodyKind::kNone,
       "imports",
       "The batch's rejected rows and every reason",
       {{"format", "string", "json (default) or csv"}},
       &Api::ListRejects},
      {"GET",
       "/api/v1/review",
       A::Needs(Action::kReview),
       BodyKind::kNone,
       "review",
       "Undecided pairs whose both records the caller sees, most uncertain first, and "
       "how many there are in all (total)",
       {{"limit", "integer", "at most this many (default 50)"},
        {"offset", "integer", "skip this many"}},
       &Api::ListReview},
      {"GET",
       "/api/v1/review/{item_id}",
       A::Needs(Action::kReview),
       BodyKind::kNone,
       "review",
       "A pair side by side with the explanation of its match weight",
       {},
       &Api::GetReviewItem},
      {"POST",
       "/api/v1/review/{item_id}/decision",
       A::Needs(Action::kReview),
       BodyKind::kJson,
       "review",
       "Decide {decision: same|different, note?}; relinks as a job",
       {},
       &Api::DecideReviewItem},
      {"GET",
       "/api/v1/users",
       A::Needs(Action::kManageUsers),
       BodyKind::kNone,
       "users",
       "Accounts in the administrator's region",
       {},
       &Api::ListUsers},
      {"POST",
       "/api/v1/users",
       A::Needs(Action::kManageUsers),
       BodyKind::kJson,
       "users",
       "Add an account {username, role, region, agency, password?}",
       {},
       &Api::AddUser},
      {"PATCH",
       "/api/v1/users/{username}",
       A::Needs(Action::kManageUsers),
       BodyKind::kJson,
       "users",
       "Change an account {role?, region?, agency?, disabled?, version}",
       {},
       &Api::UpdateUser},
      {"POST",
       "/api/v1/users/{username}/reset-password",
       A::Needs(Action::kManageUsers),
       BodyKind::kJson,
       "users",
       "Set a one-time password {version, password?}; revokes its sessions",
       {},
       &Api::ResetPassword},
      {"GET",
       "/api/v1/stats",
       A::Needs(Action::kReadAggregates),
       BodyKind::kNone,
       "statistics",
       "Unified counts (records, distinct persons, cases) by up to five dimensions, with "
       "small cells suppressed; analysts always get k >= 5",
       {{"by", "string",
         "dimensions, comma-separated: origin_province, origin_regency, agency_province, "
         "agency_regency, agency, agency_type, report_year, report_month, incident_year, "
         "sex, age_group, child, exploitation, recruitment, destination"},
        kHideParam,
        kFromParam,
        kToParam,
        kRegionParam,
        {"totals", "boolean", "also the margins (value 'total')"},
        {"format", "string", "json (default) or csv"}},
       &Api::Stats},
      {"GET",
       "/api/v1/cases",
       A::Needs(Action::kReadRecords),
       BodyKind::kNone,
       "justice",
       "Cases (agency cases of police, prosecutors and courts linked into one) the "
       "caller may see, newest first, each with its furthest visible stage",
       {{"stage", "string", "only cases whose furthest stage is this code"},
        {"stalled", "integer", "only open cases without an event for this many days"},
        {"region", "string", "only cases with an agency in this region"},
        {"year", "integer", "only cases whose first event is in this year"},
        {"limit", "integer", "at most this many (default 50, at most 500)"},
        {"offset", "integer", "skip this many"}},
       &Api::ListCases},
      {"GET",
       "/api/v1/cases/{case_id}",
       A::Needs(Action::kReadRecords),
       BodyKind::kNone,
       "justice",
       "A case: its agency cases, one timeline across them, suspects with roles, "
       "victim rows and restitution, as far as the caller may see",
       {},
       &Api::GetCase},
      {"GET",
       "/api/v1/justice",
       A::Needs(Action::kReadAggregates),
       BodyKind::kNone,
       "justice",
       "Suspects named, prosecuted, convicted and acquitted, cases and restitution per "
       "year (UNODC / TIP report definitions); counts under k are withheld",
       {{"by", "string", "year (default) or province"},
        {"year_start", "integer", "first month of the year (4: April-March)"},
        {"k", "integer", "withhold counts of fewer than k (default 5; analysts >= 5)"},
        {"format", "string", "json (default) or csv"}},
       &Api::Justice},
      {"GET",
       "/api/v1/stats/reconciliation",
       A::Needs(Action::kReadAggregates),
       BodyKind::kNone,
       "statistics",
       "Each agency's own count, its overlap with every other agency and the unified "
       "count",
       {{"k", "integer", "withhold counts of fewer than k persons (default 5)"},
        kFromParam,
        kToParam,
        kRegionParam},
       &Api::Reconciliation},
      {"GET",
       "/api/v1/stats/dashboard",
       A::Needs(Action::kReadAggregates),
       BodyKind::kNone,
       "statistics",
       "A dashboard's numbers in one answer: {reconciliation, tables: {dimension: "
       "table}, recounting}, each exactly what /stats/reconciliation and "
       "/stats?by=dimension&totals=true answer for the same filter; recounting=true "
       "when the numbers are from before a change the server is still counting "
       "(more than a second after it was asked): ask again in a few seconds",
       {{"tables", "string",
         "single dimensions, comma-separated, each at most once (default "
         "origin_province, report_year, sex, age_group, exploitation, recruitment, "
         "destination)"},
        kHideParam,
        kFromParam,
        kToParam,
        kRegionParam},
       &Api::StatsDashboard},
      {"GET",
       "/api/v1/audit",
       A::Needs(Action::kReadAudit),
       BodyKind::kNone,
       "audit",
       "The audit trail",
       {{"after", "integer", "entries after this sequence number"},
        {"actor", "string", "only this actor"},
        {"action", "string", "only this action"},
        {"limit", "integer", "at most this many (default 100, at most 500)"}},
       &Api::ListAudit},
  };
  return kRoutes;
}

Api::Api(Services services, ApiOptions options)
    : s_(services),
      options_(std::move(options)),
      persons_(services.store),
      stats_(services.store),
      justice_(services.store) {
  HandleJobs(services);
}

absl::Status Api::Warm() {
  GUGUS_RETURN_IF_ERROR(persons_.Warm());
  return stats_.Warm();
}

absl::Status Api::Audit(const Call& call, std::string_view action, std::string target,
                        json detail) {
  domain::AuditEvent event;
  event.actor = call.principal ? call.principal->username : "anonymous";
  event.address = call.address;
  event.action = std::string(action);
  event.target = std::move(target);
  event.detail = detail.dump();
  return s_.audit.Record(event);
}

namespace {

json RegionJson(const Region& r) {
  return {{"code", r.code},
          {"name", r.name},
          {"level", static_cast<int>(r.level)},
          {"parent", r.parent_code}};
}

}  // namespace

// --- public ---

absl::StatusOr<Reply> Api::Health(Call&) {
  // A cheap read proves the database answers.
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::Agency> agencies,
                         s_.store.agencies().List());
  return Json({{"status", "ok"}, {"agencies", agencies.size()}});
}

absl::StatusOr<Reply> Api::OpenApi(Call&) { return Json(OpenApiDocument()); }

absl::StatusOr<Reply> Api::Login(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(json body, ParseObject(call));
  GUGUS_ASSIGN_OR_RETURN(std::string username, StringField(body, "username", true));
  GUGUS_ASSIGN_OR_RETURN(std::string password, StringField(body, "password", true));
  absl::StatusOr<domain::LoginResult> login =
      s_.accounts.Login(username, password, call.address);
  if (!login.ok()) {
    // Staff usernames are not victims' data; the password never leaves here.
    domain::AuditEvent event{"anonymous", call.address, "auth.login_failed",
                             StrCat("user:", username), "{}"};
    GUGUS_RETURN_IF_ERROR(s_.audit.Record(event));
    return login.status();
  }
  call.principal = domain::PrincipalOf(login->user);
  GUGUS_RETURN_IF_ERROR(Audit(call, "auth.login", StrCat("user:", login->user.username)));
  return Json({{"token", login->token},
               {"expires_at", login->expires_at},
               {"must_change_password", login->user.must_change_password},
               {"user", UserJson(login->user)}});
}

// --- session ---

absl::StatusOr<Reply> Api::Logout(Call& call) {
  GUGUS_RETURN_IF_ERROR(s_.accounts.Logout(call.token));
  GUGUS_RETURN_IF_ERROR(
      Audit(call, "auth.logout", StrCat("user:", call.principal->username)));
  return Json({{"logged_out", true}});
}

absl::StatusOr<Reply> Api::Me(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(domain::User user,
                         s_.store.accounts().FindUserById(call.principal->user_id));
  json out = UserJson(user);
  json allowed = json::array();
  for (Action a : domain::AllActions())
    if (domain::Allows(*call.principal, a)) allowed.push_back(domain::ActionName(a));
  out["allowed"] = allowed;
  return Json(out);
}

absl::StatusOr<Reply> Api::ChangePassword(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(json body, ParseObject(call));
  GUGUS_ASSIGN_OR_RETURN(std::string old_password,
                         StringField(body, "old_password", true));
  GUGUS_ASSIGN_OR_RETURN(std::string new_password,
                         StringField(body, "new_password", true));
  absl::Status changed =
      s_.accounts.ChangePassword(call.principal->user_id, old_password, new_password);
  // A wrong current password is bad input, not a role that may not act.
  if (absl::IsPermissionDenied(changed))
    return FieldError("old_password", std::string(changed.message()));
  GUGUS_RETURN_IF_ERROR(changed);
  GUGUS_RETURN_IF_ERROR(
      Audit(call, "auth.password_changed", StrCat("user:", call.principal->username)));
  return Json({{"changed", true}});
}

absl::StatusOr<Reply> Api::GetJob(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(int64_t id, ParseId(call.params["job_id"], "job"));
  GUGUS_ASSIGN_OR_RETURN(std::optional<domain::Job> job, s_.jobs.Find(id));
  // Only the submitter sees a job (its result may name what was imported).
  if (!job || job->owner != call.principal->user_id)
    return absl::NotFoundError("no such job");
  return Json(JobJson(*job));
}

// --- reference ---

absl::StatusOr<Reply> Api::ListRegions(Call& call) {
  json out = json::array();
  std::string q = call.Query("q");
  if (!q.empty()) {
    int limit = LimitOf(call, 20, 100);
    RegionMatch match = s_.regions.Resolve(q);
    std::vector<std::string> codes = match.kind == RegionMatch::kResolved
                                         ? std::vector<std::string>{match.code}
                                         : match.candidates;
    for (const std::string& code : codes) {
      if (static_cast<int>(out.size()) >= limit) break;
      if (const Region* r = s_.regions.Find(code)) out.push_back(RegionJson(*r));
    }
    return Json({{"regions", out}});
  }
  std::string parent = call.Query("parent");
  if (parent.empty()) parent = std::string(domain::kNationalRegion);
  if (!s_.regions.Find(parent)) return absl::NotFoundError("no such region");
  for (const Region& r : s_.regions.regions())
    if (r.parent_code == parent) out.push_back(RegionJson(r));
  return Json({{"regions", out}});
}

absl::StatusOr<Reply> Api::GetRegion(Call& call) {
  const Region* r = s_.regions.Find(call.params["code"]);
  if (!r) return absl::NotFoundError("no such region");
  json ancestors = json::array();
  for (const Region* p = s_.regions.Find(r->parent_code); p;
       p = p->parent_code.empty() ? nullptr : s_.regions.Find(p->parent_code))
    ancestors.insert(ancestors.begin(), RegionJson(*p));
  json out = RegionJson(*r);
  out["ancestors"] = ancestors;
  return Json(out);
}

absl::StatusOr<Reply> Api::ListAgencies(Call&) {
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::Agency> agencies,
                         s_.store.agencies().List());
  json out = json::array();
  for (const auto& a : agencies) out.push_back(AgencyJson(a));
  return Json({{"agencies", out}});
}

absl::StatusOr<Reply> Api::GetAgency(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(domain::Agency a,
                         s_.store.agencies().FindByCode(call.params["code"]));
  return Json(AgencyJson(a));
}

absl::StatusOr<Reply> Api::AddAgency(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(json body, ParseObject(call));
  domain::Agency a;
  GUGUS_ASSIGN_OR_RETURN(a.code, StringField(body, "code", true));
  GUGUS_ASSIGN_OR_RETURN(a.name, StringField(body, "name", true));
  GUGUS_ASSIGN_OR_RETURN(a.type, StringField(body, "type", true));
  GUGUS_ASSIGN_OR_RETURN(a.region_code, StringField(body, "region", true));
  if (std::string problem = domain::CheckAgencyCode(a.code); !problem.empty())
    return FieldError("code", problem);
  if (!domain::IsAgencyType(a.type)) return FieldError("type", "unknown agency type");
  if (!s_.regions.Find(a.region_code)) return FieldError("region", "unknown region code");
  if (!domain::CanManageIn(*call.principal, a.region_code))
    return absl::PermissionDeniedError("the agency's region lies outside yours");
  GUGUS_RETURN_IF_ERROR(s_.store.agencies().Add(a));
  GUGUS_RETURN_IF_ERROR(Audit(call, "agency.add", StrCat("agency:", a.code)));
  return Json(AgencyJson(a), 201);
}

absl::StatusOr<Reply> Api::UpdateAgency(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(json body, ParseObject(call));
  GUGUS_ASSIGN_OR_RETURN(domain::Agency a,
                         s_.store.agencies().FindByCode(call.params["code"]));
  if (!domain::CanManageIn(*call.principal, a.region_code))
    return absl::PermissionDeniedError("the agency's region lies outside yours");
  GUGUS_ASSIGN_OR_RETURN(a.version, VersionField(body));
  if (auto name = OptionalString(body, "name")) {
    if (name->empty()) return FieldError("name", "'name' must not be empty");
    a.name = *name;
  }
  if (auto type = OptionalString(body, "type")) {
    if (!domain::IsAgencyType(*type)) return FieldError("type", "unknown agency type");
    a.type = *type;
  }
  if (auto region = OptionalString(body, "region")) {
    if (!s_.regions.Find(*region)) return FieldError("region", "unknown region code");
    if (!domain::CanManageIn(*call.principal, *region))
      return absl::PermissionDeniedError("the new region lies outside yours");
    a.region_code = *region;
  }
  GUGUS_RETURN_IF_ERROR(s_.store.agencies().Update(a));
  GUGUS_RETURN_IF_ERROR(Audit(call, "agency.update", StrCat("agency:", a.code)));
  return Json(AgencyJson(a));
}

// --- records, persons, imports ---

absl::StatusOr<domain::StatsQuery> Api::StatsQueryOf(const Call& call, bool dims) {
  domain::StatsQuery q;
  if (dims) {
    const std::string by = call.Query("by");
    if (by.empty()) return FieldError("by", "say which dimensions to count by");
    auto parsed = report::ParseDims(by);
    if (!parsed.ok()) return FieldError("by", std::string(parsed.status().message()));
    q.dims = *std::move(parsed);
  }
  if (const std::string k = call.Query("k"); !k.empty()) {
    std::optional<int64_t> v = WholeNumber(k);
    if (!v || *v < 1 || *v > 1000)
      return FieldError("k", "k must be a whole number from 1 to 1000");
    q.k = static_cast<int>(*v);
  }
  q.from = call.Query("from");
  q.to = call.Query("to");
  q.region = call.Query("region");
  return q;
}

absl::StatusOr<Reply> Api::Stats(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(domain::StatsQuery q, StatsQueryOf(call, true));
  const std::string format = call.Query("format");
  if (!format.empty() && format != "json" && format != "csv")
    return FieldError("format", "format must be json or csv");
  const std::string totals = call.Query("totals");
  const bool with_totals = totals == "true" || totals == "1";
  GUGUS_ASSIGN_OR_RETURN(domain::StatsResult result, stats_.Query(q, *call.principal));
  if (format == "csv") {
    Reply reply;
    AppendStatsCsv(reply.text, result, with_totals);
    reply.content_type = "text/csv; charset=utf-8";
    return reply;
  }
  return Json(StatsJson(result, with_totals));
}

absl::StatusOr<Reply> Api::Reconciliation(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(domain::StatsQuery q, StatsQueryOf(call, false));
  GUGUS_ASSIGN_OR_RETURN(report::Reconciliation r, stats_.Reconcile(q, *call.principal));
  return Json(ReconciliationJson(r));
}

absl::StatusOr<Reply> Api::StatsDashboard(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(domain::StatsQuery q, StatsQueryOf(call, false));
  std::string tables = call.Query("tables");
  if (tables.empty())
    tables =
        "origin_province,report_year,sex,age_group,exploitation,recruitment,"
        "destination";
  // Each name is a table of its own, so ParseDims reads one name at a time.
  std::vector<std::vector<report::Dim>> dims;
  for (auto part : std::views::split(std::string_view(tables), ',')) {
    auto parsed = report::ParseDims(std::string_view(part.begin(), part.end()));
    if (!parsed.ok()) return FieldError("tables", std::string(parsed.status().message()));
    if (parsed->empty()) continue;
    if (std::find(dims.begin(), dims.end(), *parsed) != dims.end())
      return FieldError(
          "tables", StrCat("table '", report::DimName(parsed->front()), "' given twice"));
    dims.push_back(*std::move(parsed));
  }
  if (dims.empty()) return FieldError("tables", "say which tables to count");
  GUGUS_ASSIGN_OR_RETURN(domain::StatsOverview overview,
                         stats_.Overview(q, dims, *call.principal));
  json out = {{"reconciliation", ReconciliationJson(overview.reconciliation)},
              {"tables", json::object()},
              {"recounting", overview.recounting}};
  for (size_t t = 0; t < dims.size(); ++t)
    out["tables"][std::string(report::DimName(dims[t].front()))] =
        StatsJson(overview.tables[t], /*totals=*/true);
  return Json(std::move(out));
}

absl::StatusOr<Reply> Api::ListRecords(Call& call) {
  domain::RecordQuery query;
  query.agency_code = call.Query("agency");
  query.name = call.Query("name");
  query.nik = call.Query("nik");
  query.limit = LimitOf(call, options_.default_limit, options_.max_limit);
  query.offset = OffsetOf(call);
  query.scope = domain::ScopeOf(*call.principal);
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::StoredRecord> found,
                         s_.store.records().FindRecords(query));
  json out = json::array();
  for (const auto& r : found) out.push_back(RecordJson(r));
  GUGUS_RETURN_IF_ERROR(
      Audit(call, "record.search", "records", {{"results", found.size()}}));
  return Json({{"records", out}, {"limit", query.limit}, {"offset", query.offset}});
}

absl::StatusOr<Reply> Api::GetRecord(Call& call) {
  domain::RecordQuery query;
  query.agency_code = call.params["agency"];
  query.record_id = call.params["record_id"];
  query.all_versions = true;
  query.limit = 1000;
  query.scope = domain::ScopeOf(*call.principal);
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::StoredRecord> found,
                         s_.store.records().FindRecords(query));
  if (found.empty()) return absl::NotFoundError("no such record");
  json versions = json::array();
  for (const auto& r : found) versions.push_back(RecordJson(r));
  GUGUS_RETURN_IF_ERROR(Audit(
      call, "record.read", StrCat("record:", query.agency_code, "/", query.record_id)));
  return Json({{"agency", query.agency_code},
               {"record_id", query.record_id},
               {"versions", versions}});
}

absl::StatusOr<Reply> Api::SearchPersons(Call& call) {
  domain::PersonQuery query;
  query.q = call.Query("q");
  if (query.q.empty())
    return FieldError("q", "say what to look for: a name, a NIK or a phone");
  query.limit = LimitOf(call, 20, 100);
  query.offset = OffsetOf(call);
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::PersonHit> hits,
                         persons_.Search(domain::ScopeOf(*call.principal), query));
  json out = json::array();
  for (const auto& h : hits) {
    out.push_back({{"person_id", h.person_id},
                   {"score", h.score},
                   {"matched_by", h.matched_by},
                   {"name", h.name},
                   {"sex", h.sex},
                   {"birth_date", h.birth_date},
                   {"origin_region", h.origin_region},
                   {"agencies", h.agencies},
                   {"records", h.records}});
  }
  // The query text is personal data: the trail keeps only how many were shown.
  GUGUS_RETURN_IF_ERROR(
      Audit(call, "person.search", "persons", {{"results", hits.size()}}));
  return Json({{"persons", out}});
}

absl::StatusOr<Reply> Api::GetPerson(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(int64_t id, ParseId(call.params["person_id"], "person"));
  GUGUS_ASSIGN_OR_RETURN(std::shared_ptr<const domain::PersonDetail> p,
                         persons_.GetShared(domain::ScopeOf(*call.principal), id));
  std::string body;
  {
    std::lock_guard<std::mutex> lock(person_json_mu_);
    auto it = person_json_.find(p.get());
    if (it != person_json_.end() && it->second.first.lock() == p)
      body = it->second.second;
  }
  if (body.empty()) {
    json records = json::array();
    for (const auto& r : p->records) records.push_back(RecordJson(r.record));
    json links = json::array();
    for (const auto& l : p->links) {
      links.push_back(
          {{"record_a", l.record_a},
           {"record_b", l.record_b},
           {"explanation", json::parse(linkage::ExplanationJson(l.explanation))}});
    }
    json timeline = json::array();
    for (const auto& e : p->timeline) {
      timeline.push_back({{"date", e.date},
                          {"kind", e.kind},
                          {"agency", e.agency_code},
                          {"record_id", e.record_id}});
    }
    body = Dump({{"person_id", p->person_id},
                 {"facts", PersonFactsJson(p->facts)},
                 {"records", records},
                 {"links", links},
                 {"timeline", timeline}});
    std::lock_guard<std::mutex> lock(person_json_mu_);
    if (person_json_.size() >= 10000) person_json_.clear();
    person_json_[p.get()] = {p, body};
  }
  GUGUS_RETURN_IF_ERROR(Audit(call, "person.read", StrCat("person:", id),
                              {{"records", p->records.size()}}));
  Reply r;
  r.text = std::move(body);
  r.content_type = "application/json";
  return r;
}

absl::StatusOr<Reply> Api::ListDisagreements(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(domain::StatsQuery q, StatsQueryOf(call, false));
  const int limit = LimitOf(call, 20, 100);
  GUGUS_ASSIGN_OR_RETURN(domain::DisagreementPage page,
                         stats_.Disagreements(q, limit, std::min(OffsetOf(call), 1000000),
                                              &*call.principal));
  const domain::RecordScope scope = domain::ScopeOf(*call.principal);
  json persons = json::array();
  for (const report::Disagreement& d : page.persons) {
    absl::StatusOr<std::shared_ptr<const domain::PersonDetail>> person =
        persons_.GetShared(scope, d.person);
    if (absl::IsNotFound(person.status())) continue;  // relinked since the count
    if (!person.ok()) return person.status();
    persons.push_back(DisagreementJson(d, **person));
  }
  GUGUS_RETURN_IF_ERROR(
      Audit(call, "person.disagreements", "persons", {{"results", persons.size()}}));
  return Json({{"persons", std::move(persons)}, {"total", page.total}});
}

absl::StatusOr<Reply> Api::ListImports(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(
      std::vector<domain::ImportBatch> batches,
      s_.store.records().ListBatches(domain::ScopeOf(*call.principal)));
  json out = json::array();
  for (const auto& b : batches) out.push_back(BatchJson(b));
  return Json({{"imports", out}});
}

absl::StatusOr<Reply> Api::GetImport(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(int64_t id, ParseId(call.params["batch_id"], "import"));
  GUGUS_ASSIGN_OR_RETURN(
      std::vector<domain::ImportBatch> batches,
      s_.store.records().ListBatches(domain::ScopeOf(*call.principal)));
  for (const auto& b : batches)
    if (b.id == id) return Json(BatchJson(b));
  return absl::NotFoundError("no such import");
}

absl::StatusOr<Reply> Api::ListRejects(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(int64_t id, ParseId(call.params["batch_id"], "import"));
  domain::RecordScope scope = domain::ScopeOf(*call.principal);
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::ImportBatch> batches,
                         s_.store.records().ListBatches(scope));
  if (std::none_of(batches.begin(), batches.end(),
                   [&](const domain::ImportBatch& b) { return b.id == id; }))
    return absl::NotFoundError("no such import");
  std::string format = call.Query("format");
  if (format.empty()) format = "json";
  if (format != "json" && format != "csv")
    return FieldError("format", "format must be json or csv");
  json rows = json::array();
  std::string csv;
  int64_t current_batch = -1;
  GUGUS_RETURN_IF_ERROR(
      s_.store.records().ForEachReject(id, scope, [&](const domain::StoredReject& r) {
        if (format == "csv")
          AppendRejectCsv(csv, r, current_batch);
        else
          rows.push_back(RejectJson(r));
        return absl::OkStatus();
      }));
  GUGUS_RETURN_IF_ERROR(Audit(call, "import.rejects_read", StrCat("import:", id)));
  if (format == "csv") {
    Reply r;
    r.text = std::move(csv);
    r.content_type = "text/csv; charset=utf-8";
    r.headers.emplace_back("Content-Disposition",
                           StrCat("attachment; filename=\"rejects-", id, ".csv\""));
    return r;
  }
  return Json({{"rejects", rows}});
}

absl::StatusOr<domain::Agency> Api::VisibleAgencyForImport(const Call& call,
                                                           std::string_view code) {
  if (code.empty()) return FieldError("agency", "'agency' is required");
  absl::StatusOr<domain::Agency> agency = s_.store.agencies().FindByCode(code);
  if (absl::IsNotFound(agency.status())) return FieldError("agency", "unknown agency");
  if (!agency.ok()) return agency.status();
  if (!domain::CanImportFor(*call.principal, agency->id, agency->region_code))
    return absl::PermissionDeniedError("you may not submit files for this agency");
  return agency;
}

absl::StatusOr<Reply> Api::SubmitImport(Call& call) {
  std::string upload = std::move(call.upload_path);
  // The upload's bytes go into the job (any server may run it); the file goes now.
  struct Remove {
    std::string path;
    ~Remove() {
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  } remove_upload{upload};
  GUGUS_ASSIGN_OR_RETURN(domain::Agency agency,
                         VisibleAgencyForImport(call, call.Query("agency")));
  std::string file_name = call.Query("file_name");
  if (file_name.empty()) file_name = "upload";
  GUGUS_ASSIGN_OR_RETURN(std::string digest, domain::FileDigest(upload));
  domain::NewJob job;
  job.kind = "import";
  job.owner = call.principal->user_id;
  job.subject = agency.code;
  job.payload = json{{"agency", agency.code},
                     {"file_name", std::filesystem::path(file_name).filename().string()}}
                    .dump();
  // The same file sent for the same agency by the same user while it waits or runs
  // (a double click, two servers given one upload) is one job.
  job.dedup_key =
      StrCat("import:", call.principal->user_id, ":", agency.code, ":", digest);
  job.file_path = upload;
  GUGUS_ASSIGN_OR_RETURN(domain::AddedJob added, s_.jobs.Submit(std::move(job)));
  GUGUS_RETURN_IF_ERROR(Audit(call, "import.submit", StrCat("agency:", agency.code),
                              {{"job", added.id}, {"again", !added.added}}));
  return JobAccepted(added.id);
}

absl::StatusOr<Reply> Api::JobAccepted(int64_t id) {
  GUGUS_ASSIGN_OR_RETURN(std::optional<domain::Job> job, s_.jobs.Find(id));
  if (!job) return absl::InternalError("the job just stored cannot be read");
  Reply r = Json(JobJson(*job), 202);
  r.headers.emplace_back("Location", StrCat("/api/v1/jobs/", id));
  return r;
}

namespace {
domain::RecordScope Everything() {
  domain::RecordScope scope;
  scope.everything = true;
  return scope;
}
}  // namespace

void Api::HandleJobs(Services s) {
  // An upload's import, run by whichever server claims it. New or corrected records
  // join persons at once (an incremental run once a model exists), so what the
  // agency just sent counts in the unified numbers. The import stands even when
  // linking fails; the result says why.
  s.jobs.Handle("import", [s](const domain::JobRun& run) -> absl::StatusOr<std::string> {
    json payload = json::parse(run.job.payload, nullptr, false);
    if (!payload.is_object() || !payload.value("agency", json()).is_string())
      return absl::InternalError("the stored job cannot be read");
    domain::ImportRequest request;
    request.path = run.file;
    request.agency_code = payload["agency"].get<std::string>();
    request.file_name = payload.value("file_name", std::string("upload"));
    request.progress = [&run](uint64_t done, uint64_t total, int64_t rows) {
      run.report(domain::JobProgress{done, total, rows});
    };
    domain::ImportService service(s.store, s.regions, s.countries);
    GUGUS_ASSIGN_OR_RETURN(domain::ImportReport result, service.Import(request));
    json out = ImportReportJson(result);
    if (result.counts.inserted + result.counts.updated > 0) {
      domain::LinkRequest link;
      link.progress = [&run](std::string_view, uint64_t done, uint64_t total) {
        run.report(domain::JobProgress{done, total, static_cast<int64_t>(done)});
      };
      absl::StatusOr<domain::LinkReport> linked = domain::LinkService(s.store).Link(link);
      if (linked.ok())
        out["link"] = LinkReportJson(*linked);
      else
        out["link_error"] = std::string(linked.status().message());
    }
    return out.dump();
  });
  // A reviewer's decision and the relink it causes.
  s.jobs.Handle("relink", [s](const domain::JobRun& run) -> absl::StatusOr<std::string> {
    json payload = json::parse(run.job.payload, nullptr, false);
    if (!payload.is_object() || !payload.value("item", json()).is_number_integer())
      return absl::InternalError("the stored job cannot be read");
    const int64_t id = payload["item"].get<int64_t>();
    const domain::Decision d = payload.value("decision", std::string()) == "same"
                                   ? domain::Decision::kSame
                                   : domain::Decision::kDifferent;
    GUGUS_ASSIGN_OR_RETURN(domain::ReviewItem item,
                           s.store.links().FindReviewItem(id, Everything()));
    // Two decisions sent at once: the job that runs second finds the first's.
    GUGUS_ASSIGN_OR_RETURN(std::optional<domain::LinkDecision> decided,
                           DecisionOn(s.store, item));
    if (decided) return AlreadyDecided(*decided);
    domain::LinkRequest request;
    request.progress = [&run](std::string_view, uint64_t done, uint64_t total) {
      run.report(domain::JobProgress{done, total, static_cast<int64_t>(done)});
    };
    domain::LinkService service(s.store);
    GUGUS_ASSIGN_OR_RETURN(domain::LinkReport r,
                           service.Decide(id, d, payload.value("by", std::string()),
                                          payload.value("note", std::string()), request));
    return LinkReportJson(r).dump();
  });
}

// --- review ---

absl::StatusOr<Reply> Api::ListReview(Call& call) {
  int limit = LimitOf(call, options_.default_limit, options_.max_limit);
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::ReviewItem> items,
                         s_.store.links().ReviewQueue(
                             limit, domain::ScopeOf(*call.principal), OffsetOf(call)));
  GUGUS_ASSIGN_OR_RETURN(
      int64_t total, s_.store.links().CountReviewQueue(domain::ScopeOf(*call.principal)));
  json out = json::array();
  for (const auto& i : items) out.push_back(ReviewItemJson(i));
  return Json({{"items", out}, {"total", total}});
}

absl::StatusOr<Reply> Api::GetReviewItem(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(int64_t id, ParseId(call.params["item_id"], "review item"));
  domain::RecordScope scope = domain::ScopeOf(*call.principal);
  GUGUS_ASSIGN_OR_RETURN(domain::ReviewItem item,
                         s_.store.links().FindReviewItem(id, scope));
  domain::LinkService link(s_.store);
  GUGUS_ASSIGN_OR_RETURN(linkage::PairExplanation e, link.Explain(item));
  json out = ReviewItemJson(item);
  for (auto [side, agency, record_id] :
       {std::tuple{"a", item.agency_a, item.record_id_a},
        std::tuple{"b", item.agency_b, item.record_id_b}}) {
    domain::RecordQuery q;
    q.agency_code = agency;
    q.record_id = record_id;
    q.limit = 1;
    q.scope = scope;
    GUGUS_ASSIGN_OR_RETURN(std::vector<domain::StoredRecord> found,
                           s_.store.records().FindRecords(q));
    if (found.empty()) return absl::NotFoundError("no such review item");
    out[side]["record"] = RecordJson(found.front());
  }
  out["explanation"] = json::parse(linkage::ExplanationJson(e));
  GUGUS_ASSIGN_OR_RETURN(std::optional<domain::LinkDecision> decided,
                         DecisionOn(s_.store, item));
  if (decided)
    out["decision"] = {{"decision", domain::DecisionName(decided->decision)},
                       {"decided_by", decided->decided_by},
                       {"decided_at", decided->decided_at}};
  GUGUS_RETURN_IF_ERROR(Audit(call, "review.read", StrCat("review:", id)));
  return Json(out);
}

absl::StatusOr<Reply> Api::DecideReviewItem(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(int64_t id, ParseId(call.params["item_id"], "review item"));
  // Visible to the caller (both records), else it does not exist for them.
  GUGUS_ASSIGN_OR_RETURN(
      domain::ReviewItem item,
      s_.store.links().FindReviewItem(id, domain::ScopeOf(*call.principal)));
  // A second reviewer does not overwrite the first one's decision unseen (409);
  // a decision is changed deliberately with `gugus review decide`.
  GUGUS_ASSIGN_OR_RETURN(std::optional<domain::LinkDecision> decided,
                         DecisionOn(s_.store, item));
  if (decided) return AlreadyDecided(*decided);
  GUGUS_ASSIGN_OR_RETURN(json body, ParseObject(call));
  GUGUS_ASSIGN_OR_RETURN(std::string decision, StringField(body, "decision", true));
  GUGUS_ASSIGN_OR_RETURN(std::string note, StringField(body, "note", false));
  if (decision != "same" && decision != "different")
    return FieldError("decision", "'decision' must be \"same\" or \"different\"");
  domain::NewJob job;
  job.kind = "relink";
  job.owner = call.principal->user_id;
  job.subject = StrCat("review:", id);
  job.payload = json{
      {"item", id},
      {"decision", decision},
      {"by", call.principal->username},
      {"note",
       note}}.dump();
  GUGUS_ASSIGN_OR_RETURN(domain::AddedJob added, s_.jobs.Submit(std::move(job)));
  GUGUS_RETURN_IF_ERROR(Audit(call, "review.decide", StrCat("review:", id),
                              {{"decision", decision}, {"job", added.id}}));
  return JobAccepted(added.id);
}

// --- users and audit ---

absl::StatusOr<domain::User> Api::ManagedUser(const Call& call,
                                              std::string_view username) {
  absl::StatusOr<domain::User> user = s_.store.accounts().FindUser(username);
  if (!user.ok()) return user.status();
  // An account outside the administrator's region does not exist for them.
  if (!domain::CanManageIn(*call.principal, user->region_code))
    return absl::NotFoundError("no such user");
  return user;
}

absl::StatusOr<Reply> Api::ListUsers(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::User> users,
                         s_.store.accounts().ListUsers());
  json out = json::array();
  for (const auto& u : users)
    if (domain::CanManageIn(*call.principal, u.region_code)) out.push_back(UserJson(u));
  return Json({{"users", out}});
}

absl::StatusOr<Reply> Api::AddUser(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(json body, ParseObject(call));
  domain::NewUser request;
  GUGUS_ASSIGN_OR_RETURN(request.username, StringField(body, "username", true));
  GUGUS_ASSIGN_OR_RETURN(request.role, StringField(body, "role", true));
  GUGUS_ASSIGN_OR_RETURN(request.region_code, StringField(body, "region", true));
  GUGUS_ASSIGN_OR_RETURN(request.agency_code, StringField(body, "agency", true));
  GUGUS_ASSIGN_OR_RETURN(request.password, StringField(body, "password", false));
  if (!domain::CanManageIn(*call.principal, request.region_code))
    return absl::PermissionDeniedError("the account's region lies outside yours");
  bool generated = request.password.empty();
  if (generated) request.password = domain::AccountService::GeneratePassword();
  request.must_change_password = generated;
  GUGUS_ASSIGN_OR_RETURN(domain::User user, s_.accounts.CreateUser(request));
  GUGUS_RETURN_IF_ERROR(Audit(call, "user.add", StrCat("user:", user.username)));
  json out = UserJson(user);
  if (generated) out["one_time_password"] = request.password;
  return Json(out, 201);
}

absl::StatusOr<Reply> Api::UpdateUser(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(json body, ParseObject(call));
  GUGUS_ASSIGN_OR_RETURN(domain::User user, ManagedUser(call, call.params["username"]));
  GUGUS_ASSIGN_OR_RETURN(int64_t version, VersionField(body));
  std::optional<std::string> role = OptionalString(body, "role");
  std::optional<std::string> region = OptionalString(body, "region");
  std::optional<std::string> agency = OptionalString(body, "agency");
  if (region && !domain::CanManageIn(*call.principal, *region))
    return absl::PermissionDeniedError("the new region lies outside yours");
  if (role || region || agency) {
    GUGUS_ASSIGN_OR_RETURN(
        user, s_.accounts.UpdateUser(user.username, role, region, agency, version));
    version = user.version;
  }
  if (auto it = body.find("disabled"); it != body.end()) {
    if (!it->is_boolean())
      return FieldError("disabled", "'disabled' must be true or false");
    if (user.username == call.principal->username && it->get<bool>())
      return absl::FailedPreconditionError("you cannot disable your own account");
    GUGUS_ASSIGN_OR_RETURN(
        user, s_.accounts.SetDisabled(user.username, it->get<bool>(), version));
  }
  GUGUS_RETURN_IF_ERROR(Audit(call, "user.update", StrCat("user:", user.username)));
  return Json(UserJson(user));
}

absl::StatusOr<Reply> Api::ResetPassword(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(json body, ParseObject(call));
  GUGUS_ASSIGN_OR_RETURN(domain::User user, ManagedUser(call, call.params["username"]));
  GUGUS_ASSIGN_OR_RETURN(int64_t version, VersionField(body));
  GUGUS_ASSIGN_OR_RETURN(std::string password, StringField(body, "password", false));
  GUGUS_ASSIGN_OR_RETURN(std::string one_time,
                         s_.accounts.ResetPassword(user.username, password, version));
  GUGUS_RETURN_IF_ERROR(
      Audit(call, "user.reset_password", StrCat("user:", user.username)));
  return Json({{"username", user.username}, {"one_time_password", one_time}});
}

absl::StatusOr<Reply> Api::ListAudit(Call& call) {
  domain::AuditQuery query;
  if (std::string after = call.Query("after"); !after.empty()) {
    std::optional<int64_t> seq = WholeNumber(after);
    if (!seq) return FieldError("after", "'after' must be a whole number");
    query.after_seq = *seq;
  }
  query.actor = call.Query("actor");
  query.action = call.Query("action");
  query.limit = LimitOf(call, 100, options_.max_limit);
  GUGUS_ASSIGN_OR_RETURN(std::vector<domain::AuditEntry> entries,
                         s_.store.audit().FindAudit(query));
  json out = json::array();
  for (const auto& e : entries) out.push_back(AuditEntryJson(e));
  return Json({{"entries", out}});
}

}  // namespace gugus::http
