// Fitting the same model with the same seed on two threads at once must give
// what one fit alone gives; that fails when fits share hidden state, such as
// the C library's single rand() sequence that LIBSVM and LIBLINEAR draw from.
#pragma once

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace genrelab::testing {

// Runs `fit` alone, then three times on each of two threads concurrently, and
// expects every concurrent result to equal the lone one.
template <class Fit>
void expect_concurrent_fits_repeat(Fit fit) {
  const auto expected = fit();
  std::vector<decltype(fit())> got(6);
  std::thread a([&] { for (std::size_t i = 0; i < 3; ++i) got[i] = fit(); });
  std::thread b([&] { for (std::size_t i = 3; i < 6; ++i) got[i] = fit(); });
  a.join();
  b.join();
  for (const auto& result : got) EXPECT_EQ(result, expected);
}

}  // namespace genrelab::testing
