// run_pipeline: identical graphs at any thread count, documents in input
// order, skipped documents counted, Document nodes optional.
#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <mutex>

#include "eventgraph/exporter.h"
#include "eventgraph/pipeline.h"
#include "testutil/builtin_pack.h"
#include "testutil/testutil.h"

using namespace eventgraph;

namespace {

// The corpus texts, copied nowhere: the inputs are the shared files.
std::vector<std::string> corpus_inputs() {
  return {egtest::kSharedDir + "/corpus/seed.txt", egtest::kSharedDir + "/corpus/dev"};
}

struct Exported {
  std::string graphml, jsonld;
  RunStats stats;
  std::vector<std::string> order;
};

Exported run_and_export(const RuleSet& rules, int threads, int in_flight, const PipelineSpec& spec) {
  RunOptions opt;
  opt.threads = threads;
  opt.max_in_flight = in_flight;
  CollectingReporter reporter;
  Graph g;
  Exported e;
  std::mutex mu;
  Status st = run_pipeline(corpus_inputs(), rules, spec, opt, &reporter, &g, &e.stats,
                           [&](const Document& d, const DocAnnotation& a) {
                             std::lock_guard<std::mutex> lock(mu);
                             e.order.push_back(d.id);
                             CHECK(a.doc_id == d.id);
                           });
  INFO(st.to_string());
  REQUIRE(st.is_ok());
  egtest::TempDir out;
  REQUIRE(export_graph(g, "graphml", out.path(), ExportOptions()).is_ok());
  REQUIRE(export_graph(g, "jsonld", out.path(), ExportOptions()).is_ok());
  e.graphml = egtest::read_file(out / "graph.graphml");
  e.jsonld = egtest::read_file(out / "graph.jsonld");
  return e;
}

}  // namespace

TEST_CASE("run_pipeline output is identical at 1, 2 and 4 threads") {
  const RuleSet& rules = egtest::builtin_pack();
  PipelineSpec spec = default_pipeline();
  Exported one = run_and_export(rules, 1, 0, spec);
  Exported two = run_and_export(rules, 2, 0, spec);
  Exported four = run_and_export(rules, 4, 1, spec);  // one token: fully serial
  Exported many = run_and_export(rules, 2, 64, spec);

  // seed.txt + every dev text.
  size_t expected = 1;
  for (const auto& e : std::filesystem::directory_iterator(egtest::kSharedDir + "/corpus/dev")) {
    expected += e.path().extension() == ".txt";
  }
  CHECK(one.stats.documents == expected);
  CHECK(one.stats.skipped == 0);
  CHECK(one.stats.bytes > 0);
  // Every stage's clock ran (the parallel stage sums its threads).
  CHECK(one.stats.read_seconds > 0);
  CHECK(one.stats.extract_seconds > 0);
  CHECK(one.stats.merge_seconds > 0);
  CHECK(two.stats.extract_seconds > 0);
  CHECK(one.graphml.size() > 1000);
  CHECK(one.graphml.find("person:") != std::string::npos);
  CHECK(one.graphml == two.graphml);
  CHECK(one.jsonld == two.jsonld);
  CHECK(one.graphml == four.graphml);
  CHECK(one.jsonld == many.jsonld);
  // The sink sees documents in input order, whatever the thread count.
  CHECK(one.order.size() == expected);
  CHECK(one.order == two.order);
  CHECK(one.order == many.order);
  CHECK(one.order.front() == corpus_inputs()[0]);
}

TEST_CASE("documents=false leaves out Document nodes and MENTIONS edges") {
  const RuleSet& rules = egtest::builtin_pack();
  PipelineSpec spec = default_pipeline();
  spec.documents = false;
  RunOptions opt;
  opt.threads = 2;
  CollectingReporter reporter;
  Graph with, without;
  RunStats stats;
  REQUIRE(run_pipeline(corpus_inputs(), rules, default_pipeline(), opt, &reporter, &with, &stats).is_ok());
  REQUIRE(run_pipeline(corpus_inputs(), rules, spec, opt, &reporter, &without, &stats).is_ok());
  CHECK(with.node_count(NodeType::Document) > 0);
  CHECK(without.node_count(NodeType::Document) == 0);
  CHECK(without.node_count(NodeType::Person) == with.node_count(NodeType::Person));
  CHECK(without.node_count(NodeType::Organization) == with.node_count(NodeType::Organization));
  for (const auto& [key, edge] : without.edges()) {
    CHECK(key.from.rfind("doc:", 0) != 0);
    CHECK(key.to.rfind("doc:", 0) != 0);
  }
  CHECK(without.edges().size() < with.edges().size());
}

TEST_CASE("skipped documents are counted and the run goes on") {
  const RuleSet& rules = egtest::builtin_pack();
  egtest::TempDir tmp;
  egtest::write_file(tmp / "in/a.txt", "The panel was moderated by Jane Example, Director at Example Institute.\n");
  egtest::write_file(tmp / "in/b.txt", "");  // empty: skipped
  egtest::write_file(tmp / "in/c.txt", "Another text about cybersecurity capacity building.\n");
  CollectingReporter reporter;
  Graph g;
  RunStats stats;
  RunOptions opt;
  opt.threads = 2;
  REQUIRE(run_pipeline({tmp / "in"}, rules, default_pipeline(), opt, &reporter, &g, &stats).is_ok());
  CHECK(stats.documents == 2);
  CHECK(stats.skipped == 1);
  CHECK(reporter.skipped() == 1);
  CHECK(g.node_count(NodeType::Document) == 2);
}

TEST_CASE("a missing input is an error before anything is read") {
  const RuleSet& rules = egtest::builtin_pack();
  CollectingReporter reporter;
  Graph g;
  RunStats stats;
  Status st = run_pipeline({"/nonexistent/input.txt"}, rules, default_pipeline(), RunOptions(), &reporter, &g,
                           &stats);
  REQUIRE_FALSE(st.is_ok());
  CHECK(st.message().find("/nonexistent/input.txt") != std::string::npos);
  CHECK(g.nodes().empty());
}
