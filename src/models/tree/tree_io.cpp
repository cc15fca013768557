#include <cmath>

#include "genrelab/bytes.h"
#include "models/tree/tree.h"

namespace genrelab::tree {

void Tree::save(ByteWriter& out) const {
  const auto field = [&](auto get) {
    using T = decltype(get(nodes_.front()));
    std::vector<T> v;
    v.reserve(nodes_.size());
    for (const Node& nd : nodes_) v.push_back(get(nd));
    return v;
  };
  out.i32(n_classes_);
  out.i32s(field([](const Node& n) { return n.left; }));
  out.i32s(field([](const Node& n) { return n.right; }));
  out.i32s(field([](const Node& n) { return n.feature; }));
  out.f64s(field([](const Node& n) { return n.threshold; }));
  out.f64s(field([](const Node& n) { return n.impurity; }));
  out.f64s(field([](const Node& n) { return n.weight; }));
  out.i32s(field([](const Node& n) { return n.n_samples; }));
  out.i32s(field([](const Node& n) { return n.depth; }));
  out.u32s(field([](const Node& n) { return n.value_begin; }));
  out.u32s(field([](const Node& n) { return n.value_end; }));
  out.i32s(value_class_);
  out.f64s(value_proba_);
}

void Tree::load(ByteReader& in, int n_features, int n_classes) {
  in.require(in.i32() == n_classes, "a tree's class count disagrees with its model");
  const auto left = in.i32s(), right = in.i32s(), feature = in.i32s();
  const auto threshold = in.f64s(), impurity = in.f64s(), weight = in.f64s();
  const auto n_samples = in.i32s(), depth = in.i32s();
  const auto vbegin = in.u32s(), vend = in.u32s();
  auto vclass = in.i32s();
  auto vproba = in.f64s();
  const std::size_t n = left.size();
  in.require(n >= 1, "a tree has no nodes");
  for (const std::size_t size : {right.size(), feature.size(), threshold.size(), impurity.size(), weight.size(),
                                 n_samples.size(), depth.size(), vbegin.size(), vend.size()})
    in.require(size == n, "a tree's node arrays differ in length");
  in.require(vclass.size() == vproba.size(), "a tree's leaf value arrays differ in length");
  std::vector<int> parents(n, 0);
  std::vector<Node> nodes(n);
  for (std::size_t i = 0; i < n; ++i) {
    Node& nd = nodes[i];
    nd.left = left[i];
    nd.right = right[i];
    nd.feature = feature[i];
    nd.threshold = threshold[i];
    nd.impurity = impurity[i];
    nd.weight = weight[i];
    nd.n_samples = n_samples[i];
    nd.depth = depth[i];
    nd.value_begin = vbegin[i];
    nd.value_end = vend[i];
    in.require(std::isfinite(nd.weight) && nd.weight >= 0.0 && std::isfinite(nd.impurity),
               "a tree node has an invalid weight or impurity");
    if (nd.feature < 0) {
      in.require(nd.feature == -1 && nd.left == -1 && nd.right == -1, "a tree leaf has children");
      // Every leaf predicts something: at least one class value.
      in.require(nd.value_begin < nd.value_end && nd.value_end <= vclass.size(),
                 "a tree leaf's values are out of range or empty");
    } else {
      in.require(nd.feature < n_features, "a tree node splits on a feature the model does not have");
      // Children always come after their parent (depth-first growth), so
      // routing a row can only move forward and must end in a leaf.
      const auto forward = [&](int c) { return c > static_cast<int>(i) && static_cast<std::size_t>(c) < n; };
      in.require(forward(nd.left) && forward(nd.right) && nd.left != nd.right, "a tree node's children are out of range");
      ++parents[static_cast<std::size_t>(nd.left)];
      ++parents[static_cast<std::size_t>(nd.right)];
      in.require(!std::isnan(nd.threshold), "a tree node has no threshold");
    }
  }
  for (std::size_t i = 1; i < n; ++i) in.require(parents[i] == 1, "a tree node is not reached exactly once");
  for (std::size_t v = 0; v < vclass.size(); ++v)
    in.require(vclass[v] >= 0 && vclass[v] < n_classes && std::isfinite(vproba[v]) && vproba[v] >= 0.0 && vproba[v] <= 1.0,
               "a tree leaf holds an invalid class probability");
  nodes_ = std::move(nodes);
  value_class_ = std::move(vclass);
  value_proba_ = std::move(vproba);
  n_classes_ = n_classes;
}

}  // namespace genrelab::tree
