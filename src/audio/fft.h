// Real FFTs through FFTW3 (single precision). Plans are made once per size,
// under a lock because FFTW's planner is not thread-safe, and then executed
// from any thread on that thread's own buffers (fftwf_execute_dft_r2c is
// thread-safe). FFTW_ESTIMATE, never MEASURE: a measured plan depends on
// timings, and so would the last bits of every feature.
#pragma once

#include <complex>
#include <cstddef>
#include <vector>

namespace genrelab::audio {

class RealFft {
 public:
  explicit RealFft(int n);
  ~RealFft();
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  int size() const { return n_; }
  int bins() const { return n_ / 2 + 1; }
  // Input of size() samples in input(); forward() fills output() with bins() values.
  float* input() { return in_; }
  std::complex<float>* output() { return out_; }
  void forward();
  // Unnormalised inverse (as FFTW): output() -> input(); divide by size() yourself.
  void inverse();

 private:
  int n_;
  float* in_;
  std::complex<float>* out_;
  void* forward_plan_;
  void* inverse_plan_;
};

}  // namespace genrelab::audio
