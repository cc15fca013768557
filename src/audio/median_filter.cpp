#include "median_filter.h"

#include <immintrin.h>

#include <algorithm>
#include <cstdint>
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


// Eight lines at once, one per AVX2 lane, for the 2-D filters below. Each
// lane keeps its own sorted window s[0..30]; one step removes the leaving
// value x and inserts the entering value y with the same operations in every
// lane, so no lane waits on another's branch:
//   after removing x:  t[j] = s[j] < x ? s[j] : s[j+1]        (j = 0..29)
//   after inserting y: s'[j] = max(min(t[j], y), t[j-1])       (t[-1] = -inf, t[30] = +inf)
// which is 7 vector operations per window position for eight medians, where
// the one-line kernel above spends about as many on one. Medians are
// selections, so the values are bitwise those of the portable loop.
// `groups` (up to kMaxGroups) neighbouring groups of eight lines are stepped
// together, so a step reads whole cache lines of a row once.
// Input step e of group g (reflect-extended) is the 8 floats at
// in + src[e] * in_step + 8 g; output step i goes to out + i * out_step + 8 g.
constexpr int kMaxGroups = 8;

__attribute__((target("avx2"))) inline void window_insert(float* s, __m256 y) {
  __m256 prev = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
  for (int j = 0; j < 31; ++j) {
    const __m256 t = _mm256_load_ps(s + 8 * j);
    _mm256_store_ps(s + 8 * j, _mm256_max_ps(_mm256_min_ps(t, y), prev));
    prev = t;
  }
}

__attribute__((target("avx2"))) inline void window_replace(float* s, __m256 x, __m256 y) {
  constexpr int W = 31;
  __m256 here = _mm256_load_ps(s);
  __m256 t_prev = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
  for (int j = 0; j < W - 1; ++j) {
    const __m256 next = _mm256_load_ps(s + 8 * (j + 1));
    const __m256 t = _mm256_blendv_ps(next, here, _mm256_cmp_ps(here, x, _CMP_LT_OQ));
    _mm256_store_ps(s + 8 * j, _mm256_max_ps(_mm256_min_ps(t, y), t_prev));
    t_prev = t;
    here = next;
  }
  _mm256_store_ps(s + 8 * (W - 1), _mm256_max_ps(y, t_prev));
}

__attribute__((target("avx2"))) void slide31_lanes8(const float* in, std::size_t in_step, const std::uint32_t* src,
                                                     float* out, std::size_t out_step, std::size_t n, int groups) {
  constexpr int W = 31;
  alignas(32) float s[kMaxGroups][W * 8];
  const __m256 inf = _mm256_set1_ps(std::numeric_limits<float>::infinity());
  for (int g = 0; g < groups; ++g)
    for (int j = 0; j < W; ++j) _mm256_store_ps(s[g] + 8 * j, inf);
  // The first window: 31 insertions into a window of +inf (each insertion
  // into a full window drops its largest value, an +inf).
  for (int e = 0; e < W; ++e)
    for (int g = 0; g < groups; ++g) window_insert(s[g], _mm256_loadu_ps(in + src[e] * in_step + 8 * g));
  for (int g = 0; g < groups; ++g) _mm256_storeu_ps(out + 8 * g, _mm256_load_ps(s[g] + 8 * (W / 2)));
  for (std::size_t i = 1; i < n; ++i) {
    const float* leaving = in + src[i - 1] * in_step;
    const float* entering = in + src[i - 1 + W] * in_step;
    for (int g = 0; g < groups; ++g) {
      window_replace(s[g], _mm256_loadu_ps(leaving + 8 * g), _mm256_loadu_ps(entering + 8 * g));
      _mm256_storeu_ps(out + i * out_step + 8 * g, _mm256_load_ps(s[g] + 8 * (W / 2)));
    }
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

namespace {

// Source index of each position of a line of n extended by `half` on each
// side, as extend() mirrors it.
std::vector<std::uint32_t> reflect_index(std::size_t n, std::size_t half) {
  std::vector<std::uint32_t> idx(n + 2 * half);
  const long long len = static_cast<long long>(n);
  for (std::size_t j = 0; j < idx.size(); ++j) {
    long long m = (static_cast<long long>(j) - static_cast<long long>(half)) % (2 * len);
    if (m < 0) m += 2 * len;
    if (m >= len) m = 2 * len - 1 - m;
    idx[j] = static_cast<std::uint32_t>(m);
  }
  return idx;
}

// Columns [c0, c0 + 8 groups) of a row-major matrix filtered down its rows;
// a last group past `cols` is padded (and its medians dropped).
void filter_column_groups(const float* in, std::size_t rows, std::size_t cols, std::size_t c0, int groups,
                          const std::vector<std::uint32_t>& src, float* out) {
  if (c0 + 8 * static_cast<std::size_t>(groups) <= cols) {
    slide31_lanes8(in + c0, cols, src.data(), out + c0, cols, rows, groups);
    return;
  }
  thread_local std::vector<float> tile_in, tile_out;
  const std::size_t width = cols - c0;
  tile_in.assign(rows * 8, 0.0f);
  tile_out.resize(rows * 8);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t l = 0; l < width; ++l) tile_in[r * 8 + l] = in[r * cols + c0 + l];
  slide31_lanes8(tile_in.data(), 8, src.data(), tile_out.data(), 8, rows, 1);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t l = 0; l < width; ++l) out[r * cols + c0 + l] = tile_out[r * 8 + l];
}

}  // namespace

void median_filter_2d(const float* in, std::size_t rows, std::size_t cols, MedianAxis along, int window, float* out,
                      bool portable) {
  if (rows == 0 || cols == 0) return;
  const std::size_t half = static_cast<std::size_t>(window / 2);
  if (window != 31 || portable || !have_avx2()) {
    if (along == MedianAxis::within_rows) {
      running_medians(in, cols, out, cols, rows, cols, window, portable);
      return;
    }
    std::vector<float> by_col(rows * cols), filtered(rows * cols);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < cols; ++c) by_col[c * rows + r] = in[r * cols + c];
    running_medians(by_col.data(), rows, filtered.data(), rows, cols, rows, window, portable);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < cols; ++c) out[r * cols + c] = filtered[c * rows + r];
    return;
  }
  if (along == MedianAxis::down_columns) {
    // Eight neighbouring columns are eight contiguous floats in every row.
    const std::vector<std::uint32_t> src = reflect_index(rows, half);
    const std::size_t full = cols / 8;
    for (std::size_t g0 = 0; g0 < full; g0 += kMaxGroups) {
      const int groups = static_cast<int>(std::min<std::size_t>(kMaxGroups, full - g0));
      filter_column_groups(in, rows, cols, 8 * g0, groups, src, out);
    }
    if (cols % 8) filter_column_groups(in, rows, cols, 8 * full, 1, src, out);
    return;
  }
  // Within rows: eight rows interleaved into a tile, so that a step along
  // the row reads eight contiguous floats, then filtered as columns are.
  thread_local std::vector<float> tile_in, tile_out;
  tile_in.resize(cols * 8);
  tile_out.resize(cols * 8);
  const std::vector<std::uint32_t> src = reflect_index(cols, half);
  for (std::size_t r0 = 0; r0 < rows; r0 += 8) {
    const std::size_t height = std::min<std::size_t>(8, rows - r0);
    if (height < 8) std::fill(tile_in.begin(), tile_in.end(), 0.0f);
    for (std::size_t l = 0; l < height; ++l) {
      const float* row = in + (r0 + l) * cols;
      for (std::size_t c = 0; c < cols; ++c) tile_in[c * 8 + l] = row[c];
    }
    slide31_lanes8(tile_in.data(), 8, src.data(), tile_out.data(), 8, cols, 1);
    for (std::size_t l = 0; l < height; ++l) {
      float* row = out + (r0 + l) * cols;
      for (std::size_t c = 0; c < cols; ++c) row[c] = tile_out[c * 8 + l];
    }
  }
}

}  // namespace genrelab::audio
