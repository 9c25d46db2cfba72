// GEXF exporter: well-formed XML 1.3 with viz colour/size, attributes, weights.
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>

#include "eventgraph/graph.h"
#include "exporters/formats.h"
#include "testutil/testutil.h"

using namespace eventgraph;
namespace pt = boost::property_tree;

namespace {

Graph tricky_graph() {
  Graph g;
  Node& p = g.upsert_node("person:a-b", NodeType::Person, "A & B <\"quoted\"> 'x'");
  p.mentions = 7;
  p.aliases = {"Al\x01ias", "bad \xff\xfe bytes"};
  p.attrs["jobTitle"] = "Head, R&D";
  Node& o = g.upsert_node("org:o", NodeType::Organization, "Org\nwith newline");
  o.mentions = 0;
  Node& r = g.upsert_node("role:head@o", NodeType::Role, "Head");
  r.attrs["roleName"] = "Head";
  Edge& e = g.upsert_edge(EdgeKey{"person:a-b", "role:head@o", "HOLDS_ROLE", ""}, 3);
  g.add_source(e, Source{"doc1", 1, 5, "rule<1>"});
  g.upsert_edge(EdgeKey{"role:head@o", "org:o", "ROLE_AT", ""}, 1);
  Edge& pa = g.upsert_edge(EdgeKey{"person:a-b", "org:o", "AFFILIATED_WITH", "Head"}, 2);
  pa.attrs["role"] = "Head";
  return g;
}

pt::ptree parse(const std::string& xml) {
  std::istringstream in(xml);
  pt::ptree tree;
  pt::read_xml(in, tree);  // throws on malformed XML
  return tree;
}

// attvalue for=ID -> value, inside a node or edge element.
std::map<std::string, std::string> attvalues(const pt::ptree& el) {
  std::map<std::string, std::string> out;
  for (const auto& [name, av] : el.get_child("attvalues"))
    if (name == "attvalue") out[av.get<std::string>("<xmlattr>.for")] = av.get<std::string>("<xmlattr>.value");
  return out;
}

}  // namespace

TEST_CASE("GEXF export is well-formed GEXF 1.3 with viz and attributes", "[exporters]") {
  egtest::TempDir dir;
  Graph g = tricky_graph();
  REQUIRE(export_gexf(g, dir.path(), ExportOptions{}).is_ok());
  std::string xml = egtest::read_file(dir / "graph.gexf");
  REQUIRE_NOTHROW(parse(xml));
  pt::ptree tree = parse(xml);
  const pt::ptree& root = tree.get_child("gexf");
  CHECK(root.get<std::string>("<xmlattr>.xmlns") == "http://gexf.net/1.3");
  CHECK(root.get<std::string>("<xmlattr>.xmlns:viz") == "http://gexf.net/1.3/viz");
  CHECK(root.get<std::string>("<xmlattr>.version") == "1.3");
  const pt::ptree& graph = root.get_child("graph");
  CHECK(graph.get<std::string>("<xmlattr>.defaultedgetype") == "directed");

  std::map<std::string, const pt::ptree*> nodes;
  for (const auto& [name, n] : graph.get_child("nodes")) nodes[n.get<std::string>("<xmlattr>.id")] = &n;
  REQUIRE(nodes.size() == 3);
  const pt::ptree& person = *nodes.at("person:a-b");
  CHECK(person.get<std::string>("<xmlattr>.label") == "A & B <\"quoted\"> 'x'");
  auto av = attvalues(person);
  CHECK(av.at("n:type") == "Person");
  CHECK(av.at("n:mentions") == "7");
  CHECK(av.at("n:jobTitle") == "Head, R&D");
  // The control character is dropped and bad bytes replaced, never copied.
  CHECK(av.at("n:aliases").find('\x01') == std::string::npos);
  CHECK(av.at("n:aliases").find("\xEF\xBF\xBD") != std::string::npos);
  double size = person.get<double>("viz:size.<xmlattr>.value");
  CHECK(size == Approx(5 + 3 * std::log2(8.0)));
  CHECK(nodes.at("org:o")->get<double>("viz:size.<xmlattr>.value") == Approx(5.0));
  // Colour is by type: two nodes of different types differ, and is a valid RGB.
  auto color = [](const pt::ptree& n) {
    return n.get<std::string>("viz:color.<xmlattr>.r") + "," + n.get<std::string>("viz:color.<xmlattr>.g") +
           "," + n.get<std::string>("viz:color.<xmlattr>.b");
  };
  CHECK(color(person) != color(*nodes.at("org:o")));
  CHECK(color(*nodes.at("role:head@o")) != color(*nodes.at("org:o")));

  int edges = 0;
  for (const auto& [name, e] : graph.get_child("edges")) {
    ++edges;
    std::string type = attvalues(e).at("e:type");
    CHECK(e.get<std::string>("<xmlattr>.label") == type);
    if (type == "HOLDS_ROLE") {
      CHECK(e.get<double>("<xmlattr>.weight") == 3.0);
      CHECK(attvalues(e).at("e:sources") == "doc1@1-5#rule<1>");
    }
    if (type == "AFFILIATED_WITH") CHECK(attvalues(e).at("e:role") == "Head");
  }
  CHECK(edges == 3);
  // Every attvalue refers to a declared attribute.
  std::set<std::string> declared;
  for (const auto& [name, attrs] : graph)
    if (name == "attributes")
      for (const auto& [n2, a] : attrs)
        if (n2 == "attribute") declared.insert(a.get<std::string>("<xmlattr>.id"));
  for (const auto& [id, n] : nodes)
    for (const auto& [k, v] : attvalues(*n)) CHECK(declared.count(k));
}

TEST_CASE("GEXF export skips edges whose end is not a node and is deterministic", "[exporters]") {
  egtest::TempDir a, b;
  Graph g = tricky_graph();
  g.upsert_edge(EdgeKey{"person:a-b", "org:missing", "AFFILIATED_WITH", ""}, 1);
  REQUIRE(export_gexf(g, a.path(), ExportOptions{}).is_ok());
  REQUIRE(export_gexf(g, b.path(), ExportOptions{}).is_ok());
  std::string xml = egtest::read_file(a / "graph.gexf");
  CHECK(xml == egtest::read_file(b / "graph.gexf"));
  CHECK(xml.find("org:missing") == std::string::npos);
  CHECK_NOTHROW(parse(xml));
}

TEST_CASE("GEXF export of an empty graph is valid", "[exporters]") {
  egtest::TempDir dir;
  REQUIRE(export_gexf(Graph{}, dir.path(), ExportOptions{}).is_ok());
  CHECK_NOTHROW(parse(egtest::read_file(dir / "graph.gexf")));
}
