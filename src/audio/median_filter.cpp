#include "median_filter.h"

#include <algorithm>
#include <vector>

namespace genrelab::audio {

void running_median(const float* in, float* out, std::size_t n, std::size_t stride, int window) {
  const long long half = window / 2;
  const long long len = static_cast<long long>(n);
  // scipy's 'reflect': index -1 -> 0, -2 -> 1, len -> len-1, ... (period 2*len).
  auto at = [&](long long i) {
    const long long period = 2 * len;
    long long m = i % period;
    if (m < 0) m += period;
    if (m >= len) m = period - 1 - m;
    return in[m * stride];
  };
  thread_local std::vector<float> sorted;
  sorted.resize(window);
  for (long long j = 0; j < window; ++j) sorted[j] = at(j - half);
  std::sort(sorted.begin(), sorted.end());
  out[0] = sorted[half];
  for (long long i = 1; i < len; ++i) {
    const float leaving = at(i - 1 - half);
    const float entering = at(i + half);
    if (leaving != entering) {
      // Replace `leaving` by `entering`, shifting the values between them.
      auto pos = std::lower_bound(sorted.begin(), sorted.end(), leaving);
      if (entering > leaving) {
        auto dst = std::lower_bound(pos + 1, sorted.end(), entering);
        std::move(pos + 1, dst, pos);
        *(dst - 1) = entering;
      } else {
        auto dst = std::upper_bound(sorted.begin(), pos, entering);
        std::move_backward(dst, pos, pos + 1);
        *dst = entering;
      }
    }
    out[i * stride] = sorted[half];
  }
}

}  // namespace genrelab::audio
