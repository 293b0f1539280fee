// Linkage settings as data (in the manner of Splink): which columns are compared and
// how, which blocking rules propose candidate pairs, and the thresholds that turn
// scores into links, review items and clusters.
//
// ParseSettings reads the JSON form documented in the README ("Record linkage") and
// checks it against the columns that exist; every problem is an InvalidArgument
// naming the setting. Thread-safe; plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gugus::linkage {

enum class LinkType {
  kDedupe,  // one input: which of its records are the same entity
  kLink,    // two inputs: which left record is which right record
};

enum class ComparisonKind {
  kString,   // levels from a list: exact, dl<=N, jw>=X
  kName,     // Indonesian personal names (indonesian_name.h)
  kDate,     // birth dates, with partial agreement and ages
  kNik,      // Indonesian national id numbers
  kPhone,    // phone numbers, normalised to +62
  kRegion,   // hierarchical region codes "32.02.05.2001"
  kDays,     // dates of an event (a report), by how many days apart they are
  kAddress,  // street addresses, abbreviations unified, parts left out tolerated
};

// One level of a string comparison, strongest first.
struct StringLevel {
  enum Kind { kExact, kDamerauLevenshtein, kJaroWinkler } kind = kExact;
  double value = 0;  // the distance bound (dl) or the similarity threshold (jw)
};

struct ComparisonSettings {
  std::string name;
  ComparisonKind kind = ComparisonKind::kString;
  std::string column;
  std::vector<StringLevel> levels;  // kString only
  std::vector<double> thresholds;   // kName: similarity thresholds, descending
  std::vector<int> within_days;     // kDays: day bounds, ascending
  bool term_frequency = false;      // adjust exact agreement for how common a value is
  // kDate: when the date is missing, a birth-year range from an age at a date.
  std::string age_column;
  std::string age_date_column;
  // This comparison counts only for pairs that agree on each comparison named here
  // at the level given or a stronger one; for other pairs its level is null (it
  // says nothing). For facts that the people of one household or one case share (an
  // address, the suspects, the dates): they say "same person" only when the names
  // say it too.
  struct Gate {
    std::string comparison;
    std::string level;  // a label of LevelLabels(that comparison)
  };
  std::vector<Gate> only_with;
};

// A blocking rule: records that agree on every term form a block; pairs are
// proposed within blocks. A term is a function of one column.
struct BlockingTerm {
  enum Function {
    kValue,       // the folded value
    kPrefix,      // its first `length` characters
    kPhonetic,    // the Indonesian phonetic key of each name part (several keys)
    kNamePart,    // each normalised name part that is not an initial (several keys)
    kSortedName,  // the name's parts in sorted order
    kYear,        // the year of a date
    kWindow,      // a date's two windows of `length` days, one shifted by half
    kDigits,      // digits only (NIKs, phones written with separators)
    kAddress,     // the address's village-level words (address.h), RT/RW left out
  } function = kValue;
  std::string column;
  int length = 0;  // kPrefix, kNamePart: characters; kWindow: days
};

// window(column, DAYS): DAYS from 2 to this.
inline constexpr int kMaxWindowDays = 3660;

struct BlockingRule {
  std::string text;  // as written in the settings, for reports
  std::vector<BlockingTerm> terms;
  // Blocks above this many records are not expanded (0: Settings::max_block_size):
  // a rule on a value alone ("the same full name") is worth it for rare values and
  // ruinous for "Siti Aminah".
  int64_t max_block_size = 0;
};

struct Settings {
  LinkType link_type = LinkType::kDedupe;
  // The record id: one column, or several joined with ':' ("agency", "record_id").
  std::vector<std::string> id_columns;
  std::vector<ComparisonSettings> comparisons;
  std::vector<BlockingRule> blocking_rules;
  // A pair at or above this probability is a link.
  double link_threshold = 0.9;
  // Pairs with a probability in [review_threshold, link_threshold) go to review,
  // the most uncertain (nearest 0.5) first, at most max_review_items of them per
  // run: a queue nobody can finish helps nobody, and the rest are counted.
  double review_threshold = 0.5;
  int64_t max_review_items = 20000;
  // Two groups are merged only when the mean probability over their cross pairs is
  // at least this: one strong pair does not chain two different people together.
  double cluster_guard = 0.5;
  // Blocks larger than this are not expanded into pairs (reported, never silent).
  int64_t max_block_size = 20000;
  // Random pairs drawn to estimate how often non-matches agree (u).
  int64_t u_sample_pairs = 1000000;
  int max_em_iterations = 100;
  // EM needs pattern counts, not every pair: beyond this many candidate pairs the
  // model is fitted on an even sample of them (scoring still sees every pair).
  int64_t max_training_pairs = 5000000;
  int threads = 0;  // 0: every core
  // Column names of a NIK to fill missing birth date, sex and region from.
  std::string nik_fill_column, nik_fill_birth_date, nik_fill_sex, nik_fill_region;
  // Column names of an address and the region it completes: a region still missing
  // after the NIK, or only a province, takes the regency or city the address names
  // (RegencyOfAddress, with the reference regions given to the Linker), a province
  // only when the regency lies in it.
  std::string address_fill_column, address_fill_region;
};

// Settings::blocking_rules beyond this many are refused.
inline constexpr size_t kMaxBlockingRules = 32;

// Parses and checks `json_text`. `columns` are the input's column names (every
// referenced column must exist).
absl::StatusOr<Settings> ParseSettings(std::string_view json_text,
                                       const std::vector<std::string>& columns);

// Every column the settings read (ids, comparisons, blocking, fills), once each.
std::vector<std::string> UsedColumns(const Settings& settings);

// "jw>=0.92", "dl<=1", "exact"; for explanations.
std::string LevelName(const StringLevel& level);

// The agreement levels of a comparison, strongest first, without "null" (level 0)
// and "else" (the last): "exact", "similarity>=0.9", "within 31 days", ….
std::vector<std::string> LevelLabels(const ComparisonSettings& c);

}  // namespace gugus::linkage
