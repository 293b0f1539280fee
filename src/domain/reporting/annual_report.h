// The task force's annual data report (laporan tahunan): headline figures, the
// unified counts by origin, month, sex and age, exploitation, recruitment and
// destination, and the reconciliation of the agencies' own counts, as a
// report::Document ready for XLSX, HTML or PDF (report/document.h).
//
// Everything in it is published: every count goes through StatsService with k >= 2,
// so small cells are hidden exactly as in `gugus stats`. In Indonesian.
// Errors: InvalidArgument for a bad year or region (NotFound for an unknown region);
// storage errors as they come. Thread-safe as StatsService is.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "domain/reporting/stats_service.h"
#include "domain/repository.h"
#include "report/document.h"

namespace gugus::domain {

struct AnnualReportRequest {
  int year = 0;
  std::string region = "ID";  // the task force's region; "ID" = national
  int k = report::kDefaultK;
};

absl::StatusOr<report::Document> BuildAnnualReport(Store& store, StatsService& stats,
                                                   const AnnualReportRequest& request);

}  // namespace gugus::domain
