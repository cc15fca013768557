#include <iostream>

#include "commands.h"
#include "protocol_args.h"
#include "genrelab/atomic_file.h"
#include "genrelab/profiling.h"
#include "genrelab/study.h"

namespace genrelab::cli {

namespace {
struct ProfileArgs {
  DataArgs data;
  std::string output_dir;
  int bins = 20;
  int top = 3;
  bool no_separability = false;
  SeparabilityRequest separability;
  std::vector<std::string> params;
  bool no_stratify = false;
};
}  // namespace

void add_profile_command(CLI::App& app) {
  auto args = std::make_shared<ProfileArgs>();
  auto* cmd = app.add_subcommand("profile", "Describe every genre: statistics, histograms, category shares, separability");
  add_data_options(*cmd, args->data);
  cmd->add_option("-o,--output", args->output_dir, "directory for profile.json, profile.csv and separability.json")
      ->required();
  cmd->add_option("--bins", args->bins, "histogram bins per feature, shared by all genres")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->add_option("--top", args->top, "extreme features to print per genre")->capture_default_str();
  cmd->add_flag("--no-separability", args->no_separability, "skip the pairwise classifiers (faster)");
  cmd->add_option("--model", args->separability.model, "model for pairwise separability")->capture_default_str();
  cmd->add_option("--param", args->params, pairwise_param_help());
  add_cv_option(*cmd, args->separability.protocol.cv, protocol::None::Refused, "per pair");
  add_seed_option(*cmd, args->separability.protocol.seed, "seed for folds and the model");
  add_no_stratify_flag(*cmd, args->no_stratify, "plain shuffled folds instead of stratified ones");
  cmd->footer(
      "Writes DIR/profile.json (per-genre describe(), histograms, category shares), DIR/profile.csv\n"
      "(long format: genre,feature,statistic,value) and DIR/separability.json (pairwise CV accuracy,\n"
      "per-feature overlap and KS, clustering order).\n"
      "Example:  genrelab profile seed -o seed-profile\n"
      "          genrelab profile tracks.csv --genres 'jazz,blues,soul' --no-separability -o jazz-profile");
  cmd->callback([args] {
    args->separability.params = parse_params(args->params);
    args->separability.protocol.stratify = !args->no_stratify;
    args->separability.bins = args->bins;
    const Dataset data = load_dataset(args->data.path, args->data.options());
    std::cerr << dataset_text(data);
    const Profile profile = profile_genres(data, args->bins);
    std::string separability_json_text;
    std::string separability_summary;
    if (!args->no_separability) {
      const Separability s = genre_separability(data, args->separability, &std::cerr);
      separability_json_text = separability_json(s).dump(2) + "\n";
      separability_summary = separability_text(s);
    }
    // Every result is computed before the first file is written, so a failure leaves no partial set.
    write_file_atomic(args->output_dir + "/profile.json", profile_json(profile).dump(2) + "\n");
    write_file_atomic(args->output_dir + "/profile.csv", profile_csv(profile));
    if (!separability_json_text.empty())
      write_file_atomic(args->output_dir + "/separability.json", separability_json_text);
    std::cout << profile_text(profile, static_cast<std::size_t>(std::max(args->top, 0)));
    if (!separability_summary.empty()) std::cout << "\n" << separability_summary;
  });
}

}  // namespace genrelab::cli
