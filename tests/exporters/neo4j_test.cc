// Neo4j bulk-import exporter: headers in neo4j-admin's format, id references,
// RFC 4180 quoting, and the import command naming every file.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "eventgraph/graph.h"
#include "exporters/formats.h"
#include "testutil/testutil.h"

using namespace eventgraph;
namespace fs = std::filesystem;

namespace {

using Row = std::vector<std::string>;

// An RFC 4180 reader, written independently of the exporter.
std::vector<Row> parse_csv(const std::string& text) {
  std::vector<Row> rows;
  Row row;
  std::string field;
  bool quoted = false, at_start = true;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') { field += '"'; ++i; }
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"' && at_start) { quoted = true; at_start = false; }
    else if (c == ',') { row.push_back(field); field.clear(); at_start = true; }
    else if (c == '\n') { row.push_back(field); rows.push_back(row); row.clear(); field.clear(); at_start = true; }
    else { REQUIRE(c != '"'); field += c; at_start = false; }
  }
  REQUIRE_FALSE(quoted);
  REQUIRE(field.empty());
  return rows;
}

Graph sample() {
  Graph g;
  Node& p = g.upsert_node("person:x", NodeType::Person, "Smith, \"Jo\"\nJunior");
  p.mentions = 3;
  p.aliases = {"J. Smith", "Smith;J"};
  p.attrs["jobTitle"] = "Chief, Things";
  g.upsert_node("org:acme", NodeType::Organization, "Acme");
  Node& pl = g.upsert_node("place:slovenia", NodeType::Place, "Slovenia");
  pl.attrs["placeKind"] = "Country";
  g.upsert_node("role:chief@acme", NodeType::Role, "Chief").attrs["roleName"] = "Chief";
  g.upsert_node("event:summit", NodeType::Event, "Summit").attrs["startDate"] = "2024-06-11";
  g.upsert_edge({"person:x", "role:chief@acme", "HOLDS_ROLE", ""}, 2);
  g.upsert_edge({"role:chief@acme", "org:acme", "ROLE_AT", ""}, 1);
  g.upsert_edge({"person:x", "event:summit", "PARTICIPATED_IN", "speaker"}, 1).attrs["as"] = "speaker";
  g.upsert_edge({"event:summit", "place:slovenia", "HELD_IN", ""}, 1);
  g.upsert_edge({"person:x", "org:gone", "AFFILIATED_WITH", ""}, 1);  // dangling: not exported
  return g;
}

}  // namespace

TEST_CASE("Neo4j export: headers, id references, quoting, import command", "[exporters]") {
  egtest::TempDir dir;
  Graph g = sample();
  REQUIRE(export_neo4j(g, dir.path(), ExportOptions{}).is_ok());
  std::string folder = dir / "neo4j";

  std::set<std::string> ids;
  std::map<std::string, Row> node_rows;  // by id
  std::vector<std::string> node_files, rel_files;
  size_t rels = 0;
  const std::regex prop_re(R"([A-Za-z_][A-Za-z0-9_]*(:(string|long|double|string\[\]))?)");
  for (const auto& entry : fs::directory_iterator(folder)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("nodes_", 0) != 0) continue;
    node_files.push_back(name);
    auto rows = parse_csv(egtest::read_file(entry.path().string()));
    REQUIRE(rows.size() >= 2);
    const Row& h = rows[0];
    CHECK(h.front() == "id:ID(Entity)");
    CHECK(h.back() == ":LABEL");
    for (size_t i = 1; i + 1 < h.size(); ++i) CHECK(std::regex_match(h[i], prop_re));
    std::string label = name.substr(6, name.size() - 10);
    for (size_t r = 1; r < rows.size(); ++r) {
      REQUIRE(rows[r].size() == h.size());
      CHECK(ids.insert(rows[r][0]).second);  // unique across all files
      node_rows[rows[r][0]] = rows[r];
      CHECK(rows[r].back().rfind(label, 0) == 0);  // first label = the file's label
    }
  }
  CHECK(ids.size() == g.nodes().size());
  for (const auto& entry : fs::directory_iterator(folder)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("rels_", 0) != 0) continue;
    rel_files.push_back(name);
    auto rows = parse_csv(egtest::read_file(entry.path().string()));
    const Row& h = rows.at(0);
    REQUIRE(h.size() >= 4);
    CHECK(h[0] == ":START_ID(Entity)");
    CHECK(h[1] == ":END_ID(Entity)");
    CHECK(h[2] == ":TYPE");
    CHECK(h[3] == "weight:double");
    for (size_t r = 1; r < rows.size(); ++r, ++rels) {
      REQUIRE(rows[r].size() == h.size());
      CHECK(ids.count(rows[r][0]));
      CHECK(ids.count(rows[r][1]));
      CHECK(name == "rels_" + rows[r][2] + ".csv");
      CHECK(std::stod(rows[r][3]) >= 1.0);
    }
  }
  CHECK(rels == 4);  // the dangling edge is left out

  // Quoting survives: the label with comma, quotes and newline reads back whole.
  const Row& person = node_rows.at("person:x");
  CHECK(person[1] == "Smith, \"Jo\"\nJunior");
  CHECK(person[2] == "J. Smith;Smith,J");  // ';' inside an element can't be the delimiter
  CHECK(node_rows.at("place:slovenia").back() == "Place;Country");

  std::string script = egtest::read_file(folder + "/import.sh");
  CHECK(script.find("neo4j-admin}\" database import full") != std::string::npos);
  CHECK(script.find("--array-delimiter=\";\"") != std::string::npos);
  for (const auto& f : node_files) CHECK(script.find("--nodes=" + f) != std::string::npos);
  for (const auto& f : rel_files) CHECK(script.find("--relationships=" + f) != std::string::npos);
  CHECK(fs::exists(folder + "/README.md"));
}
