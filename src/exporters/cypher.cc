// Cypher exporter (graph.cypher): an idempotent script for Neo4j and Memgraph.
//
// Running it twice leaves the same graph as running it once:
//   1. CREATE CONSTRAINT <label>_id IF NOT EXISTS FOR (n:<Label>) REQUIRE n.id IS UNIQUE;
//      one per label present (the uniqueness constraint is also the index MERGE uses);
//   2. per label, batches of at most kBatch rows:
//        UNWIND [{id: "...", name: "...", aliases: [...], mentions: 3, props: {...}}, ...] AS row
//        MERGE (n:Person {id: row.id})
//        SET n.name = row.name, n.aliases = row.aliases, n.mentions = row.mentions, n += row.props;
//   3. per (type, from label, to label), batches of relationships:
//        UNWIND [{from: "...", to: "...", qualifier: "...", weight: 2.0, props: {...}}, ...] AS row
//        MATCH (a:Person {id: row.from}) MATCH (b:Role {id: row.to})
//        MERGE (a)-[r:HOLDS_ROLE {qualifier: row.qualifier}]->(b)
//        SET r.weight = row.weight, r += row.props;
// Strings are double-quoted Cypher literals with \\, \", \n, \r, \t and \uXXXX
// escapes, so any label text is safe. One statement per line group, each
// ending in ';' (cypher-shell reads it with `cypher-shell -f graph.cypher`).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "eventgraph/exporter.h"
#include "eventgraph/graph.h"
#include "exporters/formats.h"
#include "exporters/xml_escape.h"

namespace eventgraph {
namespace {

constexpr size_t kBatch = 500;

void append_literal(std::string& out, const std::string& raw) {
  std::string s = sanitize_text(raw);  // valid UTF-8
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

// A property key or label as a Cypher name: backquoted, backquotes doubled.
std::string name(const std::string& s) {
  std::string out = "`";
  for (char c : s) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

std::string fmt_double(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  std::string s = buf;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

void append_props(std::string& out, const std::map<std::string, std::string>& attrs) {
  out += "{";
  bool first = true;
  for (const auto& [k, v] : attrs) {
    if (!first) out += ", ";
    first = false;
    out += name(k) + ": ";
    append_literal(out, v);
  }
  out += "}";
}

void append_node_row(std::string& out, const Node& n) {
  out += "{id: ";
  append_literal(out, n.id);
  out += ", name: ";
  append_literal(out, n.label);
  out += ", aliases: [";
  bool first = true;
  for (const auto& a : n.aliases) {
    if (!first) out += ", ";
    first = false;
    append_literal(out, a);
  }
  out += "], mentions: " + std::to_string(n.mentions) + ", props: ";
  std::map<std::string, std::string> props = n.attrs;
  props.erase("id");
  props.erase("name");
  props.erase("aliases");
  props.erase("mentions");
  append_props(out, props);
  out += "}";
}

void append_edge_row(std::string& out, const Edge& e) {
  out += "{from: ";
  append_literal(out, e.key.from);
  out += ", to: ";
  append_literal(out, e.key.to);
  out += ", qualifier: ";
  append_literal(out, e.key.qualifier);
  out += ", weight: " + fmt_double(e.weight) + ", props: ";
  std::map<std::string, std::string> props = e.attrs;
  props.erase("qualifier");
  props.erase("weight");
  append_props(out, props);
  out += "}";
}

template <typename T, typename RowFn>
void append_batches(std::string& out, const std::vector<const T*>& items, RowFn row,
                    const std::string& tail) {
  for (size_t i = 0; i < items.size(); i += kBatch) {
    out += "UNWIND [\n";
    size_t end = std::min(items.size(), i + kBatch);
    for (size_t k = i; k < end; ++k) {
      out += "  ";
      row(out, *items[k]);
      out += (k + 1 < end) ? ",\n" : "\n";
    }
    out += "] AS row\n" + tail;
  }
}

void append_nodes(std::string& out, NodeType type, const std::vector<const Node*>& nodes) {
  std::string label = name(to_string(type));
  std::string tail = "MERGE (n:" + label +
                     " {id: row.id})\n"
                     "SET n.name = row.name, n.aliases = row.aliases, n.mentions = row.mentions, "
                     "n += row.props;\n\n";
  append_batches(out, nodes, append_node_row, tail);
}

void append_edges(std::string& out, const std::string& type, NodeType from, NodeType to,
                  const std::vector<const Edge*>& edges) {
  std::string tail = "MATCH (a:" + name(to_string(from)) + " {id: row.from}) MATCH (b:" +
                     name(to_string(to)) + " {id: row.to})\nMERGE (a)-[r:" + name(type) +
                     " {qualifier: row.qualifier}]->(b)\n"
                     "SET r.weight = row.weight, r += row.props;\n\n";
  append_batches(out, edges, append_edge_row, tail);
}

}  // namespace

Status export_cypher(const Graph& g, const std::string& dir, const ExportOptions& o) {
  std::map<NodeType, std::vector<const Node*>> by_type;
  for (const auto& [id, n] : g.nodes()) by_type[n.type].push_back(&n);
  std::map<std::tuple<std::string, NodeType, NodeType>, std::vector<const Edge*>> by_rel;
  for (const auto& [key, e] : g.edges()) {
    const Node* a = g.find(key.from);
    const Node* b = g.find(key.to);
    if (a && b) by_rel[{key.type, a->type, b->type}].push_back(&e);
  }

  std::string out =
      "// eventgraph: idempotent Cypher (Neo4j 5 / Memgraph); run with\n"
      "//   cypher-shell -u neo4j -p PASSWORD -f graph.cypher\n"
      "// Node ids are unique across labels; every statement is a MERGE.\n\n";
  for (const auto& [type, nodes] : by_type) {
    std::string t = to_string(type);
    std::string lower;
    for (char c : t) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out += "CREATE CONSTRAINT " + lower + "_id IF NOT EXISTS FOR (n:" + name(t) +
           ") REQUIRE n.id IS UNIQUE;\n";
  }
  out += "\n";
  for (const auto& [type, nodes] : by_type) append_nodes(out, type, nodes);
  for (const auto& [key, edges] : by_rel)
    append_edges(out, std::get<0>(key), std::get<1>(key), std::get<2>(key), edges);
  return write_file_atomic(dir + "/graph.cypher", out);
}

}  // namespace eventgraph
