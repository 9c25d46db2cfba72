// The only place in the CLI that writes to stderr. Every line starts with
// "eventgraph: ". Also the Reporter that prints per-document problems and
// counts them for the summary and the exit code.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "eventgraph/diagnostics.h"
#include "eventgraph/status.h"

namespace eventgraph::cli {

// "eventgraph: error: MESSAGE"
void error(const std::string& message);
// "eventgraph: error: " + status.to_string()
void error(const Status& status);
// "eventgraph: warning: MESSAGE"
void warning(const std::string& message);
// "eventgraph: MESSAGE" (summaries, notes)
void note(const std::string& message);
// Raw text on stderr (help on a usage error), unprefixed.
void raw(const std::string& text);

// Prints each problem as "eventgraph: FILE:LINE: [document ID: ]REASON",
// the first `max_shown` of them, then one line saying how many more there
// were (see finish()). Thread safe.
class MessageReporter : public Reporter {
 public:
  explicit MessageReporter(uint64_t max_shown = 100) : max_shown_(max_shown) {}
  void report(const Problem& p) override;
  // Prints "N more problems not shown" when some were held back.
  void finish();
  uint64_t skipped() const { return skipped_.load(); }
  uint64_t warnings() const { return warnings_.load(); }

 private:
  uint64_t max_shown_;
  std::atomic<uint64_t> seen_{0};
  std::atomic<uint64_t> skipped_{0};
  std::atomic<uint64_t> warnings_{0};
};

}  // namespace eventgraph::cli
