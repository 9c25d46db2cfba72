// eventgraph: parse the arguments, run the subcommand, map its outcome to an
// exit code (0 ok, 1 strict failure, 2 fatal). See cli/flags.cc for options.
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#ifdef EVENTGRAPH_WITH_MIMALLOC
#include <mimalloc.h>  // mi_version() for --version, mi_option_set()
#endif

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/messages.h"
#include "exporters/atomic_file.h"

namespace {

#ifdef EVENTGRAPH_WITH_MIMALLOC
// mimalloc gives freed memory back to the system 25 ms (a page) or 500 ms (a
// segment) after it is freed, and takes it again, one page fault a page, when
// it is needed. A run frees and regrows hundreds of MiB within a second (a
// spilled graph, the batches' scratch), so that came to madvise() calls and
// their TLB shootdowns and page faults: a tenth of a run's CPU or more (perf,
// 100 MiB, 1 thread: 5% of samples in the shootdowns, 4% in page faults;
// system time 5.5 -> 2.1 s with 2 s). Memory is given back when it has not
// been used again for 2 s. MIMALLOC_DECOMMIT_DELAY and
// MIMALLOC_SEGMENT_DECOMMIT_DELAY in the environment win.
void tune_allocator() {
  if (!std::getenv("MIMALLOC_DECOMMIT_DELAY") && !std::getenv("MIMALLOC_RESET_DELAY"))
    mi_option_set(mi_option_decommit_delay, 2000);
  if (!std::getenv("MIMALLOC_SEGMENT_DECOMMIT_DELAY")) mi_option_set(mi_option_segment_decommit_delay, 2000);
}
#else
void tune_allocator() {}
#endif

// The open-files soft limit raised to the hard one (at most 65536), as the
// Go runtime does: a spilled graph's final merge holds runs x (1 + key ranges)
// files open, and past what the soft limit leaves room for, the runs are
// merged in groups first, one more pass over the graph (GraphStoreOptions::
// max_merge_runs). The hard limit is never touched.
void raise_open_files_limit() {
  struct rlimit limit;
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t want = limit.rlim_max == RLIM_INFINITY ? rlim_t{65536} : std::min<rlim_t>(limit.rlim_max, 65536);
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < want) {
    limit.rlim_cur = want;
    ::setrlimit(RLIMIT_NOFILE, &limit);  // best effort
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace eventgraph::cli;
  tune_allocator();
  raise_open_files_limit();
  eventgraph::remove_temporaries_on_signals();  // no temporary left behind by ^C or kill
  std::vector<std::string> argv_s(argv, argv + argc);
  Args args;
  eventgraph::Status st = parse_args(argv_s, &args);
  if (!st) {
    error(st.message());
    return 2;
  }
  if (args.version) {
    std::printf("eventgraph %s\n", kVersion);
#ifdef EVENTGRAPH_WITH_MIMALLOC
    std::printf("allocator: mimalloc %d.%d.%d (memory given back after %ld ms unused, %ld ms a segment)\n",
                mi_version() / 100, mi_version() / 10 % 10, mi_version() % 10,
                mi_option_get(mi_option_decommit_delay), mi_option_get(mi_option_segment_decommit_delay));
#else
    std::printf("allocator: the C library's malloc\n");
#endif
    return 0;
  }
  if (args.help || args.command.empty()) {
    std::string text = help_text(args.command);
    if (args.command.empty() && !args.help) {  // no subcommand: usage error
      raw(text);
      return 2;
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  if (args.command == "run") return cmd_run(args);
  if (args.command == "extract") return cmd_extract(args);
  if (args.command == "merge") return cmd_merge(args);
  if (args.command == "eval") return cmd_eval(args);
  if (args.command == "explain") return cmd_explain(args);
  if (args.command == "check-rules") return cmd_check_rules(args);
  error("unknown subcommand " + args.command);
  return 2;
}
