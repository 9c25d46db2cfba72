// GEXF 1.3 exporter (graph.gexf), for Gephi.
//
// Layout:
//   <gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">
//    <graph defaultedgetype="directed" mode="static">
//     <attributes class="node">  type, aliases, mentions, sources, then every
//                                attrs key found on any node (sorted)
//     <attributes class="edge">  type, qualifier, sources, then every edge attrs key
//     <nodes><node id=ID label=LABEL> attvalues, viz:size, viz:color
//     <edges><edge id=N source target weight label=TYPE> attvalues
// Colour comes from a fixed palette by node type; size is
// 5 + 3*log2(1 + mentions). Lists (aliases, sources) are joined with "; ".
// Text is escaped with xml_escape() (xml_escape.h), so the file is valid XML
// whatever the input: bytes that are not UTF-8 become U+FFFD, characters XML
// 1.0 forbids are dropped.
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

#include "eventgraph/exporter.h"
#include "eventgraph/graph.h"
#include "exporters/formats.h"
#include "exporters/xml_escape.h"

namespace eventgraph {
namespace {

std::string esc(const std::string& s) { return xml_escape(s); }

struct Rgb {
  int r, g, b;
};

// Fixed palette by node type (Person, Organization, Role, Place, Event,
// Topic, Document): the same type has the same colour in every export.
Rgb color_of(NodeType t) {
  switch (t) {
    case NodeType::Person: return {31, 119, 180};
    case NodeType::Organization: return {255, 127, 14};
    case NodeType::Role: return {44, 160, 44};
    case NodeType::Place: return {214, 39, 40};
    case NodeType::Event: return {148, 103, 189};
    case NodeType::Topic: return {140, 86, 75};
    case NodeType::Document: return {127, 127, 127};
  }
  return {0, 0, 0};
}

std::string fmt_double(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string join_sources(const std::set<Source>& sources) {
  std::string out;
  for (const Source& s : sources) {
    if (!out.empty()) out += "; ";
    out += s.doc + "@" + std::to_string(s.begin) + "-" + std::to_string(s.end) + "#" + s.rule;
  }
  return out;
}

std::string join_aliases(const std::set<std::string>& aliases) {
  std::string out;
  for (const auto& a : aliases) {
    if (!out.empty()) out += "; ";
    out += a;
  }
  return out;
}

// Attribute ids are the attribute titles: "n:" / "e:" + name, so ids stay
// unique whatever key the attrs maps hold.
const std::set<std::string> kNodeFixed = {"type", "aliases", "mentions", "sources", "label"};
const std::set<std::string> kEdgeFixed = {"type", "qualifier", "sources", "label", "weight"};

void write_attr_decl(std::string& out, const char* prefix, const std::string& name,
                     const char* type) {
  out += "      <attribute id=\"" + esc(prefix + name) + "\" title=\"" + esc(name) +
         "\" type=\"" + type + "\"/>\n";
}

void write_attvalue(std::string& out, const char* prefix, const std::string& name,
                    const std::string& value) {
  out += "          <attvalue for=\"" + esc(prefix + name) + "\" value=\"" + esc(value) + "\"/>\n";
}

void write_declarations(const Graph& g, std::string& out, std::set<std::string>* node_keys,
                        std::set<std::string>* edge_keys) {
  for (const auto& [id, n] : g.nodes())
    for (const auto& [k, v] : n.attrs)
      if (!kNodeFixed.count(k)) node_keys->insert(k);
  for (const auto& [key, e] : g.edges())
    for (const auto& [k, v] : e.attrs)
      if (!kEdgeFixed.count(k)) edge_keys->insert(k);
  out += "    <attributes class=\"node\" mode=\"static\">\n";
  write_attr_decl(out, "n:", "type", "string");
  write_attr_decl(out, "n:", "aliases", "string");
  write_attr_decl(out, "n:", "mentions", "long");
  write_attr_decl(out, "n:", "sources", "string");
  for (const auto& k : *node_keys) write_attr_decl(out, "n:", k, "string");
  out += "    </attributes>\n    <attributes class=\"edge\" mode=\"static\">\n";
  write_attr_decl(out, "e:", "type", "string");
  write_attr_decl(out, "e:", "qualifier", "string");
  write_attr_decl(out, "e:", "sources", "string");
  for (const auto& k : *edge_keys) write_attr_decl(out, "e:", k, "string");
  out += "    </attributes>\n";
}

void write_node(const Node& n, const std::set<std::string>& keys, std::string& out) {
  out += "      <node id=\"" + esc(n.id) + "\" label=\"" + esc(n.label) + "\">\n";
  out += "        <attvalues>\n";
  write_attvalue(out, "n:", "type", to_string(n.type));
  if (!n.aliases.empty()) write_attvalue(out, "n:", "aliases", join_aliases(n.aliases));
  write_attvalue(out, "n:", "mentions", std::to_string(n.mentions));
  if (!n.sources.empty()) write_attvalue(out, "n:", "sources", join_sources(n.sources));
  for (const auto& [k, v] : n.attrs)
    if (keys.count(k)) write_attvalue(out, "n:", k, v);
  out += "        </attvalues>\n";
  double size = 5.0 + 3.0 * std::log2(1.0 + static_cast<double>(n.mentions));
  out += "        <viz:size value=\"" + fmt_double(size) + "\"/>\n";
  Rgb c = color_of(n.type);
  out += "        <viz:color r=\"" + std::to_string(c.r) + "\" g=\"" + std::to_string(c.g) +
         "\" b=\"" + std::to_string(c.b) + "\" a=\"1.0\"/>\n";
  out += "      </node>\n";
}

void write_edge(size_t index, const Edge& e, const std::set<std::string>& keys,
                std::string& out) {
  out += "      <edge id=\"" + std::to_string(index) + "\" source=\"" + esc(e.key.from) +
         "\" target=\"" + esc(e.key.to) + "\" weight=\"" + fmt_double(e.weight) +
         "\" label=\"" + esc(e.key.type) + "\">\n";
  out += "        <attvalues>\n";
  write_attvalue(out, "e:", "type", e.key.type);
  if (!e.key.qualifier.empty()) write_attvalue(out, "e:", "qualifier", e.key.qualifier);
  if (!e.sources.empty()) write_attvalue(out, "e:", "sources", join_sources(e.sources));
  for (const auto& [k, v] : e.attrs)
    if (keys.count(k)) write_attvalue(out, "e:", k, v);
  out += "        </attvalues>\n      </edge>\n";
}

}  // namespace

Status export_gexf(const Graph& g, const std::string& dir, const ExportOptions& o) {
  std::string out;
  out.reserve(256 + 512 * (g.nodes().size() + g.edges().size()));
  out +=
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" "
      "version=\"1.3\">\n"
      "  <meta>\n    <creator>eventgraph</creator>\n"
      "    <description>people, roles, organisations, places, events and topics</description>\n"
      "  </meta>\n"
      "  <graph defaultedgetype=\"directed\" mode=\"static\">\n";
  std::set<std::string> node_keys, edge_keys;
  write_declarations(g, out, &node_keys, &edge_keys);
  out += "    <nodes>\n";
  for (const auto& [id, n] : g.nodes()) write_node(n, node_keys, out);
  out += "    </nodes>\n    <edges>\n";
  size_t index = 0;
  for (const auto& [key, e] : g.edges()) {
    // An edge whose end is not a node would make the file invalid for Gephi.
    if (!g.find(key.from) || !g.find(key.to)) continue;
    write_edge(index++, e, edge_keys, out);
  }
  out += "    </edges>\n  </graph>\n</gexf>\n";
  return write_file_atomic(dir + "/graph.gexf", out);
}

}  // namespace eventgraph
