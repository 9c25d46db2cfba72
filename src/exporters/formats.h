// Internal; use include/eventgraph/exporter.h.
// One function per export format, dispatched by export_graph() in exporter.cc.
// Each writes its file(s) into `dir` atomically (write_file_atomic).
#pragma once

#include <string>

#include "eventgraph/exporter.h"
#include "eventgraph/graph.h"
#include "eventgraph/graph_store.h"
#include "eventgraph/status.h"

namespace eventgraph {

// Read the graph in passes (see each file's top comment).
Status export_graphml(const GraphView& g, const std::string& dir, const ExportOptions& o);    // graph.graphml
Status export_jsonld(const GraphView& g, const std::string& dir, const ExportOptions& o);     // graph.jsonld
inline Status export_graphml(const Graph& g, const std::string& dir, const ExportOptions& o) {
  return export_graphml(MemoryGraphView(g), dir, o);
}
inline Status export_jsonld(const Graph& g, const std::string& dir, const ExportOptions& o) {
  return export_jsonld(MemoryGraphView(g), dir, o);
}
// Need the whole graph in memory.
Status export_gexf(const Graph& g, const std::string& dir, const ExportOptions& o);       // graph.gexf
Status export_neo4j(const Graph& g, const std::string& dir, const ExportOptions& o);      // neo4j/
Status export_cypher(const Graph& g, const std::string& dir, const ExportOptions& o);     // graph.cypher
Status export_kuzu(const Graph& g, const std::string& dir, const ExportOptions& o);       // kuzu/
Status export_fragments(const Graph& g, const std::string& dir, const ExportOptions& o);  // graph.fragments.jsonl

}  // namespace eventgraph
