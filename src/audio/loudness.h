// EBU R128 measures (libebur128) shared by the loudness family and the analysis.
#pragma once

#include "genrelab/audio_decoder.h"

namespace genrelab::audio {

struct LoudnessMeasures {
  double integrated = -70.0;  // LUFS; -70 when everything is under the absolute gate
  double range = 0.0;         // LU
  double true_peak = -200.0;  // dBTP
};

LoudnessMeasures measure_loudness(const NativeAudio& audio);

}  // namespace genrelab::audio
