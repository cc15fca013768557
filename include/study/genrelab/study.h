// Orchestration the command line calls: load a data set, evaluate a model
// honestly, tune, compare, train and predict, run the seed study. Everything
// returns results as values and JSON; the CLI only parses arguments and
// prints. Each concept has its own header; this one includes them all, for
// the CLI and tests that use several.
#pragma once

#include "genrelab/compare.h"
#include "genrelab/demo.h"
#include "genrelab/evaluate.h"
#include "genrelab/load_dataset.h"
#include "genrelab/predict.h"
#include "genrelab/train.h"
#include "genrelab/tune_study.h"
