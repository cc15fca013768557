// Our own rand() and srand(), replacing the C library's for the whole program.
//
// Why: LIBLINEAR (coordinate-descent order) and LIBSVM (Platt-scaling folds)
// draw from rand(), which in glibc is one sequence shared by every thread. A
// seed then only gives the same model if nothing else draws in between, which
// used to mean a process-wide lock around every fit, so folds fitted in
// parallel queued up behind each other.
//
// How: an executable that defines rand/srand exports them (the linker puts a
// definition into the dynamic symbol table when a shared library it links,
// here liblinear.so and libsvm.so, references the name), and the dynamic linker
// binds the libraries' rand@GLIBC references to the executable's definition
// before libc's. Every program linking the static library genrelab gets these
// because the wrappers call seed_c_rand(), which lives in this file, so this
// object is always pulled out of the archive. `nm -D genrelab | grep rand`
// shows them; the svm / linear_svm tests check that concurrent fits with one
// seed repeat exactly, which fails with glibc's shared generator.
//
// Semantics kept from the C standard: values in [0, RAND_MAX]; a thread that
// never called srand behaves as if seeded with srand(1). What changes: each
// thread has its own state, so a thread's sequence depends only on its own
// last srand seed, and the numbers differ from glibc's.
#include <cstdint>
#include <cstdlib>

#include "models/svm_common.h"

namespace {

// SplitMix64 (Steele, Lea, Flood 2014): a 64-bit counter passed through a
// strong mixer. One word of state keeps the thread_local trivially
// initialised (no TLS constructor on every thread), and the output quality is
// far beyond what a shuffle of training rows needs.
constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

constexpr std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Mixing the seed first keeps nearby seeds (random_state 0, 1, 2, ...) from
// starting on overlapping counters.
constexpr std::uint64_t state_for(unsigned seed) { return mix(static_cast<std::uint64_t>(seed) ^ kGolden); }

thread_local std::uint64_t t_state = state_for(1);

// rand() below keeps the top 31 bits, which is [0, RAND_MAX] only for glibc's
// RAND_MAX; another C library would need a different reduction.
static_assert(RAND_MAX == 0x7fffffff, "c_rand.cpp assumes RAND_MAX = 2^31 - 1 (glibc)");

}  // namespace

// noexcept because glibc declares both with __THROW; the definitions must match.
extern "C" int rand() noexcept {
  t_state += kGolden;
  return static_cast<int>(mix(t_state) >> 33);
}

extern "C" void srand(unsigned seed) noexcept { t_state = state_for(seed); }

namespace genrelab::svm_common {

void seed_c_rand(unsigned seed) { ::srand(seed); }

}  // namespace genrelab::svm_common
