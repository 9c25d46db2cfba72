// JSON-LD exporter: parses, has DESIGN.md's shapes and property names, and
// survives bad text.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "eventgraph/exporter.h"
#include "eventgraph/graph.h"
#include "eventgraph/text.h"
#include "graph/fixtures.h"
#include "testutil/testutil.h"

using namespace eventgraph;
using Json = nlohmann::json;

namespace {

std::string export_text(const Graph& g, const egtest::TempDir& tmp, const ExportOptions& o = {}) {
  REQUIRE(export_graph(g, "jsonld", tmp.path(), o).is_ok());
  return egtest::read_file(tmp / "graph.jsonld");
}

// @graph as a map from @id to node.
std::map<std::string, Json> by_id(const Json& doc) {
  std::map<std::string, Json> m;
  for (const auto& n : doc.at("@graph")) m[n.at("@id").get<std::string>()] = n;
  return m;
}

Graph sample_graph() {
  Graph g;
  for (const auto& a : {egtest::ann_a(), egtest::ann_b(), egtest::ann_c()})
    add_annotation(g, a, egtest::test_taxonomy());
  return g;
}

const std::string kB = "urn:eventgraph:";

}  // namespace

TEST_CASE("JSON-LD has the inline context and one object per node", "[exporters]") {
  egtest::TempDir tmp;
  Graph g = sample_graph();
  Json doc = Json::parse(export_text(g, tmp));
  const Json& ctx = doc.at("@context");
  CHECK(ctx.at("@vocab") == "https://schema.org/");
  CHECK(ctx.at("xsd") == "http://www.w3.org/2001/XMLSchema#");
  CHECK(ctx.at("startDate").at("@type") == "xsd:date");
  CHECK(ctx.at("endDate").at("@type") == "xsd:date");
  auto nodes = by_id(doc);
  for (const auto& [id, n] : g.nodes()) CHECK(nodes.count(kB + id) == 1);
  // Plus the topic scheme.
  CHECK(nodes.at(kB + "topics:digital-policy-topics").at("@type") == "DefinedTermSet");
  CHECK(nodes.size() == g.nodes().size() + 1);
}

TEST_CASE("JSON-LD shapes follow DESIGN.md", "[exporters]") {
  egtest::TempDir tmp;
  auto n = by_id(Json::parse(export_text(sample_graph(), tmp)));
  const std::string ev = kB + "event:summit-on-example-things-2024-05-02";

  SECTION("persons, roles and affiliations") {
    const Json& jm = n.at(kB + "person:jelena-markovic");
    CHECK(jm.at("@type") == "Person");
    CHECK(jm.at("name") == "Jelena Marković");
    CHECK(jm.at("alternateName") == Json::array({"Jelena Markovic", "Markovic"}));
    CHECK(jm.at("jobTitle") == "Head of Research");
    // Titled role -> OrganizationRole; untitled affiliation -> the org itself.
    CHECK(jm.at("affiliation") ==
          Json::array({{{"@id", kB + "role:head-of-research@example-institute"}},
                       {{"@id", kB + "org:example-institute"}}}));
    const Json& role = n.at(kB + "role:head-of-research@example-institute");
    CHECK(role.at("@type") == "OrganizationRole");
    CHECK(role.at("roleName") == "Head of Research");
    CHECK(role.at("affiliation") == Json{{"@id", kB + "org:example-institute"}});

    const Json& ih = n.at(kB + "person:ivo-horvat");
    CHECK(ih.at("affiliation") == Json{{"@id", kB + "role:ambassador@croatia"}});
    CHECK(n.at(kB + "role:ambassador@croatia").at("affiliation") ==
          Json{{"@id", kB + "place:croatia"}});
    CHECK(n.at(kB + "person:petra-novak").count("affiliation") == 0);
    CHECK(n.at(kB + "person:petra-novak").count("jobTitle") == 0);
  }

  SECTION("places and organisations") {
    CHECK(n.at(kB + "place:croatia").at("@type") == Json::array({"Place", "Country"}));
    CHECK(n.at(kB + "place:ljubljana").at("@type") == Json::array({"Place", "City"}));
    CHECK(n.at(kB + "place:online").at("@type") == "Place");
    CHECK(n.at(kB + "place:online").at("name") == "Online");
    const Json& org = n.at(kB + "org:example-institute");
    CHECK(org.at("@type") == "Organization");
    CHECK(org.at("name") == "Example Institute");
    CHECK(org.at("alternateName") == Json::array({"EI", "Example Inst."}));
  }

  SECTION("events") {
    const Json& e = n.at(ev);
    CHECK(e.at("@type") == "Event");
    CHECK(e.at("name") == "Summit on Example Things");
    CHECK(e.at("startDate") == "2024-05-02");
    CHECK(e.at("endDate") == "2024-05-03");
    CHECK(e.at("location") == Json::array({{{"@id", kB + "place:ljubljana"}}, {{"@id", kB + "place:online"}}}));
    CHECK(e.at("organizer") == Json{{"@id", kB + "org:example-institute"}});
    CHECK(e.at("about") == Json::array({{{"@id", kB + "topic:ai"}},
                                        {{"@id", kB + "topic:cybersecurity"}},
                                        {{"@id", kB + "topic:not-in-taxonomy"}}}));
    // ivo-horvat is a moderator (doc a) and a participant (doc b).
    CHECK(e.at("performer") ==
          Json::array({{{"@type", "PerformanceRole"}, {"roleName", "moderator"},
                        {"performer", {{"@id", kB + "person:ivo-horvat"}}}},
                       {{"@type", "PerformanceRole"}, {"roleName", "speaker"},
                        {"performer", {{"@id", kB + "person:jelena-markovic"}}}}}));
    CHECK(e.at("attendee") == Json::array({{{"@id", kB + "person:ivo-horvat"}}}));
  }

  SECTION("topics and documents") {
    const Json& t = n.at(kB + "topic:cybersecurity");
    CHECK(t.at("@type") == "DefinedTerm");
    CHECK(t.at("termCode") == "cybersecurity");
    CHECK(t.at("name") == "Cybersecurity");
    CHECK(t.at("inDefinedTermSet") == Json{{"@id", kB + "topics:digital-policy-topics"}});
    const Json& d = n.at(kB + "doc:dir-a-txt");
    CHECK(d.at("@type") == "CreativeWork");
    CHECK(d.at("identifier") == "dir/a.txt");
    CHECK(d.at("url") == "https://example.org/a");
    CHECK(d.at("name") == "Summit page");
    CHECK(d.at("about").size() == 2);
    CHECK(d.at("mentions").size() == 7);
    CHECK(n.at(kB + "doc:c-txt").count("url") == 0);
  }
}

TEST_CASE("JSON-LD uses the base IRI and is deterministic", "[exporters]") {
  egtest::TempDir t1, t2;
  ExportOptions o;
  o.base_iri = "https://example.org/kg/";
  const std::string a = export_text(sample_graph(), t1, o);
  CHECK(a == export_text(sample_graph(), t2, o));
  auto n = by_id(Json::parse(a));
  CHECK(n.count("https://example.org/kg/person:ivo-horvat") == 1);
  CHECK(a.find("urn:eventgraph:") == std::string::npos);
}

TEST_CASE("JSON-LD escapes a base IRI that needs it in every @id", "[exporters]") {
  // Plain ids are appended as they are; a base IRI with a quote or a
  // backslash must still come out escaped, in node ids and in references.
  egtest::TempDir tmp;
  ExportOptions o;
  o.base_iri = "urn:a\"b\\c:";
  const std::string text = export_text(sample_graph(), tmp, o);
  Json doc;
  REQUIRE_NOTHROW(doc = Json::parse(text));
  auto n = by_id(doc);
  REQUIRE(n.count("urn:a\"b\\c:person:ivo-horvat") == 1);
  size_t refs = 0;
  for (const auto& node : doc.at("@graph")) {
    CHECK(node.at("@id").get<std::string>().rfind("urn:a\"b\\c:", 0) == 0);
    for (const auto& [k, v] : node.items())
      for (const auto& r : v.is_array() ? v : Json::array({v}))
        if (r.is_object() && r.contains("@id")) {
          CHECK(n.count(r.at("@id").get<std::string>()) == 1);
          ++refs;
        }
  }
  CHECK(refs > 0);
}

TEST_CASE("JSON-LD stays valid UTF-8 JSON with controls and invalid bytes", "[exporters]") {
  egtest::TempDir tmp;
  DocAnnotation a;
  a.doc_id = std::string("d\0c\x01", 4);
  a.url = "http://x/\xff";
  PersonAnn p;
  p.name = std::string("Ana \x1b", 5) + "\xC3\x28" + "Kova\xC4\x8D" + "\xED\xA0\x80\"";
  p.aliases = {std::string("\xc0\xaf"), "\xEF\xBF\xBE"};
  p.roles = {RoleAnn{std::string("T\x02itle"), std::string("Org\xF5"), false, {}}};
  a.persons.push_back(p);
  Graph g;
  add_annotation(g, a, Taxonomy{});
  const std::string text = export_text(g, tmp);
  CHECK(is_valid_utf8(text));
  Json doc;
  REQUIRE_NOTHROW(doc = Json::parse(text));
  bool found = false;
  for (const auto& n : doc.at("@graph")) {
    if (n.at("@type") != "Person") continue;
    found = true;
    const std::string name = n.at("name");
    CHECK(name.find('\x1b') == std::string::npos);
    CHECK_THAT(name, Catch::Contains("Kovač"));
    CHECK_THAT(name, Catch::Contains("\xEF\xBF\xBD"));
  }
  CHECK(found);
}

TEST_CASE("JSON-LD writes each node as nlohmann's compact dump of the same object", "[exporters]") {
  // The writer streams its objects by hand; each line of @graph must read back
  // as JSON whose compact dump (ordered keys, nlohmann's escaping) is that line,
  // byte for byte, quotes, backslashes, tabs and line breaks included.
  egtest::TempDir tmp;
  Graph g = sample_graph();
  DocAnnotation a;
  a.doc_id = "d\"q\\b";
  a.url = "http://x/?a=\"1\"&b=\\2";
  a.title = "Tab\there, \"quoted\" and back\\slash\nnext line";
  PersonAnn p;
  p.name = "Ana \"AJ\" Ro\\e";
  p.aliases = {"A.\tRoe", "Ana\r\nRoe"};
  p.roles = {RoleAnn{"Head \"of\" Data", "Acme\\Corp", false, {}}};
  a.persons.push_back(p);
  add_annotation(g, a, egtest::test_taxonomy());
  const std::string text = export_text(g, tmp);
  size_t lines = 0;
  for (size_t at = text.find("\n  {"); at != std::string::npos; at = text.find("\n  {", at + 1)) {
    size_t end = text.find('\n', at + 1);
    std::string line = text.substr(at + 3, end - at - 3);
    if (!line.empty() && line.back() == ',') line.pop_back();
    nlohmann::ordered_json j;
    REQUIRE_NOTHROW(j = nlohmann::ordered_json::parse(line));
    CHECK(j.dump() == line);
    ++lines;
  }
  CHECK(lines == Json::parse(text).at("@graph").size());
  CHECK_THAT(text, Catch::Contains(R"(Ana \"AJ\" Ro\\e)"));
  CHECK_THAT(text, Catch::Contains(R"(A.\tRoe)"));
}
