#include "median_filter.h"

#include <immintrin.h>

#include <algorithm>
#include <limits>
#include <vector>

namespace genrelab::audio {
namespace {

// A sorted window updated without data-dependent branches: a branchy binary
// search and shift mispredicts on nearly every step of real spectra, while
// counting comparisons and selecting shifted neighbours vectorises.
template <int W>
void slide(const float* line, float* out, std::size_t n) {
  constexpr int kHalf = W / 2;
  constexpr float kInf = std::numeric_limits<float>::infinity();
  // s[1..W] is the window; s[0] = -inf and s[W+1] = +inf are sentinels that
  // make "the neighbour to the left/right" valid at both ends.
  alignas(32) float s[W + 2];
  alignas(32) float t[W + 2];
  s[0] = t[0] = -kInf;
  s[W + 1] = t[W + 1] = kInf;
  std::copy(line, line + W, s + 1);
  std::sort(s + 1, s + 1 + W);
  out[0] = s[1 + kHalf];
  for (std::size_t i = 1; i < n; ++i) {
    const float leaving = line[i - 1];
    const float entering = line[i - 1 + W];
    // Drop `leaving`: everything from its first position on moves down one.
    int p = 0;
    for (int j = 1; j <= W; ++j) p += s[j] < leaving;
    for (int j = 1; j <= W; ++j) t[j] = (j - 1 >= p) ? s[j + 1] : s[j];
    // Insert `entering` after the q remaining values smaller than it.
    int q = 0;
    for (int j = 1; j < W; ++j) q += t[j] < entering;
    for (int j = 1; j <= W; ++j) s[j] = (j - 1 < q) ? t[j] : ((j - 1 == q) ? entering : t[j - 1]);
    out[i] = s[1 + kHalf];
  }
}

// The same update on AVX2, 32 lanes (31 values and a +inf pad) in four
// registers. With p = the position of the leaving value and q = where the
// entering one goes once it is gone, lane j of the new window is s[j] outside
// [min(p,q), max(p,q)], `entering` at q, and the right (p < q) or left (p > q)
// neighbour in between. Only comparisons and selections: its results are
// bitwise those of the portable loop, so the machine never changes a feature.
// One step depends on the last through memory, so four independent lines are
// stepped together to keep the core busy.
struct Window31 {
  alignas(32) float a[48];
  alignas(32) float b[48];
  float* s;
  float* next;
};

__attribute__((target("avx2,popcnt"))) inline void step31(Window31& w, float leaving_value, float entering_value,
                                                           const __m256i* lanes) {
  const __m256 leaving = _mm256_set1_ps(leaving_value);
  const __m256 entering = _mm256_set1_ps(entering_value);
  const float* s = w.s;
  int p = 0, c = 0;
  for (int r = 0; r < 4; ++r) {
    const __m256 v = _mm256_load_ps(s + 8 * r);
    p += _mm_popcnt_u32(static_cast<unsigned>(_mm256_movemask_ps(_mm256_cmp_ps(v, leaving, _CMP_LT_OQ))));
    c += _mm_popcnt_u32(static_cast<unsigned>(_mm256_movemask_ps(_mm256_cmp_ps(v, entering, _CMP_LT_OQ))));
  }
  const int q = c - (leaving_value < entering_value ? 1 : 0);
  const int lo = p < q ? p : q + 1;
  const int hi = p < q ? q - 1 : p;
  const __m256i lo_v = _mm256_set1_epi32(lo - 1), hi_v = _mm256_set1_epi32(hi + 1);
  const __m256i q_v = _mm256_set1_epi32(q);
  const int step = p < q ? 1 : -1;
  for (int r = 0; r < 4; ++r) {
    const __m256 here = _mm256_load_ps(s + 8 * r);
    const __m256 neighbour = _mm256_loadu_ps(s + 8 * r + step);
    const __m256i in_range =
        _mm256_and_si256(_mm256_cmpgt_epi32(lanes[r], lo_v), _mm256_cmpgt_epi32(hi_v, lanes[r]));
    __m256 v = _mm256_blendv_ps(here, neighbour, _mm256_castsi256_ps(in_range));
    v = _mm256_blendv_ps(v, entering, _mm256_castsi256_ps(_mm256_cmpeq_epi32(lanes[r], q_v)));
    _mm256_store_ps(w.next + 8 * r, v);
  }
  std::swap(w.s, w.next);
}

__attribute__((target("avx2,popcnt"))) void slide31_avx2(const float* const* lines, float* const* outs, int count,
                                                          std::size_t n) {
  constexpr int W = 31;
  constexpr float kInf = std::numeric_limits<float>::infinity();
  Window31 windows[4];
  for (int l = 0; l < count; ++l) {
    Window31& w = windows[l];
    std::fill(w.a, w.a + 48, kInf);
    std::fill(w.b, w.b + 48, kInf);
    w.a[7] = w.b[7] = -kInf;  // s[-1]
    w.s = w.a + 8;            // s[0..31] aligned; s[31], s[32] = +inf
    w.next = w.b + 8;
    std::copy(lines[l], lines[l] + W, w.s);
    std::sort(w.s, w.s + W);
    outs[l][0] = w.s[W / 2];
  }
  const __m256i lane0 = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  __m256i lanes[4];
  for (int r = 0; r < 4; ++r) lanes[r] = _mm256_add_epi32(lane0, _mm256_set1_epi32(8 * r));
  for (std::size_t i = 1; i < n; ++i)
    for (int l = 0; l < count; ++l) {
      step31(windows[l], lines[l][i - 1], lines[l][i - 1 + W], lanes);
      outs[l][i] = windows[l].s[W / 2];
    }
}

void slide_any(const float* line, float* out, std::size_t n, int w) {
  std::vector<float> s(line, line + w);
  std::sort(s.begin(), s.end());
  out[0] = s[w / 2];
  for (std::size_t i = 1; i < n; ++i) {
    s.erase(std::lower_bound(s.begin(), s.end(), line[i - 1]));
    s.insert(std::upper_bound(s.begin(), s.end(), line[i - 1 + w]), line[i - 1 + w]);
    out[i] = s[w / 2];
  }
}

}  // namespace

namespace {

// The line with `half` mirrored values on each side (scipy's 'reflect':
// index -1 -> 0, -2 -> 1, n -> n-1, ...; period 2n for very short lines).
void extend(const float* in, std::size_t n, std::size_t half, std::vector<float>& line) {
  line.resize(n + 2 * half);
  const long long len = static_cast<long long>(n);
  for (std::size_t j = 0; j < line.size(); ++j) {
    const long long i = static_cast<long long>(j) - static_cast<long long>(half);
    long long m = i % (2 * len);
    if (m < 0) m += 2 * len;
    if (m >= len) m = 2 * len - 1 - m;
    line[j] = in[m];
  }
}

bool have_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
  return yes;
}

}  // namespace

void running_median(const float* in, float* out, std::size_t n, int window) {
  running_medians(in, n, out, n, 1, n, window);
}

void running_medians(const float* in, std::size_t in_stride, float* out, std::size_t out_stride, std::size_t n_lines,
                     std::size_t n, int window, bool portable) {
  const std::size_t half = static_cast<std::size_t>(window / 2);
  thread_local std::vector<float> extended[4];
  for (std::size_t first = 0; first < n_lines; first += 4) {
    const int count = static_cast<int>(std::min<std::size_t>(4, n_lines - first));
    const float* lines[4];
    float* outs[4];
    for (int l = 0; l < count; ++l) {
      extend(in + (first + l) * in_stride, n, half, extended[l]);
      lines[l] = extended[l].data();
      outs[l] = out + (first + l) * out_stride;
    }
    if (window == 31 && !portable && have_avx2()) {
      slide31_avx2(lines, outs, count, n);
    } else {
      for (int l = 0; l < count; ++l) {
        if (window == 31) {
          slide<31>(lines[l], outs[l], n);
        } else {
          slide_any(lines[l], outs[l], n, window);
        }
      }
    }
  }
}

}  // namespace genrelab::audio
