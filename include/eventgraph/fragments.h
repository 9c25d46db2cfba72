// Fragments: the mergeable intermediate (JSONL, one node or edge per line,
// with provenance), for map/merge over shards and clusters.
//
// Format (one JSON object per line, UTF-8, keys sorted):
//   {"kind":"node","id":"person:x","type":"Person","label":"X","aliases":[...],
//    "attrs":{...},"mentions":N,"sources":[{"doc":..,"begin":..,"end":..,"rule":..}]}
//   {"kind":"edge","from":..,"to":..,"type":..,"qualifier":..,"weight":W,"attrs":{...},"sources":[...]}
// Lines are in the Graph's order (nodes by id, then edges by key). Reading
// merges each line into a Graph with Graph::merge_node/merge_edge, so reading
// any number of fragment files in any order yields the same Graph as one run.
#pragma once

#include <string>

#include "eventgraph/diagnostics.h"
#include "eventgraph/graph.h"
#include "eventgraph/status.h"

namespace eventgraph {

// Serialises `g` as fragments (the whole file content).
std::string to_fragments(const Graph& g);
// Writes fragments to `path` atomically.
Status write_fragments(const Graph& g, const std::string& path);
// Reads a fragments file (or "-" for stdin) line by line, merging into `g`;
// memory is bounded by the graph, not the file. A malformed line is reported
// (file, line, reason) and skipped. Not OK only when the file cannot be read.
Status read_fragments(const std::string& path, Graph* g, Reporter* reporter);

}  // namespace eventgraph
