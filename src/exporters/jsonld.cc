// JSON-LD exporter: graph.jsonld, schema.org terms with an inline @context
// (DESIGN.md "JSON-LD maps onto schema.org").
//
// Layout: {"@context": {...}, "@graph": [ one node object per line ]}, nodes
// in id order, then one DefinedTermSet per topic scheme in use.
//   Person        name, alternateName[], jobTitle (one: string, several:
//                 array), affiliation -> OrganizationRole (titled role at a
//                 body) or -> the body itself (affiliation without a title)
//   Role          OrganizationRole: roleName, affiliation -> body
//   Organization  name, alternateName[]
//   Place         ["Place","Country"] / ["Place","City"] when placeKind says
//   Event         name, startDate, endDate (xsd:date), location[], organizer,
//                 about[], performer[] -> PerformanceRole {roleName, performer}
//                 (speaker, moderator, organiser ...), attendee[] (participant)
//   Topic         DefinedTerm: termCode, name, inDefinedTermSet
//   Document      CreativeWork: identifier, name (title), url, about[], mentions[]
// A single-valued link (affiliation, organizer) is an object when there is
// one target and an array when there are more; list links are always arrays.
// @id = base IRI + node id. Every string is sanitised first (invalid UTF-8 ->
// U+FFFD, XML-forbidden controls dropped), so the output is always valid UTF-8.
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "exporters/atomic_file.h"
#include "exporters/formats.h"
#include "exporters/xml_escape.h"

namespace eventgraph {
namespace {

using Json = nlohmann::ordered_json;

class JsonLdWriter {
 public:
  JsonLdWriter(const Graph& g, const ExportOptions& o)
      : g_(g), base_(sanitize_text(o.base_iri)) {
    for (const auto& [key, e] : g.edges())
      if (key.type == "PARTICIPATED_IN") participants_[key.to].push_back(&e);
  }

  // Streams the document through `w`, one node at a time.
  void write(AtomicFileWriter& w) const;

 private:
  Json ref(const std::string& id) const { return Json{{"@id", base_ + sanitize_text(id)}}; }
  std::vector<const Edge*> out_edges(const std::string& id, const char* type) const;
  std::vector<std::string> targets(const std::string& id, const char* type) const;
  // Adds `key` as a list of references (omitted when empty).
  void refs(Json& j, const char* key, const std::vector<std::string>& ids, bool single_as_object) const;
  void names(Json& j, const Node& n) const;

  Json node(const Node& n) const;
  void person(Json& j, const Node& n) const;
  void role(Json& j, const Node& n) const;
  void place(Json& j, const Node& n) const;
  void event(Json& j, const Node& n) const;
  void topic(Json& j, const Node& n) const;
  void document(Json& j, const Node& n) const;

  const Graph& g_;
  std::string base_;
  std::map<std::string, std::vector<const Edge*>> participants_;  // event id -> edges
};

std::vector<const Edge*> JsonLdWriter::out_edges(const std::string& id, const char* type) const {
  std::vector<const Edge*> v;
  for (auto it = g_.edges().lower_bound(EdgeKey{id, "", "", ""});
       it != g_.edges().end() && it->first.from == id; ++it) {
    if (it->first.type == type && g_.find(it->first.to) != nullptr) v.push_back(&it->second);
  }
  return v;
}

std::vector<std::string> JsonLdWriter::targets(const std::string& id, const char* type) const {
  std::vector<std::string> v;
  for (const Edge* e : out_edges(id, type))
    if (v.empty() || v.back() != e->key.to) v.push_back(e->key.to);
  return v;
}

void JsonLdWriter::refs(Json& j, const char* key, const std::vector<std::string>& ids,
                        bool single_as_object) const {
  if (ids.empty()) return;
  if (single_as_object && ids.size() == 1) {
    j[key] = ref(ids[0]);
    return;
  }
  Json arr = Json::array();
  for (const auto& id : ids) arr.push_back(ref(id));
  j[key] = std::move(arr);
}

void JsonLdWriter::names(Json& j, const Node& n) const {
  j["name"] = sanitize_text(n.label);
  if (n.aliases.empty()) return;
  Json arr = Json::array();
  for (const auto& a : n.aliases) arr.push_back(sanitize_text(a));
  j["alternateName"] = std::move(arr);
}

std::string attr_or(const Node& n, const char* key, const std::string& fallback) {
  auto it = n.attrs.find(key);
  return it == n.attrs.end() ? fallback : it->second;
}

void JsonLdWriter::person(Json& j, const Node& n) const {
  j["@type"] = "Person";
  names(j, n);
  std::vector<std::string> titles, affiliations;
  std::set<std::string> seen_titles;
  for (const Edge* e : out_edges(n.id, "HOLDS_ROLE")) {
    const Node* r = g_.find(e->key.to);
    std::string title = sanitize_text(attr_or(*r, "roleName", r->label));
    if (seen_titles.insert(title).second) titles.push_back(title);
    if (!out_edges(r->id, "ROLE_AT").empty()) affiliations.push_back(r->id);
  }
  for (const Edge* e : out_edges(n.id, "AFFILIATED_WITH"))
    if (e->key.qualifier.empty()) affiliations.push_back(e->key.to);
  if (titles.size() == 1) j["jobTitle"] = titles[0];
  if (titles.size() > 1) j["jobTitle"] = titles;
  refs(j, "affiliation", affiliations, true);
}

void JsonLdWriter::role(Json& j, const Node& n) const {
  j["@type"] = "OrganizationRole";
  j["roleName"] = sanitize_text(attr_or(n, "roleName", n.label));
  refs(j, "affiliation", targets(n.id, "ROLE_AT"), true);
}

void JsonLdWriter::place(Json& j, const Node& n) const {
  const std::string kind = attr_or(n, "placeKind", "");
  if (kind == "Country" || kind == "City") {
    j["@type"] = Json::array({"Place", kind});
  } else {
    j["@type"] = "Place";
  }
  names(j, n);
}

void JsonLdWriter::event(Json& j, const Node& n) const {
  j["@type"] = "Event";
  // An untitled event (the text names none) has no schema:name.
  if (attr_or(n, "untitled", "") != "true") j["name"] = sanitize_text(n.label);
  for (const char* key : {"startDate", "endDate"}) {
    auto it = n.attrs.find(key);
    if (it != n.attrs.end()) j[key] = sanitize_text(it->second);
  }
  refs(j, "location", targets(n.id, "HELD_IN"), false);
  refs(j, "organizer", targets(n.id, "ORGANIZED_BY"), true);
  refs(j, "about", targets(n.id, "ABOUT"), false);
  auto it = participants_.find(n.id);
  if (it == participants_.end()) return;
  Json performers = Json::array(), attendees = Json::array();
  for (const Edge* e : it->second) {
    if (g_.find(e->key.from) == nullptr) continue;
    auto as = e->attrs.find("as");
    const std::string part = as != e->attrs.end() ? as->second : e->key.qualifier;
    if (part == "participant") {
      attendees.push_back(ref(e->key.from));
    } else {
      performers.push_back(Json{{"@type", "PerformanceRole"},
                                {"roleName", sanitize_text(part)},
                                {"performer", ref(e->key.from)}});
    }
  }
  if (!performers.empty()) j["performer"] = std::move(performers);
  if (!attendees.empty()) j["attendee"] = std::move(attendees);
}

std::string topic_set_id(const std::string& scheme) { return "topics:" + scheme; }

void JsonLdWriter::topic(Json& j, const Node& n) const {
  j["@type"] = "DefinedTerm";
  const std::string code = n.id.substr(n.id.find(':') + 1);
  j["termCode"] = sanitize_text(attr_or(n, "termCode", code));
  j["name"] = sanitize_text(n.label);
  const std::string scheme = attr_or(n, "scheme", "");
  if (!scheme.empty()) j["inDefinedTermSet"] = ref(topic_set_id(scheme));
}

void JsonLdWriter::document(Json& j, const Node& n) const {
  j["@type"] = "CreativeWork";
  j["identifier"] = sanitize_text(n.label);
  const std::string title = attr_or(n, "title", "");
  if (!title.empty()) j["name"] = sanitize_text(title);
  const std::string url = attr_or(n, "url", "");
  if (!url.empty()) j["url"] = sanitize_text(url);
  refs(j, "about", targets(n.id, "ABOUT"), false);
  refs(j, "mentions", targets(n.id, "MENTIONS"), false);
}

Json JsonLdWriter::node(const Node& n) const {
  Json j = ref(n.id);
  switch (n.type) {
    case NodeType::Person: person(j, n); break;
    case NodeType::Role: role(j, n); break;
    case NodeType::Organization:
      j["@type"] = "Organization";
      names(j, n);
      break;
    case NodeType::Place: place(j, n); break;
    case NodeType::Event: event(j, n); break;
    case NodeType::Topic: topic(j, n); break;
    case NodeType::Document: document(j, n); break;
  }
  return j;
}

void JsonLdWriter::write(AtomicFileWriter& w) const {
  const Json context = {{"@vocab", "https://schema.org/"},
                        {"xsd", "http://www.w3.org/2001/XMLSchema#"},
                        {"startDate", {{"@type", "xsd:date"}}},
                        {"endDate", {{"@type", "xsd:date"}}}};
  std::string& out = w.buffer();
  out += "{\"@context\": " + context.dump() + ",\n \"@graph\": [";
  bool first = true;
  auto emit = [&](const Json& j) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    out += j.dump();
    w.flush_if_full();
  };
  std::set<std::string> schemes;
  for (const auto& [id, n] : g_.nodes()) {
    emit(node(n));
    if (n.type == NodeType::Topic) {
      const std::string scheme = attr_or(n, "scheme", "");
      if (!scheme.empty()) schemes.insert(scheme);
    }
  }
  for (const auto& s : schemes) {
    Json j = ref(topic_set_id(s));
    j["@type"] = "DefinedTermSet";
    j["name"] = sanitize_text(s);
    emit(j);
  }
  out += "\n ]}\n";
}

}  // namespace

Status export_jsonld(const Graph& g, const std::string& dir, const ExportOptions& o) {
  AtomicFileWriter w(dir + "/graph.jsonld");
  JsonLdWriter(g, o).write(w);
  return w.commit();
}

}  // namespace eventgraph
