// Data-exchange exports over the store (report/exchange.h does the formatting):
//
//  - ExportHtcds: every current source record as an HTCDS 2.0 row, with its person
//    (0 = not linked yet, written as ""), agency and record id. Personal data: for
//    trusted callers only (the command line); it does not apply a RecordScope.
//  - ExportCtdc: every person (the current records of one linked person; an
//    unlinked record is its own person) as one CTDC-style row, k-anonymised.
//
// Both read ForEachCurrentRecord and the agency list once; ExportCtdc holds the
// person-level values of every record in memory (identifying fields are not kept),
// ExportHtcds streams.
// Ownership: nothing is kept after a call. Thread-safety: as safe as the Store (any
// number of calls at once). Errors: InvalidArgument for k < 1; DataLoss when `out`
// fails; storage errors as the store reports them. Messages never hold personal
// data.
#pragma once

#include <cstdint>
#include <ostream>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/repository.h"
#include "report/exchange.h"

namespace gugus::domain {

struct HtcdsExportOptions {
  bool identifiers = false;  // report::HtcdsOptions::identifiers
};

struct HtcdsExportReport {
  int64_t rows = 0;      // source records written
  int64_t unlinked = 0;  // of which not linked to a person yet
};

absl::StatusOr<HtcdsExportReport> ExportHtcds(Store& store,
                                              const HtcdsExportOptions& options,
                                              std::ostream& out);

struct CtdcExportReport {
  int64_t records = 0;   // current source records read
  int64_t unlinked = 0;  // of which not linked yet (each counted as a person)
  report::CtdcReport ctdc;
};

absl::StatusOr<CtdcExportReport> ExportCtdc(Store& store, int k, std::ostream& out);

// The persons ExportCtdc writes, resolved but not anonymised (for tests and
// statistics). `unlinked` (optional) receives the number of unlinked records.
absl::StatusOr<std::vector<report::VictimFacts>> CollectVictims(
    Store& store, int64_t* records = nullptr, int64_t* unlinked = nullptr);

}  // namespace gugus::domain
