// Graph: ids, merge rules (associative, commutative), add_annotation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>

#include "eventgraph/graph.h"
#include "graph/fixtures.h"

using namespace eventgraph;
using egtest::dump;

namespace {

Graph from(const DocAnnotation& a) {
  Graph g;
  add_annotation(g, a, egtest::test_taxonomy());
  return g;
}

const Edge* find_edge(const Graph& g, const std::string& from, const std::string& to,
                      const std::string& type, const std::string& qualifier = "") {
  auto it = g.edges().find(EdgeKey{from, to, type, qualifier});
  return it == g.edges().end() ? nullptr : &it->second;
}

}  // namespace

TEST_CASE("make_id slugs names; diacritics and case do not split ids", "[graph]") {
  CHECK(make_id(NodeType::Person, "Jelena Marković") == "person:jelena-markovic");
  CHECK(make_id(NodeType::Person, "JELENA  markovic") == make_id(NodeType::Person, "Jelena Marković"));
  CHECK(make_id(NodeType::Organization, "Example & Co.") == "org:example-and-co");
  CHECK(make_id(NodeType::Place, "Zürich") == "place:zurich");
  CHECK(make_id(NodeType::Document, "dir/a.txt") == "doc:dir-a-txt");
  CHECK(role_id("Head of Research", "Example Institute") == "role:head-of-research@example-institute");
  CHECK(role_id("Head of Research", "") == "role:head-of-research");
  // Names with no letters at all still get distinct, stable ids.
  CHECK(make_id(NodeType::Person, "!!!") != make_id(NodeType::Person, "???"));
  CHECK(make_id(NodeType::Person, "!!!") == make_id(NodeType::Person, "!!!"));
}

TEST_CASE("node types and id prefixes round-trip", "[graph]") {
  const std::array<NodeType, 7> all = {NodeType::Person, NodeType::Organization, NodeType::Role,
                                       NodeType::Place,  NodeType::Event,        NodeType::Topic,
                                       NodeType::Document};
  const std::array<const char*, 7> prefixes = {"person", "org", "role", "place", "event", "topic", "doc"};
  for (size_t i = 0; i < all.size(); ++i) {
    NodeType t;
    REQUIRE(parse_node_type(to_string(all[i]), &t));
    CHECK(t == all[i]);
    CHECK(std::string(id_prefix(all[i])) == prefixes[i]);
  }
  NodeType t;
  CHECK_FALSE(parse_node_type("person", &t));
  CHECK_FALSE(parse_node_type("", &t));
}

TEST_CASE("Taxonomy::find", "[graph]") {
  Taxonomy t = egtest::test_taxonomy();
  REQUIRE(t.find("ai") != nullptr);
  CHECK(t.find("ai")->label == "Artificial intelligence");
  CHECK(t.find("nope") == nullptr);
}

TEST_CASE("merge rules: label votes, aliases, attrs, sources, weights", "[graph]") {
  Graph g;
  Node a;
  a.id = "person:x";
  a.label = "Xavér";
  a.mentions = 1;
  a.aliases = {"X."};
  a.attrs = {{"k", "zeta"}};
  Node b = a;
  b.label = "Xaver";
  b.mentions = 2;
  b.aliases = {"Xavér"};
  b.attrs = {{"k", "alpha"}, {"j", "1"}};
  g.merge_node(a);
  g.merge_node(b);
  const Node& n = *g.find("person:x");
  CHECK(n.label == "Xaver");  // more mentions
  CHECK(n.mentions == 3);
  CHECK(n.aliases == std::set<std::string>{"X.", "Xavér"});
  CHECK(n.attrs.at("k") == "alpha");  // smaller string wins
  CHECK(n.attrs.at("j") == "1");

  SECTION("a tie goes to the smaller string, whatever the order") {
    Graph g1, g2;
    Node p, q;
    p.id = q.id = "org:y";
    p.type = q.type = NodeType::Organization;
    p.label = "Yb";
    q.label = "Ya";
    p.mentions = q.mentions = 2;
    g1.merge_node(p);
    g1.merge_node(q);
    g2.merge_node(q);
    g2.merge_node(p);
    CHECK(g1.find("org:y")->label == "Ya");
    CHECK(g1.find("org:y")->aliases == std::set<std::string>{"Yb"});
    CHECK(dump(g1) == dump(g2));
  }

  SECTION("sources are capped at the kMaxSources smallest") {
    Graph h;
    Node& m = h.upsert_node("topic:t", NodeType::Topic, "T");
    for (int i = 20; i > 0; --i) h.add_source(m, Source{"d", uint32_t(i), uint32_t(i + 1), "r"});
    REQUIRE(m.sources.size() == kMaxSources);
    CHECK(m.sources.begin()->begin == 1);
    CHECK(std::prev(m.sources.end())->begin == kMaxSources);
  }

  SECTION("edges add weights and keep parallel edges apart by qualifier") {
    Graph h;
    h.upsert_edge(EdgeKey{"a", "b", "PARTICIPATED_IN", "speaker"});
    h.upsert_edge(EdgeKey{"a", "b", "PARTICIPATED_IN", "speaker"}, 2);
    h.upsert_edge(EdgeKey{"a", "b", "PARTICIPATED_IN", "moderator"});
    CHECK(h.edges().size() == 2);
    CHECK(h.edges().at(EdgeKey{"a", "b", "PARTICIPATED_IN", "speaker"}).weight == 3);
  }
}

TEST_CASE("merge is associative and commutative over real annotations", "[graph]") {
  const std::array<Graph, 3> parts = {from(egtest::ann_a()), from(egtest::ann_b()),
                                      from(egtest::ann_c())};
  // One graph built sequentially is the reference.
  Graph seq;
  for (const auto& a : {egtest::ann_a(), egtest::ann_b(), egtest::ann_c()})
    add_annotation(seq, a, egtest::test_taxonomy());
  const std::string expected = dump(seq);
  REQUIRE(!expected.empty());

  std::array<int, 3> order = {0, 1, 2};
  int orders = 0;
  do {
    Graph g;
    for (int i : order) g.merge(parts[i]);
    INFO("order " << order[0] << order[1] << order[2]);
    CHECK(dump(g) == expected);
    // (x + (y + z)) grouping.
    Graph yz = parts[order[1]];
    yz.merge(parts[order[2]]);
    Graph x = parts[order[0]];
    x.merge(yz);
    CHECK(dump(x) == expected);
    ++orders;
  } while (std::next_permutation(order.begin(), order.end()));
  CHECK(orders == 6);

  // Diacritics do not split the person, and the label is the form with more
  // mentions over all documents (accented: 1 + 2 = 3, plain: 2).
  const Node* p = seq.find("person:jelena-markovic");
  REQUIRE(p != nullptr);
  CHECK(p->label == "Jelena Marković");
  CHECK(p->aliases.count("Jelena Markovic") == 1);
  CHECK(p->aliases.count("Markovic") == 1);
  CHECK(p->mentions == 5);
  CHECK(seq.node_count(NodeType::Person) == 3);
}

TEST_CASE("add_annotation builds the contract's nodes and edges", "[graph]") {
  Graph g = from(egtest::ann_a());
  const std::string doc = "doc:dir-a-txt", jm = "person:jelena-markovic", ih = "person:ivo-horvat";
  const std::string ev = "event:summit-on-example-things-2024-05-02";
  const std::string ei = "org:example-institute";

  const Node* d = g.find(doc);
  REQUIRE(d != nullptr);
  CHECK(d->type == NodeType::Document);
  CHECK(d->label == "dir/a.txt");
  CHECK(d->attrs.at("url") == "https://example.org/a");
  CHECK(d->attrs.at("title") == "Summit page");

  const Node* e = g.find(ev);
  REQUIRE(e != nullptr);
  CHECK(e->attrs.at("startDate") == "2024-05-02");
  CHECK(e->attrs.at("endDate") == "2024-05-03");

  // Roles: titled role at an org and at a state.
  const std::string r1 = "role:head-of-research@example-institute";
  const std::string r2 = "role:ambassador@croatia";
  REQUIRE(g.find(r1) != nullptr);
  CHECK(g.find(r1)->attrs.at("roleName") == "Head of Research");
  CHECK(find_edge(g, jm, r1, "HOLDS_ROLE"));
  CHECK(find_edge(g, r1, ei, "ROLE_AT"));
  const Edge* aff = find_edge(g, jm, ei, "AFFILIATED_WITH", "Head of Research");
  REQUIRE(aff != nullptr);
  CHECK(aff->attrs.at("role") == "Head of Research");
  CHECK(aff->weight == 1);
  REQUIRE(aff->sources.size() == 1);
  CHECK(aff->sources.begin()->doc == "dir/a.txt");
  CHECK(aff->sources.begin()->begin == 40);
  CHECK(aff->sources.begin()->rule == "role.comma");
  CHECK(find_edge(g, ih, r2, "HOLDS_ROLE"));
  CHECK(find_edge(g, r2, "place:croatia", "ROLE_AT"));
  CHECK(g.find("place:croatia")->attrs.at("placeKind") == "Country");

  // Participation and event links.
  const Edge* part = find_edge(g, jm, ev, "PARTICIPATED_IN", "speaker");
  REQUIRE(part != nullptr);
  CHECK(part->attrs.at("as") == "speaker");
  CHECK(find_edge(g, ih, ev, "PARTICIPATED_IN", "moderator"));
  CHECK(find_edge(g, ev, ei, "ORGANIZED_BY"));
  CHECK(find_edge(g, ev, "place:ljubljana", "HELD_IN"));
  CHECK(find_edge(g, ev, "place:online", "HELD_IN"));
  REQUIRE(g.find("place:online") != nullptr);
  CHECK(g.find("place:online")->type == NodeType::Place);
  CHECK(g.find("place:online")->label == "Online");

  // Topics: label from the taxonomy, or the id when unknown.
  REQUIRE(g.find("topic:cybersecurity") != nullptr);
  CHECK(g.find("topic:cybersecurity")->label == "Cybersecurity");
  CHECK(g.find("topic:cybersecurity")->attrs.at("termCode") == "cybersecurity");
  CHECK(g.find("topic:cybersecurity")->attrs.at("scheme") == "digital-policy-topics");
  CHECK(g.find("topic:not-in-taxonomy")->label == "not-in-taxonomy");
  CHECK(find_edge(g, ev, "topic:cybersecurity", "ABOUT"));
  CHECK(find_edge(g, doc, "topic:cybersecurity", "ABOUT"));

  // MENTIONS: the document names every entity (not roles, not topics).
  for (const std::string& id : {jm, ih, ei, ev, std::string("place:ljubljana"),
                                std::string("place:croatia"), std::string("place:online")})
    CHECK(find_edge(g, doc, id, "MENTIONS"));
  CHECK_FALSE(find_edge(g, doc, r1, "MENTIONS"));
  CHECK_FALSE(find_edge(g, doc, "topic:cybersecurity", "MENTIONS"));
  CHECK(g.find(ei)->aliases == std::set<std::string>{"EI"});
  CHECK(g.find(jm)->mentions == 1);
}

TEST_CASE("add_annotation: untitled affiliation, participant, mentioned person", "[graph]") {
  Graph g = from(egtest::ann_b());
  const std::string jm = "person:jelena-markovic", ev = "event:summit-on-example-things-2024-05-02";
  const Edge* aff = find_edge(g, jm, "org:example-institute", "AFFILIATED_WITH");
  REQUIRE(aff != nullptr);
  CHECK(aff->attrs.count("role") == 0);
  CHECK(g.node_count(NodeType::Role) == 0);
  CHECK(find_edge(g, "person:ivo-horvat", ev, "PARTICIPATED_IN", "participant"));
  CHECK(g.find(jm)->mentions == 2);
  CHECK(find_edge(g, "doc:b-txt", jm, "MENTIONS")->sources.size() == 2);

  Graph c = from(egtest::ann_c());
  CHECK(c.find("person:petra-novak") != nullptr);
  CHECK(c.node_count(NodeType::Event) == 0);
  for (const auto& [k, e] : c.edges()) CHECK(k.type != "PARTICIPATED_IN");
  CHECK(c.find("place:ljubljana")->attrs.count("placeKind") == 0);
}

TEST_CASE("merge_edges gives what merge_edge one by one gives", "[graph]") {
  auto edge = [](const char* from, const char* to, const char* q, double w, uint32_t begin,
                 const char* title) {
    Edge e;
    e.key = EdgeKey{from, to, "AFFILIATED_WITH", q};
    e.weight = w;
    if (title[0] != '\0') e.attrs["role"] = title;
    for (uint32_t i = 0; i < 5; ++i) e.sources.insert(Source{"d", begin + i, begin + i + 1, "r"});
    return e;
  };
  // Unsorted, the same key more than once, keys already in the graph, keys
  // before, between and after the existing ones.
  std::vector<Edge> batch = {edge("p:b", "o:x", "", 1, 50, "B"), edge("p:a", "o:x", "", 1, 0, "Z"),
                             edge("p:b", "o:x", "", 2, 3, "A"),  edge("p:z", "o:y", "t", 1, 9, ""),
                             edge("p:c", "o:y", "", 1, 7, ""),   edge("p:a", "o:x", "", 1, 2, "Y"),
                             edge("p:0", "o:x", "", 1, 1, ""),   edge("p:c", "o:y", "", 4, 0, "")};
  Graph one, batched;
  for (Graph* g : {&one, &batched}) {
    g->merge_edge(edge("p:b", "o:x", "", 1, 100, "C"));
    g->merge_edge(edge("p:d", "o:x", "", 1, 100, ""));
  }
  for (const auto& e : batch) one.merge_edge(e);
  batched.merge_edges(std::vector<Edge>(batch));
  REQUIRE(batched.edges().size() == one.edges().size());
  CHECK(batched.edges().size() == 6);
  for (const auto& [key, e] : one.edges()) {
    INFO(key.from + " " + key.to);
    auto it = batched.edges().find(key);
    REQUIRE(it != batched.edges().end());
    CHECK(it->second.key == e.key);
    CHECK(it->second.weight == e.weight);
    CHECK(it->second.attrs == e.attrs);
    CHECK(it->second.sources == e.sources);
    CHECK(it->second.sources.size() <= kMaxSources);
  }
  CHECK(batched.edges().at(EdgeKey{"p:b", "o:x", "AFFILIATED_WITH", ""}).weight == 4);
  CHECK(batched.edges().at(EdgeKey{"p:b", "o:x", "AFFILIATED_WITH", ""}).attrs.at("role") == "A");
}
