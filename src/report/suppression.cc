#include "report/suppression.h"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/status.h"
#include "core/strcat.h"

namespace gugus::report {
namespace {

// A margin and the cells it sums over along one dimension.
struct Line {
  int parent = 0;
  std::vector<int> children;
};

int64_t Value(const StatCell& c, bool persons) { return persons ? c.persons : c.records; }

class Suppressor {
 public:
  Suppressor(StatTable& table, int k) : t_(table), k_(k) {
    absl::flat_hash_map<std::vector<int>, int> index;
    for (size_t i = 0; i < t_.cells.size(); ++i)
      index.emplace(t_.cells[i].key, static_cast<int>(i));
    absl::flat_hash_map<std::pair<int, int>, int> line_of;  // (parent, dim) → line
    for (size_t i = 0; i < t_.cells.size(); ++i) {
      std::vector<int> key = t_.cells[i].key;
      for (size_t d = 0; d < key.size(); ++d) {
        if (key[d] == kTotal) continue;
        const int v = key[d];
        key[d] = kTotal;
        auto parent = index.find(key);
        key[d] = v;
        if (parent == index.end())
          continue;  // cannot happen: a margin of a non-empty cell
        auto [it, added] = line_of.try_emplace({parent->second, static_cast<int>(d)},
                                               static_cast<int>(lines_.size()));
        if (added) lines_.push_back({parent->second, {}});
        lines_[it->second].children.push_back(static_cast<int>(i));
      }
    }
    lines_of_.resize(t_.cells.size());
    for (size_t l = 0; l < lines_.size(); ++l) {
      lines_of_[lines_[l].parent].push_back(static_cast<int>(l));
      for (int c : lines_[l].children) lines_of_[c].push_back(static_cast<int>(l));
    }
  }

  absl::StatusOr<SuppressionStats> Run() {
    for (auto& c : t_.cells) {
      c.suppressed = c.primary = c.persons > 0 && c.persons < k_;
      if (c.primary) ++stats_.primary;
    }
    if (stats_.primary == 0) return stats_;
    for (;;) {
      ApplyLineRules();
      std::vector<int> exposed;
      for (bool persons : {true, false}) {
        GUGUS_ASSIGN_OR_RETURN(auto found, Exposed(persons));
        exposed.insert(exposed.end(), found.begin(), found.end());
      }
      if (exposed.empty()) return stats_;
      std::sort(exposed.begin(), exposed.end());
      exposed.erase(std::unique(exposed.begin(), exposed.end()), exposed.end());
      bool progressed = false;
      for (int cell : exposed) progressed |= Protect(cell);
      if (!progressed) return absl::InternalError("suppression could not protect a cell");
    }
  }

 private:
  void Hide(int cell) {
    t_.cells[cell].suppressed = true;
    ++stats_.complementary;
  }

  // The visible child of a line that costs least to hide (fewest persons, then
  // records, then key order); -1 when every child is hidden.
  int Cheapest(const Line& line) const {
    int best = -1;
    for (int c : line.children) {
      const StatCell& cell = t_.cells[c];
      if (cell.suppressed) continue;
      if (best < 0 || std::tie(cell.persons, cell.records) <
                          std::tie(t_.cells[best].persons, t_.cells[best].records))
        best = c;
    }
    return best;
  }

  // Hides one more member of `line`: its cheapest visible child, else its parent.
  bool Widen(const Line& line) {
    int c = Cheapest(line);
    if (c < 0 && !t_.cells[line.parent].suppressed) c = line.parent;
    if (c < 0) return false;
    Hide(c);
    return true;
  }

  void ApplyLineRules() {
    for (bool changed = true; changed;) {
      changed = false;
      for (const Line& line : lines_) {
        int hidden = 0;
        int64_t persons = 0, records = 0;
        for (int c : line.children) {
          if (!t_.cells[c].suppressed) continue;
          ++hidden;
          persons += t_.cells[c].persons;
          records += t_.cells[c].records;
        }
        const bool parent_hidden = t_.cells[line.parent].suppressed;
        const int members = hidden + (parent_hidden ? 1 : 0);
        if (members == 0) continue;
        bool widen = members == 1;
        // The hidden cells' total is known from a visible margin: it must not be
        // small, nor so small that every hidden cell could only hold one.
        if (!parent_hidden && hidden > 0)
          widen |= persons < k_ || persons <= hidden || records <= hidden;
        if (widen && Widen(line)) changed = true;
      }
    }
  }

  // Hides one more cell near an exposed one; false when none is left to hide.
  // Nearest first: its own lines (preferring those where it is a cell rather than
  // the margin: its siblings are the usual partners), then the lines of the cells
  // in them, and so on — a cell can be pinned through a chain of lines.
  bool Protect(int cell) {
    for (int pass = 0; pass < 2; ++pass) {
      for (int l : lines_of_[cell]) {
        const Line& line = lines_[l];
        if ((pass == 0) == (line.parent == cell)) continue;
        if (Widen(line)) return true;
      }
    }
    std::vector<bool> seen(t_.cells.size(), false);
    std::vector<int> layer{cell};
    seen[cell] = true;
    while (!layer.empty()) {
      std::vector<int> next;
      int best = -1;
      for (int c : layer)
        for (int l : lines_of_[c])
          for (int m : Members(lines_[l])) {
            if (seen[m]) continue;
            seen[m] = true;
            next.push_back(m);
            const StatCell& x = t_.cells[m];
            if (!x.suppressed && (best < 0 || std::tie(x.persons, x.records) <
                                                  std::tie(t_.cells[best].persons,
                                                           t_.cells[best].records)))
              best = m;
          }
      if (best >= 0) {
        Hide(best);
        return true;
      }
      layer = std::move(next);
    }
    return false;
  }

  static std::vector<int> Members(const Line& line) {
    std::vector<int> m = line.children;
    m.push_back(line.parent);
    return m;
  }

  // Hidden cells whose value (persons or records) an attacker can pin to one whole
  // number, found with linear programs over every line.
  absl::StatusOr<std::vector<int>> Exposed(bool persons) {
    static std::mutex glpk_mutex;  // GLPK keeps per-thread state; be safe
    std::lock_guard<std::mutex> lock(glpk_mutex);
    std::vector<int> var(t_.cells.size(), 0);  // 1-based column, 0 = visible
    std::vector<int> hidden;
    for (size_t i = 0; i < t_.cells.size(); ++i)
      if (t_.cells[i].suppressed) {
        hidden.push_back(static_cast<int>(i));
        var[i] = static_cast<int>(hidden.size());
      }
    if (hidden.empty()) return std::vector<int>{};

    glp_term_out(GLP_OFF);
    glp_prob* lp = glp_create_prob();
    struct Free {
      glp_prob* p;
      ~Free() { glp_delete_prob(p); }
    } free_lp{lp};
    glp_add_cols(lp, static_cast<int>(hidden.size()));
    for (size_t j = 1; j <= hidden.size(); ++j)
      glp_set_col_bnds(lp, static_cast<int>(j), GLP_LO, 1.0, 0.0);

    std::vector<int> ia{0}, ja{0};
    std::vector<double> ar{0};
    auto add_row = [&](const std::vector<std::pair<int, double>>& terms, int type,
                       double bound) {
      int row = glp_add_rows(lp, 1);
      glp_set_row_bnds(lp, row, type, bound, bound);
      for (auto [col, coef] : terms) {
        ia.push_back(row);
        ja.push_back(col);
        ar.push_back(coef);
      }
    };
    for (const Line& line : lines_) {
      const StatCell& parent = t_.cells[line.parent];
      int64_t sum = 0, visible = 0;
      std::vector<std::pair<int, double>> terms;
      for (int c : line.children) {
        sum += Value(t_.cells[c], persons);
        if (var[c] != 0) {
          terms.emplace_back(var[c], 1.0);
        } else {
          visible += Value(t_.cells[c], persons);
        }
      }
      if (terms.empty() && var[line.parent] == 0) continue;
      const double p =
          var[line.parent] == 0 ? static_cast<double>(Value(parent, persons)) : 0;
      if (var[line.parent] != 0) terms.emplace_back(var[line.parent], -1.0);
      // Σ hidden children − hidden parent {=, ≥} visible parent − Σ visible children.
      const double rhs = p - static_cast<double>(visible);
      if (sum == Value(parent, persons)) {
        add_row(terms, GLP_FX, rhs);
        continue;
      }
      add_row(terms, GLP_LO, rhs);
      // Each cell of the line is at most its margin.
      for (int c : line.children) {
        if (var[c] == 0 && var[line.parent] == 0) continue;
        std::vector<std::pair<int, double>> le;
        double bound = p;
        if (var[c] != 0) {
          le.emplace_back(var[c], 1.0);
        } else {
          bound -= static_cast<double>(Value(t_.cells[c], persons));
        }
        if (var[line.parent] != 0) le.emplace_back(var[line.parent], -1.0);
        add_row(le, GLP_UP, bound);
      }
    }
    if (glp_get_num_rows(lp) == 0) return std::vector<int>{};
    glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());

    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    auto optimise = [&](int col, int dir) -> absl::StatusOr<std::optional<double>> {
      for (int j = 1; j <= static_cast<int>(hidden.size()); ++j)
        glp_set_obj_coef(lp, j, j == col ? 1.0 : 0.0);
      glp_set_obj_dir(lp, dir);
      ++stats_.checks;
      int rc = glp_simplex(lp, &parm);
      if (rc != 0) {  // a lost basis: start again from the standard one
        glp_std_basis(lp);
        rc = glp_simplex(lp, &parm);
      }
      if (rc != 0) return absl::InternalError(StrCat("GLPK simplex failed (", rc, ")"));
      const int status = glp_get_status(lp);
      if (status == GLP_UNBND) return std::optional<double>();
      if (status != GLP_OPT)
        return absl::InternalError(StrCat("GLPK found no optimum (", status, ")"));
      return std::optional<double>(glp_get_obj_val(lp));
    };

    std::vector<int> exposed;
    constexpr double kEps = 1e-6;
    for (size_t j = 1; j <= hidden.size(); ++j) {
      const int cell = hidden[j - 1];
      const double value = static_cast<double>(Value(t_.cells[cell], persons));
      GUGUS_ASSIGN_OR_RETURN(auto low, optimise(static_cast<int>(j), GLP_MIN));
      if (low && std::ceil(*low - kEps) < value) continue;  // a smaller value fits
      GUGUS_ASSIGN_OR_RETURN(auto high, optimise(static_cast<int>(j), GLP_MAX));
      if (!high || std::floor(*high + kEps) > value) continue;  // a larger one fits
      exposed.push_back(cell);
    }
    return exposed;
  }

  StatTable& t_;
  const int k_;
  std::vector<Line> lines_;
  std::vector<std::vector<int>> lines_of_;  // cell → the lines it belongs to
  SuppressionStats stats_;
};

}  // namespace

absl::StatusOr<SuppressionStats> Suppress(StatTable& table, int k) {
  table.k = std::max(k, 1);
  for (auto& c : table.cells) c.suppressed = c.primary = false;
  if (k <= 1) return SuppressionStats{};
  return Suppressor(table, k).Run();
}

}  // namespace gugus::report
