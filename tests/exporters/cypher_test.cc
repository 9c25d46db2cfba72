// Cypher exporter: constraints first, MERGE in UNWIND batches of at most 500
// rows, relationships by MATCH + MERGE, literals that read back exactly.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>

#include "eventgraph/graph.h"
#include "exporters/formats.h"
#include "testutil/testutil.h"

using namespace eventgraph;
using json = nlohmann::json;

namespace {

// Splits the script into statements (';' at a line end, outside comments).
std::vector<std::string> statements(const std::string& script) {
  std::vector<std::string> out;
  std::string cur;
  size_t pos = 0;
  while (pos < script.size()) {
    size_t nl = script.find('\n', pos);
    std::string line = script.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? script.size() : nl + 1;
    if (line.rfind("//", 0) == 0 || line.empty()) continue;
    cur += line + "\n";
    if (line.back() == ';') {
      out.push_back(cur);
      cur.clear();
    }
  }
  REQUIRE(cur.empty());
  return out;
}

// The UNWIND list of a statement as JSON: Cypher map keys (bare or
// backquoted) become JSON strings; string escapes are JSON-compatible.
json unwind_rows(const std::string& stmt) {
  size_t b = stmt.find("UNWIND [");
  size_t e = stmt.rfind("] AS row");
  REQUIRE(b != std::string::npos);
  REQUIRE(e != std::string::npos);
  std::string list = stmt.substr(b + 7, e - b - 6);
  // Only rewrite keys outside string literals.
  std::string out;
  bool in_str = false;
  for (size_t i = 0; i < list.size(); ++i) {
    char c = list[i];
    if (in_str) {
      out += c;
      if (c == '\\') out += list[++i];
      else if (c == '"') in_str = false;
      continue;
    }
    if (c == '"') { in_str = true; out += c; continue; }
    if (c == '`') {
      size_t end = list.find('`', i + 1);
      out += "\"" + list.substr(i + 1, end - i - 1) + "\"";
      i = end;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < list.size() && (std::isalnum(static_cast<unsigned char>(list[j])) || list[j] == '_')) ++j;
      std::string word = list.substr(i, j - i);
      if (j < list.size() && list[j] == ':') out += "\"" + word + "\"";
      else out += word;  // true/false/null are not used; numbers start with digits
      i = j - 1;
      continue;
    }
    out += c;
  }
  return json::parse(out);
}

}  // namespace

TEST_CASE("Cypher export: constraints, UNWIND batches, MERGE, exact literals", "[exporters]") {
  Graph g;
  for (int i = 0; i < 1201; ++i) {
    Node& n = g.upsert_node("person:p" + std::to_string(i), NodeType::Person, "P " + std::to_string(i));
    n.mentions = i;
  }
  Node& odd = g.upsert_node("person:odd", NodeType::Person, "Back\\slash \"quote\"\nnew\tline \x01 ünï");
  odd.aliases = {"O'Odd", "`tick`"};
  odd.attrs["jobTitle"] = "Chief \"of\" things";
  g.upsert_node("org:o", NodeType::Organization, "Org");
  g.upsert_node("event:e", NodeType::Event, "Event").attrs["startDate"] = "2024-06-11";
  g.upsert_edge({"person:odd", "org:o", "AFFILIATED_WITH", "Chief"}, 2).attrs["role"] = "Chief";
  g.upsert_edge({"person:odd", "event:e", "PARTICIPATED_IN", "speaker"}, 1).attrs["as"] = "speaker";
  g.upsert_edge({"person:p1", "event:e", "PARTICIPATED_IN", "moderator"}, 3).attrs["as"] = "moderator";
  g.upsert_edge({"person:odd", "org:nowhere", "AFFILIATED_WITH", ""}, 1);  // dangling

  egtest::TempDir dir;
  REQUIRE(export_cypher(g, dir.path(), ExportOptions{}).is_ok());
  std::string script = egtest::read_file(dir / "graph.cypher");
  auto stmts = statements(script);

  size_t first_merge = std::string::npos;
  std::set<std::string> constrained;
  std::map<std::string, json> person_rows;
  size_t person_batches = 0, rel_rows = 0;
  for (size_t i = 0; i < stmts.size(); ++i) {
    const std::string& s = stmts[i];
    std::smatch m;
    if (std::regex_search(s, m, std::regex(R"(^CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \(n:`(\w+)`\) REQUIRE n\.id IS UNIQUE;)"))) {
      CHECK(first_merge == std::string::npos);  // all constraints come first
      constrained.insert(m[1]);
      continue;
    }
    if (first_merge == std::string::npos) first_merge = i;
    json rows = unwind_rows(s);
    CHECK(rows.size() <= 500);
    CHECK(rows.size() >= 1);
    if (s.find("MERGE (n:`Person` {id: row.id})") != std::string::npos) {
      ++person_batches;
      CHECK(s.find("SET n.name = row.name, n.aliases = row.aliases, n.mentions = row.mentions, n += row.props;") != std::string::npos);
      for (const auto& r : rows) person_rows[r["id"]] = r;
    } else if (s.find("MERGE (a)-[r:") != std::string::npos) {
      CHECK(s.find("MATCH (a:") != std::string::npos);
      for (const auto& r : rows) {
        ++rel_rows;
        CHECK(g.find(r["from"]) != nullptr);
        CHECK(g.find(r["to"]) != nullptr);
      }
    }
  }
  CHECK(constrained == std::set<std::string>{"Person", "Organization", "Event"});
  CHECK(person_batches == 3);  // 1202 rows in batches of 500
  CHECK(person_rows.size() == 1202);
  CHECK(rel_rows == 3);
  const json& r = person_rows.at("person:odd");
  // The control character is dropped (sanitize_text); the rest reads back exactly.
  CHECK(r["name"] == "Back\\slash \"quote\"\nnew\tline  ünï");
  CHECK(r["aliases"] == json::array({"O'Odd", "`tick`"}));
  CHECK(r["props"]["jobTitle"] == "Chief \"of\" things");
  CHECK(person_rows.at("person:p7")["mentions"] == 7);
  CHECK(script.find("org:nowhere") == std::string::npos);
  CHECK(script.find("MERGE (a)-[r:`PARTICIPATED_IN` {qualifier: row.qualifier}]->(b)") != std::string::npos);
}
