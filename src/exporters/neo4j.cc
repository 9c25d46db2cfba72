// Neo4j bulk-import exporter (neo4j/), for `neo4j-admin database import full`.
//
// Files, after the import tool's documented CSV header format:
//   nodes_<Label>.csv   id:ID(Entity),name:string,aliases:string[],mentions:long,
//                       <attrs keys of that label, sorted>,sources:string[],:LABEL
//   rels_<TYPE>.csv     :START_ID(Entity),:END_ID(Entity),:TYPE,weight:double,
//                       qualifier:string,<attrs keys of that type, sorted>,sources:string[]
//   import.sh           the exact import command (array delimiter ';')
//   README.md           how to run it
// One ID space ("Entity") holds every node: ids are globally unique. Arrays are
// split on ';' (--array-delimiter=";"), so a ';' inside an array element is
// written as ','. :LABEL holds the node type, plus Country/City/Region for
// places whose kind is known. Fields are quoted per RFC 4180 when they hold a
// comma, quote, CR or LF (quotes doubled); the command passes
// --multiline-fields=true so quoted newlines load.
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "eventgraph/exporter.h"
#include "eventgraph/graph.h"
#include "exporters/formats.h"
#include "exporters/xml_escape.h"

namespace eventgraph {
namespace {

std::string csv_field(const std::string& raw) {
  std::string s = sanitize_text(raw);  // valid UTF-8, no NUL
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void append_row(std::string& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_field(fields[i]);
  }
  out += '\n';
}

// Joins array elements with ';' (the import's array delimiter).
template <typename Range>
std::string join_array(const Range& items) {
  std::string out;
  bool first = true;
  for (const std::string& item : items) {
    if (!first) out += ';';
    first = false;
    for (char c : item) out += (c == ';') ? ',' : c;
  }
  return out;
}

std::string source_text(const Source& s) {
  return s.doc + "@" + std::to_string(s.begin) + "-" + std::to_string(s.end) + "#" + s.rule;
}

std::string sources_array(const std::set<Source>& sources) {
  std::vector<std::string> items;
  for (const auto& s : sources) items.push_back(source_text(s));
  return join_array(items);
}

std::string fmt_double(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A name usable in a file name: letters, digits and '_' kept.
std::string file_part(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += (std::isalnum(c) || c == '_') ? static_cast<char>(c) : '_';
  return out;
}

const std::set<std::string> kNodeFixed = {"id", "name", "aliases", "mentions", "sources"};
const std::set<std::string> kRelFixed = {"weight", "qualifier", "sources"};

std::string node_labels(const Node& n) {
  std::string labels = to_string(n.type);
  if (n.type == NodeType::Place) {
    auto it = n.attrs.find("placeKind");
    if (it != n.attrs.end() && (it->second == "Country" || it->second == "City" ||
                                it->second == "Region"))
      labels += ";" + it->second;
  }
  return labels;
}

std::string node_file(NodeType t, const std::vector<const Node*>& nodes) {
  std::set<std::string> keys;
  for (const Node* n : nodes)
    for (const auto& [k, v] : n->attrs)
      if (!kNodeFixed.count(k)) keys.insert(k);
  std::vector<std::string> header = {"id:ID(Entity)", "name:string", "aliases:string[]",
                                     "mentions:long"};
  for (const auto& k : keys) header.push_back(k + ":string");
  header.push_back("sources:string[]");
  header.push_back(":LABEL");
  std::string out;
  append_row(out, header);
  for (const Node* n : nodes) {
    std::vector<std::string> row = {n->id, n->label, join_array(n->aliases),
                                    std::to_string(n->mentions)};
    for (const auto& k : keys) {
      auto it = n->attrs.find(k);
      row.push_back(it == n->attrs.end() ? "" : it->second);
    }
    row.push_back(sources_array(n->sources));
    row.push_back(node_labels(*n));
    append_row(out, row);
  }
  return out;
}

std::string rel_file(const std::vector<const Edge*>& edges) {
  std::set<std::string> keys;
  for (const Edge* e : edges)
    for (const auto& [k, v] : e->attrs)
      if (!kRelFixed.count(k)) keys.insert(k);
  std::vector<std::string> header = {":START_ID(Entity)", ":END_ID(Entity)", ":TYPE",
                                     "weight:double", "qualifier:string"};
  for (const auto& k : keys) header.push_back(k + ":string");
  header.push_back("sources:string[]");
  std::string out;
  append_row(out, header);
  for (const Edge* e : edges) {
    std::vector<std::string> row = {e->key.from, e->key.to, e->key.type, fmt_double(e->weight),
                                    e->key.qualifier};
    for (const auto& k : keys) {
      auto it = e->attrs.find(k);
      row.push_back(it == e->attrs.end() ? "" : it->second);
    }
    row.push_back(sources_array(e->sources));
    append_row(out, row);
  }
  return out;
}

std::string import_script(const std::vector<std::string>& node_files,
                          const std::vector<std::string>& rel_files) {
  std::string s =
      "#!/usr/bin/env bash\n"
      "# Loads this folder into a new Neo4j database (Neo4j 5, database stopped):\n"
      "#   bash import.sh [DATABASE]      (default DATABASE: neo4j)\n"
      "# Set NEO4J_ADMIN to the neo4j-admin path when it is not on PATH.\n"
      "set -euo pipefail\n"
      "cd \"$(dirname \"$0\")\"\n"
      "\"${NEO4J_ADMIN:-neo4j-admin}\" database import full \\\n"
      "  --overwrite-destination=true --id-type=string --array-delimiter=\";\" \\\n"
      "  --multiline-fields=true \\\n";
  for (const auto& f : node_files) s += "  --nodes=" + f + " \\\n";
  for (const auto& f : rel_files) s += "  --relationships=" + f + " \\\n";
  s += "  \"${1:-neo4j}\"\n";
  return s;
}

const char* kReadme =
    "# Neo4j bulk import\n\n"
    "Written by `eventgraph --format neo4j`. One CSV per node label (`nodes_<Label>.csv`)\n"
    "and per relationship type (`rels_<TYPE>.csv`), with headers in the format of\n"
    "`neo4j-admin database import`: every node in the `Entity` ID space (`id:ID(Entity)`,\n"
    "the id is also stored as the `id` property), arrays split by `;`, labels in `:LABEL`.\n\n"
    "Stop the database, then run `bash import.sh neo4j` (it runs\n"
    "`neo4j-admin database import full --array-delimiter=\";\" ...` with every file),\n"
    "start it, and `CREATE CONSTRAINT IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE`\n"
    "per label if you want index lookups by id.\n";

}  // namespace

Status export_neo4j(const Graph& g, const std::string& dir, const ExportOptions& o) {
  std::string folder = dir + "/neo4j";
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return Status::io_error(folder + ": " + ec.message());

  std::map<NodeType, std::vector<const Node*>> by_type;
  for (const auto& [id, n] : g.nodes()) by_type[n.type].push_back(&n);
  std::map<std::string, std::vector<const Edge*>> by_rel;
  for (const auto& [key, e] : g.edges())
    if (g.find(key.from) && g.find(key.to)) by_rel[key.type].push_back(&e);

  std::vector<std::string> node_files, rel_files;
  for (const auto& [type, nodes] : by_type) {
    std::string name = std::string("nodes_") + to_string(type) + ".csv";
    Status s = write_file_atomic(folder + "/" + name, node_file(type, nodes));
    if (!s) return s;
    node_files.push_back(name);
  }
  for (const auto& [type, edges] : by_rel) {
    std::string name = "rels_" + file_part(type) + ".csv";
    Status s = write_file_atomic(folder + "/" + name, rel_file(edges));
    if (!s) return s;
    rel_files.push_back(name);
  }
  Status s = write_file_atomic(folder + "/import.sh", import_script(node_files, rel_files));
  if (!s) return s;
  return write_file_atomic(folder + "/README.md", kReadme);
}

}  // namespace eventgraph
