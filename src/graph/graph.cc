// Graph: upsert and merge with order-independent rules, node ids, taxonomy.
//
// Why the merge is associative and commutative: every field is combined with
// an operation that is itself associative and commutative:
//   mentions, weight, label_votes  -> sum
//   aliases                        -> set union (minus the current label)
//   attrs                          -> per key, the smaller string (min)
//   sources                        -> union, then the kMaxSources smallest
//   type                           -> the smaller enum value (ids carry the
//                                     type prefix, so they agree in practice)
// and the label is a pure function of the summed label_votes (most mentions,
// ties: smaller string). Aliases are "every form ever seen as alias or label,
// minus the label", which is a union minus a function of the votes.
#include <algorithm>
#include <cstdio>

#include "eventgraph/graph.h"
#include "eventgraph/text.h"

namespace eventgraph {
namespace {

void cap_sources(std::set<Source>& s) {
  while (s.size() > kMaxSources) s.erase(std::prev(s.end()));
}

// into = the kMaxSources smallest of (into ∪ from). Both are sorted, so once
// `into` is full, everything in `from` not below its largest is left out.
void merge_sources(std::set<Source>& into, const std::set<Source>& from) {
  for (const auto& s : from) {
    if (into.size() >= kMaxSources && !(s < *into.rbegin())) break;
    into.insert(s);
    cap_sources(into);
  }
}

void merge_attrs(std::map<std::string, std::string>& into,
                 const std::map<std::string, std::string>& from) {
  for (const auto& [k, v] : from) {
    auto it = into.find(k);
    if (it == into.end()) {
      into.emplace(k, v);
    } else if (v < it->second) {
      it->second = v;
    }
  }
}

// Picks the label from the votes and rebuilds the alias set around it.
void settle_label(Node& n) {
  const std::string* best = nullptr;
  uint64_t best_count = 0;
  for (const auto& [form, count] : n.label_votes) {  // ascending strings
    if (best == nullptr || count > best_count) {
      best = &form;
      best_count = count;
    }
  }
  if (best == nullptr) return;
  if (n.label != *best) n.label = *best;
  // The label is not inserted only to be erased again (a copy and a set node
  // each time a node is merged); it may still be there from a merged alias.
  for (const auto& [form, count] : n.label_votes)
    if (&form != best) n.aliases.insert(form);
  n.aliases.erase(n.label);
}

// An edge seen again: weight added, attributes and sources merged.
void merge_existing_edge(Edge& into, const Edge& e) {
  into.weight += e.weight;
  merge_attrs(into.attrs, e.attrs);
  merge_sources(into.sources, e.sources);
}


}  // namespace

const char* to_string(NodeType t) {
  switch (t) {
    case NodeType::Person: return "Person";
    case NodeType::Organization: return "Organization";
    case NodeType::Role: return "Role";
    case NodeType::Place: return "Place";
    case NodeType::Event: return "Event";
    case NodeType::Topic: return "Topic";
    case NodeType::Document: return "Document";
  }
  return "Unknown";
}

bool parse_node_type(const std::string& s, NodeType* out) {
  static const NodeType kAll[] = {NodeType::Person, NodeType::Organization, NodeType::Role,
                                  NodeType::Place,  NodeType::Event,        NodeType::Topic,
                                  NodeType::Document};
  for (NodeType t : kAll) {
    if (s == to_string(t)) {
      *out = t;
      return true;
    }
  }
  return false;
}

const char* id_prefix(NodeType t) {
  switch (t) {
    case NodeType::Person: return "person";
    case NodeType::Organization: return "org";
    case NodeType::Role: return "role";
    case NodeType::Place: return "place";
    case NodeType::Event: return "event";
    case NodeType::Topic: return "topic";
    case NodeType::Document: return "doc";
  }
  return "node";
}

namespace {

// slug(), or for a name with no letters or digits at all (punctuation only),
// a stable hash so that distinct such names do not collide on "".
std::string slug_or_hash(const std::string& name) {
  std::string s = slug(name);
  if (!s.empty()) return s;
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  char buf[24];
  std::snprintf(buf, sizeof buf, "x%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

std::string make_id(NodeType t, const std::string& name) {
  return std::string(id_prefix(t)) + ":" + slug_or_hash(name);
}

std::string role_id(const std::string& title, const std::string& body) {
  std::string id = "role:" + slug_or_hash(title);
  if (!body.empty()) id += "@" + slug_or_hash(body);
  return id;
}

const TopicInfo* Taxonomy::find(const std::string& id) const {
  for (const auto& t : topics)
    if (t.id == id) return &t;
  return nullptr;
}

Node& Graph::upsert_node(const std::string& id, NodeType type, const std::string& label) {
  Node n;
  n.id = id;
  n.type = type;
  n.label = label;
  merge_node(n);
  return nodes_.at(id);
}

Edge& Graph::upsert_edge(const EdgeKey& key, double weight) {
  Edge& e = edge_at(find_or_add_edge(key));
  e.weight += weight;
  return e;
}

void Graph::add_source(Node& n, const Source& s) {
  n.sources.insert(s);
  cap_sources(n.sources);
}

void Graph::add_source(Edge& e, const Source& s) {
  e.sources.insert(s);
  cap_sources(e.sources);
}

void Graph::merge_node(const Node& n) {
  auto it = nodes_.find(n.id);
  if (it == nodes_.end()) {
    merge_node(Node(n));
    return;
  }
  merge_into(it->second, n);
}

void Graph::merge_node(Node&& n) {
  auto [it, inserted] = nodes_.try_emplace(n.id);
  Node& into = it->second;
  if (!inserted) {
    merge_into(into, n);
    return;
  }
  into = std::move(n);
  if (into.label_votes.empty()) into.label_votes = {{into.label, into.mentions}};
  settle_label(into);
  cap_sources(into.sources);
}

// The not-new case of merge_node().
void Graph::merge_into(Node& into, const Node& n) { merge_node_into(into, n); }

// Votes summed in place (no copies of either side's votes), sources merged
// without inserting what the cap would drop again.
void merge_node_into(Node& into, const Node& n) {
  if (into.label_votes.empty()) into.label_votes = {{into.label, into.mentions}};
  if (n.label_votes.empty()) {
    into.label_votes[n.label] += n.mentions;
  } else {
    for (const auto& [form, count] : n.label_votes) into.label_votes[form] += count;
  }
  into.type = std::min(into.type, n.type);
  into.mentions += n.mentions;
  into.aliases.insert(n.aliases.begin(), n.aliases.end());
  merge_attrs(into.attrs, n.attrs);
  merge_sources(into.sources, n.sources);
  settle_label(into);
}

void merge_edge_into(Edge& into, const Edge& e) { merge_existing_edge(into, e); }

EdgeMap::Set::iterator Graph::find_or_add_edge(const EdgeKey& key) {
  auto at = edges_.set_.lower_bound(key);
  if (at != edges_.set_.end() && at->key == key) return at;
  Edge e;  // weight 0, no attributes, no sources
  e.key = key;
  return edges_.set_.emplace_hint(at, std::move(e));
}

// A new edge: taken over whole (its weight is 0 + weight), moved straight
// into the set's node; sources capped.
EdgeMap::Set::iterator Graph::place_new_edge(EdgeMap::Set::iterator hint, Edge&& e) {
  auto it = edges_.set_.emplace_hint(hint, std::move(e));
  cap_sources(edge_at(it).sources);
  return it;
}

void Graph::merge_edge(const Edge& e) { merge_existing_edge(edge_at(find_or_add_edge(e.key)), e); }

void Graph::merge_edge(Edge&& e) {
  auto at = edges_.set_.lower_bound(e.key);
  if (at != edges_.set_.end() && at->key == e.key) merge_existing_edge(edge_at(at), e);
  else place_new_edge(at, std::move(e));
}

void Graph::merge_edges(std::vector<Edge>&& batch) {
  // Sorted as pointers, not as Edges (an Edge is ~230 bytes to move), with
  // ties in batch order as std::stable_sort would leave them; one three-way
  // comparison of the keys per step.
  std::vector<Edge*> sorted;
  sorted.reserve(batch.size());
  for (Edge& e : batch) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(), [](const Edge* a, const Edge* b) {
    const auto c = a->key.key() <=> b->key.key();
    return c < 0 || (c == 0 && a < b);
  });
  // After placing one key, the next (not smaller) one is often right after it
  // (a new document's edges all are): then it goes in without a search.
  auto& set = edges_.set_;
  auto pos = set.end();
  for (Edge* p : sorted) {
    Edge& e = *p;
    // `at`: the first edge whose key is not less than e.key (lower_bound).
    auto at = set.end();
    if (pos == set.end()) {
      at = set.lower_bound(e.key);
    } else if (!(pos->key < e.key)) {
      at = pos;  // the same key again (the batch is sorted)
    } else {
      at = std::next(pos);
      if (at != set.end() && at->key < e.key) at = set.lower_bound(e.key);
    }
    if (at != set.end() && at->key == e.key) {
      merge_existing_edge(edge_at(at), e);
      pos = at;
      continue;
    }
    pos = place_new_edge(at, std::move(e));
  }
}

void Graph::add(DocFragment&& f) {
  for (Node& n : f.nodes) merge_node(std::move(n));
  f.nodes.clear();
  merge_edges(std::move(f.edges));
  f.edges.clear();
}

void Graph::merge(const Graph& other) {
  for (const auto& [id, n] : other.nodes_) merge_node(n);
  for (const Edge& e : other.edges_.set_) merge_edge(e);
}

const Node* Graph::find(const std::string& id) const {
  auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : &it->second;
}

size_t Graph::node_count(NodeType t) const {
  size_t n = 0;
  for (const auto& [id, node] : nodes_)
    if (node.type == t) ++n;
  return n;
}

}  // namespace eventgraph
