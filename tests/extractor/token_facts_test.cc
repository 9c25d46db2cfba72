// The per-document memos of the role grammar (extractor/internal.h): the
// per-token facts agree with the gazetteer and word lists asked directly,
// SpanMemo keeps every key through its growth, and memoised answers do not
// depend on the order they are asked in.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "eventgraph/rules.h"
#include "testutil/builtin_pack.h"
#include "eventgraph/text.h"
#include "extractor/internal.h"

using namespace eventgraph;
using namespace eventgraph::detail;

namespace {

const RuleSet::Impl& pack() { return egtest::builtin_pack().impl(); }

// Invented text: titles, bodies, particles, honorifics, a stop word.
const char* const kText =
    "Dr Ana van der Berg, Deputy Director of the Cyber Unit at the Ministry of Foreign Affairs of France, "
    "said that H.E. Ms Jo Roe-Smith (UNDP) and al-Hashimi, Senior Policy Adviser, French Embassy, joined "
    "the panel; the International Telecommunication Union's CEO, Prof. Li Wei, moderated it.";

struct Doc {
  std::string text = kText;
  DocState st;
  Doc() {
    st.rules = &pack();
    st.gaz = &pack().gazetteer;
    st.text = text;
    tokenize(st.text, &st.tokens);
    st.gaz->match(st.text, st.tokens, &st.hits);
  }
};

}  // namespace

TEST_CASE("per-token facts agree with the gazetteer asked directly") {
  Doc d;
  const DocState& st = d.st;
  const Gazetteer& g = *st.gaz;
  REQUIRE(st.tokens.size() > 20);
  int titles = 0, orgs = 0, honorifics = 0, particles = 0;
  for (size_t i = 0; i < st.tokens.size(); ++i) {
    std::string_view w = st.slice(st.tokens[i].begin, st.tokens[i].end);
    std::string f = fold(w);
    CAPTURE(w);
    CHECK(st.folded(i) == f);
    CHECK(st.has(i, kTokTitleWord) == g.is_title_word(f));
    CHECK(st.has(i, kTokOrgWord) == g.is_org_word(f));
    CHECK(st.has(i, kTokNotName) == g.is_not_name(f));
    CHECK(st.has(i, kTokHonorific) == g.is_honorific(f));
    CHECK(st.has(i, kTokParticle) == is_particle(f));
    CHECK(st.has(i, kTokJoined) == particle_joined(w));
    CHECK(st.has(i, kTokAdjective) == (g.lookup_adjective(w) != nullptr));
    CHECK(st.has(i, kTokTitleFirst) == g.is_title_word(f.substr(0, f.find(' '))));
    if (i + 1 < st.tokens.size()) {
      CHECK(st.has(i, kTokHonorific2) == g.is_honorific(fold(st.slice(st.tokens[i].begin, st.tokens[i + 1].end))));
      CHECK(st.has(i, kTokTitlePair) == g.is_title_word(f + " " + fold(st.slice(st.tokens[i + 1].begin, st.tokens[i + 1].end))));
    }
    CHECK(st.lookup_range(st.tokens[i].begin, st.tokens[i].end) == g.lookup_index(w));
    titles += st.has(i, kTokTitleWord);
    orgs += st.has(i, kTokOrgWord);
    honorifics += st.has(i, kTokHonorific);
    particles += st.has(i, kTokParticle);
  }
  // The text holds each kind, so the comparisons above saw both answers.
  CHECK(titles > 0);
  CHECK(orgs > 0);
  CHECK(honorifics > 0);
  CHECK(particles > 0);
  // Asking several facts at once gives what asking them one by one gives.
  Doc fresh;
  for (size_t i = 0; i < st.tokens.size(); ++i) {
    uint32_t all = kTokTitleWord | kTokOrgWord | kTokNotName | kTokHonorific | kTokParticle | kTokModifier |
                   kTokSubunit | kTokFunction | kTokLeading | kTokStop | kTokJoined;
    uint32_t one = 0;
    for (uint32_t bit = 1; bit <= kTokJoined; bit <<= 1)
      if ((all & bit) && st.has(i, bit)) one |= bit;
    CHECK(fresh.st.flags(i, all) == one);
  }
}

TEST_CASE("SpanMemo keeps every key through growth") {
  SpanMemo memo;
  for (uint64_t k = 0; k < 5000; ++k) {
    bool found = true;
    int* v = memo.find_or_insert(k * 7919 + (k << 33), &found);
    REQUIRE_FALSE(found);
    *v = int(k);
  }
  for (uint64_t k = 0; k < 5000; ++k) {
    bool found = false;
    int* v = memo.find_or_insert(k * 7919 + (k << 33), &found);
    REQUIRE(found);
    REQUIRE(*v == int(k));
  }
  bool found = true;
  memo.find_or_insert(uint64_t(1) << 62, &found);
  CHECK_FALSE(found);
}

TEST_CASE("memoised range answers do not depend on the order they are asked in") {
  Doc a, b;
  // Every range between token edges (up to six tokens), asked forwards in one
  // document and backwards in the other.
  std::vector<std::pair<uint32_t, uint32_t>> ranges;
  for (size_t i = 0; i < a.st.tokens.size(); ++i)
    for (size_t j = i; j < a.st.tokens.size() && j < i + 6; ++j) ranges.push_back({a.st.tokens[i].begin, a.st.tokens[j].end});
  std::vector<int> fa, fb;
  std::vector<bool> ka, kb, pa, pb;
  for (auto [x, y] : ranges) {
    bool place = false;
    fa.push_back(org_likeness(a.st, x, y, &place, true));
    pa.push_back(place);
    ka.push_back(is_known_body(a.st, x, y));
  }
  for (size_t r = ranges.size(); r-- > 0;) {
    bool place = false;
    fb.push_back(org_likeness(b.st, ranges[r].first, ranges[r].second, &place, true));
    pb.push_back(place);
    kb.push_back(is_known_body(b.st, ranges[r].first, ranges[r].second));
  }
  std::reverse(fb.begin(), fb.end());
  std::reverse(pb.begin(), pb.end());
  std::reverse(kb.begin(), kb.end());
  CHECK(fa == fb);
  CHECK(pa == pb);
  CHECK(ka == kb);
  // Asked again, the same answers (from the memo).
  for (size_t r = 0; r < ranges.size(); ++r) {
    bool place = false;
    CHECK(org_likeness(a.st, ranges[r].first, ranges[r].second, &place, true) == fa[r]);
    CHECK(place == pa[r]);
  }
  // The text names known bodies and organisation-like phrases.
  CHECK(std::count(ka.begin(), ka.end(), true) > 0);
  CHECK(std::count(fa.begin(), fa.end(), 2) > 0);
  CHECK(std::count(fa.begin(), fa.end(), 0) > 0);
}
