// An attacker against published statistics: from a table as `gugus stats --totals`
// prints it (every cell and every margin, suppressed ones empty), try to work out
// each suppressed cell exactly. The attacker knows that a listed cell is not empty,
// that counts are whole numbers, and that each margin is the sum of its cells (true
// here: every person has one record and one value per dimension, the worst case for
// the publisher). For each hidden cell it solves two linear programs (GLPK): the
// smallest and the largest value consistent with everything published. A cell is
// recovered when only one whole number lies between them.
//
// The attack must fail for every hidden cell of gugus's suppression, and must
// succeed against primary suppression alone (so the attacker is not toothless).
#include <glpk.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "domain/reporting/stats_service.h"
#include "http/dto.h"
#include "report/cube.h"
#include "report/suppression.h"

namespace gugus {
namespace {

struct Published {
  std::vector<std::vector<std::string>> key;  // per row: the dimension values
  std::vector<int64_t> records, persons;
  std::vector<bool> hidden;
};

std::vector<std::string> SplitComma(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

Published Parse(const std::string& csv, size_t dims) {
  Published p;
  std::stringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    auto cells = SplitComma(line);
    EXPECT_EQ(cells.size(), dims + 3) << line;
    if (cells.size() != dims + 3) continue;
    p.key.emplace_back(cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(dims));
    const bool hidden = cells[dims + 2] == "1";
    p.hidden.push_back(hidden);
    p.records.push_back(hidden ? 0 : std::stoll(cells[dims]));
    p.persons.push_back(hidden ? 0 : std::stoll(cells[dims + 1]));
  }
  return p;
}

// The attacker: indices of hidden rows it pins to one whole value (for persons or
// records).
std::vector<size_t> Recovered(const Published& p) {
  std::map<std::vector<std::string>, size_t> row_of;
  for (size_t i = 0; i < p.key.size(); ++i) row_of[p.key[i]] = i;
  std::vector<int> column(p.key.size(), 0);
  int columns = 0;
  for (size_t i = 0; i < p.key.size(); ++i)
    if (p.hidden[i]) column[i] = ++columns;
  std::vector<size_t> found;
  if (columns == 0) return found;

  for (bool persons : {true, false}) {
    glp_term_out(GLP_OFF);
    glp_prob* lp = glp_create_prob();
    glp_add_cols(lp, columns);
    for (int j = 1; j <= columns; ++j) glp_set_col_bnds(lp, j, GLP_LO, 1.0, 0.0);
    std::vector<int> ia{0}, ja{0};
    std::vector<double> ar{0};
    // Each margin equals the sum of its cells along each dimension it totals.
    for (size_t parent = 0; parent < p.key.size(); ++parent) {
      for (size_t d = 0; d < p.key[parent].size(); ++d) {
        if (p.key[parent][d] != "total") continue;
        double rhs = p.hidden[parent] ? 0
                                      : static_cast<double>(persons ? p.persons[parent]
                                                                    : p.records[parent]);
        std::vector<std::pair<int, double>> terms;
        if (p.hidden[parent]) terms.emplace_back(column[parent], -1.0);
        for (size_t child = 0; child < p.key.size(); ++child) {
          bool match = p.key[child][d] != "total";
          for (size_t e = 0; e < p.key[child].size() && match; ++e)
            if (e != d && p.key[child][e] != p.key[parent][e]) match = false;
          if (!match) continue;
          if (p.hidden[child]) {
            terms.emplace_back(column[child], 1.0);
          } else {
            rhs -= static_cast<double>(persons ? p.persons[child] : p.records[child]);
          }
        }
        if (terms.empty()) continue;
        int row = glp_add_rows(lp, 1);
        glp_set_row_bnds(lp, row, GLP_FX, rhs, rhs);
        for (auto [c, v] : terms) {
          ia.push_back(row);
          ja.push_back(c);
          ar.push_back(v);
        }
      }
    }
    if (glp_get_num_rows(lp) > 0)
      glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(),
                      ar.data());
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    auto solve = [&](int col, int dir) -> std::optional<double> {
      for (int j = 1; j <= columns; ++j) glp_set_obj_coef(lp, j, j == col ? 1.0 : 0.0);
      glp_set_obj_dir(lp, dir);
      if (glp_simplex(lp, &parm) != 0) {
        glp_std_basis(lp);
        EXPECT_EQ(glp_simplex(lp, &parm), 0);
      }
      if (glp_get_status(lp) == GLP_UNBND) return std::nullopt;
      EXPECT_EQ(glp_get_status(lp), GLP_OPT);
      return glp_get_obj_val(lp);
    };
    for (size_t i = 0; i < p.key.size(); ++i) {
      if (!p.hidden[i]) continue;
      auto low = solve(column[i], GLP_MIN);
      auto high = solve(column[i], GLP_MAX);
      if (low && high && std::ceil(*low - 1e-6) >= std::floor(*high + 1e-6))
        found.push_back(i);
    }
    glp_delete_prob(lp);
  }
  return found;
}

// One record per person: province × year × sex, many small cells.
report::FactSet RandomFacts(std::mt19937& rng) {
  report::FactSet set;
  set.agencies = {{1, "POLDA-NTT", "Polda NTT", "police", report::PackRegion("53")}};
  const char* provinces[] = {"11", "18", "32", "33", "35", "51", "52", "53", "61", "64"};
  int64_t person = 0;
  for (const char* p : provinces)
    for (int year = 2020; year <= 2024; ++year)
      for (int sex = 0; sex <= 2; ++sex) {
        const uint32_t r = rng() % 10;
        const int n = r < 3   ? 0
                      : r < 6 ? 1 + static_cast<int>(rng() % 4)
                              : 5 + static_cast<int>(rng() % 40);
        for (int i = 0; i < n; ++i) {
          report::Fact f;
          f.person = ++person;
          f.report_date = year * 10000 + 601;
          f.origin = report::PackRegion(p);
          f.sex = static_cast<int8_t>(sex);
          set.facts.push_back(f);
        }
      }
  return set;
}

std::string PublishedCsv(const report::StatTable& table) {
  domain::StatsResult result;
  result.table = table;
  std::string csv;
  http::AppendStatsCsv(csv, result, /*totals=*/true);
  return csv;
}

const std::vector<report::Dim> kDims = {report::Dim::kOriginProvince,
                                        report::Dim::kReportYear, report::Dim::kSex};

TEST(SuppressionAttack, EverySuppressedCellResistsRecovery) {
  std::mt19937 rng(2026);
  int64_t hidden_total = 0;
  for (int round = 0; round < 10; ++round) {
    auto table = report::Tabulate(RandomFacts(rng), kDims);
    ASSERT_TRUE(table.ok());
    ASSERT_TRUE(report::Suppress(*table, 5).ok());
    Published p = Parse(PublishedCsv(*table), kDims.size());
    int64_t hidden = 0;
    for (bool h : p.hidden) hidden += h;
    ASSERT_GT(hidden, 0) << "the data must have small cells to attack";
    hidden_total += hidden;
    for (size_t i : Recovered(p)) {
      std::string name;
      for (const auto& v : p.key[i]) name += v + "/";
      ADD_FAILURE() << "round " << round << ": cell " << name << " can be recovered";
    }
  }
  std::printf("attacked %lld suppressed cells in 10 tables; none recovered\n",
              static_cast<long long>(hidden_total));
}

TEST(SuppressionAttack, PrimarySuppressionAloneIsRecovered) {
  std::mt19937 rng(2026);
  auto table = report::Tabulate(RandomFacts(rng), kDims);
  ASSERT_TRUE(table.ok());
  ASSERT_TRUE(report::Suppress(*table, 5).ok());
  for (auto& c : table->cells) c.suppressed = c.primary;  // drop the protection
  Published p = Parse(PublishedCsv(*table), kDims.size());
  EXPECT_FALSE(Recovered(p).empty());
}

}  // namespace
}  // namespace gugus
