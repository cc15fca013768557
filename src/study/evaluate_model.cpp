#include <fmt/format.h>

#include <ostream>

#include "genrelab/protocol.h"
#include "genrelab/model.h"
#include "genrelab/split.h"
#include "genrelab/study.h"
#include "genrelab/model_registry.h"

namespace genrelab {


EvaluationResult evaluate_model(const Dataset& data, const EvaluateRequest& request, std::ostream* progress) {
  const protocol::Protocol& p = request.protocol;
  protocol::check_cv(p.cv, protocol::None::Allowed, protocol::kCv.key);
  protocol::check_test_size(p.test_size, protocol::None::Allowed, protocol::kTestSize.key);
  require_two_genres(data, "evaluating a classifier");
  EvaluationResult result;
  result.request = request;
  const ParamMap params = with_default_seed(request.model, request.params, p.seed);
  result.params = make_classifier(request.model, params)->params();

  const SplitOptions options = split_options(p, data.groups);
  const int n_classes = static_cast<int>(data.classes.size());

  if (p.test_size > 0) {
    if (progress)
      *progress << fmt::format("  {}: held-out split ({:g} % test)\n", request.model, p.test_size * 100);
    const Split split = train_test_split(data.y, n_classes, p.test_size, options);
    result.holdout = evaluate_holdout(data, request.model, params, split);
    result.has_holdout = true;
  }
  if (p.cv >= 2) {
    if (progress) *progress << fmt::format("  {}: {}-fold cross-validation\n", request.model, p.cv);
    const auto folds = k_fold(data.y, n_classes, p.cv, options, data.classes);
    result.cv = cross_validate(data, request.model, params, folds);
    result.has_cv = true;
  }
  return result;
}

}  // namespace genrelab
