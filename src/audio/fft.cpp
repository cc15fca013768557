#include "fft.h"

#include <fftw3.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <new>
#include <utility>

namespace genrelab::audio {
namespace {

std::mutex& planner_lock() {
  static std::mutex lock;
  return lock;
}

// Plans are shared by every RealFft of one size; FFTW keeps them valid for
// any buffers with the alignment fftwf_malloc gives.
struct PlanPair {
  fftwf_plan forward;
  fftwf_plan inverse;
};

std::map<int, PlanPair>& plan_cache() {
  static std::map<int, PlanPair> cache;
  return cache;
}

// At exit the plans and FFTW's own planner memory go back, so a leak checker
// sees none (the cache itself lives as long as the process).
void release_plans() {
  std::lock_guard<std::mutex> guard(planner_lock());
  for (auto& [n, pair] : plan_cache()) {
    fftwf_destroy_plan(pair.forward);
    fftwf_destroy_plan(pair.inverse);
  }
  plan_cache().clear();
  fftwf_cleanup();
}

PlanPair plans_for(int n) {
  std::map<int, PlanPair>& cache = plan_cache();
  std::lock_guard<std::mutex> guard(planner_lock());
  static const bool registered = (std::atexit(release_plans), true);
  (void)registered;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  float* in = fftwf_alloc_real(n);
  fftwf_complex* out = fftwf_alloc_complex(n / 2 + 1);
  PlanPair pair{fftwf_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE),
                fftwf_plan_dft_c2r_1d(n, out, in, FFTW_ESTIMATE | FFTW_DESTROY_INPUT)};
  fftwf_free(in);
  fftwf_free(out);
  if (!pair.forward || !pair.inverse) throw std::bad_alloc();
  cache.emplace(n, pair);
  return pair;
}

}  // namespace

RealFft::RealFft(int n) : n_(n) {
  const PlanPair pair = plans_for(n);
  forward_plan_ = pair.forward;
  inverse_plan_ = pair.inverse;
  in_ = fftwf_alloc_real(n);
  out_ = reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(n / 2 + 1));
  if (!in_ || !out_) throw std::bad_alloc();
}

RealFft::~RealFft() {
  fftwf_free(in_);
  fftwf_free(out_);
}

void RealFft::forward() {
  fftwf_execute_dft_r2c(static_cast<fftwf_plan>(forward_plan_), in_, reinterpret_cast<fftwf_complex*>(out_));
}

void RealFft::inverse() {
  fftwf_execute_dft_c2r(static_cast<fftwf_plan>(inverse_plan_), reinterpret_cast<fftwf_complex*>(out_), in_);
}

}  // namespace genrelab::audio
