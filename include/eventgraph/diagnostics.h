// Reporter: where recoverable problems go (a bad document, a bad JSONL line),
// after LevelDB's log::Reader::Reporter. A problem with one document is not an
// error of the run: it is reported, counted, and the run goes on.
//
// Thread safety: report() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace eventgraph {

struct Problem {
  std::string file;   // file path ("-" for stdin)
  uint64_t line = 0;  // 1-based line, 0 when not known
  std::string doc;    // document id when known
  std::string reason;
  bool skipped = true;  // the document was skipped (false: only a warning)
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void report(const Problem& p) = 0;
};

// Collects problems in memory and (optionally) echoes them to stderr as
// "eventgraph: FILE:LINE: REASON". Counts skipped documents and warnings.
class CollectingReporter : public Reporter {
 public:
  explicit CollectingReporter(bool echo_to_stderr = false) : echo_(echo_to_stderr) {}
  void report(const Problem& p) override;
  uint64_t skipped() const { return skipped_.load(); }
  uint64_t warnings() const { return warnings_.load(); }
  std::vector<Problem> problems() const;

  // Formats a problem the way it is printed: "FILE:LINE: [doc ID:] REASON".
  static std::string format(const Problem& p);

 private:
  bool echo_;
  std::atomic<uint64_t> skipped_{0};
  std::atomic<uint64_t> warnings_{0};
  mutable std::mutex mu_;
  std::vector<Problem> problems_;  // the first 10000 only
};

}  // namespace eventgraph
