#include <fmt/format.h>

#include <ostream>

#include "genrelab/protocol.h"
#include "genrelab/model.h"
#include "genrelab/split.h"
#include "genrelab/study.h"
#include "genrelab/model_registry.h"

namespace genrelab {


EvaluationResult evaluate_model(const Dataset& data, const EvaluateRequest& request, std::ostream* progress) {
  protocol::check_cv(request.cv, protocol::None::Allowed, protocol::kCv.key);
  protocol::check_test_size(request.test_size, protocol::None::Allowed, protocol::kTestSize.key);
  EvaluationResult result;
  result.request = request;
  const ParamMap params = with_default_seed(request.model, request.params, request.seed);
  result.params = make_classifier(request.model, params)->params();

  SplitOptions split_options;
  split_options.seed = request.seed;
  split_options.stratify = request.stratify;
  split_options.groups = data.groups.empty() ? nullptr : &data.groups;
  const int n_classes = static_cast<int>(data.classes.size());

  if (request.test_size > 0) {
    if (progress) *progress << fmt::format("  {}: held-out split ({:g} % test)\n", request.model, request.test_size * 100);
    SplitOptions holdout_options = split_options;
    holdout_options.sklearn_holdout = request.sklearn_split;
    const Split split = train_test_split(data.y, n_classes, request.test_size, holdout_options);
    result.holdout = evaluate_holdout(data, request.model, params, split);
    result.has_holdout = true;
  }
  if (request.cv >= 2) {
    if (progress) *progress << fmt::format("  {}: {}-fold cross-validation\n", request.model, request.cv);
    const auto folds = k_fold(data.y, n_classes, request.cv, split_options, data.classes);
    result.cv = cross_validate(data, request.model, params, folds);
    result.has_cv = true;
  }
  return result;
}

}  // namespace genrelab
