// See messages.h. All stderr output of the CLI goes through here.
#include "cli/messages.h"

#include <cstdio>
#include <mutex>

namespace eventgraph::cli {
namespace {

std::mutex g_mu;

void put_line(const std::string& line) {
  std::lock_guard<std::mutex> lock(g_mu);
  std::string s = "eventgraph: " + line + "\n";
  std::fwrite(s.data(), 1, s.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

void error(const std::string& message) { put_line("error: " + message); }
void error(const Status& status) { put_line("error: " + status.to_string()); }
void warning(const std::string& message) { put_line("warning: " + message); }
void note(const std::string& message) { put_line(message); }

void raw(const std::string& text) {
  std::lock_guard<std::mutex> lock(g_mu);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

void MessageReporter::report(const Problem& p) {
  (p.skipped ? skipped_ : warnings_).fetch_add(1);
  uint64_t n = seen_.fetch_add(1);
  if (n < max_shown_) put_line(CollectingReporter::format(p));
}

void MessageReporter::finish() {
  uint64_t n = seen_.load();
  if (n > max_shown_) {
    put_line(std::to_string(n - max_shown_) + " more problems not shown");
  }
}

}  // namespace eventgraph::cli
