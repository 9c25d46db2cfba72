// Kùzu bundle: DDL per node/rel table with every FROM..TO pair present, CSVs
// whose columns match the DDL (rel CSVs start with the two keys), COPY with
// HEADER=true for every file.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "eventgraph/graph.h"
#include "exporters/formats.h"
#include "testutil/testutil.h"

using namespace eventgraph;
namespace fs = std::filesystem;

namespace {

Graph sample() {
  Graph g;
  g.upsert_node("person:x", NodeType::Person, "X, \"the\" Person\nline").aliases = {"Xy", "X."};
  g.upsert_node("org:o", NodeType::Organization, "Org");
  g.upsert_node("place:p", NodeType::Place, "Land").attrs["placeKind"] = "Country";
  Node& r = g.upsert_node("role:r@o", NodeType::Role, "Head");
  r.attrs["roleName"] = "Head";
  g.upsert_node("role:r@p", NodeType::Role, "Envoy").attrs["roleName"] = "Envoy";
  g.upsert_node("event:e", NodeType::Event, "Event").attrs["startDate"] = "2024-01-01";
  g.upsert_edge({"person:x", "role:r@o", "HOLDS_ROLE", ""}, 1);
  g.upsert_edge({"role:r@o", "org:o", "ROLE_AT", ""}, 1);
  g.upsert_edge({"role:r@p", "place:p", "ROLE_AT", ""}, 2);
  g.upsert_edge({"person:x", "event:e", "PARTICIPATED_IN", "speaker"}, 1).attrs["as"] = "speaker";
  return g;
}

// Number of CSV columns in the first line (no quoted commas in headers).
size_t header_columns(const std::string& csv, std::string* first_line) {
  *first_line = csv.substr(0, csv.find('\n'));
  return std::count(first_line->begin(), first_line->end(), ',') + 1;
}

}  // namespace

TEST_CASE("Kuzu bundle: schema, CSVs and COPY script agree", "[exporters]") {
  egtest::TempDir dir;
  Graph g = sample();
  REQUIRE(export_kuzu(g, dir.path(), ExportOptions{}).is_ok());
  std::string folder = dir / "kuzu";
  std::string schema = egtest::read_file(folder + "/schema.cypher");
  std::string copy = egtest::read_file(folder + "/copy.cypher");

  // Node tables: one per type present, id primary key.
  std::map<std::string, size_t> columns;  // table -> property count in DDL
  std::regex node_re(R"(CREATE NODE TABLE IF NOT EXISTS `(\w+)`\((.*), PRIMARY KEY\(id\)\);)");
  for (auto it = std::sregex_iterator(schema.begin(), schema.end(), node_re); it != std::sregex_iterator(); ++it) {
    std::string cols = (*it)[2];
    columns[(*it)[1]] = std::count(cols.begin(), cols.end(), ',') + 1;
  }
  CHECK(columns.size() == 5);
  CHECK(columns.count("Person"));
  CHECK(columns.count("Role"));
  // ROLE_AT has both pairs that occur, and no others.
  CHECK(schema.find("CREATE REL TABLE IF NOT EXISTS `ROLE_AT`(FROM `Role` TO `Organization`, FROM `Role` TO `Place`, weight DOUBLE") != std::string::npos);
  CHECK(schema.find("FROM `Person` TO `Event`, weight DOUBLE, qualifier STRING, `as` STRING, sources STRING);") != std::string::npos);

  // Every COPY names an existing file with HEADER=true; node files' columns
  // match their DDL; rel files start with from,to.
  std::regex copy_re(R"(COPY `(\w+)` FROM '([^']+)' \(HEADER=true(, from='(\w+)', to='(\w+)')?\);)");
  size_t copies = 0, node_copies = 0;
  size_t pos_last_node = 0, pos_first_rel = std::string::npos;
  for (auto it = std::sregex_iterator(copy.begin(), copy.end(), copy_re); it != std::sregex_iterator(); ++it) {
    ++copies;
    std::string table = (*it)[1], file = (*it)[2];
    REQUIRE(fs::exists(folder + "/" + file));
    std::string csv = egtest::read_file(folder + "/" + file), header;
    size_t n = header_columns(csv, &header);
    if ((*it)[3].matched) {
      pos_first_rel = std::min<size_t>(pos_first_rel, it->position());
      CHECK(header.rfind("from,to,weight,qualifier", 0) == 0);
      CHECK(file == "rels_" + table + "_" + std::string((*it)[4]) + "_" + std::string((*it)[5]) + ".csv");
    } else {
      ++node_copies;
      pos_last_node = it->position();
      CHECK(n == columns.at(table));
      CHECK(header.rfind("id,name,aliases,mentions", 0) == 0);
    }
  }
  CHECK(node_copies == 5);
  CHECK(copies == 5 + 4);  // HOLDS_ROLE, ROLE_AT x2, PARTICIPATED_IN
  CHECK(pos_last_node < pos_first_rel);  // nodes load before relationships

  // Quoting: the tricky label is one quoted field with the quotes doubled and
  // the newline flattened (Kùzu's CSV reader takes no quoted newlines).
  std::string persons = egtest::read_file(folder + "/nodes_Person.csv");
  CHECK(persons.find("\"X, \"\"the\"\" Person line\"") != std::string::npos);
  CHECK(std::count(persons.begin(), persons.end(), '\n') == 2);
  CHECK(persons.find(",X.;Xy,") != std::string::npos);
}
