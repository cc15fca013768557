// `genrelab demo`: the seed study on the bundled data.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "genrelab/protocol.h"

namespace genrelab {

struct DemoOptions {
  std::string output_dir = "genrelab-report";
  std::uint64_t seed = protocol::kDefaultSeed;
};
// The seed study: Dummy and Random Forest (100 trees, max_depth 10) on all 14
// genres and on the study's 6; prints everything and writes JSON to output_dir.
void run_demo(const DemoOptions& options, std::ostream& out, std::ostream& progress);

}  // namespace genrelab
