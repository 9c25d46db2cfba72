// Topics of a document: the taxonomy's cue patterns (rules/topics.rules),
// scored so that a topic needs substance, not one passing word.
#include <algorithm>

#include "extractor/internal.h"

namespace eventgraph::detail {

std::vector<std::string> find_topics(const DocState& st, std::string_view event_title) {
  // Score: a cue hit counts 1; a hit in the event's title or in its
  // description (the first paragraph of running text: a line of 200 bytes or
  // more among the first ones) counts min_hits, since a topic named there is
  // what the event is about. A topic needs min_hits; at most 8, the strongest.
  uint32_t desc_b = 0, desc_e = 0;
  for (size_t a = 0; a < st.text.size() && a < 4000;) {
    size_t nl = st.text.find('\n', a);
    if (nl == std::string_view::npos) nl = st.text.size();
    if (nl - a >= 200) { desc_b = uint32_t(a); desc_e = uint32_t(nl); break; }
    a = nl + 1;
  }
  std::vector<std::pair<int, std::string>> scored;
  for (const auto& tp : st.rules->topics) {
    int score = 0;
    re2::StringPiece in(st.text.data(), st.text.size());
    re2::StringPiece m;
    while (RE2::FindAndConsume(&in, *tp->cues, &m)) {
      uint32_t at = uint32_t(m.data() - st.text.data());
      score += (at >= desc_b && at < desc_e) ? tp->min_hits : 1;
      if (m.empty()) { if (in.empty()) break; in.remove_prefix(1); }
    }
    re2::StringPiece tin(event_title.data(), event_title.size());
    while (!tin.empty() && RE2::FindAndConsume(&tin, *tp->cues, &m)) {
      score += tp->min_hits;
      if (m.empty()) tin.remove_prefix(1);
    }
    if (score >= tp->min_hits) scored.push_back({score, tp->id});
  }
  std::stable_sort(scored.begin(), scored.end(), [](auto& a, auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (auto& [score, id] : scored)
    if (out.size() < 8) out.push_back(id);
  return out;
}

}  // namespace eventgraph::detail
