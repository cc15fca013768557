#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <iostream>

#include "commands.h"
#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/model_file.h"
#include "genrelab/open_set.h"
#include "genrelab/study.h"
#include "genrelab/table.h"

namespace genrelab::cli {

namespace {
struct PredictArgs {
  std::string model, tracks, output;
  PredictOptions options;
  std::string on_missing = "error";
  std::string on_unknown = "error";
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
  cmd->add_option("--on-unknown", args->on_unknown,
                  "category levels the model never saw (e.g. time_signature=7): error | ignore (no indicator set, "
                  "as scikit-learn's handle_unknown='ignore'; counted in a note)")
      ->capture_default_str()->check(CLI::IsMember({"error", "ignore"}));
  cmd->add_flag("--timing", args->timing, "print the in-process prediction time to stderr");
  // Open set (issue 17): the model must have been trained with --calibrate.
  cmd->add_flag("--reject", args->options.reject,
                "label a track 'unknown' when its novelty score passes the calibrated threshold; adds novelty_score");
  cmd->add_option("--false-reject", args->options.false_reject,
                  "share of tracks of known genres --reject may call unknown (split-conformal threshold)")
      ->capture_default_str();
  cmd->add_option("--novelty-score", args->options.novelty_score, "score --reject uses")
      ->capture_default_str()->check(CLI::IsMember({"max_proba", "mahalanobis", "combined"}));
  cmd->add_flag("--sets", args->options.sets,
                "split-conformal prediction sets: adds prediction_set (';'-joined, 'unknown' when empty) and set_size");
  cmd->add_option("--alpha", args->options.alpha, "--sets holds the true genre with probability at least 1 - alpha")
      ->capture_default_str();
  cmd->add_option("--set-score", args->options.set_score,
                  "lac (1 - p_true, smallest sets) or aps (adaptive, non-randomised)")
      ->capture_default_str()->check(CLI::IsMember({"lac", "aps"}));
  cmd->footer(
      "Identifier and text columns (track_id, artists, ...) and the label column are copied to the output.\n"
      "Example:  genrelab predict rf.glab tracks.csv --top 3 --explain -o predictions.csv\n"
      "          genrelab predict rf.glab tracks.csv --reject --false-reject 0.05 --sets --alpha 0.1 -o p.csv");
  cmd->callback([args, cmd] {
    args->options.on_missing = parse_missing_policy(args->on_missing);
    args->options.on_unknown = args->on_unknown == "ignore" ? UnknownLevelPolicy::Ignore : UnknownLevelPolicy::Error;
    for (const char* o : {"--false-reject", "--novelty-score"})
      if (cmd->count(o) && !args->options.reject) throw UsageError(fmt::format("{} needs --reject", o));
    for (const char* o : {"--alpha", "--set-score"})
      if (cmd->count(o) && !args->options.sets) throw UsageError(fmt::format("{} needs --sets", o));
    if (args->options.reject) check_rate(args->options.false_reject, "--false-reject");
    if (args->options.sets) check_rate(args->options.alpha, "--alpha");
    const auto t0 = std::chrono::steady_clock::now();
    const ModelFile file = load_model_file(args->model);
    const Table tracks = read_csv(args->tracks);
    const auto t1 = std::chrono::steady_clock::now();
    const PredictResult r = predict_table(file, tracks, args->options);
    for (const std::string* note : {&r.top_note, &r.missing_note, &r.unknown_note})
      if (!note->empty()) std::cerr << "note: " << *note << "\n";
    if (args->output.empty()) std::cout << r.csv << std::flush;
    else write_file_atomic(args->output, r.csv);
    // Only tracks of genres the model knows can be right; the others are
    // counted beside the accuracy, not inside it.
    const std::size_t known = r.labelled - r.unknown_labels;
    if (known > 0)
      std::cerr << fmt::format("accuracy {:.1f}% on {} tracks whose '{}' genre the model knows",
                               100.0 * static_cast<double>(r.correct) / static_cast<double>(known), known,
                               file.label_column);
    if (r.unknown_labels > 0)
      std::cerr << fmt::format("{}{} labelled tracks have genres the model does not know (not scored)",
                               known > 0 ? "; " : "", r.unknown_labels);
    if (r.labelled > 0) std::cerr << "\n";
    if (args->options.reject && std::isinf(r.reject_threshold))
      std::cerr << fmt::format("note: the model's {} calibration rows are too few to promise a false-rejection rate of "
                               "{:g}, so nothing is rejected; retrain with a larger --calibrate or ask for a larger rate\n",
                               file.open_set->n_calibration, args->options.false_reject);
    if (args->options.reject)
      std::cerr << fmt::format("rejected {} of {} tracks as unknown (false-rejection target {:g} on known genres)\n",
                               r.rejected, r.rows, args->options.false_reject);
    if (args->options.sets)
      std::cerr << fmt::format("{:g} % prediction sets: mean size {:.2f}, {} empty (unknown)\n",
                               100 * (1 - args->options.alpha), r.mean_set_size, r.empty_sets);
    if (args->timing) {
      const double load = std::chrono::duration<double>(t1 - t0).count();
      std::cerr << fmt::format("timing: {} tracks; load model + read CSV {:.3f} s; predict {:.3f} s ({:.0f} tracks/s)\n",
                               r.rows, load, r.predict_seconds, r.predict_seconds > 0 ? r.rows / r.predict_seconds : 0.0);
    }
  });
}

}  // namespace genrelab::cli
