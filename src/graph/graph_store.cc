// GraphStore: sorted runs on disk and their k-way merge (see
// include/eventgraph/graph_store.h); MemoryGraphView; materialize().
//
// Run file format (internal, never kept after the run): a magic line, then
// records until the end of the file. Integers are LEB128 varints, strings a
// varint length and the bytes, a weight its 8 IEEE bytes (little-endian host
// order; the file never leaves the process).
//   node: id, type (1 byte), label, aliases (count, strings), attrs (count,
//         key/value), mentions, sources (count, doc/begin/end/rule),
//         label_votes (count, form/count)
//   edge: from, to, type, qualifier, weight, attrs, sources
// Each run holds one node or edge per id or key, sorted as the Graph's maps
// are; the merged file has the same format.
//
// Cost: a spill writes the Graph once (sequential); the merge reads every run
// once and writes the merged graph once, holding one record per run; a cursor
// reads the merged file once per pass.
#include "eventgraph/graph_store.h"
#include "util/cpu_time.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <queue>
#include <type_traits>

namespace eventgraph {
namespace {

namespace fs = std::filesystem;

constexpr char kMagic[] = "eventgraph-run-1\n";
constexpr size_t kMagicLen = sizeof(kMagic) - 1;
constexpr size_t kBufBytes = 1 << 20;
// The read buffers of the final merge, all readers together: it may hold
// runs x (1 + edge parts) readers at once.
constexpr size_t kMergeBufBytes = size_t(64) << 20;
constexpr size_t kMinBufBytes = size_t(64) << 10;

std::string errno_text(int e) { return std::strerror(e); }

// Open stores' folders and run counts, for remove_graph_store_files_on_signal()
// (which may only call async-signal-safe functions: it reads these, builds
// the file names by hand and unlink()s / rmdir()s).
constexpr int kStoreSlots = 8;
std::atomic<const char*> g_store_dirs[kStoreSlots];
std::atomic<size_t> g_store_runs[kStoreSlots];

void append(char* buf, size_t cap, size_t* len, const char* s) {
  while (*s != '\0' && *len + 1 < cap) buf[(*len)++] = *s++;
  buf[*len] = '\0';
}

void append_number(char* buf, size_t cap, size_t* len, size_t v) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0 && n < 24);
  char out[25];
  for (int i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  out[n] = '\0';
  append(buf, cap, len, out);
}

void unlink_in(const char* dir, const char* name, size_t number, bool numbered, const char* suffix) {
  char path[4096];
  size_t len = 0;
  path[0] = '\0';
  append(path, sizeof path, &len, dir);
  append(path, sizeof path, &len, name);
  if (numbered) append_number(path, sizeof path, &len, number);
  append(path, sizeof path, &len, suffix);
  ::unlink(path);
}

// Appends records to a file through a buffer of kBufBytes (written into
// directly, one room check per number or string); the first error is kept.
class RunWriter {
 public:
  explicit RunWriter(std::string path) : path_(std::move(path)) {
    f_ = std::fopen(path_.c_str(), "wb");
    if (f_ == nullptr) {
      fail(errno);
      return;
    }
    bytes(kMagic, kMagicLen);
  }
  ~RunWriter() {
    if (f_) std::fclose(f_);
  }

  void node(const Node& n) {
    str(n.id);
    const char type = static_cast<char>(n.type);
    bytes(&type, 1);
    str(n.label);
    varint(n.aliases.size());
    for (const auto& a : n.aliases) str(a);
    attrs(n.attrs);
    varint(n.mentions);
    sources(n.sources);
    varint(n.label_votes.size());
    for (const auto& [form, count] : n.label_votes) {
      str(form);
      varint(count);
    }
  }

  void edge(const Edge& e) {
    str(e.key.from);
    str(e.key.to);
    str(e.key.type);
    str(e.key.qualifier);
    char w[sizeof(double)];
    std::memcpy(w, &e.weight, sizeof w);
    bytes(w, sizeof w);
    attrs(e.attrs);
    sources(e.sources);
  }

  // Where the next record starts in the file.
  uint64_t offset() const { return written_ + len_; }

  Status close() {
    write_buffer();
    if (f_ && std::fclose(f_) != 0 && err_ == 0) err_ = errno;
    f_ = nullptr;
    if (err_ != 0) return Status::io_error(path_ + ": cannot write graph run: " + errno_text(err_));
    return Status::ok();
  }

 private:
  void fail(int e) {
    if (err_ == 0) err_ = e != 0 ? e : EIO;
  }
  void varint(uint64_t v) {
    if (kBufBytes - len_ < 10) write_buffer();  // a varint is at most 10 bytes
    char* p = buf_.get() + len_;
    while (v >= 0x80) {
      *p++ = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<char>(v);
    len_ = static_cast<size_t>(p - buf_.get());
  }
  void bytes(const char* p, size_t n) {
    if (n > kBufBytes - len_) {
      write_buffer();
      if (n > kBufBytes) {  // larger than the buffer: written as it is
        write(p, n);
        return;
      }
    }
    std::memcpy(buf_.get() + len_, p, n);
    len_ += n;
  }
  void str(const std::string& s) {
    varint(s.size());
    bytes(s.data(), s.size());
  }
  void attrs(const std::map<std::string, std::string>& a) {
    varint(a.size());
    for (const auto& [k, v] : a) {
      str(k);
      str(v);
    }
  }
  void sources(const std::set<Source>& s) {
    varint(s.size());
    for (const auto& src : s) {
      str(src.doc);
      varint(src.begin);
      varint(src.end);
      str(src.rule);
    }
  }
  void write(const char* p, size_t n) {
    if (f_ && err_ == 0 && n > 0 && std::fwrite(p, 1, n, f_) != n) fail(errno);
    written_ += n;
  }
  void write_buffer() {
    write(buf_.get(), len_);
    len_ = 0;
  }

  std::string path_;
  std::FILE* f_ = nullptr;
  std::unique_ptr<char[]> buf_ = std::make_unique_for_overwrite<char[]>(kBufBytes);
  size_t len_ = 0;  // bytes in buf_
  uint64_t written_ = 0;
  int err_ = 0;
};

// Reads records back; next_node()/next_edge() return false at the end or on
// an error (status() tells).
class RunReader {
 public:
  explicit RunReader(std::string path, size_t buffer_bytes = kBufBytes) : path_(std::move(path)) {
    f_ = std::fopen(path_.c_str(), "rb");
    if (f_ == nullptr) {
      error_ = Status::io_error(path_ + ": cannot read graph run: " + errno_text(errno));
      return;
    }
    cap_ = std::max<size_t>(buffer_bytes, 1);
    buf_ = std::make_unique_for_overwrite<char[]>(cap_);  // not zeroed: fread fills what is read
    std::string magic;
    if (!bytes(kMagicLen, &magic) || magic != std::string(kMagic, kMagicLen)) corrupt();
  }
  ~RunReader() {
    if (f_) std::fclose(f_);
  }
  RunReader(const RunReader&) = delete;
  RunReader& operator=(const RunReader&) = delete;

  const Status& status() const { return error_; }

  // Goes to `offset`, where a record starts (RunWriter::offset()).
  bool seek(uint64_t offset) {
    if (!error_ || f_ == nullptr) return false;
    if (std::fseek(f_, static_cast<long>(offset), SEEK_SET) != 0) {
      error_ = Status::io_error(path_ + ": cannot seek in graph run: " + errno_text(errno));
      return false;
    }
    pos_ = end_ = 0;
    return true;
  }

  // Reads into *n, reusing its strings' buffers and its sources' set nodes,
  // as next_edge() does. Without with_sources the node's sources and label
  // votes are stepped over and left empty.
  bool next_node(Node* n, bool with_sources = true) {
    if (!more()) return false;
    uint64_t count = 0;
    n->aliases.clear();
    n->attrs.clear();
    n->label_votes.clear();
    if (!str(&n->id)) return corrupt();
    std::string type;
    if (!bytes(1, &type) || static_cast<unsigned char>(type[0]) > 6) return corrupt();
    n->type = static_cast<NodeType>(type[0]);
    if (!str(&n->label) || !varint(&count)) return corrupt();
    for (uint64_t i = 0; i < count; ++i) {
      std::string a;
      if (!str(&a)) return corrupt();
      n->aliases.insert(n->aliases.end(), std::move(a));
    }
    if (!attrs(&n->attrs) || !varint(&n->mentions)) return corrupt();
    if (!with_sources) {
      uint64_t v = 0;
      if (!skip_sources(&n->sources) || !varint(&count)) return corrupt();
      for (uint64_t i = 0; i < count; ++i)
        if (!skip_str() || !varint(&v)) return corrupt();
      return true;
    }
    if (!sources(&n->sources) || !varint(&count)) return corrupt();
    for (uint64_t i = 0; i < count; ++i) {
      std::string form;
      uint64_t votes = 0;
      if (!str(&form) || !varint(&votes)) return corrupt();
      n->label_votes.emplace_hint(n->label_votes.end(), std::move(form), votes);
    }
    return true;
  }

  // Reads into *e, reusing what it holds: its strings' buffers and its
  // sources' set nodes (a cursor decodes millions of edges into one Edge).
  // Without with_sources the sources are stepped over and e->sources is
  // left empty.
  bool next_edge(Edge* e, bool with_sources = true) {
    if (!more()) return false;
    e->attrs.clear();
    std::string& w = scratch_;
    if (!str(&e->key.from) || !str(&e->key.to) || !str(&e->key.type) || !str(&e->key.qualifier) ||
        !bytes(sizeof(double), &w) || !attrs(&e->attrs))
      return corrupt();
    if (with_sources ? !sources(&e->sources) : !skip_sources(&e->sources)) return corrupt();
    std::memcpy(&e->weight, w.data(), sizeof(double));
    return true;
  }

 private:
  bool corrupt() {
    if (error_) error_ = Status::io_error(path_ + ": graph run is truncated or corrupt");
    return false;
  }
  bool fill() {
    if (!error_ || f_ == nullptr) return false;
    if (pos_ < end_) return true;
    end_ = std::fread(buf_.get(), 1, cap_, f_);
    pos_ = 0;
    if (end_ == 0 && std::ferror(f_))
      error_ = Status::io_error(path_ + ": cannot read graph run: " + errno_text(errno));
    return end_ > 0;
  }
  bool more() { return fill(); }
  bool byte(unsigned char* c) {
    if (!fill()) return false;
    *c = static_cast<unsigned char>(buf_[pos_++]);
    return true;
  }
  bool varint(uint64_t* v) {
    if (end_ - pos_ >= 10) {  // the whole varint is in the buffer: no refill checks
      uint64_t x = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        const unsigned char c = static_cast<unsigned char>(buf_[pos_++]);
        x |= static_cast<uint64_t>(c & 0x7f) << shift;
        if ((c & 0x80) == 0) {
          *v = x;
          return true;
        }
      }
      return false;
    }
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      unsigned char c;
      if (!byte(&c)) return false;
      *v |= static_cast<uint64_t>(c & 0x7f) << shift;
      if ((c & 0x80) == 0) return true;
    }
    return false;
  }
  bool varint(uint32_t* v) {
    uint64_t x = 0;
    if (!varint(&x) || x > UINT32_MAX) return false;
    *v = static_cast<uint32_t>(x);
    return true;
  }
  bool bytes(size_t n, std::string* out) {
    if (n <= end_ - pos_) {  // in the buffer
      out->assign(buf_.get() + pos_, n);
      pos_ += n;
      return true;
    }
    out->clear();
    while (out->size() < n) {
      if (!fill()) return false;
      const size_t take = std::min(n - out->size(), end_ - pos_);
      out->append(buf_.get() + pos_, take);
      pos_ += take;
    }
    return true;
  }
  bool str(std::string* s) {
    uint64_t n = 0;
    return varint(&n) && bytes(n, s);
  }
  bool attrs(std::map<std::string, std::string>* a) {
    uint64_t count = 0;
    if (!varint(&count)) return false;
    for (uint64_t i = 0; i < count; ++i) {
      std::string k, v;
      if (!str(&k) || !str(&v)) return false;
      a->emplace_hint(a->end(), std::move(k), std::move(v));
    }
    return true;
  }
  // Reads a set of sources in place of *s, whose nodes are reused (a set's
  // node handle may be changed before it is inserted again).
  bool sources(std::set<Source>* s) {
    spare_.clear();
    while (!s->empty()) spare_.push_back(s->extract(s->begin()));
    uint64_t count = 0;
    if (!varint(&count)) return false;
    for (uint64_t i = 0; i < count; ++i) {
      if (spare_.empty()) {
        Source src;
        if (!read_source(&src)) return false;
        s->insert(s->end(), std::move(src));
      } else {
        auto node = std::move(spare_.back());
        spare_.pop_back();
        if (!read_source(&node.value())) return false;
        s->insert(s->end(), std::move(node));
      }
    }
    return true;
  }
  bool skip(uint64_t n) {
    while (n > 0) {
      if (!fill()) return false;
      const size_t take = static_cast<size_t>(std::min<uint64_t>(n, end_ - pos_));
      pos_ += take;
      n -= take;
    }
    return true;
  }
  bool skip_str() {
    uint64_t n = 0;
    return varint(&n) && skip(n);
  }
  bool skip_sources(std::set<Source>* s) {
    s->clear();
    uint64_t count = 0, v = 0;
    if (!varint(&count)) return false;
    for (uint64_t i = 0; i < count; ++i)
      if (!skip_str() || !varint(&v) || !varint(&v) || !skip_str()) return false;
    return true;
  }
  bool read_source(Source* src) {
    return str(&src->doc) && varint(&src->begin) && varint(&src->end) && str(&src->rule);
  }

  std::string path_;
  std::FILE* f_ = nullptr;
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0, pos_ = 0, end_ = 0;
  Status error_;
  std::string scratch_;
  std::vector<std::set<Source>::node_type> spare_;
};

class MapNodeCursor : public NodeCursor {
 public:
  explicit MapNodeCursor(const Graph& g) : it_(g.nodes().begin()), end_(g.nodes().end()) {}
  const Node* next() override { return it_ == end_ ? nullptr : &(it_++)->second; }

 private:
  std::map<std::string, Node>::const_iterator it_, end_;
};

class MapEdgeCursor : public EdgeCursor {
 public:
  explicit MapEdgeCursor(const Graph& g) : it_(g.edges().begin()), end_(g.edges().end()) {}
  const Edge* next() override { return it_ == end_ ? nullptr : &(it_++)->second; }
  const Edge* next_into(Edge*) override { return next(); }

 private:
  EdgeMap::const_iterator it_, end_;
};

class FileNodeCursor : public NodeCursor {
 public:
  FileNodeCursor(const std::string& path, bool with_sources) : r_(path), with_sources_(with_sources) {}
  const Node* next() override { return r_.next_node(&n_, with_sources_) ? &n_ : nullptr; }
  Status status() const override { return r_.status(); }

 private:
  RunReader r_;
  bool with_sources_;
  Node n_;
};

// The merged edges: the parts' files one after the other (each part holds a
// range of keys, in order).
class FileEdgeCursor : public EdgeCursor {
 public:
  FileEdgeCursor(std::vector<std::string> paths, bool with_sources)
      : paths_(std::move(paths)), r_(std::make_unique<RunReader>(paths_[0])), with_sources_(with_sources) {}
  const Edge* next() override { return next_into(&e_); }
  const Edge* next_into(Edge* scratch) override {
    while (!r_->next_edge(scratch, with_sources_)) {
      if (!r_->status() || part_ + 1 >= paths_.size()) return nullptr;
      r_ = std::make_unique<RunReader>(paths_[++part_]);
    }
    return scratch;
  }
  Status status() const override { return r_->status(); }

 private:
  std::vector<std::string> paths_;
  size_t part_ = 0;
  std::unique_ptr<RunReader> r_;
  bool with_sources_;
  Edge e_;
};

// K-way merge of sorted runs of T: each id/key once, equal ones combined with
// `combine`, written through `emit`. One record per run in memory.
template <typename T, typename KeyOf, typename Read, typename Combine, typename Emit>
Status merge_sorted(std::vector<std::unique_ptr<RunReader>>& runs, KeyOf key_of, Read read,
                    Combine combine, Emit emit) {
  std::vector<T> cur(runs.size());
  auto greater = [&](size_t a, size_t b) {
    const auto& ka = key_of(cur[a]);
    const auto& kb = key_of(cur[b]);
    if (kb < ka) return true;
    if (ka < kb) return false;
    return a > b;
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(greater)> heap(greater);
  for (size_t i = 0; i < runs.size(); ++i) {
    if (read(*runs[i], &cur[i])) heap.push(i);
    if (!runs[i]->status()) return runs[i]->status();
  }
  T acc;
  while (!heap.empty()) {
    size_t i = heap.top();
    heap.pop();
    acc = std::move(cur[i]);
    if (read(*runs[i], &cur[i])) heap.push(i);
    if (!runs[i]->status()) return runs[i]->status();
    while (!heap.empty() && !(key_of(acc) < key_of(cur[heap.top()]))) {
      size_t j = heap.top();
      heap.pop();
      combine(acc, cur[j]);
      if (read(*runs[j], &cur[j])) heap.push(j);
      if (!runs[j]->status()) return runs[j]->status();
    }
    emit(acc);
  }
  return Status::ok();
}

// merge_sorted() of the runs `open_run` opens for r in [first, last), written
// to out_path through `write(writer, record)`. An exception (bad_alloc) is
// reported as the status, so no caller's thread is left joinable by a throw.
template <typename T, typename OpenRun, typename KeyOf, typename Read, typename Combine, typename Write>
Status merge_runs_into(size_t first, size_t last, const std::string& out_path, OpenRun open_run, KeyOf key_of,
                       Read read, Combine combine, Write write) {
  try {
    std::vector<std::unique_ptr<RunReader>> readers;
    for (size_t r = first; r < last; ++r) {
      readers.push_back(open_run(r));
      if (!readers.back()->status()) return readers.back()->status();
    }
    RunWriter out(out_path);
    Status st = merge_sorted<T>(readers, key_of, read, combine, [&](const T& x) { write(out, x); });
    if (st) st = out.close();
    return st;
  } catch (const std::exception& e) {
    return Status::io_error(out_path + ": " + e.what());
  }
}

const std::string& node_id(const Node& n) { return n.id; }
const EdgeKey& edge_key(const Edge& e) { return e.key; }
bool read_node(RunReader& r, Node* n) { return r.next_node(n); }

// Most runs one merge reads at once by default (GraphStoreOptions::max_merge_runs),
// and the files left to the rest of the process under RLIMIT_NOFILE.
constexpr size_t kMaxMergeRuns = 256;
constexpr size_t kReservedFiles = 64;

}  // namespace

std::unique_ptr<NodeCursor> MemoryGraphView::nodes() const {
  return std::make_unique<MapNodeCursor>(g_);
}

std::unique_ptr<EdgeCursor> MemoryGraphView::edges() const {
  return std::make_unique<MapEdgeCursor>(g_);
}

Status materialize(const GraphView& view, Graph* out) {
  auto nodes = view.nodes();
  while (const Node* n = nodes->next()) out->merge_node(*n);
  if (!nodes->status()) return nodes->status();
  auto edges = view.edges();
  while (const Edge* e = edges->next()) out->merge_edge(*e);
  return edges->status();
}

void remove_graph_store_files_on_signal() {
  for (int i = 0; i < kStoreSlots; ++i) {
    const char* dir = g_store_dirs[i].load();
    if (dir == nullptr) continue;
    const size_t runs = g_store_runs[i].load();
    for (size_t r = 0; r <= runs; ++r) {  // the run being written too
      unlink_in(dir, "/run-", r, true, ".nodes");
      unlink_in(dir, "/run-", r, true, ".edges");
    }
    unlink_in(dir, "/merged", 0, false, ".nodes");
    unlink_in(dir, "/merged", 0, false, ".edges");
    for (size_t p = 1; p < GraphStore::kMaxEdgeParts; ++p) unlink_in(dir, "/merged-", p, true, ".edges");
    ::rmdir(dir);
  }
}

Status GraphStore::open(const GraphStoreOptions& options, std::unique_ptr<GraphStore>* out) {
  std::unique_ptr<GraphStore> s(new GraphStore());
  s->options_ = options;
  if (options.memory_budget > 0) {
    std::string base = options.temp_dir;
    if (base.empty()) {
      const char* t = std::getenv("TMPDIR");
      base = t != nullptr && *t != '\0' ? t : "/tmp";
    }
    std::string templ = (fs::path(base) / "eventgraph-graph-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
      return Status::io_error(base + ": cannot make a temporary folder for the graph: " +
                              errno_text(errno));
    }
    s->dir_ = templ;
    for (int i = 0; i < kStoreSlots; ++i) {
      const char* none = nullptr;
      if (g_store_dirs[i].compare_exchange_strong(none, s->dir_.c_str())) {
        s->slot_ = i;
        g_store_runs[i].store(0);
        break;
      }
    }
  }
  *out = std::move(s);
  return Status::ok();
}

GraphStore::~GraphStore() { remove_files(); }

void GraphStore::remove_files() {
  if (writer_.joinable()) writer_.join();
  if (dir_.empty()) return;
  if (slot_ >= 0) g_store_dirs[slot_].store(nullptr);
  slot_ = -1;
  std::error_code ec;
  fs::remove_all(dir_, ec);
  dir_.clear();
}

std::string GraphStore::run_path(size_t run, const char* what) const {
  return dir_ + "/run-" + std::to_string(run) + "." + what;
}

Status GraphStore::maybe_spill() {
  if (options_.memory_budget == 0) return Status::ok();
  const uint64_t estimate = mem_.nodes().size() * kNodeBytes + mem_.edges().size() * kEdgeBytes;
  if (estimate <= options_.memory_budget) return Status::ok();
  return spill();
}

Status GraphStore::write_run(const Graph& g, size_t run, EdgeIndex* index) const {
  RunWriter nodes(run_path(run, "nodes"));
  for (const auto& [id, n] : g.nodes()) nodes.node(n);
  Status st = nodes.close();
  if (!st) return st;
  RunWriter edges(run_path(run, "edges"));
  size_t i = 0;
  for (const auto& [key, e] : g.edges()) {
    if (i++ % std::max<size_t>(options_.edge_index_every, 1) == 0) index->emplace_back(key, edges.offset());
    edges.edge(e);
  }
  return edges.close();
}

Status GraphStore::wait_writer() {
  if (!writer_.joinable()) return Status::ok();
  writer_.join();
  return writer_status_;
}

Status GraphStore::spill() {
  Status st = wait_writer();
  if (!st) return st;
  const size_t run = runs_++;
  spilled_runs_ = runs_;
  if (slot_ >= 0) g_store_runs[slot_].store(runs_);
  auto full = std::make_shared<Graph>(std::move(mem_));
  mem_ = Graph();
  edge_index_.resize(runs_);  // (the writer thread fills its run's; the next spill waits for it)
  EdgeIndex* index = &edge_index_[run];
  writer_ = std::thread([this, full, run, index]() mutable {
    const double start = thread_cpu_seconds();
    writer_status_ = write_run(*full, run, index);
    const double written = thread_cpu_seconds();
    full.reset();  // the run's memory is freed here too, off the merge stage
    spill_write_seconds_ += written - start;
    spill_free_seconds_ += thread_cpu_seconds() - written;
  });
  return Status::ok();
}

Status GraphStore::finish() {
  if (finished_) return Status::ok();
  finished_ = true;
  if (runs_ == 0) return Status::ok();
  if (!mem_.nodes().empty() || !mem_.edges().empty()) {
    Status st = spill();
    if (!st) return st;
  }
  Status st = wait_writer();
  if (!st) return st;
  return merge_runs();
}

Status GraphStore::merge_runs() {
  // The nodes' runs and the edges' runs are independent files with their own
  // counters: merges that may run at the same time. With more than one
  // thread the edges are also cut into key ranges ("parts", split at
  // quantiles of the runs' sparse indexes), each merged on its own into its
  // own file: equal keys are all in one range, so each part is exactly the
  // slice of the one-file merge, and the parts' files read one after the
  // other are that merge. Each merge reports an exception (bad_alloc) as its
  // status, so no thread is left joinable by a throw.
  size_t want = options_.threads > 0 ? size_t(options_.threads) : size_t(std::thread::hardware_concurrency());
  want = std::clamp<size_t>(want, 1, kMaxEdgeParts);
  // The merge below holds runs x (1 + parts) files open: with more runs than
  // that leaves room for, they are merged in groups first.
  size_t fan_in = options_.max_merge_runs;
  if (fan_in == 0) {
    fan_in = kMaxMergeRuns;
    struct rlimit limit;
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
      const size_t files = static_cast<size_t>(limit.rlim_cur);
      fan_in = std::min(fan_in, (files > kReservedFiles ? files - kReservedFiles : 0) / (want + 1));
    }
  }
  fan_in = std::max<size_t>(fan_in, 2);
  while (runs_ > fan_in) {
    Status st = merge_run_groups(fan_in);
    if (!st) return st;
    ++merge_levels_;
  }
  std::vector<EdgeKey> bounds;  // part p holds keys in [bounds[p-1], bounds[p])
  if (want > 1) {
    std::vector<const EdgeKey*> keys;
    for (const auto& run : edge_index_)
      for (const auto& [key, offset] : run) keys.push_back(&key);
    std::sort(keys.begin(), keys.end(), [](const EdgeKey* x, const EdgeKey* y) { return *x < *y; });
    for (size_t p = 1; p < want && !keys.empty(); ++p) {
      const EdgeKey& k = *keys[keys.size() * p / want];
      if (bounds.empty() || bounds.back() < k) bounds.push_back(k);
    }
  }
  edge_parts_ = bounds.size() + 1;
  std::vector<size_t> part_edges(edge_parts_, 0);
  const size_t buffer = std::clamp(kMergeBufBytes / std::max<size_t>(runs_ * (edge_parts_ + 1), 1), kMinBufBytes, kBufBytes);

  auto merge_nodes = [&] {
    return merge_runs_into<Node>(
        0, runs_, dir_ + "/merged.nodes",
        [&](size_t r) { return std::make_unique<RunReader>(run_path(r, "nodes"), buffer); }, node_id, read_node,
        merge_node_into, [&](RunWriter& w, const Node& n) {
          w.node(n);
          ++type_counts_[static_cast<size_t>(n.type)];
          ++nodes_;
        });
  };
  auto merge_edges = [&](size_t p) {
    const EdgeKey* lo = p > 0 ? &bounds[p - 1] : nullptr;
    const EdgeKey* hi = p + 1 < edge_parts_ ? &bounds[p] : nullptr;
    return merge_runs_into<Edge>(
        0, runs_, edge_part_path(p),
        [&](size_t r) {
          auto reader = std::make_unique<RunReader>(run_path(r, "edges"), buffer);
          if (lo != nullptr) {  // start at the last indexed record before lo
            const EdgeIndex& index = edge_index_[r];
            auto it = std::lower_bound(index.begin(), index.end(), *lo,
                                       [](const auto& entry, const EdgeKey& k) { return entry.first < k; });
            if (it != index.begin()) reader->seek(std::prev(it)->second);
          }
          return reader;
        },
        edge_key,
        [lo, hi](RunReader& r, Edge* e) {
          while (r.next_edge(e)) {
            if (lo != nullptr && e->key < *lo) continue;  // before the part (after a seek)
            return hi == nullptr || e->key < *hi;          // past it: this run's part is done
          }
          return false;
        },
        merge_edge_into, [&, p](RunWriter& w, const Edge& e) {
          w.edge(e);
          ++part_edges[p];
        });
  };
  std::vector<Status> st(edge_parts_ + 1);
  if (options_.threads == 1) {
    st[0] = merge_nodes();
    for (size_t p = 0; p < edge_parts_ && st[p]; ++p) st[p + 1] = merge_edges(p);
  } else {
    std::vector<std::thread> workers;
    try {
      workers.emplace_back([&] { st[0] = merge_nodes(); });
      for (size_t p = 1; p < edge_parts_; ++p) workers.emplace_back([&, p] { st[p + 1] = merge_edges(p); });
    } catch (const std::exception& e) {
      // A thread could not be started (std::system_error): the ones that
      // were finish first, so none is left joinable.
      for (auto& t : workers) t.join();
      return Status::internal(dir_ + ": cannot start a thread to merge the graph's runs: " + e.what());
    }
    st[1] = merge_edges(0);
    for (auto& t : workers) t.join();
  }
  for (const Status& s : st)
    if (!s) return s;
  for (size_t n : part_edges) edges_ += n;
  std::error_code ec;
  for (size_t r = 0; r < runs_; ++r) {
    fs::remove(run_path(r, "nodes"), ec);
    fs::remove(run_path(r, "edges"), ec);
  }
  edge_index_.clear();
  return Status::ok();
}

Status GraphStore::merge_run_groups(size_t fan_in) {
  // Group g is written as run (runs_ + g), inside the signal handler's range,
  // and renamed to run g once every old run is gone.
  const size_t groups = (runs_ + fan_in - 1) / fan_in;
  const size_t base = runs_;
  if (slot_ >= 0) g_store_runs[slot_].store(base + groups);
  const size_t buffer = std::clamp(kMergeBufBytes / fan_in, kMinBufBytes, kBufBytes);
  std::vector<EdgeIndex> index(groups);
  const size_t every = std::max<size_t>(options_.edge_index_every, 1);
  std::error_code ec;
  for (size_t g = 0; g < groups; ++g) {
    const size_t first = g * fan_in, last = std::min(first + fan_in, runs_);
    Status st = merge_runs_into<Node>(
        first, last, run_path(base + g, "nodes"),
        [&](size_t r) { return std::make_unique<RunReader>(run_path(r, "nodes"), buffer); }, node_id, read_node,
        merge_node_into, [](RunWriter& w, const Node& n) { w.node(n); });
    if (!st) return st;
    size_t i = 0;
    st = merge_runs_into<Edge>(
        first, last, run_path(base + g, "edges"),
        [&](size_t r) { return std::make_unique<RunReader>(run_path(r, "edges"), buffer); }, edge_key,
        [](RunReader& r, Edge* e) { return r.next_edge(e); }, merge_edge_into,
        [&](RunWriter& w, const Edge& e) {
          if (i++ % every == 0) index[g].emplace_back(e.key, w.offset());
          w.edge(e);
        });
    if (!st) return st;
    for (size_t r = first; r < last; ++r) {  // the disk holds one group twice at most
      fs::remove(run_path(r, "nodes"), ec);
      fs::remove(run_path(r, "edges"), ec);
    }
  }
  for (size_t g = 0; g < groups; ++g) {
    for (const char* what : {"nodes", "edges"}) {
      fs::rename(run_path(base + g, what), run_path(g, what), ec);
      if (ec) return Status::io_error(run_path(base + g, what) + ": cannot rename graph run: " + ec.message());
    }
  }
  runs_ = groups;
  if (slot_ >= 0) g_store_runs[slot_].store(runs_);
  edge_index_ = std::move(index);
  return Status::ok();
}

std::string GraphStore::edge_part_path(size_t part) const {
  return part == 0 ? dir_ + "/merged.edges" : dir_ + "/merged-" + std::to_string(part) + ".edges";
}

std::vector<std::string> GraphStore::edge_part_paths() const {
  std::vector<std::string> paths;
  for (size_t p = 0; p < edge_parts_; ++p) paths.push_back(edge_part_path(p));
  return paths;
}

std::unique_ptr<NodeCursor> GraphStore::nodes() const {
  if (runs_ == 0) return std::make_unique<MapNodeCursor>(mem_);
  return std::make_unique<FileNodeCursor>(dir_ + "/merged.nodes", true);
}

std::unique_ptr<NodeCursor> GraphStore::node_keys() const {
  if (runs_ == 0) return std::make_unique<MapNodeCursor>(mem_);
  return std::make_unique<FileNodeCursor>(dir_ + "/merged.nodes", false);
}

std::unique_ptr<EdgeCursor> GraphStore::edges() const {
  if (runs_ == 0) return std::make_unique<MapEdgeCursor>(mem_);
  return std::make_unique<FileEdgeCursor>(edge_part_paths(), true);
}

std::unique_ptr<EdgeCursor> GraphStore::edge_keys() const {
  if (runs_ == 0) return std::make_unique<MapEdgeCursor>(mem_);
  return std::make_unique<FileEdgeCursor>(edge_part_paths(), false);
}

size_t GraphStore::node_count() const { return runs_ == 0 ? mem_.nodes().size() : nodes_; }

size_t GraphStore::node_count(NodeType t) const {
  return runs_ == 0 ? mem_.node_count(t) : type_counts_[static_cast<size_t>(t)];
}

size_t GraphStore::edge_count() const { return runs_ == 0 ? mem_.edges().size() : edges_; }

}  // namespace eventgraph
