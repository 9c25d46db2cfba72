// eventgraph: event text -> knowledge graph. The umbrella header; each header
// below can also be included on its own.
//
//   #include "eventgraph/eventgraph.h"
//   std::unique_ptr<eventgraph::RuleSet> rules;
//   eventgraph::RuleSet::load_builtin({}, &rules);           // the default pack
//   eventgraph::Graph graph;
//   eventgraph::CollectingReporter reporter;
//   eventgraph::RunStats stats;
//   eventgraph::run_pipeline({"texts/"}, *rules, eventgraph::default_pipeline(), {}, &reporter,
//                            &graph, &stats);
//   eventgraph::export_graph(graph, "graphml", "out", {});
#pragma once

#include "eventgraph/annotation.h"
#include "eventgraph/diagnostics.h"
#include "eventgraph/document.h"
#include "eventgraph/exporter.h"
#include "eventgraph/extractor.h"
#include "eventgraph/fragments.h"
#include "eventgraph/graph.h"
#include "eventgraph/normaliser.h"
#include "eventgraph/pipeline.h"
#include "eventgraph/reader.h"
#include "eventgraph/rules.h"
#include "eventgraph/status.h"
#include "eventgraph/text.h"
