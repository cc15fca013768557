#include <fmt/format.h>

#include "commands.h"
#include "genrelab/error.h"
#include "genrelab/model_registry.h"
#include "genrelab/protocol.h"

namespace genrelab::cli {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  for (char c : text + ",") {
    if (c == ',') {
      const auto b = item.find_first_not_of(' ');
      const auto e = item.find_last_not_of(' ');
      if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
      item.clear();
    } else {
      item += c;
    }
  }
  return out;
}

DatasetOptions DataArgs::options() const {
  DatasetOptions o;
  o.label = label;
  o.features = split_list(features);
  o.drop = split_list(drop);
  o.genres = split_list(genres);
  o.on_missing = parse_missing_policy(on_missing);
  o.group_by = group_by;
  o.fold_label_case = fold_label_case;
  return o;
}

namespace {
// An empty value is refused as typed: `--genres ""` (an unset shell
// variable) must not quietly mean "all genres".
CLI::Validator non_empty_list() {
  return CLI::Validator(
      [](std::string& text) {
        if (split_list(text).empty()) return std::string("is empty; name at least one (or leave the option out)");
        return std::string();
      },
      "", "non-empty list");
}
}  // namespace

void add_data_options(CLI::App& command, DataArgs& args) {
  command.add_option("DATA", args.path, "CSV file of tracks (one row per track), or 'seed' for the bundled seed data")
      ->required();
  command.add_option("--label", args.label, "label column (default: Genre, genre, track_genre or label)")->check(non_empty_list());
  command.add_option("--features", args.features, "comma-separated feature columns to use (default: all usable)")->check(non_empty_list());
  command.add_option("--drop", args.drop, "comma-separated columns to leave out")->check(non_empty_list());
  command.add_option("--genres", args.genres, "comma-separated genres to keep (default: all)")->check(non_empty_list());
  command.add_option("--on-missing", args.on_missing, "missing feature values: error | drop | impute-median")
      ->capture_default_str();
  command.add_option(protocol::kGroupBy.option, args.group_by,
                     "column (e.g. track_id) whose equal values must stay on one side of every split")
      ->check(non_empty_list());
  command.add_flag("--fold-label-case", args.fold_label_case,
                   "treat labels that differ only in case (rock, Rock) as one genre, spelt as most rows spell it");
}

ParamMap parse_params(const std::vector<std::string>& items) {
  ParamMap params;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError(fmt::format("--param '{}' is not of the form name=value (e.g. --param max_depth=10)", item));
    params[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return params;
}

std::string pairwise_param_help() {
  std::vector<std::string> defaults;
  for (const auto& e : model_registry()) {
    if (e.pairwise_params.empty()) continue;
    std::vector<std::string> settings;
    for (const auto& [name, value] : e.pairwise_params) settings.push_back(fmt::format("{}={}", name, value));
    defaults.push_back(fmt::format("{} default: {}", e.name, fmt::join(settings, " ")));
  }
  std::string help = "model parameter name=value, repeatable";
  if (!defaults.empty()) help += fmt::format(" ({})", fmt::join(defaults, "; "));
  return help;
}

}  // namespace genrelab::cli
