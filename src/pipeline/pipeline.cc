// The run: a oneTBB parallel_pipeline of serial in-order read -> parallel
// extract -> serial in-order merge. See include/eventgraph/pipeline.h.
//
// Determinism: the merge stage is serial_in_order, so documents reach the
// Graph in input order whatever the thread count; the Graph itself keeps
// sorted maps. Memory: at most `tokens` Items are alive; they are recycled
// through a free list, so a Document's string capacity is reused.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "eventgraph/extractor.h"
#include "eventgraph/pipeline.h"
#include "util/cpu_time.h"

namespace eventgraph {
namespace {

using Clock = std::chrono::steady_clock;

// Forwards to the caller's reporter (if any) and counts skipped documents.
class CountingReporter : public Reporter {
 public:
  explicit CountingReporter(Reporter* next) : next_(next) {}
  void report(const Problem& p) override {
    if (p.skipped) skipped_.fetch_add(1, std::memory_order_relaxed);
    if (next_) next_->report(p);
  }
  uint64_t skipped() const { return skipped_.load(); }

 private:
  Reporter* next_;
  std::atomic<uint64_t> skipped_{0};
};

// A batch of consecutive documents: the extract stage runs each rule over
// the whole batch before the next rule (Extractor::extract_batch), which
// keeps that rule's DFA warm in the CPU caches. Up to kBatchDocs documents
// or kBatchBytes of text, whichever comes first; the documents and their
// annotations are reused from batch to batch (capacity kept).
constexpr size_t kBatchDocs = 128;
constexpr size_t kBatchBytes = size_t(1024) << 10;

struct Item {
  std::vector<Document> docs;  // docs[0, n) hold this batch
  std::vector<const Document*> ptrs;  // &docs[i], for extract_batch
  std::vector<DocAnnotation> anns;
  std::vector<DocFragment> frags;  // the annotations as graph nodes and edges
  std::vector<char> failed;
  size_t n = 0;
};

// A free list of Items, shared by the input stage (takes) and the output
// stage (gives back), which may run at the same time on different threads.
class ItemPool {
 public:
  std::unique_ptr<Item> take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.empty()) return std::make_unique<Item>();
    std::unique_ptr<Item> it = std::move(free_.back());
    free_.pop_back();
    return it;
  }
  void give(std::unique_ptr<Item> it) {
    for (size_t i = 0; i < it->n; ++i) {
      it->anns[i] = DocAnnotation();
      it->docs[i].attrs.clear();
    }
    it->n = 0;
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(it));
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Item>> free_;
};

// The progress line: documents, MB, MB/s and ETA, at most 4 times a second.
class Progress {
 public:
  Progress(bool enabled, const DocumentSource* src) : enabled_(enabled), src_(src) {
    start_ = last_ = Clock::now();
  }
  void tick(uint64_t docs) {
    if (!enabled_) return;
    Clock::time_point now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    double mb = src_->bytes_read() / 1e6;
    double rate = secs > 0 ? mb / secs : 0;
    char line[160];
    int n = std::snprintf(line, sizeof line, "\reventgraph: %llu documents, %.1f MB, %.1f MB/s",
                          static_cast<unsigned long long>(docs), mb, rate);
    std::string s(line, n > 0 ? static_cast<size_t>(n) : 0);
    uint64_t total = src_->total_bytes();
    if (total > 0 && rate > 0) {
      double left = (total / 1e6 - mb) / rate;
      if (left < 0) left = 0;
      std::snprintf(line, sizeof line, ", ETA %ds (%.0f%%)", static_cast<int>(left + 0.5),
                    100.0 * src_->bytes_read() / total);
      s += line;
    }
    s += "\033[K";
    std::fwrite(s.data(), 1, s.size(), stderr);
    std::fflush(stderr);
    shown_ = true;
  }
  void clear() {
    if (enabled_ && shown_) {
      std::fputs("\r\033[K", stderr);
      std::fflush(stderr);
    }
  }

 private:
  bool enabled_;
  const DocumentSource* src_;
  Clock::time_point start_, last_;
  bool shown_ = false;
};

// The document's id, url and title where the extractor left them empty.
void fill_from_attrs(const Document& doc, DocAnnotation* ann) {
  if (ann->doc_id.empty()) ann->doc_id = doc.id;
  if (ann->url.empty()) {
    auto u = doc.attrs.find("url");
    if (u != doc.attrs.end()) ann->url = u->second;
  }
  if (ann->title.empty()) {
    auto t = doc.attrs.find("title");
    if (t != doc.attrs.end()) ann->title = t->second;
  }
}

// Drops a fragment's Document node and the edges that touch it (MENTIONS,
// the document's ABOUT): for pipelines with "documents": false.
void strip_documents(DocFragment* f) {
  std::vector<std::string> docs;
  for (const Node& n : f->nodes)
    if (n.type == NodeType::Document) docs.push_back(n.id);
  if (docs.empty()) return;
  auto is_doc = [&](const std::string& id) { return std::find(docs.begin(), docs.end(), id) != docs.end(); };
  f->nodes.erase(std::remove_if(f->nodes.begin(), f->nodes.end(),
                                [](const Node& n) { return n.type == NodeType::Document; }),
                 f->nodes.end());
  f->edges.erase(std::remove_if(f->edges.begin(), f->edges.end(),
                                [&](const Edge& e) { return is_doc(e.key.from) || is_doc(e.key.to); }),
                 f->edges.end());
}

}  // namespace

Status run_pipeline(const std::vector<std::string>& inputs, const RuleSet& rules,
                    const PipelineSpec& spec, const RunOptions& options, Reporter* reporter,
                    Graph* graph, RunStats* stats, const AnnotationSink& sink) {
  Clock::time_point t0 = Clock::now();
  CountingReporter counting(reporter);
  std::unique_ptr<DocumentSource> source;
  Status st = open_sources(inputs, options.reader, &counting, &source);
  if (!st) return st;

  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  const size_t tokens =
      static_cast<size_t>(options.max_in_flight > 0 ? options.max_in_flight : 4 * threads);

  ItemPool pool;
  tbb::enumerable_thread_specific<std::unique_ptr<Extractor>> extractors;
  Progress progress(options.progress, source.get());
  uint64_t documents = 0;
  // Stage clocks: the serial stages run one at a time each, so plain
  // doubles; the parallel stage sums per thread.
  double read_seconds = 0, merge_seconds = 0;
  tbb::enumerable_thread_specific<double> extract_seconds(0.0);
  // --rule-stats: each thread's rule costs; they outlive its extractors
  // (which are remade after a failure).
  tbb::enumerable_thread_specific<std::vector<RuleStat>> rule_stats;
  auto make_extractor = [&](std::unique_ptr<Extractor>& ex) {
    ex = std::make_unique<Extractor>(rules);
    if (options.rule_stats) ex->set_rule_stats(&rule_stats.local());
  };
  const Taxonomy& taxonomy = rules.taxonomy();
  std::string error;
  Status merge_error;  // from options.after_merge; stops the pipeline

  try {
    // global_control lets an arena have more threads than cores (--threads 8
    // on 2 cores) without TBB's "workers limited" warning; the arena bounds
    // this run to `threads`.
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                    static_cast<size_t>(threads));
    tbb::task_arena arena(threads);
    arena.execute([&] {
      tbb::parallel_pipeline(
          tokens,
          tbb::make_filter<void, Item*>(
              tbb::filter_mode::serial_in_order,
              [&](tbb::flow_control& fc) -> Item* {
                const double start = thread_cpu_seconds();
                std::unique_ptr<Item> it = pool.take();
                size_t bytes = 0;
                while (it->n < kBatchDocs && bytes < kBatchBytes) {
                  if (it->docs.size() == it->n) it->docs.emplace_back();
                  if (!source->next(it->docs[it->n])) break;
                  bytes += it->docs[it->n].text.size();
                  ++it->n;
                }
                read_seconds += thread_cpu_seconds() - start;
                if (it->n == 0) {
                  pool.give(std::move(it));
                  fc.stop();
                  return nullptr;
                }
                return it.release();
              }) &
              tbb::make_filter<Item*, Item*>(
                  tbb::filter_mode::parallel,
                  [&](Item* it) -> Item* {
                    const double start = thread_cpu_seconds();
                    std::unique_ptr<Extractor>& ex = extractors.local();
                    if (it->anns.size() < it->n) it->anns.resize(it->n);
                    it->failed.assign(it->n, 0);
                    try {
                      if (!ex) make_extractor(ex);
                      it->ptrs.resize(it->n);
                      for (size_t i = 0; i < it->n; ++i) it->ptrs[i] = &it->docs[i];
                      ex->extract_batch(it->ptrs.data(), it->n, it->anns.data());
                    } catch (const std::exception&) {
                      // Find the document(s) at fault: the batch again, one by
                      // one, each time with fresh scratch after a failure.
                      ex.reset();
                      for (size_t i = 0; i < it->n; ++i) {
                        const Document& doc = it->docs[i];
                        try {
                          if (!ex) make_extractor(ex);
                          it->anns[i] = ex->extract(doc);
                        } catch (const std::exception& e) {
                          it->failed[i] = 1;
                          counting.report(Problem{doc.source, doc.line, doc.id,
                                                  std::string("extraction failed: ") + e.what(), true});
                          ex.reset();
                        }
                      }
                    }
                    // The graph's nodes and edges are made here, in parallel; the
                    // serial stage only merges them.
                    if (graph) {
                      if (it->frags.size() < it->n) it->frags.resize(it->n);
                      for (size_t i = 0; i < it->n; ++i) {
                        if (it->failed[i]) continue;
                        DocAnnotation& ann = it->anns[i];
                        const Document& doc = it->docs[i];
                        fill_from_attrs(doc, &ann);
                        make_fragment(ann, taxonomy, &it->frags[i]);
                        if (!spec.documents) strip_documents(&it->frags[i]);
                      }
                    }
                    extract_seconds.local() += thread_cpu_seconds() - start;
                    return it;
                  }) &
              tbb::make_filter<Item*, void>(
                  tbb::filter_mode::serial_in_order, [&](Item* raw) {
                    const double start = thread_cpu_seconds();
                    std::unique_ptr<Item> it(raw);
                    for (size_t i = 0; i < it->n; ++i) {
                      if (it->failed[i]) continue;
                      const Document& doc = it->docs[i];
                      DocAnnotation& ann = it->anns[i];
                      fill_from_attrs(doc, &ann);  // (done already when there is a graph)
                      if (graph) {
                        graph->add(std::move(it->frags[i]));
                        if (options.after_merge) {
                          merge_error = options.after_merge(*graph);
                          if (!merge_error) throw std::runtime_error(merge_error.message());
                        }
                      }
                      if (sink) sink(doc, ann);
                      ++documents;
                    }
                    progress.tick(documents);
                    pool.give(std::move(it));
                    merge_seconds += thread_cpu_seconds() - start;
                  }));
    });
  } catch (const std::exception& e) {
    error = e.what();
  }
  progress.clear();

  if (stats) {
    stats->documents = documents;
    stats->skipped = counting.skipped();
    stats->bytes = source->bytes_read();
    stats->seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    stats->read_seconds = read_seconds;
    stats->extract_seconds = extract_seconds.combine(std::plus<double>());
    stats->merge_seconds = merge_seconds;
    stats->rules.clear();
    if (options.rule_stats) {
      stats->rules.resize(rules.rule_count());
      for (const std::vector<RuleStat>& v : rule_stats)
        for (size_t i = 0; i < v.size() && i < stats->rules.size(); ++i) stats->rules[i] += v[i];
    }
  }
  if (!merge_error) return merge_error;
  if (!error.empty()) return Status::internal("pipeline failed: " + error);
  return Status::ok();
}

}  // namespace eventgraph
