// person_search_bench: how long person search (domain/person_service.h) takes on a
// linked store. Opens DB (migrating it: pass a copy), builds the name index, then
// runs queries drawn from the store's own linked records with a fixed seed:
//   name        the name as written
//   name typo   two adjacent letters of its longest part swapped, parts reversed
//   common      a fixed list of the commonest name parts (Siti, Nur, Muhammad …)
//   nik, phone  the record's NIK / phone number
// each as a national secretariat (whole store) and as a provincial secretariat
// (by origin), one query at a time and from THREADS threads at once. Prints a
// Markdown table of median and 90th-percentile milliseconds and hits.
//
// With `check`, it then proves the name queries' answers exact: every linked
// record's name is scored against each query with NameSimilarity, persons ranked
// by their best record (score, then id), and the first pages of 100 and the page
// at offset 20 compared with what Search answers, person for person and score for
// score. Prints the queries that differ and exits 1 if any does.
//
//   person_search_bench DB [QUERIES=200] [THREADS=2] [check]
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "domain/registry/person_service.h"
#include "ingest/interchange.h"
#include "linkage/comparison.h"
#include "linkage/indonesian_name.h"
#include "storage/sqlite/sqlite_store.h"

namespace {

using gugus::domain::PersonQuery;
using gugus::domain::PersonService;
using gugus::domain::RecordScope;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

// Resident memory of this process, MiB.
double ResidentMiB() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * 4096 / (1 << 20);
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1,
                    static_cast<size_t>(p * static_cast<double>(v.size())))];
}

std::string Typo(const std::string& name) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= name.size()) {
    size_t space = name.find(' ', start);
    if (space == std::string::npos) space = name.size();
    if (space > start) parts.push_back(name.substr(start, space - start));
    start = space + 1;
  }
  if (parts.empty()) return name;
  auto longest = std::max_element(parts.begin(), parts.end(),
                                  [](auto& a, auto& b) { return a.size() < b.size(); });
  if (longest->size() >= 5) std::swap((*longest)[2], (*longest)[3]);
  std::reverse(parts.begin(), parts.end());
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
}

struct Row {
  std::string kind;
  std::vector<std::string> queries;
};

// The national ranking of `query` by scoring every name: (score, person), best
// first, persons at kNameThreshold or more.
using Ranked = std::vector<std::pair<double, int64_t>>;
Ranked Exhaustive(const gugus::linkage::NormalizedName& query,
                  const std::vector<gugus::linkage::NormalizedName>& names,
                  const std::vector<std::vector<int64_t>>& persons) {
  std::unordered_map<int64_t, double> best;
  for (size_t i = 0; i < names.size(); ++i) {
    double s = gugus::linkage::NameSimilarity(query, names[i]);
    if (s < gugus::domain::kNameThreshold) continue;
    for (int64_t p : persons[i]) best[p] = std::max(best[p], s);
  }
  Ranked out;
  for (auto [p, s] : best) out.emplace_back(s, p);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  return out;
}

int Check(gugus::domain::Store& store, PersonService& service,
          const std::vector<const Row*>& rows, int threads) {
  // Distinct names as written, normalised once, with the persons that carry each.
  std::unordered_map<std::string, size_t> ids;
  std::vector<std::string> raw;
  std::vector<std::vector<int64_t>> persons;
  absl::Status read = store.links().ForEachLinkedName([&](gugus::domain::LinkedName&& n) {
    auto [it, fresh] = ids.try_emplace(n.name, raw.size());
    if (fresh) {
      raw.push_back(n.name);
      persons.emplace_back();
    }
    persons[it->second].push_back(n.person_id);
    return absl::OkStatus();
  });
  if (!read.ok()) return 1;
  std::vector<gugus::linkage::NormalizedName> names(raw.size());
  gugus::linkage::ParallelRanges(raw.size(), threads, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) names[i] = gugus::linkage::NormalizeName(raw[i]);
  });
  std::vector<std::string> queries;
  for (const Row* row : rows)
    queries.insert(queries.end(), row->queries.begin(), row->queries.end());
  RecordScope national;
  national.everything = true;
  std::atomic<int> differ = 0, hits = 0;
  std::mutex print;
  gugus::linkage::ParallelRanges(queries.size(), threads, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) {
      Ranked want = Exhaustive(gugus::linkage::NormalizeName(queries[i]), names, persons);
      hits += static_cast<int>(want.size());
      for (auto [offset, limit] : {std::pair{0, 100}, std::pair{20, 20}}) {
        auto got = service.Search(national, PersonQuery{queries[i], limit, offset});
        Ranked have;
        if (got.ok())
          for (const auto& h : *got) have.emplace_back(h.score, h.person_id);
        Ranked expected(want.begin() + std::min<size_t>(want.size(), offset),
                        want.begin() + std::min<size_t>(want.size(), offset + limit));
        if (have != expected) {
          ++differ;
          std::lock_guard<std::mutex> lock(print);
          std::printf("DIFFERS: \"%s\" offset %d: %zu hits, expected %zu\n",
                      queries[i].c_str(), offset, have.size(), expected.size());
        }
      }
    }
  });
  std::printf(
      "\ncheck: %zu name queries against all %zu distinct names as written "
      "(%d persons at 0.85 or more in all): %d pages differ\n",
      queries.size(), names.size(), hits.load(), differ.load());
  return differ == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: person_search_bench DB [QUERIES] [THREADS]\n");
    return 2;
  }
  const int count = argc > 2 ? std::atoi(argv[2]) : 200;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  auto opened = gugus::storage::OpenSqliteStore(
      argv[1], gugus::storage::OpenMode::kCreateOrUpgrade);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", std::string(opened.status().message()).c_str());
    return 1;
  }
  gugus::domain::Store& store = **opened;

  // Sample linked records.
  std::vector<int64_t> ids;
  auto listed = store.links().Links();
  if (!listed.ok() || listed->empty()) {
    std::fprintf(stderr, "no linked records: run `gugus link` first\n");
    return 1;
  }
  const size_t linked = listed->size();
  std::mt19937_64 rng(7);
  for (int i = 0; i < count * 4; ++i)
    ids.push_back((*listed)[rng() % listed->size()].source_record_id);
  gugus::domain::RecordQuery rq;
  rq.source_record_ids = ids;
  rq.with_raw = false;
  rq.limit = static_cast<int>(ids.size());
  auto sample = store.records().FindRecords(rq);
  if (!sample.ok()) return 1;
  std::shuffle(sample->begin(), sample->end(), rng);
  Row names{"name as written", {}}, typos{"name: typo + parts reversed", {}},
      niks{"NIK", {}}, phones{"phone", {}};
  // The worst cases: the commonest parts, whose lists are the longest.
  Row common{"common parts only",
             {"Siti", "Nur", "Muhammad", "Sri", "Wayan", "Ni Luh Putu", "Siti Nur",
              "Muhammad Rizki", "Dewi", "Ahmad", "Nur Aini", "Siti Aminah"}};
  std::string province;
  for (const auto& r : *sample) {
    using gugus::ingest::Field;
    if (static_cast<int>(names.queries.size()) < count) {
      names.queries.push_back(r.parsed[Field::kName]);
      typos.queries.push_back(Typo(r.parsed[Field::kName]));
    }
    if (!r.parsed[Field::kNik].empty() && static_cast<int>(niks.queries.size()) < count)
      niks.queries.push_back(r.parsed[Field::kNik]);
    if (!r.parsed[Field::kPhone].empty() &&
        static_cast<int>(phones.queries.size()) < count)
      phones.queries.push_back(r.parsed[Field::kPhone]);
    if (province.empty() && r.parsed[Field::kOriginRegion].size() >= 2)
      province = r.parsed[Field::kOriginRegion].substr(0, 2);
  }

  PersonService service(store);
  // The sample's own memory is freed first, so the difference is the index.
  std::vector<gugus::domain::PersonLink>().swap(*listed);
  const double before = ResidentMiB();
  auto start = Clock::now();
  if (absl::Status s = service.Warm(); !s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return 1;
  }
  const double seconds = Ms(start) / 1000;
  std::printf("records linked: %zu; name index built in %.2f s, %.0f MiB resident\n\n",
              linked, seconds, ResidentMiB() - before);

  RecordScope national;
  national.everything = true;
  RecordScope provincial;
  provincial.region = province;
  provincial.by_origin = true;

  std::printf(
      "| query | scope | queries | median ms | p90 ms | max ms | mean hits | "
      "median ms, %d threads at once |\n",
      threads);
  std::printf("|---|---|---:|---:|---:|---:|---:|---:|\n");
  for (const Row* row : {&names, &typos, &common, &niks, &phones}) {
    for (auto [scope_name, scope] :
         {std::pair<std::string, RecordScope>{"national", national},
          {fmt::format("province {}", province), provincial}}) {
      std::vector<double> ms;
      double hits = 0;
      for (const std::string& q : row->queries) {
        auto t = Clock::now();
        auto result = service.Search(scope, PersonQuery{q, 20, 0});
        ms.push_back(Ms(t));
        if (result.ok()) hits += static_cast<double>(result->size());
      }
      // The same queries from several threads at once, on a service of its own
      // (the first keeps its answers).
      PersonService fresh(store);
      if (!fresh.Warm().ok()) return 1;
      std::vector<std::vector<double>> per(static_cast<size_t>(threads));
      std::vector<std::thread> workers;
      for (int w = 0; w < threads; ++w) {
        workers.emplace_back([&, w] {
          for (size_t i = static_cast<size_t>(w); i < row->queries.size();
               i += static_cast<size_t>(threads)) {
            auto t = Clock::now();
            (void)fresh.Search(scope, PersonQuery{row->queries[i], 20, 0});
            per[static_cast<size_t>(w)].push_back(Ms(t));
          }
        });
      }
      for (auto& w : workers) w.join();
      std::vector<double> together;
      for (auto& v : per) together.insert(together.end(), v.begin(), v.end());
      std::printf("| %s | %s | %zu | %.1f | %.1f | %.1f | %.1f | %.1f |\n",
                  row->kind.c_str(), scope_name.c_str(), ms.size(), Percentile(ms, 0.5),
                  Percentile(ms, 0.9), Percentile(ms, 1.0),
                  hits / std::max<double>(1, static_cast<double>(ms.size())),
                  Percentile(together, 0.5));
    }
  }
  if (argc > 4 && std::string(argv[4]) == "check")
    return Check(store, service, {&names, &typos, &common}, threads);
  return 0;
}
