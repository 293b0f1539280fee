#include "report/suppression.h"

#include <glpk.h>

#include <algorithm>
#include <chrono>
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

// GLPK keeps its environment per thread when built with thread-local storage, and
// globally otherwise: one program at a time is safe either way.
std::mutex& GlpkMutex() {
  static std::mutex mutex;
  return mutex;
}

int64_t Value(const StatCell& c, bool persons) { return persons ? c.persons : c.records; }

class Suppressor {
 public:
  Suppressor(StatTable& table, int k, const SuppressionBudget& budget)
      : t_(table),
        k_(k),
        max_checks_(budget.checks),
        deadline_(std::chrono::steady_clock::now() + budget.time) {
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
  // records, then key order); -1 when every child is hidden. With `slack`, only
  // cells of 2 or more (persons and records): hiding a 1 gives an attacker nothing
  // to be unsure about when the hidden cells around it are pinned by their bounds.
  int Cheapest(const Line& line, bool slack = false) const {
    int best = -1;
    for (int c : line.children) {
      const StatCell& cell = t_.cells[c];
      if (cell.suppressed) continue;
      if (slack && (cell.persons < 2 || cell.records < 2)) continue;
      if (best < 0 || std::tie(cell.persons, cell.records) <
                          std::tie(t_.cells[best].persons, t_.cells[best].records))
        best = c;
    }
    return best;
  }

  // Hides one more member of `line`: its cheapest visible child, else its parent.
  bool Widen(const Line& line, bool slack = false) {
    int c = slack ? Cheapest(line, true) : -1;
    if (c < 0) c = Cheapest(line);
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
        if (Widen(line, /*slack=*/true)) return true;
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
  // number. Lines join hidden cells into independent groups (a line with hidden
  // cells from two groups would join them), so each group gets its own small linear
  // programs: exact, and far cheaper than one program over the whole table.
  absl::StatusOr<std::vector<int>> Exposed(bool persons) {
    std::vector<int> root(t_.cells.size());
    for (size_t i = 0; i < root.size(); ++i) root[i] = static_cast<int>(i);
    auto find = [&](int x) {
      while (root[x] != x) x = root[x] = root[root[x]];
      return x;
    };
    std::vector<int> line_group(lines_.size(), -1);
    for (size_t l = 0; l < lines_.size(); ++l) {
      int first = -1;
      for (int m : Members(lines_[l])) {
        if (!t_.cells[m].suppressed) continue;
        if (first < 0) {
          first = m;
        } else {
          root[find(m)] = find(first);
        }
      }
      line_group[l] = first;
    }
    std::vector<std::vector<int>> cells_of(t_.cells.size()), lines_of(t_.cells.size());
    for (size_t i = 0; i < t_.cells.size(); ++i)
      if (t_.cells[i].suppressed)
        cells_of[find(static_cast<int>(i))].push_back(static_cast<int>(i));
    for (size_t l = 0; l < lines_.size(); ++l)
      if (line_group[l] >= 0)
        lines_of[find(line_group[l])].push_back(static_cast<int>(l));

    std::vector<int> exposed;
    for (size_t g = 0; g < cells_of.size(); ++g) {
      if (cells_of[g].empty()) continue;
      GUGUS_RETURN_IF_ERROR(ExposedIn(cells_of[g], lines_of[g], persons, exposed));
    }
    return exposed;
  }

  // The linear programs of one group of hidden cells and the lines that hold them.
  absl::Status ExposedIn(const std::vector<int>& hidden, const std::vector<int>& lines,
                         bool persons, std::vector<int>& exposed) {
    if (stats_.checks >= max_checks_ || std::chrono::steady_clock::now() > deadline_)
      return absl::InvalidArgumentError(
          "this table has too many small cells to be published safely; ask for fewer "
          "dimensions, a larger region or a longer period");
    std::lock_guard<std::mutex> lock(GlpkMutex());
    absl::flat_hash_map<int, int> var;  // cell → 1-based column
    for (size_t j = 0; j < hidden.size(); ++j) var[hidden[j]] = static_cast<int>(j) + 1;
    auto column = [&](int cell) {
      auto it = var.find(cell);
      return it == var.end() ? 0 : it->second;
    };

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
    for (int l : lines) {
      const Line& line = lines_[l];
      const StatCell& parent = t_.cells[line.parent];
      const int parent_column = column(line.parent);
      int64_t sum = 0, visible = 0;
      std::vector<std::pair<int, double>> terms;
      for (int c : line.children) {
        sum += Value(t_.cells[c], persons);
        if (const int j = column(c); j != 0) {
          terms.emplace_back(j, 1.0);
        } else {
          visible += Value(t_.cells[c], persons);
        }
      }
      const double p =
          parent_column == 0 ? static_cast<double>(Value(parent, persons)) : 0;
      if (parent_column != 0) terms.emplace_back(parent_column, -1.0);
      // Σ hidden children − hidden parent {=, ≥} visible parent − Σ visible children.
      const double rhs = p - static_cast<double>(visible);
      if (sum == Value(parent, persons)) {
        add_row(terms, GLP_FX, rhs);
        continue;
      }
      add_row(terms, GLP_LO, rhs);
      // Each cell of the line is at most its margin.
      for (int c : line.children) {
        const int j = column(c);
        if (j == 0 && parent_column == 0) continue;
        std::vector<std::pair<int, double>> le;
        double bound = p;
        if (j != 0) {
          le.emplace_back(j, 1.0);
        } else {
          bound -= static_cast<double>(Value(t_.cells[c], persons));
        }
        if (parent_column != 0) le.emplace_back(parent_column, -1.0);
        add_row(le, GLP_UP, bound);
      }
    }
    if (glp_get_num_rows(lp) == 0) return absl::OkStatus();  // nothing constrains them
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

    // A cell is safe once some solution of the program gives it another whole value
    // (the programs are convex: every value between that one and the true one fits
    // too). Each solution is a point for every cell at once, so most cells are
    // certified by the solutions found for others and few programs are needed.
    constexpr double kEps = 1e-6;
    const int n = static_cast<int>(hidden.size());
    std::vector<double> truth(n + 1);
    for (int j = 1; j <= n; ++j)
      truth[j] = static_cast<double>(Value(t_.cells[hidden[j - 1]], persons));
    std::vector<bool> safe(n + 1, false);
    auto certify = [&] {
      for (int k = 1; k <= n; ++k) {
        if (safe[k]) continue;
        const double x = glp_get_col_prim(lp, k);
        if (x <= truth[k] - 1 + kEps || x >= truth[k] + 1 - kEps) safe[k] = true;
      }
    };
    for (int j = 1; j <= n; ++j) {
      if (safe[j]) continue;
      GUGUS_ASSIGN_OR_RETURN(auto low, optimise(j, GLP_MIN));
      if (low) certify();
      if (safe[j] || (low && std::ceil(*low - kEps) < truth[j])) {
        safe[j] = true;
        continue;
      }
      GUGUS_ASSIGN_OR_RETURN(auto high, optimise(j, GLP_MAX));
      if (!high) {  // unbounded: any larger value fits
        safe[j] = true;
        continue;
      }
      certify();
      if (safe[j] || std::floor(*high + kEps) > truth[j]) {
        safe[j] = true;
        continue;
      }
      exposed.push_back(hidden[j - 1]);
    }
    return absl::OkStatus();
  }

  StatTable& t_;
  const int k_;
  // Bounds the work of one table: a table that cannot be proven safe in time is
  // not published at all.
  const int64_t max_checks_;
  const std::chrono::steady_clock::time_point deadline_;
  std::vector<Line> lines_;
  std::vector<std::vector<int>> lines_of_;  // cell → the lines it belongs to
  SuppressionStats stats_;
};

}  // namespace

absl::StatusOr<SuppressionStats> Suppress(StatTable& table, int k,
                                          const SuppressionBudget& budget) {
  table.k = std::max(k, 1);
  for (auto& c : table.cells) c.suppressed = c.primary = false;
  if (k <= 1) return SuppressionStats{};
  auto stats = Suppressor(table, k, budget).Run();
  {
    std::lock_guard<std::mutex> lock(GlpkMutex());
    glp_free_env();  // GLPK's environment: server threads live long
  }
  return stats;
}

}  // namespace gugus::report
