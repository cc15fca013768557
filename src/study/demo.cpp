// The seed study, reproduced honestly: scaled where it matters, split before
// anything is fitted, stratified, seeded, and with no ghost class. It is the
// built-in examples/seed-study.toml, so `genrelab run` on that file and
// `genrelab demo` cannot drift apart.
#include "genrelab/experiment.h"
#include "genrelab/study.h"

namespace genrelab {

void run_demo(const DemoOptions& options, std::ostream& out, std::ostream& progress) {
  Experiment x = seed_study_experiment();
  x.output_dir = options.output_dir;
  x.protocol.seed = options.seed;
  run_experiment(x, out, progress);
}

}  // namespace genrelab
