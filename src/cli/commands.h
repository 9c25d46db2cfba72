// The subcommands. Each returns the process exit code: 0 success, 1 when
// --strict was given and something was skipped (check-rules: findings),
// 2 on a fatal or configuration error.
#pragma once

#include "cli/flags.h"

namespace eventgraph::cli {

int cmd_run(const Args& args);
int cmd_extract(const Args& args);
int cmd_merge(const Args& args);
int cmd_eval(const Args& args);
int cmd_explain(const Args& args);
int cmd_check_rules(const Args& args);

}  // namespace eventgraph::cli
