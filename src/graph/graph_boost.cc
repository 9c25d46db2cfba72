// The Boost.Graph view (see include/eventgraph/graph_boost.h).
#include "eventgraph/graph_boost.h"

#include <boost/graph/connected_components.hpp>
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace eventgraph {

BoostGraph to_boost_graph(const Graph& g) {
  BoostGraph bg(g.nodes().size());
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(g.nodes().size());
  size_t i = 0;
  for (const auto& [id, node] : g.nodes()) {
    bg[i].node = &node;
    index.emplace(id, i++);
  }
  for (const auto& [key, edge] : g.edges()) {
    auto from = index.find(key.from);
    auto to = index.find(key.to);
    if (from == index.end() || to == index.end()) continue;
    boost::add_edge(from->second, to->second, EdgeProps{&edge}, bg);
  }
  return bg;
}

GraphMetrics compute_metrics(const BoostGraph& bg) {
  using Undirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  const size_t n = boost::num_vertices(bg);
  GraphMetrics m;
  m.degree.resize(n);
  Undirected u(n);
  for (size_t v = 0; v < n; ++v) m.degree[v] = boost::in_degree(v, bg) + boost::out_degree(v, bg);
  for (auto [it, end] = boost::edges(bg); it != end; ++it)
    boost::add_edge(boost::source(*it, bg), boost::target(*it, bg), u);
  m.component.resize(n);
  // connected_components numbers components in the order its DFS meets them,
  // which with vecS is vertex order: component 0 holds vertex 0 (smallest id).
  m.component_count = n == 0 ? 0 : boost::connected_components(u, m.component.data());
  return m;
}

namespace {

uint32_t find_root(std::vector<uint32_t>& parent, uint32_t v) {
  while (parent[v] != v) {
    parent[v] = parent[parent[v]];  // path halving
    v = parent[v];
  }
  return v;
}

}  // namespace

GraphMetrics compute_metrics(const Graph& g) {
  const size_t n = g.nodes().size();
  GraphMetrics m;
  m.degree.assign(n, 0);
  m.component.assign(n, 0);
  m.edge_in_view.assign(g.edges().size(), false);
  std::unordered_map<std::string_view, uint32_t> index;
  index.reserve(n);
  uint32_t i = 0;
  for (const auto& [id, node] : g.nodes()) index.emplace(id, i++);
  std::vector<uint32_t> parent(n);
  for (uint32_t v = 0; v < n; ++v) parent[v] = v;
  // Edges come sorted by `from`, so the source's index is found by walking
  // the (sorted) nodes alongside; the target's by hash.
  auto node_it = g.nodes().begin();
  uint32_t node_index = 0;
  size_t k = 0;
  for (const auto& [key, edge] : g.edges()) {
    const size_t this_edge = k++;
    while (node_it != g.nodes().end() && node_it->first < key.from) ++node_it, ++node_index;
    if (node_it == g.nodes().end() || node_it->first != key.from) continue;
    auto to = index.find(key.to);
    if (to == index.end()) continue;
    m.edge_in_view[this_edge] = true;
    const uint32_t a = node_index, b = to->second;
    ++m.degree[a];
    ++m.degree[b];
    const uint32_t ra = find_root(parent, a), rb = find_root(parent, b);
    if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
  }
  // Each component numbered in the order of its smallest vertex (node id
  // order), as connected_components() numbers them over a vecS graph.
  std::vector<uint32_t> number(n, UINT32_MAX);
  for (uint32_t v = 0; v < n; ++v) {
    const uint32_t r = find_root(parent, v);
    if (number[r] == UINT32_MAX) number[r] = static_cast<uint32_t>(m.component_count++);
    m.component[v] = number[r];
  }
  return m;
}

}  // namespace eventgraph
