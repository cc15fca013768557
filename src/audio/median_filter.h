// Running medians for HPSS, as scipy.ndimage.median_filter(mode='reflect')
// computes them along one axis: window of odd size w centred on each sample,
// the line extended by mirroring with the edge sample repeated (d c b a | a b c d).
#pragma once

#include <cstddef>

namespace genrelab::audio {

// Medians of the n contiguous values at `in`, written to `out`. A sorted
// window is kept and updated by replacing the leaving value with the entering
// one (a binary search and a short shift), so a line costs O(n * w) float
// moves rather than O(n * w log w) sorting.
void running_median(const float* in, float* out, std::size_t n, int window);

// The same for n_lines lines of n values, line l at in + l * in_stride,
// written to out + l * out_stride; lines are filtered four at a time.
// `portable` forces the plain C++ path (the tests check both give the same bits).
void running_medians(const float* in, std::size_t in_stride, float* out, std::size_t out_stride, std::size_t n_lines,
                     std::size_t n, int window, bool portable = false);

// Medians of a row-major rows x cols matrix along one axis: within each row
// (a spectrogram's frequency axis when rows are frames) or down each column
// (its time axis). On AVX2 a window of 31 filters eight lines per vector
// lane-wise, which needs no transposed copy for the columns; the values are
// bitwise those of the portable path.
enum class MedianAxis { within_rows, down_columns };
void median_filter_2d(const float* in, std::size_t rows, std::size_t cols, MedianAxis along, int window, float* out,
                      bool portable = false);

}  // namespace genrelab::audio
