#include <iostream>

#include "commands.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"

namespace genrelab::cli {

void add_models_command(CLI::App& app) {
  auto name = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("models", "List the models and their parameters (scikit-learn names)");
  cmd->add_option("MODEL", *name, "show only this model");
  cmd->footer("Example:  genrelab models random_forest");
  cmd->callback([name] {
    if (!name->empty()) {
      std::cout << describe_classifier(*name);
      return;
    }
    for (const auto& n : classifier_names()) std::cout << describe_classifier(n) << "\n";
  });
}

}  // namespace genrelab::cli
