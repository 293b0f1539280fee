// Private to src/synth: the generator's random source.
//
// The engine is xoshiro256** seeded through SplitMix64 (both public-domain
// algorithms by Blackman and Vigna), written out here, and every draw goes through
// the small helpers below rather than the standard distributions (whose output is not
// fixed by the standard): the same seed gives the same files with any compiler and
// standard library. xoshiro rather than std::mt19937_64 because the generator draws
// ~100 numbers per row and mt19937_64 was a tenth of its time. Not thread-safe (one
// Rng per thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace gugus::synth::internal {

// A value with a relative weight, for tables of choices.
template <typename T>
struct Weighted {
  T value;
  double weight;
};

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : s_) {
      // SplitMix64: spreads any seed (0 too) over the whole state.
      seed += 0x9e3779b97f4a7c15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      word = z ^ (z >> 31);
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0. Multiply-shift: the bias (n / 2^64) is irrelevant here.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi], both included; lo <= hi.
  int Range(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }

  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

  // Index drawn with probability proportional to weights[i]; weights not all zero.
  size_t PickIndex(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Unit() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }
  template <typename T>
  const T& PickWeighted(std::span<const Weighted<T>> items) {
    double total = 0;
    for (const auto& item : items) total += item.weight;
    double x = Unit() * total;
    for (const auto& item : items) {
      if (x < item.weight) return item.value;
      x -= item.weight;
    }
    return items.back().value;
  }
  template <typename T, size_t N>
  const T& PickWeighted(const Weighted<T> (&items)[N]) {
    return PickWeighted(std::span<const Weighted<T>>(items, N));
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t s_[4];
};

// FNV-1a, for per-agency choices that must not depend on the seed.
inline uint64_t StableHash(std::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace gugus::synth::internal
