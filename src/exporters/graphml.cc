// GraphML exporter: graph.graphml, for Gephi, NetworkX, igraph and yEd.
//
// Layout:
//   <graphml xmlns=...>
//     <key id="d0" for="node" attr.name="label" attr.type="string"/>   ...
//     <graph id="G" edgedefault="directed">
//       <node id="person:ana-kovac"><data key="d0">Ana Kovač</data>...</node>
//       <edge id="e0" source="..." target="..."><data key="..">AFFILIATED_WITH</data>...</edge>
// Node keys: label, type, aliases ("; "-joined), mentions (int), degree (int,
// in + out), component (int, weakly connected component, numbered from the
// smallest node id), sources, then every attrs key in use (string, sorted).
// Edge keys: type, label (= type, so Gephi shows it), weight (double),
// sources, then every edge attrs key in use. `sources` is provenance as
// compact text "doc@begin-end#rule; ...". Keys are numbered d0.. in that
// order; an attrs key that would shadow a fixed key is left out. Empty
// values are omitted. Nodes in id order, edges e0.. in the Graph's order
// (edges to a node missing from the graph are left out).
//
// Text: every string goes through append_xml_escaped(): invalid UTF-8 becomes
// U+FFFD, characters XML 1.0 forbids are dropped, so the file is well-formed
// whatever the input held. Streamed through an AtomicFileWriter.
//
// Reads a GraphView in passes, so a spilled GraphStore is never loaded whole:
// nodes (id index, attrs keys), edges (degree, union-find components, edge
// attrs keys), then nodes and edges again to write. Memory: O(nodes) for the
// id index, degrees and components, and a few batches of edges.
//
// The edges, most of the file, are written by a pipeline of batches: read
// from the cursor in order (one thread at a time), formatted in parallel,
// written in order. The bytes are those of one loop over the edges; the
// threads are those of the caller's task arena, so under export_all() the
// thread whose format is done helps with this one.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "eventgraph/graph_store.h"
#include "exporters/atomic_file.h"
#include "exporters/formats.h"
#include "exporters/node_index.h"
#include "exporters/xml_escape.h"

namespace eventgraph {
namespace {

const char* const kNodeFixed[] = {"label", "type", "aliases", "mentions",
                                  "degree", "component", "sources"};
const char* const kEdgeFixed[] = {"type", "label", "weight", "sources"};

struct Keys {
  std::map<std::string, std::string> node;  // attr name -> key id
  std::map<std::string, std::string> edge;
  // The fixed keys' ids in kNodeFixed / kEdgeFixed order, so that writing a
  // node or an edge does not look them up by name.
  std::vector<std::string> node_fixed, edge_fixed;
};

// Indexes into Keys::node_fixed / edge_fixed (the order of kNodeFixed / kEdgeFixed).
enum NodeKey { kNLabel, kNType, kNAliases, kNMentions, kNDegree, kNComponent, kNSources };
enum EdgeKeyId { kEType, kELabel, kEWeight, kESources };

bool is_fixed(const std::string& name, const char* const* fixed, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (name == fixed[i]) return true;
  return false;
}

void declare(std::string& out, Keys& keys, bool for_node, const std::string& name,
             const char* type) {
  std::string id = "d";
  id += std::to_string(keys.node.size() + keys.edge.size());
  (for_node ? keys.node : keys.edge)[name] = id;
  out += "  <key id=\"" + id + "\" for=\"" + (for_node ? "node" : "edge") + "\" attr.name=\"";
  append_xml_escaped(out, name);
  out += "\" attr.type=\"";
  out += type;
  out += "\"/>\n";
}

Keys write_keys(std::string& out, const std::set<std::string>& node_attrs,
                const std::set<std::string>& edge_attrs) {
  Keys keys;
  const char* node_types[] = {"string", "string", "string", "int", "int", "int", "string"};
  for (size_t i = 0; i < std::size(kNodeFixed); ++i) {
    declare(out, keys, true, kNodeFixed[i], node_types[i]);
    keys.node_fixed.push_back(keys.node.at(kNodeFixed[i]));
  }
  // Sanitising can map two raw names to one; declare each cleaned name once.
  std::set<std::string> seen;
  for (const auto& k : node_attrs)
    if (seen.insert(sanitize_text(k)).second) declare(out, keys, true, k, "string");
  const char* edge_types[] = {"string", "string", "double", "string"};
  for (size_t i = 0; i < std::size(kEdgeFixed); ++i) {
    declare(out, keys, false, kEdgeFixed[i], edge_types[i]);
    keys.edge_fixed.push_back(keys.edge.at(kEdgeFixed[i]));
  }
  seen.clear();
  for (const auto& k : edge_attrs)
    if (seen.insert(sanitize_text(k)).second) declare(out, keys, false, k, "string");
  return keys;
}

// The write pass's output: a graph is written as a dozen small pieces per
// edge, and std::string::append is a call into libstdc++ for each; here a
// piece is an inline copy into a buffer. Text goes through
// append_xml_escaped() unless it needs no escaping (ids, types, rule names,
// most labels), which is then copied as it is: the same bytes either way.
// Given a writer, the buffer is fixed and written out through it when full;
// without one (a batch of edges), it grows and view() is what was put.
class Out {
 public:
  explicit Out(AtomicFileWriter& w) : w_(&w) {}
  Out() = default;

  void put(std::string_view s) {
    if (s.size() > cap_ - len_) {
      if (w_ == nullptr) {
        grow(s.size());
      } else {
        flush();
        if (s.size() > cap_) {
          w_->write(s);
          return;
        }
      }
    }
    std::memcpy(buf_.get() + len_, s.data(), s.size());
    len_ += s.size();
  }
  void put(char c) {
    if (len_ == cap_) {
      if (w_ == nullptr)
        grow(1);
      else
        flush();
    }
    buf_[len_++] = c;
  }
  void text(std::string_view s) {
    if (xml_plain_prefix(s) == s.size()) {
      put(s);
      return;
    }
    tmp_.clear();
    append_xml_escaped(tmp_, s);
    put(tmp_);
  }
  void number(uint64_t v) {
    char b[24];
    auto r = std::to_chars(b, b + sizeof b, v);
    put(std::string_view(b, static_cast<size_t>(r.ptr - b)));
  }
  std::string_view view() const { return std::string_view(buf_.get(), len_); }
  void clear() { len_ = 0; }
  // Hands what is buffered to the writer (before anything else is appended
  // to the writer's own buffer, and before commit()).
  void flush() {
    w_->write(view());
    len_ = 0;
  }

 private:
  static constexpr size_t kBytes = size_t(1) << 20;
  void grow(size_t need) {
    const size_t cap = std::max(2 * cap_, len_ + need);
    auto b = std::make_unique_for_overwrite<char[]>(cap);
    if (len_ > 0) std::memcpy(b.get(), buf_.get(), len_);
    buf_ = std::move(b);
    cap_ = cap;
  }

  AtomicFileWriter* w_ = nullptr;
  size_t cap_ = kBytes;
  std::unique_ptr<char[]> buf_ = std::make_unique_for_overwrite<char[]>(kBytes);
  size_t len_ = 0;
  std::string tmp_;  // escaped text
};

void open_data(Out& out, const std::string& key_id) {
  out.put("      <data key=\"");
  out.put(key_id);
  out.put("\">");
}

// <data key="key_id">value</data>, nothing when the value is empty.
void data(Out& out, const std::string& key_id, std::string_view value) {
  if (value.empty()) return;
  open_data(out, key_id);
  out.text(value);
  out.put("</data>\n");
}

// The same for an attrs key, found by name (not declared: not written).
void data(Out& out, const std::map<std::string, std::string>& keys, const std::string& name,
          std::string_view value) {
  if (value.empty()) return;
  auto it = keys.find(name);
  if (it == keys.end()) return;
  data(out, it->second, value);
}

void data(Out& out, const std::string& key_id, uint64_t value) {
  open_data(out, key_id);
  out.number(value);
  out.put("</data>\n");
}

// `sources` as "doc@begin-end#rule; ...", escaped as it is written.
void sources_data(Out& out, const std::string& key_id, const std::set<Source>& sources) {
  if (sources.empty()) return;
  open_data(out, key_id);
  bool first = true;
  for (const auto& src : sources) {
    if (!first) out.put("; ");
    first = false;
    out.text(src.doc);
    out.put('@');
    out.number(src.begin);
    out.put('-');
    out.number(src.end);
    out.put('#');
    out.text(src.rule);
  }
  out.put("</data>\n");
}

// A weight as GraphML's double: whole weights (counts) as "N.0", what %.17g
// then ".0" gives for them.
void weight_data(Out& out, const std::string& key_id, double w) {
  open_data(out, key_id);
  if (!std::signbit(w) && w < 1e15 && w == double(uint64_t(w))) {
    out.number(uint64_t(w));
    out.put(".0");
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", w);
    std::string_view s = buf;
    out.put(s);
    if (s.find_first_of(".eEn") == std::string_view::npos) out.put(".0");  // always reads as a float
  }
  out.put("</data>\n");
}

void write_node(Out& out, const Keys& keys, const Node& n, size_t degree, size_t component) {
  out.put("    <node id=\"");
  out.text(n.id);
  out.put("\">\n");
  const std::vector<std::string>& key = keys.node_fixed;
  data(out, key[kNLabel], n.label);
  data(out, key[kNType], to_string(n.type));
  std::string aliases;
  for (const auto& a : n.aliases) aliases += (aliases.empty() ? "" : "; ") + a;
  data(out, key[kNAliases], aliases);
  data(out, key[kNMentions], n.mentions);
  data(out, key[kNDegree], degree);
  data(out, key[kNComponent], component);
  sources_data(out, key[kNSources], n.sources);
  for (const auto& [k, v] : n.attrs)
    if (!is_fixed(k, kNodeFixed, std::size(kNodeFixed))) data(out, keys.node, k, v);
  out.put("    </node>\n");
}

void write_edge(Out& out, const Keys& keys, const Edge& e, size_t index) {
  out.put("    <edge id=\"e");
  out.number(index);
  out.put("\" source=\"");
  out.text(e.key.from);
  out.put("\" target=\"");
  out.text(e.key.to);
  out.put("\">\n");
  const std::vector<std::string>& key = keys.edge_fixed;
  data(out, key[kEType], e.key.type);
  data(out, key[kELabel], e.key.type);
  weight_data(out, key[kEWeight], e.weight);
  sources_data(out, key[kESources], e.sources);
  for (const auto& [k, v] : e.attrs)
    if (!is_fixed(k, kEdgeFixed, std::size(kEdgeFixed))) data(out, keys.edge, k, v);
  out.put("    </edge>\n");
}

uint32_t find_root(std::vector<uint32_t>& parent, uint32_t v) {
  while (parent[v] != v) {
    parent[v] = parent[parent[v]];  // path halving
    v = parent[v];
  }
  return v;
}

// What the header needs before any node is written: the attrs keys in use,
// and each node's degree and weakly connected component (numbered in the
// order of each component's smallest node id, as compute_metrics() does).
struct Survey {
  NodeIndex index;
  std::set<std::string> node_attrs, edge_attrs;
  std::vector<uint32_t> degree, component;
  std::vector<bool> edge_kept;  // per edge in cursor order: both ends are nodes
};

Status survey(const GraphView& g, Survey* s) {
  Status st = s->index.build(g, [&](const Node& n, uint32_t) {
    for (const auto& [k, v] : n.attrs)
      if (!is_fixed(k, kNodeFixed, std::size(kNodeFixed))) s->node_attrs.insert(k);
  });
  if (!st) return st;
  const uint32_t n = static_cast<uint32_t>(s->index.size());
  s->degree.assign(n, 0);
  std::vector<uint32_t> parent(n);
  for (uint32_t v = 0; v < n; ++v) parent[v] = v;
  auto edges = g.edge_keys();
  s->edge_kept.reserve(g.edge_count());
  // Edges come in key order, so runs of them share `from` (a document's
  // MENTIONS edges, most of a graph): its index is looked up once per run.
  std::string from;
  uint32_t a = NodeIndex::kNone;
  bool have_from = false;
  while (const Edge* e = edges->next()) {
    for (const auto& [k, v] : e->attrs)
      if (!is_fixed(k, kEdgeFixed, std::size(kEdgeFixed))) s->edge_attrs.insert(k);
    if (!have_from || e->key.from != from) {
      from = e->key.from;
      a = s->index.find(from);
      have_from = true;
    }
    const uint32_t b = s->index.find(e->key.to);
    s->edge_kept.push_back(a != NodeIndex::kNone && b != NodeIndex::kNone);
    if (!s->edge_kept.back()) continue;
    ++s->degree[a];
    ++s->degree[b];
    const uint32_t ra = find_root(parent, a), rb = find_root(parent, b);
    if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
  }
  if (!edges->status()) return edges->status();
  s->component.assign(n, 0);
  std::vector<uint32_t> number(n, UINT32_MAX);
  uint32_t count = 0;
  for (uint32_t v = 0; v < n; ++v) {
    const uint32_t r = find_root(parent, v);
    if (number[r] == UINT32_MAX) number[r] = count++;
    s->component[v] = number[r];
  }
  return Status::ok();
}

// A batch of edges in the write pipeline: read into `slots` (when the cursor
// decodes), formatted into `out`.
struct EdgeBatch {
  static constexpr size_t kEdges = 2048;  // ~700 KB of GraphML
  std::vector<Edge> slots = std::vector<Edge>(kEdges);
  std::vector<const Edge*> edges;  // the batch's edges, both ends nodes
  size_t first = 0;                // edges[0]'s index: its id is "e<first>"
  Out out;
};

// The edges' elements, e0.. in the cursor's order, through `w`. An edge with
// an end that is not a node (kept[i] false: the survey read the same edges in
// the same order) is left out, as the Boost view does.
Status write_edges(const GraphView& g, const Keys& keys, const std::vector<bool>& kept,
                   AtomicFileWriter& w) {
  auto cursor = g.edges();
  const size_t tokens = 2 * static_cast<size_t>(tbb::this_task_arena::max_concurrency()) + 1;
  std::vector<std::unique_ptr<EdgeBatch>> batches;
  std::vector<EdgeBatch*> idle;  // batches not in the pipeline; the first and last stages share it
  std::mutex idle_mutex;
  auto take = [&]() -> EdgeBatch* {
    std::lock_guard<std::mutex> lock(idle_mutex);
    if (idle.empty()) return batches.emplace_back(std::make_unique<EdgeBatch>()).get();
    EdgeBatch* b = idle.back();
    idle.pop_back();
    return b;
  };
  auto give_back = [&](EdgeBatch* b) {
    std::lock_guard<std::mutex> lock(idle_mutex);
    idle.push_back(b);
  };
  size_t read = 0, index = 0;
  bool done = false;
  Status st;
  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, EdgeBatch*>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& fc) -> EdgeBatch* {
            if (done) {
              fc.stop();
              return nullptr;
            }
            EdgeBatch* b = take();
            b->edges.clear();
            b->first = index;
            while (b->edges.size() < EdgeBatch::kEdges) {
              const Edge* e = cursor->next_into(&b->slots[b->edges.size()]);
              if (e == nullptr) {
                done = true;
                break;
              }
              if (read >= kept.size()) {
                st = Status::internal("graphml: the graph's edges changed between passes");
                done = true;
                break;
              }
              if (kept[read++]) b->edges.push_back(e);
            }
            index += b->edges.size();
            if (!b->edges.empty()) return b;
            give_back(b);
            fc.stop();
            return nullptr;
          }) &
          tbb::make_filter<EdgeBatch*, EdgeBatch*>(tbb::filter_mode::parallel,
                                                   [&](EdgeBatch* b) {
                                                     b->out.clear();
                                                     for (size_t i = 0; i < b->edges.size(); ++i)
                                                       write_edge(b->out, keys, *b->edges[i], b->first + i);
                                                     return b;
                                                   }) &
          tbb::make_filter<EdgeBatch*, void>(tbb::filter_mode::serial_in_order, [&](EdgeBatch* b) {
            w.write(b->out.view());
            give_back(b);
          }));
  if (!st) return st;
  return cursor->status();
}

// Streams the document through `w`: memory stays bounded by the survey
// (O(nodes)), not by the graph or the size of the file.
Status write_graphml(const GraphView& g, AtomicFileWriter& w) {
  Survey s;
  Status st = survey(g, &s);
  if (!st) return st;
  std::string& out = w.buffer();
  out +=
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
      "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  const Keys keys = write_keys(out, s.node_attrs, s.edge_attrs);
  out += "  <graph id=\"G\" edgedefault=\"directed\">\n";
  Out body(w);
  auto nodes = g.nodes();
  size_t v = 0;
  while (const Node* n = nodes->next()) {
    write_node(body, keys, *n, s.degree[v], s.component[v]);
    ++v;
  }
  if (!nodes->status()) return nodes->status();
  body.flush();
  st = write_edges(g, keys, s.edge_kept, w);
  if (!st) return st;
  body.put("  </graph>\n</graphml>\n");
  body.flush();
  return Status::ok();
}

}  // namespace

Status export_graphml(const GraphView& g, const std::string& dir, const ExportOptions& o) {
  AtomicFileWriter w(dir + "/graph.graphml");
  Status st = write_graphml(g, w);
  if (!st) return st;  // the writer removes its temporary
  return w.commit();
}

}  // namespace eventgraph
