#include "linkage/settings.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "core/status.h"
#include "core/strcat.h"
#include "core/text.h"

namespace gugus::linkage {
namespace {

using json = nlohmann::json;

absl::Status Bad(std::string_view where, std::string_view what) {
  return absl::InvalidArgumentError(StrCat("settings: ", where, ": ", what));
}

absl::Status CheckColumn(std::string_view where, const std::string& column,
                         const std::vector<std::string>& columns) {
  if (column.empty()) return Bad(where, "a column is required");
  if (std::find(columns.begin(), columns.end(), column) == columns.end())
    return Bad(where, StrCat("no column named '", column, "' in the input"));
  return absl::OkStatus();
}

absl::StatusOr<StringLevel> ParseLevel(std::string_view where, std::string_view text) {
  std::string t;
  for (char c : text)
    if (c != ' ') t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  StringLevel level;
  if (t == "exact") return level;
  double value = 0;
  if (t.rfind("dl<=", 0) == 0 && absl::SimpleAtod(AsAbsl(t).substr(4), &value) &&
      value >= 1 && value <= 3 && value == static_cast<int>(value)) {
    level.kind = StringLevel::kDamerauLevenshtein;
    level.value = value;
    return level;
  }
  if (t.rfind("jw>=", 0) == 0 && absl::SimpleAtod(AsAbsl(t).substr(4), &value) &&
      value > 0 && value < 1) {
    level.kind = StringLevel::kJaroWinkler;
    level.value = value;
    return level;
  }
  return Bad(where, StrCat("unknown level '", text,
                           "' (use \"exact\", \"dl<=1\"..\"dl<=3\" or \"jw>=0.9\")"));
}

absl::StatusOr<BlockingTerm> ParseTerm(std::string_view where, std::string_view text,
                                       const std::vector<std::string>& columns) {
  std::string_view t = Trim(text);
  BlockingTerm term;
  size_t open = t.find('(');
  if (open == std::string_view::npos) {
    term.column = std::string(t);
  } else {
    if (t.back() != ')') return Bad(where, StrCat("'", t, "' lacks a closing ')'"));
    std::string function = MatchKey(t.substr(0, open));
    std::string_view args = t.substr(open + 1, t.size() - open - 2);
    std::string_view column = args;
    if (size_t comma = args.find(','); comma != std::string_view::npos) {
      column = args.substr(0, comma);
      bool number = absl::SimpleAtoi(AsAbsl(Trim(args.substr(comma + 1))), &term.length);
      if (function == "window") {
        if (!number || term.length < 2 || term.length > kMaxWindowDays)
          return Bad(where, StrCat("'", t, "': the window must be 2 to ", kMaxWindowDays,
                                   " days"));
      } else if (!number || term.length < 1 || term.length > 32) {
        return Bad(where, StrCat("'", t, "': the length must be 1 to 32"));
      }
    }
    term.column = std::string(Trim(column));
    if (function == "window") {
      term.function = BlockingTerm::kWindow;
      if (term.length == 0)
        return Bad(where, StrCat("'", t, "': window(column, DAYS), e.g. window(",
                                 term.column, ", 184)"));
    } else if (function == "prefix") {
      term.function = BlockingTerm::kPrefix;
      if (term.length == 0) return Bad(where, StrCat("'", t, "': prefix(column, N)"));
    } else if (function == "phonetic") {
      term.function = BlockingTerm::kPhonetic;
    } else if (function == "namepart") {
      term.function = BlockingTerm::kNamePart;
    } else if (function == "sortedname") {
      term.function = BlockingTerm::kSortedName;
    } else if (function == "year") {
      term.function = BlockingTerm::kYear;
    } else if (function == "digits") {
      term.function = BlockingTerm::kDigits;
    } else if (function == "address") {
      term.function = BlockingTerm::kAddress;
    } else {
      return Bad(where, StrCat("unknown function in '", t,
                               "' (prefix, phonetic, name_part, sorted_name, year, "
                               "window, digits, address)"));
    }
  }
  GUGUS_RETURN_IF_ERROR(CheckColumn(where, term.column, columns));
  return term;
}

template <typename T>
absl::Status Read(const json& j, const char* key, T& out) {
  if (!j.contains(key)) return absl::OkStatus();
  try {
    out = j.at(key).get<T>();
  } catch (const json::exception&) {
    return Bad(key, "has the wrong type");
  }
  return absl::OkStatus();
}

absl::StatusOr<ComparisonSettings> ParseComparison(
    const json& j, size_t index, const std::vector<std::string>& columns) {
  std::string where = StrCat("comparisons[", index, "]");
  if (!j.is_object()) return Bad(where, "must be an object");
  ComparisonSettings c;
  std::string kind = "string";
  GUGUS_RETURN_IF_ERROR(Read(j, "column", c.column));
  GUGUS_RETURN_IF_ERROR(Read(j, "kind", kind));
  c.name = c.column;
  GUGUS_RETURN_IF_ERROR(Read(j, "name", c.name));
  GUGUS_RETURN_IF_ERROR(Read(j, "term_frequency", c.term_frequency));
  GUGUS_RETURN_IF_ERROR(CheckColumn(where, c.column, columns));
  if (j.contains("only_with")) {
    // One gate {"comparison": NAME, "level": LABEL} or a list of them.
    json gates =
        j["only_with"].is_array() ? j["only_with"] : json::array({j["only_with"]});
    for (const json& g : gates) {
      ComparisonSettings::Gate gate;
      if (!g.is_object() || !g.contains("comparison") || !g.contains("level"))
        return Bad(where,
                   "only_with is {\"comparison\": NAME, \"level\": LABEL} or a list");
      GUGUS_RETURN_IF_ERROR(Read(g, "comparison", gate.comparison));
      GUGUS_RETURN_IF_ERROR(Read(g, "level", gate.level));
      c.only_with.push_back(std::move(gate));
    }
  }
  if (kind == "string") {
    c.kind = ComparisonKind::kString;
    std::vector<std::string> levels = {"exact"};
    GUGUS_RETURN_IF_ERROR(Read(j, "levels", levels));
    if (levels.empty() || levels.size() > 6)
      return Bad(where, "a string comparison has 1 to 6 levels");
    for (const std::string& l : levels) {
      GUGUS_ASSIGN_OR_RETURN(StringLevel level, ParseLevel(where, l));
      c.levels.push_back(level);
    }
  } else if (kind == "name") {
    c.kind = ComparisonKind::kName;
    c.thresholds = {0.92, 0.80};
    GUGUS_RETURN_IF_ERROR(Read(j, "thresholds", c.thresholds));
    if (c.thresholds.size() > 4 ||
        !std::is_sorted(c.thresholds.rbegin(), c.thresholds.rend()) ||
        std::any_of(c.thresholds.begin(), c.thresholds.end(),
                    [](double t) { return t <= 0 || t >= 1; }))
      return Bad(where, "thresholds: at most 4, descending, each between 0 and 1");
  } else if (kind == "date") {
    c.kind = ComparisonKind::kDate;
    GUGUS_RETURN_IF_ERROR(Read(j, "age_column", c.age_column));
    GUGUS_RETURN_IF_ERROR(Read(j, "age_date_column", c.age_date_column));
    if (c.age_column.empty() != c.age_date_column.empty())
      return Bad(where, "age_column and age_date_column go together");
    if (!c.age_column.empty()) {
      GUGUS_RETURN_IF_ERROR(CheckColumn(where, c.age_column, columns));
      GUGUS_RETURN_IF_ERROR(CheckColumn(where, c.age_date_column, columns));
    }
  } else if (kind == "days") {
    c.kind = ComparisonKind::kDays;
    c.within_days = {31, 366};
    GUGUS_RETURN_IF_ERROR(Read(j, "within", c.within_days));
    if (c.within_days.empty() || c.within_days.size() > 4 ||
        !std::is_sorted(c.within_days.begin(), c.within_days.end()) ||
        std::adjacent_find(c.within_days.begin(), c.within_days.end()) !=
            c.within_days.end() ||
        c.within_days.front() < 0)
      return Bad(where, "within: 1 to 4 day counts, ascending, each at least 0");
  } else if (kind == "address") {
    c.kind = ComparisonKind::kAddress;
  } else if (kind == "nik") {
    c.kind = ComparisonKind::kNik;
  } else if (kind == "phone") {
    c.kind = ComparisonKind::kPhone;
  } else if (kind == "region") {
    c.kind = ComparisonKind::kRegion;
  } else {
    return Bad(where,
               StrCat("unknown kind '", kind,
                      "' (string, name, date, days, address, nik, phone, region)"));
  }
  return c;
}

}  // namespace

std::vector<std::string> UsedColumns(const Settings& s) {
  std::vector<std::string> out;
  auto add = [&](const std::string& c) {
    if (!c.empty() && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  };
  for (const std::string& c : s.id_columns) add(c);
  for (const ComparisonSettings& c : s.comparisons) {
    add(c.column);
    add(c.age_column);
    add(c.age_date_column);
  }
  for (const BlockingRule& r : s.blocking_rules)
    for (const BlockingTerm& t : r.terms) add(t.column);
  for (const std::string* c :
       {&s.nik_fill_column, &s.nik_fill_birth_date, &s.nik_fill_sex, &s.nik_fill_region,
        &s.address_fill_column, &s.address_fill_region})
    add(*c);
  return out;
}

std::vector<std::string> LevelLabels(const ComparisonSettings& c) {
  std::vector<std::string> labels;
  switch (c.kind) {
    case ComparisonKind::kString:
      for (const StringLevel& l : c.levels) labels.push_back(LevelName(l));
      break;
    case ComparisonKind::kName:
      labels = {"exact", "same parts, other order"};
      for (double t : c.thresholds) labels.push_back(StrCat("similarity>=", t));
      break;
    case ComparisonKind::kDate:
      // Ages only come in with an age column (birth dates).
      labels = {"exact", "day and month swapped", "one digit differs",
                c.age_column.empty() ? "same year" : "same year or fits the age"};
      break;
    case ComparisonKind::kAddress:
      labels = {"exact", "parts left out"};
      break;
    case ComparisonKind::kDays:
      for (int d : c.within_days) labels.push_back(StrCat("within ", d, " days"));
      break;
    case ComparisonKind::kNik:
    case ComparisonKind::kPhone:
      labels = {"exact", "one digit or swap"};
      break;
    case ComparisonKind::kRegion:
      labels = {"same region", "same district", "same regency",
                "same province, regency unknown", "same province"};
      break;
  }
  return labels;
}

std::string LevelName(const StringLevel& level) {
  switch (level.kind) {
    case StringLevel::kExact:
      return "exact";
    case StringLevel::kDamerauLevenshtein:
      return StrCat("dl<=", static_cast<int>(level.value));
    case StringLevel::kJaroWinkler: {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "jw>=%g", level.value);
      return buffer;
    }
  }
  return "";
}

absl::StatusOr<Settings> ParseSettings(std::string_view json_text,
                                       const std::vector<std::string>& columns) {
  json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Bad("file", "not valid JSON");
  if (!j.is_object()) return Bad("file", "must be a JSON object");
  Settings s;
  std::string link_type = "dedupe";
  GUGUS_RETURN_IF_ERROR(Read(j, "link_type", link_type));
  if (link_type == "dedupe") {
    s.link_type = LinkType::kDedupe;
  } else if (link_type == "link") {
    s.link_type = LinkType::kLink;
  } else {
    return Bad("link_type", "is \"dedupe\" or \"link\"");
  }
  if (j.contains("id_column") && j["id_column"].is_array()) {
    GUGUS_RETURN_IF_ERROR(Read(j, "id_column", s.id_columns));
  } else {
    std::string id;
    GUGUS_RETURN_IF_ERROR(Read(j, "id_column", id));
    s.id_columns = {id};
  }
  if (s.id_columns.empty()) return Bad("id_column", "a column is required");
  for (const std::string& c : s.id_columns)
    GUGUS_RETURN_IF_ERROR(CheckColumn("id_column", c, columns));

  if (!j.contains("comparisons") || !j["comparisons"].is_array() ||
      j["comparisons"].empty())
    return Bad("comparisons", "a non-empty list is required");
  if (j["comparisons"].size() > 16) return Bad("comparisons", "at most 16");
  for (size_t i = 0; i < j["comparisons"].size(); ++i) {
    GUGUS_ASSIGN_OR_RETURN(ComparisonSettings c,
                           ParseComparison(j["comparisons"][i], i, columns));
    s.comparisons.push_back(std::move(c));
  }
  for (size_t i = 0; i < s.comparisons.size(); ++i) {
    std::string where = StrCat("comparisons[", i, "].only_with");
    for (const ComparisonSettings::Gate& gate : s.comparisons[i].only_with) {
      auto other = std::find_if(
          s.comparisons.begin(), s.comparisons.end(),
          [&](const ComparisonSettings& o) { return o.name == gate.comparison; });
      if (other == s.comparisons.end() || other == s.comparisons.begin() + i)
        return Bad(where, StrCat("no other comparison is named '", gate.comparison, "'"));
      if (!other->only_with.empty())
        return Bad(where,
                   StrCat("'", gate.comparison, "' itself counts only with another"));
      std::vector<std::string> labels = LevelLabels(*other);
      if (std::find(labels.begin(), labels.end(), gate.level) == labels.end())
        return Bad(where, StrCat("'", gate.comparison, "' has no level '", gate.level,
                                 "' (", absl::StrJoin(labels, ", "), ")"));
    }
  }

  if (!j.contains("blocking_rules") || !j["blocking_rules"].is_array() ||
      j["blocking_rules"].empty())
    return Bad("blocking_rules", "at least one rule is required");
  if (j["blocking_rules"].size() > kMaxBlockingRules)
    return Bad("blocking_rules", StrCat("at most ", kMaxBlockingRules));
  for (size_t i = 0; i < j["blocking_rules"].size(); ++i) {
    std::string where = StrCat("blocking_rules[", i, "]");
    // "TERM & TERM", or {"rule": "TERM & TERM", "max_block_size": N}.
    const json& r = j["blocking_rules"][i];
    BlockingRule rule;
    if (r.is_string()) {
      rule.text = r.get<std::string>();
    } else if (r.is_object() && r.contains("rule") && r["rule"].is_string()) {
      rule.text = r["rule"].get<std::string>();
      if (r.contains("max_block_size")) {
        GUGUS_RETURN_IF_ERROR(Read(r, "max_block_size", rule.max_block_size));
        if (rule.max_block_size < 2)
          return Bad(where, "max_block_size must be at least 2");
      }
    } else {
      return Bad(where, "a rule is a string or {\"rule\": TEXT, \"max_block_size\": N}");
    }
    std::string_view rest = rule.text;
    while (true) {
      size_t amp = rest.find('&');
      GUGUS_ASSIGN_OR_RETURN(BlockingTerm term,
                             ParseTerm(where, rest.substr(0, amp), columns));
      rule.terms.push_back(std::move(term));
      if (amp == std::string_view::npos) break;
      rest.remove_prefix(amp + 1);
    }
    s.blocking_rules.push_back(std::move(rule));
  }

  GUGUS_RETURN_IF_ERROR(Read(j, "link_threshold", s.link_threshold));
  GUGUS_RETURN_IF_ERROR(Read(j, "review_threshold", s.review_threshold));
  GUGUS_RETURN_IF_ERROR(Read(j, "cluster_guard", s.cluster_guard));
  GUGUS_RETURN_IF_ERROR(Read(j, "max_review_items", s.max_review_items));
  if (s.max_review_items < 0) return Bad("max_review_items", "must not be negative");
  GUGUS_RETURN_IF_ERROR(Read(j, "max_block_size", s.max_block_size));
  GUGUS_RETURN_IF_ERROR(Read(j, "u_sample_pairs", s.u_sample_pairs));
  GUGUS_RETURN_IF_ERROR(Read(j, "max_em_iterations", s.max_em_iterations));
  GUGUS_RETURN_IF_ERROR(Read(j, "max_training_pairs", s.max_training_pairs));
  if (s.max_training_pairs < 1000)
    return Bad("max_training_pairs", "must be at least 1000");
  GUGUS_RETURN_IF_ERROR(Read(j, "threads", s.threads));
  if (!(s.link_threshold > 0 && s.link_threshold < 1))
    return Bad("link_threshold", "must be between 0 and 1");
  if (!(s.review_threshold > 0 && s.review_threshold <= s.link_threshold))
    return Bad("review_threshold", "must be above 0 and not above link_threshold");
  if (!(s.cluster_guard >= 0 && s.cluster_guard < 1))
    return Bad("cluster_guard", "must be from 0 to below 1");
  if (s.max_block_size < 2) return Bad("max_block_size", "must be at least 2");
  if (s.u_sample_pairs < 1000) return Bad("u_sample_pairs", "must be at least 1000");
  if (s.max_em_iterations < 1) return Bad("max_em_iterations", "must be at least 1");
  if (s.threads < 0 || s.threads > 256) return Bad("threads", "0 (every core) to 256");

  if (j.contains("nik_fill")) {
    const json& f = j["nik_fill"];
    if (!f.is_object()) return Bad("nik_fill", "must be an object");
    GUGUS_RETURN_IF_ERROR(Read(f, "nik", s.nik_fill_column));
    GUGUS_RETURN_IF_ERROR(Read(f, "birth_date", s.nik_fill_birth_date));
    GUGUS_RETURN_IF_ERROR(Read(f, "sex", s.nik_fill_sex));
    GUGUS_RETURN_IF_ERROR(Read(f, "region", s.nik_fill_region));
    GUGUS_RETURN_IF_ERROR(CheckColumn("nik_fill.nik", s.nik_fill_column, columns));
    for (const std::string* c :
         {&s.nik_fill_birth_date, &s.nik_fill_sex, &s.nik_fill_region})
      if (!c->empty()) GUGUS_RETURN_IF_ERROR(CheckColumn("nik_fill", *c, columns));
  }
  if (j.contains("address_fill")) {
    const json& f = j["address_fill"];
    if (!f.is_object()) return Bad("address_fill", "must be an object");
    GUGUS_RETURN_IF_ERROR(Read(f, "address", s.address_fill_column));
    GUGUS_RETURN_IF_ERROR(Read(f, "region", s.address_fill_region));
    GUGUS_RETURN_IF_ERROR(
        CheckColumn("address_fill.address", s.address_fill_column, columns));
    GUGUS_RETURN_IF_ERROR(
        CheckColumn("address_fill.region", s.address_fill_region, columns));
  }
  return s;
}

}  // namespace gugus::linkage
