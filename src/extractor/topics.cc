// Topics of a document: the taxonomy's cue patterns (rules/topics.rules),
// scored so that a topic needs substance, not one passing word.
//
// One pass: the pack's RE2::Set over all topics' cue patterns (built when the
// pack is compiled) runs once per line and names the topics present there; only those topics' patterns then run, on
// that line only, to place and weigh their hits. (Cues never span lines.) The
// event's title is one more text for the set and the patterns it names.
#include <algorithm>
#include <iterator>
#include <optional>

#include "extractor/internal.h"

namespace eventgraph::detail {
namespace {

struct Score {
  int score = 0;
  bool strong = false;  // a hit that counts and is no weak cue
};

// Scores the hits of topic `tp`'s pattern in text[b, e) (the whole text is
// the context, for \b): a hit at byte `at` adds worth(at) (none: it does
// not count). Whether a hit is weak (inside the rules' (?P<weak>...) group) is
// asked of RE2 only while the topic has no strong hit: the group costs a
// submatch search per hit, the match alone does not, and it is the same match
// either way. `scratch` is reused across calls.
template <class Worth>
void score_hits(const TopicDef& tp, std::string_view text, size_t b, size_t e, std::vector<re2::StringPiece>* scratch,
                Score* s, Worth worth) {
  re2::StringPiece in(text.data(), text.size());
  int weak_group = tp.weak_group;
  int groups = std::max(1, weak_group + 1);  // the match and the weak group
  if (int(scratch->size()) < groups) scratch->resize(groups);
  re2::StringPiece* sub = scratch->data();
  size_t pos = b;
  while (pos < e) {
    int n = s->strong ? 1 : groups;
    if (!tp.cues->Match(in, pos, e, RE2::UNANCHORED, sub, n)) break;
    uint32_t at = uint32_t(sub[0].data() - text.data());
    if (std::optional<int> w = worth(at)) {
      s->score += *w;
      if (!s->strong) s->strong = !(weak_group > 0 && sub[weak_group].data() != nullptr);
    }
    size_t end = at + sub[0].size();
    pos = end > pos ? end : pos + 1;
  }
}

// The topics whose patterns may match `line` (all of them when there is no
// set or its DFA ran out of memory).
void topics_present(const RE2::Set* set, size_t ntopics, std::string_view line, std::vector<int>* present) {
  present->clear();
  RE2::Set::ErrorInfo err{RE2::Set::kNoError};
  if (set && (set->Match(re2::StringPiece(line.data(), line.size()), present, &err) || err.kind == RE2::Set::kNoError)) return;
  present->clear();
  for (size_t t = 0; t < ntopics; ++t) present->push_back(int(t));
}

}  // namespace

std::vector<std::string> find_topics(const DocState& st, std::string_view event_title) {
  // Score: a cue hit counts 1; a hit in the event's title or in its
  // description (the first paragraph of running text: a line of 200 bytes or
  // more among the first ones) counts min_hits, since a topic named there is
  // what the event is about. Hits inside names do not count. A topic needs
  // min_hits, and a topic whose hits are all weak cues (the rules' (?P<weak>...)
  // groups) also needs another topic given on strong ones. At most 8, the
  // strongest.
  const auto& topics = st.rules->topics;
  if (topics.empty()) return {};
  const RE2::Set* set = st.rules->topic_set.get();
  std::string_view text = st.text;
  uint32_t desc_b = 0, desc_e = 0;
  for (size_t a = 0; a < text.size() && a < 4000;) {
    size_t nl = text.find('\n', a);
    if (nl == std::string_view::npos) nl = text.size();
    if (nl - a >= 200) { desc_b = uint32_t(a); desc_e = uint32_t(nl); break; }
    a = nl + 1;
  }
  // Names of bodies and job titles ("International Telecommunication Union",
  // "Minister of Digital Government") say who someone is, not what the text
  // discusses: cue hits inside them do not count.
  std::vector<std::pair<uint32_t, uint32_t>> names;
  for (const Mention& m : st.mentions)
    if (m.alive && (m.kind == MKind::kOrg || m.kind == MKind::kTitle || m.kind == MKind::kPerson || m.kind == MKind::kHonorific)) names.push_back({m.b, m.e});
  std::sort(names.begin(), names.end());
  // Merged into disjoint ranges, so that one binary search places a hit.
  size_t k = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    if (k > 0 && names[i].first <= names[k - 1].second) names[k - 1].second = std::max(names[k - 1].second, names[i].second);
    else names[k++] = names[i];
  }
  names.resize(k);
  auto in_name = [&](uint32_t at) {
    auto it = std::upper_bound(names.begin(), names.end(), std::make_pair(at, UINT32_MAX));
    return it != names.begin() && at < std::prev(it)->second;
  };
  std::vector<Score> sc(topics.size());
  std::vector<int> present;
  std::vector<re2::StringPiece> sub;
  for (size_t a = 0; a < text.size();) {
    size_t nl = text.find('\n', a);
    if (nl == std::string_view::npos) nl = text.size();
    if (nl > a) {
      topics_present(set, topics.size(), text.substr(a, nl - a), &present);
      for (int t : present) {
        int min_hits = topics[t]->min_hits;
        score_hits(*topics[t], text, a, nl, &sub, &sc[t], [&](uint32_t at) -> std::optional<int> {
          if (in_name(at)) return std::nullopt;
          return at >= desc_b && at < desc_e ? min_hits : 1;
        });
      }
    }
    a = nl + 1;
  }
  // The event's title: the set names the topics to scan it for, as on a line.
  if (!event_title.empty()) {
    topics_present(set, topics.size(), event_title, &present);
    for (int t : present) {
      int min_hits = topics[t]->min_hits;
      score_hits(*topics[t], event_title, 0, event_title.size(), &sub, &sc[t], [&](uint32_t) -> std::optional<int> { return min_hits; });
    }
  }
  bool any_strong = false;
  for (size_t t = 0; t < topics.size(); ++t)
    if (sc[t].score >= topics[t]->min_hits && sc[t].strong) any_strong = true;
  // A topic resting on ambiguous cues only needs a document that is plainly
  // about digital matters: another topic with unambiguous evidence.
  std::vector<std::pair<int, std::string>> scored;
  for (size_t t = 0; t < topics.size(); ++t)
    if (sc[t].score >= topics[t]->min_hits && (sc[t].strong || any_strong)) scored.push_back({sc[t].score, topics[t]->id});
  std::stable_sort(scored.begin(), scored.end(), [](auto& a, auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (auto& [score, id] : scored)
    if (out.size() < 8) out.push_back(id);
  return out;
}

}  // namespace eventgraph::detail
