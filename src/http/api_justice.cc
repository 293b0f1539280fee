// The justice routes of the API (SPEC section 8): cases and the yearly counts.
#include <algorithm>

#include "core/status.h"
#include "http/api.h"
#include "http/api_util.h"
#include "http/errors.h"
#include "http/justice_dto.h"

namespace gugus::http {
namespace {

using json = nlohmann::json;

absl::StatusOr<int> IntQuery(const Call& call, std::string_view name, int lo, int hi,
                             int fallback) {
  const std::string text = call.Query(name);
  if (text.empty()) return fallback;
  std::optional<int64_t> v = WholeNumber(text);
  if (!v || *v < lo || *v > hi)
    return FieldError(name,
                      StrCat(name, " must be a whole number from ", lo, " to ", hi));
  return static_cast<int>(*v);
}

}  // namespace

absl::StatusOr<Reply> Api::ListCases(Call& call) {
  CaseFilter filter;
  filter.stage = call.Query("stage");
  GUGUS_ASSIGN_OR_RETURN(filter.stalled_days, IntQuery(call, "stalled", 1, 100000, 0));
  GUGUS_ASSIGN_OR_RETURN(filter.year, IntQuery(call, "year", 1900, 2200, 0));
  filter.region = call.Query("region");
  GUGUS_ASSIGN_OR_RETURN(std::shared_ptr<const domain::JusticeModel> model,
                         justice_.Model());
  std::vector<CaseSight> cases =
      http::ListCases(domain::ScopeOf(*call.principal), *model, filter);
  const size_t offset =
      std::min<size_t>(static_cast<size_t>(OffsetOf(call)), cases.size());
  const size_t limit =
      static_cast<size_t>(LimitOf(call, options_.default_limit, options_.max_limit));
  json out = json::array();
  for (size_t i = offset; i < cases.size() && i < offset + limit; ++i)
    out.push_back(CaseSummaryJson(cases[i], filter.today));
  GUGUS_RETURN_IF_ERROR(Audit(call, "case.list", "cases", {{"results", out.size()}}));
  return Json({{"cases", std::move(out)}, {"total", cases.size()}});
}

absl::StatusOr<Reply> Api::GetCase(Call& call) {
  GUGUS_ASSIGN_OR_RETURN(int64_t id, ParseId(call.params["case_id"], "case"));
  GUGUS_ASSIGN_OR_RETURN(std::shared_ptr<const domain::JusticeModel> model,
                         justice_.Model());
  const domain::CaseView* view = model->Find(id);
  std::optional<CaseSight> sight;
  if (view != nullptr) sight = SightOf(domain::ScopeOf(*call.principal), *model, *view);
  if (!sight) return absl::NotFoundError("no such case");
  GUGUS_RETURN_IF_ERROR(Audit(call, "case.read", StrCat("case/", id)));
  return Json(CaseDetailJson(*sight, *model, TodayInJakarta()));
}

absl::StatusOr<Reply> Api::Justice(Call& call) {
  domain::JusticeCountOptions options;
  const std::string by = call.Query("by");
  if (!by.empty() && by != "year" && by != "province")
    return FieldError("by", "by must be year or province");
  options.by_province = by == "province";
  GUGUS_ASSIGN_OR_RETURN(options.year_start_month,
                         IntQuery(call, "year_start", 1, 12, 1));
  GUGUS_ASSIGN_OR_RETURN(int k, IntQuery(call, "k", 1, 1000, 5));
  if (call.principal->role == domain::Role::kAnalyst) k = std::max(k, 5);
  const std::string format = call.Query("format");
  if (!format.empty() && format != "json" && format != "csv")
    return FieldError("format", "format must be json or csv");
  GUGUS_ASSIGN_OR_RETURN(std::shared_ptr<const domain::JusticeModel> model,
                         justice_.Model());
  std::vector<domain::JusticeRow> rows = model->Count(options);
  // Small counts could point at a person: withheld (-1 in CSV, null in JSON), and
  // the restitution sums of a cell with fewer than k cases with them.
  auto hide = [&](int64_t n) { return n > 0 && n < k; };
  if (format == "csv") {
    for (domain::JusticeRow& r : rows) {
      bool few = hide(r.cases);
      for (int64_t* n :
           {&r.cases, &r.suspects_named, &r.prosecuted, &r.convicted, &r.acquitted})
        if (hide(*n)) *n = -1;
      if (few) r.restitution_ordered = r.restitution_paid = -1;
    }
    Reply reply;
    reply.text = JusticeCsv(rows, options.by_province);
    reply.content_type = "text/csv; charset=utf-8";
    return reply;
  }
  json out = JusticeJson(rows, options.by_province);
  for (json& row : out) {
    bool few = hide(row["cases"].get<int64_t>());
    for (const char* key :
         {"cases", "suspects_named", "prosecuted", "convicted", "acquitted"})
      if (hide(row[key].get<int64_t>())) row[key] = nullptr;
    if (few) row["restitution_ordered"] = row["restitution_paid"] = nullptr;
  }
  return Json(
      {{"rows", std::move(out)}, {"k", k}, {"year_start", options.year_start_month}});
}

}  // namespace gugus::http
