// linkage_eval: links one or two files with a settings file and scores the result
// against known truth. Prints one JSON object: blocking recall, pairwise precision /
// recall / F1 of the links, cluster (pairwise and B-cubed) scores for a
// deduplication, the two spreadsheet baselines (exact NIK; exact name and birth
// date) when the columns exist, per-stage seconds and pairs scored per second, and
// (with a report_date column) how many true pairs reported at most 92 days apart
// across a new year blocking proposes.
//
//   linkage_eval --settings S --truth febrl FILE_A [FILE_B]
//   linkage_eval --settings S --truth file:truth.csv FILE     (agency,record_id,person)
//   linkage_eval --settings S --truth column:cluster FILE
//
// --misses FILE (deduplication): writes up to 2,000 sampled errors as JSON lines —
// true pairs left in different clusters ("missed", with whether blocking proposed
// them) and records merged with a different person ("merged") — each with the
// pair's explanation, to see what limits recall and precision.
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "core/date.h"
#include "core/text.h"
#include "domain/registry/match_service.h"
#include "ingest/reader.h"
#include "linkage/evaluation.h"
#include "linkage/indonesian_name.h"
#include "linkage/linker.h"

namespace {

using gugus::linkage::Pair;
using json = nlohmann::ordered_json;

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Clusters of a set of pairs (connected components), as a spreadsheet count would
// merge them.
std::vector<uint32_t> Components(size_t n, const std::vector<Pair>& pairs) {
  std::vector<gugus::linkage::ScoredPair> links;
  for (const Pair& p : pairs) links.push_back({p.first, p.second, 1.0f});
  return gugus::linkage::Cluster(n, std::move(links), {}, 0.0,
                                 [](uint32_t, uint32_t) { return 1.0; });
}

size_t Distinct(const std::vector<uint32_t>& cluster) {
  size_t n = 0;
  for (size_t i = 0; i < cluster.size(); ++i) n += cluster[i] == i;
  return n;
}

json ScoresJson(const gugus::linkage::Scores& s) {
  return {
      {"precision", s.precision}, {"recall", s.recall},      {"f1", s.f1},
      {"tp", s.true_positives},   {"fp", s.false_positives}, {"fn", s.false_negatives}};
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "linkage_eval: %s\n", message.c_str());
  return 1;
}

// Pairs of records that agree exactly on a key (empty keys never agree).
std::vector<Pair> ExactPairs(const std::vector<std::string>& keys) {
  absl::flat_hash_map<std::string, std::vector<uint32_t>> groups;
  for (uint32_t i = 0; i < keys.size(); ++i)
    if (!keys[i].empty()) groups[keys[i]].push_back(i);
  std::vector<Pair> out;
  for (const auto& [k, members] : groups)
    for (size_t i = 0; i < members.size(); ++i)
      for (size_t j = i + 1; j < members.size(); ++j)
        out.emplace_back(members[i], members[j]);
  return out;
}

// Samples of the clustering's errors, one JSON object a line (see --misses).
void WriteMisses(const std::string& path, const gugus::linkage::Linker& linker,
                 const std::vector<uint32_t>& clusters,
                 const std::vector<int64_t>& truth) {
  absl::flat_hash_map<int64_t, std::vector<uint32_t>> members;
  for (uint32_t i = 0; i < truth.size(); ++i) members[truth[i]].push_back(i);
  std::vector<std::pair<std::string, Pair>> errors;
  for (const auto& [label, m] : members)
    for (size_t i = 0; i < m.size(); ++i)
      for (size_t j = i + 1; j < m.size(); ++j)
        if (clusters[m[i]] != clusters[m[j]]) errors.push_back({"missed", {m[i], m[j]}});
  for (uint32_t i = 0; i < truth.size(); ++i)  // a record and its representative
    if (truth[clusters[i]] != truth[i]) errors.push_back({"merged", {clusters[i], i}});
  std::sort(errors.begin(), errors.end());
  std::ofstream out(path);
  size_t step = std::max<size_t>(1, errors.size() / 2000);
  for (size_t e = 0; e < errors.size(); e += step) {
    auto [kind, p] = errors[e];
    json j =
        json::parse(gugus::linkage::ExplanationJson(linker.Explain(p.first, p.second)));
    j["kind"] = kind;
    j["candidate"] = linker.blocker().IsCandidate(p.first, p.second);
    out << j.dump() << '\n';
  }
}

// Every candidate pair for offline analysis, in three raw files: PATH.pairs
// (uint32 a, b, same person), PATH.levels (uint8 per comparison), PATH.weights
// (float32 per comparison: level weight plus term-frequency adjustment) and
// PATH.truth (int64 person per record); PATH.clusters (uint32 cluster per record).
void DumpPairs(const std::string& path, const gugus::linkage::Linker& linker,
               const std::vector<int64_t>& truth) {
  std::ofstream pairs(path + ".pairs", std::ios::binary),
      levels(path + ".levels", std::ios::binary),
      weights(path + ".weights", std::ios::binary),
      labels(path + ".truth", std::ios::binary);
  labels.write(reinterpret_cast<const char*>(truth.data()),
               static_cast<std::streamsize>(truth.size() * sizeof(int64_t)));
  const auto& cs = linker.comparisons();
  const auto& params = linker.parameters();
  linker.blocker().ForEachPair(1, [&](int, const std::vector<Pair>& batch) {
    uint8_t lv[32];
    for (const Pair& p : batch) {
      gugus::linkage::Score(cs, params, p.first, p.second, lv);
      uint32_t row[3] = {p.first, p.second, truth[p.first] == truth[p.second] ? 1u : 0u};
      pairs.write(reinterpret_cast<const char*>(row), sizeof row);
      levels.write(reinterpret_cast<const char*>(lv),
                   static_cast<std::streamsize>(cs.size()));
      for (size_t k = 0; k < cs.size(); ++k) {
        float w =
            static_cast<float>(params.weight[k][lv[k]] +
                               params.TermFrequencyAdjustment(*cs[k], k, lv[k], p.first));
        weights.write(reinterpret_cast<const char*>(&w), sizeof w);
      }
    }
  });
}

}  // namespace

int main(int argc, char** argv) {
  std::string settings_path, truth_spec;
  std::vector<std::string> files;
  int threads = 0;
  std::string misses_path;
  std::string dump_path;
  std::string model_path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--settings" && i + 1 < argc)
      settings_path = argv[++i];
    else if (a == "--truth" && i + 1 < argc)
      truth_spec = argv[++i];
    else if (a == "--misses" && i + 1 < argc)
      misses_path = argv[++i];
    else if (a == "--model" && i + 1 < argc)
      model_path = argv[++i];
    else if (a == "--dump-pairs" && i + 1 < argc)
      dump_path = argv[++i];
    else if (a == "--threads" && i + 1 < argc)
      threads = std::stoi(argv[++i]);
    else
      files.push_back(a);
  }
  if (settings_path.empty() || truth_spec.empty() || files.empty() || files.size() > 2)
    return Fail("usage: linkage_eval --settings S --truth febrl|file:F|column:C A [B]");
  auto t0 = std::chrono::steady_clock::now();
  std::ifstream in(settings_path);
  std::stringstream text;
  text << in.rdbuf();
  std::string file_b = files.size() > 1 ? files[1] : "";
  auto records = gugus::domain::ReadTables(files[0], file_b);
  if (!records.ok()) return Fail(std::string(records.status().message()));
  auto settings = gugus::linkage::ParseSettings(text.str(), records->names);
  if (!settings.ok()) return Fail(std::string(settings.status().message()));
  bool link = !file_b.empty();
  settings->link_type =
      link ? gugus::linkage::LinkType::kLink : gugus::linkage::LinkType::kDedupe;
  if (auto s = gugus::domain::AssignIds(*records, settings->id_columns, files[0], file_b);
      !s.ok())
    return Fail(std::string(s.message()));

  // Truth: an entity label per record.
  std::vector<int64_t> truth(records->size(), -1);
  absl::flat_hash_map<std::string, int64_t> labels;
  auto label = [&](const std::string& key) {
    return labels.try_emplace(key, static_cast<int64_t>(labels.size())).first->second;
  };
  if (truth_spec == "febrl") {
    for (size_t i = 0; i < records->size(); ++i) {
      const std::string& id = records->ids[i];  // rec-<n>-org / rec-<n>-dup-<k>
      size_t a = id.find('-'), b = id.find('-', a + 1);
      truth[i] = label(id.substr(a + 1, b - a - 1));
    }
  } else if (truth_spec.rfind("column:", 0) == 0) {
    int c = records->Find(truth_spec.substr(7));
    if (c < 0) return Fail("no truth column");
    for (size_t i = 0; i < records->size(); ++i)
      truth[i] = label(records->columns[static_cast<size_t>(c)][i]);
  } else if (truth_spec.rfind("file:", 0) == 0) {
    auto reader = gugus::ingest::OpenTable(truth_spec.substr(5));
    if (!reader.ok()) return Fail("cannot read the truth file");
    absl::flat_hash_map<std::string, std::string> person;  // "agency:record_id" → person
    gugus::ingest::RawRow row;
    while (*(*reader)->Next(row))
      person[row.cells[0] + ":" + row.cells[1]] = row.cells[2];
    for (size_t i = 0; i < records->size(); ++i) {
      auto it = person.find(records->ids[i]);
      truth[i] = it == person.end() ? label("?" + records->ids[i]) : label(it->second);
    }
  } else {
    return Fail("unknown --truth");
  }
  double seconds_read = Since(t0);
  std::vector<uint8_t> source = records->source;

  // Baselines first (they need the raw columns, which the linker takes).
  json baselines = json::object();
  int nik = records->Find("nik"), name = records->Find("name"),
      birth = records->Find("birth_date");
  if (!link && nik >= 0) {
    std::vector<std::string> keys = records->columns[static_cast<size_t>(nik)];
    std::vector<Pair> pairs = ExactPairs(keys);
    std::vector<uint32_t> clusters = Components(keys.size(), pairs);
    baselines["exact_nik"] =
        ScoresJson(gugus::linkage::PairwiseScores(pairs, truth, source, false));
    baselines["exact_nik"]["bcubed"] =
        ScoresJson(gugus::linkage::BCubedScores(clusters, truth));
    baselines["exact_nik"]["persons"] = Distinct(clusters);
  }
  if (!link && name >= 0 && birth >= 0) {
    std::vector<std::string> keys(records->size());
    for (size_t i = 0; i < keys.size(); ++i) {
      const std::string& b = records->columns[static_cast<size_t>(birth)][i];
      std::string n = gugus::CollapseSpaces(
          gugus::FoldForMatch(records->columns[static_cast<size_t>(name)][i]));
      if (!b.empty() && !n.empty()) keys[i] = n + "|" + b;
    }
    std::vector<Pair> pairs = ExactPairs(keys);
    std::vector<uint32_t> clusters = Components(keys.size(), pairs);
    baselines["exact_name_birth_date"] =
        ScoresJson(gugus::linkage::PairwiseScores(pairs, truth, source, false));
    baselines["exact_name_birth_date"]["bcubed"] =
        ScoresJson(gugus::linkage::BCubedScores(clusters, truth));
    baselines["exact_name_birth_date"]["persons"] = Distinct(clusters);
  }

  auto t1 = std::chrono::steady_clock::now();
  auto regions = gugus::domain::AddressFillRegions(*settings);
  if (!regions.ok()) return Fail(std::string(regions.status().message()));
  gugus::linkage::Linker linker(std::move(*settings), std::move(*records), threads,
                                *regions ? &**regions : nullptr);
  double seconds_prepare = Since(t1);

  // Blocking recall: true pairs among the candidates.
  t1 = std::chrono::steady_clock::now();
  std::vector<std::vector<Pair>> true_found(static_cast<size_t>(linker.threads()));
  auto block_stats = linker.blocker().ForEachPair(
      linker.threads(), [&](int t, const std::vector<Pair>& batch) {
        for (const Pair& p : batch)
          if (truth[p.first] == truth[p.second])
            true_found[static_cast<size_t>(t)].push_back(p);
      });
  double seconds_block = Since(t1);
  std::vector<Pair> found_pairs;
  for (auto& f : true_found) found_pairs.insert(found_pairs.end(), f.begin(), f.end());
  uint64_t found = found_pairs.size();
  uint64_t true_pairs = gugus::linkage::TruePairCount(truth, source, link);

  // True pairs reported at most 92 days apart but in two calendar years, which a
  // report-year blocking key cannot propose, and how many the rules do propose.
  json across_new_year = nullptr;
  if (const auto* report = linker.records().Column("report_date"); report && !link) {
    absl::flat_hash_map<int64_t, std::vector<uint32_t>> members;
    for (uint32_t i = 0; i < truth.size(); ++i) members[truth[i]].push_back(i);
    uint64_t pairs = 0, proposed = 0;
    for (const auto& [entity, m] : members)
      for (size_t i = 0; i < m.size(); ++i)
        for (size_t j = i + 1; j < m.size(); ++j) {
          auto a = gugus::linkage::ReadDateValue((*report)[m[i]]);
          auto b = gugus::linkage::ReadDateValue((*report)[m[j]]);
          if (!a || !b || a->year == b->year ||
              std::abs(gugus::DaysFromCivil(*a) - gugus::DaysFromCivil(*b)) > 92)
            continue;
          ++pairs;
          proposed += linker.blocker().IsCandidate(m[i], m[j]);
        }
    across_new_year = {{"true_pairs", pairs}, {"proposed", proposed}};
  }

  t1 = std::chrono::steady_clock::now();
  gugus::linkage::TrainStats train = linker.Train();
  double seconds_train = Since(t1);
  t1 = std::chrono::steady_clock::now();
  double floor = linker.settings().link_threshold;
  std::vector<gugus::linkage::ScoredPair> scored = linker.Score(floor);
  double seconds_score = Since(t1);
  std::vector<Pair> predicted;
  for (const auto& p : scored) predicted.emplace_back(p.a, p.b);
  if (!dump_path.empty()) DumpPairs(dump_path, linker, truth);
  if (!model_path.empty())
    std::ofstream(model_path) << gugus::linkage::ParametersJson(linker.parameters(),
                                                                linker.comparisons());

  json out;
  out["records"] = linker.records().size();
  out["threads"] = linker.threads();
  out["candidate_pairs"] = block_stats.pairs;
  out["true_pairs"] = true_pairs;
  out["blocking_recall"] = true_pairs ? static_cast<double>(found) / true_pairs : 1.0;
  out["lambda"] = linker.parameters().lambda;
  json rules = json::array();
  for (size_t r = 0; r < linker.settings().blocking_rules.size(); ++r)
    rules.push_back({{"rule", linker.settings().blocking_rules[r].text},
                     {"pairs", block_stats.pairs_per_rule[r]}});
  out["rules"] = rules;
  out["across_new_year"] = across_new_year;
  out["em_iterations"] = linker.parameters().em_iterations;
  out["patterns"] = train.patterns;
  out["train_seconds"] = {{"u", train.seconds_u}, {"em", train.seconds_em}};
  out["pairwise"] =
      ScoresJson(gugus::linkage::PairwiseScores(predicted, truth, source, link));
  double seconds_cluster = 0;
  if (!link) {
    t1 = std::chrono::steady_clock::now();
    gugus::linkage::ClusterStats cs;
    std::vector<uint32_t> clusters = linker.Cluster(scored, {}, &cs);
    seconds_cluster = Since(t1);
    out["cluster_pairwise"] =
        ScoresJson(gugus::linkage::ClusterPairScores(clusters, truth));
    out["bcubed"] = ScoresJson(gugus::linkage::BCubedScores(clusters, truth));
    // The best any scoring could do with these candidates: every true candidate
    // pair linked, no false one.
    out["blocking_ceiling_bcubed"] = ScoresJson(gugus::linkage::BCubedScores(
        Components(linker.records().size(), found_pairs), truth));
    // The best clustering could do with these scores: every true pair above the
    // threshold linked, no false one.
    std::vector<Pair> true_scored;
    for (const Pair& p : predicted)
      if (truth[p.first] == truth[p.second]) true_scored.push_back(p);
    out["scoring_ceiling_bcubed"] = ScoresJson(gugus::linkage::BCubedScores(
        Components(linker.records().size(), true_scored), truth));
    out["persons"] = Distinct(clusters);
    absl::flat_hash_map<int64_t, bool> entities;
    for (int64_t t : truth) entities[t] = true;
    out["true_persons"] = entities.size();
    out["guard_refusals"] = cs.refused_guard;
    if (!misses_path.empty()) WriteMisses(misses_path, linker, clusters, truth);
    if (!dump_path.empty())
      std::ofstream(dump_path + ".clusters", std::ios::binary)
          .write(reinterpret_cast<const char*>(clusters.data()),
                 static_cast<std::streamsize>(clusters.size() * sizeof(uint32_t)));
  }
  out["baselines"] = baselines;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  out["seconds"] = {{"read", seconds_read},      {"prepare", seconds_prepare},
                    {"blocking", seconds_block}, {"train", seconds_train},
                    {"score", seconds_score},    {"cluster", seconds_cluster},
                    {"total", Since(t0)}};
  out["pairs_per_second_per_core"] =
      static_cast<double>(block_stats.pairs) / seconds_score / linker.threads();
  out["peak_rss_mib"] = ru.ru_maxrss / 1024;
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
