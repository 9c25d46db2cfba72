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
#include <cstdio>
#include <iterator>
#include <map>
#include <set>
#include <string>

#include "eventgraph/graph_boost.h"
#include "exporters/atomic_file.h"
#include "exporters/formats.h"
#include "exporters/xml_escape.h"

namespace eventgraph {
namespace {

const char* const kNodeFixed[] = {"label", "type", "aliases", "mentions",
                                  "degree", "component", "sources"};
const char* const kEdgeFixed[] = {"type", "label", "weight", "sources"};

struct Keys {
  std::map<std::string, std::string> node;  // attr name -> key id
  std::map<std::string, std::string> edge;
};

bool is_fixed(const std::string& name, const char* const* fixed, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (name == fixed[i]) return true;
  return false;
}

void declare(std::string& out, Keys& keys, bool for_node, const std::string& name,
             const char* type) {
  std::string id = "d" + std::to_string(keys.node.size() + keys.edge.size());
  (for_node ? keys.node : keys.edge)[name] = id;
  out += "  <key id=\"" + id + "\" for=\"" + (for_node ? "node" : "edge") + "\" attr.name=\"";
  append_xml_escaped(out, name);
  out += "\" attr.type=\"";
  out += type;
  out += "\"/>\n";
}

Keys write_keys(std::string& out, const Graph& g) {
  Keys keys;
  const char* node_types[] = {"string", "string", "string", "int", "int", "int", "string"};
  for (size_t i = 0; i < std::size(kNodeFixed); ++i)
    declare(out, keys, true, kNodeFixed[i], node_types[i]);
  std::set<std::string> node_attrs, edge_attrs;
  for (const auto& [id, n] : g.nodes())
    for (const auto& [k, v] : n.attrs)
      if (!is_fixed(k, kNodeFixed, std::size(kNodeFixed))) node_attrs.insert(k);
  for (const auto& [k, e] : g.edges())
    for (const auto& [a, v] : e.attrs)
      if (!is_fixed(a, kEdgeFixed, std::size(kEdgeFixed))) edge_attrs.insert(a);
  // Sanitising can map two raw names to one; declare each cleaned name once.
  std::set<std::string> seen;
  for (const auto& k : node_attrs)
    if (seen.insert(sanitize_text(k)).second) declare(out, keys, true, k, "string");
  const char* edge_types[] = {"string", "string", "double", "string"};
  for (size_t i = 0; i < std::size(kEdgeFixed); ++i)
    declare(out, keys, false, kEdgeFixed[i], edge_types[i]);
  seen.clear();
  for (const auto& k : edge_attrs)
    if (seen.insert(sanitize_text(k)).second) declare(out, keys, false, k, "string");
  return keys;
}

void data(std::string& out, const std::map<std::string, std::string>& keys,
          const std::string& name, std::string_view value) {
  if (value.empty()) return;
  auto it = keys.find(name);
  if (it == keys.end()) return;
  out += "      <data key=\"" + it->second + "\">";
  append_xml_escaped(out, value);
  out += "</data>\n";
}

std::string sources_text(const std::set<Source>& sources) {
  std::string s;
  for (const auto& src : sources) {
    if (!s.empty()) s += "; ";
    s += src.doc + "@" + std::to_string(src.begin) + "-" + std::to_string(src.end) + "#" + src.rule;
  }
  return s;
}

std::string format_weight(double w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", w);
  std::string s = buf;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // always reads as a float
  return s;
}

void write_node(std::string& out, const Keys& keys, const Node& n, size_t degree,
                size_t component) {
  out += "    <node id=\"";
  append_xml_escaped(out, n.id);
  out += "\">\n";
  data(out, keys.node, "label", n.label);
  data(out, keys.node, "type", to_string(n.type));
  std::string aliases;
  for (const auto& a : n.aliases) aliases += (aliases.empty() ? "" : "; ") + a;
  data(out, keys.node, "aliases", aliases);
  data(out, keys.node, "mentions", std::to_string(n.mentions));
  data(out, keys.node, "degree", std::to_string(degree));
  data(out, keys.node, "component", std::to_string(component));
  data(out, keys.node, "sources", sources_text(n.sources));
  for (const auto& [k, v] : n.attrs)
    if (!is_fixed(k, kNodeFixed, std::size(kNodeFixed))) data(out, keys.node, k, v);
  out += "    </node>\n";
}

void write_edge(std::string& out, const Keys& keys, const Edge& e, size_t index) {
  out += "    <edge id=\"e" + std::to_string(index) + "\" source=\"";
  append_xml_escaped(out, e.key.from);
  out += "\" target=\"";
  append_xml_escaped(out, e.key.to);
  out += "\">\n";
  data(out, keys.edge, "type", e.key.type);
  data(out, keys.edge, "label", e.key.type);
  data(out, keys.edge, "weight", format_weight(e.weight));
  data(out, keys.edge, "sources", sources_text(e.sources));
  for (const auto& [k, v] : e.attrs)
    if (!is_fixed(k, kEdgeFixed, std::size(kEdgeFixed))) data(out, keys.edge, k, v);
  out += "    </edge>\n";
}

// Streams the document through `w`: memory stays bounded by the Graph, not
// by the size of the file.
void write_graphml(const Graph& g, AtomicFileWriter& w) {
  std::string& out = w.buffer();
  out +=
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
      "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  const Keys keys = write_keys(out, g);
  out += "  <graph id=\"G\" edgedefault=\"directed\">\n";
  const GraphMetrics m = compute_metrics(g);
  size_t v = 0;
  for (const auto& [id, n] : g.nodes()) {
    write_node(out, keys, n, m.degree[v], m.component[v]);
    ++v;
    w.flush_if_full();
  }
  size_t index = 0, k = 0;
  for (const auto& [key, e] : g.edges()) {
    if (!m.edge_in_view[k++]) continue;  // an endpoint is not a node: as the view does
    write_edge(out, keys, e, index++);
    w.flush_if_full();
  }
  out += "  </graph>\n</graphml>\n";
}

}  // namespace

Status export_graphml(const Graph& g, const std::string& dir, const ExportOptions& o) {
  AtomicFileWriter w(dir + "/graph.graphml");
  write_graphml(g, w);
  return w.commit();
}

}  // namespace eventgraph
