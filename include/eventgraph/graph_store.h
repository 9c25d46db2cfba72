// GraphView and GraphStore: the graph read in passes, and a graph whose
// memory is bounded by a budget whatever the input size.
//
// GraphView is what the exporters read: cursors over the nodes in id order
// and over the edges in key order, each of which can be opened any number of
// times (an exporter makes several passes), plus counts. Two views exist:
//   MemoryGraphView  over an in-memory Graph (the maps, as they are);
//   GraphStore       over a graph spilled to disk in sorted runs.
//
// GraphStore works like a sort-based GROUP BY in a database: documents are
// added to an in-memory Graph (graph()) as before; after each document
// maybe_spill() checks the Graph's estimated footprint and, past the budget,
// writes it out as one sorted RUN (nodes in id order, edges in key order, a
// compact binary format) in a private temporary folder and clears it.
// finish() spills the rest and k-way merges the runs key by key with the
// Graph's own merge rules (merge_node_into / merge_edge_into, associative and
// commutative, see src/graph/graph.cc), giving each final node and edge once,
// in the same order as the in-memory Graph would hold them: so every export
// is byte-identical to the in-memory path, at any budget and thread count.
// When nothing was spilled, finish() does nothing and the view is the
// in-memory Graph itself (graph_in_memory()).
//
// Memory: the in-memory Graph stays under the budget (estimated from node and
// edge counts, see kNodeBytes/kEdgeBytes); the merge holds one node or edge
// per run (per run and key range when the edges are merged as several ranges
// at once, GraphStoreOptions::threads) and read buffers of 64 MiB in all.
// The temporary folder (and every file in it) is removed by the destructor,
// also after an error.
//
// Thread safety: a GraphStore is filled by one thread (the pipeline's serial
// merge stage). After finish(), cursors may be opened and read from several
// threads at once (each cursor by one thread).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "eventgraph/graph.h"
#include "eventgraph/status.h"

namespace eventgraph {

// Nodes in id order. The Node returned by next() stays valid until the next
// call; nullptr at the end or on a read error (then status() says which).
class NodeCursor {
 public:
  virtual ~NodeCursor() = default;
  virtual const Node* next() = 0;
  virtual Status status() const { return Status::ok(); }
};

// Edges in key order; as NodeCursor.
class EdgeCursor {
 public:
  virtual ~EdgeCursor() = default;
  virtual const Edge* next() = 0;
  // The next edge, valid while *scratch is not written to or destroyed and
  // the view lives, whatever is read next: for readers that hold many edges
  // at once (a batch). A cursor that decodes (a spilled store) decodes into
  // *scratch, reusing its buffers; one over memory returns the edge where it
  // is. nullptr as next().
  virtual const Edge* next_into(Edge* scratch) {
    const Edge* e = next();
    if (e == nullptr) return nullptr;
    *scratch = *e;
    return scratch;
  }
  virtual Status status() const { return Status::ok(); }
};

class GraphView {
 public:
  virtual ~GraphView() = default;
  virtual std::unique_ptr<NodeCursor> nodes() const = 0;
  // The nodes as nodes() gives them, except that a node's sources and label
  // votes may be left empty (a spilled store then skips decoding them).
  virtual std::unique_ptr<NodeCursor> node_keys() const { return nodes(); }
  virtual std::unique_ptr<EdgeCursor> edges() const = 0;
  // The edges as edges() gives them, except that an edge's sources may be
  // left empty: for a pass that reads keys, weights and attrs only (a
  // spilled store then skips decoding the sources, most of an edge's bytes).
  virtual std::unique_ptr<EdgeCursor> edge_keys() const { return edges(); }
  virtual size_t node_count() const = 0;
  virtual size_t node_count(NodeType t) const = 0;
  virtual size_t edge_count() const = 0;
  // The whole graph in memory, when the view is one (else nullptr): formats
  // that need random access use it instead of materialize().
  virtual const Graph* graph_in_memory() const { return nullptr; }
};

class MemoryGraphView : public GraphView {
 public:
  explicit MemoryGraphView(const Graph& g) : g_(g) {}
  std::unique_ptr<NodeCursor> nodes() const override;
  std::unique_ptr<EdgeCursor> edges() const override;
  size_t node_count() const override { return g_.nodes().size(); }
  size_t node_count(NodeType t) const override { return g_.node_count(t); }
  size_t edge_count() const override { return g_.edges().size(); }
  const Graph* graph_in_memory() const override { return &g_; }

 private:
  const Graph& g_;
};

// Reads a whole view into `out` (which should be empty). Memory: the whole
// graph; for the formats that cannot stream.
Status materialize(const GraphView& view, Graph* out);

struct GraphStoreOptions {
  // Budget of the in-memory Graph, in bytes (estimated). Default: 256 MiB.
  // 0 = no budget: never spill (the whole graph stays in memory).
  uint64_t memory_budget = 256ull << 20;
  // Folder in which the private temporary folder is made. Default: "" =
  // $TMPDIR, or /tmp when unset.
  std::string temp_dir;
  // Threads the final merge of the runs may use: with more than one (or 0 =
  // as many as there are cores), the nodes' runs are merged at the same time
  // as the edges', which are merged as that many key ranges at once (at most
  // GraphStore::kMaxEdgeParts). Default: 0.
  int threads = 0;
  // One edge in this many is in a run's sparse index (where a key range's
  // merge can start reading the run). Default: 4096 (an index entry per
  // ~1 MB of run; tests use small values).
  size_t edge_index_every = 4096;
  // Most runs one merge reads at once. The final merge holds runs x (1 +
  // edge parts) files open; past this many runs (or past what the process's
  // open-files limit, RLIMIT_NOFILE, leaves room for), runs are first merged
  // in groups into fewer, larger runs, as often as needed (each such level
  // reads and writes the graph once more; the result is the same). Default:
  // 0 = from the open-files limit, at most 256 (tests use small values).
  size_t max_merge_runs = 0;
};

class GraphStore : public GraphView {
 public:
  // Estimated bytes of one node and one edge of an in-memory Graph (tree
  // node, key strings, attrs, provenance), measured on the generated corpus:
  // peak RSS of an unspilled run over 20 and 100 MiB (17,815 / 88,623 nodes,
  // 224,328 / 1,146,624 edges: 260.6 / 848.3 MiB) gives ~590 bytes an edge
  // beside 1100 a node. (830 while each edge's key was held twice.)
  static constexpr uint64_t kNodeBytes = 1100;
  static constexpr uint64_t kEdgeBytes = 650;
  // Most key ranges the edges' merge is cut into (GraphStoreOptions::threads).
  static constexpr size_t kMaxEdgeParts = 8;

  // Makes the private temporary folder now (when there is a budget), so that
  // an unusable temp folder is an error before any input is read: an
  // IOError naming the folder.
  static Status open(const GraphStoreOptions& options, std::unique_ptr<GraphStore>* out);
  // Removes the temporary runs and the private folder (what the destructor
  // does). The store must not be used after it.
  ~GraphStore() override;
  void remove_files();

  // The in-memory part, to add documents to. REQUIRES: not finished.
  Graph& graph() { return mem_; }
  // Spills graph() as one sorted run when its estimated footprint passes the
  // budget. Cheap when it does not (two size() calls).
  Status maybe_spill();
  // Spills the rest (if anything was spilled before) and merges the runs.
  // After it, the GraphView functions may be called.
  Status finish();

  // Runs spilled (before any merge in groups).
  size_t runs() const { return spilled_runs_; }
  // Levels of merging in groups that finish() needed before the final merge
  // (GraphStoreOptions::max_merge_runs); 0 for most inputs.
  size_t merge_levels() const { return merge_levels_; }
  // Files the merged edges are in (key ranges merged at once; 1 when
  // nothing was spilled or with one thread).
  size_t edge_parts() const { return edge_parts_; }
  const std::string& temp_folder() const { return dir_; }
  // CPU seconds the background writer spent writing runs and freeing the
  // spilled graphs (for --timings); read after finish().
  double spill_write_seconds() const { return spill_write_seconds_; }
  double spill_free_seconds() const { return spill_free_seconds_; }

  std::unique_ptr<NodeCursor> nodes() const override;
  std::unique_ptr<NodeCursor> node_keys() const override;
  std::unique_ptr<EdgeCursor> edges() const override;
  std::unique_ptr<EdgeCursor> edge_keys() const override;
  size_t node_count() const override;
  size_t node_count(NodeType t) const override;
  size_t edge_count() const override;
  const Graph* graph_in_memory() const override { return runs_ == 0 ? &mem_ : nullptr; }

 private:
  GraphStore() = default;
  // Hands graph() to a background thread that writes it as run `runs_`
  // (after waiting for the previous one), so the merge stage goes on while
  // a run is written and freed. Peak memory: two budgets' worth.
  Status spill();
  // Waits for the run being written; its status.
  Status wait_writer();
  // A run's sparse index: the key and file offset of every
  // GraphStoreOptions::edge_index_every-th edge, from which the merge of a
  // key range starts reading the run.
  using EdgeIndex = std::vector<std::pair<EdgeKey, uint64_t>>;
  Status write_run(const Graph& g, size_t run, EdgeIndex* index) const;
  Status merge_runs();
  // Merges runs [0, runs_) in consecutive groups of at most `fan_in` into
  // fewer runs (numbered from 0 again, sparse indexes rebuilt), once.
  Status merge_run_groups(size_t fan_in);
  std::string run_path(size_t run, const char* what) const;
  std::string edge_part_path(size_t part) const;
  std::vector<std::string> edge_part_paths() const;

  GraphStoreOptions options_;
  std::string dir_;  // private temporary folder ("" when there is no budget)
  Graph mem_;
  std::thread writer_;     // writing the last spilled run, when joinable
  Status writer_status_;   // its result (read after join)
  // The writer thread's CPU: it adds to these as it ends; they are read
  // only after a join (wait_writer()).
  double spill_write_seconds_ = 0, spill_free_seconds_ = 0;
  size_t runs_ = 0;          // run files now (fewer than spilled after merges in groups)
  size_t spilled_runs_ = 0;
  size_t merge_levels_ = 0;
  std::vector<EdgeIndex> edge_index_;  // by run
  size_t edge_parts_ = 1;              // files the merged edges are in
  int slot_ = -1;  // in the signal handler's table (see remove_graph_store_files_on_signal)
  bool finished_ = false;
  std::array<size_t, 7> type_counts_{};  // after merging runs, by NodeType
  size_t nodes_ = 0, edges_ = 0;
};

// Async-signal-safe: removes the run files and temporary folder of every open
// GraphStore (at most 8 are tracked). For a handler of SIGINT/SIGTERM, so that
// ^C or kill leaves no temporary files behind; the CLI installs it.
void remove_graph_store_files_on_signal();

}  // namespace eventgraph
