// The evaluation protocol (genrelab/protocol.h): one set of defaults that
// every request embeds, and one spelling of each key, which the result files
// write (result_json) and the report reads back (from_result).
#include <gtest/gtest.h>

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "genrelab/compare.h"
#include "genrelab/evaluate.h"
#include "genrelab/protocol.h"
#include "genrelab/separability.h"
#include "genrelab/split.h"

using namespace genrelab;
namespace pr = genrelab::protocol;
using nlohmann::json;

namespace {

// Every member of Protocol.
const std::initializer_list<pr::Field> kEvery = {pr::kCv,       pr::kTestSize,     pr::kSeed,
                                                 pr::kStratify, pr::kSklearnSplit, pr::kScoring};

pr::Protocol unusual() {
  pr::Protocol p;
  p.cv = 3;
  p.test_size = 0.25;
  p.seed = 7;
  p.stratify = false;
  p.sklearn_split = true;
  p.scoring = Scoring::F1Macro;
  return p;
}

}  // namespace

TEST(Protocol, DefaultsAreTheDeclaredConstants) {
  const pr::Protocol p;
  EXPECT_EQ(p.cv, pr::kDefaultFolds);
  EXPECT_DOUBLE_EQ(p.test_size, pr::kDefaultTestSize);
  EXPECT_EQ(p.seed, pr::kDefaultSeed);
  EXPECT_TRUE(p.stratify);
  EXPECT_FALSE(p.sklearn_split);
  EXPECT_EQ(p.scoring, Scoring::Accuracy);
  EXPECT_EQ(SplitOptions{}.seed, pr::kDefaultSeed);
  // Requests take the protocol's defaults, not copies of their own.
  EXPECT_EQ(EvaluateRequest{}.protocol.cv, pr::kDefaultFolds);
  EXPECT_EQ(CompareRequest{}.protocol.seed, pr::kDefaultSeed);
  EXPECT_EQ(SeparabilityRequest{}.protocol.cv, pr::kDefaultFolds);
}

TEST(Protocol, WritesEachFieldUnderItsResultKey) {
  const pr::Protocol p = unusual();
  EXPECT_EQ(pr::result_json(p, kEvery), json::parse(R"({"cv": 3, "test_size": 0.25, "seed": 7, "stratified": false,
                                                        "holdout_split": "sklearn", "scoring": "f1_macro"})"));
  EXPECT_EQ(pr::result_json(p, {pr::kSeed}), json::parse(R"({"seed": 7})")) << "only the fields asked for";
  EXPECT_EQ(pr::result_json(pr::Protocol{}, {pr::kSklearnSplit}),
            json::parse(R"({"holdout_split": "genrelab"})"));
  EXPECT_THROW(pr::result_json(p, {pr::kGroupBy}), std::logic_error) << "group_by is a data option";
}

TEST(Protocol, ReadsBackWhatItWrites) {
  const pr::Protocol p = unusual();
  const pr::Protocol back = pr::from_result(pr::result_json(p, kEvery));
  EXPECT_EQ(back.cv, p.cv);
  EXPECT_DOUBLE_EQ(back.test_size, p.test_size);
  EXPECT_EQ(back.seed, p.seed);
  EXPECT_EQ(back.stratify, p.stratify);
  EXPECT_EQ(back.sklearn_split, p.sklearn_split);
  EXPECT_EQ(back.scoring, p.scoring);
}

TEST(Protocol, WhatAFileLacksOrMisspellsKeepsTheDefault) {
  const pr::Protocol d;
  for (const json& j : {json::object(), json::array(), json(nullptr),
                        json::parse(R"({"cv": "five", "test_size": "a fifth", "seed": -1, "stratified": 1,
                                        "holdout_split": 2, "scoring": "r2"})")}) {
    SCOPED_TRACE(j.dump());
    const pr::Protocol p = pr::from_result(j);
    EXPECT_EQ(p.cv, d.cv);
    EXPECT_DOUBLE_EQ(p.test_size, d.test_size);
    EXPECT_EQ(p.seed, d.seed);
    EXPECT_EQ(p.stratify, d.stratify);
    EXPECT_EQ(p.sklearn_split, d.sklearn_split);
    EXPECT_EQ(p.scoring, d.scoring);
  }
  // A file that records part of the protocol: that part, the defaults for the rest.
  const pr::Protocol part = pr::from_result(json::parse(R"({"cv": 10, "stratified": false})"));
  EXPECT_EQ(part.cv, 10);
  EXPECT_FALSE(part.stratify);
  EXPECT_DOUBLE_EQ(part.test_size, d.test_size);
}
