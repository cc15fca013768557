#include "protocol_args.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace genrelab::cli {

const CLI::Validator kFiniteNumber(
    [](std::string& text) {
      double v = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size()) return std::string("not a number: ") + text;
      if (!std::isfinite(v)) return std::string("not a finite number: ") + text;
      return std::string();
    },
    "FLOAT");

CLI::Option* add_cv_option(CLI::App& command, int& cv, protocol::None none, const std::string& what) {
  std::string help = protocol::kCv.help;
  if (!what.empty()) help += " " + what;
  if (none == protocol::None::Allowed) help += " (0: none)";
  // The protocol's own check, so the message is the one every entry point gives.
  const CLI::Validator folds(
      [none](std::string& text) {
        int v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size()) return std::string("not an integer: ") + text;
        return protocol::cv_problem(v, none, "");
      },
      fmt::format("INT in {}..{}{}", protocol::kMinFolds, protocol::kMaxFolds,
                  none == protocol::None::Allowed ? " or 0" : ""));
  return command.add_option(protocol::kCv.option, cv, help)->capture_default_str()->check(folds);
}

CLI::Option* add_test_size_option(CLI::App& command, double& test_size, protocol::None none, const std::string& name,
                                  const std::string& help) {
  const CLI::Validator fraction(
      [none](std::string& text) {
        double v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size()) return std::string("not a number: ") + text;
        if (!std::isfinite(v)) return std::string("not a finite number: ") + text;
        return protocol::test_size_problem(v, none, "");
      },
      fmt::format("FLOAT in {:g}..{:g}{}", protocol::kMinTestSize, protocol::kMaxTestSize,
                  none == protocol::None::Allowed ? " or 0" : ""));
  return command.add_option(name, test_size, help + (none == protocol::None::Allowed ? " (0: none)" : ""))
      ->capture_default_str()
      ->check(fraction);
}

CLI::Option* add_seed_option(CLI::App& command, std::uint64_t& seed, const std::string& help) {
  const CLI::Validator seed_range([](std::string& text) { return protocol::seed_problem(text, ""); },
                                   fmt::format("INT in 0..{}", protocol::kMaxSeed));
  return command.add_option(protocol::kSeed.option, seed, help)->capture_default_str()->check(seed_range);
}

CLI::Option* add_no_stratify_flag(CLI::App& command, bool& no_stratify, const std::string& help) {
  return command.add_flag(protocol::kStratify.option, no_stratify, help);
}

CLI::Option* add_sklearn_split_flag(CLI::App& command, bool& sklearn_split) {
  return command.add_flag(protocol::kSklearnSplit.option, sklearn_split, protocol::kSklearnSplit.help);
}

CLI::Option* add_scoring_option(CLI::App& command, std::string& scoring, const std::string& help) {
  return command.add_option(protocol::kScoring.option, scoring, help)->capture_default_str();
}

}  // namespace genrelab::cli
