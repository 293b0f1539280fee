// JSON and CSV of the justice area (SPEC section 8), as the API and the command line
// give them: case summaries, a case's page, the yearly counts.
//
// A caller sees a case through `scope` (domain/access.h): only the agency cases it
// may see, their events, the suspects those events name and the victims their rows
// list; the case's stage and dates are those of the visible events. Pure functions;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "domain/access.h"
#include "domain/justice/justice_model.h"

namespace gugus::http {

// What `scope` may see of one case; nullopt when nothing.
struct CaseSight {
  const domain::CaseView* view = nullptr;
  std::vector<const domain::CaseEvent*> events;  // of visible agency cases, in order
  std::vector<const domain::CaseAgencyCase*> agency_cases;
  const ingest::StageSpec* stage = nullptr;  // furthest visible stage
  Date first, last;
  bool closed = false;
  int p19_returns = 0;
};
std::optional<CaseSight> SightOf(const domain::RecordScope& scope,
                                 const domain::JusticeModel& model,
                                 const domain::CaseView& view);

// Cases a list shows: by stage code, stalled for at least `stalled_days` (an open
// case whose last visible event is that old), a region (agency region inside it)
// and a year (of the first event). Newest first event first.
struct CaseFilter {
  std::string stage;
  int stalled_days = 0;  // 0: any
  std::string region;
  int year = 0;
  Date today = TodayInJakarta();
};
std::vector<CaseSight> ListCases(const domain::RecordScope& scope,
                                 const domain::JusticeModel& model,
                                 const CaseFilter& filter);

nlohmann::json CaseSummaryJson(const CaseSight& sight, const Date& today);
nlohmann::json CaseDetailJson(const CaseSight& sight, const domain::JusticeModel& model,
                              const Date& today);
// year,cases,suspects_named,prosecuted,convicted,acquitted,restitution_ordered,
// restitution_paid (and province after year when by province).
std::string JusticeCsv(const std::vector<domain::JusticeRow>& rows, bool by_province);
nlohmann::json JusticeJson(const std::vector<domain::JusticeRow>& rows, bool by_province);

}  // namespace gugus::http
