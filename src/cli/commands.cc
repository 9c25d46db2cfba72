// The subcommands. Arguments were checked against the flag table already
// (flags.cc); here they are resolved in order: pipeline -> rules -> inputs ->
// output folder, each failure a configuration error (exit 2) before any input
// is read. Then the run, the exports and the summary.
#include "cli/commands.h"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include "cli/messages.h"
#include "exporters/atomic_file.h"
#include "util/cpu_time.h"
#include "eventgraph/exporter.h"
#include "eventgraph/extractor.h"
#include "eventgraph/fragments.h"
#include "eventgraph/graph_store.h"
#include "eventgraph/normaliser.h"
#include "eventgraph/pipeline.h"
#include "pipeline/eval.h"

namespace eventgraph::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kExitOk = 0;
constexpr int kExitStrict = 1;
constexpr int kExitFatal = 2;

void out(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

// Flushes stdout; a closed pipe (`| head`) is not an error worth a message.
int finish_stdout(int code) {
  if (std::fflush(stdout) != 0 && errno != EPIPE) {
    error("cannot write to stdout");
    return kExitFatal;
  }
  return code;
}

Status load_spec(const Args& args, PipelineSpec* spec) {
  if (args.has("--pipeline")) return load_pipeline(args.get("--pipeline"), spec);
  *spec = default_pipeline();
  return Status::ok();
}

RuleOptions rule_options(const Args& args) {
  RuleOptions ro;
  if (args.has("--regex-memory")) ro.regex_memory = std::strtoll(args.get("--regex-memory").c_str(), nullptr, 10);
  return ro;
}

// --rules PATH... wins over the pipeline's rule_packs.
Status load_rules(const Args& args, const PipelineSpec& spec, std::unique_ptr<RuleSet>* rules) {
  RuleOptions ro = rule_options(args);
  std::vector<std::string> packs = args.has("--rules") ? args.all("--rules") : spec.rule_packs;
  bool builtin = std::find(packs.begin(), packs.end(), "builtin") != packs.end();
  if (builtin && packs.size() == 1) return RuleSet::load_builtin(ro, rules);
  if (builtin) {
    return Status::invalid_input("rule packs: \"builtin\" cannot be combined with files; list the rules/ folder instead");
  }
  for (const auto& p : packs) {
    std::error_code ec;
    if (!fs::exists(p, ec)) return Status::not_found(p + ": rule pack not found");
  }
  return RuleSet::load_files(packs, ro, rules);
}

Status check_inputs(const std::vector<std::string>& inputs) {
  for (const auto& in : inputs) {
    if (in == "-") continue;
    std::error_code ec;
    fs::file_status st = fs::status(in, ec);
    if (ec || !fs::exists(st)) return Status::not_found(in + ": no such file or directory");
    if (access(in.c_str(), R_OK) != 0) return Status::io_error(in + ": not readable");
  }
  return Status::ok();
}

Status prepare_out_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::io_error(dir + ": cannot create output folder: " + ec.message());
  if (!fs::is_directory(dir, ec)) return Status::io_error(dir + ": not a folder");
  std::string probe = (fs::path(dir) / ".eventgraph-write-test-XXXXXX").string();
  int fd = mkstemp(probe.data());
  if (fd < 0) return Status::io_error(dir + ": output folder is not writable");
  close(fd);
  fs::remove(probe, ec);
  return Status::ok();
}

std::string output_name(const std::string& format) {
  if (format == "neo4j" || format == "kuzu") return format + "/";
  if (format == "fragments") return "graph.fragments.jsonl";
  return "graph." + format;
}

std::vector<std::string> formats_of(const Args& args, const PipelineSpec& spec) {
  return args.has("--format") ? split_list(args.get("--format")) : spec.exporters;
}

// --threads N (0 = all cores, the default).
int threads_option(const Args& args) { return args.has("--threads") ? std::atoi(args.get("--threads").c_str()) : 0; }

RunOptions run_options(const Args& args) {
  RunOptions o;
  o.threads = threads_option(args);
  if (args.has("--input-format")) o.reader.input_format = args.get("--input-format");
  if (args.has("--split-on")) o.reader.split_on = args.get("--split-on");
  if (args.has("--max-doc-bytes")) o.reader.max_doc_bytes = std::strtoull(args.get("--max-doc-bytes").c_str(), nullptr, 10);
  o.rules = rule_options(args);
  if (args.has("--base-iri")) o.exports.base_iri = args.get("--base-iri");
  o.progress = !args.has("--quiet") && !args.has("--no-progress") && isatty(STDERR_FILENO);
  o.rule_stats = args.has("--rule-stats");
  return o;
}

std::string fmt_double(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

void print_graph_summary(const GraphView& g) {
  std::string s = "entities:";
  bool first = true;
  for (NodeType t : {NodeType::Person, NodeType::Organization, NodeType::Role, NodeType::Place, NodeType::Event,
                     NodeType::Topic, NodeType::Document}) {
    s += std::string(first ? " " : ", ") + std::to_string(g.node_count(t)) + " " + to_string(t);
    first = false;
  }
  s += "; " + std::to_string(g.edge_count()) + " edges";
  note(s);
}

// Peak resident set so far, in MiB (0 when unknown).
double peak_rss_mib() {
  struct rusage ru;
  if (::getrusage(RUSAGE_SELF, &ru) != 0) return 0;
  return ru.ru_maxrss / 1024.0;  // Linux: KiB
}

// Bytes the allocator has handed out and not had back, in MiB.
double heap_in_use_mib() {
  struct mallinfo2 mi = ::mallinfo2();
  return (mi.uordblks + mi.hblkhd) / (1024.0 * 1024.0);
}

// --timings: one line per stage, "timing: STAGE SECONDS s".
void timing(const Args& args, const std::string& stage, double seconds) {
  if (args.has("--timings")) note("timing: " + stage + " " + fmt_double(seconds, 3) + " s");
}

// The graph store of run and merge: --graph-memory (MiB), --temp-dir,
// --threads (for the final merge of the runs).
Status open_store(const Args& args, std::unique_ptr<GraphStore>* store) {
  GraphStoreOptions o;
  if (args.has("--graph-memory")) o.memory_budget = std::strtoull(args.get("--graph-memory").c_str(), nullptr, 10) << 20;
  o.temp_dir = args.get("--temp-dir");
  o.threads = threads_option(args);
  set_signal_cleanup(&remove_graph_store_files_on_signal);  // ^C or kill: no runs left behind
  return GraphStore::open(o, store);
}

// Writes every format at once (one task per format, at most --threads at a
// time): each writes its own files from the same read-only graph, so the
// output is the same as one after the other. A spilled graph is read in
// passes by the formats that stream, and materialised once for the others.
Status export_all(const Args& args, const GraphView& g, const std::vector<std::string>& formats,
                  const std::string& dir, const ExportOptions& eo, int threads, std::string* written) {
  Graph whole;
  std::unique_ptr<MemoryGraphView> whole_view;
  const bool need_whole = g.graph_in_memory() == nullptr &&
                          std::any_of(formats.begin(), formats.end(), [](const std::string& f) { return !format_streams(f); });
  if (need_whole) {
    const double start = thread_cpu_seconds();
    Status st = materialize(g, &whole);
    timing(args, "materialise graph for " + std::string("non-streaming formats (cpu)"), thread_cpu_seconds() - start);
    if (!st) return st;
    whole_view = std::make_unique<MemoryGraphView>(whole);
  }
  std::vector<Status> status(formats.size());
  std::vector<double> cpu(formats.size(), 0);
  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = process_cpu_seconds();
  tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
  arena.execute([&] {
    tbb::task_group tasks;
    for (size_t i = 0; i < formats.size(); ++i) {
      tasks.run([&, i] {
        const double start = thread_cpu_seconds();
        const GraphView& view = need_whole && !format_streams(formats[i]) ? *whole_view : g;
        status[i] = export_graph(view, formats[i], dir, eo);
        cpu[i] = thread_cpu_seconds() - start;
      });
    }
    tasks.wait();
  });
  timing(args, "exports (wall, with each file's fsync)",
         std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count());
  timing(args, "exports (cpu, all threads)", process_cpu_seconds() - cpu_start);
  for (size_t i = 0; i < formats.size(); ++i) {
    // A format's task may hand work to the arena's other threads (graphml's
    // edges): that is in the line above, not here.
    timing(args, "export " + formats[i] + " (cpu of its task's thread)", cpu[i]);
    if (!status[i]) return status[i];
    if (!written->empty()) *written += ", ";
    *written += (fs::path(dir) / output_name(formats[i])).string();
  }
  return Status::ok();
}

// Shared by run and extract: pipeline, rules, inputs.
struct Setup {
  PipelineSpec spec;
  std::unique_ptr<RuleSet> rules;
  RunOptions options;
};

Status setup(const Args& args, Setup* s) {
  Status st = load_spec(args, &s->spec);
  if (!st) return st;
  // (Wall time: the rules are compiled on two threads.)
  const auto start = std::chrono::steady_clock::now();
  st = load_rules(args, s->spec, &s->rules);
  timing(args, "rules (wall)", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (!st) return st;
  st = check_inputs(args.positionals);
  if (!st) return st;
  s->options = run_options(args);
  return Status::ok();
}

void print_run_summary(const RunStats& stats) {
  note(std::to_string(stats.documents) + " documents read, " + std::to_string(stats.skipped) + " skipped");
  double mb = stats.bytes / 1e6;
  double rate = stats.seconds > 0 ? mb / stats.seconds : 0;
  note(fmt_double(stats.seconds, 2) + " s, " + fmt_double(mb, 2) + " MB, " + fmt_double(rate, 2) + " MB/s");
}

std::string read_all(std::istream& in) {
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Status read_whole_file(const std::string& path, std::string* content) {
  if (path == "-") {
    *content = read_all(std::cin);
    return Status::ok();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::not_found(path + ": cannot open");
  *content = read_all(in);
  if (in.bad()) return Status::io_error(path + ": read error");
  return Status::ok();
}

}  // namespace

// At the end of run and merge the graph and the rule pack are not freed
// object by object: the process is about to exit and the kernel takes the
// memory back at once (freeing them took ~0.7 s of a 12 s run on 20 MiB).
// The store's temporary files are removed first. Sanitizer builds free as
// usual, so LeakSanitizer still checks the whole run: those CMake makes
// (EVENTGRAPH_SANITIZED) and any other built with -fsanitize (the fuzz
// build passes it in CMAKE_CXX_FLAGS), seen by the compiler's own macros.
#if defined(EVENTGRAPH_SANITIZED) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define EG_FREE_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define EG_FREE_AT_EXIT 1
#endif
#endif
template <class T>
static void drop_at_exit(std::unique_ptr<T>& p) {
#ifndef EG_FREE_AT_EXIT
  (void)p.release();
#endif
}

static void drop_at_exit(std::unique_ptr<GraphStore>& store) {
  store->remove_files();
  drop_at_exit<GraphStore>(store);
}

// --rule-stats: one line per rule, slowest first (pack order among equals),
// after a line with the totals. Printed with --quiet too: it was asked for.
static void print_rule_stats(const RuleSet& rules, const RunStats& stats) {
  std::vector<size_t> order(stats.rules.size());
  double total = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
    total += stats.rules[i].seconds;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return stats.rules[a].seconds > stats.rules[b].seconds; });
  note("rule stats: " + std::to_string(order.size()) + " rules, " + fmt_double(total, 3) +
       " s in their searches and matches, of " + fmt_double(stats.extract_seconds, 3) +
       " s of CPU in the extract stage (threads summed)");
  char line[512];
  std::snprintf(line, sizeof line, "%-34s %-26s %9s %10s %10s %9s %9s %6s %9s %9s\n", "rule", "file:line", "docs",
                "scans", "MB", "matches", "seconds", "share", "MB/s", "handling");
  std::string out = line;
  for (size_t i : order) {
    const RuleStat& r = stats.rules[i];
    RuleSet::RuleInfo info = rules.rule_info(i);
    std::string where = fs::path(info.file).filename().string() + ":" + std::to_string(info.line);
    double mb = r.bytes / 1e6;
    std::snprintf(line, sizeof line, "%-34s %-26s %9llu %10llu %10.2f %9llu %9.3f %5.1f%% %9.1f %9.3f\n",
                  info.id.c_str(), where.c_str(), (unsigned long long)r.documents, (unsigned long long)r.scans, mb,
                  (unsigned long long)r.matches, r.seconds, total > 0 ? 100 * r.seconds / total : 0.0,
                  r.seconds > 0 ? mb / r.seconds : 0.0, r.handle_seconds);
    out += line;
  }
  raw(out);
}

// The end of run and extract: the summary (unless --quiet) and the exit code.
static int finish_run(const Args& args, const RuleSet& rules, const RunStats& stats, const GraphView& graph,
                      const std::string& written) {
  if (args.has("--rule-stats")) print_rule_stats(rules, stats);
  if (!args.has("--quiet")) {
    print_run_summary(stats);
    print_graph_summary(graph);
    note("wrote " + written);
  }
  return args.has("--strict") && stats.skipped > 0 ? kExitStrict : kExitOk;
}

int cmd_run(const Args& args) {
  Setup s;
  Status st = setup(args, &s);
  if (!st) {
    error(st);
    return kExitFatal;
  }
  const std::string dir = args.get("--out", "out");
  st = prepare_out_dir(dir);
  if (!st) {
    error(st);
    return kExitFatal;
  }
  std::vector<std::string> formats = formats_of(args, s.spec);
  std::unique_ptr<GraphStore> store;
  st = open_store(args, &store);
  if (!st) {
    error(st);
    return kExitFatal;
  }
  s.options.after_merge = [&store](Graph&) { return store->maybe_spill(); };
  MessageReporter reporter;
  RunStats stats;
  st = run_pipeline(args.positionals, *s.rules, s.spec, s.options, &reporter, &store->graph(), &stats);
  reporter.finish();
  const auto finish_start = std::chrono::steady_clock::now();
  if (st) st = store->finish();
  if (!st) {
    error(st);
    return kExitFatal;
  }
  timing(args, "pipeline (wall)", stats.seconds);
  timing(args, "read (serial stage, cpu)", stats.read_seconds);
  timing(args, "extract (parallel stage, cpu summed)", stats.extract_seconds);
  timing(args, "merge (serial stage, cpu)", stats.merge_seconds);
  // Wall time: the nodes' runs and the edges' key ranges are merged on threads of their own.
  timing(args, "merge graph runs (wall)", std::chrono::duration<double>(std::chrono::steady_clock::now() - finish_start).count());
  if (args.has("--timings")) {
    note("timing: graph spilled in " + std::to_string(store->runs()) + " runs, " +
         (store->merge_levels() > 0 ? "merged in groups in " + std::to_string(store->merge_levels()) + " level(s), "
                                    : std::string()) +
         "edges merged as " + std::to_string(store->edge_parts()) + " key range(s)");
    timing(args, "write runs (background thread, cpu)", store->spill_write_seconds());
    timing(args, "free spilled graphs (background thread, cpu)", store->spill_free_seconds());
    note("timing: peak RSS after pipeline " + fmt_double(peak_rss_mib(), 1) + " MiB, heap in use " +
         fmt_double(heap_in_use_mib(), 1) + " MiB");
  }
  std::string written;
  st = export_all(args, *store, formats, dir, s.options.exports, s.options.threads, &written);
  if (!st) {
    error(st);
    return kExitFatal;
  }
  if (args.has("--timings")) note("timing: peak RSS " + fmt_double(peak_rss_mib(), 1) + " MiB");
  const int rc = finish_run(args, *s.rules, stats, *store, written);
  drop_at_exit(store);
  drop_at_exit(s.rules);
  return rc;
}

int cmd_extract(const Args& args) {
  Setup s;
  Status st = setup(args, &s);
  if (!st) {
    error(st);
    return kExitFatal;
  }
  const std::string path = args.get("--fragments");
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) {
    st = prepare_out_dir(parent.string());
    if (!st) {
      error(st);
      return kExitFatal;
    }
  }
  MessageReporter reporter;
  Graph graph;
  RunStats stats;
  st = run_pipeline(args.positionals, *s.rules, s.spec, s.options, &reporter, &graph, &stats);
  reporter.finish();
  if (st) st = write_fragments(graph, path);
  if (!st) {
    error(st);
    return kExitFatal;
  }
  return finish_run(args, *s.rules, stats, MemoryGraphView(graph), path);
}

int cmd_merge(const Args& args) {
  Status st = check_inputs(args.positionals);
  if (!st) {
    error(st);
    return kExitFatal;
  }
  const std::string dir = args.get("--out", "out");
  st = prepare_out_dir(dir);
  if (!st) {
    error(st);
    return kExitFatal;
  }
  std::vector<std::string> formats = formats_of(args, default_pipeline());
  ExportOptions eo;
  if (args.has("--base-iri")) eo.base_iri = args.get("--base-iri");
  std::unique_ptr<GraphStore> store;
  st = open_store(args, &store);
  if (!st) {
    error(st);
    return kExitFatal;
  }
  MessageReporter reporter;
  // Spilled between fragment files: one file is read whole into memory.
  for (const auto& f : args.positionals) {
    st = read_fragments(f, &store->graph(), &reporter);
    if (st) st = store->maybe_spill();
    if (!st) {
      error(st);
      return kExitFatal;
    }
  }
  reporter.finish();
  st = store->finish();
  std::string written;
  if (st) st = export_all(args, *store, formats, dir, eo, 0, &written);
  if (!st) {
    error(st);
    return kExitFatal;
  }
  uint64_t skipped = reporter.skipped();
  if (!args.has("--quiet")) {
    note(std::to_string(args.positionals.size()) + " fragment files read, " + std::to_string(skipped) +
         " lines skipped");
    print_graph_summary(*store);
    note("wrote " + written);
  }
  drop_at_exit(store);
  return args.has("--strict") && skipped > 0 ? kExitStrict : kExitOk;
}

int cmd_eval(const Args& args) {
  const std::string gold = args.get("--gold");
  std::error_code ec;
  std::string gold_dir;
  std::vector<std::string> names;
  const std::string suffix = ".gold.json";
  auto ends_with = [](const std::string& s, const std::string& suf) {
    return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
  };
  if (fs::is_directory(gold, ec)) {
    gold_dir = gold;
    for (const auto& e : fs::directory_iterator(gold, ec)) {
      std::string fn = e.path().filename().string();
      if (ends_with(fn, suffix)) names.push_back(fn.substr(0, fn.size() - suffix.size()));
    }
    if (ec) {
      error(gold + ": cannot list: " + ec.message());
      return kExitFatal;
    }
    std::sort(names.begin(), names.end());
    if (names.empty()) {
      error("no *.gold.json in " + gold);
      return kExitFatal;
    }
  } else if (fs::is_regular_file(gold, ec) && ends_with(gold, suffix)) {
    fs::path p(gold);
    gold_dir = p.parent_path().empty() ? "." : p.parent_path().string();
    std::string fn = p.filename().string();
    names.push_back(fn.substr(0, fn.size() - suffix.size()));
  } else {
    error(gold + ": not a folder of *.gold.json files nor a .gold.json file");
    return kExitFatal;
  }
  const std::string input_dir = args.positionals.empty() ? gold_dir : args.positionals[0];
  if (!fs::is_directory(input_dir, ec)) {
    error(input_dir + ": no such folder");
    return kExitFatal;
  }
  PipelineSpec spec;
  std::unique_ptr<RuleSet> rules;
  Status st = load_spec(args, &spec);
  if (st) st = load_rules(args, spec, &rules);
  if (!st) {
    error(st);
    return kExitFatal;
  }
  const std::string pred_dir = args.get("--write-pred");
  if (!pred_dir.empty()) {
    st = prepare_out_dir(pred_dir);
    if (!st) {
      error(st);
      return kExitFatal;
    }
  }

  Extractor extractor(*rules);
  eval::Scores total;
  std::vector<eval::DocScore> docs;
  for (const auto& name : names) {
    const std::string gold_path = (fs::path(gold_dir) / (name + suffix)).string();
    std::string content;
    st = read_whole_file(gold_path, &content);
    json g;
    if (st) {
      try {
        g = json::parse(content);
      } catch (const std::exception& e) {
        st = Status::invalid_input(gold_path + ": not valid JSON: " + e.what());
      }
    }
    if (!st) {
      error(st);
      return kExitFatal;
    }
    const std::string txt = (fs::path(input_dir) / (name + ".txt")).string();
    json pred = json::object();
    if (fs::is_regular_file(txt, ec)) {
      Document doc;
      doc.id = name;
      doc.source = txt;
      st = read_whole_file(txt, &doc.text);
      if (!st) {
        error(st);
        return kExitFatal;
      }
      DocAnnotation ann = extractor.extract(doc);
      pred = eval::to_prediction(ann, name);
      if (!pred_dir.empty()) {
        st = write_file_atomic((fs::path(pred_dir) / (name + ".pred.json")).string(), pred.dump(1) + "\n");
        if (!st) {
          error(st);
          return kExitFatal;
        }
      }
    } else {
      warning(txt + ": no text for " + gold_path + "; scored as an empty prediction");
    }
    eval::DocScore d;
    d.name = name;
    eval::score_doc(g, pred, &d.scores);
    for (const auto& [c, t] : d.scores) total[c].add(t.tp, t.fp, t.fn);
    docs.push_back(std::move(d));
  }
  bool per_doc = args.has("--per-doc");
  out(args.has("--json") ? eval::format_json(total, docs, per_doc) : eval::format_table(total, docs, per_doc));
  return finish_stdout(kExitOk);
}

int cmd_explain(const Args& args) {
  PipelineSpec spec;
  std::unique_ptr<RuleSet> rules;
  Status st = load_spec(args, &spec);
  if (st) st = load_rules(args, spec, &rules);
  if (st) st = check_inputs(args.positionals);
  if (!st) {
    error(st);
    return kExitFatal;
  }
  const std::string file = args.positionals[0];
  Document doc;
  doc.id = file;
  doc.source = file;
  st = read_whole_file(file, &doc.text);
  if (!st) {
    error(st);
    return kExitFatal;
  }
  Extractor extractor(*rules);
  Explanation ex;
  DocAnnotation ann = extractor.extract(doc, &ex);
  NormalisedText nt;
  normalise(doc.text, nt);
  std::vector<Span> spans = ex.spans;
  std::stable_sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  if (args.has("--json")) {
    json j = json::object();
    j["document"] = doc.id;
    json js = json::array();
    for (const Span& s : spans) {
      json o = {{"begin", s.begin}, {"end", s.end}, {"type", s.type}, {"capture", s.capture},
                {"rule", s.rule},   {"text", s.text}, {"note", s.note}};
      if (s.begin <= s.end && s.end <= nt.text.size()) {
        auto [rb, re] = nt.to_raw(s.begin, s.end);
        o["raw_begin"] = rb;
        o["raw_end"] = re;
      }
      js.push_back(std::move(o));
    }
    j["spans"] = std::move(js);
    j["annotation"] = eval::to_prediction(ann, doc.id);
    out(j.dump(1, ' ', false, json::error_handler_t::replace) + "\n");
    return finish_stdout(kExitOk);
  }
  // The text with the innermost kept spans marked (a list or item span that
  // holds entities is not marked, the entities are); dropped, enclosing and
  // overlapping spans are listed in the table only.
  const bool tty = isatty(STDOUT_FILENO);
  auto kept = [](const Span& s) { return s.note.rfind("dropped", 0) != 0; };
  std::vector<bool> markable(spans.size(), false);
  for (size_t i = 0; i < spans.size(); ++i) {
    const Span& s = spans[i];
    if (!kept(s) || s.end > nt.text.size() || s.begin >= s.end) continue;
    bool encloses = false;
    for (size_t k = 0; k < spans.size() && !encloses; ++k) {
      const Span& o = spans[k];
      encloses = k != i && kept(o) && o.begin < o.end && o.begin >= s.begin && o.end <= s.end &&
                 (o.end - o.begin) < (s.end - s.begin);
    }
    markable[i] = !encloses;
  }
  std::string marked;
  uint32_t pos = 0;
  for (size_t i = 0; i < spans.size(); ++i) {
    const Span& s = spans[i];
    if (!markable[i] || s.begin < pos) continue;
    marked.append(nt.text, pos, s.begin - pos);
    std::string inner = nt.text.substr(s.begin, s.end - s.begin);
    if (tty) {
      marked += "\033[4m" + inner + "\033[0m\033[2m[" + s.type + "]\033[0m";
    } else {
      marked += "[[" + s.type + ":" + inner + "]]";
    }
    pos = s.end;
  }
  marked.append(nt.text, pos, std::string::npos);
  out(marked);
  if (!marked.empty() && marked.back() != '\n') out("\n");
  out("\n");
  // The table.
  std::vector<std::vector<std::string>> rows = {{"TYPE", "TEXT", "RULE", "CAPTURE", "RESOLVER"}};
  for (const Span& s : spans) {
    std::string text = s.text;
    std::replace(text.begin(), text.end(), '\n', ' ');
    if (text.size() > 48) text = text.substr(0, 45) + "...";
    rows.push_back({s.type, text, s.rule, s.capture, s.note});
  }
  std::vector<size_t> width(5, 0);
  for (const auto& r : rows) {
    for (size_t i = 0; i < 4; ++i) width[i] = std::max(width[i], r[i].size());
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < 5; ++i) {
      line += r[i];
      if (i < 4) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out(line + "\n");
  }
  out("\n" + std::to_string(spans.size()) + " spans; " + std::to_string(ann.persons.size()) + " persons, " +
      std::to_string(ann.organizations.size()) + " organizations, " + std::to_string(ann.places.size()) +
      " places, " + std::to_string(ann.topics.size()) + " topics" + (ann.event ? ", 1 event" : "") + "\n");
  return finish_stdout(kExitOk);
}

int cmd_check_rules(const Args& args) {
  std::unique_ptr<RuleSet> rules;
  RuleOptions ro = rule_options(args);
  Status st = args.positionals.empty() ? RuleSet::load_builtin(ro, &rules)
                                       : (check_inputs(args.positionals).is_ok()
                                              ? RuleSet::load_files(args.positionals, ro, &rules)
                                              : check_inputs(args.positionals));
  if (!st) {
    error(st);
    return kExitFatal;
  }
  std::vector<std::string> findings = rules->self_test();
  for (const auto& f : findings) out(f + "\n");
  int code = finish_stdout(findings.empty() ? kExitOk : kExitStrict);
  note(std::to_string(rules->rule_count()) + " rules checked, " + std::to_string(findings.size()) + " findings");
  return code;
}

}  // namespace eventgraph::cli
