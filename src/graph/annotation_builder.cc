// add_annotation(): one document's DocAnnotation -> nodes and edges, as
// DESIGN.md's graph contract says.
//
//   doc:<slug(doc id)>         Document (label = doc id; attrs url, title)
//   person:/org:/place:        entities (aliases, placeKind)
//   role:<title>@<body>        Role (attr roleName) when a title is known
//   event:<slug(title)>[-<start>]  Event (attrs startDate, endDate)
//   topic:<id>                 Topic (label from the taxonomy; termCode, scheme)
// Edges: HOLDS_ROLE person->role, ROLE_AT role->body, AFFILIATED_WITH
// person->body (role = title, qualifier = title), PARTICIPATED_IN person->event
// (as; not for "mentioned"), ORGANIZED_BY, HELD_IN, ABOUT (event and document
// -> topic), MENTIONS document -> every Person, Organization, Place and Event
// of the document. Each edge seen once here has weight 1 (per occurrence).
// Provenance (begin, end, rule) becomes a Source {doc id, begin, end, rule}.
#include <algorithm>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "eventgraph/graph.h"

namespace eventgraph {
namespace {

using Provs = std::span<const Provenance>;

// One provenance record as a span (no vector, no copy of its rule id).
Provs one(const Provenance& p) { return Provs(&p, 1); }

// role_id(title, name), where body_id is make_id(type, name) (name not
// empty): the body's slug is the part of its id after the type prefix, so it
// is taken from there rather than made again.
std::string role_id_at(const std::string& title, const std::string& body_id) {
  return role_id(title, "") + "@" + body_id.substr(body_id.find(':') + 1);
}

class Builder {
 public:
  Builder(DocFragment& out, const DocAnnotation& ann, const Taxonomy& tax) : out_(out), ann_(ann), tax_(tax) {}

  void run();

 private:
  // Adds the sources {doc id, begin, end, rule} of `provs`, hinted at the
  // end, where provenance in text order goes. Each Source is built first and
  // moved in: clang 14 has no parenthesised aggregate initialisation.
  void add_sources(std::set<Source>& into, Provs provs) const {
    for (const auto& p : provs) into.emplace_hint(into.end(), Source{ann_.doc_id, p.begin, p.end, p.rule});
  }

  // Merges a node seen `mentions` times (at least 1) with its provenance.
  void add_node(NodeType type, const std::string& id, const std::string& label,
                const std::vector<std::string>& aliases, Provs provs, uint64_t mentions,
                std::map<std::string, std::string> attrs = {});
  // The node for an organisation or place named by a role or event, created
  // (one mention) when the annotation's own lists did not have it.
  const std::string& ensure_body(const std::string& name, bool is_place, const Provenance& prov);
  // The new edge (weight 1), made in place in the fragment; the reference
  // holds until the next edge is added.
  Edge& add_edge(const std::string& from, const std::string& to, const char* type,
                 const std::string& qualifier, Provs provs,
                 std::map<std::string, std::string> attrs = {});

  void add_document();
  void add_orgs_and_places();
  void add_person(const PersonAnn& p);
  void add_role(const std::string& person, const RoleAnn& r);
  void add_event();
  void add_topics();
  void add_mentions();

  DocFragment& out_;
  const DocAnnotation& ann_;
  const Taxonomy& tax_;
  std::string doc_;                   // document node id ("" when no doc id)
  std::string event_;                 // event node id ("" when none)
  // Person/Org/Place/Event ids of this document, with their provenance here
  // (spans of the annotation's own records).
  std::map<std::string, std::vector<Provs>> entities_;
  // (is_place, name as the annotation writes it) -> node id
  std::map<std::pair<bool, std::string>, std::string> bodies_;
};

void Builder::add_node(NodeType type, const std::string& id, const std::string& label,
                       const std::vector<std::string>& aliases, Provs provs, uint64_t mentions,
                       std::map<std::string, std::string> attrs) {
  Node& n = out_.nodes.emplace_back();
  n.id = id;
  n.type = type;
  n.label = label;
  n.aliases.insert(aliases.begin(), aliases.end());
  n.mentions = std::max<uint64_t>(1, mentions);
  n.attrs = std::move(attrs);
  add_sources(n.sources, provs);
  if (type == NodeType::Person || type == NodeType::Organization || type == NodeType::Place ||
      type == NodeType::Event) {
    entities_[id].push_back(provs);
  }
}

const std::string& Builder::ensure_body(const std::string& name, bool is_place, const Provenance& prov) {
  auto [it, inserted] = bodies_.try_emplace({is_place, name});
  if (!inserted) return it->second;
  NodeType type = is_place ? NodeType::Place : NodeType::Organization;
  it->second = make_id(type, name);
  if (entities_.count(it->second) == 0) add_node(type, it->second, name, {}, one(prov), 1);
  return it->second;
}

Edge& Builder::add_edge(const std::string& from, const std::string& to, const char* type,
                        const std::string& qualifier, Provs provs,
                        std::map<std::string, std::string> attrs) {
  Edge& e = out_.edges.emplace_back();
  e.key.from = from;
  e.key.to = to;
  e.key.type = type;
  e.key.qualifier = qualifier;
  e.weight = 1;
  e.attrs = std::move(attrs);
  add_sources(e.sources, provs);
  return e;
}

void Builder::add_document() {
  if (ann_.doc_id.empty()) return;
  std::map<std::string, std::string> attrs;
  if (!ann_.url.empty()) attrs["url"] = ann_.url;
  if (!ann_.title.empty()) attrs["title"] = ann_.title;
  doc_ = make_id(NodeType::Document, ann_.doc_id);
  add_node(NodeType::Document, doc_, ann_.doc_id, {}, {}, 1, std::move(attrs));
}

void Builder::add_orgs_and_places() {
  // A known body or place gets its id from the gazetteer's canonical name
  // (id_name), so that texts naming it differently meet in one node.
  for (const auto& o : ann_.organizations) {
    const std::string& key = o.id_name.empty() ? o.name : o.id_name;
    const std::string& id = bodies_[{false, o.name}] = make_id(NodeType::Organization, key);
    std::vector<std::string> aliases = o.aliases;
    if (!o.id_name.empty()) aliases.push_back(o.id_name);
    add_node(NodeType::Organization, id, o.name, aliases, o.mentions, o.mentions.size());
  }
  for (const auto& p : ann_.places) {
    std::map<std::string, std::string> attrs;
    if (!p.kind.empty()) attrs["placeKind"] = p.kind;
    const std::string& key = p.id_name.empty() ? p.name : p.id_name;
    const std::string& id = bodies_[{true, p.name}] = make_id(NodeType::Place, key);
    std::vector<std::string> aliases;
    if (!p.id_name.empty()) aliases.push_back(p.id_name);
    add_node(NodeType::Place, id, p.name, aliases, p.mentions, p.mentions.size(), std::move(attrs));
  }
}

void Builder::add_role(const std::string& person, const RoleAnn& r) {
  const bool has_title = r.title && !r.title->empty();
  const bool has_body = r.org && !r.org->empty();
  const std::string body = has_body ? ensure_body(*r.org, r.org_is_place, r.prov) : "";
  if (has_title) {
    std::string role = has_body ? role_id_at(*r.title, body) : role_id(*r.title, "");
    Node& n = out_.nodes.emplace_back();
    n.id = role;
    n.type = NodeType::Role;
    n.label = has_body ? *r.title + " @ " + *r.org : *r.title;
    n.mentions = 1;
    n.attrs["roleName"] = *r.title;
    add_sources(n.sources, one(r.prov));
    add_edge(person, role, "HOLDS_ROLE", "", one(r.prov));
    if (has_body) add_edge(role, body, "ROLE_AT", "", one(r.prov));
  }
  if (has_body) {
    std::map<std::string, std::string> attrs;
    if (has_title) attrs["role"] = *r.title;
    add_edge(person, body, "AFFILIATED_WITH", has_title ? *r.title : "", one(r.prov),
             std::move(attrs));
  }
}

void Builder::add_person(const PersonAnn& p) {
  const std::string id = make_id(NodeType::Person, p.name);
  add_node(NodeType::Person, id, p.name, p.aliases, p.mentions, p.mentions.size());
  for (const auto& r : p.roles) add_role(id, r);
  if (!event_.empty() && !p.event_role.empty() && p.event_role != "mentioned") {
    add_edge(id, event_, "PARTICIPATED_IN", p.event_role, p.mentions, {{"as", p.event_role}});
  }
}

void Builder::add_event() {
  if (!ann_.event) return;
  const EventAnn& e = *ann_.event;
  std::map<std::string, std::string> attrs;
  // An event the text describes without naming it: one per document.
  const bool untitled = e.title.empty();
  std::string id = untitled ? make_id(NodeType::Event, "in " + ann_.doc_id) : make_id(NodeType::Event, e.title);
  std::string label = untitled ? "Untitled event in " + ann_.doc_id : e.title;
  if (untitled) attrs["untitled"] = "true";
  if (e.start && !e.start->empty()) {
    id += "-" + *e.start;
    attrs["startDate"] = *e.start;
  }
  if (e.end && !e.end->empty()) attrs["endDate"] = *e.end;
  event_ = std::move(id);
  add_node(NodeType::Event, event_, label, {}, one(e.prov), 1, std::move(attrs));
  for (const auto& place : e.places) {
    if (place.empty()) continue;
    add_edge(event_, ensure_body(place, true, e.prov), "HELD_IN", "", one(e.prov));
  }
  for (const auto& org : e.organizers) {
    if (org.empty()) continue;
    add_edge(event_, ensure_body(org, false, e.prov), "ORGANIZED_BY", "", one(e.prov));
  }
}

void Builder::add_topics() {
  for (const auto& t : ann_.topics) {
    if (t.empty()) continue;
    const TopicInfo* info = tax_.find(t);
    const std::string id = make_id(NodeType::Topic, t);
    Node& n = out_.nodes.emplace_back();
    n.id = id;
    n.type = NodeType::Topic;
    n.label = info && !info->label.empty() ? info->label : t;
    n.mentions = 1;
    n.attrs["termCode"] = t;
    n.attrs["scheme"] = tax_.scheme;
    if (!event_.empty()) add_edge(event_, id, "ABOUT", "", {});
    if (!doc_.empty()) add_edge(doc_, id, "ABOUT", "", {});
  }
}

void Builder::add_mentions() {
  if (doc_.empty()) return;
  for (const auto& [id, seen] : entities_) {
    Edge& e = add_edge(doc_, id, "MENTIONS", "", {});
    for (Provs provs : seen) add_sources(e.sources, provs);
  }
}

void Builder::run() {
  add_document();
  add_orgs_and_places();
  add_event();
  for (const auto& p : ann_.persons) add_person(p);
  add_topics();
  add_mentions();
}

}  // namespace

void make_fragment(const DocAnnotation& ann, const Taxonomy& taxonomy, DocFragment* out) {
  out->nodes.clear();
  out->edges.clear();
  Builder(*out, ann, taxonomy).run();
}

void add_annotation(Graph& g, const DocAnnotation& ann, const Taxonomy& taxonomy) {
  DocFragment f;
  make_fragment(ann, taxonomy, &f);
  g.add(std::move(f));
}

}  // namespace eventgraph
