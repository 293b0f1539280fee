#include "linkage/string_metrics.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

namespace gugus::linkage {
namespace {

// Match flags as bits: one word covers both strings of the common case.
struct BitFlags {
  uint64_t a = 0, b = 0;
  bool TestB(size_t j) const { return (b >> j) & 1; }
  void Set(size_t i, size_t j) {
    a |= uint64_t{1} << i;
    b |= uint64_t{1} << j;
  }
};

struct VectorFlags {
  VectorFlags(size_t la, size_t lb) : a(la, 0), b(lb, 0) {}
  std::vector<uint8_t> a, b;
  bool TestB(size_t j) const { return b[j] != 0; }
  void Set(size_t i, size_t j) { a[i] = b[j] = 1; }
};

// Matches of a against b within `window`, each b position used once; returns m.
template <typename Flags>
size_t FindMatches(std::string_view a, std::string_view b, size_t window, Flags& f) {
  size_t m = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    size_t lo = i > window ? i - window : 0;
    size_t hi = std::min(b.size(), i + window + 1);
    for (size_t j = lo; j < hi; ++j) {
      if (a[i] == b[j] && !f.TestB(j)) {
        f.Set(i, j);
        ++m;
        break;
      }
    }
  }
  return m;
}

// Matched characters that differ when both sides are read in order.
size_t Mismatched(std::string_view a, std::string_view b, const BitFlags& f) {
  size_t t = 0;
  uint64_t x = f.a, y = f.b;
  while (x != 0) {
    if (a[static_cast<size_t>(std::countr_zero(x))] !=
        b[static_cast<size_t>(std::countr_zero(y))])
      ++t;
    x &= x - 1;
    y &= y - 1;
  }
  return t;
}

size_t Mismatched(std::string_view a, std::string_view b, const VectorFlags& f) {
  size_t t = 0, k = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!f.a[i]) continue;
    while (!f.b[k]) ++k;
    if (a[i] != b[k]) ++t;
    ++k;
  }
  return t;
}

template <typename Flags>
double JaroWith(std::string_view a, std::string_view b, Flags& f) {
  size_t longer = std::max(a.size(), b.size());
  size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
  size_t m = FindMatches(a, b, window, f);
  if (m == 0) return 0.0;
  size_t t = Mismatched(a, b, f) / 2;
  double dm = static_cast<double>(m);
  return (dm / static_cast<double>(a.size()) + dm / static_cast<double>(b.size()) +
          (dm - static_cast<double>(t)) / dm) /
         3.0;
}

// OSA distance of a and b (b no longer than a, both without a common prefix or
// suffix), capped at max + 1, over three rolling rows of b.size() + 1 cells.
int BandedOsa(std::string_view a, std::string_view b, int max, int* rows) {
  const int inf = max + 1;
  const int la = static_cast<int>(a.size());
  const int lb = static_cast<int>(b.size());
  const int k = std::min(max, la);  // band half-width
  int* prev2 = rows;
  int* prev = rows + lb + 1;
  int* cur = rows + 2 * (lb + 1);
  // Cells just outside the band hold `inf`, so that the recurrence can read them
  // without bounds checks; everything inside is exact up to `inf`.
  for (int j = 0; j <= std::min(lb, k); ++j) prev[j] = j;
  if (k + 1 <= lb) prev[k + 1] = inf;
  for (int i = 1; i <= la; ++i) {
    const int lo = std::max(1, i - k);
    const int hi = std::min(lb, i + k);
    const char ai = a[static_cast<size_t>(i - 1)];
    cur[lo - 1] = lo == 1 ? std::min(i, inf) : inf;
    int row_min = cur[lo - 1];
    for (int j = lo; j <= hi; ++j) {
      const char bj = b[static_cast<size_t>(j - 1)];
      int v = prev[j - 1] + (ai == bj ? 0 : 1);
      v = std::min(v, prev[j] + 1);
      v = std::min(v, cur[j - 1] + 1);
      if (i > 1 && j > 1 && ai == b[static_cast<size_t>(j - 2)] &&
          a[static_cast<size_t>(i - 2)] == bj) {
        v = std::min(v, prev2[j - 2] + 1);
      }
      v = std::min(v, inf);
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (hi + 1 <= lb) cur[hi + 1] = inf;
    // Row minima never decrease (every cell is at least some cell of the row
    // above), so a row beyond the bound settles the answer.
    if (row_min > max) return inf;
    int* spare = prev2;
    prev2 = prev;
    prev = cur;
    cur = spare;
  }
  return std::min(prev[lb], inf);
}

}  // namespace

double Jaro(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  if (a.size() <= kStackLength && b.size() <= kStackLength) {
    BitFlags f;
    return JaroWith(a, b, f);
  }
  VectorFlags f(a.size(), b.size());
  return JaroWith(a, b, f);
}

double JaroWinkler(std::string_view a, std::string_view b) {
  double j = Jaro(a, b);
  size_t limit = std::min<size_t>({4, a.size(), b.size()});
  size_t prefix = 0;
  while (prefix < limit && a[prefix] == b[prefix]) ++prefix;
  return j + static_cast<double>(prefix) * 0.1 * (1.0 - j);
}

uint64_t CharMask(std::string_view v) {
  uint64_t m = 0;
  for (char c : v) m |= uint64_t{1} << (static_cast<unsigned char>(c) & 63);
  return m;
}

double JaroWinklerBound(std::string_view a, uint64_t mask_a, std::string_view b,
                        uint64_t mask_b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty() ? 1.0 : 0.0;
  auto present = [](std::string_view v, uint64_t mask) {
    size_t n = 0;
    for (char c : v) n += (mask >> (static_cast<unsigned char>(c) & 63)) & 1;
    return n;
  };
  double m = static_cast<double>(std::min(present(a, mask_b), present(b, mask_a)));
  if (m == 0) return 0;
  double jaro =
      (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) + 1) / 3;
  size_t prefix = 0, limit = std::min<size_t>({4, a.size(), b.size()});
  while (prefix < limit && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1 - jaro);
}

JaroSketch Sketch(std::string_view v) {
  JaroSketch s;
  s.size = static_cast<uint32_t>(std::min<size_t>(v.size(), UINT32_MAX));
  for (size_t i = 0; i < std::min<size_t>(4, v.size()); ++i)
    s.head |= uint32_t{static_cast<unsigned char>(v[i])} << (8 * i);
  s.mask = CharMask(v);
  return s;
}

// Person search calls this for every indexed part: on x86-64 a copy built for the
// POPCNT instruction is chosen at load time where the processor has it (the
// baseline has not, and would call a library routine per count).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
double
JaroWinklerSketchBound(const JaroSketch& a, const JaroSketch& b) {
  if (a.size == 0 || b.size == 0) return a.size == 0 && b.size == 0 ? 1.0 : 0.0;
  const int64_t ma = int64_t{a.size} - std::popcount(a.mask & ~b.mask);
  const int64_t mb = int64_t{b.size} - std::popcount(b.mask & ~a.mask);
  const double m = static_cast<double>(std::min(ma, mb));
  if (m <= 0) return 0;
  double jaro =
      (m / static_cast<double>(a.size) + m / static_cast<double>(b.size) + 1) / 3;
  // Bytes past the shorter string are zero in one head and not in the other, or
  // zero in both: the limit below ignores them either way.
  const uint32_t differ = a.head ^ b.head;
  const uint32_t same =
      differ == 0 ? 4 : static_cast<uint32_t>(std::countr_zero(differ)) / 8;
  const uint32_t prefix = std::min({same, 4u, a.size, b.size});
  return jaro + static_cast<double>(prefix) * 0.1 * (1 - jaro);
}

int DamerauLevenshteinBounded(std::string_view a, std::string_view b, int max) {
  if (max < 0) max = 0;
  // A common prefix or suffix never takes part in an optimal alignment, and names
  // compared against their variants mostly differ in the middle or at one end.
  while (!a.empty() && !b.empty() && a.front() == b.front()) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.remove_suffix(1);
    b.remove_suffix(1);
  }
  if (a.size() < b.size()) std::swap(a, b);
  if (a.size() - b.size() > static_cast<size_t>(max)) return max + 1;
  if (b.empty()) return static_cast<int>(a.size());  // at most max, checked above
  // The distance never exceeds the longer length; a smaller bound keeps `max + 1`
  // and the cells above it clear of overflow.
  max = static_cast<int>(std::min(static_cast<size_t>(max), a.size()));
  if (b.size() <= kStackLength) {
    std::array<int, 3 * (kStackLength + 1)> rows;
    return BandedOsa(a, b, max, rows.data());
  }
  std::vector<int> rows(3 * (b.size() + 1));
  return BandedOsa(a, b, max, rows.data());
}

int DamerauLevenshtein(std::string_view a, std::string_view b) {
  return DamerauLevenshteinBounded(a, b, std::numeric_limits<int>::max() - 1);
}

}  // namespace gugus::linkage
