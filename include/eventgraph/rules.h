// RuleSet: the compiled rule pack (regex rules, macros, gazetteers, topic cues).
// The rule language is documented in rules/README.md.
//
// Loading compiles every pattern with RE2; any error (a pattern that does not
// compile, an unknown capture type, a duplicate id, a macro cycle, a pattern
// over the memory budget) makes load() return a RuleError naming file:line and
// the reason, before any input is read.
//
// Thread safety: a loaded RuleSet is immutable and shared read-only by every
// extraction thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "eventgraph/graph.h"
#include "eventgraph/status.h"

namespace eventgraph {

struct RuleOptions {
  // RE2 max_mem per compiled pattern, in bytes. Default: 8 MiB.
  int64_t regex_memory = 8 << 20;
};

class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  // Loads the built-in default pack (the files of rules/, compiled into the binary).
  static Status load_builtin(const RuleOptions& opt, std::unique_ptr<RuleSet>* out);
  // Loads rule packs from files or folders (*.rules, *.gaz, topics.json, *.topics).
  static Status load_files(const std::vector<std::string>& paths, const RuleOptions& opt,
                           std::unique_ptr<RuleSet>* out);

  const Taxonomy& taxonomy() const;
  size_t rule_count() const;
  // Where rule `i` (0 <= i < rule_count(), in pack order) comes from.
  struct RuleInfo {
    std::string id;
    std::string file;
    int line = 0;
  };
  RuleInfo rule_info(size_t i) const;

  // Runs every rule's examples and counter-examples and lints the pack.
  // Returns one line per failure or lint finding; empty when all is well.
  std::vector<std::string> self_test() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace eventgraph
