// Eval support: DocAnnotation -> prediction JSON (the format of
// ../shared/corpus/ANNOTATION.md), and a C++ port of ../shared/corpus/score.py
// (same folding, honorifics, greedy matching, categories, micro-averaging and
// output format), so `eventgraph eval` prints what score.py would print for
// the same gold and predictions.
//
// Thread safety: the functions are pure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eventgraph/annotation.h"
#include "eventgraph/status.h"

namespace eventgraph::eval {

// score.py's fold(): NFKD, combining marks dropped, casefold, '&' -> " and ",
// every run of non-\w characters -> one space, trimmed. Exact for Latin,
// Greek and Cyrillic (a table generated from Python's unicodedata); other
// code points are kept (separators for U+2000..U+2BFF and U+3000..U+303F);
// ligatures U+FB00..U+FB06 and fullwidth forms U+FF00..U+FF5F are in the table.
std::string fold(const std::string& s);

// The prediction for one document, in the gold format: keys id, source,
// event (or null), persons, organizations, places, topics.
nlohmann::json to_prediction(const DocAnnotation& ann, const std::string& id);

struct Tally {
  uint64_t tp = 0, fp = 0, fn = 0;
  void add(uint64_t t, uint64_t f, uint64_t n) { tp += t; fp += f; fn += n; }
  // precision, recall, f1 exactly as score.py's Tally.prf().
  void prf(double* p, double* r, double* f) const;
};

// Category names, in score.py's order.
const std::vector<std::string>& categories();

using Scores = std::map<std::string, Tally>;

// Adds one document's counts to `scores` (score.py's score_doc). `gold` and
// `pred` are JSON objects (pred may be an empty object: nothing predicted).
void score_doc(const nlohmann::json& gold, const nlohmann::json& pred, Scores* scores);

struct DocScore {
  std::string name;
  Scores scores;
};

// The text score.py prints (with --per-doc lines first when per_doc).
std::string format_table(const Scores& total, const std::vector<DocScore>& docs, bool per_doc);
// The JSON score.py --json prints (json.dumps(indent=1)), plus a "per_doc"
// object after "scores" when per_doc is true (score.py has none).
std::string format_json(const Scores& total, const std::vector<DocScore>& docs, bool per_doc);

// Python's repr() of round(x, 3), e.g. "0.857", "1.0".
std::string py_round3(double x);

}  // namespace eventgraph::eval
