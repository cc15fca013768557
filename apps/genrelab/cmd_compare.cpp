#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "commands.h"
#include "protocol_args.h"
#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/model.h"
#include "genrelab/model_registry.h"
#include "genrelab/study.h"

namespace genrelab::cli {

namespace {
struct CompareArgs {
  DataArgs data;
  CompareRequest request;
  std::string models = "all";
  std::string scoring = scoring_name(protocol::Protocol{}.scoring);
  std::vector<std::string> params;  // model.name=value
  std::vector<std::string> grids;   // model:name=v1,v2 name2=...
  bool no_stratify = false;
  std::string output_dir;
};
}  // namespace

void add_compare_command(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  auto* cmd = app.add_subcommand("compare", "Compare models on the same split and folds: CV, held-out test, timing");
  add_data_options(*cmd, args->data);
  cmd->add_option("--models", args->models, "all, or a comma-separated list")->capture_default_str();
  add_cv_option(*cmd, args->request.protocol.cv, protocol::None::Refused);
  add_test_size_option(*cmd, args->request.protocol.test_size, protocol::None::Refused, protocol::kTestSize.option,
                       "fraction held out for the test column");
  add_seed_option(*cmd, args->request.protocol.seed);
  add_no_stratify_flag(*cmd, args->no_stratify);
  add_sklearn_split_flag(*cmd, args->request.protocol.sklearn_split);
  cmd->add_flag("--tune", args->request.tune, "choose each model's parameters by CV on the training part first");
  add_scoring_option(*cmd, args->scoring);
  cmd->add_option("--param", args->params, "fixed parameter for one model: model.name=value, repeatable");
  cmd->add_option("--grid", args->grids,
                  "with --tune: the grid for one model, model:'name=v1,v2 name2=...', repeatable "
                  "(default: a small grid per model)");
  cmd->add_option("--importance", args->request.importance, "permutation: permutation importance on the held-out part")
      ->check(CLI::IsMember({"", "permutation"}));
  cmd->add_option("--repeats", args->request.repeats, "permutation repeats")->capture_default_str()->check(CLI::Range(1, 1000));
  cmd->add_flag("--yes", args->request.confirmed, "start a --tune search even above 10000 fits (candidates x folds)");
  cmd->add_option("-o,--output", args->output_dir, "directory for comparison.json");
  cmd->footer("Example:  genrelab compare seed --models all --cv 5 -o results\n"
              "          genrelab compare seed --models random_forest,svm --tune --param svm.kernel=rbf\n"
              "          genrelab compare seed --models svm --tune --grid 'svm:C=1,10 gamma=scale,0.01'");
  cmd->callback([args] {
    auto& req = args->request;
    req.protocol.scoring = parse_scoring(args->scoring);
    req.protocol.stratify = !args->no_stratify;
    if (args->models != "all") {
      req.models = split_list(args->models);
      if (req.models.empty()) throw UsageError("--models is empty; name models (e.g. --models random_forest,svm) or all");
    }
    for (const auto& item : args->params) {
      const auto dot = item.find('.');
      if (dot == std::string::npos)
        throw UsageError(fmt::format("--param '{}' must name the model: model.name=value (e.g. knn.n_neighbors=15)", item));
      const auto kv = parse_params({item.substr(dot + 1)});
      req.params[item.substr(0, dot)].insert(kv.begin(), kv.end());
    }
    for (const auto& item : args->grids) {
      const auto colon = item.find(':');
      if (colon == std::string::npos || colon == 0)
        throw UsageError(fmt::format("--grid '{}' must name the model: model:'name=v1,v2 ...' "
                                     "(e.g. --grid 'svm:C=1,10 gamma=scale,0.01')", item));
      req.grids[item.substr(0, colon)] = item.substr(colon + 1);
    }
    check_compare_request(req);  // before the data is read
    const Dataset data = load_dataset(args->data.path, args->data.options());
    std::cerr << dataset_text(data);
    const auto results = compare_models(data, req, &std::cerr);
    std::cout << comparison_text(results, req, data);
    if (!args->output_dir.empty())
      write_file_atomic(args->output_dir + "/comparison.json", comparison_json(results, req, data).dump(2) + "\n");
  });
}

}  // namespace genrelab::cli
