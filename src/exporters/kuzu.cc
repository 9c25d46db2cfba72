// Kùzu bundle exporter (kuzu/), for Kùzu 0.11.
//
// Files:
//   schema.cypher          CREATE NODE TABLE per node type present:
//                            Person(id STRING, name STRING, aliases STRING,
//                                   mentions INT64, <attrs keys> STRING...,
//                                   sources STRING, PRIMARY KEY(id))
//                          CREATE REL TABLE per edge type, with one FROM..TO
//                          pair for every (from type, to type) present:
//                            HOLDS_ROLE(FROM Person TO Role, weight DOUBLE,
//                                       qualifier STRING, <attrs keys> STRING...,
//                                       sources STRING)
//   nodes_<Type>.csv       header row, then one node per row
//   rels_<TYPE>_<From>_<To>.csv
//                          the two key columns first (from, to), then the
//                          rel table's properties in DDL order
//   copy.cypher            COPY <T> FROM '<file>' (HEADER=true[, from=.., to=..]);
//                          nodes first; paths are relative to this folder, so
//                          run it with this folder as the working directory.
// Lists (aliases, sources) are one string joined with ';' (query them with
// string_split(n.aliases, ';')). CSV fields are quoted per RFC 4180; a
// newline inside a value is written as a space because Kùzu's CSV reader does
// not take quoted newlines.
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "eventgraph/exporter.h"
#include "eventgraph/graph.h"
#include "exporters/formats.h"
#include "exporters/xml_escape.h"

namespace eventgraph {
namespace {

std::string csv_field(const std::string& raw) {
  std::string s = sanitize_text(raw);  // valid UTF-8, no NUL
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  if (s.empty()) return s;
  if (s.find_first_of(",\"\\") == std::string::npos && s.front() != ' ' && s.back() != ' ')
    return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

void append_row(std::string& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_field(fields[i]);
  }
  out += '\n';
}

std::string ident(const std::string& s) {
  std::string out = "`";
  for (char c : s) {
    if (c == '`') continue;
    out += c;
  }
  return out + "`";
}

std::string literal(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string fmt_double(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string file_part(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += (std::isalnum(c) || c == '_') ? static_cast<char>(c) : '_';
  return out;
}

template <typename Range>
std::string join(const Range& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ';';
    out += s;
  }
  return out;
}

std::string sources_text(const std::set<Source>& sources) {
  std::vector<std::string> items;
  for (const auto& s : sources)
    items.push_back(s.doc + "@" + std::to_string(s.begin) + "-" + std::to_string(s.end) + "#" +
                    s.rule);
  return join(items);
}

const std::set<std::string> kNodeFixed = {"id", "name", "aliases", "mentions", "sources"};
const std::set<std::string> kRelFixed = {"from", "to", "weight", "qualifier", "sources"};

struct NodeTable {
  std::vector<const Node*> nodes;
  std::set<std::string> keys;
};

struct RelTable {
  std::map<std::pair<NodeType, NodeType>, std::vector<const Edge*>> pairs;
  std::set<std::string> keys;
};

std::string node_csv(const NodeTable& t) {
  std::vector<std::string> header = {"id", "name", "aliases", "mentions"};
  header.insert(header.end(), t.keys.begin(), t.keys.end());
  header.push_back("sources");
  std::string out;
  append_row(out, header);
  for (const Node* n : t.nodes) {
    std::vector<std::string> row = {n->id, n->label, join(n->aliases), std::to_string(n->mentions)};
    for (const auto& k : t.keys) {
      auto it = n->attrs.find(k);
      row.push_back(it == n->attrs.end() ? "" : it->second);
    }
    row.push_back(sources_text(n->sources));
    append_row(out, row);
  }
  return out;
}

std::string rel_csv(const RelTable& t, const std::vector<const Edge*>& edges) {
  std::vector<std::string> header = {"from", "to", "weight", "qualifier"};
  header.insert(header.end(), t.keys.begin(), t.keys.end());
  header.push_back("sources");
  std::string out;
  append_row(out, header);
  for (const Edge* e : edges) {
    std::vector<std::string> row = {e->key.from, e->key.to, fmt_double(e->weight),
                                    e->key.qualifier};
    for (const auto& k : t.keys) {
      auto it = e->attrs.find(k);
      row.push_back(it == e->attrs.end() ? "" : it->second);
    }
    row.push_back(sources_text(e->sources));
    append_row(out, row);
  }
  return out;
}

std::string node_ddl(NodeType type, const NodeTable& t) {
  std::string s = "CREATE NODE TABLE IF NOT EXISTS " + ident(to_string(type)) +
                  "(id STRING, name STRING, aliases STRING, mentions INT64";
  for (const auto& k : t.keys) s += ", " + ident(k) + " STRING";
  return s + ", sources STRING, PRIMARY KEY(id));\n";
}

std::string rel_ddl(const std::string& type, const RelTable& t) {
  std::string s = "CREATE REL TABLE IF NOT EXISTS " + ident(type) + "(";
  for (const auto& [pair, edges] : t.pairs)
    s += "FROM " + ident(to_string(pair.first)) + " TO " + ident(to_string(pair.second)) + ", ";
  s += "weight DOUBLE, qualifier STRING";
  for (const auto& k : t.keys) s += ", " + ident(k) + " STRING";
  return s + ", sources STRING);\n";
}

}  // namespace

Status export_kuzu(const Graph& g, const std::string& dir, const ExportOptions& o) {
  std::string folder = dir + "/kuzu";
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return Status::io_error(folder + ": " + ec.message());

  std::map<NodeType, NodeTable> nodes;
  for (const auto& [id, n] : g.nodes()) {
    NodeTable& t = nodes[n.type];
    t.nodes.push_back(&n);
    for (const auto& [k, v] : n.attrs)
      if (!kNodeFixed.count(k)) t.keys.insert(k);
  }
  std::map<std::string, RelTable> rels;
  for (const auto& [key, e] : g.edges()) {
    const Node* a = g.find(key.from);
    const Node* b = g.find(key.to);
    if (!a || !b) continue;
    RelTable& t = rels[key.type];
    t.pairs[{a->type, b->type}].push_back(&e);
    for (const auto& [k, v] : e.attrs)
      if (!kRelFixed.count(k)) t.keys.insert(k);
  }

  std::string schema = "// eventgraph Kùzu schema (Kùzu 0.11); then run copy.cypher.\n";
  std::string copy =
      "// eventgraph Kùzu data load; run with kuzu/ as the working directory.\n";
  for (const auto& [type, t] : nodes) {
    schema += node_ddl(type, t);
    std::string file = std::string("nodes_") + to_string(type) + ".csv";
    Status s = write_file_atomic(folder + "/" + file, node_csv(t));
    if (!s) return s;
    copy += "COPY " + ident(to_string(type)) + " FROM " + literal(file) + " (HEADER=true);\n";
  }
  for (const auto& [type, t] : rels) {
    schema += rel_ddl(type, t);
    for (const auto& [pair, edges] : t.pairs) {
      std::string from = to_string(pair.first), to = to_string(pair.second);
      std::string file = "rels_" + file_part(type) + "_" + from + "_" + to + ".csv";
      Status s = write_file_atomic(folder + "/" + file, rel_csv(t, edges));
      if (!s) return s;
      copy += "COPY " + ident(type) + " FROM " + literal(file) + " (HEADER=true, from=" +
              literal(from) + ", to=" + literal(to) + ");\n";
    }
  }
  Status s = write_file_atomic(folder + "/schema.cypher", schema);
  if (!s) return s;
  return write_file_atomic(folder + "/copy.cypher", copy);
}

}  // namespace eventgraph
