// The Boost.Graph view: vertex order, degree, connected components.
#include <catch2/catch.hpp>

#include "eventgraph/graph_boost.h"
#include "graph/fixtures.h"

using namespace eventgraph;

TEST_CASE("Boost view follows node id order and counts degree", "[graph]") {
  Graph g;
  g.upsert_node("person:b", NodeType::Person, "B");
  g.upsert_node("person:a", NodeType::Person, "A");
  g.upsert_node("org:z", NodeType::Organization, "Z");
  g.upsert_node("place:lonely", NodeType::Place, "Lonely");
  g.upsert_edge(EdgeKey{"person:a", "org:z", "AFFILIATED_WITH", ""});
  g.upsert_edge(EdgeKey{"person:b", "org:z", "AFFILIATED_WITH", ""});
  g.upsert_edge(EdgeKey{"person:a", "org:missing", "AFFILIATED_WITH", ""});  // dangling

  BoostGraph bg = to_boost_graph(g);
  REQUIRE(boost::num_vertices(bg) == 4);
  CHECK(boost::num_edges(bg) == 2);
  CHECK(bg[0].node->id == "org:z");
  CHECK(bg[1].node->id == "person:a");
  CHECK(bg[3].node->id == "place:lonely");

  GraphMetrics m = compute_metrics(bg);
  CHECK(m.degree == std::vector<size_t>{2, 1, 1, 0});
  CHECK(m.component_count == 2);
  CHECK(m.component == std::vector<size_t>{0, 0, 0, 1});
}

TEST_CASE("components over an annotated graph", "[graph]") {
  Graph g;
  add_annotation(g, egtest::ann_a(), egtest::test_taxonomy());
  add_annotation(g, egtest::ann_c(), egtest::test_taxonomy());
  GraphMetrics m = compute_metrics(g);
  // Everything hangs off a document node, and the two documents share
  // entities, so there is one component.
  CHECK(m.component_count == 1);
  Graph empty;
  CHECK(compute_metrics(empty).component_count == 0);
}
