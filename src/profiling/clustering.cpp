// Average-linkage (UPGMA) agglomerative clustering, used only to order genres
// so that similar ones sit next to each other in the similarity matrix.
#include <limits>

#include "genrelab/profiling.h"

namespace genrelab {
namespace {

void leaves(const Dendrogram& d, int n, int cluster, std::vector<int>& out) {
  if (cluster < n) {
    out.push_back(cluster);
    return;
  }
  const auto& m = d.merges[static_cast<std::size_t>(cluster - n)];
  leaves(d, n, m.left, out);
  leaves(d, n, m.right, out);
}

}  // namespace

Dendrogram average_linkage(const Matrix& distance) {
  const int n = static_cast<int>(distance.rows());
  Dendrogram out;
  if (n == 0) return out;
  const int total = 2 * n - 1;
  Matrix d = Matrix::Zero(total, total);
  d.topLeftCorner(n, n) = distance;
  std::vector<int> size(static_cast<std::size_t>(total), 1);
  std::vector<int> active;
  for (int i = 0; i < n; ++i) active.push_back(i);

  for (int next = n; next < total; ++next) {
    int bi = -1, bj = -1;
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t x = 0; x < active.size(); ++x)
      for (std::size_t y = x + 1; y < active.size(); ++y)
        if (d(active[x], active[y]) < best) {
          best = d(active[x], active[y]);
          bi = active[x];
          bj = active[y];
        }
    const int si = size[static_cast<std::size_t>(bi)], sj = size[static_cast<std::size_t>(bj)];
    size[static_cast<std::size_t>(next)] = si + sj;
    for (int k : active) {
      if (k == bi || k == bj) continue;
      const double v = (si * d(bi, k) + sj * d(bj, k)) / (si + sj);
      d(next, k) = d(k, next) = v;
    }
    out.merges.push_back({bi, bj, best, si + sj});
    std::erase(active, bi);
    std::erase(active, bj);
    active.push_back(next);
  }
  leaves(out, n, total - 1, out.order);
  return out;
}

}  // namespace genrelab
