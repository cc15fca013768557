// genrelab's analysis files: a TrackAnalysis as JSON in the shape of
// Spotify's audio-analysis object, so `genrelab features` (and anything that
// reads Spotify's) reads both.
#pragma once

#include <nlohmann/json.hpp>

#include "genrelab/audio_analysis.h"

namespace genrelab {

nlohmann::json analysis_json(const TrackAnalysis& analysis);

}  // namespace genrelab
