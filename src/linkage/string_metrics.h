// String similarity and edit distance for comparing name tokens.
//
// Pure functions of their arguments; thread-safe. They never fail: every pair of
// byte strings, empty ones included, has a defined result. They work on bytes, not
// code points: linkage folds names to ASCII first (indonesian_name.h), where a byte is
// a letter. A non-ASCII letter that survives folding counts as several bytes, which
// only makes such names look a little less alike than they are.
//
// Written for the comparison loop, which calls them tens of millions of times: for
// strings of up to kStackLength bytes they allocate nothing; longer strings fall back
// to a heap buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gugus::linkage {

// Longest input that is compared without touching the heap.
inline constexpr size_t kStackLength = 64;

// Jaro similarity in [0, 1]: characters match when equal and no further apart than
// max(|a|, |b|) / 2 - 1 positions; (m/|a| + m/|b| + (m - t)/m) / 3 with m matches
// and t half the matches out of order. Two empty strings are identical (1.0); an
// empty string against a non-empty one scores 0.0. Symmetric.
double Jaro(std::string_view a, std::string_view b);

// Jaro-Winkler similarity in [0, 1]: Jaro plus a bonus for a common prefix,
// jw = j + l * 0.1 * (1 - j) with l the common prefix length capped at 4.
// The bonus applies whatever the Jaro value: Winkler's own code only added it when
// j > 0.7, which makes the score jump at that threshold; without it the score is
// monotone in the prefix and matches the published figures (MARTHA/MARHTA 0.961,
// DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813) all the same.
double JaroWinkler(std::string_view a, std::string_view b);

// Which bytes a string holds, one bit per byte value modulo 64: the summary that
// JaroWinklerBound works from, computed once per string and kept.
uint64_t CharMask(std::string_view v);

// An upper bound of JaroWinkler(a, b), given CharMask of each: at most the bytes of
// each that occur in the other can match, none need be transposed, and the prefix
// bonus is the actual one. Linear in the lengths with no matching window, so several
// times cheaper than JaroWinkler; it rules out most pairs of unrelated words before
// the real similarity is computed.
double JaroWinklerBound(std::string_view a, uint64_t mask_a, std::string_view b,
                        uint64_t mask_b);

// What JaroWinklerSketchBound knows of a string: its length, CharMask and first
// four bytes (the Winkler prefix), packed so that a scan over many strings reads
// 16 bytes each and never the strings themselves.
struct JaroSketch {
  uint32_t size = 0;
  uint32_t head = 0;  // the first min(4, size) bytes, little end first, zero-padded
  uint64_t mask = 0;
};
JaroSketch Sketch(std::string_view v);

// A looser upper bound of JaroWinkler than JaroWinklerBound, in constant time: a
// byte value that one string holds and the other lacks leaves at least one byte
// of the first unmatched, so m <= |a| - popcount(mask_a & ~mask_b) and the same
// for b; the prefix bonus is the actual one. Never below JaroWinklerBound.
double JaroWinklerSketchBound(const JaroSketch& a, const JaroSketch& b);

// Damerau-Levenshtein distance, optimal-string-alignment variant: insertions,
// deletions, substitutions and transpositions of two adjacent characters each cost
// 1, and no substring is edited twice (so "ca" → "abc" is 3, not the 2 of the
// unrestricted distance). Symmetric; 0 only for equal strings.
int DamerauLevenshtein(std::string_view a, std::string_view b);

// The same distance when it is at most `max`, otherwise max + 1, found without
// computing the whole matrix: only a diagonal band of width 2 * max + 1 is filled and
// the computation stops as soon as a row exceeds `max`. A negative `max` is taken
// as 0.
int DamerauLevenshteinBounded(std::string_view a, std::string_view b, int max);

}  // namespace gugus::linkage
