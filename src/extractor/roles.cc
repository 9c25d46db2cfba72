// The role grammar: what follows (or precedes) a person's name, split into
// job titles and the bodies they are held at.
//
//   item        := HONORIFIC* NAME SEP descriptor | descriptor ", " NAME
//   descriptor  := segment (", " | "; " | " - " | " / ") segment ...
//   segment     := TITLE [" at " BODY] | TITLE [" of " BODY] | BODY | PLACE | other
//
// A segment is a title when one of its first words is a title head word
// (rules/gazetteers/titles.gaz); it is a body when it is a known body, an
// acronym, or a capitalised phrase with an organisation head word
// (rules/gazetteers/org_words.gaz). A title without its own body takes the
// next body segment; words between (", Strategic Growth") stay in the title.
// Sub-units ("Cyber Unit", "Division on ...") stay inside the title when a
// body follows them. "X of <Country> to Y" is a role of the country.
#include <algorithm>
#include <cstring>
#include <string>

#include "eventgraph/text.h"
#include "extractor/internal.h"
#include "util/utf8.h"

namespace eventgraph::detail {
namespace {

const char* const kParticles[] = {"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "della",
                                  "dos", "das", "do", "bin", "bint", "ibn", "al", "el", "ter", "ten", "zu", "y", "st", "mac", "af"};
const char* const kSubunits[] = {"unit", "division", "section", "directorate", "bureau", "service", "team",
                                 "branch", "desk", "cell", "sector", "department", "office", "programme", "program"};
const char* const kModifiers[] = {"deputy", "senior", "junior", "chief", "acting", "interim", "vice", "executive",
                                  "associate", "assistant", "principal", "general", "global", "regional",
                                  "national", "international", "permanent", "alternate", "former", "first", "second",
                                  "third", "special", "honorary", "emeritus", "emerita", "visiting", "adjunct",
                                  "distinguished", "non resident", "nonresident", "joint", "managing", "founding",
                                  "policy", "legal", "technical", "scientific", "strategic", "digital", "cyber"};
// Words that end a descriptor in running text: verbs and relative pronouns
// ("CEO of Cisco discussed ...", "Director of X who said ...").
const char* const kStopWords[] = {"said", "says", "discussed", "took", "gave", "presented", "noted", "stressed",
                                  "highlighted", "emphasised", "emphasized", "explained", "argued", "added",
                                  "pointed", "spoke", "shared", "welcomed", "opened", "closed", "delivered",
                                  "called", "warned", "urged", "announced", "launched", "introduced", "joined",
                                  "participated", "attended", "moderated", "chaired", "stated", "underlined",
                                  "reminded", "affirmed", "invited", "underscored", "outlined", "addressed",
                                  "remarked", "observed", "concluded", "detailed", "described", "is", "was", "were",
                                  "are", "has", "had", "have", "will", "would", "who", "which", "whose", "while",
                                  "where", "when", "during", "also", "then", "speaks", "spoke", "talked", "asked",
                                  "answered", "recalled", "insisted", "suggested", "proposed", "identified",
                                  "predicted", "expressed", "mentioned", "showcased", "focused", "focussed",
                                  "formally", "discusses", "presents", "led", "conducted", "offered", "provided", "featured",
                                  "featuring", "including", "included", "gathered", "brought", "held", "hosted"};
const char* const kFunctionWords[] = {"of", "and", "for", "the", "on", "in", "to", "&", "de", "du", "des", "la", "le", "et", "fur", "für", "a"};

// Leading words that open a sentence or heading, not a name (clean_org).
const char* const kLeading[] = {"recent", "new", "latest", "upcoming", "previous", "last", "next", "during", "launch",
                                "as", "an", "a", "at", "in", "on", "for", "with", "by", "from", "and", "thirteen",
                                "after", "before", "following", "today", "this", "these", "those", "our",
                                "its", "their", "both", "all", "some", "other", "many", "several", "dear", "welcome"};

// A word list with lookups that cost a length check and a few compares:
// the words sorted by (length, bytes).
class WordList {
 public:
  template <size_t N>
  explicit WordList(const char* const (&list)[N]) {
    for (const char* w : list) words_.emplace_back(w);
    std::sort(words_.begin(), words_.end(), less);
  }
  bool has(std::string_view w) const { return std::binary_search(words_.begin(), words_.end(), w, less); }

 private:
  static bool less(std::string_view a, std::string_view b) { return a.size() != b.size() ? a.size() < b.size() : a < b; }
  std::vector<std::string_view> words_;
};

const WordList& particles() { static const WordList l(kParticles); return l; }
const WordList& subunits() { static const WordList l(kSubunits); return l; }
const WordList& modifiers() { static const WordList l(kModifiers); return l; }
const WordList& stop_words() { static const WordList l(kStopWords); return l; }
const WordList& function_words() { static const WordList l(kFunctionWords); return l; }
const WordList& leading_words() { static const WordList l(kLeading); return l; }


struct Seg {
  uint32_t b, e;
};

// Is byte `pos` inside a gazetteer name ("Washington, D.C.")?
bool inside_hit(const DocState& st, uint32_t pos) {
  auto it = std::upper_bound(st.hits.begin(), st.hits.end(), pos, [](uint32_t p, const GazHit& h) { return p < h.begin; });
  if (it == st.hits.begin()) return false;
  --it;
  return pos > it->begin && pos < it->end && !it->adjective;
}

// Splits [b,e) on top-level separators (", " "; " " - " " / " outside brackets).
std::vector<Seg> split_segments(const DocState& st, uint32_t b, uint32_t e) {
  std::vector<Seg> out;
  int depth = 0;
  uint32_t start = b;
  for (uint32_t i = b; i < e; ++i) {
    char c = st.text[i];
    if (c == '(' || c == '[') ++depth;
    else if ((c == ')' || c == ']') && depth > 0) --depth;
    else if (depth == 0) {
      size_t sep = 0;
      if ((c == ',' || c == ';') && i + 1 < e && st.text[i + 1] == ' ') sep = 2;
      else if (c == ' ' && i + 2 < e && (st.text[i + 1] == '-' || st.text[i + 1] == '/' || st.text[i + 1] == '|') && st.text[i + 2] == ' ') sep = 3;
      if (sep && !inside_hit(st, i)) {
        if (i > start) out.push_back({start, i});
        start = i + uint32_t(sep);
        i += uint32_t(sep) - 1;
      }
    }
  }
  if (e > start) out.push_back({start, e});
  for (Seg& s : out) {
    while (s.b < s.e && (st.text[s.b] == ' ' || st.text[s.b] == ',')) ++s.b;
    while (s.e > s.b && (st.text[s.e - 1] == ' ' || st.text[s.e - 1] == ',' || st.text[s.e - 1] == '.' ||
                         st.text[s.e - 1] == ';' || st.text[s.e - 1] == ':'))
      --s.e;
  }
  out.erase(std::remove_if(out.begin(), out.end(), [](const Seg& s) { return s.e <= s.b; }), out.end());
  return out;
}

// The words of [b, e): tokens [b, e) from the first starting at or after
// byte b up to the first ending after byte e.
struct TokSpan {
  size_t b = 0, e = 0;
  size_t size() const { return e - b; }
  bool empty() const { return e == b; }
};

TokSpan tokens_in(const DocState& st, uint32_t b, uint32_t e) {
  size_t i = st.token_at(b), j = i;
  while (j < st.tokens.size() && st.tokens[j].end <= e) ++j;
  return {i, j};
}

constexpr uint32_t kNoWord = 0xFFFFFFFF;

// Finds " word " (lower case, whole word) in [b,e) at depth 0: calls
// `found(pos)` with the position of the leading space, left to right, until
// it returns false.
template <class F>
void each_word(const DocState& st, uint32_t b, uint32_t e, std::string_view word, F found) {
  size_t wl = word.size();
  int depth = 0;
  for (uint32_t i = b; i + wl + 2 <= e; ++i) {
    char c = st.text[i];
    if (c == '(') ++depth;
    else if (c == ')' && depth > 0) --depth;
    if (depth == 0 && c == ' ' && st.text.compare(i + 1, wl, word) == 0 && st.text[i + 1 + wl] == ' ')
      if (!found(i)) return;
  }
}

std::vector<uint32_t> find_word(const DocState& st, uint32_t b, uint32_t e, std::string_view word) {
  std::vector<uint32_t> out;
  each_word(st, b, e, word, [&](uint32_t i) { out.push_back(i); return true; });
  return out;
}

// The first " word " in [b,e) at depth 0, or kNoWord.
uint32_t first_word(const DocState& st, uint32_t b, uint32_t e, std::string_view word) {
  uint32_t at = kNoWord;
  each_word(st, b, e, word, [&](uint32_t i) { at = i; return false; });
  return at;
}

// The last one, or kNoWord.
uint32_t last_word(const DocState& st, uint32_t b, uint32_t e, std::string_view word) {
  uint32_t at = kNoWord;
  each_word(st, b, e, word, [&](uint32_t i) { at = i; return true; });
  return at;
}

uint32_t skip_the(const DocState& st, uint32_t b, uint32_t e) {
  std::string_view s = st.slice(b, e);
  if (s.rfind("the ", 0) == 0 || s.rfind("The ", 0) == 0) return b + 4;
  return b;
}

}  // namespace

bool is_particle(std::string_view folded) { return particles().has(folded); }

// "al-Hashimi", "el-Sayed", "bin-Zayed": a lower-case particle joined to a capitalised name.
bool particle_joined(std::string_view w) {
  size_t h = w.find('-');
  if (h == std::string_view::npos || h + 1 >= w.size()) return false;
  std::string p(w.substr(0, h));
  return (p == "al" || p == "el" || p == "ad" || p == "as" || p == "ben" || p == "bin" || p == "abu" || p == "ibn") &&
         w[h + 1] >= 'A' && w[h + 1] <= 'Z';
}

bool is_title_head(const Gazetteer& g, std::string_view folded) {
  return g.is_title_word(folded) && !modifiers().has(folded);
}

// Per-document memos.

int* SpanMemo::find_or_insert(uint64_t key, bool* found) {
  if ((used_ + 1) * 2 > keys_.size()) {
    std::vector<uint64_t> old_keys(std::max<size_t>(64, keys_.size() * 2), 0);
    std::vector<int> old_values(old_keys.size(), 0);
    old_keys.swap(keys_);
    old_values.swap(values_);
    for (size_t i = 0; i < old_keys.size(); ++i) {
      if (!old_keys[i]) continue;
      size_t mask = keys_.size() - 1, h = size_t((old_keys[i] * 0x9E3779B97F4A7C15ull) >> 17) & mask;
      while (keys_[h]) h = (h + 1) & mask;
      keys_[h] = old_keys[i];
      values_[h] = old_values[i];
    }
  }
  uint64_t k = key + 1;
  size_t mask = keys_.size() - 1, h = size_t((k * 0x9E3779B97F4A7C15ull) >> 17) & mask;
  while (keys_[h] && keys_[h] != k) h = (h + 1) & mask;
  *found = keys_[h] == k;
  if (!*found) { keys_[h] = k; values_[h] = 0; ++used_; }
  return &values_[h];
}

void SpanMemo::clear() {
  if (keys_.size() > 4096) {
    keys_ = {};
    values_ = {};
  } else {
    std::fill(keys_.begin(), keys_.end(), 0);
  }
  used_ = 0;
}

void DocState::reset() {
  rules = nullptr;
  gaz = nullptr;
  text = {};
  tokens.clear();
  hits.clear();
  mentions.clear();
  relations.clear();
  dates.clear();
  pending.clear();
  line_starts.clear();
  token_info.clear();  // flags() and folded() refill it when its size is not the tokens'
  range_gaz.clear();
  range_org.clear();
  range_known.clear();
  org_spans.clear();
  org_spans_ready = false;
}

std::string_view DocState::folded(size_t i) const {
  if (token_info.size() != tokens.size()) token_info.assign(tokens.size(), TokenInfo());
  TokenInfo& t = token_info[i];
  if (!t.folded_ready) {
    t.folded = fold(slice(tokens[i].begin, tokens[i].end));
    t.folded_ready = true;
  }
  return t.folded;
}

uint32_t DocState::compute_flags(size_t i, uint32_t mask) const {
  if (token_info.size() != tokens.size()) token_info.assign(tokens.size(), TokenInfo());
  uint32_t need = mask & ~token_info[i].known;
  std::string_view w = slice(tokens[i].begin, tokens[i].end);
  uint32_t set = 0;
  for (uint32_t rest = need; rest; rest &= rest - 1) {
    uint32_t bit = rest & (~rest + 1);  // the lowest flag still to compute
    bool v = false;
    switch (TokenFlag(bit)) {
      case kTokTitleWord: v = gaz->is_title_word(folded(i)); break;
      case kTokOrgWord: v = gaz->is_org_word(folded(i)); break;
      case kTokNotName: v = gaz->is_not_name(folded(i)); break;
      case kTokHonorific: v = gaz->is_honorific(folded(i)); break;
      case kTokParticle: v = particles().has(folded(i)); break;
      case kTokModifier: v = modifiers().has(folded(i)); break;
      case kTokSubunit: v = subunits().has(folded(i)); break;
      case kTokFunction: v = function_words().has(folded(i)); break;
      case kTokLeading: v = leading_words().has(folded(i)); break;
      case kTokStop: v = stop_words().has(w); break;
      case kTokJoined: v = particle_joined(w); break;
      case kTokTitleFirst: {
        std::string_view f = folded(i);
        v = gaz->is_title_word(f.substr(0, f.find(' ')));
        break;
      }
      case kTokAdjective: v = gaz->lookup_adjective(w) != nullptr; break;
      case kTokHonorific2: v = i + 1 < tokens.size() && gaz->is_honorific(fold(slice(tokens[i].begin, tokens[i + 1].end))); break;
      case kTokHonorific3: v = i + 2 < tokens.size() && gaz->is_honorific(fold(slice(tokens[i].begin, tokens[i + 2].end))); break;
      case kTokTitlePair:
        v = i + 1 < tokens.size() && gaz->is_title_word(std::string(folded(i)) + " " + std::string(folded(i + 1)));
        break;
      default: break;
    }
    if (v) set |= bit;
  }
  TokenInfo& t = token_info[i];
  t.known |= need;
  t.flags |= set;
  return t.flags & mask;
}

int DocState::lookup_range(uint32_t b, uint32_t e) const {
  if (e < b || e > text.size() || e >= 0x80000000u) return gaz->lookup_index(slice(b, e));
  bool found;
  int* v = range_gaz.find_or_insert((uint64_t(b) << 32) | e, &found);
  if (!found) *v = gaz->lookup_index(slice(b, e));
  return *v;
}

// Is the segment a job title? True when a title head word stands among its
// first five words (a title may open with modifiers: "Deputy Senior Director").
static bool is_title_head_at(const DocState& st, size_t i) {
  return st.flags(i, kTokTitleWord | kTokModifier) == kTokTitleWord;
}

static bool is_title(const DocState& st, uint32_t b, uint32_t e) {
  TokSpan w = tokens_in(st, b, e);
  for (size_t k = 0; k < w.size() && k < 5; ++k) {
    size_t i = w.b + k;
    if (is_title_head_at(st, i)) return true;
    if (k + 1 < w.size() && st.has(i, kTokTitlePair)) return true;
    std::string_view f = st.folded(i);
    if (f == "of" || f == "at") break;
  }
  return false;
}

void strip_title_prefix(const DocState& st, uint32_t* b, uint32_t* e) {
  size_t ti = st.token_at(*b);
  if (ti < st.tokens.size() && st.tokens[ti].begin == *b) {
    uint32_t of;
    if (st.has(ti, kTokTitleWord) && (of = first_word(st, *b, *e, "of")) != kNoWord) {
      // only a title: a head word and no body's head noun ("Technical University of X" stays)
      bool head = false, body = false;
      TokSpan w = tokens_in(st, *b, of);
      for (size_t i = w.b; i < w.e; ++i) {
        if (is_title_head_at(st, i)) head = true;
        if (st.has(i, kTokOrgWord)) body = true;
      }
      if (head && !body) *b = skip_the(st, of + 4, *e);
    }
  }
}

void clean_org(const DocState& st, uint32_t* b, uint32_t* e) {
  auto trim = [&] {
    while (*b < *e && std::strchr(" \t,.;:\"'*-(", st.text[*b])) ++*b;
    while (*e > *b && std::strchr(" \t,.;:\"'*-", st.text[*e - 1])) --*e;
  };
  trim();
  *b = skip_the(st, *b, *e);
  // Leading words that open a sentence or heading, not a name: "Recent
  // Broadband Commission", and a title in front: "Deputy Secretary-General of
  // the International Telecommunication Union".
  // (kLeading)
  for (size_t ti = st.token_at(*b); ti + 1 < st.tokens.size() && st.tokens[ti].begin == *b && st.tokens[ti + 1].end <= *e; ++ti) {
    if (st.tokens[ti].upper) break;
    std::string_view f = st.folded(ti);
    // ordinals and numbers in front: "12th Internet Governance Forum"
    bool ordinal = !f.empty() && f[0] >= '0' && f[0] <= '9' && f.size() <= 5 &&
                   (f.find_first_not_of("0123456789") == std::string_view::npos || f.size() >= 3);
    if (!st.has(ti, kTokLeading) && !ordinal) break;
    *b = st.tokens[ti + 1].begin;
    if (st.slice(*b, *e).rfind("of ", 0) == 0) *b = skip_the(st, *b + 3, *e);
    *b = skip_the(st, *b, *e);
    ti = st.token_at(*b) - 1;
  }

  std::string_view s = st.slice(*b, *e);
  if (s.size() > 2 && s.substr(s.size() - 2) == "'s") *e -= 2;
  // Unbalanced closing bracket at the end.
  s = st.slice(*b, *e);
  if (!s.empty() && s.back() == ')' && std::count(s.begin(), s.end(), '(') < std::count(s.begin(), s.end(), ')')) --*e;
  trim();
}

static int org_likeness_uncached(const DocState& st, uint32_t b, uint32_t e, bool* place, bool allow_subunit) {
  *place = false;
  clean_org(st, &b, &e);
  if (e <= b) return 0;
  std::string_view s = st.slice(b, e);
  int gi = st.lookup_range(b, e);
  if (gi >= 0) {
    const GazEntry& ge = st.gaz->entry(gi);
    // Exact-case check for short acronyms ("US" but not "us").
    *place = ge.type == GazType::kPlace;
    return 2;
  }
  TokSpan span = tokens_in(st, b, e);
  if (span.empty()) return 0;
  auto w = [&](size_t i) { return st.folded(span.b + i); };
  auto range = [&](size_t i) -> const Token& { return st.tokens[span.b + i]; };
  // Strip a trailing "(ACR)".
  size_t n = span.size();
  if (s.back() == ')') {
    size_t open = s.rfind('(');
    if (open != std::string_view::npos && open > 0) {
      uint32_t ie = b + uint32_t(open);
      while (ie > b && st.text[ie - 1] == ' ') --ie;
      return std::max(1, org_likeness(st, b, ie, place, allow_subunit));
    }
  }
  // Acronym: one token, mostly capitals ("WB3C", "NRIs", "CGI.br").
  if (n == 1) {
    std::string_view t = st.slice(range(0).begin, range(0).end);
    int caps = 0, lower = 0;
    for (char c : t) { if (c >= 'A' && c <= 'Z') ++caps; else if (c >= 'a' && c <= 'z') ++lower; }
    if (caps >= 2 && caps >= lower) return 2;
    if (t.find('.') != std::string_view::npos && caps >= 1) return 2;
    // CamelCase single word ("DiploFoundation", "Women4Cyber")
    bool inner_cap = false;
    for (size_t i = 1; i < t.size(); ++i) if ((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= '0' && t[i] <= '9')) inner_cap = true;
    if (inner_cap && caps >= 1) return 2;
  }
  // Possessive or adjectival country in front: "Ghana's Cyber Security Authority", "French Ministry ...".
  size_t first = 0;
  if (n >= 2 && st.has(span.b, kTokAdjective)) first = 1;
  // Capitalised phrase (function words aside): a word in lower case makes it none.
  bool has_org_word = false, has_subunit = false, has_camel = false;
  for (size_t i = first; i < n; ++i) {
    const Token& tok = range(i);
    std::string_view t = st.slice(tok.begin, tok.end);
    uint32_t flags = st.flags(span.b + i, kTokFunction | kTokOrgWord | kTokSubunit);
    bool fw = (flags & kTokFunction) || (w(i) == "s" && tok.begin > 0 && st.text[tok.begin - 1] == '\'');  // possessive 's
    size_t k = 0;
    uint32_t cp = utf8::decode(t, k);
    if (!fw && !(utf8::is_upper(cp) || utf8::is_digit(cp))) return 0;
    if (flags & kTokOrgWord) {
      if (flags & kTokSubunit) has_subunit = true;
      else has_org_word = true;
    }
    // CamelCase or a digit inside a word: "DiploFoundation", "Women4Cyber" (not "ENISA").
    bool lower_in = std::any_of(t.begin(), t.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    for (size_t j = 1; lower_in && j < t.size(); ++j)
      if (((t[j] >= 'A' && t[j] <= 'Z') || (t[j] >= '0' && t[j] <= '9')) && t[j - 1] != '-' && t[j - 1] != '\'') has_camel = true;
  }
  if (st.has(span.b + n - 1, kTokFunction)) return 0;
  if (has_org_word || (allow_subunit && has_subunit)) return 2;
  if (has_camel) return 2;  // "Women4Cyber Montenegro", "DiploFoundation"
  // A known body at the front: "Microsoft Europe".
  for (size_t k = 1; k < n && k <= 4; ++k) {
    int gi = st.lookup_range(range(0).begin, range(k - 1).end);
    if (gi >= 0 && st.gaz->entry(gi).type == GazType::kOrganization) return 2;
  }
  // "MFEA of France": an acronym qualified by a place.
  if (n >= 3 && w(1) == "of") {
    std::string_view t0 = st.slice(range(0).begin, range(0).end);
    bool acr = t0.size() >= 2 && std::all_of(t0.begin(), t0.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
    int gi = st.lookup_range(range(2).begin, e);
    if (acr && gi >= 0 && st.gaz->entry(gi).type == GazType::kPlace) return 2;
  }
  // Head words of sub-units only ("Cyber Unit"): a body only when one of its
  // words is a known place or body.
  if (!has_subunit) return 1;
  for (size_t i = first; i < n; ++i)
    if (st.lookup_range(range(i).begin, range(i).end) >= 0) return 1;
  return 0;
}

// Memo key of a text range (and one bit more); false when the range is too
// far into the text to make one.
static bool range_key(uint32_t b, uint32_t e, bool bit, uint64_t* key) {
  if (b >= 0x80000000u || e >= 0x80000000u) return false;
  *key = (uint64_t(b) << 32 | uint64_t(e) << 1 | (bit ? 1 : 0));
  return true;
}

int org_likeness(const DocState& st, uint32_t b, uint32_t e, bool* place, bool allow_subunit) {
  uint64_t key;
  if (!range_key(b, e, allow_subunit, &key)) return org_likeness_uncached(st, b, e, place, allow_subunit);
  bool found;
  int* v = st.range_org.find_or_insert(key, &found);
  if (!found) {
    bool p = false;
    int like = org_likeness_uncached(st, b, e, &p, allow_subunit);
    // (the slot may have moved: the call above can add entries)
    v = st.range_org.find_or_insert(key, &found);
    *v = like * 2 + (p ? 1 : 0);
  }
  *place = (*v & 1) != 0;
  return *v >> 1;
}

static bool is_known_body_uncached(const DocState& st, uint32_t b, uint32_t e) {
  clean_org(st, &b, &e);
  if (e <= b) return false;
  std::string_view s = st.slice(b, e);
  if (st.lookup_range(b, e) >= 0) return true;
  // an acronym alone ("ITU", "WB3C", "CGI.br"), or "ACR of Country"
  size_t sp = s.find(' ');
  std::string_view first = s.substr(0, sp);
  int caps = 0, lower = 0;
  for (char c : first) { if (c >= 'A' && c <= 'Z') ++caps; else if (c >= 'a' && c <= 'z') ++lower; }
  if (caps < 2 || lower > caps) return false;
  if (sp == std::string_view::npos) return true;
  if (s.substr(sp, 4) == " of ") {
    int gi = st.lookup_range(b + uint32_t(sp) + 4, e);
    return gi >= 0 && st.gaz->entry(gi).type == GazType::kPlace;
  }
  return false;
}

bool is_known_body(const DocState& st, uint32_t b, uint32_t e) {
  uint64_t key;
  if (!range_key(b, e, false, &key)) return is_known_body_uncached(st, b, e);
  bool found;
  int* v = st.range_known.find_or_insert(key, &found);
  if (!found) {
    bool known = is_known_body_uncached(st, b, e);
    v = st.range_known.find_or_insert(key, &found);
    *v = known ? 1 : 0;
  }
  return *v != 0;
}

// Are tokens [i, i + len) one honorific (len 1 to 3; the tokens exist)?
static bool honorific_at(const DocState& st, size_t i, size_t len) {
  if (len == 1) return st.has(i, kTokHonorific);
  return st.has(i, len == 2 ? kTokHonorific2 : kTokHonorific3);
}

// A programme label glued to a name by a flattened table ("KeynoteAna Roe",
// "Opening remarksJo Doe"): the length of the label at the start of token
// `i` when a capital follows it inside the token, else 0.
static size_t glued_label(const DocState& st, size_t i) {
  static const char* const kLabels[] = {"keynote", "remarks", "speakers", "speaker", "moderators", "moderator",
                                        "panellists", "panelists", "panellist", "panelist", "chair", "presenters",
                                        "presenter", "speech", "address"};
  std::string_view w = st.slice(st.tokens[i].begin, st.tokens[i].end);
  for (const char* l : kLabels) {
    size_t n = std::strlen(l);
    if (w.size() < n + 2 || !(w[n] >= 'A' && w[n] <= 'Z') || !(w[n + 1] >= 'a' && w[n + 1] <= 'z')) continue;
    bool same = true;
    for (size_t k = 0; k < n && same; ++k) same = char(std::tolower((unsigned char)w[k])) == l[k];
    if (same) return n;
  }
  return 0;
}

// Is the capitalised run ending at token `last` a person's name: one a rule
// found, or one an honorific introduces ("Prof. Ana Roe and Jo Doe")?
static bool person_before(const DocState& st, size_t last) {
  size_t k = last;
  for (size_t n = 0; n < 4 && k > 0; ++n) {
    const Token& t = st.tokens[k];
    std::string_view gap = st.slice(st.tokens[k - 1].end, t.begin);
    if (!(gap == " " || gap == ". " || gap == "-")) return false;
    for (size_t len = 1; len <= 3 && len <= k; ++len)
      if (honorific_at(st, k - len, len)) return true;
    if (!st.tokens[k - 1].capital) break;
    --k;
  }
  for (const Mention& m : st.mentions)
    if (m.kind == MKind::kPerson && m.alive && m.e == st.tokens[last].end) return true;
  return false;
}

bool clean_person(const DocState& st, uint32_t* b, uint32_t* e, std::string* why) {
  // Trim punctuation.
  while (*b < *e && std::strchr(" \t,.;:\"'*-(", st.text[*b])) ++*b;
  while (*e > *b && std::strchr(" \t,;:\"'*-()", st.text[*e - 1])) --*e;
  // The name's tokens: [toks.b, toks.e).
  TokSpan toks = tokens_in(st, *b, *e);
  // A name that starts inside a token after a glued label ("KeynoteAna Roe"):
  // its first word is the rest of that token; `glued` is its start.
  uint32_t glued = 0;
  {
    size_t k = st.token_at(*b);
    if (k > 0 && st.tokens[k - 1].begin < *b && st.tokens[k - 1].end > *b) {
      // (a lower -> upper boundary: "remarksJo")
      if (st.text[*b] >= 'A' && st.text[*b] <= 'Z' && st.text[*b - 1] >= 'a' && st.text[*b - 1] <= 'z' &&
          st.tokens[k - 1].end < *e) {
        glued = *b;
        toks = tokens_in(st, st.tokens[k - 1].end, *e);
      }
    } else if (toks.size() >= 2) {
      size_t n = glued_label(st, toks.b);
      if (n > 0) {
        glued = st.tokens[toks.b].begin + uint32_t(n);
        toks = tokens_in(st, st.tokens[toks.b].end, *e);
      }
    }
    // the glued word and the next one make the name's start
    if (glued && (toks.size() == 0 || toks.b == 0 || st.slice(st.tokens[toks.b - 1].end, st.tokens[toks.b].begin) != " ")) glued = 0;
    if (!glued) toks = tokens_in(st, *b, *e);
  }
  // Drop honorifics in front (up to three words: "H.E. Ms", "Federal Councillor Mr").
  size_t start = toks.b;
  for (bool again = !glued; again && start < toks.e;) {
    again = false;
    for (size_t len = std::min<size_t>(3, toks.e - start); len >= 1; --len) {
      if (honorific_at(st, start, len)) { start += len; again = true; break; }
    }
  }
  // Possessive at the end: "Okafor's".
  if (*e - *b > 2 && st.slice(*e - 2, *e) == "'s") *e -= 2;
  if (start >= toks.e) { *why = "only honorifics"; return false; }
  *b = glued ? glued : st.tokens[start].begin;
  size_t count = toks.e - start + (glued ? 1 : 0);
  if (count > 6) { *why = "too many words for a name"; return false; }
  for (size_t k = start; k < toks.e; ++k) {
    const Token& t = st.tokens[k];
    uint32_t flags = st.flags(k, kTokParticle | kTokJoined | kTokNotName | kTokOrgWord | kTokSubunit | kTokTitleWord | kTokModifier);
    if (!t.capital && !(flags & (kTokParticle | kTokJoined))) { *why = "'" + std::string(st.slice(t.begin, t.end)) + "' is not capitalised"; return false; }
    if ((flags & kTokNotName) && !(t.upper && count >= 2 && k > start)) { *why = "'" + std::string(st.folded(k)) + "' is never part of a name"; return false; }
    if (flags & (kTokOrgWord | kTokSubunit)) { *why = "'" + std::string(st.folded(k)) + "' makes it an organisation"; return false; }
    if (flags & (kTokTitleWord | kTokModifier)) { *why = "'" + std::string(st.folded(k)) + "' is a title word"; return false; }
    if (k > start) {
      std::string_view gap = st.slice(st.tokens[k - 1].end, t.begin);
      if (!(gap == " " || gap == ". " || gap == "." || gap == "-")) { *why = "punctuation inside the name"; return false; }
    }
  }
  if (st.lookup_range(*b, *e) >= 0) { *why = "a known place or body"; return false; }
  // A known body or place that runs across the name's edge, or a body inside it.
  // (Hits do not overlap and are in text order, so their ends are sorted too.)
  auto from = std::partition_point(st.hits.begin(), st.hits.end(), [&](const GazHit& h) { return h.end <= *b; });
  for (auto it = from; it != st.hits.end() && it->begin < *e; ++it) {
    const GazHit& h = *it;
    if (h.end <= *b || h.begin >= *e || h.adjective) continue;
    const GazEntry& ge = st.gaz->entry(h.entry);
    if (ge.type == GazType::kHonorific) continue;
    bool inside = h.begin >= *b && h.end <= *e;
    bool one_word = st.token_at(h.begin) + 1 == st.token_at(h.end) || st.token_at(h.end) == st.token_at(h.begin) + 1;
    if (!inside || ge.type == GazType::kOrganization || !one_word) {
      *why = "overlaps the known " + std::string(ge.type == GazType::kOrganization ? "body '" : "place '") + ge.canonical + "'";
      return false;
    }
  }
  // An acronym in brackets right after it: a body's name ("Abu-Ghazaleh Intellectual Property (AGIP)").
  {
    std::string_view after = st.text.substr(*e, std::min<size_t>(14, st.text.size() - *e));
    if (after.size() > 4 && after.substr(0, 2) == " (") {
      size_t close = after.find(')');
      if (close != std::string_view::npos && close > 3) {
        std::string_view acr = after.substr(2, close - 2);
        if (std::all_of(acr.begin(), acr.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '&'; })) {
          *why = "followed by an acronym: a body's name";
          return false;
        }
      }
    }
  }
  // Context: a body's head word right after it ("Malta Communications Authority").
  {
    size_t ti = st.token_at(*e);
    if (ti < st.tokens.size() && st.slice(*e, st.tokens[ti].begin) == " " && st.tokens[ti].capital) {
      if (st.has(ti, kTokOrgWord | kTokSubunit)) { *why = "followed by '" + std::string(st.folded(ti)) + "': part of a body's name"; return false; }
    }
  }
  // Context: a capitalised phrase that goes on to the left is a longer name,
  // not a person's ("Governance and Conflict Prevention", "Forum on Diplomatic Training").
  if (!glued) {
    size_t ti = st.token_at(*b);
    if (ti > 0) {
      const Token& prev = st.tokens[ti - 1];
      std::string_view gap = st.slice(prev.end, *b);
      bool joined = gap == " " || gap == "-";
      if (joined && prev.capital && !st.has(ti - 1, kTokHonorific | kTokTitleWord | kTokNotName) &&
          !(prev.end - prev.begin >= 2 && prev.upper)) {
        *why = "continues the capitalised phrase before it";
        return false;
      }
      std::string_view pf = joined ? st.folded(ti - 1) : std::string_view();
      if (joined && (pf == "of" || pf == "on" || pf == "for" || pf == "and" || pf == "the" || pf == "de") && ti > 1) {
        const Token& pp = st.tokens[ti - 2];
        if (pp.capital && st.slice(pp.end, prev.begin) == " " && !st.has(ti - 2, kTokHonorific) && !st.has(ti - 1, kTokParticle) &&
            (!st.has(ti - 2, kTokTitleWord) || pf == "of" || pf == "for") && !(pf == "and" && person_before(st, ti - 2))) {
          *why = "part of a longer capitalised name";
          return false;
        }
      }
    }
  }
  if (!glued) {
    const Token& t0 = st.tokens[start];
    int gi = st.lookup_range(t0.begin, t0.end);
    if (gi >= 0 && st.gaz->entry(gi).type == GazType::kOrganization) { *why = "starts with a known body"; return false; }
  }
  return true;
}

// Name tokens from `ti` on (honorifics skipped): returns the token range
// [first, last] of the longest name-like run, or false.
static bool name_run(const DocState& st, size_t ti, uint32_t e, size_t* first, size_t* last) {
  size_t i = ti;
  // honorifics
  for (bool again = true; again && i < st.tokens.size();) {
    again = false;
    for (size_t len = 3; len >= 1; --len) {
      if (i + len > st.tokens.size() || st.tokens[i + len - 1].end > e) continue;
      if (honorific_at(st, i, len)) { i += len; again = true; break; }
    }
  }
  size_t j = i;
  for (; j < st.tokens.size() && st.tokens[j].end <= e && j - i < 5; ++j) {
    const Token& t = st.tokens[j];
    uint32_t flags = st.flags(j, kTokParticle | kTokJoined | kTokOrgWord | kTokTitleWord | kTokModifier | kTokNotName);
    bool particle = (flags & kTokParticle) && !t.capital && j > i;
    bool joined = (flags & kTokJoined) && j > i;
    if (!t.capital && !particle && !joined) break;
    if (flags & (kTokOrgWord | kTokTitleWord | kTokModifier)) break;
    if ((flags & kTokNotName) && !(t.upper && j > i)) break;
    if (j > i) {
      std::string_view gap = st.slice(st.tokens[j - 1].end, t.begin);
      if (!(gap == " " || gap == ". " || gap == "-")) break;
      // a lone initial before the gap is fine; a sentence end is not
      if (gap == ". " && st.tokens[j - 1].end - st.tokens[j - 1].begin > 1) break;
    }
  }
  // A name does not end on a particle.
  while (j > i && !st.tokens[j - 1].capital && !st.has(j - 1, kTokJoined)) --j;
  if (j - i < 2) return false;
  *first = i;
  *last = j - 1;
  return true;
}

void find_listed_people(DocState& st, uint32_t b, uint32_t e, int priority, std::string_view rule_id) {
  // People named in a cue list ("speakers such as A, expert, B and Dr C"): a
  // name that opens the list or follows ", ", " and " or "; " is a person, so
  // bare names count here even without an honorific or a title.
  size_t ti = st.token_at(b);
  for (; ti < st.tokens.size() && st.tokens[ti].end <= e; ++ti) {
    const Token& t = st.tokens[ti];
    std::string_view before = st.slice(ti > 0 ? st.tokens[ti - 1].end : 0, t.begin);
    std::string_view prev = ti > 0 ? st.folded(ti - 1) : std::string_view();
    bool opens = t.begin <= b + 1 || before == ", " || before == "; " || before == ": " ||
                 (before == " " && (prev == "and" || prev == "including" || prev == "as" || prev == "by" || prev == "like")) ||
                 (before == ". " && (ti > 0 ? st.has(ti - 1, kTokHonorific) : st.gaz->is_honorific("")));
    if (!opens) continue;
    size_t first, last;
    if (!name_run(st, ti, e, &first, &last)) continue;
    Mention m;
    m.b = st.tokens[first].begin;
    m.e = st.tokens[last].end;
    m.kind = MKind::kPerson;
    m.priority = priority;
    m.rule_id = rule_id;
    std::string why;
    if (!clean_person(st, &m.b, &m.e, &why)) continue;
    st.add(m);
    ti = last;
  }
}

std::vector<std::pair<uint32_t, uint32_t>> split_items(const DocState& st, uint32_t b, uint32_t e) {
  // "; " always separates people in one item; " & " and " and " only when a
  // name follows ("Ana Roe (CGI.br) & Jo Doe (CGI.br)").
  std::vector<std::pair<uint32_t, uint32_t>> out;
  int depth = 0;
  uint32_t start = b;
  for (uint32_t i = b; i < e; ++i) {
    char c = st.text[i];
    if (c == '(') ++depth;
    else if (c == ')' && depth > 0) --depth;
    if (depth) continue;
    uint32_t skip = 0;
    if (c == ';' && i + 1 < e && st.text[i + 1] == ' ') skip = 2;
    else if (c == ' ' && i + 2 < st.text.size() && st.text[i + 1] == '&' && st.text[i + 2] == ' ') skip = 3;
    if (!skip) continue;
    size_t ti = st.token_at(i + skip);
    size_t first, last;
    if (c != ';' && (ti >= st.tokens.size() || !name_run(st, ti, e, &first, &last))) continue;
    if (i > start) out.push_back({start, i});
    start = i + skip;
    i += skip - 1;
  }
  if (e > start) out.push_back({start, e});
  return out;
}

int parse_item(DocState& st, uint32_t b, uint32_t e, int priority, std::string_view rule_id) {
  while (b < e && std::strchr(" \t*-.:", st.text[b])) ++b;
  while (e > b && std::strchr(" \t,.;:", st.text[e - 1])) --e;
  if (e <= b) return -1;
  size_t ti = st.token_at(b);
  size_t first, last;
  uint32_t pb, pe, db, de;
  // An item that starts inside a token ("KeynoteAna Roe, Co-Chair ..." from
  // a flattened table): the rest of that token is the name's first word.
  bool glued = ti > 0 && ti <= st.tokens.size() && st.tokens[ti - 1].begin < b && st.tokens[ti - 1].end > b &&
               st.text[b] >= 'A' && st.text[b] <= 'Z' && st.text[b - 1] >= 'a' && st.text[b - 1] <= 'z';
  size_t glued_end = ti;
  if (glued) {
    for (; glued_end < st.tokens.size() && st.tokens[glued_end].end <= e && glued_end - ti < 4; ++glued_end) {
      const Token& t = st.tokens[glued_end];
      std::string_view gap = st.slice(st.tokens[glued_end - 1].end, t.begin);
      if (!(gap == " " || gap == "-") || !t.capital ||
          st.has(glued_end, kTokOrgWord | kTokTitleWord | kTokModifier | kTokNotName | kTokHonorific))
        break;
    }
    glued = glued_end > ti;
  }
  if (glued) {
    pb = b;
    pe = st.tokens[glued_end - 1].end;
    db = pe;
    de = e;
  } else if (ti < st.tokens.size() && name_run(st, ti, e, &first, &last)) {
    pb = st.tokens[first].begin;
    pe = st.tokens[last].end;
    db = pe;
    de = e;
  } else if (size_t comma = st.slice(b, e).rfind(", "); comma != std::string_view::npos &&
             st.token_at(b + uint32_t(comma) + 2) < st.tokens.size() &&
             name_run(st, st.token_at(b + uint32_t(comma) + 2), e, &first, &last) && st.tokens[last].end == e) {
    // "Title at Org, Name": the last comma segment is the name.
    pb = st.tokens[first].begin;
    pe = st.tokens[last].end;
    db = b;
    de = b + uint32_t(comma);
  } else {
    // "OSCE Secretary General Ana Roe": a title, then the name at the end.
    size_t lt = st.token_at(e);
    if (lt == 0) return -1;
    size_t k = lt;  // one past the last token of the item
    while (k > 0 && st.tokens[k - 1].end > e) --k;
    size_t end_tok = k;
    while (k > ti && end_tok - k < 5) {
      const Token& t = st.tokens[k - 1];
      if (!t.capital || st.has(k - 1, kTokTitleWord | kTokTitleFirst | kTokOrgWord | kTokHonorific)) break;
      if (k < end_tok) {
        std::string_view gap = st.slice(t.end, st.tokens[k].begin);
        if (!(gap == " " || gap == ". " || gap == "-")) break;
      }
      --k;
    }
    if (end_tok - k < 2 || k == ti) return -1;
    pb = st.tokens[k].begin;
    pe = st.tokens[end_tok - 1].end;
    db = b;
    de = st.tokens[k - 1].end;
    // honorifics between the title and the name stay out of the title
    while (de > db) {
      size_t hk = st.token_at(de) - 1;
      if (st.flags(hk, kTokHonorific | kTokTitleWord) != kTokHonorific) break;
      de = hk > 0 ? st.tokens[hk - 1].end : db;
    }
    if (!is_title(st, db, de)) return -1;
  }
  Mention m;
  m.b = pb; m.e = pe; m.kind = MKind::kPerson; m.priority = priority; m.rule_id = rule_id;
  std::string why;
  if (!clean_person(st, &m.b, &m.e, &why)) { m.alive = false; m.why = "dropped: " + why; }
  int p = st.add(std::move(m));
  // Descriptor: strip the separator and a wrapping "( ... )".
  while (db < de && std::strchr(" ,:-;", st.text[db])) ++db;
  if (db < de && st.text[db] == '(') {
    int depth = 0;
    for (uint32_t k = db; k < de; ++k) {
      if (st.text[k] == '(') ++depth;
      else if (st.text[k] == ')' && --depth == 0) { de = k; break; }
    }
    ++db;
  }
  if (de > db && st.mentions[p].alive) st.pending.push_back({p, db, de, priority, rule_id});
  return p;
}

void parse_pending_descriptors(DocState& st) {
  std::vector<size_t> order(st.pending.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto& P = st.pending;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (P[a].priority != P[b].priority) return P[a].priority > P[b].priority;
    return P[a].e - P[a].b > P[b].e - P[b].b;
  });
  std::vector<size_t> chosen;
  for (size_t i : order) {
    bool clash = false;
    for (size_t c : chosen)
      if (P[c].b < P[i].e && P[i].b < P[c].e) clash = true;
    if (!clash) chosen.push_back(i);
  }
  std::sort(chosen.begin(), chosen.end());
  for (size_t i : chosen) {
    PendingDesc d = P[i];
    parse_descriptor(st, d.b, d.e, d.person, d.priority, d.rule_id);
  }
}

namespace {

struct Piece {
  int title = -1;  // title mention
  int body = -1;   // org/place mention
};

int add_mention(DocState& st, uint32_t b, uint32_t e, MKind kind, int priority, std::string_view rule_id) {
  if (kind == MKind::kTitle) {
    // "a former Director", "ex-Minister": a past position is not a role.
    std::string f = fold(st.slice(b, e));
    for (const char* p : {"former ", "a former ", "the former ", "ex ", "an ex ", "past ", "retired ", "late "})
      if (f.rfind(p, 0) == 0) return -1;
    for (const char* p : {"a ", "an "})
      if (st.slice(b, e).rfind(p, 0) == 0) b += uint32_t(std::strlen(p));
  }
  Mention m;
  m.b = b; m.e = e; m.kind = kind; m.priority = priority; m.rule_id = rule_id;
  if (kind == MKind::kOrg || kind == MKind::kPlace) clean_org(st, &m.b, &m.e);
  if (m.e <= m.b) return -1;
  if (kind == MKind::kTitle) {
    while (m.e > m.b && std::strchr(" ,;:-", st.text[m.e - 1])) --m.e;
    std::string_view s = st.slice(m.b, m.e);
    if (s.rfind("the ", 0) == 0) m.b += 4;
  }
  return st.add(m);
}

int add_body(DocState& st, uint32_t b, uint32_t e, int priority, std::string_view rule_id) {
  bool place = false;
  clean_org(st, &b, &e);
  // "the British Council in Abuja": a body's seat after it is not its name.
  if (uint32_t in = last_word(st, b, e, "in"); in != kNoWord && in > b) {
    int gi = st.lookup_range(skip_the(st, in + 4, e), e);
    bool head_place = false;
    if (gi >= 0 && st.gaz->entry(gi).type == GazType::kPlace && org_likeness(st, b, in, &head_place, true) == 2 && !head_place)
      e = in;
  }
  org_likeness(st, b, e, &place, true);
  return add_mention(st, b, e, place ? MKind::kPlace : MKind::kOrg, priority, rule_id);
}

// "Chief Internet Evangelist", "Senior Data Steward", "Head Curator": a
// title's opening word (a rank or "Head") and then capitalised words only,
// none of them a body's head word. A title even when its last word is not in
// the title vocabulary.
bool ranked_title(const DocState& st, uint32_t b, uint32_t e) {
  static const char* const kRanks[] = {"chief", "senior", "head", "deputy", "principal", "lead", "vice", "executive",
                                       "assistant", "associate", "junior", "acting", "interim", "managing", "general"};
  TokSpan w = tokens_in(st, b, e);
  if (w.size() < 2 || w.size() > 5) return false;
  std::string_view f0 = st.folded(w.b);
  bool rank = false;
  for (const char* r : kRanks) rank = rank || f0 == r;
  if (!rank) return false;
  for (size_t i = w.b; i < w.e; ++i) {
    const Token& t = st.tokens[i];
    if (!t.capital || st.has(i, kTokOrgWord | kTokSubunit)) return false;
    if (i > w.b && st.slice(st.tokens[i - 1].end, t.begin) != " " && st.slice(st.tokens[i - 1].end, t.begin) != "-") return false;
  }
  return st.lookup_range(b, e) < 0;
}

// Is [b, e) exactly an organisation a rule or the gazetteer found
// ("Dr. Jo Roe (TU Darmstadt)")?
bool found_org(const DocState& st, uint32_t b, uint32_t e) {
  if (!st.org_spans_ready) {
    // (the ones there before the role grammar runs: made once per document)
    for (const Mention& m : st.mentions)
      if (m.kind == MKind::kOrg) st.org_spans.push_back((uint64_t(m.b) << 32) | m.e);
    std::sort(st.org_spans.begin(), st.org_spans.end());
    st.org_spans_ready = true;
  }
  return std::binary_search(st.org_spans.begin(), st.org_spans.end(), (uint64_t(b) << 32) | e);
}

// Splits a title segment into title and body. Returns false when it has no body.
bool split_title(DocState& st, uint32_t b, uint32_t e, bool body_follows, uint32_t* tb, uint32_t* te,
                 uint32_t* ob, uint32_t* oe, bool* country_role) {
  *country_role = false;
  // 0. A body or state in front of the title: "France's special envoy for AI",
  // "UN secretary-general", "the MITA CEO".
  {
    std::string_view s = st.slice(b, e);
    size_t ti = st.token_at(b);
    for (size_t len = 1; len <= 4 && ti + len < st.tokens.size() && st.tokens[ti + len - 1].end < e; ++len) {
      uint32_t pe = st.tokens[ti + len - 1].end;
      std::string_view rest = st.slice(pe, e);
      size_t skip = rest.rfind("'s ", 0) == 0 ? 3 : (rest.rfind(" ", 0) == 0 ? 1 : 0);
      if (!skip) continue;
      int gi = st.lookup_range(b, pe);
      bool acr = len == 1 && std::all_of(s.begin(), s.begin() + (pe - b), [](char c) { return (c >= 'A' && c <= 'Z') || c == '.'; }) && pe - b >= 2;
      size_t tt;
      if ((gi >= 0 || acr) && is_title(st, pe + uint32_t(skip), e) &&
          (tt = st.token_at(pe + uint32_t(skip))) < st.tokens.size()) {
        if (!st.has(tt, kTokTitleWord)) continue;
        *ob = b; *oe = pe;
        *tb = pe + uint32_t(skip); *te = e;
        return true;
      }
    }
  }
  // 1. " at BODY" (the last one).
  uint32_t at = last_word(st, b, e, "at");
  if (at != kNoWord) {
    *tb = b; *te = at;
    *ob = at + 4; *oe = e;
    // "the Cyber Unit of the MFEA of France": a sub-unit of a body -> the body.
    uint32_t body_b = *ob, body_e = *oe;
    each_word(st, body_b, body_e, "of", [&](uint32_t of) {
      TokSpan left = tokens_in(st, body_b, of);
      bool sub = false;
      for (size_t i = left.b; i < left.e && !sub; ++i) sub = st.has(i, kTokSubunit);
      bool place;
      if (sub && org_likeness(st, of + 4, body_e, &place, false) == 2 && !place) { *ob = of + 4; return false; }
      return true;
    });
    return true;
  }
  if (body_follows) return false;
  // 2. " of BODY": the leftmost split whose right side is a known body or
  // place ("Minister of Public Administration of the Republic of Slovenia"),
  // else the leftmost whose right side is shaped like a body; a sub-unit
  // ("Department of ...") is a body only when nothing better is found.
  std::vector<uint32_t> ofs = find_word(st, b, e, "of");
  for (int pass = 0; pass < 3; ++pass)
  for (uint32_t of : ofs) {
    bool allow_subunit = pass == 2;
    uint32_t rb = skip_the(st, of + 4, e);
    bool place = false;
    // "of France to the Conference on Disarmament" (the title's first "of";
    // the same in every pass, so asked in the first only)
    if (pass == 0 && of == ofs.front()) {
      uint32_t to = first_word(st, rb, e, "to");
      int gi = to == kNoWord ? -1 : st.lookup_range(rb, to);
      if (gi >= 0 && st.gaz->entry(gi).type == GazType::kPlace) {
        *tb = b; *te = of;
        *ob = rb; *oe = to;
        *country_role = true;  // title gets " to ..." appended by the caller
        return true;
      }
    }
    if (pass == 0 && !is_known_body(st, rb, e)) continue;
    int like = org_likeness(st, rb, e, &place, allow_subunit);
    if (like == 2 || (like == 1 && place)) {
      *tb = b; *te = of; *ob = rb; *oe = e;
      return true;
    }
  }
  // 3. A trailing "(ACR)" or a body in the last words is left to the caller.
  return false;
}

}  // namespace

void parse_descriptor(DocState& st, uint32_t b, uint32_t e, int person, int priority, std::string_view rule_id) {
  // Trim, and drop a trailing remark in brackets that is not an acronym: "(virtually)".
  while (b < e && std::strchr(" \t,.;:-(", st.text[b])) ++b;
  while (e > b && std::strchr(" \t,.;:", st.text[e - 1])) --e;
  for (;;) {
    std::string_view s = st.slice(b, e);
    if (s.empty() || s.back() != ')') break;
    size_t open = s.rfind('(');
    if (open == std::string_view::npos) { --e; continue; }
    std::string_view inner = s.substr(open + 1, s.size() - open - 2);
    bool acronym = !inner.empty() && std::all_of(inner.begin(), inner.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '&' || (c >= 'a' && c <= 'z');
    }) && std::any_of(inner.begin(), inner.end(), [](char c) { return c >= 'A' && c <= 'Z'; }) && inner.find(' ') == std::string_view::npos;
    if (acronym) break;
    e = b + uint32_t(open);
    while (e > b && st.text[e - 1] == ' ') --e;
  }
  if (e <= b) return;
  // Cut at the first verb or relative pronoun outside brackets.
  {
    int depth = 0;
    size_t t0 = st.token_at(b);
    for (size_t i = t0; i < st.tokens.size() && st.tokens[i].end <= e; ++i) {
      const Token& t = st.tokens[i];
      for (uint32_t k = (i == t0 ? b : st.tokens[i - 1].end); k < t.begin; ++k) {
        if (st.text[k] == '(') ++depth;
        else if (st.text[k] == ')' && depth > 0) --depth;
      }
      if (depth > 0 || t.capital) continue;
      std::string_view w = st.slice(t.begin, t.end);
      bool stop = st.has(i, kTokStop);
      if (!stop && w == "by" && i > 0 && st.slice(st.tokens[i - 1].begin, st.tokens[i - 1].end) == "and") stop = true;
      if (stop) {
        e = (w == "by") ? st.tokens[i - 1].begin : t.begin;
        while (e > b && std::strchr(" \t,.;:-", st.text[e - 1])) --e;
        break;
      }
    }
  }
  if (e <= b) return;
  std::string_view s = st.slice(b, e);
  // "Name, and Other Name": a coordination, not a descriptor.
  if (s.rfind("and ", 0) == 0 || s.rfind("or ", 0) == 0) return;
  // "of Microsoft, ...", "from ENISA": an affiliation first.
  for (const char* lead : {"of ", "from ", "at ", "with ", "representing ", "on behalf of "}) {
    size_t ll = std::strlen(lead);
    if (s.size() > ll && s.compare(0, ll, lead) == 0) {
      uint32_t ob = b + uint32_t(ll);
      size_t comma = st.slice(ob, e).find(", ");
      uint32_t oe = comma == std::string_view::npos ? e : ob + uint32_t(comma);
      bool place;
      if (org_likeness(st, ob, oe, &place, true) >= 1) {
        int body = add_body(st, ob, oe, priority, rule_id);
        if (body >= 0) st.relations.push_back({person, "AFFILIATED_WITH", body, "", priority});
      }
      if (oe == e) return;
      b = oe + 2;
      break;
    }
  }
  std::vector<Seg> segs = split_segments(st, b, e);
  // Split title segments on " and " + title head: "Lecturer at X and President of Y".
  std::vector<Seg> expanded;
  for (const Seg& sg : segs) {
    uint32_t start = sg.b;
    each_word(st, sg.b, sg.e, "and", [&](uint32_t a) {
      if (a < start) return true;
      bool left_has_body = first_word(st, start, a, "at") != kNoWord || first_word(st, start, a, "of") != kNoWord;
      if (left_has_body && is_title(st, a + 5, sg.e)) {
        expanded.push_back({start, a});
        start = a + 5;
      }
      return true;
    });
    expanded.push_back({start, sg.e});
  }
  segs.swap(expanded);
  enum Kind { kTitleSeg, kBodySeg, kPlaceSeg, kOther };
  std::vector<Kind> kinds;
  // A segment in lower case ends the descriptor ("..., said that"); a
  // leading "and" joins a segment to the one before.
  for (size_t i = 0; i < segs.size(); ++i) {
    std::string_view t = st.slice(segs[i].b, segs[i].e);
    if (t.rfind("and ", 0) == 0) t.remove_prefix(4);
    size_t k = 0;
    uint32_t cp = utf8::decode(t, k);
    if (i > 0 && utf8::is_lower(cp) && !(t.rfind("of ", 0) == 0)) { segs.resize(i); break; }
  }
  // A segment that is another person ("..., Mr Ivo Roe, UNDESA") ends it.
  for (size_t i = 1; i < segs.size(); ++i) {
    size_t ti = st.token_at(segs[i].b);
    size_t first, last;
    if (ti < st.tokens.size() && name_run(st, ti, segs[i].e, &first, &last) && st.tokens[last].end == segs[i].e) {
      bool hon = st.tokens[first].begin > segs[i].b;
      bool p2;
      if (hon || org_likeness(st, segs[i].b, segs[i].e, &p2, true) < 2) { segs.resize(i); break; }
    }
  }
  for (const Seg& sg : segs) {
    bool place = false;
    int like = org_likeness(st, sg.b, sg.e, &place, true);
    if (like == 2 && place) kinds.push_back(kPlaceSeg);
    else if (is_known_body(st, sg.b, sg.e)) kinds.push_back(kBodySeg);
    else if (is_title(st, sg.b, sg.e)) kinds.push_back(kTitleSeg);
    else if (like == 2) kinds.push_back(kBodySeg);
    else if (found_org(st, sg.b, sg.e)) kinds.push_back(kBodySeg);
    else if (ranked_title(st, sg.b, sg.e)) kinds.push_back(kTitleSeg);
    else if (like >= 1) kinds.push_back(like == 2 ? kBodySeg : kOther);
    else kinds.push_back(kOther);
  }
  // A capitalised phrase of unknown kind right after a title with no body, and
  // followed by nothing else, is taken as the body ("President of X, Women4Cyber").
  bool had_titled_body = false;
  for (size_t i = 0; i < segs.size(); ++i) {
    if (kinds[i] == kTitleSeg) {
      // Is there a body segment later, before the next title?
      size_t body_at = segs.size();
      for (size_t k = i + 1; k < segs.size() && kinds[k] != kTitleSeg; ++k) {
        if (kinds[k] == kBodySeg || (kinds[k] == kOther && k + 1 == segs.size() && k == i + 1)) { body_at = k; break; }
        // "Minister of Communications, Samoa": a state right after a title
        // with no body of its own is the role's ("Head of the Federal
        // Department of X, Switzerland" keeps its Department).
        if (kinds[k] == kPlaceSeg && k == i + 1) {
          const GazEntry* ge = st.gaz->lookup(st.slice(segs[k].b, segs[k].e));
          uint32_t xb, xe, yb, ye;
          bool cr;
          if (ge && ge->type == GazType::kPlace && ge->kind == "Country" &&
              !split_title(st, segs[i].b, segs[i].e, false, &xb, &xe, &yb, &ye, &cr)) { body_at = k; break; }
        }
      }
      uint32_t tb, te, ob, oe;
      bool country_role;
      bool split = split_title(st, segs[i].b, segs[i].e, body_at < segs.size(), &tb, &te, &ob, &oe, &country_role);
      int title = -1, body = -1;
      if (split) {
        title = add_mention(st, tb, te, MKind::kTitle, priority, rule_id);
        body = add_body(st, ob, oe, priority, rule_id);
        if (country_role && title >= 0) {
          // "Permanent Representative of France to the Conference on Disarmament":
          // the title is "Permanent Representative to the Conference on Disarmament".
          Mention& t = st.mentions[title];
          t.text = std::string(st.slice(t.b, t.e)) + " " + std::string(trim_view(st.slice(oe, segs[i].e)));
        }
      } else {
        uint32_t te2 = segs[i].e;
        // Words between the title and its body belong to the title
        // ("President, Strategic Growth, Mastercard"), and so do capitalised
        // segments after it that are not bodies ("Specialist in X, Y, and Z").
        if (body_at < segs.size() && body_at > i + 1) te2 = segs[body_at - 1].e;
        uint32_t tb2 = segs[i].b;
        if (body_at == segs.size()) {
          size_t k = i + 1;
          while (k < segs.size() && kinds[k] == kOther) { te2 = segs[k].e; kinds[k] = kPlaceSeg; ++k; }
          if (k > i + 1) {
            i = k - 1;
            // "Minister for Regional Development, Investments and Informatization of the Slovak Republic"
            if (split_title(st, tb2, te2, false, &tb, &te, &ob, &oe, &country_role)) {
              title = add_mention(st, tb, te, MKind::kTitle, priority, rule_id);
              body = add_body(st, ob, oe, priority, rule_id);
              if (title >= 0) {
                st.relations.push_back({person, "HOLDS_ROLE", title, "", priority});
                if (body >= 0) st.relations.push_back({title, "ROLE_AT", body, "", priority});
              }
              if (body >= 0) had_titled_body = true;
              continue;
            }
          }
        }
        title = add_mention(st, tb2, te2, MKind::kTitle, priority, rule_id);
        if (body_at < segs.size()) {
          body = add_body(st, segs[body_at].b, segs[body_at].e, priority, rule_id);
          for (size_t k = i + 1; k <= body_at; ++k) kinds[k] = kOther;  // consumed
          i = body_at;
        }
      }
      if (title >= 0) {
        st.relations.push_back({person, "HOLDS_ROLE", title, "", priority});
        if (body >= 0) st.relations.push_back({title, "ROLE_AT", body, "", priority});
      }
      if (body >= 0) had_titled_body = true;
    } else if (kinds[i] == kBodySeg) {
      int body = add_body(st, segs[i].b, segs[i].e, priority, rule_id);
      if (body >= 0) st.relations.push_back({person, "AFFILIATED_WITH", body, "", priority});
    } else if (kinds[i] == kPlaceSeg && !had_titled_body && i == 0) {
      // "Name, Swiss Confederation": a person tied to a state.
      const GazEntry* ge = st.gaz->lookup(st.slice(segs[i].b, segs[i].e));
      if (ge && ge->kind == "Country") {
        int body = add_mention(st, segs[i].b, segs[i].e, MKind::kPlace, priority, rule_id);
        if (body >= 0) st.relations.push_back({person, "AFFILIATED_WITH", body, "", priority});
      }
    }
  }
}

}  // namespace eventgraph::detail
