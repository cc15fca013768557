// genrelab: what makes a music genre sound like itself.
// Exit codes: 0 ok, 1 failed (bad data, unreadable file), 2 bad usage.
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "genrelab/atomic_file.h"
#include "genrelab/error.h"
#include "genrelab/suggest.h"

namespace genrelab::cli {
void add_launch_command(CLI::App& app);  // cmd_launch.cpp: tracker + N local workers of `train --distributed`
}

namespace {

// Everything printed must have arrived: a closed pipe or a full disk behind
// standard output is an error (exit 1), not a silent success.
int check_stdout(int code) {
  std::cout.flush();
  if (!std::cout.good() || std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fprintf(stderr, "genrelab: error: standard output: writing failed (a closed pipe or a full disk)\n");
    return code == 0 ? 1 : code;
  }
  return code;
}

int run(CLI::App& app, int argc, char** argv);

// Before a command does any work: none of its outputs (-o/--output, --json,
// --segments-output) may be the same file as anything it was given to read
// (its positional arguments and other options), by device and inode, so a
// link or another spelling of the data CSV is caught too. write_file_atomic
// checks again against every file actually read, so nothing is destroyed
// even where an input is only found later (an audio file inside a folder).
void refuse_outputs_over_inputs(const CLI::App& command) {
  std::vector<std::string> inputs;
  std::vector<std::pair<std::string, std::string>> outputs;
  for (const CLI::Option* option : command.get_options()) {
    if (option->count() == 0) continue;
    const bool output =
        option->check_lname("output") || option->check_lname("json") || option->check_lname("segments-output");
    for (const std::string& value : option->results()) {
      if (output) {
        outputs.emplace_back(value, option->get_name());
      } else {
        inputs.push_back(value);
      }
    }
  }
  for (const auto& [path, name] : outputs) genrelab::refuse_output_over_input(path, inputs, name);
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe is reported as a write error, not a silent death by SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
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
  genrelab::cli::add_inspect_command(app);
  genrelab::cli::add_run_command(app);
  genrelab::cli::add_report_command(app);
  genrelab::cli::add_extract_command(app); genrelab::cli::add_merge_command(app);
  genrelab::cli::add_features_command(app);
  genrelab::cli::add_fetch_command(app);
  genrelab::cli::add_load_command(app);
  genrelab::cli::add_launch_command(app);
  for (CLI::App* command : app.get_subcommands({}))
    command->parse_complete_callback([command] { refuse_outputs_over_inputs(*command); });
  return check_stdout(run(app, argc, argv));
}

namespace {

int run(CLI::App& app, int argc, char** argv) {
  // `genrelab bogus`: CLI11 would only say the argument was not expected.
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    bool known = false;
    for (const CLI::App* command : app.get_subcommands({})) {
      known = known || command->check_name(argv[1]);
      if (!command->get_group().empty()) names.push_back(command->get_name());  // hidden ones have no group
    }
    if (!known) {
      std::cerr << fmt::format("genrelab: unknown command '{}'. The commands are: {}.{}\nHelp for one: genrelab "
                               "COMMAND --help\n",
                               argv[1], fmt::join(names, ", "), genrelab::did_you_mean(argv[1], names));
      return 2;
    }
  }
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

}  // namespace
