// eventgraph: parse the arguments, run the subcommand, map its outcome to an
// exit code (0 ok, 1 strict failure, 2 fatal). See cli/flags.cc for options.
#include <cstdio>
#include <string>
#include <vector>

#ifdef EVENTGRAPH_WITH_MIMALLOC
#include <mimalloc.h>  // mi_version(), for --version
#endif

#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/messages.h"
#include "exporters/atomic_file.h"

int main(int argc, char** argv) {
  using namespace eventgraph::cli;
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
    std::printf("allocator: mimalloc %d.%d.%d\n", mi_version() / 100, mi_version() / 10 % 10, mi_version() % 10);
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
