// Fragments: round trip, malformed lines reported and skipped, and the
// shard/merge property: sharded graphs written as fragments and read back in
// any order give the same graph as one graph built from every annotation.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "eventgraph/fragments.h"
#include "eventgraph/graph.h"
#include "exporters/formats.h"
#include "testutil/testutil.h"

using namespace eventgraph;

namespace {

Taxonomy taxonomy() {
  Taxonomy t;
  t.topics = {{"t1", "Topic One"}, {"t2", "Topic Two"}, {"t3", "Topic Three"}};
  return t;
}

// Random annotations over a small invented vocabulary, so that documents
// share people, organisations, roles and events, with label variants.
std::vector<DocAnnotation> random_annotations(uint32_t seed, int count) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  const std::vector<std::string> people = {"Ana Example", "Bo Sample", "Cy Testperson", "Di Placeholder",
                                           "Ed Fictional", "Fa Invented"};
  const std::vector<std::string> orgs = {"Example Org", "Sample Institute", "Test Agency"};
  const std::vector<std::string> places = {"Examplestan", "Sampleton"};
  const std::vector<std::string> titles = {"Director", "Head of Unit", "Ambassador"};
  const std::vector<std::string> parts = {"speaker", "moderator", "participant", "mentioned"};
  std::vector<DocAnnotation> out;
  for (int d = 0; d < count; ++d) {
    DocAnnotation a;
    a.doc_id = "doc-" + std::to_string(d) + ".txt";
    if (pick(2)) a.url = "https://example.org/" + std::to_string(d);
    if (pick(3)) {
      EventAnn e;
      e.title = pick(2) ? "Example Summit" : "Sample Forum";
      e.start = "2024-0" + std::to_string(1 + pick(3)) + "-11";
      e.places = {places[pick(2)]};
      e.organizers = {orgs[pick(3)]};
      e.prov = {static_cast<uint32_t>(pick(50)), 60, "event.title"};
      a.event = e;
    }
    for (int i = 0, n = 1 + pick(4); i < n; ++i) {
      PersonAnn p;
      p.name = people[pick(people.size())];
      if (pick(3) == 0) p.name = p.name.substr(0, p.name.find(' ')) + " " + "X. " + p.name.substr(p.name.find(' ') + 1);
      // Same id, other label: the label vote decides, whatever the shard order.
      if (pick(3) == 0) std::transform(p.name.begin(), p.name.end(), p.name.begin(), ::toupper);
      if (pick(2)) p.aliases.push_back(p.name.substr(p.name.rfind(' ') + 1));
      RoleAnn r;
      if (pick(3)) r.title = titles[pick(3)];
      bool place = pick(4) == 0;
      r.org = place ? places[pick(2)] : orgs[pick(3)];
      r.org_is_place = place;
      r.prov = {static_cast<uint32_t>(pick(500)), 600, "role.r" + std::to_string(pick(3))};
      p.roles.push_back(r);
      p.event_role = parts[pick(4)];
      for (int m = 0, k = 1 + pick(3); m < k; ++m)
        p.mentions.push_back({static_cast<uint32_t>(pick(1000)), 1001, "person.p"});
      a.persons.push_back(p);
    }
    OrgAnn o;
    o.name = orgs[pick(3)];
    o.aliases = {"EO"};
    o.mentions = {Provenance{1, 5, "gaz.org"}};
    a.organizations.push_back(o);
    PlaceAnn pl;
    pl.name = places[pick(2)];
    pl.kind = pick(2) ? "Country" : "";
    pl.mentions = {Provenance{7, 9, "gaz.place"}};
    a.places.push_back(pl);
    a.topics = {"t" + std::to_string(1 + pick(3))};
    out.push_back(a);
  }
  return out;
}

}  // namespace

TEST_CASE("Fragments round-trip a graph exactly", "[exporters]") {
  Graph g;
  for (const auto& a : random_annotations(7, 12)) add_annotation(g, a, taxonomy());
  std::string text = to_fragments(g);
  REQUIRE_FALSE(text.empty());
  egtest::TempDir dir;
  REQUIRE(export_fragments(g, dir.path(), ExportOptions{}).is_ok());
  CHECK(egtest::read_file(dir / "graph.fragments.jsonl") == text);
  Graph back;
  CollectingReporter rep;
  REQUIRE(read_fragments(dir / "graph.fragments.jsonl", &back, &rep).is_ok());
  CHECK(rep.skipped() == 0);
  CHECK(back.nodes().size() == g.nodes().size());
  CHECK(back.edges().size() == g.edges().size());
  CHECK(to_fragments(back) == text);
  // Every line is one node or edge.
  size_t lines = std::count(text.begin(), text.end(), '\n');
  CHECK(lines == g.nodes().size() + g.edges().size());
}

TEST_CASE("Sharded graphs merged through fragments equal one graph of all", "[exporters]") {
  for (uint32_t seed : {1u, 2u, 3u, 42u, 1234u}) {
    auto anns = random_annotations(seed, 30);
    Graph whole;
    for (const auto& a : anns) add_annotation(whole, a, taxonomy());

    std::mt19937 rng(seed * 31 + 7);
    size_t shards = 2 + rng() % 4;
    std::vector<Graph> parts(shards);
    for (const auto& a : anns) add_annotation(parts[rng() % shards], a, taxonomy());
    egtest::TempDir dir;
    std::vector<std::string> files;
    for (size_t i = 0; i < shards; ++i) {
      files.push_back(dir / ("shard" + std::to_string(i) + ".jsonl"));
      REQUIRE(write_fragments(parts[i], files.back()).is_ok());
    }
    std::shuffle(files.begin(), files.end(), rng);
    Graph merged;
    CollectingReporter rep;
    for (const auto& f : files) REQUIRE(read_fragments(f, &merged, &rep).is_ok());
    CHECK(rep.skipped() == 0);
    INFO("seed " << seed << ", " << shards << " shards");
    CHECK(to_fragments(merged) == to_fragments(whole));
    egtest::TempDir a, b;
    REQUIRE(export_graphml(merged, a.path(), ExportOptions{}).is_ok());
    REQUIRE(export_graphml(whole, b.path(), ExportOptions{}).is_ok());
    CHECK(egtest::read_file(a / "graph.graphml") == egtest::read_file(b / "graph.graphml"));
    REQUIRE(export_jsonld(merged, a.path(), ExportOptions{}).is_ok());
    REQUIRE(export_jsonld(whole, b.path(), ExportOptions{}).is_ok());
    CHECK(egtest::read_file(a / "graph.jsonld") == egtest::read_file(b / "graph.jsonld"));
  }
}

TEST_CASE("Malformed fragment lines are reported with file:line and skipped", "[exporters]") {
  egtest::TempDir dir;
  std::string path = dir / "bad.jsonl";
  egtest::write_file(path,
                     "{\"kind\":\"node\",\"id\":\"person:a\",\"type\":\"Person\",\"label\":\"A\",\"mentions\":2}\n"
                     "{not json\n"
                     "\n"
                     "{\"kind\":\"node\",\"id\":\"person:b\",\"type\":\"Robot\",\"label\":\"B\"}\n"
                     "{\"kind\":\"edge\",\"from\":\"person:a\",\"to\":\"org:o\",\"type\":\"AFFILIATED_WITH\",\"weight\":\"x\"}\n"
                     "[1,2]\n"
                     "{\"kind\":\"what\"}\n"
                     "{\"kind\":\"node\",\"id\":\"person:c\",\"type\":\"Person\",\"label\":\"C\",\"mentions\":-1}\n"
                     "{\"kind\":\"node\",\"id\":\"org:o\",\"type\":\"Organization\",\"label\":\"O\",\"sources\":"
                     "[{\"doc\":\"d\",\"begin\":1,\"end\":2,\"rule\":\"r\"}]}\n"
                     "{\"kind\":\"edge\",\"from\":\"person:a\",\"to\":\"org:o\",\"type\":\"AFFILIATED_WITH\",\"weight\":2}");
  Graph g;
  CollectingReporter rep;
  REQUIRE(read_fragments(path, &g, &rep).is_ok());
  CHECK(rep.skipped() == 6);
  std::vector<uint64_t> lines;
  for (const auto& p : rep.problems()) {
    CHECK(p.file == path);
    lines.push_back(p.line);
  }
  CHECK(lines == std::vector<uint64_t>{2, 4, 5, 6, 7, 8});
  CHECK(g.nodes().size() == 2);
  REQUIRE(g.find("person:a"));
  CHECK(g.find("person:a")->mentions == 2);
  CHECK(g.find("org:o")->sources.size() == 1);
  REQUIRE(g.edges().size() == 1);
  CHECK(g.edges().begin()->second.weight == 2.0);
}

TEST_CASE("Reading a missing fragments file is an IO error", "[exporters]") {
  Graph g;
  CollectingReporter rep;
  Status s = read_fragments("/nonexistent/x.jsonl", &g, &rep);
  CHECK_FALSE(s.is_ok());
  CHECK(s.message().find("/nonexistent/x.jsonl") != std::string::npos);
}
