// genrelab: what makes a music genre sound like itself.
// Exit codes: 0 ok, 1 failed (bad data, unreadable file), 2 bad usage.
#include <fmt/format.h>

#include <iostream>

#include "commands.h"
#include "genrelab/error.h"

int main(int argc, char** argv) {
  CLI::App app{"genrelab: profile music genres, train and compare classifiers on audio features", "genrelab"};
  app.set_version_flag("--version", GENRELAB_VERSION);
  app.require_subcommand(1);
  app.footer("Start with:  genrelab demo     (the seed study on the bundled data)\n"
             "Help for one command:  genrelab COMMAND --help");
  genrelab::cli::add_demo_command(app);
  genrelab::cli::add_evaluate_command(app);
  genrelab::cli::add_compare_command(app);
  genrelab::cli::add_profile_command(app); genrelab::cli::add_select_command(app); genrelab::cli::add_diff_command(app);
  genrelab::cli::add_tune_command(app);
  genrelab::cli::add_models_command(app);
  genrelab::cli::add_train_command(app); genrelab::cli::add_predict_command(app); genrelab::cli::add_explain_command(app);
  genrelab::cli::add_run_command(app);
  genrelab::cli::add_report_command(app);
  genrelab::cli::add_extract_command(app); genrelab::cli::add_merge_command(app);
  genrelab::cli::add_features_command(app);
  genrelab::cli::add_load_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const genrelab::cli::ExitStatus& e) {
    return e.code;
  } catch (const genrelab::UsageError& e) {
    std::cerr << "genrelab: " << e.what() << "\n";
    return 2;
  } catch (const genrelab::InputError& e) {
    std::cerr << "genrelab: error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "genrelab: failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
