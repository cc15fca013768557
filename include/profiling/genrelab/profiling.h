// Profiling genres: what each genre's features look like (profile), how well
// each pair of genres can be told apart (separability), which K genres are the
// most mutually distinct (select), and which features differ between two
// groups of genres (diff). The statistics follow scipy / pandas definitions so
// that results can be checked against a notebook; the JSON layouts written by
// the *_json functions are documented next to them, for the report.
// Each concept has its own header; this one includes them all.
#pragma once

#include "genrelab/diff.h"
#include "genrelab/genres.h"
#include "genrelab/profile.h"
#include "genrelab/profiling_statistics.h"
#include "genrelab/select.h"
#include "genrelab/separability.h"
