// Choosing the k genres whose weakest pair is as separable as possible.
#include <algorithm>
#include <cmath>

#include "genrelab/error.h"
#include "genrelab/profiling.h"

namespace genrelab {
namespace {

struct Score {
  double min = 0, mean = 0;
};

// Better = larger minimum, then larger mean. Exact float ties are real here:
// many pairs score a perfect 1.0.
bool better(const Score& a, const Score& b) { return a.min > b.min || (a.min == b.min && a.mean > b.mean); }

Score score(const Matrix& s, const std::vector<int>& set) {
  Score out{1e308, 0};
  double pairs = 0;
  for (std::size_t i = 0; i < set.size(); ++i)
    for (std::size_t j = i + 1; j < set.size(); ++j) {
      const double v = s(set[i], set[j]);
      out.min = std::min(out.min, v);
      out.mean += v;
      pairs += 1;
    }
  if (pairs == 0) return {0, 0};
  out.mean /= pairs;
  return out;
}

double binomial(int n, int k) {
  return std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0));
}

struct Exact {
  const Matrix& s;
  int n, k;
  std::vector<int> current, best;
  Score best_score{-1, -1};
  std::size_t examined = 0;

  // Adding members can only lower the minimum, so a partial set already
  // below the best complete set's minimum cannot win.
  void extend(int from, double current_min) {
    if (static_cast<int>(current.size()) == k) {
      ++examined;
      const Score sc = score(s, current);
      if (better(sc, best_score)) {
        best_score = sc;
        best = current;
      }
      return;
    }
    for (int g = from; g <= n - (k - static_cast<int>(current.size())); ++g) {
      double m = current_min;
      for (int c : current) m = std::min(m, s(c, g));
      if (m < best_score.min) continue;
      current.push_back(g);
      extend(g + 1, m);
      current.pop_back();
    }
  }
};

SubsetSearch greedy_swap(const Matrix& s, int k) {
  const int n = static_cast<int>(s.rows());
  SubsetSearch out;
  out.method = "greedy+swap";
  // Seed with the most separable pair, then add whichever genre keeps the
  // weakest pair strongest.
  std::vector<int> set;
  Score best{-1, -1};
  for (int a = 0; a < n; ++a)
    for (int b = a + 1; b < n; ++b)
      if (better(score(s, {a, b}), best)) {
        best = score(s, {a, b});
        set = {a, b};
      }
  while (static_cast<int>(set.size()) < k) {
    int pick = -1;
    Score pick_score{-1, -1};
    for (int g = 0; g < n; ++g) {
      if (std::find(set.begin(), set.end(), g) != set.end()) continue;
      auto trial = set;
      trial.push_back(g);
      const Score sc = score(s, trial);
      ++out.subsets_examined;
      if (better(sc, pick_score)) {
        pick_score = sc;
        pick = g;
      }
    }
    set.push_back(pick);
  }
  // Swap one member for one outsider while that improves the set.
  for (bool improved = true; improved;) {
    improved = false;
    const Score now = score(s, set);
    for (std::size_t i = 0; i < set.size() && !improved; ++i)
      for (int g = 0; g < n && !improved; ++g) {
        if (std::find(set.begin(), set.end(), g) != set.end()) continue;
        auto trial = set;
        trial[i] = g;
        ++out.subsets_examined;
        if (better(score(s, trial), now)) {
          set = trial;
          improved = true;
        }
      }
  }
  std::sort(set.begin(), set.end());
  out.members = set;
  return out;
}

}  // namespace

SubsetSearch most_distinct_subset(const Matrix& separability, int k, double exact_limit) {
  const int n = static_cast<int>(separability.rows());
  if (k < 2 || k > n)
    throw UsageError("--k must be between 2 and the number of genres (" + std::to_string(n) + "), got " +
                     std::to_string(k));
  SubsetSearch out;
  if (binomial(n, k) <= exact_limit) {
    Exact search{separability, n, k, {}, {}, {-1, -1}, 0};
    search.extend(0, 1e308);
    out.members = search.best;
    out.method = "exact";
    out.subsets_examined = search.examined;
  } else {
    out = greedy_swap(separability, k);
  }
  const Score sc = score(separability, out.members);
  out.min_separability = sc.min;
  out.mean_separability = sc.mean;
  return out;
}

}  // namespace genrelab
