#include "http/justice_dto.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/strcat.h"
#include "core/text.h"
#include "domain/justice/justice_service.h"

namespace gugus::http {
namespace {

using ingest::LegalField;
using json = nlohmann::json;

json StageJson(const ingest::StageSpec* stage) {
  if (stage == nullptr) return nullptr;
  return {{"code", stage->code},
          {"area", stage->area},
          {"name_id", stage->name_id},
          {"name_en", stage->name_en}};
}

json Days(const std::optional<Date>& from, const std::optional<Date>& to) {
  if (!from || !to) return nullptr;
  return DaysFromCivil(*to) - DaysFromCivil(*from);
}

}  // namespace

std::optional<CaseSight> SightOf(const domain::RecordScope& scope,
                                 const domain::JusticeModel& model,
                                 const domain::CaseView& view) {
  CaseSight s;
  s.view = &view;
  s.agency_cases = domain::JusticeService::VisibleAgencyCases(scope, view);
  if (s.agency_cases.empty()) return std::nullopt;
  auto visible = [&](const domain::CaseEvent& e) {
    const domain::LegalRecord& r = model.records()[e.record];
    std::string key = domain::CaseRefKey(r.parsed[LegalField::kCaseRef]);
    for (const domain::CaseAgencyCase* ac : s.agency_cases)
      if (ac->agency_id == r.agency_id && ac->ref_key == key) return true;
    return false;
  };
  for (const domain::CaseEvent& e : view.events) {
    if (!visible(e)) continue;
    s.events.push_back(&e);
    if (s.stage == nullptr || e.stage->rank > s.stage->rank) s.stage = e.stage;
    uint32_t m = e.stage->milestones;
    if (m & (ingest::kFinal | ingest::kStopped | ingest::kRestitutionPaid))
      s.closed = true;
    if (m & ingest::kReturned) ++s.p19_returns;
  }
  if (s.events.empty()) return std::nullopt;
  // A case closed anywhere (a final verdict the caller's agency did not record) is
  // closed: that is not a field of another agency's record but the case's state.
  s.closed = s.closed || view.closed;
  s.first = s.events.front()->date;
  s.last = s.events.back()->date;
  return s;
}

std::vector<CaseSight> ListCases(const domain::RecordScope& scope,
                                 const domain::JusticeModel& model,
                                 const CaseFilter& filter) {
  std::vector<CaseSight> out;
  for (const domain::CaseView& view : model.cases()) {
    std::optional<CaseSight> s = SightOf(scope, model, view);
    if (!s) continue;
    if (!filter.stage.empty() && (s->stage == nullptr || s->stage->code != filter.stage))
      continue;
    if (filter.stalled_days > 0 &&
        (s->closed ||
         DaysFromCivil(filter.today) - DaysFromCivil(s->last) < filter.stalled_days))
      continue;
    if (!filter.region.empty() &&
        std::none_of(s->agency_cases.begin(), s->agency_cases.end(),
                     [&](const domain::CaseAgencyCase* ac) {
                       return domain::InRegion(ac->agency_region, filter.region);
                     }))
      continue;
    if (filter.year > 0 && s->first.year != filter.year) continue;
    out.push_back(std::move(*s));
  }
  std::stable_sort(out.begin(), out.end(), [](const CaseSight& a, const CaseSight& b) {
    if (!(a.first == b.first)) return b.first < a.first;
    return a.view->id < b.view->id;
  });
  return out;
}

json CaseSummaryJson(const CaseSight& s, const Date& today) {
  json agency_cases = json::array();
  for (const domain::CaseAgencyCase* ac : s.agency_cases)
    agency_cases.push_back({{"agency", ac->agency_code},
                            {"agency_type", ac->agency_type},
                            {"case_ref", ac->case_ref}});
  std::set<int64_t> suspects;
  for (const domain::CaseEvent* e : s.events)
    if (e->suspect_id > 0) suspects.insert(e->suspect_id);
  return {{"case_id", s.view->id},
          {"stage", StageJson(s.stage)},
          {"first_event", FormatIsoDate(s.first)},
          {"last_event", FormatIsoDate(s.last)},
          {"days_since_last_event", DaysFromCivil(today) - DaysFromCivil(s.last)},
          {"closed", s.closed},
          {"p19_returns", s.p19_returns},
          {"suspects", suspects.size()},
          {"agency_cases", std::move(agency_cases)}};
}

json CaseDetailJson(const CaseSight& s, const domain::JusticeModel& model,
                    const Date& today) {
  json out = CaseSummaryJson(s, today);
  json timeline = json::array();
  struct Suspect {
    std::set<std::string> names, roles, companies;
    std::optional<std::string> verdict;
  };
  std::map<int64_t, Suspect> suspects;
  std::map<std::string, std::set<std::string>> victims;  // agency → record ids
  std::optional<Date> reported, file_complete, verdict;
  int64_t claimed = 0, ordered = 0, paid = 0;
  std::map<int64_t, int64_t> last_order;  // suspect → amount (latest court order)
  std::map<int64_t, int> last_order_rank;
  for (const domain::CaseEvent* e : s.events) {
    const domain::LegalRecord& r = model.records()[e->record];
    const ingest::ParsedLegal& p = r.parsed;
    json event = {
        {"date", FormatIsoDate(e->date)},
        {"stage", StageJson(e->stage)},
        {"agency", r.agency_code},
        {"agency_type", r.agency_type},
        {"case_ref", p[LegalField::kCaseRef]},
        {"record_id", p[LegalField::kRecordId]},
        {"suspect_id", e->suspect_id > 0 ? json(e->suspect_id) : json(nullptr)}};
    auto text = [&](std::string_view key, LegalField f) {
      if (!p[f].empty()) event[std::string(key)] = p[f];
    };
    text("suspect_name", LegalField::kSuspectName);
    text("role", LegalField::kRole);
    text("verdict", LegalField::kVerdict);
    text("articles", LegalField::kArticles);
    text("notes", LegalField::kNotes);
    if (p.sentence_months) event["sentence_months"] = *p.sentence_months;
    if (p.fine) event["fine"] = *p.fine;
    if (p.restitution) event["restitution"] = *p.restitution;
    timeline.push_back(std::move(event));

    uint32_t m = e->stage->milestones;
    if ((m & ingest::kReported) && !reported) reported = e->date;
    if ((m & ingest::kFileComplete) && !file_complete) file_complete = e->date;
    if ((m & ingest::kFirstVerdict) && !verdict) verdict = e->date;
    if (e->suspect_id > 0) {
      Suspect& su = suspects[e->suspect_id];
      if (!p[LegalField::kSuspectName].empty())
        su.names.insert(p[LegalField::kSuspectName]);
      if (!p[LegalField::kRole].empty()) su.roles.insert(p[LegalField::kRole]);
      if (!p[LegalField::kCompany].empty()) su.companies.insert(p[LegalField::kCompany]);
      if ((m & ingest::kFirstVerdict) && !p[LegalField::kVerdict].empty())
        su.verdict = p[LegalField::kVerdict];
    }
    for (std::string_view id : Split(p[LegalField::kVictimRecordIds], ';'))
      if (!Trim(id).empty()) victims[r.agency_code].insert(std::string(Trim(id)));
    if (p.restitution) {
      if (m & ingest::kRestitutionClaimed) claimed += *p.restitution;
      if ((m & ingest::kRestitutionOrdered) &&
          last_order_rank[e->suspect_id] <= e->stage->rank) {
        last_order[e->suspect_id] = *p.restitution;
        last_order_rank[e->suspect_id] = e->stage->rank;
      }
      if (m & ingest::kRestitutionPaid) paid += *p.restitution;
    }
  }
  for (const auto& [suspect, amount] : last_order) ordered += amount;
  json suspect_list = json::array();
  for (const auto& [id, su] : suspects) {
    suspect_list.push_back({{"suspect_id", id},
                            {"names", su.names},
                            {"roles", su.roles},
                            {"companies", su.companies},
                            {"verdict", su.verdict ? json(*su.verdict) : json(nullptr)}});
  }
  json victim_list = json::array();
  for (const auto& [agency, ids] : victims)
    for (const std::string& id : ids)
      victim_list.push_back({{"agency", agency}, {"record_id", id}});
  out["timeline"] = std::move(timeline);
  out["suspect_list"] = std::move(suspect_list);
  out["victims"] = std::move(victim_list);
  out["restitution"] = {{"claimed", claimed}, {"ordered", ordered}, {"paid", paid}};
  out["durations"] = {{"report_to_p21_days", Days(reported, file_complete)},
                      {"p21_to_verdict_days", Days(file_complete, verdict)},
                      {"report_to_verdict_days", Days(reported, verdict)}};
  return out;
}

std::string JusticeCsv(const std::vector<domain::JusticeRow>& rows, bool by_province) {
  std::string out = by_province ? "year,province," : "year,";
  out +=
      "cases,suspects_named,prosecuted,convicted,acquitted,restitution_ordered,"
      "restitution_paid\n";
  for (const domain::JusticeRow& r : rows) {
    out += StrCat(r.year, ",");
    if (by_province) out += StrCat(r.province, ",");
    out +=
        StrCat(r.cases, ",", r.suspects_named, ",", r.prosecuted, ",", r.convicted, ",",
               r.acquitted, ",", r.restitution_ordered, ",", r.restitution_paid, "\n");
  }
  return out;
}

json JusticeJson(const std::vector<domain::JusticeRow>& rows, bool by_province) {
  json out = json::array();
  for (const domain::JusticeRow& r : rows) {
    json row = {{"year", r.year},
                {"cases", r.cases},
                {"suspects_named", r.suspects_named},
                {"prosecuted", r.prosecuted},
                {"convicted", r.convicted},
                {"acquitted", r.acquitted},
                {"restitution_ordered", r.restitution_ordered},
                {"restitution_paid", r.restitution_paid}};
    if (by_province) row["province"] = r.province;
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace gugus::http
