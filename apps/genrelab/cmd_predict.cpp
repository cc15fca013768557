#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "commands.h"
#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/model_file.h"
#include "genrelab/study.h"
#include "genrelab/table.h"

namespace genrelab::cli {

namespace {
struct PredictArgs {
  std::string model, tracks, output;
  PredictOptions options;
  std::string on_missing = "error";
  bool timing = false;
};
}  // namespace

void add_predict_command(CLI::App& app) {
  auto args = std::make_shared<PredictArgs>();
  auto* cmd = app.add_subcommand("predict", "Predict the genre of every track in a CSV with a saved model");
  cmd->add_option("MODEL", args->model, "model file written by `genrelab train`")->required();
  cmd->add_option("TRACKS", args->tracks, "CSV with the feature columns the model was trained on")->required();
  cmd->add_option("-o,--output", args->output, "CSV to write (default: standard output)");
  cmd->add_flag("--proba", args->options.proba, "one probability column per genre");
  cmd->add_option("--top", args->options.top, "the K most probable genres and their probabilities")
      ->check(CLI::Range(1, 1000000));
  cmd->add_flag("--explain", args->options.explain, "the features that pushed each track toward its predicted genre");
  cmd->add_option("--explain-top", args->options.explain_top, "how many features --explain lists per track")
      ->capture_default_str()->check(CLI::Range(1, 1000000));
  cmd->add_option("--on-missing", args->on_missing,
                  "missing feature values: error | drop (no prediction for that row) | impute-median (from the "
                  "other tracks in the file)")
      ->capture_default_str()->check(CLI::IsMember({"error", "drop", "impute-median"}));
  cmd->add_flag("--timing", args->timing, "print the in-process prediction time to stderr");
  cmd->footer(
      "Identifier and text columns (track_id, artists, ...) and the label column are copied to the output.\n"
      "Example:  genrelab predict rf.glab tracks.csv --top 3 --explain -o predictions.csv");
  cmd->callback([args] {
    args->options.on_missing = parse_missing_policy(args->on_missing);
    const auto t0 = std::chrono::steady_clock::now();
    const ModelFile file = load_model_file(args->model);
    const Table tracks = read_csv(args->tracks);
    const auto t1 = std::chrono::steady_clock::now();
    const PredictResult r = predict_table(file, tracks, args->options);
    for (const std::string* note : {&r.top_note, &r.missing_note})
      if (!note->empty()) std::cerr << "note: " << *note << "\n";
    if (args->output.empty()) std::cout << r.csv << std::flush;
    else write_file_atomic(args->output, r.csv);
    if (r.labelled > 0) {
      std::cerr << fmt::format("accuracy {:.4f} on {} tracks with a '{}' label", static_cast<double>(r.correct) / r.labelled,
                               r.labelled, file.label_column);
      if (r.unknown_labels > 0) std::cerr << fmt::format(" ({} of them have genres the model does not know)", r.unknown_labels);
      std::cerr << "\n";
    }
    if (args->timing) {
      const double load = std::chrono::duration<double>(t1 - t0).count();
      std::cerr << fmt::format("timing: {} tracks; load model + read CSV {:.3f} s; predict {:.3f} s ({:.0f} tracks/s)\n",
                               r.rows, load, r.predict_seconds, r.predict_seconds > 0 ? r.rows / r.predict_seconds : 0.0);
    }
  });
}

}  // namespace genrelab::cli
