#include "genrelab/protocol.h"

#include <fmt/format.h>

#include "genrelab/error.h"

namespace genrelab::protocol {

std::string cv_problem(int cv, None none, const std::string& where) {
  if (cv == 0 && none == None::Allowed) return "";
  if (cv >= kMinFolds && cv <= kMaxFolds) return "";
  const std::string allowed = fmt::format("{}..{}{}", kMinFolds, kMaxFolds, none == None::Allowed ? " (0: none)" : "");
  // Without `where` the caller (CLI11) names the option itself.
  const std::string value = where.empty() ? "" : fmt::format("{} {}: ", where, cv);
  if (cv == 1) return fmt::format("{}a single fold is not cross-validation; use {}", value, allowed);
  return fmt::format("{}{} folds: the number of folds must be {}", value, cv, allowed);
}

std::string test_size_problem(double test_size, None none, const std::string& where) {
  if (test_size == 0 && none == None::Allowed) return "";
  if (test_size >= kMinTestSize && test_size <= kMaxTestSize) return "";
  const std::string value = where.empty() ? "" : fmt::format("{} {:g}: ", where, test_size);
  return fmt::format("{}the held-out fraction must be between {:g} and {:g}{}", value, kMinTestSize, kMaxTestSize,
                     none == None::Allowed ? " (0: none)" : "");
}

void check_cv(int cv, None none, const std::string& where) {
  if (auto p = cv_problem(cv, none, where); !p.empty()) throw UsageError(p);
}

void check_test_size(double test_size, None none, const std::string& where) {
  if (auto p = test_size_problem(test_size, none, where); !p.empty()) throw UsageError(p);
}

}  // namespace genrelab::protocol
