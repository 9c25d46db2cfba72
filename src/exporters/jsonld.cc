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
//
// Reads a GraphView in passes, so a spilled GraphStore is never loaded whole:
// nodes (id index; each HOLDS_ROLE target's title), edges (which nodes have a
// ROLE_AT edge; PARTICIPATED_IN edges grouped by event), then nodes and edges
// side by side (both sorted by id: a merge-join gives each node its
// out-edges). Memory: O(nodes) plus the participation edges.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "exporters/atomic_file.h"
#include "exporters/formats.h"
#include "exporters/node_index.h"
#include "exporters/xml_escape.h"

namespace eventgraph {
namespace {

using Json = nlohmann::ordered_json;

// A JSON object written straight into the output, exactly as
// nlohmann::ordered_json's dump() writes the same object (keys in the order
// given, no spaces; strings escaped as it does without ensure_ascii: the
// quote, the backslash and the control characters, \u00xx in lower case
// where there is no short form): the writer used to build a Json per node
// and dump it, which was about half of its time, in allocation and the
// serializer. The strings are sanitize_text()'s output, valid UTF-8. Each key
// once.
class JsonObject {
 public:
  explicit JsonObject(std::string& out) : out_(out) { out_ += '{'; }
  ~JsonObject() { out_ += '}'; }
  JsonObject(const JsonObject&) = delete;
  JsonObject& operator=(const JsonObject&) = delete;

  // Starts member `k` (a plain ASCII key) and returns the output, to which
  // the caller appends the value.
  std::string& key(const char* k) {
    out_ += first_ ? "\"" : ",\"";
    first_ = false;
    out_ += k;
    out_ += "\":";
    return out_;
  }
  void str(const char* k, std::string_view v) { string(key(k), v); }
  // ["a","b"]
  void strs(const char* k, const std::vector<std::string>& v) {
    std::string& o = key(k);
    o += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) o += ',';
      string(o, v[i]);
    }
    o += ']';
  }

  static void string(std::string& o, std::string_view v) {
    o += '"';
    size_t run = 0;  // start of the bytes not yet copied
    for (size_t i = 0; i < v.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(v[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      o.append(v.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"': o += "\\\""; break;
        case '\\': o += "\\\\"; break;
        case '\b': o += "\\b"; break;
        case '\t': o += "\\t"; break;
        case '\n': o += "\\n"; break;
        case '\f': o += "\\f"; break;
        case '\r': o += "\\r"; break;
        default: {
          static const char kHex[] = "0123456789abcdef";
          o += "\\u00";
          o += kHex[c >> 4];
          o += kHex[c & 15];
        }
      }
    }
    o.append(v.data() + run, v.size() - run);
    o += '"';
  }

 private:
  std::string& out_;
  bool first_ = true;
};

// Whether sanitize_text() and JsonObject::string() leave s as it is (inside
// the quotes): printable ASCII and DEL, but the quote and the backslash.
bool json_plain(std::string_view s) {
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c > 0x7F || c == '"' || c == '\\') return false;
  }
  return true;
}

class JsonLdWriter {
 public:
  JsonLdWriter(const GraphView& g, const ExportOptions& o)
      : g_(g), base_(sanitize_text(o.base_iri)), base_plain_(json_plain(base_)) {}

  // The passes that gather what a node's object needs from elsewhere.
  Status survey();
  // Streams the document through `w`, one node at a time. REQUIRES: survey().
  Status write(AtomicFileWriter& w);

 private:
  // A PARTICIPATED_IN edge whose person is a node: event, person, part.
  struct Participation {
    uint32_t event, person, part;
  };

  Status survey_edges(std::vector<uint32_t>* titled);
  // The @id of node `id`: base IRI + id.
  std::string iri(std::string_view id) const { return base_ + sanitize_text(id); }
  // Appends iri(id) as a JSON string. An id of printable ASCII other than the
  // quote and the backslash (nearly all ids) is the same bytes once cleaned
  // and escaped, so it is appended as it is.
  void iri_string(std::string& out, std::string_view id) const {
    if (base_plain_ && json_plain(id)) {
      out += '"';
      out += base_;
      out += id;
      out += '"';
      return;
    }
    JsonObject::string(out, iri(id));
  }
  // Appends {"@id":"<base><id>"}.
  void ref(std::string& out, std::string_view id) const {
    out += "{\"@id\":";
    iri_string(out, id);
    out += '}';
  }
  // Out-edges of the current node (out_) of `type` whose target is a node.
  std::vector<const EdgeKey*> out_edges(const char* type) const;
  // The targets of out_edges(type), each once (views into out_).
  std::vector<std::string_view> targets(const char* type) const;
  // Adds `key` as a list of references (omitted when empty).
  void refs(JsonObject& j, const char* key, const std::vector<std::string_view>& ids, bool single_as_object) const;
  void names(JsonObject& j, const Node& n) const;

  // Appends the node's object.
  void node(std::string& out, const Node& n) const;
  void person(JsonObject& j, const Node& n) const;
  void role(JsonObject& j, const Node& n) const;
  void place(JsonObject& j, const Node& n) const;
  void event(JsonObject& j, const Node& n) const;
  void topic(JsonObject& j, const Node& n) const;
  void document(JsonObject& j, const Node& n) const;

  const GraphView& g_;
  std::string base_;
  bool base_plain_;  // json_plain(base_)
  NodeIndex index_;
  std::unordered_map<uint32_t, std::string> titles_;  // node -> roleName or label
  std::vector<bool> has_role_at_;                      // node -> has a ROLE_AT edge to a node
  std::vector<Participation> participants_;            // by event, then edge order
  std::vector<std::string> parts_;                     // Participation::part -> text
  std::vector<EdgeKey> out_;  // the current node's out-edges: the first out_count_ (keys: all that is read of them)
  size_t out_count_ = 0;      // (the rest are kept for their strings' buffers)
  uint32_t current_ = 0;                               // the current node's index
};

std::string attr_or(const Node& n, const char* key, const std::string& fallback) {
  auto it = n.attrs.find(key);
  return it == n.attrs.end() ? fallback : it->second;
}

Status JsonLdWriter::survey() {
  Status st = index_.build(g_, [&](const Node& n, uint32_t i) {
    if (n.type == NodeType::Role) titles_.emplace(i, attr_or(n, "roleName", n.label));
  });
  if (!st) return st;
  std::vector<uint32_t> titled;  // HOLDS_ROLE targets that are not roles
  st = survey_edges(&titled);
  if (!st || titled.empty()) return st;
  std::sort(titled.begin(), titled.end());
  auto nodes = g_.node_keys();  // (sources are not exported)
  uint32_t i = 0;
  for (const Node* n = nodes->next(); n != nullptr; n = nodes->next(), ++i)
    if (std::binary_search(titled.begin(), titled.end(), i)) titles_.emplace(i, attr_or(*n, "roleName", n->label));
  return nodes->status();
}

Status JsonLdWriter::survey_edges(std::vector<uint32_t>* titled) {
  has_role_at_.assign(index_.size(), false);
  std::map<std::string, uint32_t> part_ids;
  auto edges = g_.edge_keys();  // (sources are not exported)
  while (const Edge* e = edges->next()) {
    const EdgeKey& k = e->key;
    if (k.type != "ROLE_AT" && k.type != "HOLDS_ROLE" && k.type != "PARTICIPATED_IN") continue;
    const uint32_t from = index_.find(k.from), to = index_.find(k.to);
    if (from == NodeIndex::kNone || to == NodeIndex::kNone) continue;
    if (k.type == "ROLE_AT") {
      has_role_at_[from] = true;
    } else if (k.type == "HOLDS_ROLE") {
      if (index_.type(to) != NodeType::Role) titled->push_back(to);
    } else {
      auto as = e->attrs.find("as");
      const std::string& part = as != e->attrs.end() ? as->second : k.qualifier;
      auto [it, added] = part_ids.emplace(part, static_cast<uint32_t>(parts_.size()));
      if (added) parts_.push_back(part);
      participants_.push_back(Participation{to, from, it->second});
    }
  }
  std::stable_sort(participants_.begin(), participants_.end(),
                   [](const Participation& a, const Participation& b) { return a.event < b.event; });
  return edges->status();
}

std::vector<const EdgeKey*> JsonLdWriter::out_edges(const char* type) const {
  std::vector<const EdgeKey*> v;
  for (size_t i = 0; i < out_count_; ++i) {
    const EdgeKey& k = out_[i];
    if (k.type == type && index_.find(k.to) != NodeIndex::kNone) v.push_back(&k);
  }
  return v;
}

std::vector<std::string_view> JsonLdWriter::targets(const char* type) const {
  std::vector<std::string_view> v;
  for (const EdgeKey* k : out_edges(type))
    if (v.empty() || v.back() != k->to) v.push_back(k->to);
  return v;
}

void JsonLdWriter::refs(JsonObject& j, const char* key, const std::vector<std::string_view>& ids,
                        bool single_as_object) const {
  if (ids.empty()) return;
  std::string& o = j.key(key);
  if (single_as_object && ids.size() == 1) {
    ref(o, ids[0]);
    return;
  }
  o += '[';
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) o += ',';
    ref(o, ids[i]);
  }
  o += ']';
}

void JsonLdWriter::names(JsonObject& j, const Node& n) const {
  j.str("name", sanitize_text(n.label));
  if (n.aliases.empty()) return;
  std::vector<std::string> v;
  for (const auto& a : n.aliases) v.push_back(sanitize_text(a));
  j.strs("alternateName", v);
}

void JsonLdWriter::person(JsonObject& j, const Node& n) const {
  j.str("@type", "Person");
  names(j, n);
  std::vector<std::string> titles;
  std::vector<std::string_view> affiliations;
  std::set<std::string> seen_titles;
  for (const EdgeKey* k : out_edges("HOLDS_ROLE")) {
    const uint32_t r = index_.find(k->to);
    std::string title = sanitize_text(titles_.at(r));
    if (seen_titles.insert(title).second) titles.push_back(title);
    if (has_role_at_[r]) affiliations.push_back(k->to);
  }
  for (const EdgeKey* k : out_edges("AFFILIATED_WITH"))
    if (k->qualifier.empty()) affiliations.push_back(k->to);
  if (titles.size() == 1) j.str("jobTitle", titles[0]);
  if (titles.size() > 1) j.strs("jobTitle", titles);
  refs(j, "affiliation", affiliations, true);
}

void JsonLdWriter::role(JsonObject& j, const Node& n) const {
  j.str("@type", "OrganizationRole");
  j.str("roleName", sanitize_text(attr_or(n, "roleName", n.label)));
  refs(j, "affiliation", targets("ROLE_AT"), true);
}

void JsonLdWriter::place(JsonObject& j, const Node& n) const {
  const std::string kind = attr_or(n, "placeKind", "");
  if (kind == "Country" || kind == "City") {
    j.strs("@type", {"Place", kind});
  } else {
    j.str("@type", "Place");
  }
  names(j, n);
}

void JsonLdWriter::event(JsonObject& j, const Node& n) const {
  j.str("@type", "Event");
  // An untitled event (the text names none) has no schema:name.
  if (attr_or(n, "untitled", "") != "true") j.str("name", sanitize_text(n.label));
  for (const char* key : {"startDate", "endDate"}) {
    auto it = n.attrs.find(key);
    if (it != n.attrs.end()) j.str(key, sanitize_text(it->second));
  }
  refs(j, "location", targets("HELD_IN"), false);
  refs(j, "organizer", targets("ORGANIZED_BY"), true);
  refs(j, "about", targets("ABOUT"), false);
  auto [lo, hi] = std::equal_range(
      participants_.begin(), participants_.end(), Participation{current_, 0, 0},
      [](const Participation& a, const Participation& b) { return a.event < b.event; });
  if (lo == hi) return;
  std::string performers, attendees;  // the arrays' items, comma-separated
  for (auto p = lo; p != hi; ++p) {
    const std::string& part = parts_[p->part];
    if (part == "participant") {
      if (!attendees.empty()) attendees += ',';
      ref(attendees, index_.id(p->person));
    } else {
      if (!performers.empty()) performers += ',';
      JsonObject role(performers);
      role.str("@type", "PerformanceRole");
      role.str("roleName", sanitize_text(part));
      ref(role.key("performer"), index_.id(p->person));
    }
  }
  if (!performers.empty()) j.key("performer").append("[").append(performers).append("]");
  if (!attendees.empty()) j.key("attendee").append("[").append(attendees).append("]");
}

std::string topic_set_id(const std::string& scheme) { return "topics:" + scheme; }

void JsonLdWriter::topic(JsonObject& j, const Node& n) const {
  j.str("@type", "DefinedTerm");
  const std::string code = n.id.substr(n.id.find(':') + 1);
  j.str("termCode", sanitize_text(attr_or(n, "termCode", code)));
  j.str("name", sanitize_text(n.label));
  const std::string scheme = attr_or(n, "scheme", "");
  if (!scheme.empty()) ref(j.key("inDefinedTermSet"), topic_set_id(scheme));
}

void JsonLdWriter::document(JsonObject& j, const Node& n) const {
  j.str("@type", "CreativeWork");
  j.str("identifier", sanitize_text(n.label));
  const std::string title = attr_or(n, "title", "");
  if (!title.empty()) j.str("name", sanitize_text(title));
  const std::string url = attr_or(n, "url", "");
  if (!url.empty()) j.str("url", sanitize_text(url));
  refs(j, "about", targets("ABOUT"), false);
  refs(j, "mentions", targets("MENTIONS"), false);
}

void JsonLdWriter::node(std::string& out, const Node& n) const {
  JsonObject j(out);
  iri_string(j.key("@id"), n.id);
  switch (n.type) {
    case NodeType::Person: person(j, n); break;
    case NodeType::Role: role(j, n); break;
    case NodeType::Organization:
      j.str("@type", "Organization");
      names(j, n);
      break;
    case NodeType::Place: place(j, n); break;
    case NodeType::Event: event(j, n); break;
    case NodeType::Topic: topic(j, n); break;
    case NodeType::Document: document(j, n); break;
  }
}

Status JsonLdWriter::write(AtomicFileWriter& w) {
  const Json context = {{"@vocab", "https://schema.org/"},
                        {"xsd", "http://www.w3.org/2001/XMLSchema#"},
                        {"startDate", {{"@type", "xsd:date"}}},
                        {"endDate", {{"@type", "xsd:date"}}}};
  std::string& out = w.buffer();
  out += "{\"@context\": " + context.dump() + ",\n \"@graph\": [";
  bool first = true;
  auto next_item = [&] {
    out += first ? "\n  " : ",\n  ";
    first = false;
  };
  std::set<std::string> schemes;
  auto nodes = g_.node_keys();  // (sources are not exported)
  auto edges = g_.edge_keys();  // (sources are not exported)
  const Edge* e = edges->next();
  current_ = 0;
  for (const Node* n = nodes->next(); n != nullptr; n = nodes->next(), ++current_) {
    // Both streams are sorted by id: skip edges from non-nodes, take this
    // node's out-edges.
    while (e != nullptr && e->key.from < n->id) e = edges->next();
    out_count_ = 0;
    for (; e != nullptr && e->key.from == n->id; e = edges->next()) {
      if (out_count_ < out_.size()) out_[out_count_] = e->key;  // reuses the strings' buffers
      else out_.push_back(e->key);
      ++out_count_;
    }
    next_item();
    node(out, *n);
    w.flush_if_full();
    if (n->type == NodeType::Topic) {
      const std::string scheme = attr_or(*n, "scheme", "");
      if (!scheme.empty()) schemes.insert(scheme);
    }
  }
  if (!nodes->status()) return nodes->status();
  if (!edges->status()) return edges->status();
  for (const auto& s : schemes) {
    next_item();
    JsonObject j(out);
    iri_string(j.key("@id"), topic_set_id(s));
    j.str("@type", "DefinedTermSet");
    j.str("name", sanitize_text(s));
  }
  out += "\n ]}\n";
  return Status::ok();
}

}  // namespace

Status export_jsonld(const GraphView& g, const std::string& dir, const ExportOptions& o) {
  AtomicFileWriter w(dir + "/graph.jsonld");
  JsonLdWriter writer(g, o);
  Status st = writer.survey();
  if (st) st = writer.write(w);
  if (!st) return st;  // the writer removes its temporary
  return w.commit();
}

}  // namespace eventgraph
