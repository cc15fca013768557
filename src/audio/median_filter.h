// Running medians for HPSS, as scipy.ndimage.median_filter(mode='reflect')
// computes them along one axis: window of odd size w centred on each sample,
// the line extended by mirroring with the edge sample repeated (d c b a | a b c d).
#pragma once

#include <cstddef>

namespace genrelab::audio {

// Medians of `n` values read with `stride` from `in`, written with `stride`
// to `out` (may not alias). A sorted window is kept and updated by one
// removal and one insertion per step, so a line costs O(n * w) moves of
// floats rather than O(n * w log w) sorting.
void running_median(const float* in, float* out, std::size_t n, std::size_t stride, int window);

}  // namespace genrelab::audio
