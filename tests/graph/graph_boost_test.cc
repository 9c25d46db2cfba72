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

TEST_CASE("metrics from the Graph equal the metrics of the Boost view", "[graph]") {
  Graph g;
  for (const char* id : {"org:a", "org:b", "person:c", "person:d", "place:e", "place:f", "topic:g"})
    g.upsert_node(id, NodeType::Person, id);
  g.upsert_edge(EdgeKey{"person:d", "org:a", "AFFILIATED_WITH", ""});
  g.upsert_edge(EdgeKey{"person:d", "org:a", "AFFILIATED_WITH", "Chair"});  // parallel edge
  g.upsert_edge(EdgeKey{"place:f", "person:c", "MENTIONS", ""});
  g.upsert_edge(EdgeKey{"person:c", "place:e", "MENTIONS", ""});
  g.upsert_edge(EdgeKey{"topic:g", "topic:g", "ABOUT", ""});            // self-loop
  g.upsert_edge(EdgeKey{"org:b", "org:nowhere", "ROLE_AT", ""});        // dangling target
  g.upsert_edge(EdgeKey{"doc:gone", "place:e", "MENTIONS", ""});        // dangling source
  g.upsert_edge(EdgeKey{"zzz:gone", "org:a", "MENTIONS", ""});          // after every node

  const GraphMetrics view = compute_metrics(to_boost_graph(g));
  const GraphMetrics direct = compute_metrics(g);
  CHECK(direct.degree == view.degree);
  CHECK(direct.component == view.component);
  CHECK(direct.component_count == view.component_count);
  CHECK(direct.component_count == 4);  // {a,d} {b} {c,e,f} {g}
  CHECK(direct.degree == std::vector<size_t>{2, 0, 2, 2, 1, 1, 2});
  // Edges in key order: doc:gone, org:b->nowhere, person:c, person:d x2,
  // place:f, topic:g, zzz:gone.
  CHECK(direct.edge_in_view ==
        std::vector<bool>{false, false, true, true, true, true, true, false});
}
