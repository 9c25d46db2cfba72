// GraphStore: a graph spilled in sorted runs and merged back holds exactly
// what the in-memory Graph holds; its temporary folder goes away; an unusable
// temp folder and a damaged run are reported, not read past.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "eventgraph/graph_store.h"
#include "graph/fixtures.h"
#include "testutil/testutil.h"

using namespace eventgraph;
namespace fs = std::filesystem;

namespace {

// The fixture documents again and again under new ids, so that entities
// recur across runs (sums, votes, aliases, capped sources all merge).
std::vector<DocAnnotation> documents(int rounds) {
  std::vector<DocAnnotation> docs;
  for (int r = 0; r < rounds; ++r) {
    for (auto a : {egtest::ann_a(), egtest::ann_b(), egtest::ann_c()}) {
      a.doc_id += "-" + std::to_string(r);
      docs.push_back(std::move(a));
    }
  }
  return docs;
}

std::string dump_view(const GraphView& v) {
  Graph g;
  Status st = materialize(v, &g);
  INFO(st.to_string());
  REQUIRE(st.is_ok());
  return egtest::dump(g);
}

size_t files_in(const std::string& dir) {
  size_t n = 0;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) ++n;
  return n;
}

}  // namespace

TEST_CASE("GraphStore merges its runs into what the in-memory Graph holds", "[graph]") {
  const auto docs = documents(7);
  Graph whole;
  for (const auto& a : docs) add_annotation(whole, a, egtest::test_taxonomy());

  for (uint64_t budget : {uint64_t{1}, uint64_t{40000}}) {
    INFO("budget " << budget);
    egtest::TempDir tmp;
    std::string folder;
    {
      std::unique_ptr<GraphStore> store;
      REQUIRE(GraphStore::open(GraphStoreOptions{budget, tmp.path()}, &store).is_ok());
      folder = store->temp_folder();
      CHECK(fs::is_directory(folder));
      for (const auto& a : docs) {
        add_annotation(store->graph(), a, egtest::test_taxonomy());
        REQUIRE(store->maybe_spill().is_ok());
      }
      REQUIRE(store->finish().is_ok());
      if (budget == 1) CHECK(store->runs() == docs.size());
      CHECK(store->runs() > 1);
      CHECK(store->graph_in_memory() == nullptr);
      CHECK(dump_view(*store) == egtest::dump(whole));
      // A view can be read more than once (exporters make several passes).
      CHECK(dump_view(*store) == egtest::dump(whole));
      CHECK(store->node_count() == whole.nodes().size());
      CHECK(store->edge_count() == whole.edges().size());
      CHECK(store->node_count(NodeType::Person) == whole.node_count(NodeType::Person));
      CHECK(store->node_count(NodeType::Document) == whole.node_count(NodeType::Document));
    }
    CHECK_FALSE(fs::exists(folder));
    CHECK(files_in(tmp.path()) == 0);
  }
}

TEST_CASE("GraphStore's edges merged as key ranges on several threads are the one-thread merge", "[graph]") {
  const auto docs = documents(9);
  Graph whole;
  for (const auto& a : docs) add_annotation(whole, a, egtest::test_taxonomy());
  // index_every 1 and 2: a range's merge seeks into the middle of runs; 4096:
  // only to their first record.
  for (size_t every : {size_t{1}, size_t{2}, size_t{4096}}) {
    for (int threads : {1, 2, 3, 8}) {
      INFO("index every " << every << ", threads " << threads);
      egtest::TempDir tmp;
      GraphStoreOptions o{1, tmp.path()};
      o.threads = threads;
      o.edge_index_every = every;
      std::unique_ptr<GraphStore> store;
      REQUIRE(GraphStore::open(o, &store).is_ok());
      for (const auto& a : docs) {
        add_annotation(store->graph(), a, egtest::test_taxonomy());
        REQUIRE(store->maybe_spill().is_ok());
      }
      REQUIRE(store->finish().is_ok());
      if (threads == 1) CHECK(store->edge_parts() == 1);
      else CHECK(store->edge_parts() > 1);
      CHECK(store->edge_parts() <= size_t(threads));
      CHECK(dump_view(*store) == egtest::dump(whole));
      CHECK(store->edge_count() == whole.edges().size());
      // edge_keys(): the same edges in the same order, sources left out.
      auto keys = store->edge_keys();
      auto it = whole.edges().begin();
      size_t n = 0;
      while (const Edge* e = keys->next()) {
        REQUIRE(it != whole.edges().end());
        CHECK(e->key == it->second.key);
        CHECK(e->weight == it->second.weight);
        CHECK(e->attrs == it->second.attrs);
        CHECK(e->sources.empty());
        ++it;
        ++n;
      }
      CHECK(keys->status().is_ok());
      CHECK(n == whole.edges().size());
      // node_keys(): the same nodes, sources and label votes left out.
      auto nodes = store->node_keys();
      auto nt = whole.nodes().begin();
      n = 0;
      while (const Node* v = nodes->next()) {
        REQUIRE(nt != whole.nodes().end());
        CHECK(v->id == nt->second.id);
        CHECK(v->type == nt->second.type);
        CHECK(v->label == nt->second.label);
        CHECK(v->aliases == nt->second.aliases);
        CHECK(v->attrs == nt->second.attrs);
        CHECK(v->mentions == nt->second.mentions);
        CHECK(v->sources.empty());
        CHECK(v->label_votes.empty());
        ++nt;
        ++n;
      }
      CHECK(nodes->status().is_ok());
      CHECK(n == whole.nodes().size());
    }
  }
}

TEST_CASE("GraphStore with more runs than one merge may read merges them in groups first, to the same graph", "[graph]") {
  const auto docs = documents(9);  // 27 documents, a run each
  Graph whole;
  for (const auto& a : docs) add_annotation(whole, a, egtest::test_taxonomy());
  // 27 runs read 2, 3 or 5 at a time: 4, 2 or 2 levels of group merges
  // (27 -> 14 -> 7 -> 4 -> 2, 27 -> 9 -> 3, 27 -> 6 -> 2); 27 at a time: none.
  for (size_t fan_in : {size_t{2}, size_t{3}, size_t{5}, size_t{27}}) {
    for (int threads : {1, 2}) {
      for (size_t every : {size_t{1}, size_t{4096}}) {
        INFO("fan-in " << fan_in << ", threads " << threads << ", index every " << every);
        egtest::TempDir tmp;
        GraphStoreOptions o{1, tmp.path()};
        o.threads = threads;
        o.max_merge_runs = fan_in;
        o.edge_index_every = every;
        std::string folder;
        {
          std::unique_ptr<GraphStore> store;
          REQUIRE(GraphStore::open(o, &store).is_ok());
          folder = store->temp_folder();
          for (const auto& a : docs) {
            add_annotation(store->graph(), a, egtest::test_taxonomy());
            REQUIRE(store->maybe_spill().is_ok());
          }
          REQUIRE(store->finish().is_ok());
          CHECK(store->runs() == docs.size());
          const size_t levels = fan_in == 2 ? 4 : fan_in == 27 ? 0 : 2;
          CHECK(store->merge_levels() == levels);
          if (threads > 1) CHECK(store->edge_parts() > 1);
          CHECK(dump_view(*store) == egtest::dump(whole));
          CHECK(store->node_count() == whole.nodes().size());
          CHECK(store->edge_count() == whole.edges().size());
          CHECK(store->node_count(NodeType::Person) == whole.node_count(NodeType::Person));
          // Only the merged files are left in the folder (no run of any level).
          for (const auto& f : fs::directory_iterator(folder))
            CHECK(f.path().filename().string().rfind("merged", 0) == 0);
        }
        CHECK_FALSE(fs::exists(folder));
      }
    }
  }
}

TEST_CASE("GraphStore under its budget stays in memory and spills nothing", "[graph]") {
  egtest::TempDir tmp;
  std::unique_ptr<GraphStore> store;
  REQUIRE(GraphStore::open(GraphStoreOptions{1ull << 30, tmp.path()}, &store).is_ok());
  for (const auto& a : documents(2)) {
    add_annotation(store->graph(), a, egtest::test_taxonomy());
    REQUIRE(store->maybe_spill().is_ok());
  }
  REQUIRE(store->finish().is_ok());
  CHECK(store->runs() == 0);
  REQUIRE(store->graph_in_memory() == &store->graph());
  CHECK(dump_view(*store) == egtest::dump(store->graph()));
  CHECK(files_in(store->temp_folder()) == 0);

  // No budget: no temporary folder at all.
  std::unique_ptr<GraphStore> unbounded;
  REQUIRE(GraphStore::open(GraphStoreOptions{0, "/nonexistent-eventgraph-dir"}, &unbounded).is_ok());
  CHECK(unbounded->temp_folder().empty());
}

TEST_CASE("GraphStore names a temp folder it cannot use", "[graph]") {
  egtest::TempDir tmp;
  egtest::write_file(tmp / "a-file", "x");  // a file where a folder should be
  for (const std::string& bad : {tmp / "missing/deeper", tmp / "a-file"}) {
    std::unique_ptr<GraphStore> store;
    Status st = GraphStore::open(GraphStoreOptions{1, bad}, &store);
    CHECK(st.kind() == Status::Kind::kIOError);
    CHECK(egtest::has(st.message(), bad));
    CHECK(store == nullptr);
  }
}

TEST_CASE("a damaged run is reported by the cursor, not read past", "[graph]") {
  // With 2 threads the merged edges are two files (key ranges): the last is damaged.
  const int threads = GENERATE(1, 2);
  INFO("threads " << threads);
  egtest::TempDir tmp;
  std::unique_ptr<GraphStore> store;
  GraphStoreOptions o{1, tmp.path()};
  o.threads = threads;
  REQUIRE(GraphStore::open(o, &store).is_ok());
  for (const auto& a : documents(2)) {
    add_annotation(store->graph(), a, egtest::test_taxonomy());
    REQUIRE(store->maybe_spill().is_ok());
  }
  REQUIRE(store->finish().is_ok());
  REQUIRE(store->edge_parts() == size_t(threads));
  const std::string edges = store->temp_folder() + (threads == 1 ? "/merged.edges" : "/merged-1.edges");
  REQUIRE(fs::exists(edges));
  fs::resize_file(edges, fs::file_size(edges) - 3);
  auto cursor = store->edges();
  size_t read = 0;
  while (cursor->next() != nullptr) ++read;
  CHECK(read + 1 == store->edge_count());
  CHECK_FALSE(cursor->status().is_ok());
  CHECK(egtest::has(cursor->status().message(), edges));
  Graph g;
  CHECK_FALSE(materialize(*store, &g).is_ok());
}

TEST_CASE("next_into hands out edges that stay valid while later ones are read", "[graph]") {
  // What a batch of edges relies on: each edge read into its own scratch (or
  // left where it is in memory) is still that edge after the cursor moved
  // on, across the parts' files of a spilled store.
  Graph whole;
  for (const auto& a : documents(3)) add_annotation(whole, a, egtest::test_taxonomy());
  std::vector<EdgeKey> want;
  for (const auto& [key, e] : whole.edges()) want.push_back(key);
  REQUIRE(want.size() > 20);

  egtest::TempDir tmp;
  std::unique_ptr<GraphStore> store;
  GraphStoreOptions o{1, tmp.path()};
  o.threads = 2;
  REQUIRE(GraphStore::open(o, &store).is_ok());
  for (const auto& a : documents(3)) {
    add_annotation(store->graph(), a, egtest::test_taxonomy());
    REQUIRE(store->maybe_spill().is_ok());
  }
  REQUIRE(store->finish().is_ok());
  REQUIRE(store->edge_parts() == 2);
  const MemoryGraphView memory(whole);
  for (const GraphView* view : {static_cast<const GraphView*>(store.get()), static_cast<const GraphView*>(&memory)}) {
    const bool in_memory = view == &memory;
    INFO((in_memory ? "in memory" : "spilled"));
    auto cursor = view->edges();
    std::vector<Edge> scratch(want.size() + 1);
    std::vector<const Edge*> got;
    while (const Edge* e = cursor->next_into(&scratch[got.size()])) got.push_back(e);
    REQUIRE(cursor->status().is_ok());
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i]->key == want[i]);
      CHECK(got[i]->sources == whole.edges().at(want[i]).sources);
    }
  }
}
