// A small, fully specified pseudo-random generator. std::mt19937 is portable
// but std::uniform_int_distribution is not, so results would differ between
// standard libraries; every random choice in genrelab goes through this class
// instead, which makes "same seed, same numbers" hold everywhere.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace genrelab {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  std::uint64_t next_u64();
  // Uniform integer in [0, n); n > 0. Lemire's unbiased multiply-shift method.
  std::uint64_t uniform_index(std::uint64_t n);
  // Uniform double in [0, 1) with 53 random bits.
  double uniform();
  double normal();

  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) {
      std::size_t j = static_cast<std::size_t>(uniform_index(i));
      std::swap(v[i - 1], v[j]);
    }
  }

  // Independent stream for task `index` (tree number, fold number, ...), so a
  // parallel loop gives the same numbers on any thread count.
  static Rng derive(std::uint64_t seed, std::uint64_t index);

 private:
  std::uint64_t s_[4];
};

}  // namespace genrelab
