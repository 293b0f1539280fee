#include "http/openapi.h"

#include <string>

#include "domain/access.h"
#include "http/api.h"

namespace gugus::http {
namespace {

using json = nlohmann::json;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

json ErrorResponse(std::string_view description) {
  return {
      {"description", description},
      {"content",
       {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

json Operation(const Route& r) {
  json op = {{"summary", r.summary},
             {"tags", json::array({r.tag})},
             {"operationId", Lower(r.method) + std::string(r.path)}};
  json params = json::array();
  // Path parameters: every {name} in the template.
  std::string_view path = r.path;
  for (size_t open = path.find('{'); open != std::string_view::npos;
       open = path.find('{', open + 1)) {
    size_t close = path.find('}', open);
    params.push_back({{"name", std::string(path.substr(open + 1, close - open - 1))},
                      {"in", "path"},
                      {"required", true},
                      {"schema", {{"type", "string"}}}});
  }
  for (const QueryParam& q : r.query) {
    params.push_back({{"name", q.name},
                      {"in", "query"},
                      {"required", false},
                      {"description", q.description},
                      {"schema", {{"type", q.type}}}});
  }
  if (!params.empty()) op["parameters"] = params;
  if (r.body == BodyKind::kJson) {
    op["requestBody"] = {
        {"required", true},
        {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
  } else if (r.body == BodyKind::kUpload) {
    op["requestBody"] = {{"required", true},
                         {"content",
                          {{"application/octet-stream",
                            {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
  }
  json responses = {{"200", {{"description", "success"}}}};
  if (r.method == "POST" && r.body == BodyKind::kUpload)
    responses = {{"202", {{"description", "queued as a job"}}}};
  responses["400"] = ErrorResponse("bad input");
  if (!r.access.is_public()) {
    op["security"] = json::array({{{"bearer", json::array()}}});
    op["x-gugus-access"] = domain::ActionName(r.access.action());
    responses["401"] = ErrorResponse("not logged in, or the session expired");
    responses["403"] = ErrorResponse("the caller's role may not do this");
  }
  if (r.path.find('{') != std::string_view::npos)
    responses["404"] = ErrorResponse("absent, or outside the caller's scope");
  if (r.method == "PATCH" || r.path.ends_with("reset-password"))
    responses["409"] = ErrorResponse("changed by someone else meanwhile (stale version)");
  if (r.body != BodyKind::kNone) responses["413"] = ErrorResponse("body too large");
  if (r.path == "/api/v1/auth/login")
    responses["429"] = ErrorResponse("too many failed logins; see Retry-After");
  op["responses"] = responses;
  return op;
}

json Build() {
  json paths = json::object();
  for (const Route& r : Routes())
    paths[std::string(r.path)][Lower(r.method)] = Operation(r);
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "gugus API"},
            {"version", "1"},
            {"description",
             "Data system for Indonesia's anti-trafficking task forces (Gugus Tugas "
             "PP-TPPO). Records outside the caller's region and agency scope answer 404; "
             "actions the caller's role may not take answer 403."}}},
          {"servers", json::array({{{"url", "/"}}})},
          {"paths", paths},
          {"components",
           {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
            {"schemas",
             {{"Error",
               {{"type", "object"},
                {"required", json::array({"error"})},
                {"properties",
                 {{"error",
                   {{"type", "object"},
                    {"required", json::array({"code", "message", "fields"})},
                    {"properties",
                     {{"code", {{"type", "string"}}},
                      {"message", {{"type", "string"}}},
                      {"fields", {{"type", "object"}}}}}}}}}}}}}}}};
}

}  // namespace

const json& OpenApiDocument() {
  static const json kDocument = Build();
  return kDocument;
}

}  // namespace gugus::http
