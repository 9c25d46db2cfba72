// Fragments: the mergeable JSONL intermediate (see include/eventgraph/fragments.h).
//
// Writing: one line per node (by id), then one per edge (by key), each a JSON
// object with sorted keys. Nodes also carry "label_votes" (mentions per
// surface form that was ever the label) when the Graph holds them, so that a
// merge of fragments picks the same label as one run over all the inputs.
// Strings that are not valid UTF-8 are written with U+FFFD in place of the
// bad bytes (JSON must be UTF-8).
//
// Reading: a streaming line reader; each line is parsed and merged at once
// with Graph::merge_node/merge_edge, so memory is bounded by the Graph, not by
// the file. A malformed line (bad JSON, missing or mistyped field, unknown
// kind or node type) is reported as FILE:LINE: reason and skipped. nlohmann
// exceptions are caught here and never leave this file.
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "eventgraph/exporter.h"
#include "eventgraph/fragments.h"
#include "exporters/formats.h"

namespace eventgraph {
namespace {

using json = nlohmann::json;

json sources_json(const std::set<Source>& sources) {
  json arr = json::array();
  for (const Source& s : sources)
    arr.push_back({{"doc", s.doc}, {"begin", s.begin}, {"end", s.end}, {"rule", s.rule}});
  return arr;
}

json node_json(const Node& n) {
  json j = {{"kind", "node"},
            {"id", n.id},
            {"type", to_string(n.type)},
            {"label", n.label},
            {"aliases", n.aliases},
            {"attrs", n.attrs},
            {"mentions", n.mentions},
            {"sources", sources_json(n.sources)}};
  if (!n.label_votes.empty()) j["label_votes"] = n.label_votes;
  return j;
}

json edge_json(const Edge& e) {
  return {{"kind", "edge"},
          {"from", e.key.from},
          {"to", e.key.to},
          {"type", e.key.type},
          {"qualifier", e.key.qualifier},
          {"weight", e.weight},
          {"attrs", e.attrs},
          {"sources", sources_json(e.sources)}};
}

void append_line(std::string& out, const json& j) {
  out += j.dump(-1, ' ', false, json::error_handler_t::replace);
  out += '\n';
}

// --- reading: each parse_* returns an empty string or the reason it failed.

std::string get_string(const json& j, const char* key, bool required, std::string* out) {
  auto it = j.find(key);
  if (it == j.end()) return required ? std::string("missing \"") + key + "\"" : "";
  if (!it->is_string()) return std::string("\"") + key + "\" is not a string";
  *out = it->get<std::string>();
  return "";
}

std::string parse_string_map(const json& j, const char* key,
                             std::map<std::string, std::string>* out) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (!it->is_object()) return std::string("\"") + key + "\" is not an object";
  for (const auto& [k, v] : it->items()) {
    if (!v.is_string()) return std::string("\"") + key + "." + k + "\" is not a string";
    (*out)[k] = v.get<std::string>();
  }
  return "";
}

std::string parse_sources(const json& j, std::set<Source>* out) {
  auto it = j.find("sources");
  if (it == j.end()) return "";
  if (!it->is_array()) return "\"sources\" is not an array";
  for (const json& s : *it) {
    if (!s.is_object()) return "a source is not an object";
    Source src;
    std::string err = get_string(s, "doc", true, &src.doc);
    if (err.empty()) err = get_string(s, "rule", false, &src.rule);
    if (!err.empty()) return "source: " + err;
    auto b = s.find("begin"), e = s.find("end");
    if (b == s.end() || e == s.end() || !b->is_number_unsigned() || !e->is_number_unsigned())
      return "source: \"begin\"/\"end\" are not unsigned integers";
    src.begin = b->get<uint32_t>();
    src.end = e->get<uint32_t>();
    out->insert(src);
  }
  return "";
}

std::string parse_node(const json& j, Node* n) {
  std::string type;
  std::string err = get_string(j, "id", true, &n->id);
  if (err.empty()) err = get_string(j, "type", true, &type);
  if (err.empty()) err = get_string(j, "label", true, &n->label);
  if (!err.empty()) return err;
  if (n->id.empty()) return "empty \"id\"";
  if (!parse_node_type(type, &n->type)) return "unknown node type \"" + type + "\"";
  if (auto it = j.find("aliases"); it != j.end()) {
    if (!it->is_array()) return "\"aliases\" is not an array";
    for (const json& a : *it) {
      if (!a.is_string()) return "an alias is not a string";
      n->aliases.insert(a.get<std::string>());
    }
  }
  if (auto it = j.find("mentions"); it != j.end()) {
    if (!it->is_number_unsigned()) return "\"mentions\" is not an unsigned integer";
    n->mentions = it->get<uint64_t>();
  }
  if (auto it = j.find("label_votes"); it != j.end()) {
    if (!it->is_object()) return "\"label_votes\" is not an object";
    for (const auto& [form, count] : it->items()) {
      if (!count.is_number_unsigned()) return "a label vote is not an unsigned integer";
      n->label_votes[form] = count.get<uint64_t>();
    }
  }
  err = parse_string_map(j, "attrs", &n->attrs);
  if (err.empty()) err = parse_sources(j, &n->sources);
  return err;
}

std::string parse_edge(const json& j, Edge* e) {
  std::string err = get_string(j, "from", true, &e->key.from);
  if (err.empty()) err = get_string(j, "to", true, &e->key.to);
  if (err.empty()) err = get_string(j, "type", true, &e->key.type);
  if (err.empty()) err = get_string(j, "qualifier", false, &e->key.qualifier);
  if (!err.empty()) return err;
  if (e->key.from.empty() || e->key.to.empty() || e->key.type.empty())
    return "empty \"from\", \"to\" or \"type\"";
  auto w = j.find("weight");
  if (w == j.end() || !w->is_number()) return "\"weight\" is missing or not a number";
  e->weight = w->get<double>();
  err = parse_string_map(j, "attrs", &e->attrs);
  if (err.empty()) err = parse_sources(j, &e->sources);
  return err;
}

// Parses one line and merges it into `g`; returns the reason on failure.
std::string merge_line(const std::string& line, Graph* g) {
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return "malformed JSON";
  if (!j.is_object()) return "not a JSON object";
  std::string kind;
  std::string err = get_string(j, "kind", true, &kind);
  if (!err.empty()) return err;
  try {
    if (kind == "node") {
      Node n;
      err = parse_node(j, &n);
      if (err.empty()) g->merge_node(n);
    } else if (kind == "edge") {
      Edge e;
      err = parse_edge(j, &e);
      if (err.empty()) g->merge_edge(e);
    } else {
      err = "unknown kind \"" + kind + "\"";
    }
  } catch (const std::exception& ex) {  // nlohmann range errors and the like
    err = ex.what();
  }
  return err;
}

Status read_stream(std::istream& in, const std::string& path, Graph* g, Reporter* reporter) {
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::string err = merge_line(line, g);
    if (!err.empty() && reporter) {
      Problem p;
      p.file = path;
      p.line = line_no;
      p.reason = "fragment: " + err;
      reporter->report(p);
    }
  }
  if (in.bad()) return Status::io_error(path + ": read error");
  return Status::ok();
}

}  // namespace

std::string to_fragments(const Graph& g) {
  std::string out;
  for (const auto& [id, n] : g.nodes()) append_line(out, node_json(n));
  for (const auto& [key, e] : g.edges()) append_line(out, edge_json(e));
  return out;
}

Status write_fragments(const Graph& g, const std::string& path) {
  return write_file_atomic(path, to_fragments(g));
}

Status read_fragments(const std::string& path, Graph* g, Reporter* reporter) {
  if (path == "-") return read_stream(std::cin, "-", g, reporter);
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error(path + ": cannot open for reading");
  return read_stream(in, path, g, reporter);
}

Status export_fragments(const Graph& g, const std::string& dir, const ExportOptions& o) {
  return write_fragments(g, dir + "/graph.fragments.jsonl");
}

}  // namespace eventgraph
