// Controlled vocabularies of the interchange format, following IOM HTCDS 2.0 with
// Indonesian labels and what Indonesia needs beyond it (forced criminality in
// online-scam compounds, illegal adoption / baby selling).
//
// Each term has a stable code (exported and stored), an English and an
// Indonesian label, and synonyms. Lookup folds case, accents, punctuation and
// spaces. Thread-safe (static tables).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace gugus {

struct Term {
  std::string_view code;      // "sexual_exploitation"
  std::string_view label_en;  // "Sexual exploitation"
  std::string_view label_id;  // "Eksploitasi seksual"
};

enum class Vocabulary { kExploitation, kRecruitment };

const std::vector<Term>& Terms(Vocabulary vocabulary);
// The term `text` names (by code, either label or a synonym), or nullopt.
std::optional<Term> LookupTerm(Vocabulary vocabulary, std::string_view text);

}  // namespace gugus
