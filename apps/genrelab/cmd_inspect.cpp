#include <iostream>

#include "commands.h"
#include "genrelab/atomic_file.h"
#include "genrelab/model_card.h"

namespace genrelab::cli {

namespace {
struct InspectArgs {
  std::string model, json_path;
};
}  // namespace

void add_inspect_command(CLI::App& app) {
  auto args = std::make_shared<InspectArgs>();
  auto* cmd = app.add_subcommand("inspect", "The model card of a saved model: parameters, genres, features, "
                                            "training data, scores, versions, integrity");
  cmd->add_option("MODEL", args->model, "model file written by `genrelab train`")->required();
  cmd->add_option("--json", args->json_path, "also write the card as JSON to this file ('-': standard output, "
                                             "instead of the text)");
  cmd->footer("Example:  genrelab inspect rf.glab\n"
              "          genrelab inspect rf.glab --json - | jq .scores");
  cmd->callback([args] {
    const ModelCard card = inspect_model_file(args->model);
    if (args->json_path == "-") {
      std::cout << model_card_json(card).dump(2) << "\n";
      return;
    }
    std::cout << model_card_text(card);
    if (!args->json_path.empty()) write_file_atomic(args->json_path, model_card_json(card).dump(2) + "\n");
  });
}

}  // namespace genrelab::cli
