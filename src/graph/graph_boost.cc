// The Boost.Graph view (see include/eventgraph/graph_boost.h).
#include "eventgraph/graph_boost.h"

#include <boost/graph/connected_components.hpp>
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

GraphMetrics compute_metrics(const Graph& g) { return compute_metrics(to_boost_graph(g)); }

}  // namespace eventgraph
