// Exporters: Graph -> files in an output folder.
//
// Formats (names as given to --format):
//   graphml  -> graph.graphml  (GraphML for Gephi, NetworkX, igraph, yEd)
//   jsonld   -> graph.jsonld   (JSON-LD over schema.org, inline @context)
//   gexf     -> graph.gexf     (GEXF 1.3 for Gephi)
//   neo4j    -> neo4j/ (bulk-import CSVs + import command)
//   cypher   -> graph.cypher   (idempotent MERGE script, UNWIND batches)
//   kuzu     -> kuzu/  (schema DDL, CSVs with headers, COPY script)
//   fragments-> graph.fragments.jsonl (one node or edge per line)
// Every file is written to a temporary name in the same folder and renamed
// into place when complete, so a failed run never leaves a half-written file
// under a final name. Output depends only on the Graph's content.
//
// Memory: graphml and jsonld read the graph as a GraphView in passes
// (format_streams()), so a graph spilled to disk by a GraphStore is never
// loaded whole: they hold O(nodes) side indexes (ids, degrees, components;
// JSON-LD also the participation edges). The other formats need the whole
// graph in memory: for a spilled graph export_graph() materialises it first,
// and the memory bound of --graph-memory does not hold for them.
#pragma once

#include <string>
#include <vector>

#include "eventgraph/graph.h"
#include "eventgraph/graph_store.h"
#include "eventgraph/status.h"

namespace eventgraph {

struct ExportOptions {
  // Base IRI for JSON-LD @id values. Default: "urn:eventgraph:".
  std::string base_iri = "urn:eventgraph:";
};

// Known format names, in a fixed order.
const std::vector<std::string>& known_formats();
bool is_known_format(const std::string& name);
// Whether `name` reads the graph in passes (see above), not whole.
bool format_streams(const std::string& name);

// Writes `g` in `format` into folder `out_dir` (which must exist).
// Thread safety: several formats may be exported at once from one Graph or
// one finished GraphStore (each writes its own files).
Status export_graph(const Graph& g, const std::string& format, const std::string& out_dir,
                    const ExportOptions& options);
// The same from a view (a finished GraphStore, or a MemoryGraphView): byte-
// identical output for the same graph content.
Status export_graph(const GraphView& g, const std::string& format, const std::string& out_dir,
                    const ExportOptions& options);

// Writes `content` to `path` atomically: a temporary file in the same folder,
// flushed and fsync'd, then renamed over `path`. On any failure the temporary
// is removed and `path` is left as it was.
Status write_file_atomic(const std::string& path, const std::string& content);

}  // namespace eventgraph
