#include "eventgraph/diagnostics.h"

#include <cstdio>

namespace eventgraph {

std::string CollectingReporter::format(const Problem& p) {
  std::string s = p.file.empty() ? std::string("<input>") : p.file;
  if (p.line) s += ":" + std::to_string(p.line);
  s += ": ";
  if (!p.doc.empty()) s += "document " + p.doc + ": ";
  s += p.reason;
  if (p.skipped) s += " (skipped)";
  return s;
}

void CollectingReporter::report(const Problem& p) {
  (p.skipped ? skipped_ : warnings_).fetch_add(1);
  std::lock_guard<std::mutex> lock(mu_);
  if (echo_) std::fprintf(stderr, "eventgraph: %s\n", format(p).c_str());
  if (problems_.size() < 10000) problems_.push_back(p);
}

std::vector<Problem> CollectingReporter::problems() const {
  std::lock_guard<std::mutex> lock(mu_);
  return problems_;
}

}  // namespace eventgraph
