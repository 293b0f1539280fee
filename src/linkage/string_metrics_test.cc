#include "linkage/string_metrics.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace gugus::linkage {
namespace {

// Textbook implementations, written for clarity rather than speed, that the fast
// ones must agree with.
double ReferenceJaro(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  size_t longer = std::max(a.size(), b.size());
  size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
  std::vector<bool> ma(a.size()), mb(b.size());
  size_t m = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    size_t lo = i > window ? i - window : 0;
    for (size_t j = lo; j < std::min(b.size(), i + window + 1); ++j) {
      if (!mb[j] && a[i] == b[j]) {
        ma[i] = mb[j] = true;
        ++m;
        break;
      }
    }
  }
  if (m == 0) return 0.0;
  std::string sa, sb;
  for (size_t i = 0; i < a.size(); ++i)
    if (ma[i]) sa += a[i];
  for (size_t j = 0; j < b.size(); ++j)
    if (mb[j]) sb += b[j];
  size_t half = 0;
  for (size_t i = 0; i < m; ++i) half += sa[i] != sb[i] ? 1 : 0;
  double dm = static_cast<double>(m);
  return (dm / static_cast<double>(a.size()) + dm / static_cast<double>(b.size()) +
          (dm - static_cast<double>(half / 2)) / dm) /
         3.0;
}

int ReferenceOsa(std::string_view a, std::string_view b) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string RandomString(std::mt19937& rng, std::string_view alphabet, size_t max_len) {
  std::uniform_int_distribution<size_t> len(0, max_len);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::string s(len(rng), ' ');
  for (char& c : s) c = alphabet[pick(rng)];
  return s;
}

// Second string derived from the first by a few random edits, so that random pairs
// include close ones and not only unrelated strings.
std::string Mutate(std::mt19937& rng, std::string s, std::string_view alphabet) {
  std::uniform_int_distribution<int> edits(0, 3);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  for (int e = edits(rng); e > 0; --e) {
    size_t pos = s.empty() ? 0 : std::uniform_int_distribution<size_t>(0, s.size())(rng);
    switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
      case 0:
        s.insert(pos, 1, alphabet[pick(rng)]);
        break;
      case 1:
        if (pos < s.size()) s.erase(pos, 1);
        break;
      case 2:
        if (pos < s.size()) s[pos] = alphabet[pick(rng)];
        break;
      default:
        if (pos + 1 < s.size()) std::swap(s[pos], s[pos + 1]);
        break;
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------
// Jaro and Jaro-Winkler

TEST(JaroWinklerTest, PublishedExamples) {
  // Winkler (1990) and the usual textbook figures, to three decimals.
  EXPECT_NEAR(Jaro("MARTHA", "MARHTA"), 0.944, 0.0005);
  EXPECT_NEAR(JaroWinkler("MARTHA", "MARHTA"), 0.961, 0.0005);
  EXPECT_NEAR(Jaro("DWAYNE", "DUANE"), 0.822, 0.0005);
  EXPECT_NEAR(JaroWinkler("DWAYNE", "DUANE"), 0.840, 0.0005);
  EXPECT_NEAR(Jaro("DIXON", "DICKSONX"), 0.767, 0.0005);
  EXPECT_NEAR(JaroWinkler("DIXON", "DICKSONX"), 0.813, 0.0005);
  EXPECT_NEAR(Jaro("CRATE", "TRACE"), 0.733, 0.0005);
}

TEST(JaroWinklerTest, EmptyStrings) {
  EXPECT_EQ(Jaro("", ""), 1.0);
  EXPECT_EQ(JaroWinkler("", ""), 1.0);
  EXPECT_EQ(Jaro("", "a"), 0.0);
  EXPECT_EQ(Jaro("abc", ""), 0.0);
  EXPECT_EQ(JaroWinkler("", "abc"), 0.0);
}

TEST(JaroWinklerTest, IdenticalAndDisjoint) {
  EXPECT_EQ(Jaro("sumiati", "sumiati"), 1.0);
  EXPECT_EQ(JaroWinkler("sumiati", "sumiati"), 1.0);
  EXPECT_EQ(Jaro("abc", "xyz"), 0.0);
  EXPECT_EQ(JaroWinkler("abc", "xyz"), 0.0);
}

TEST(JaroWinklerTest, SingleCharacters) {
  EXPECT_EQ(Jaro("a", "a"), 1.0);
  EXPECT_EQ(Jaro("a", "b"), 0.0);
  // The window of a two-letter string is 0, so a swapped pair has no matches.
  EXPECT_EQ(Jaro("ab", "ba"), 0.0);
  EXPECT_NEAR(Jaro("a", "ab"), (1.0 + 0.5 + 1.0) / 3.0, 1e-12);
  EXPECT_NEAR(JaroWinkler("a", "ab"), 0.8333333 + 0.1 * (1 - 0.8333333), 1e-6);
}

TEST(JaroWinklerTest, PrefixBonusIsCappedAtFourCharacters) {
  // Same Jaro value for both pairs; the five-letter common prefix earns no more
  // than four letters' bonus.
  double j4 = Jaro("abcdxyz", "abcdzyx");
  double jw4 = JaroWinkler("abcdxyz", "abcdzyx");
  EXPECT_NEAR(jw4, j4 + 0.4 * (1 - j4), 1e-12);
  double j5 = Jaro("abcdexy", "abcdeyx");
  EXPECT_NEAR(JaroWinkler("abcdexy", "abcdeyx"), j5 + 0.4 * (1 - j5), 1e-12);
  // No common first letter: no bonus at all.
  EXPECT_EQ(JaroWinkler("xbcd", "ybcd"), Jaro("xbcd", "ybcd"));
}

TEST(JaroWinklerTest, BonusAppliesBelowWinklersThreshold) {
  // Jaro 0.6 here, under Winkler's 0.7 cut-off; the bonus is applied regardless.
  double j = Jaro("abxyz", "abpqr");
  ASSERT_LT(j, 0.7);
  EXPECT_NEAR(JaroWinkler("abxyz", "abpqr"), j + 0.2 * (1 - j), 1e-12);
}

TEST(JaroWinklerTest, NameVariantsScoreHigh) {
  EXPECT_GT(JaroWinkler("zainudin", "zainuddin"), 0.95);
  EXPECT_GT(JaroWinkler("rizki", "rizky"), 0.9);
  EXPECT_LT(JaroWinkler("sumiati", "rahayu"), 0.6);
}

TEST(JaroWinklerTest, WorksOnBytes) {
  // "é" is two bytes, neither equal to 'e'.
  EXPECT_LT(Jaro("jos\xC3\xA9", "jose"), 1.0);
  EXPECT_NEAR(Jaro("jos\xC3\xA9", "jose"), (3.0 / 5 + 3.0 / 4 + 1.0) / 3, 1e-12);
}

TEST(JaroWinklerTest, AgreesWithReferenceAndIsSymmetric) {
  std::mt19937 rng(20240601);
  constexpr std::string_view kAlphabet = "abcde";
  for (int n = 0; n < 20000; ++n) {
    // Up to 90 letters, so that both the bitmask and the heap paths run.
    size_t max_len = n % 10 == 0 ? 90 : 12;
    std::string a = RandomString(rng, kAlphabet, max_len);
    std::string b =
        n % 2 == 0 ? Mutate(rng, a, kAlphabet) : RandomString(rng, kAlphabet, max_len);
    double j = Jaro(a, b);
    ASSERT_DOUBLE_EQ(j, ReferenceJaro(a, b)) << a << " / " << b;
    ASSERT_EQ(j, Jaro(b, a)) << a << " / " << b;
    ASSERT_EQ(JaroWinkler(a, b), JaroWinkler(b, a)) << a << " / " << b;
    ASSERT_GE(j, 0.0);
    ASSERT_LE(j, 1.0);
    double jw = JaroWinkler(a, b);
    ASSERT_GE(jw, j);
    ASSERT_LE(jw, 1.0);
  }
}

// The bounds only rule pairs out: each is never below the similarity it bounds,
// and the sketch bound (looser still) never below JaroWinklerBound, for random and
// near strings, long ones, and bytes that share a CharMask bit ('a' and '!' are 64
// apart).
TEST(JaroWinklerTest, BoundIsNeverBelowTheSimilarity) {
  std::mt19937 rng(20261206);
  constexpr std::string_view kAlphabet = "abcdeimnors!";
  int below_085 = 0, sketch_below_085 = 0;
  for (int n = 0; n < 20000; ++n) {
    size_t max_len = n % 10 == 0 ? 90 : 12;
    std::string a = RandomString(rng, kAlphabet, max_len);
    std::string b =
        n % 2 == 0 ? Mutate(rng, a, kAlphabet) : RandomString(rng, kAlphabet, max_len);
    double bound = JaroWinklerBound(a, CharMask(a), b, CharMask(b));
    ASSERT_GE(bound, JaroWinkler(a, b)) << a << " / " << b;
    ASSERT_LE(bound, 1.0 + 1e-12) << a << " / " << b;
    below_085 += bound < 0.85 ? 1 : 0;
    double sketch = JaroWinklerSketchBound(Sketch(a), Sketch(b));
    ASSERT_GE(sketch, bound) << a << " / " << b;
    ASSERT_LE(sketch, 1.0 + 1e-12) << a << " / " << b;
    sketch_below_085 += sketch < 0.85 ? 1 : 0;
  }
  // And they do rule pairs out.
  EXPECT_GT(below_085, 2000);
  EXPECT_GT(sketch_below_085, 1000);
  EXPECT_EQ(JaroWinklerSketchBound(Sketch(""), Sketch("")), 1.0);
  EXPECT_EQ(JaroWinklerSketchBound(Sketch("abc"), Sketch("")), 0.0);
  EXPECT_EQ(JaroWinklerSketchBound(Sketch("abc"), Sketch("xyz")), 0.0);
  EXPECT_EQ(JaroWinklerSketchBound(Sketch("aminah"), Sketch("aminah")), 1.0);
  EXPECT_EQ(JaroWinklerBound("", 0, "", 0), 1.0);
  EXPECT_EQ(JaroWinklerBound("abc", CharMask("abc"), "", 0), 0.0);
  EXPECT_EQ(JaroWinklerBound("abc", CharMask("abc"), "xyz", CharMask("xyz")), 0.0);
}

TEST(JaroWinklerTest, LongStringsAroundTheStackLimit) {
  std::string a(kStackLength, 'a');
  std::string b = a;
  b.back() = 'b';
  EXPECT_DOUBLE_EQ(Jaro(a, b), ReferenceJaro(a, b));
  a += 'c';  // 65 letters: heap path
  EXPECT_DOUBLE_EQ(Jaro(a, b), ReferenceJaro(a, b));
  std::string c(1000, 'x');
  EXPECT_EQ(Jaro(c, c), 1.0);
  EXPECT_EQ(Jaro(c, std::string(1000, 'y')), 0.0);
}

// ---------------------------------------------------------------------------------
// Damerau-Levenshtein (optimal string alignment)

TEST(DamerauLevenshteinTest, KnownDistances) {
  EXPECT_EQ(DamerauLevenshtein("", ""), 0);
  EXPECT_EQ(DamerauLevenshtein("", "abc"), 3);
  EXPECT_EQ(DamerauLevenshtein("abc", ""), 3);
  EXPECT_EQ(DamerauLevenshtein("a", "a"), 0);
  EXPECT_EQ(DamerauLevenshtein("a", "b"), 1);
  EXPECT_EQ(DamerauLevenshtein("ab", "ba"), 1);
  EXPECT_EQ(DamerauLevenshtein("kitten", "sitting"), 3);
  EXPECT_EQ(DamerauLevenshtein("martha", "marhta"), 1);
  EXPECT_EQ(DamerauLevenshtein("abcdef", "badcfe"), 3);
  EXPECT_EQ(DamerauLevenshtein("zainudin", "zainuddin"), 1);
  EXPECT_EQ(DamerauLevenshtein("soeharti", "suharti"), 2);
}

TEST(DamerauLevenshteinTest, IsTheRestrictedVariant) {
  // The unrestricted distance is 2 (transpose, then insert between the pair); OSA
  // may not edit the transposed pair again.
  EXPECT_EQ(DamerauLevenshtein("ca", "abc"), 3);
}

TEST(DamerauLevenshteinTest, AgreesWithReferenceOnRandomShortStrings) {
  std::mt19937 rng(7);
  constexpr std::string_view kAlphabet = "abc";
  int checked = 0;
  for (int n = 0; n < 50000; ++n) {
    std::string a = RandomString(rng, kAlphabet, 9);
    std::string b =
        n % 2 == 0 ? Mutate(rng, a, kAlphabet) : RandomString(rng, kAlphabet, 9);
    int d = DamerauLevenshtein(a, b);
    ASSERT_EQ(d, ReferenceOsa(a, b)) << a << " / " << b;
    ASSERT_EQ(d, DamerauLevenshtein(b, a)) << a << " / " << b;
    ++checked;
  }
  EXPECT_EQ(checked, 50000);
}

TEST(DamerauLevenshteinTest, AgreesWithReferenceOnLongStrings) {
  // Beyond kStackLength the rows live on the heap.
  std::mt19937 rng(11);
  constexpr std::string_view kAlphabet = "abcd";
  for (int n = 0; n < 300; ++n) {
    std::string a = RandomString(rng, kAlphabet, 150);
    std::string b =
        n % 2 == 0 ? Mutate(rng, a, kAlphabet) : RandomString(rng, kAlphabet, 150);
    ASSERT_EQ(DamerauLevenshtein(a, b), ReferenceOsa(a, b)) << a << " / " << b;
  }
}

TEST(DamerauLevenshteinTest, BoundedAgreesWithUnboundedUpToTheBound) {
  std::mt19937 rng(13);
  constexpr std::string_view kAlphabet = "abc";
  for (int n = 0; n < 20000; ++n) {
    size_t max_len = n % 20 == 0 ? 100 : 10;
    std::string a = RandomString(rng, kAlphabet, max_len);
    std::string b =
        n % 2 == 0 ? Mutate(rng, a, kAlphabet) : RandomString(rng, kAlphabet, max_len);
    int d = ReferenceOsa(a, b);
    for (int max = 0; max <= 12; ++max) {
      int bounded = DamerauLevenshteinBounded(a, b, max);
      ASSERT_EQ(bounded, d <= max ? d : max + 1)
          << a << " / " << b << " max " << max << " distance " << d;
    }
  }
}

TEST(DamerauLevenshteinTest, BoundedEdgeCases) {
  EXPECT_EQ(DamerauLevenshteinBounded("abc", "abc", 0), 0);
  EXPECT_EQ(DamerauLevenshteinBounded("abc", "abd", 0), 1);
  EXPECT_EQ(DamerauLevenshteinBounded("", "abcdef", 2), 3);   // length gap alone
  EXPECT_EQ(DamerauLevenshteinBounded("abc", "xyz", -5), 1);  // negative bound is 0
  EXPECT_EQ(DamerauLevenshteinBounded("", "", 0), 0);
  EXPECT_EQ(DamerauLevenshteinBounded("abcdef", "fedcba", 100), 5);
}

}  // namespace
}  // namespace gugus::linkage
