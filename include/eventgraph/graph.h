// Graph: the knowledge graph, one node per real-world entity across all
// documents, as DESIGN.md's graph contract says.
//
// Node ids are "type:slug" (person:ana-kovac, org:..., role:TITLE@BODY,
// place:..., event:..., topic:..., doc:...). Because ids come from content,
// two graphs built from two shards merge by plain union (merge()), and the
// merge is associative and commutative: node attributes and edges are
// combined with order-independent rules (see merge()).
//
// Determinism: nodes and edges are kept in sorted maps, so iteration order
// (and so every export) depends only on content, never on thread count or
// input order of shards.
//
// Thread safety: none; the pipeline's serial merge stage owns the Graph.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "eventgraph/annotation.h"

namespace eventgraph {

enum class NodeType { Person, Organization, Role, Place, Event, Topic, Document };
const char* to_string(NodeType t);            // "Person", ...
bool parse_node_type(const std::string& s, NodeType* out);

// One piece of provenance on an edge or node: which document, where, which rule.
struct Source {
  std::string doc;
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string rule;
  auto key() const { return std::tie(doc, begin, end, rule); }
  bool operator<(const Source& o) const { return key() < o.key(); }
  bool operator==(const Source& o) const { return key() == o.key(); }
};

// At most this many provenance records are kept per node or edge: the
// smallest by (doc, begin, end, rule), so that merging is order-independent
// and memory is bounded by the number of entities, not by input size.
inline constexpr size_t kMaxSources = 8;

struct Node {
  std::string id;     // "type:slug"
  NodeType type = NodeType::Person;
  std::string label;  // canonical name
  std::set<std::string> aliases;  // other surface forms (never equal to label)
  // Further attributes, by contract key: "startDate", "endDate" (events),
  // "placeKind" ("Country"/"City"/"Region"), "roleName" (roles), "termCode",
  // "scheme" (topics), "url" (documents), "jobTitle" ... Merge: the first
  // value by string order wins, so merge is commutative.
  std::map<std::string, std::string> attrs;
  uint64_t mentions = 0;  // how many times it was seen (sum on merge)
  std::set<Source> sources;  // capped at kMaxSources
  // Mentions per surface form that was ever this node's label (sum on merge);
  // the label is the form with the most (ties: smaller string), which keeps the
  // label choice associative. Not exported. Empty means {label: mentions}.
  std::map<std::string, uint64_t> label_votes;
};

struct EdgeKey {
  std::string from, to, type;
  // Distinguishing attribute for parallel edges of one type: for
  // PARTICIPATED_IN the part ("as"), for AFFILIATED_WITH the title ("role").
  std::string qualifier;
  auto key() const { return std::tie(from, to, type, qualifier); }
  bool operator<(const EdgeKey& o) const { return key() < o.key(); }
  bool operator==(const EdgeKey& o) const { return key() == o.key(); }
};

struct Edge {
  EdgeKey key;
  double weight = 0;  // times seen (sum on merge)
  std::map<std::string, std::string> attrs;  // "as", "role" ...
  std::set<Source> sources;  // capped at kMaxSources
};

// A Graph's edges in key order, read as a std::map<EdgeKey, Edge> is
// (begin/end giving (key, edge) pairs, find, at, count, size, empty), but
// holding each key once, in its Edge (a map would hold a second copy as its
// own key: four strings per edge). The pairs are references into the Edges;
// an iterator stays valid as a map's does.
class EdgeMap {
  struct ByKey {
    using is_transparent = void;
    bool operator()(const Edge& a, const Edge& b) const { return a.key < b.key; }
    bool operator()(const Edge& a, const EdgeKey& b) const { return a.key < b; }
    bool operator()(const EdgeKey& a, const Edge& b) const { return a < b.key; }
  };
  using Set = std::set<Edge, ByKey>;

 public:
  using key_type = EdgeKey;
  using mapped_type = Edge;
  using value_type = std::pair<const EdgeKey&, const Edge&>;
  using size_type = size_t;

  class const_iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = EdgeMap::value_type;
    using difference_type = std::ptrdiff_t;
    using reference = value_type;
    // What operator-> gives: the pair, held for the expression.
    struct pointer {
      value_type pair;
      const value_type* operator->() const { return &pair; }
    };

    const_iterator() = default;
    reference operator*() const { return {it_->key, *it_}; }
    pointer operator->() const { return {**this}; }
    const_iterator& operator++() {
      ++it_;
      return *this;
    }
    const_iterator operator++(int) { return const_iterator(it_++); }
    const_iterator& operator--() {
      --it_;
      return *this;
    }
    const_iterator operator--(int) { return const_iterator(it_--); }
    bool operator==(const const_iterator&) const = default;

   private:
    friend class EdgeMap;
    explicit const_iterator(Set::const_iterator it) : it_(it) {}
    Set::const_iterator it_;
  };
  using iterator = const_iterator;

  const_iterator begin() const { return const_iterator(set_.begin()); }
  const_iterator end() const { return const_iterator(set_.end()); }
  size_t size() const { return set_.size(); }
  bool empty() const { return set_.empty(); }
  const_iterator find(const EdgeKey& k) const { return const_iterator(set_.find(k)); }
  size_t count(const EdgeKey& k) const { return set_.count(k); }
  const Edge& at(const EdgeKey& k) const {
    auto it = set_.find(k);
    if (it == set_.end()) throw std::out_of_range("EdgeMap::at: no such edge");
    return *it;
  }

 private:
  friend class Graph;
  Set set_;
};

// One document's nodes and edges as add_annotation() makes them, before they
// meet the Graph: made in the pipeline's parallel stage (make_fragment), added
// in its serial stage (Graph::add), so the serial stage only merges.
struct DocFragment {
  std::vector<Node> nodes;  // merged in this order (a node may come twice)
  std::vector<Edge> edges;  // merged as one batch (merge_edges)
};

class Graph {
 public:
  // Adds or merges a node. Label conflicts: the label with more mentions is
  // kept (ties: smaller string); the other becomes an alias.
  Node& upsert_node(const std::string& id, NodeType type, const std::string& label);
  // Adds or merges an edge (weight added). The returned Edge's key must not
  // be changed: it orders the edges.
  Edge& upsert_edge(const EdgeKey& key, double weight = 1);
  void add_source(Node& n, const Source& s);
  void add_source(Edge& e, const Source& s);

  // Union with another graph: nodes by id, edges by key; weights and mention
  // counts add; aliases union; sources union then capped. Associative and
  // commutative.
  void merge(const Graph& other);
  void merge_node(const Node& n);
  void merge_edge(const Edge& e);
  // The same, taking the node or edge over when it is new (no copy).
  void merge_node(Node&& n);
  void merge_edge(Edge&& e);
  // merge_edge() of each, the same result in fewer steps: sorted first, and a
  // key that falls right after the previous one is placed without a search
  // (one document's MENTIONS and ABOUT edges, the most of a graph, do).
  void merge_edges(std::vector<Edge>&& batch);
  // merge_node() of each node in order, then merge_edges() of the edges.
  void add(DocFragment&& f);

  const std::map<std::string, Node>& nodes() const { return nodes_; }
  const EdgeMap& edges() const { return edges_; }
  const Node* find(const std::string& id) const;
  size_t node_count(NodeType t) const;

 private:
  void merge_into(Node& into, const Node& n);
  // The edge at `it`, to change: a set's elements are const to guard their
  // order, and only Edge::key orders them (it is never changed).
  static Edge& edge_at(EdgeMap::Set::iterator it) { return const_cast<Edge&>(*it); }
  // The edge with this key, added empty (weight 0) when there was none.
  EdgeMap::Set::iterator find_or_add_edge(const EdgeKey& key);
  // Places the new edge `e` at `hint`, where its key belongs.
  EdgeMap::Set::iterator place_new_edge(EdgeMap::Set::iterator hint, Edge&& e);

  std::map<std::string, Node> nodes_;
  EdgeMap edges_;
};

// The merge rules of Graph::merge_node() and Graph::merge_edge() applied to
// one pair with the same id or key, `into` being a node or edge as a Graph
// holds it (label settled, sources capped): for code that merges sorted
// streams of graphs (GraphStore). merge_node_into(a, b) leaves `a` as a Graph
// holding a and b merged would hold it.
void merge_node_into(Node& into, const Node& from);
void merge_edge_into(Edge& into, const Edge& from);

// Node id helpers (slugged): make_id(NodeType::Person, "Ana Kovač") ==
// "person:ana-kovac"; role_id("Cyber and Digital Ambassador", "Slovenia")
// == "role:cyber-and-digital-ambassador@slovenia" (no "@..." when body empty).
std::string make_id(NodeType t, const std::string& name);
std::string role_id(const std::string& title, const std::string& body);
const char* id_prefix(NodeType t);  // "person", "org", "role", "place", "event", "topic", "doc"

// The topic taxonomy (topics.json): ids, labels and scheme name, so topic nodes
// carry their label and scheme.
struct TopicInfo {
  std::string id, label;
};
struct Taxonomy {
  std::string scheme = "digital-policy-topics";
  std::vector<TopicInfo> topics;
  const TopicInfo* find(const std::string& id) const;
};

// Adds one document's annotation to the graph: its Document node, every
// entity, the role/affiliation/participation/event edges and MENTIONS edges
// from the document, as DESIGN.md's contract says.
void add_annotation(Graph& g, const DocAnnotation& ann, const Taxonomy& taxonomy);
// The same nodes and edges as a fragment (`out` is cleared first), for
// Graph::add() later: add_annotation(g, a, t) is make_fragment(a, t, &f)
// then g.add(std::move(f)).
void make_fragment(const DocAnnotation& ann, const Taxonomy& taxonomy, DocFragment* out);

}  // namespace eventgraph
