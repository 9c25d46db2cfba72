// Pipeline: the whole run, inputs -> graph -> exports, as a oneTBB
// parallel_pipeline: serial in-order read -> parallel normalise+extract ->
// serial in-order merge into the Graph, with at most `max_in_flight`
// documents alive at once. Output is identical whatever the thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "eventgraph/annotation.h"
#include "eventgraph/diagnostics.h"
#include "eventgraph/exporter.h"
#include "eventgraph/extractor.h"
#include "eventgraph/graph.h"
#include "eventgraph/reader.h"
#include "eventgraph/rules.h"
#include "eventgraph/status.h"

namespace eventgraph {

// What pipelines/*.json says. See pipelines/README.md.
struct PipelineSpec {
  std::string name = "default";
  // Rule packs: "builtin" or paths (files or folders), relative to the spec file.
  std::vector<std::string> rule_packs = {"builtin"};
  // Resolver steps, in order (see pipelines/README.md for the names).
  std::vector<std::string> resolver_steps;
  // Exporters run when --format is not given.
  std::vector<std::string> exporters = {"graphml", "jsonld"};
  bool documents = true;  // add Document nodes and MENTIONS edges
};

// Parses a pipeline JSON file. Errors name the file and the bad field.
Status load_pipeline(const std::string& path, PipelineSpec* out);
// The built-in default (same as pipelines/default.json).
PipelineSpec default_pipeline();

struct RunOptions {
  // Worker threads. Default: 0 = all cores.
  int threads = 0;
  // Batches in flight at once (TBB tokens). A batch is up to 128 consecutive
  // documents or 1 MiB of text (the extract stage runs each rule over a
  // whole batch). Default: 0 = 4 x threads.
  int max_in_flight = 0;
  ReaderOptions reader;
  RuleOptions rules;
  ExportOptions exports;
  bool progress = false;  // progress line on stderr
  // Count each rule's cost into RunStats::rules (Extractor::set_rule_stats).
  bool rule_stats = false;
  // Called on the serial merge stage after each document was added to the
  // graph (the CLI's GraphStore::maybe_spill, which bounds its memory). A
  // non-OK status stops the run, and run_pipeline() returns it. Default: none.
  std::function<Status(Graph&)> after_merge;
};

struct RunStats {
  uint64_t documents = 0;  // extracted
  uint64_t skipped = 0;    // reported and skipped
  uint64_t bytes = 0;      // raw input bytes
  double seconds = 0;
  // CPU time (of the threads that ran it) spent in each stage, summed over
  // the documents (so extract_seconds, which runs in parallel, may exceed
  // `seconds`): the serial input stage
  // (read + parse the input), the parallel stage (normalise + extract +
  // resolve), the serial merge stage (into the Graph, and the sink).
  double read_seconds = 0;
  double extract_seconds = 0;
  double merge_seconds = 0;
  // With RunOptions::rule_stats: per rule (RuleSet::rule_info order), summed
  // over the threads. Empty otherwise.
  std::vector<RuleStat> rules;
};

// Called in input order, on the serial stage, for each extracted document
// (used by eval and extract --fragments). May be empty.
using AnnotationSink = std::function<void(const Document&, const DocAnnotation&)>;

// Reads all inputs, extracts in parallel, merges into `graph` in input order.
Status run_pipeline(const std::vector<std::string>& inputs, const RuleSet& rules,
                    const PipelineSpec& spec, const RunOptions& options, Reporter* reporter,
                    Graph* graph, RunStats* stats, const AnnotationSink& sink = {});

}  // namespace eventgraph
