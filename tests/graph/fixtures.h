// Test fixtures: small hand-made DocAnnotations (invented names) and a
// canonical text dump of a Graph, every field included, for byte comparison.
#pragma once

#include <string>

#include "eventgraph/annotation.h"
#include "eventgraph/graph.h"

namespace egtest {

inline eventgraph::Provenance prov(uint32_t b, uint32_t e, const std::string& rule) {
  return eventgraph::Provenance{b, e, rule};
}

inline eventgraph::OrgAnn org(const std::string& name, std::vector<std::string> aliases,
                              eventgraph::Provenance p) {
  eventgraph::OrgAnn o;
  o.name = name;
  o.aliases = std::move(aliases);
  o.mentions.push_back(p);
  return o;
}

inline eventgraph::PlaceAnn place(const std::string& name, const std::string& kind,
                                  eventgraph::Provenance p) {
  eventgraph::PlaceAnn o;
  o.name = name;
  o.kind = kind;
  o.mentions.push_back(p);
  return o;
}

inline eventgraph::Taxonomy test_taxonomy() {
  eventgraph::Taxonomy t;
  t.topics = {{"cybersecurity", "Cybersecurity"}, {"ai", "Artificial intelligence"}};
  return t;
}

inline eventgraph::EventAnn summit() {
  eventgraph::EventAnn e;
  e.title = "Summit on Example Things";
  e.start = "2024-05-02";
  e.end = "2024-05-03";
  e.places = {"Ljubljana", "Online"};
  e.organizers = {"Example Institute"};
  e.prov = prov(0, 24, "event.title");
  return e;
}

// Document a: a titled speaker at an org, a titled moderator of a state.
inline eventgraph::DocAnnotation ann_a() {
  using namespace eventgraph;
  DocAnnotation a;
  a.doc_id = "dir/a.txt";
  a.url = "https://example.org/a";
  a.title = "Summit page";
  a.event = summit();
  PersonAnn p;
  p.name = "Jelena Marković";
  p.roles = {RoleAnn{"Head of Research", "Example Institute", false, prov(40, 70, "role.comma")}};
  p.event_role = "speaker";
  p.mentions = {prov(30, 45, "person.list")};
  a.persons.push_back(p);
  PersonAnn q;
  q.name = "Ivo Horvat";
  q.roles = {RoleAnn{"Ambassador", "Croatia", true, prov(80, 100, "role.of")}};
  q.event_role = "moderator";
  q.mentions = {prov(75, 85, "person.led")};
  a.persons.push_back(q);
  a.organizations = {org("Example Institute", {"EI"}, prov(50, 67, "gaz.org"))};
  a.places = {place("Ljubljana", "City", prov(110, 119, "gaz.place")),
              place("Croatia", "Country", prov(95, 102, "gaz.place"))};
  a.topics = {"cybersecurity", "not-in-taxonomy"};
  return a;
}

// Document b: the same person without diacritics, seen twice, untitled
// affiliation; a participant; the same event.
inline eventgraph::DocAnnotation ann_b() {
  using namespace eventgraph;
  DocAnnotation b;
  b.doc_id = "b.txt";
  b.event = summit();
  PersonAnn p;
  p.name = "Jelena Markovic";
  p.aliases = {"Markovic"};
  p.roles = {RoleAnn{std::nullopt, "Example Institute", false, prov(10, 20, "role.from")}};
  p.event_role = "speaker";
  p.mentions = {prov(0, 15, "person.list"), prov(200, 208, "person.alias")};
  b.persons.push_back(p);
  PersonAnn q;
  q.name = "Ivo Horvat";
  q.event_role = "participant";
  q.mentions = {prov(30, 40, "person.list")};
  b.persons.push_back(q);
  b.organizations = {org("Example Institute", {"Example Inst."}, prov(10, 20, "gaz.org"))};
  b.topics = {"cybersecurity", "ai"};
  return b;
}

// Document c: no event; the accented form again (twice), a mentioned person.
inline eventgraph::DocAnnotation ann_c() {
  using namespace eventgraph;
  DocAnnotation c;
  c.doc_id = "c.txt";
  PersonAnn p;
  p.name = "Jelena Marković";
  p.roles = {RoleAnn{"Head of Research", "Example Institute", false, prov(5, 30, "role.comma")}};
  p.mentions = {prov(0, 4, "person.x"), prov(50, 54, "person.x")};
  c.persons.push_back(p);
  PersonAnn q;
  q.name = "Petra Novak";
  q.mentions = {prov(60, 71, "person.x")};
  c.persons.push_back(q);
  c.places = {place("Ljubljana", "", prov(80, 89, "gaz.place"))};
  return c;
}

inline std::string dump_sources(const std::set<eventgraph::Source>& s) {
  std::string out;
  for (const auto& x : s)
    out += " [" + x.doc + "@" + std::to_string(x.begin) + "-" + std::to_string(x.end) + "#" + x.rule + "]";
  return out;
}

// Every field of every node and edge, in the Graph's order.
inline std::string dump(const eventgraph::Graph& g) {
  std::string out;
  for (const auto& [id, n] : g.nodes()) {
    out += "N " + id + " " + eventgraph::to_string(n.type) + " '" + n.label + "' m=" +
           std::to_string(n.mentions) + " aliases:";
    for (const auto& a : n.aliases) out += " '" + a + "'";
    out += " attrs:";
    for (const auto& [k, v] : n.attrs) out += " " + k + "=" + v;
    out += " votes:";
    for (const auto& [k, v] : n.label_votes) out += " " + k + "=" + std::to_string(v);
    out += dump_sources(n.sources) + "\n";
  }
  for (const auto& [k, e] : g.edges()) {
    out += "E " + k.from + " -" + k.type + "/" + k.qualifier + "-> " + k.to +
           " w=" + std::to_string(e.weight) + " attrs:";
    for (const auto& [a, v] : e.attrs) out += " " + a + "=" + v;
    out += dump_sources(e.sources) + "\n";
  }
  return out;
}

}  // namespace egtest
