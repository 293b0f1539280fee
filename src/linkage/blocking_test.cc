#include "linkage/blocking.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "gtest/gtest.h"
#include "linkage/comparison.h"

namespace gugus::linkage {
namespace {

using Pairs = std::vector<Pair>;

Records Table(std::vector<std::string> names,
              std::vector<std::vector<std::string>> columns,
              std::vector<uint8_t> source = {}) {
  Records r;
  r.names = std::move(names);
  r.columns = std::move(columns);
  size_t n = r.columns[0].size();
  for (size_t i = 0; i < n; ++i) r.ids.push_back("r" + std::to_string(i));
  r.source = source.empty() ? std::vector<uint8_t>(n, 0) : std::move(source);
  return r;
}

Settings Parse(const Records& records, std::string_view rules,
               std::string_view extra = "", std::string_view link_type = "dedupe") {
  std::string json = R"({"id_column": ")" + records.names[0] + R"(", "link_type": ")" +
                     std::string(link_type) + R"(", "comparisons": [{"column": ")" +
                     records.names[0] + R"("}], "blocking_rules": )" +
                     std::string(rules) + std::string(extra) + "}";
  absl::StatusOr<Settings> s = ParseSettings(json, records.names);
  EXPECT_TRUE(s.ok()) << s.status() << "\n" << json;
  return s.ok() ? *s : Settings();
}

// Every pair visited, sorted, duplicates kept.
Pairs Collect(const Blocker& blocker, int threads, Blocker::Stats* stats = nullptr,
              const std::vector<uint8_t>* focus = nullptr,
              uint64_t sample_below = UINT64_MAX) {
  std::mutex mu;
  Pairs out;
  Blocker::Stats s = blocker.ForEachPair(
      threads,
      [&](int thread, const std::vector<Pair>& batch) {
        EXPECT_GE(thread, 0);
        EXPECT_LT(thread, std::max(1, threads));
        std::lock_guard<std::mutex> lock(mu);
        out.insert(out.end(), batch.begin(), batch.end());
      },
      focus, sample_below);
  std::sort(out.begin(), out.end());
  EXPECT_EQ(s.pairs, out.size());
  uint64_t per_rule = 0;
  for (uint64_t n : s.pairs_per_rule) per_rule += n;
  EXPECT_EQ(per_rule, s.pairs);
  if (stats) *stats = s;
  return out;
}

bool NoDuplicates(const Pairs& sorted) {
  return std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end();
}

// IsCandidate holds exactly for the visited pairs, in either order.
void ExpectIsCandidateAgrees(const Blocker& blocker, size_t n, const Pairs& visited) {
  for (uint32_t a = 0; a < n; ++a) {
    for (uint32_t b = 0; b < n; ++b) {
      if (a == b) continue;
      Pair p(std::min(a, b), std::max(a, b));
      bool want = std::binary_search(visited.begin(), visited.end(), p);
      ASSERT_EQ(blocker.IsCandidate(a, b), want) << a << " " << b;
    }
  }
}

TEST(BlockingTest, PairsProposedBySeveralRulesAreVisitedOnce) {
  Records r =
      Table({"name", "city", "nik"},
            {
                {"Siti Aminah", "Aminah Siti", "Siti Rahayu", "Budi Santoso", "budi",
                 "Rahayu", "", "Agus"},
                {"Bogor", "BOGOR ", "Bekasi", "Bogor", "Depok", "", "Bekasi", "Cirebon"},
                {"3201-0101-9000-0001", "3201010190000001", "", "3201010190000002",
                 "3201010190000002", "", "", ""},
            });
  Blocker blocker(
      Parse(r,
            R"j(["city", "name_part(name)", "digits(nik)", "prefix(name, 4) & city"])j"),
      r, 1);
  EXPECT_EQ(blocker.rule_count(), 4u);
  Blocker::Stats stats;
  Pairs one = Collect(blocker, 1, &stats);
  // city: Bogor {0,1,3}, Bekasi {2,6}; name parts: aminah {0,1}, rahayu {2,5},
  // budi {3,4} (the common "siti" makes no key beside a distinctive part); nik:
  // {0,1}, {3,4}; prefix & city: nothing shared.
  const Pairs want = {{0, 1}, {0, 3}, {1, 3}, {2, 5}, {2, 6}, {3, 4}};
  EXPECT_EQ(one, want);
  EXPECT_EQ(stats.pairs_per_rule, (std::vector<uint64_t>{4, 2, 0, 0}));
  EXPECT_EQ(stats.oversized_blocks, 0u);
  for (int threads : {2, 3}) EXPECT_EQ(Collect(blocker, threads), want) << threads;
  ExpectIsCandidateAgrees(blocker, r.size(), one);
}

TEST(BlockingTest, SeveralKeysOfOneRuleGiveOnePair) {
  // Two names that share every part, a part written twice, and a father's name
  // (not a part of the person's own name).
  Records r = Table({"name"}, {{"Siti Nur Aminah", "Aminah Nur Siti", "Nur Nur",
                                "Joko bin Aminah", "J. Santoso"}});
  Blocker blocker(Parse(r, R"j(["name_part(name)", "phonetic(name)"])j"), r, 1);
  Blocker::Stats stats;
  Pairs pairs = Collect(blocker, 1, &stats);
  EXPECT_TRUE(NoDuplicates(pairs));
  // "aminah" joins 0 and 1 once under each rule; "Nur Nur" shares only the common
  // "nur", which makes no key beside a distinctive part.
  EXPECT_EQ(pairs, (Pairs{{0, 1}}));
  EXPECT_EQ(stats.pairs_per_rule, (std::vector<uint64_t>{1, 0}));
}

TEST(BlockingTest, CommonPartsMakeKeysOnlyWhenANameHasNothingElse) {
  // A mononym "Siti" still meets "SITI"; "Siti Rahmah" meets "Rahmah" through its
  // distinctive part, not the thousands of other Sitis.
  Records r = Table({"name"}, {{"Siti", "SITI", "Siti Rahmah", "Rahmah", "Siti Aisyah"}});
  Blocker blocker(Parse(r, R"j(["name_part(name)"])j"), r, 1);
  EXPECT_EQ(Collect(blocker, 1), (Pairs{{0, 1}, {2, 3}}));
}

TEST(BlockingTest, EmptyValuesAreInNoBlock) {
  Records r = Table({"city", "born"}, {{"", "  ", "", "Bogor", "bogor"},
                                       {"", "bukan tanggal", "", "1990-01-01", ""}});
  Blocker blocker(Parse(r, R"j(["city", "year(born)", "digits(city)"])j"), r, 1);
  EXPECT_EQ(Collect(blocker, 1), (Pairs{{3, 4}}));
  EXPECT_FALSE(blocker.IsCandidate(0, 2));
  EXPECT_FALSE(blocker.IsCandidate(0, 1));
}

// Issue 19: a victim reported on 20 December and again on 15 January is proposed
// by a date window, which a report year never proposes.
TEST(BlockingTest, WindowProposesAPairAcrossANewYearThatYearMisses) {
  Records r =
      Table({"name", "reported"}, {{"Wayan", "Wayan", "Wayan", "Wayan"},
                                   {"2023-12-20", "2024-01-15", "2024-09-30", ""}});
  Blocker by_year(Parse(r, R"j(["name & year(reported)"])j"), r, 1);
  EXPECT_EQ(Collect(by_year, 1), (Pairs{{1, 2}}));
  Blocker by_window(Parse(r, R"j(["name & window(reported, 184)"])j"), r, 1);
  EXPECT_EQ(Collect(by_window, 1), (Pairs{{0, 1}}));
  EXPECT_TRUE(by_window.IsCandidate(1, 0));
  EXPECT_FALSE(by_window.IsCandidate(1, 2));  // 259 days apart
  EXPECT_FALSE(by_window.IsCandidate(0, 3));  // no date, no key
}

// Any two dates at most half a window apart share a key, whatever the window and
// wherever the dates fall (before 1970 too); dates a whole window apart or more
// never do. A pair sharing both keys of the rule is visited once.
TEST(BlockingTest, WindowKeysMeetEveryPairWithinHalfAWindowAndNoneAWindowApart) {
  std::vector<std::string> dates;
  for (int d = DaysFromCivil(Date{1969, 11, 1}); d <= DaysFromCivil(Date{1970, 3, 1});
       ++d)
    dates.push_back(FormatIsoDate(CivilFromDays(d)));
  for (int d = DaysFromCivil(Date{2023, 11, 1}); d <= DaysFromCivil(Date{2024, 3, 1});
       ++d)
    dates.push_back(FormatIsoDate(CivilFromDays(d)));
  Records r = Table({"reported"}, {dates});
  for (int window : {2, 7, 30, 31, 92, 184}) {
    Blocker blocker(Parse(r, "[\"window(reported, " + std::to_string(window) + ")\"]"), r,
                    2);
    Pairs visited = Collect(blocker, 2);
    EXPECT_TRUE(NoDuplicates(visited)) << window;
    for (uint32_t a = 0; a < dates.size(); ++a)
      for (uint32_t b = a + 1; b < dates.size(); ++b) {
        int apart = std::abs(DaysFromCivil(*ReadDateValue(dates[a])) -
                             DaysFromCivil(*ReadDateValue(dates[b])));
        bool candidate = std::binary_search(visited.begin(), visited.end(), Pair(a, b));
        if (apart <= window / 2) {
          ASSERT_TRUE(candidate) << window << " " << a << " " << b;
        } else if (apart >= window) {
          ASSERT_FALSE(candidate) << window << " " << a << " " << b;
        }
        ASSERT_EQ(blocker.IsCandidate(a, b), candidate);
      }
  }
}

TEST(BlockingTest, OversizedBlockIsCountedNotExpanded) {
  std::vector<std::string> city(10, "Jakarta");
  city.push_back("Bogor");
  city.push_back("Bogor");
  Records r = Table({"city"}, {city});
  Blocker blocker(Parse(r, R"j(["city"])j", R"(, "max_block_size": 9)"), r, 1);
  Blocker::Stats stats;
  EXPECT_EQ(Collect(blocker, 2, &stats), (Pairs{{10, 11}}));
  EXPECT_EQ(stats.oversized_blocks, 1u);
  EXPECT_EQ(stats.oversized_records, 10u);

  // At the limit the block is expanded.
  Blocker at_limit(Parse(r, R"j(["city"])j", R"(, "max_block_size": 10)"), r, 1);
  EXPECT_EQ(Collect(at_limit, 1, &stats).size(), 45u + 1u);
  EXPECT_EQ(stats.oversized_blocks, 0u);
}

// A rule's own max_block_size holds for that rule only, under the global one.
TEST(BlockingTest, RuleMaxBlockSizeLimitsThatRuleOnly) {
  std::vector<std::string> name(12, "Siti Aminah"), region(12, "32.01");
  name[10] = name[11] = "Yohana Selan";
  region[10] = "53.02";
  region[11] = "53.02";
  for (size_t i = 5; i < 10; ++i) region[i] = "32.02";
  Records r = Table({"name", "region"}, {name, region});
  // The full name alone for rare names; with the region for every name.
  Blocker blocker(
      Parse(r, R"j([{"rule": "sorted_name(name)", "max_block_size": 4}, "region"])j"), r,
      1);
  Blocker::Stats stats;
  Pairs pairs = Collect(blocker, 2, &stats);
  // Rule 0: only the two Yohana Selan (the ten Siti Aminah are oversized for it).
  // Rule 1: 32.01 holds records 0-4, 32.02 records 5-9, 53.02 the Yohanas again.
  EXPECT_EQ(pairs.size(), 1u + 10u + 10u);
  EXPECT_EQ(stats.pairs_per_rule, (std::vector<uint64_t>{1, 20}));
  EXPECT_EQ(stats.oversized_blocks, 1u);
  EXPECT_EQ(stats.oversized_records, 10u);
  EXPECT_TRUE(blocker.IsCandidate(10, 11));
  EXPECT_TRUE(blocker.IsCandidate(0, 4));
  EXPECT_FALSE(blocker.IsCandidate(0, 5));  // same name, oversized; other regions
  EXPECT_EQ(blocker.PairBound(), 1u + 10u + 10u + 1u);

  // A rule's limit above the global one does not lift it.
  Blocker capped(Parse(r, R"j([{"rule": "sorted_name(name)", "max_block_size": 100}])j",
                       R"(, "max_block_size": 4)"),
                 r, 1);
  EXPECT_EQ(Collect(capped, 1, &stats), (Pairs{{10, 11}}));
}

// A pair in an oversized block of one rule must still come from a small block of
// another rule (or another key of the same rule): the oversized block is not
// expanded, but nothing else it touches may be lost.
TEST(BlockingTest, OversizedBlockDoesNotHidePairsOfOtherBlocks) {
  std::vector<std::string> city(30, "Jakarta"), nik(30, ""), name(30, "");
  nik[3] = nik[17] = "3171010101900001";
  for (size_t i = 0; i < 30; ++i)  // "Dewi Aani", "Dewi Bani", ...: all share dewi
    name[i] = std::string("Dewi ") + char('A' + i % 26) + char('a' + i / 26) + "ni";
  name[5] = "Dewi Rahmawati";
  name[25] = "Rahmawati Dewi";
  Records r = Table({"city", "nik", "name"}, {city, nik, name});
  Blocker blocker(Parse(r, R"j(["city", "digits(nik)", "name_part(name)"])j",
                        R"(, "max_block_size": 10)"),
                  r, 1);
  Blocker::Stats stats;
  Pairs pairs = Collect(blocker, 1, &stats);
  // Jakarta (rule 0) and "dewi" (rule 2) are oversized; the NIK and "rahmawati"
  // blocks are small.
  EXPECT_EQ(pairs, (Pairs{{3, 17}, {5, 25}}));
  EXPECT_EQ(stats.oversized_blocks, 2u);
  ExpectIsCandidateAgrees(blocker, r.size(), pairs);
}

TEST(BlockingTest, LinkGivesOnlyLeftRightPairsLeftFirst) {
  Records r =
      Table({"city"}, {{"Bogor", "Bogor", "Bogor", "Bogor", "Depok", "Depok", "Garut"}},
            {1, 0, 1, 0, 0, 0, 1});
  Blocker blocker(Parse(r, R"j(["city"])j", "", "link"), r, 1);
  Pairs pairs = Collect(blocker, 2);
  // Bogor: left {1, 3}, right {0, 2}; Depok has no right record; Garut no left.
  EXPECT_EQ(pairs, (Pairs{{1, 0}, {1, 2}, {3, 0}, {3, 2}}));
  for (const Pair& p : pairs) {
    EXPECT_EQ(r.source[p.first], 0);
    EXPECT_EQ(r.source[p.second], 1);
  }
  EXPECT_TRUE(blocker.IsCandidate(1, 0));
  EXPECT_FALSE(blocker.IsCandidate(4, 5));  // both on the left
  EXPECT_FALSE(blocker.IsCandidate(1, 3));
}

// A larger random table against a plain definition: the union, over rules, of all
// pairs within blocks of at most max_block_size records.
TEST(BlockingTest, MatchesBruteForceOnRandomTable) {
  const size_t n = 2500;
  const int64_t max_block = 120;
  std::mt19937 rng(4242);
  std::vector<std::string> city(n), nik(n), name(n);
  std::uniform_int_distribution<int> pick_city(0, 39), pick_nik(0, 1999),
      pick_name(0, 400);
  for (size_t i = 0; i < n; ++i) {
    // A fifth of the records in one city: an oversized block.
    city[i] = rng() % 5 == 0 ? "Jakarta" : "Kota " + std::to_string(pick_city(rng));
    if (rng() % 4 == 0) city[i] = "";
    int k = pick_nik(rng);
    nik[i] = rng() % 3 == 0 ? "" : "32.01." + std::to_string(100000 + k);
    name[i] = "Nama" + std::to_string(pick_name(rng));
  }
  Records r = Table({"city", "nik", "name"}, {city, nik, name});
  Settings s = Parse(r, R"j(["city", "digits(nik)", "prefix(name, 6) & city"])j",
                     R"(, "max_block_size": 120)");

  // The plain definition.
  auto key = [&](int rule, size_t i) -> std::string {
    switch (rule) {
      case 0:
        return FoldValue(city[i]);
      case 1: {
        std::string d;
        for (char c : nik[i])
          if (c >= '0' && c <= '9') d += c;
        return d;
      }
      default: {
        std::string c = FoldValue(city[i]), p = FoldValue(name[i]).substr(0, 6);
        return c.empty() || p.empty() ? "" : p + "|" + c;
      }
    }
  };
  Pairs want;
  uint64_t oversized = 0;
  for (int rule = 0; rule < 3; ++rule) {
    std::map<std::string, std::vector<uint32_t>> blocks;
    for (size_t i = 0; i < n; ++i)
      if (std::string k = key(rule, i); !k.empty())
        blocks[k].push_back(static_cast<uint32_t>(i));
    for (const auto& [k, members] : blocks) {
      if (members.size() < 2) continue;
      if (static_cast<int64_t>(members.size()) > max_block) {
        ++oversized;
        continue;
      }
      for (size_t x = 0; x < members.size(); ++x)
        for (size_t y = x + 1; y < members.size(); ++y)
          want.emplace_back(members[x], members[y]);
    }
  }
  std::sort(want.begin(), want.end());
  want.erase(std::unique(want.begin(), want.end()), want.end());
  ASSERT_GT(want.size(), 4096u);  // several batches

  Blocker blocker(s, r, 2);
  Blocker::Stats stats;
  Pairs one = Collect(blocker, 1, &stats);
  EXPECT_EQ(stats.oversized_blocks, oversized);
  EXPECT_TRUE(NoDuplicates(one));
  for (const Pair& p : one) ASSERT_LT(p.first, p.second);
  EXPECT_EQ(one.size(), want.size());
  EXPECT_EQ(one, want);
  EXPECT_EQ(Collect(blocker, 2), one);
  // A training sample: exactly the candidate pairs whose hash falls below the
  // threshold, each once, however many threads.
  const uint64_t quarter = UINT64_MAX / 4;
  Pairs sampled;
  for (const Pair& p : want)
    if (Blocker::SampleHash(p.first, p.second) < quarter) sampled.push_back(p);
  EXPECT_GT(sampled.size(), want.size() / 5);
  EXPECT_LT(sampled.size(), want.size() / 3);
  for (int threads : {1, 2})
    EXPECT_EQ(Collect(blocker, threads, nullptr, nullptr, quarter), sampled) << threads;
  // IsCandidate on a sample of pairs.
  for (uint32_t a = 0; a < n; a += 7)
    for (uint32_t b = a + 1; b < n; b += 3)
      ASSERT_EQ(blocker.IsCandidate(a, b),
                std::binary_search(want.begin(), want.end(), Pair(a, b)))
          << a << " " << b;
}

TEST(BlockingTest, FocusVisitsOnlyPairsWithAFlaggedRecordOnce) {
  Records r =
      Table({"city", "nik"}, {{"Bogor", "Bogor", "Bogor", "Bogor", "Depok", "Depok"},
                              {"1", "1", "", "2", "2", ""}});
  Blocker blocker(Parse(r, R"j(["city", "digits(nik)"])j"), r, 1);
  Pairs all = Collect(blocker, 1);
  EXPECT_EQ(all, (Pairs{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}, {3, 4}, {4, 5}}));
  const std::vector<uint8_t> focus = {0, 1, 0, 1, 0, 0};
  for (int threads : {1, 2}) {
    Pairs focused = Collect(blocker, threads, nullptr, &focus);
    Pairs want;
    for (const Pair& p : all)
      if (focus[p.first] || focus[p.second]) want.push_back(p);
    EXPECT_EQ(focused, want) << threads;
  }
}

}  // namespace
}  // namespace gugus::linkage

namespace gugus::linkage {
namespace {

TEST(BlockingTest, TheFathersNameIsAKeyToo) {
  // A typo in the given name still meets through "bin Udin"; a common father's
  // name (Muhammad) makes no key.
  Records r = Table({"name"}, {{"Mahnun binti Udin", "mahnjn binti udin",
                                "Cahya bin Muhammad", "Kurnia bin Muhammad"}});
  Blocker blocker(Parse(r, R"j(["phonetic(name)"])j"), r, 1);
  EXPECT_EQ(Collect(blocker, 1), (Pairs{{0, 1}}));
}

TEST(BlockingTest, NamePartsRunTogetherMeetTheOneWordForm) {
  // Clerks write two-part names as one word and the reverse.
  Records r = Table({"name"}, {{"Retno Palupi", "RETNOPALOEPI", "Encep Permana",
                                "Enceppermana", "Retno Permana"}});
  Blocker phonetic(Parse(r, R"j(["phonetic(name)"])j"), r, 1);
  // Retno Permana shares a part with Retno Palupi and Encep Permana.
  EXPECT_EQ(Collect(phonetic, 1), (Pairs{{0, 1}, {0, 4}, {2, 3}, {2, 4}}));
  Blocker parts(Parse(r, R"j(["name_part(name)"])j"), r, 1);
  // Without the phonetic key too: the old spelling "oe" is made "u" first.
  EXPECT_EQ(Collect(parts, 1), (Pairs{{0, 1}, {0, 4}, {2, 3}, {2, 4}}));
}

TEST(BlockingTest, NamePartPrefixesSurviveATypoLaterInThePart) {
  Records r =
      Table({"name"}, {{"Wawan", "Wawab", "Sumiati binti Saleh", "Sumiatih", "Budi"}});
  Blocker prefix(Parse(r, R"j(["name_part(name, 4)"])j"), r, 1);
  // "wawa", "sumi"; "Budi" meets nobody.
  EXPECT_EQ(Collect(prefix, 1), (Pairs{{0, 1}, {2, 3}}));
}

TEST(BlockingTest, AddressKeysIgnoreAbbreviationsAndTheRtRw) {
  Records r = Table(
      {"address"},
      {{"Dusun III RT 018/RW 004, Desa Sebangki, Kec. Seluas, Kab. Bengkayang",
        "DUSUN III, DESA SEBANGKI\nKecamatan Seluas, Kabupaten Bengkayang",
        "Dusun III RT 018/RW 004, Desa Sebangki, Kec. Sanggau Ledo, Kab. Bengkayang",
        "Jl. Melati No. 40 RT 002/RW 009, Desa Sembalun",
        "Jalan Melati Nomor 41, Desa Sembalun", ""}});
  Blocker blocker(Parse(r, R"j(["address(address)"])j"), r, 1);
  // The house number goes with the RT/RW: Melati 40 and Melati 41 meet too.
  EXPECT_EQ(Collect(blocker, 1), (Pairs{{0, 1}, {3, 4}}));
}

}  // namespace
}  // namespace gugus::linkage
