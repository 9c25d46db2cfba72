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

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
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
  // Adds or merges an edge (weight added).
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
  const std::map<EdgeKey, Edge>& edges() const { return edges_; }
  const Node* find(const std::string& id) const;
  size_t node_count(NodeType t) const;

 private:
  void merge_into(Node& into, const Node& n);

  std::map<std::string, Node> nodes_;
  std::map<EdgeKey, Edge> edges_;
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
