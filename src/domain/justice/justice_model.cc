#include "domain/justice/justice_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <limits>
#include <set>

#include "absl/container/flat_hash_set.h"
#include "core/strcat.h"
#include "core/text.h"
#include "linkage/indonesian_name.h"

namespace gugus::domain {
namespace {

using ingest::LegalField;

// Stored dates are ISO; a bad one (there are none) reads as absent.
std::optional<Date> ParseIsoDate(std::string_view text) {
  absl::StatusOr<Date> d = ParseDate(text);
  if (!d.ok()) return std::nullopt;
  return *d;
}

int64_t DaysBetween(const Date& from, const Date& to) {
  return DaysFromCivil(to) - DaysFromCivil(from);
}

// Union-find over indices.
class Groups {
 public:
  explicit Groups(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  size_t Find(size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  // The smaller index becomes the root: results do not depend on the order of calls.
  void Join(size_t a, size_t b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent_[b] = a;
  }

 private:
  std::vector<size_t> parent_;
};

// A suspect as one row names them.
struct Mention {
  size_t record = 0;
  linkage::NormalizedName name;
  std::string nik, birth, phone;
};

// The name before an alias ("Budi Santoso als. Bud", "Budi alias Gendut", "Budi @
// Bud"): the alias is a nickname, not a name part.
std::string_view NameBeforeAlias(std::string_view name) {
  std::string lower = FoldForMatch(name);
  for (std::string_view marker : {" alias ", " als ", " als. ", " @", "@"}) {
    size_t at = lower.find(marker);
    if (at != std::string::npos && at > 0 && at <= name.size())
      return Trim(name.substr(0, at));
  }
  return name;
}

double Similarity(const Mention& a, const Mention& b) {
  if (a.name.parts.empty() || b.name.parts.empty()) return 0;
  return linkage::NameSimilarity(a.name, b.name);
}

// Two mentions that cannot be one person: different valid NIKs or birth dates.
bool Contradict(const Mention& a, const Mention& b) {
  if (!a.nik.empty() && !b.nik.empty() && a.nik != b.nik) return true;
  if (!a.birth.empty() && !b.birth.empty() && a.birth != b.birth) return true;
  return false;
}

struct AgencyCaseData {
  int64_t agency_id = 0;
  std::string agency_code, agency_type, region, ref_key, case_ref;
  std::vector<size_t> records;
  std::vector<std::string> cited;
  std::vector<size_t> mentions;          // indices into the mention list
  absl::flat_hash_set<int64_t> victims;  // persons
  std::string first_date, last_date;
  std::vector<int> days;  // every event's day number, ascending (after linking's step 1)
  int stopped_before = std::numeric_limits<int>::max();  // day of its SP3 / SKPP
  int file_complete = -1;  // day of its first P-21 (-1: none)
  absl::flat_hash_set<std::string> cited_types;  // agency types its citations name
};

std::string Province(std::string_view region) {
  return std::string(region.substr(0, std::min<size_t>(2, region.size())));
}

int TypeOrder(std::string_view type) {
  if (type == "police") return 0;
  if (type == "prosecutor") return 1;
  if (type == "court") return 2;
  return 3;
}

// The score of two agency cases of different agencies (see the header): each
// evidence found adds its weight, and `why` collects it in words.
double ScoreCasePair(const AgencyCaseData& a, const AgencyCaseData& b,
                     const std::vector<Mention>& mentions, std::string& why) {
  double score = 0;
  auto add = [&](double w, std::string_view what) {
    score += w;
    why += StrCat(why.empty() ? "" : "; ", what, " ", w > 0 ? "+" : "", w);
  };
  int shared_victims = 0;
  for (int64_t v : a.victims) shared_victims += b.victims.contains(v) ? 1 : 0;
  if (shared_victims > 0) add(6, "shared victim");
  // Suspects: each name of the side that names fewer people against its best match.
  auto distinct_names = [&](const AgencyCaseData& c) {
    absl::flat_hash_set<std::string> names;
    for (size_t i : c.mentions) names.insert(mentions[i].name.sorted);
    return names.size();
  };
  const AgencyCaseData& fewer = distinct_names(a) <= distinct_names(b) ? a : b;
  const AgencyCaseData& more = &fewer == &a ? b : a;
  if (!fewer.mentions.empty() && !more.mentions.empty()) {
    double sum = 0;
    bool nik = false, phone = false, birth = false;
    bool full_name = false;  // a name of two parts or more among those compared
    absl::flat_hash_set<std::string> seen;
    int n = 0;
    for (size_t i : fewer.mentions) {
      const Mention& m = mentions[i];
      if (!seen.insert(m.name.sorted).second) continue;
      if (m.name.parts.size() > 1) full_name = true;
      double best = 0;
      for (size_t j : more.mentions) {
        const Mention& o = mentions[j];
        best = std::max(best, Similarity(m, o));
        if (!m.nik.empty() && m.nik == o.nik) nik = true;
        if (!m.phone.empty() && m.phone == o.phone) phone = true;
        if (!m.birth.empty() && m.birth == o.birth) birth = true;
      }
      sum += best;
      ++n;
    }
    double mean = n > 0 ? sum / n : 0;
    // A one-word name ("Agustinus") agreeing says less than a full one.
    if (mean >= 0.92 && full_name)
      add(4, "suspects' names agree");
    else if (mean >= 0.8)
      add(2, "suspects' names are alike");
    else if (mean < 0.5)
      add(-3, "suspects' names differ");
    // The same suspect's NIK, phone or birth date shows the names are one person's,
    // not that the cases are one: a syndicate's recruiter is in many cases.
    if (nik) add(1, "a suspect's NIK agrees");
    if (phone) add(1, "a suspect's phone agrees");
    if (birth) add(1, "a suspect's birth date agrees");
  }
  // A case that names its counterpart of this kind names another one.
  auto cites_other = [](const AgencyCaseData& x, const AgencyCaseData& y) {
    return x.cited_types.contains(y.agency_type) &&
           std::find(x.cited.begin(), x.cited.end(), y.ref_key) == x.cited.end();
  };
  if (cites_other(a, b) || cites_other(b, a)) add(-4, "cites another case of that kind");
  if (Province(a.region) == Province(b.region))
    add(1, "same province");
  else
    add(-2, "different provinces");
  // A later stage's agency acts after the earlier one's first event.
  const AgencyCaseData& early =
      TypeOrder(a.agency_type) <= TypeOrder(b.agency_type) ? a : b;
  const AgencyCaseData& late = &early == &a ? b : a;
  if (TypeOrder(early.agency_type) < TypeOrder(late.agency_type)) {
    std::optional<Date> e = ParseIsoDate(early.first_date);
    std::optional<Date> l = ParseIsoDate(late.first_date);
    if (e && l) {
      int64_t gap = DaysBetween(*e, *l);
      if (gap < -30) add(-4, "the later stage comes first");
      if (gap > 3 * 365) add(-2, "more than three years apart");
      // The next agency takes a case up soon after the one before hands it on: the
      // earlier agency's last event up to then is at most four months before.
      int taken_up = DaysFromCivil(*l);
      auto before = std::upper_bound(early.days.begin(), early.days.end(), taken_up + 30);
      if (early.file_complete >= 0 && taken_up >= early.file_complete &&
          taken_up - early.file_complete <= 60)
        add(2.5, "taken up within two months of P-21");
      else if (before != early.days.begin() && taken_up - *std::prev(before) <= 120)
        add(1.5, "taken up on handover");
      if (early.stopped_before <= taken_up)
        add(-4, "stopped (SP3 or SKPP) before the later agency acts");
    }
  } else if (a.agency_type == b.agency_type) {
    add(-1, "agencies of one kind");
  }
  return score;
}

double Probability(double score) { return 1.0 / (1.0 + std::exp(-(score - 4.5))); }

// Stable ids: each new group keeps the old id most of its members had (the larger
// overlap first, then the smaller old id), each old id once; the rest get new ids.
std::vector<int64_t> StableIds(const std::vector<std::vector<int64_t>>& old_of_members,
                               int64_t& next_id) {
  struct Claim {
    int64_t count;
    size_t group;
    int64_t old_id;
  };
  std::vector<Claim> claims;
  for (size_t g = 0; g < old_of_members.size(); ++g) {
    std::map<int64_t, int64_t> counts;
    for (int64_t id : old_of_members[g])
      if (id > 0) ++counts[id];
    for (auto [id, n] : counts) claims.push_back({n, g, id});
  }
  std::sort(claims.begin(), claims.end(), [](const Claim& x, const Claim& y) {
    if (x.count != y.count) return x.count > y.count;
    if (x.old_id != y.old_id) return x.old_id < y.old_id;
    return x.group < y.group;
  });
  std::vector<int64_t> ids(old_of_members.size(), 0);
  absl::flat_hash_set<int64_t> taken;
  for (const Claim& c : claims) {
    if (ids[c.group] != 0 || taken.contains(c.old_id)) continue;
    ids[c.group] = c.old_id;
    taken.insert(c.old_id);
  }
  for (int64_t& id : ids)
    if (id == 0) id = next_id++;
  return ids;
}

}  // namespace

std::string CaseRefKey(std::string_view case_ref) {
  std::string out;
  bool gap = false;
  for (unsigned char c : Trim(case_ref)) {
    if (std::isalnum(c) || c >= 0x80) {
      if (gap && !out.empty()) out.push_back('/');
      gap = false;
      out.push_back(static_cast<char>(std::toupper(c)));
    } else {
      gap = true;
    }
  }
  // "No. LP/…", "Nomor: PDM-…": the word for "number" is not part of it.
  for (std::string_view word : {"NO/", "NOMOR/", "NOMER/", "NR/"}) {
    if (out.starts_with(word) && out.size() > word.size()) {
      out.erase(0, word.size());
      break;
    }
  }
  return out;
}

std::string VictimKey(std::string_view agency_code, std::string_view record_id) {
  return StrCat(agency_code, "\x1f", record_id);
}

JusticeRunWrite LinkJustice(const JusticeLinkInput& input, JusticeLinkReport& report) {
  const std::vector<LegalRecord>& records = input.records;
  report = JusticeLinkReport();
  report.records = static_cast<int64_t>(records.size());

  // Rows in the order of their stable keys: the same rows give the same result
  // whatever order they were imported in.
  std::vector<size_t> order(records.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const LegalRecord& a = records[x];
    const LegalRecord& b = records[y];
    if (a.agency_code != b.agency_code) return a.agency_code < b.agency_code;
    return a.parsed[LegalField::kRecordId] < b.parsed[LegalField::kRecordId];
  });

  // 1. Agency cases and suspect mentions.
  std::vector<AgencyCaseData> acs;
  absl::flat_hash_map<std::string, size_t> ac_index;  // agency id + key
  std::vector<Mention> mentions;
  std::vector<size_t> mention_case;
  for (size_t i : order) {
    const LegalRecord& r = records[i];
    std::string key = CaseRefKey(r.parsed[LegalField::kCaseRef]);
    auto [it, added] = ac_index.try_emplace(StrCat(r.agency_id, "|", key), acs.size());
    if (added) {
      AgencyCaseData d;
      d.agency_id = r.agency_id;
      d.agency_code = r.agency_code;
      d.agency_type = r.agency_type;
      d.region = r.agency_region;
      d.ref_key = key;
      d.case_ref = r.parsed[LegalField::kCaseRef];
      acs.push_back(std::move(d));
    }
    AgencyCaseData& ac = acs[it->second];
    ac.records.push_back(i);
    const std::string& date = r.parsed[LegalField::kEventDate];
    if (ac.first_date.empty() || date < ac.first_date) ac.first_date = date;
    if (ac.last_date.empty() || date > ac.last_date) ac.last_date = date;
    for (std::string_view cited : Split(r.parsed[LegalField::kOtherRefs], ';')) {
      std::string k = CaseRefKey(cited);
      if (!k.empty() && k != key) ac.cited.push_back(std::move(k));
    }
    for (std::string_view vid : Split(r.parsed[LegalField::kVictimRecordIds], ';')) {
      auto v = input.victim_person.find(VictimKey(r.agency_code, Trim(vid)));
      if (v != input.victim_person.end() && v->second > 0) ac.victims.insert(v->second);
    }
    const std::string& name = r.parsed[LegalField::kSuspectName];
    const std::string& nik = r.parsed[LegalField::kSuspectNik];
    if (!name.empty() || !nik.empty()) {
      Mention m;
      m.record = i;
      m.name = linkage::NormalizeName(NameBeforeAlias(name));
      m.nik = nik;
      m.birth = r.parsed[LegalField::kSuspectBirthDate];
      m.phone = r.parsed[LegalField::kSuspectPhone];
      ac.mentions.push_back(mentions.size());
      mentions.push_back(std::move(m));
      mention_case.push_back(it->second);
    }
  }
  for (AgencyCaseData& ac : acs) {
    for (size_t i : ac.records) {
      std::optional<Date> d = ParseIsoDate(records[i].parsed[LegalField::kEventDate]);
      if (!d) continue;
      ac.days.push_back(DaysFromCivil(*d));
      const ingest::StageSpec* stage =
          input.stages ? input.stages->FindCode(records[i].parsed[LegalField::kStage])
                       : nullptr;
      if (stage != nullptr && (stage->milestones & ingest::kStopped))
        ac.stopped_before = std::min(ac.stopped_before, DaysFromCivil(*d));
      if (stage != nullptr && (stage->milestones & ingest::kFileComplete) &&
          ac.file_complete < 0)
        ac.file_complete = DaysFromCivil(*d);
    }
    std::sort(ac.days.begin(), ac.days.end());
  }
  report.agency_cases = static_cast<int64_t>(acs.size());

  // 2. Cited numbers.
  Groups cases(acs.size());
  absl::flat_hash_map<std::string, std::vector<size_t>> by_key;
  for (size_t a = 0; a < acs.size(); ++a) by_key[acs[a].ref_key].push_back(a);
  for (size_t a = 0; a < acs.size(); ++a) {
    for (const std::string& k : acs[a].cited) {
      auto it = by_key.find(k);
      if (it == by_key.end()) continue;
      for (size_t b : it->second) {
        if (acs[b].agency_id == acs[a].agency_id) continue;
        acs[a].cited_types.insert(acs[b].agency_type);
        if (cases.Find(a) != cases.Find(b)) ++report.cited_links;
        cases.Join(a, b);
      }
    }
  }

  // 3. Scored pairs, from blocks of shared victims and suspects' name keys.
  absl::flat_hash_map<std::string, std::vector<size_t>> blocks;
  for (size_t a = 0; a < acs.size(); ++a) {
    for (int64_t v : acs[a].victims) blocks[StrCat("v", v)].push_back(a);
    for (size_t m : acs[a].mentions) {
      const Mention& mention = mentions[m];
      if (!mention.nik.empty()) blocks[StrCat("n", mention.nik)].push_back(a);
      for (size_t p = 0; p < mention.name.parts.size(); ++p) {
        const std::string& part = mention.name.parts[p];
        if (part.size() < 3 || linkage::IsCommonPart(part)) continue;
        blocks[StrCat("p", mention.name.phonetic[p])].push_back(a);
      }
    }
  }
  struct Pair {
    double score;
    size_t a, b;
    std::string why;
  };
  std::vector<Pair> pairs;
  absl::flat_hash_set<std::pair<size_t, size_t>> seen;
  constexpr size_t kMaxBlock = 200;  // a name key this common says nothing alone
  for (auto& [key, members] : blocks) {
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    if (members.size() > kMaxBlock) continue;
    for (size_t i = 0; i < members.size(); ++i) {
      for (size_t j = i + 1; j < members.size(); ++j) {
        size_t a = members[i], b = members[j];
        if (acs[a].agency_id == acs[b].agency_id) continue;
        if (!seen.insert({a, b}).second) continue;
        std::string why;
        double s = ScoreCasePair(acs[a], acs[b], mentions, why);
        if (s >= kCaseReview) pairs.push_back({s, a, b, std::move(why)});
      }
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) {
    if (x.score != y.score) return x.score > y.score;
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  // Agencies in each group, to keep one agency case per agency in a case.
  absl::flat_hash_map<size_t, absl::flat_hash_set<int64_t>> agencies_of;
  absl::flat_hash_map<size_t, std::vector<size_t>> members_of;
  for (size_t a = 0; a < acs.size(); ++a) {
    agencies_of[cases.Find(a)].insert(acs[a].agency_id);
    members_of[cases.Find(a)].push_back(a);
  }
  JusticeRunWrite write;
  for (const Pair& p : pairs) {
    size_t ga = cases.Find(p.a), gb = cases.Find(p.b);
    if (ga == gb) continue;
    bool overlap = false;
    for (int64_t agency : agencies_of[gb])
      if (agencies_of[ga].contains(agency)) overlap = true;
    // A second agency case of one agency in a case (a trial split by suspect)
    // needs stronger evidence than a first; a police unit never reports one case
    // twice.
    bool police_twice = false;
    if (overlap) {
      for (size_t x : members_of[ga])
        for (size_t y : members_of[gb])
          if (acs[x].agency_id == acs[y].agency_id && acs[x].agency_type == "police")
            police_twice = true;
    }
    if (!police_twice && p.score >= (overlap ? kCaseLinkSameAgency : kCaseLink)) {
      cases.Join(ga, gb);
      size_t root = cases.Find(ga);
      absl::flat_hash_set<int64_t> merged = agencies_of[ga];
      merged.insert(agencies_of[gb].begin(), agencies_of[gb].end());
      agencies_of[root] = std::move(merged);
      std::vector<size_t> members = members_of[ga];
      members.insert(members.end(), members_of[gb].begin(), members_of[gb].end());
      members_of[root] = std::move(members);
      ++report.scored_links;
    } else {
      write.review.push_back({"case", StrCat(acs[p.a].agency_code, "/", acs[p.a].ref_key),
                              StrCat(acs[p.b].agency_code, "/", acs[p.b].ref_key),
                              Probability(p.score), p.why});
    }
  }
  report.review = static_cast<int64_t>(write.review.size());

  // 4. Suspects within each case.
  Groups suspects(mentions.size());
  absl::flat_hash_map<size_t, std::vector<size_t>> case_mentions;
  for (size_t m = 0; m < mentions.size(); ++m)
    case_mentions[cases.Find(mention_case[m])].push_back(m);
  for (auto& [root, ms] : case_mentions) {
    for (size_t i = 0; i < ms.size(); ++i) {
      for (size_t j = i + 1; j < ms.size(); ++j) {
        const Mention& a = mentions[ms[i]];
        const Mention& b = mentions[ms[j]];
        if (Contradict(a, b)) continue;
        bool same_nik = !a.nik.empty() && a.nik == b.nik;
        if (same_nik || Similarity(a, b) >= 0.85) suspects.Join(ms[i], ms[j]);
      }
    }
  }
  // 5. Across cases, on strong evidence only.
  absl::flat_hash_map<std::string, std::vector<size_t>> strong;
  for (size_t m = 0; m < mentions.size(); ++m) {
    const Mention& x = mentions[m];
    if (!x.nik.empty()) strong[StrCat("n", x.nik)].push_back(m);
    if (!x.phone.empty()) strong[StrCat("t", x.phone)].push_back(m);
    if (!x.birth.empty() && !x.name.sorted.empty())
      strong[StrCat("b", x.birth, "|",
                    x.name.last.empty() ? "" : linkage::PhoneticKey(x.name.last))]
          .push_back(m);
  }
  for (auto& [key, ms] : strong) {
    if (ms.size() > kMaxBlock) continue;  // a shared hotline, not a person
    for (size_t i = 0; i < ms.size(); ++i) {
      for (size_t j = i + 1; j < ms.size(); ++j) {
        const Mention& a = mentions[ms[i]];
        const Mention& b = mentions[ms[j]];
        if (Contradict(a, b)) continue;
        bool same_nik = !a.nik.empty() && a.nik == b.nik;
        double sim = Similarity(a, b);
        bool same_birth = !a.birth.empty() && a.birth == b.birth;
        bool same_phone = !a.phone.empty() && a.phone == b.phone;
        if (same_nik || (sim >= 0.85 && (same_birth || same_phone)))
          suspects.Join(ms[i], ms[j]);
      }
    }
  }

  // 6. Stable ids.
  absl::flat_hash_map<std::string, int64_t> old_case;  // agency id | key → case
  for (const AgencyCaseRow& row : input.previous.agency_cases)
    old_case[StrCat(row.agency_id, "|", row.ref_key)] = row.case_id;
  absl::flat_hash_map<int64_t, int64_t> old_suspect;
  for (const SuspectLinkRow& row : input.previous.suspect_links)
    old_suspect[row.legal_record_id] = row.suspect_id;

  std::map<size_t, std::vector<size_t>> case_groups;  // root → agency cases
  for (size_t a = 0; a < acs.size(); ++a) case_groups[cases.Find(a)].push_back(a);
  std::vector<std::vector<int64_t>> old_cases;
  for (const auto& [root, members] : case_groups) {
    std::vector<int64_t> olds;
    for (size_t a : members) {
      auto it = old_case.find(StrCat(acs[a].agency_id, "|", acs[a].ref_key));
      olds.push_back(it == old_case.end() ? 0 : it->second);
    }
    old_cases.push_back(std::move(olds));
  }
  write.next_case_id = std::max<int64_t>(input.previous.next_case_id, 1);
  std::vector<int64_t> case_ids = StableIds(old_cases, write.next_case_id);
  size_t g = 0;
  for (const auto& [root, members] : case_groups) {
    for (size_t a : members)
      write.agency_cases.push_back(
          {acs[a].agency_id, acs[a].ref_key, acs[a].case_ref, case_ids[g]});
    ++g;
  }

  std::map<size_t, std::vector<size_t>> suspect_groups;
  for (size_t m = 0; m < mentions.size(); ++m)
    suspect_groups[suspects.Find(m)].push_back(m);
  std::vector<std::vector<int64_t>> old_suspects;
  for (const auto& [root, members] : suspect_groups) {
    std::vector<int64_t> olds;
    for (size_t m : members) {
      auto it = old_suspect.find(records[mentions[m].record].legal_record_id);
      olds.push_back(it == old_suspect.end() ? 0 : it->second);
    }
    old_suspects.push_back(std::move(olds));
  }
  write.next_suspect_id = std::max<int64_t>(input.previous.next_suspect_id, 1);
  std::vector<int64_t> suspect_ids = StableIds(old_suspects, write.next_suspect_id);
  g = 0;
  for (const auto& [root, members] : suspect_groups) {
    for (size_t m : members)
      write.suspect_links.push_back(
          {records[mentions[m].record].legal_record_id, suspect_ids[g]});
    ++g;
  }
  std::sort(write.suspect_links.begin(), write.suspect_links.end(),
            [](const SuspectLinkRow& x, const SuspectLinkRow& y) {
              return x.legal_record_id < y.legal_record_id;
            });
  report.cases = static_cast<int64_t>(case_groups.size());
  report.suspects = static_cast<int64_t>(suspect_groups.size());
  write.cases = report.cases;
  write.suspects = report.suspects;
  write.started_at = input.started_at;
  return write;
}

// --- JusticeModel ---

JusticeModel JusticeModel::Build(std::vector<LegalRecord> records,
                                 const JusticeAssignment& assignment,
                                 std::shared_ptr<const ingest::StageCatalog> catalog) {
  JusticeModel model;
  model.stages_ = std::move(catalog);
  const ingest::StageCatalog& stages = *model.stages_;
  model.records_ = std::move(records);
  absl::flat_hash_map<std::string, int64_t> case_of;
  for (const AgencyCaseRow& row : assignment.agency_cases)
    case_of[StrCat(row.agency_id, "|", row.ref_key)] = row.case_id;
  absl::flat_hash_map<int64_t, int64_t> suspect_of;
  for (const SuspectLinkRow& row : assignment.suspect_links)
    suspect_of[row.legal_record_id] = row.suspect_id;

  std::map<int64_t, CaseView> views;
  for (size_t i = 0; i < model.records_.size(); ++i) {
    const LegalRecord& r = model.records_[i];
    std::string key = CaseRefKey(r.parsed[LegalField::kCaseRef]);
    auto c = case_of.find(StrCat(r.agency_id, "|", key));
    if (c == case_of.end()) continue;  // imported after the last `gugus link`
    const ingest::StageSpec* stage = stages.FindCode(r.parsed[LegalField::kStage]);
    std::optional<Date> date = ParseIsoDate(r.parsed[LegalField::kEventDate]);
    if (stage == nullptr || !date) continue;  // a stage since removed from the list
    CaseView& v = views[c->second];
    v.id = c->second;
    bool known = false;
    for (const CaseAgencyCase& ac : v.agency_cases)
      if (ac.agency_id == r.agency_id && ac.ref_key == key) known = true;
    if (!known)
      v.agency_cases.push_back({r.agency_id, r.agency_code, r.agency_type,
                                r.agency_region, r.parsed[LegalField::kCaseRef], key});
    auto s = suspect_of.find(r.legal_record_id);
    v.events.push_back({i, stage, *date, s == suspect_of.end() ? 0 : s->second});
  }
  for (auto& [id, v] : views) {
    std::sort(v.events.begin(), v.events.end(),
              [&](const CaseEvent& a, const CaseEvent& b) {
                if (!(a.date == b.date)) return a.date < b.date;
                if (a.stage->rank != b.stage->rank) return a.stage->rank < b.stage->rank;
                return a.record < b.record;
              });
    std::sort(v.agency_cases.begin(), v.agency_cases.end(),
              [](const CaseAgencyCase& a, const CaseAgencyCase& b) {
                int ta = TypeOrder(a.agency_type), tb = TypeOrder(b.agency_type);
                if (ta != tb) return ta < tb;
                return std::tie(a.agency_code, a.ref_key) <
                       std::tie(b.agency_code, b.ref_key);
              });
    std::set<int64_t> suspects;
    for (const CaseEvent& e : v.events) {
      if (e.suspect_id > 0) suspects.insert(e.suspect_id);
      if (v.stage == nullptr || e.stage->rank > v.stage->rank) v.stage = e.stage;
      uint32_t m = e.stage->milestones;
      if (m & (ingest::kFinal | ingest::kStopped | ingest::kRestitutionPaid))
        v.closed = true;
      if (m & ingest::kReturned) ++v.p19_returns;
      if ((m & ingest::kReported) && !v.reported) v.reported = e.date;
      if ((m & ingest::kFileComplete) && !v.file_complete) v.file_complete = e.date;
      if ((m & ingest::kFirstVerdict) && !v.first_verdict) v.first_verdict = e.date;
    }
    if (v.stage != nullptr && v.stage->area == "court" && v.stage->rank >= 0) {
      // Past the final verdict nothing more is expected of the courts.
      for (const ingest::StageSpec& st : stages.stages())
        if ((st.milestones & ingest::kFinal) && v.stage->rank >= st.rank) v.closed = true;
    }
    v.suspects.assign(suspects.begin(), suspects.end());
    v.first = v.events.front().date;
    v.last = v.events.back().date;
    v.province = Province(v.agency_cases.front().agency_region);
    model.cases_.push_back(std::move(v));
  }
  return model;
}

const CaseView* JusticeModel::Find(int64_t case_id) const {
  auto it = std::lower_bound(cases_.begin(), cases_.end(), case_id,
                             [](const CaseView& v, int64_t id) { return v.id < id; });
  return it != cases_.end() && it->id == case_id ? &*it : nullptr;
}

std::vector<JusticeRow> JusticeModel::Count(
    const JusticeCountOptions& options,
    const std::function<bool(const CaseView&)>& include) const {
  auto year_of = [&](const Date& d) {
    return d.month >= options.year_start_month ? d.year : d.year - 1;
  };
  struct Cell {
    int64_t cases = 0;
    std::set<int64_t> named, prosecuted, convicted, acquitted;
    int64_t ordered = 0, paid = 0;
  };
  std::map<std::pair<int, std::string>, Cell> cells;
  for (const CaseView& v : cases_) {
    if (include && !include(v)) continue;
    std::string province = options.by_province ? v.province : "";
    auto cell = [&](const Date& d) -> Cell& { return cells[{year_of(d), province}]; };
    auto counted = [&](const CaseEvent& e) {
      return options.agency_id == 0 || records_[e.record].agency_id == options.agency_id;
    };
    const CaseEvent* earliest = nullptr;
    for (const CaseEvent& e : v.events) {
      if (counted(e)) {
        earliest = &e;
        break;
      }
    }
    if (earliest == nullptr) continue;
    ++cell(earliest->date).cases;
    // Each suspect's first date per milestone in this case, from the rows that name
    // them (a row naming no one, such as an SPDP sent before anyone was named,
    // counts for no person).
    auto first = [&](int64_t suspect, uint32_t milestone,
                     std::string_view verdict) -> std::optional<Date> {
      for (const CaseEvent& e : v.events) {
        if (!counted(e) || !(e.stage->milestones & milestone)) continue;
        if (e.suspect_id != suspect) continue;
        if (!verdict.empty() &&
            records_[e.record].parsed[LegalField::kVerdict] != verdict)
          continue;
        return e.date;
      }
      return std::nullopt;
    };
    std::vector<int64_t> own;  // an agency alone knows the suspects its rows name
    if (options.agency_id != 0) {
      std::set<int64_t> named;
      for (const CaseEvent& e : v.events)
        if (counted(e) && e.suspect_id != 0) named.insert(e.suspect_id);
      own.assign(named.begin(), named.end());
    }
    for (int64_t s : options.agency_id != 0 ? own : v.suspects) {
      if (auto d = first(s, ingest::kNamed, "")) cell(*d).named.insert(s);
      if (auto d = first(s, ingest::kProsecuted, "")) cell(*d).prosecuted.insert(s);
      if (auto d = first(s, ingest::kFirstVerdict, "guilty"))
        cell(*d).convicted.insert(s);
      if (auto d = first(s, ingest::kFirstVerdict, "acquitted"))
        cell(*d).acquitted.insert(s);
    }
    // Restitution ordered: the latest order per suspect (0: the case as a whole);
    // paid: every payment once, though several agencies may record it.
    std::map<int64_t, const CaseEvent*> last_order;
    std::set<std::tuple<int64_t, int, int, int, int64_t>> payments;
    for (const CaseEvent& e : v.events) {
      const ingest::ParsedLegal& p = records_[e.record].parsed;
      if (!counted(e) || !p.restitution) continue;
      if (e.stage->milestones & ingest::kRestitutionOrdered) {
        const CaseEvent*& best = last_order[e.suspect_id];
        if (best == nullptr || best->stage->rank < e.stage->rank ||
            (best->stage->rank == e.stage->rank && best->date < e.date))
          best = &e;
      }
      if ((e.stage->milestones & ingest::kRestitutionPaid) &&
          payments
              .insert(
                  {e.suspect_id, e.date.year, e.date.month, e.date.day, *p.restitution})
              .second)
        cell(e.date).paid += *p.restitution;
    }
    for (const auto& [suspect, e] : last_order)
      cell(e->date).ordered += *records_[e->record].parsed.restitution;
  }
  std::vector<JusticeRow> out;
  for (const auto& [key, c] : cells) {
    JusticeRow row;
    row.year = key.first;
    row.province = key.second;
    row.cases = c.cases;
    row.suspects_named = static_cast<int64_t>(c.named.size());
    row.prosecuted = static_cast<int64_t>(c.prosecuted.size());
    row.convicted = static_cast<int64_t>(c.convicted.size());
    row.acquitted = static_cast<int64_t>(c.acquitted.size());
    row.restitution_ordered = c.ordered;
    row.restitution_paid = c.paid;
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace gugus::domain
