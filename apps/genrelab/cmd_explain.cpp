#include <iostream>

#include "commands.h"
#include "genrelab/atomic_file.h"
#include "genrelab/explain.h"
#include "genrelab/model_file.h"
#include "genrelab/study.h"

namespace genrelab::cli {

namespace {
struct ExplainArgs {
  std::string model, data, json_path;
  std::size_t top = 8;
};
}  // namespace

void add_explain_command(CLI::App& app) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand("explain", "Which features push tracks toward each genre, for a saved model");
  cmd->add_option("MODEL", args->model, "model file written by `genrelab train`")->required();
  cmd->add_option("DATA", args->data, "CSV of tracks to explain the model on, or 'seed'")->required();
  cmd->add_option("-o,--output", args->json_path, "write the explanation as JSON to this file");
  cmd->add_option("--top", args->top, "features shown per genre")->capture_default_str();
  cmd->footer(
      "Trees and forests: TreeSHAP on probabilities; gradient_boosting: XGBoost's TreeSHAP on margins;\n"
      "other models: occlusion (each feature set to its training mean).\n"
      "Example:  genrelab explain rf.glab seed -o explanation.json");
  cmd->callback([args] {
    const ModelFile file = load_model_file(args->model);
    const Table tracks = args->data == "seed" ? read_csv_text(bundled_seed_csv(), kBundledSeedName) : read_csv(args->data);
    const ModelExplanation e = explain_model(file, tracks);
    std::cout << explanation_text(e, args->top);
    if (!args->json_path.empty()) write_file_atomic(args->json_path, explanation_json(e).dump(2) + "\n");
  });
}

}  // namespace genrelab::cli
