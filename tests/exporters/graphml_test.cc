// GraphML exporter: keys, values, determinism, well-formed XML whatever the
// input held (checked with Python's XML parser and byte by byte).
#include <catch2/catch.hpp>

#include <array>
#include <regex>

#include <tbb/task_arena.h>

#include "eventgraph/exporter.h"
#include "eventgraph/graph.h"
#include "eventgraph/graph_store.h"
#include "eventgraph/text.h"
#include "exporters/xml_escape.h"
#include "graph/fixtures.h"
#include "testutil/testutil.h"

using namespace eventgraph;

namespace {

std::string export_to_string(const Graph& g, const egtest::TempDir& tmp) {
  Status st = export_graph(g, "graphml", tmp.path(), ExportOptions{});
  REQUIRE(st.is_ok());
  return egtest::read_file(tmp / "graph.graphml");
}

Graph sample_graph() {
  Graph g;
  for (const auto& a : {egtest::ann_a(), egtest::ann_b(), egtest::ann_c()})
    add_annotation(g, a, egtest::test_taxonomy());
  return g;
}

// How many times `needle` occurs in `text`.
size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t p = 0; (p = text.find(needle, p)) != std::string::npos; ++p) ++n;
  return n;
}

// Parses with Python's expat-based parser; returns its complaint or "".
std::string python_parse_error(const std::string& path) {
  auto r = egtest::run("/usr/bin/python3 -c 'import sys, xml.dom.minidom; "
                       "xml.dom.minidom.parse(sys.argv[1])' '" + path + "'");
  return r.status == 0 ? "" : r.out;
}

}  // namespace

TEST_CASE("xml_escape escapes markup and repairs bad text", "[exporters]") {
  CHECK(xml_escape("a&b<c>\"d'") == "a&amp;b&lt;c&gt;&quot;d&apos;");
  CHECK(xml_escape(std::string("x\0y\x01z\tq\n", 9)) == "xyz\tq\n");
  CHECK(xml_escape("\xff") == "\xEF\xBF\xBD");
  CHECK(xml_escape("\xC3") == "\xEF\xBF\xBD");              // truncated
  CHECK(xml_escape("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  CHECK(xml_escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  CHECK(xml_escape("\xEF\xBF\xBE\xEF\xBF\xBF") == "");      // U+FFFE, U+FFFF
  CHECK(xml_escape("Kovačević ✓ 😀") == "Kovačević ✓ 😀");
  CHECK(sanitize_text("ok\x7f\x80") == "ok\x7f\xEF\xBF\xBD");
  // Plain runs copied whole meet escapes, bad bytes and \r at their edges.
  CHECK(xml_escape("ab\xC3" "cd&ef\r") == "ab\xEF\xBF\xBD" "cd&amp;ef&#13;");
  CHECK(xml_escape("<a>\x7f\xC3\xA9x") == "&lt;a&gt;\x7f\xC3\xA9x");
  CHECK(sanitize_text("a\rb\x01" "c&<") == "a\rbc&<");
}

TEST_CASE("GraphML declares keys and writes nodes, edges and measures", "[exporters]") {
  egtest::TempDir tmp;
  Graph g = sample_graph();
  const std::string xml = export_to_string(g, tmp);
  CHECK(python_parse_error(tmp / "graph.graphml") == "");

  for (const char* k : {"label", "type", "aliases", "sources", "placeKind", "roleName", "termCode",
                        "startDate", "url"})
    CHECK_THAT(xml, Catch::Contains(std::string("for=\"node\" attr.name=\"") + k + "\" attr.type=\"string\""));
  for (const char* k : {"mentions", "degree", "component"})
    CHECK_THAT(xml, Catch::Contains(std::string("for=\"node\" attr.name=\"") + k + "\" attr.type=\"int\""));
  CHECK_THAT(xml, Catch::Contains("for=\"edge\" attr.name=\"weight\" attr.type=\"double\""));
  for (const char* k : {"type", "label", "as", "role", "sources"})
    CHECK_THAT(xml, Catch::Contains(std::string("for=\"edge\" attr.name=\"") + k + "\""));
  CHECK_THAT(xml, Catch::Contains("edgedefault=\"directed\""));

  // One <node> per node, one <edge> per edge, ids e0.. in order.
  std::regex node_re("<node id=\""), edge_re("<edge id=\"e([0-9]+)\"");
  CHECK(size_t(std::distance(std::sregex_iterator(xml.begin(), xml.end(), node_re),
                             std::sregex_iterator())) == g.nodes().size());
  size_t expect = 0;
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), edge_re); it != std::sregex_iterator(); ++it)
    CHECK(std::stoul((*it)[1]) == expect++);
  CHECK(expect == g.edges().size());

  // Values: the person node with its label, alias, degree; an edge's weight
  // and provenance.
  CHECK_THAT(xml, Catch::Contains("<node id=\"person:jelena-markovic\">"));
  CHECK_THAT(xml, Catch::Contains(">Jelena Marković</data>"));
  CHECK_THAT(xml, Catch::Contains(">Jelena Markovic; Markovic</data>"));
  CHECK_THAT(xml, Catch::Contains(">2.0</data>"));  // PARTICIPATED_IN speaker seen twice
  CHECK_THAT(xml, Catch::Contains(">c.txt@5-30#role.comma; dir/a.txt@40-70#role.comma</data>"));
}

TEST_CASE("GraphML is identical whatever the merge order", "[exporters]") {
  std::array<Graph, 3> parts;
  const std::array<DocAnnotation, 3> anns = {egtest::ann_a(), egtest::ann_b(), egtest::ann_c()};
  for (size_t i = 0; i < 3; ++i) add_annotation(parts[i], anns[i], egtest::test_taxonomy());
  egtest::TempDir t1, t2, t3;
  Graph x, y, z;
  x.merge(parts[0]), x.merge(parts[1]), x.merge(parts[2]);
  y.merge(parts[2]), y.merge(parts[0]), y.merge(parts[1]);
  Graph bc = parts[1];
  bc.merge(parts[2]);
  z.merge(bc), z.merge(parts[0]);
  const std::string a = export_to_string(x, t1);
  CHECK(a == export_to_string(y, t2));
  CHECK(a == export_to_string(z, t3));
}

TEST_CASE("GraphML stays well-formed with controls, NUL and invalid UTF-8", "[exporters]") {
  egtest::TempDir tmp;
  DocAnnotation a;
  a.doc_id = std::string("bad\0doc\x01.txt", 13);
  a.title = "T\x0b<itle> & \"q\" \xff\xfe";
  PersonAnn p;
  p.name = std::string("Ana\0 \x1b[31mKo", 11) + "\xC3\x28" + "va\xC4\x8D" + "\xED\xA0\x80" + " </data>";
  p.aliases = {"]]>", "\xEF\xBF\xBF", "x\ry"};
  p.roles = {RoleAnn{std::string("Chief \x02 Officer"), std::string("Org \xf0\x28\x8c\x28"), false, {}}};
  p.event_role = "speaker";
  a.persons.push_back(p);
  EventAnn e;
  e.title = std::string("Ev\x7f\x85") + "ent";
  e.start = "2024-01-01\x01";
  a.event = e;
  Graph g;
  add_annotation(g, a, Taxonomy{});
  const std::string xml = export_to_string(g, tmp);
  CHECK(python_parse_error(tmp / "graph.graphml") == "");
  CHECK(is_valid_utf8(xml));
  for (unsigned char c : xml) CHECK((c >= 0x20 || c == '\n'));
  CHECK_THAT(xml, Catch::Contains("Ana"));
  CHECK_THAT(xml, Catch::Contains("&lt;/data&gt;"));
}

TEST_CASE("xml_plain_prefix is the part append_xml_escaped copies unchanged", "[exporters]") {
  for (std::string s : {std::string(""), std::string("doc:gen-1-00000000"), std::string("a&b"),
                        std::string("x\ry"), std::string("caf\xC3\xA9"), std::string("ok\x01"),
                        std::string("<t>"), std::string("tab\tnl\n'q'")}) {
    const size_t k = xml_plain_prefix(s);
    INFO(s);
    REQUIRE(k <= s.size());
    std::string escaped;
    append_xml_escaped(escaped, s);
    CHECK(escaped.compare(0, k, s, 0, k) == 0);
    if (k == s.size()) CHECK(escaped == s);
  }
  // It stops at the first byte that is not plain ASCII, even where the
  // escaper keeps the text (valid UTF-8): a cheap test, never a wrong one.
  CHECK(xml_plain_prefix("doc:gen-1-00000000") == 18);
  CHECK(xml_plain_prefix("a&b") == 1);
  CHECK(xml_plain_prefix("caf\xC3\xA9") == 3);
}

TEST_CASE("GraphML writes texts longer than its write buffer, and many nodes, whole", "[exporters]") {
  // The write pass buffers 1 MiB before it writes: a label of 1.5 MiB goes out
  // unbuffered, one that escapes to 2.5 MiB through the escaper, and 20,000
  // nodes and edges make the buffer fill and flush in the middle of elements.
  egtest::TempDir tmp;
  Graph g;
  const std::string big(3 << 19, 'x');
  std::string amp, amp_escaped;
  for (int i = 0; i < (1 << 18); ++i) amp += "a&b<", amp_escaped += "a&amp;b&lt;";
  g.upsert_node("person:big", NodeType::Person, big);
  g.upsert_node("person:amp", NodeType::Person, amp);
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const std::string id = "org:o" + std::to_string(i);
    g.upsert_node(id, NodeType::Organization, "Org " + std::to_string(i));
    g.upsert_edge(EdgeKey{"person:big", id, "AFFILIATED_WITH", ""});
  }
  const std::string xml = export_to_string(g, tmp);
  CHECK(xml.find(">" + big + "</data>") != std::string::npos);
  CHECK(xml.find(">" + amp_escaped + "</data>") != std::string::npos);
  CHECK(xml.find("<node id=\"org:o19999\">\n      <data key=\"d0\">Org 19999</data>") != std::string::npos);
  CHECK(xml.find("<edge id=\"e19999\" source=\"person:big\" target=\"org:o9999\">") != std::string::npos);
  const size_t nodes = count_of(xml, "<node id=");
  CHECK(nodes == size_t(n) + 2);
  CHECK(count_of(xml, "</node>\n") == nodes);
  CHECK(count_of(xml, "</edge>\n") == size_t(n));
  CHECK(xml.size() > (4u << 20));
  CHECK(xml.compare(xml.size() - 22, 22, "  </graph>\n</graphml>\n") == 0);
}

TEST_CASE("GraphML's edges written in batches on several threads are the one-thread file", "[exporters]") {
  // 9,000 edges are five batches of the write pipeline; one in seven ends at
  // a node that is not in the graph, so left-out edges fall inside batches
  // and at their edges, and the ids e0.. must still run without a gap.
  Graph g;
  const int n = 9000;
  size_t kept = 0;
  for (int i = 0; i < n; ++i) {
    const std::string from = "person:p" + std::to_string(i % 97);
    g.upsert_node(from, NodeType::Person, "P " + std::to_string(i % 97));
    const std::string to = "org:o" + std::to_string(i);
    if (i % 7 != 3) {
      g.upsert_node(to, NodeType::Organization, "Org <" + std::to_string(i) + ">");
      ++kept;
    }
    Edge& e = g.upsert_edge(EdgeKey{from, to, "AFFILIATED_WITH", ""}, 1 + i % 3);
    g.add_source(e, Source{"doc-" + std::to_string(i), uint32_t(i), uint32_t(i + 5), "rule.a&b"});
  }
  auto export_in = [](int threads, const GraphView& view, const egtest::TempDir& dir) {
    tbb::task_arena arena(threads);
    Status st;
    arena.execute([&] { st = export_graph(view, "graphml", dir.path(), ExportOptions{}); });
    REQUIRE(st.is_ok());
    return egtest::read_file(dir / "graph.graphml");
  };
  egtest::TempDir a, b, c, spill;
  const MemoryGraphView memory(g);
  const std::string one = export_in(1, memory, a);
  CHECK(export_in(4, memory, b) == one);
  // The same graph spilled (the cursor then decodes into the batches' edges).
  std::unique_ptr<GraphStore> store;
  GraphStoreOptions o{1, spill.path()};
  o.threads = 2;
  REQUIRE(GraphStore::open(o, &store).is_ok());
  store->graph().merge(g);
  REQUIRE(store->maybe_spill().is_ok());
  REQUIRE(store->finish().is_ok());
  REQUIRE(store->graph_in_memory() == nullptr);
  CHECK(export_in(4, *store, c) == one);

  CHECK(count_of(one, "</edge>\n") == kept);
  CHECK(one.find("<edge id=\"e" + std::to_string(kept - 1) + "\" ") != std::string::npos);
  CHECK(one.find("<edge id=\"e" + std::to_string(kept) + "\" ") == std::string::npos);
  CHECK(one.find("target=\"org:o3\"") == std::string::npos);
  CHECK(one.find("doc-8999@8999-9004#rule.a&amp;b") != std::string::npos);
  CHECK(python_parse_error(a / "graph.graphml") == "");
}

TEST_CASE("export_graph knows the formats and rejects others", "[exporters]") {
  CHECK(known_formats() ==
        std::vector<std::string>{"graphml", "jsonld", "gexf", "neo4j", "cypher", "kuzu", "fragments"});
  CHECK(is_known_format("jsonld"));
  CHECK_FALSE(is_known_format("GraphML"));
  Graph g;
  egtest::TempDir tmp;
  Status st = export_graph(g, "dot", tmp.path(), ExportOptions{});
  REQUIRE_FALSE(st.is_ok());
  CHECK_THAT(st.message(), Catch::Contains("dot"));
  st = export_graph(g, "graphml", tmp / "missing", ExportOptions{});
  REQUIRE_FALSE(st.is_ok());
  CHECK_THAT(st.message(), Catch::Contains(tmp / "missing"));
  REQUIRE(export_graph(g, "graphml", tmp.path(), ExportOptions{}).is_ok());
  CHECK(python_parse_error(tmp / "graph.graphml") == "");
}
