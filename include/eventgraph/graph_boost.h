// The Boost.Graph view of a Graph, for users (and exporters) that want BGL
// algorithms. Optional: graph.h itself does not include Boost.
//
// Vertices are the Graph's nodes in id order (vertex i = i-th node of
// Graph::nodes()); edges are the Graph's edges in key order. An edge whose
// endpoint is not a node of the graph (possible only after merging partial
// fragment files) is left out of the view.
//
// Thread safety: the functions are pure; a BoostGraph refers to the Graph's
// nodes and edges by pointer, so it must not outlive the Graph it came from.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "eventgraph/graph.h"

namespace eventgraph {

struct VertexProps {
  const Node* node = nullptr;
};

struct EdgeProps {
  const Edge* edge = nullptr;
};

using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                         VertexProps, EdgeProps>;

// Builds the view. Vertex order = node id order.
BoostGraph to_boost_graph(const Graph& g);

// Per-vertex measures, indexed like the view's vertices (node id order).
struct GraphMetrics {
  std::vector<size_t> degree;     // in + out edges (each edge of the view counted)
  std::vector<size_t> component;  // weakly connected component, numbered 0.. in
                                  // order of each component's smallest node id
  size_t component_count = 0;
  // Only from compute_metrics(const Graph&): per Graph edge, in key order,
  // whether it is in the view (both endpoints are nodes of the graph).
  std::vector<bool> edge_in_view;
};

// Degree and connected components (boost::connected_components on an
// undirected copy). Deterministic: depends only on the Graph's content.
GraphMetrics compute_metrics(const BoostGraph& bg);
// The same measures straight from the Graph (union-find over node indices),
// without building the view: the exporters' path, cheaper in time and memory
// on large graphs. Also fills edge_in_view.
GraphMetrics compute_metrics(const Graph& g);

}  // namespace eventgraph
