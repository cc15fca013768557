// Histogram split search (the approach of LightGBM, Ke et al. 2017, and of
// scikit-learn's HistGradientBoosting): every feature is cut once per fit
// into at most max_bins quantile bins, the training matrix is stored once as
// 8-bit bin codes, and a node's best split is found from per-bin class
// weights instead of from its samples sorted by value. Per node the cost is
// one pass over its samples per candidate feature plus O(bins x classes),
// with no sort, so a fit grows linearly with the rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "genrelab/matrix.h"

namespace genrelab::tree {

// The bin codes of one training matrix, built once per fit and shared
// read-only by every tree and thread.
//
// Bin edges are midpoints between consecutive distinct values of the
// feature (of a seeded sample of at most kBinSampleRows training rows): one
// bin per distinct value when there are at most max_bins of them, so the
// histogram search then sees exactly the thresholds of the exact search;
// otherwise at quantiles of the values. A value v falls in the first bin b
// with v <= edge(b), so "code <= b" and "v <= edge(b)" agree on every row.
class BinnedData {
 public:
  static constexpr int kMaxBins = 255;
  static constexpr int kBinSampleRows = 200000;

  // owner names the model in the message for a non-finite value (which
  // Classifier::check_fit_input normally refuses before this point).
  // With rows set, sample i is row (*rows)[i] of X: a fold is binned where it
  // lies, without a copy of its doubles (the same codes as binning the copy).
  BinnedData(const Matrix& X, int max_bins, std::uint64_t seed, const std::string& owner,
             const std::vector<int>* rows = nullptr);

  int n_samples() const { return n_samples_; }
  int n_features() const { return n_features_; }
  int n_bins(int f) const { return static_cast<int>(bin_min_[static_cast<std::size_t>(f)].size()); }
  // The codes are stored row-major: a row's codes share one or two cache
  // lines. A node deep in a tree holds rows scattered over the whole
  // matrix, and a random forest reads several features of each of them, so
  // row-major costs one miss a row where feature-major costs one a feature.
  const std::uint8_t* row(int i) const {
    return codes_.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(n_features_);
  }
  int code(int i, int f) const { return row(i)[f]; }
  const std::vector<double>& edges(int f) const { return edges_[static_cast<std::size_t>(f)]; }
  // Smallest and largest training value in bin b of feature f (every bin
  // holds at least one training value). A split between bins b and b2 > b
  // takes the midpoint of bin_max(b) and bin_min(b2), as the exact search
  // takes the midpoint of the values either side.
  double bin_min(int f, int b) const { return bin_min_[static_cast<std::size_t>(f)][static_cast<std::size_t>(b)]; }
  double bin_max(int f, int b) const { return bin_max_[static_cast<std::size_t>(f)][static_cast<std::size_t>(b)]; }
  // Offset of feature f's first bin among all features' bins, for arrays
  // holding every feature's histogram back to back.
  int bin_offset(int f) const { return offset_[static_cast<std::size_t>(f)]; }
  int total_bins() const { return offset_.back(); }
  std::size_t memory_bytes() const;

 private:
  int n_samples_, n_features_;
  std::vector<std::vector<double>> edges_, bin_min_, bin_max_;
  std::vector<int> offset_;
  std::vector<std::uint8_t> codes_;
};

}  // namespace genrelab::tree
