// The evaluation protocol's command-line options (genrelab/protocol.h), one
// definition for every command that takes them: the same name, range and
// meaning in evaluate, compare, tune, train, profile and select.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "genrelab/protocol.h"

namespace genrelab::cli {

// For every floating-point option: NaN and infinities are refused as typed
// (CLI11's range checks compare, and every comparison with NaN is false).
extern const CLI::Validator kFiniteNumber;

// --cv; `what` refines the help text ("per pair").
CLI::Option* add_cv_option(CLI::App& command, int& cv, protocol::None none, const std::string& what = "");
// --test-size (or `name`, as train's --holdout).
CLI::Option* add_test_size_option(CLI::App& command, double& test_size, protocol::None none,
                                  const std::string& name = protocol::kTestSize.option,
                                  const std::string& help = protocol::kTestSize.help);
CLI::Option* add_seed_option(CLI::App& command, std::uint64_t& seed, const std::string& help = protocol::kSeed.help);
CLI::Option* add_no_stratify_flag(CLI::App& command, bool& no_stratify, const std::string& help = protocol::kStratify.help);
CLI::Option* add_sklearn_split_flag(CLI::App& command, bool& sklearn_split);
// --scoring, as a name (parse_scoring turns it into a Scoring once parsed).
CLI::Option* add_scoring_option(CLI::App& command, std::string& scoring,
                                const std::string& help = protocol::kScoring.help);

}  // namespace genrelab::cli
