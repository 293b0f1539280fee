// Cases, suspects and the course of justice (SPEC section 8) over a Store.
//
// Link() links agency cases into cases and suspect mentions into suspects
// (justice_model.h), using the victims' persons of the latest `gugus link`, and
// stores the result in one transaction; `gugus link` calls it after linking
// victims. Model() gives the cases as they stand, rebuilt only when the store has
// changed since (a new legal import, a link run), and shared by every caller.
// Visible() applies SPEC section 6 to a case: an agency case is a record of its
// agency, and a case is visible where one of its agency cases is.
//
// Thread-safe: Model() may be called from any thread; Link() one at a time per
// store (the repository serialises runs across servers).
// Errors: storage errors as they come; InvalidArgument when the stored stage
// catalogue is inconsistent.
#pragma once

#include <memory>
#include <mutex>

#include "absl/status/statusor.h"
#include "domain/access.h"
#include "domain/justice/justice_model.h"
#include "domain/repository.h"

namespace gugus::domain {

class JusticeService {
 public:
  explicit JusticeService(Store& store) : store_(store) {}

  absl::StatusOr<JusticeLinkReport> Link();
  absl::StatusOr<std::shared_ptr<const JusticeModel>> Model();

  static bool Visible(const RecordScope& scope, const CaseView& view);
  // The agency cases of `view` that `scope` may see.
  static std::vector<const CaseAgencyCase*> VisibleAgencyCases(const RecordScope& scope,
                                                               const CaseView& view);

 private:
  Store& store_;
  std::mutex mu_;
  std::shared_ptr<const JusticeModel> model_;
  JusticeState state_;
};

}  // namespace gugus::domain
