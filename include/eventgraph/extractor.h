// Extractor: one document -> DocAnnotation, by running a compiled RuleSet
// (RE2 rules and gazetteers) and the per-document resolver.
//
// Thread safety: a RuleSet is immutable once compiled and is shared by all
// threads; an Extractor holds per-thread scratch and is used by one thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eventgraph/annotation.h"
#include "eventgraph/document.h"
#include "eventgraph/normaliser.h"
#include "eventgraph/rules.h"

namespace eventgraph {

// A span found by a rule, before resolution (for `explain`).
struct Span {
  uint32_t begin = 0, end = 0;  // into the normalised text
  std::string type;             // Person, Organization, Place, Role, Date, ...
  std::string capture;          // capture name
  std::string rule;             // rule id
  std::string text;
  std::string note;             // what the resolver did with it ("kept", "merged into X", "dropped: reason")
};

struct Explanation {
  std::vector<Span> spans;
};

// What one rule cost, summed over the documents an Extractor saw
// (Extractor::set_rule_stats; `eventgraph run --rule-stats`).
struct RuleStat {
  uint64_t documents = 0;  // documents the rule scanned (the prefilter let it run)
  uint64_t scans = 0;      // RE2 searches started: runs of lines, or whole texts
  uint64_t bytes = 0;      // bytes those searches covered
  uint64_t matches = 0;
  double seconds = 0;      // time in the rule's searches and in handling its matches
  double handle_seconds = 0;  // the part of `seconds` spent handling matches (after RE2 found them)

  RuleStat& operator+=(const RuleStat& o) {
    documents += o.documents;
    scans += o.scans;
    bytes += o.bytes;
    matches += o.matches;
    seconds += o.seconds;
    handle_seconds += o.handle_seconds;
    return *this;
  }
};

class Extractor {
 public:
  explicit Extractor(const RuleSet& rules);
  ~Extractor();
  // Extracts from `doc` (raw text normalised internally). When `explain` is not
  // null, every span and resolver decision is recorded there.
  DocAnnotation extract(const Document& doc, Explanation* explain = nullptr);
  // extract() of each of docs[0..n) into out[0..n), the same result, faster:
  // each rule runs over the whole batch before the next (its DFA stays warm
  // in the CPU caches). A few dozen documents per batch is plenty.
  void extract_batch(const Document* const* docs, size_t n, DocAnnotation* out);

  // From now on, adds each rule's costs to (*stats)[rule index] (resized to
  // the pack's rule count). Null: no counting (the default), no clock read.
  // `stats` must outlive the Extractor's use of it; one thread at a time.
  void set_rule_stats(std::vector<RuleStat>* stats);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eventgraph
