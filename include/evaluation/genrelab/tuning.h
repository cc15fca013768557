// Hyper-parameter search by cross-validation: a grid written the way people
// say it ('max_depth=5,10,None n_estimators=100,300'), every candidate scored
// on the same folds, candidates x folds fitted in parallel.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "genrelab/dataset.h"
#include "genrelab/evaluation.h"
#include "genrelab/parameters.h"
#include "genrelab/protocol.h"
#include "genrelab/split.h"

namespace genrelab {

// Scoring, parse_scoring and scoring_name: protocol.h (the score is part of the protocol).
double fold_score(const FoldScore& fold, Scoring s);

struct ParamGrid {
  std::vector<std::pair<std::string, std::vector<std::string>>> axes;
  std::size_t size() const;
};
// 'a=1,2 b=x,y' (axes separated by spaces or ';'). UsageError for malformed text.
ParamGrid parse_grid(const std::string& text);
// Every combination, first axis varying slowest.
std::vector<ParamMap> expand_grid(const ParamGrid& grid);
// n distinct combinations drawn at random (all of them when n >= grid size).
std::vector<ParamMap> sample_grid(const ParamGrid& grid, std::size_t n, std::uint64_t seed);

struct Candidate {
  ParamMap params;  // the grid's values only
  std::vector<FoldScore> folds;
  MeanSd score;
  MeanSd train_score;
  double fit_seconds = 0;
  int rank = 0;  // 1 = best
};

struct TuneResult {
  std::string model;
  ParamMap fixed;
  Scoring scoring = Scoring::Accuracy;
  std::vector<Candidate> candidates;  // best first; ties keep grid order
  ParamMap best_params;               // fixed + best candidate's values
  double seconds = 0;
};

// Fits every candidate on every fold. Models that are safe to run concurrently
// are spread over cores task by task (candidate x fold); results do not depend
// on the thread count.
// The parameters one candidate is fitted with: the fixed ones, overridden by
// the candidate's grid values.
ParamMap with_candidate(const ParamMap& fixed, const ParamMap& candidate);

TuneResult tune(const Dataset& data, const std::string& model, const ParamMap& fixed,
                const std::vector<ParamMap>& candidates, const std::vector<Split>& folds, Scoring scoring);

// The fold-level work shared by cross-validation and tuning: one Holdout per
// split, in parallel where the model allows it.
std::vector<Holdout> evaluate_splits(const Dataset& data, const std::string& model, const ParamMap& params,
                                     const std::vector<Split>& splits);

}  // namespace genrelab
