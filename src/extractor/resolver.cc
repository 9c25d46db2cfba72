// The per-document resolver: typed mentions and relations -> one entity per
// real person, body and place, with their roles, parts and the event.
//
// Steps, in order (their names are the pipeline's resolver steps):
//  1. overlaps: entity mentions (Person, Organization, Place) may not overlap;
//     the higher priority, then the longer, then the earlier wins, and the
//     relations of a loser move to the winner of the same kind.
//  2. surnames: a name that is the tail of exactly one longer name in the
//     document ("Okafor", "Al-Hassan") is that person; other lone words
//     are dropped.
//  3. acronyms: "Long Name (ACR)" makes ACR an alias; an acronym elsewhere
//     joins the one long form whose initials it spells (Schwartz-Hearst
//     style, function words optional), when exactly one does.
//  4. qualified-bodies: "the French Ministry ...", "Ghana's Cyber Security
//     Authority", "MFEA of France" are forms of the body without the
//     qualifier.
//  5. gazetteer-canonical: a known body or place gets the gazetteer's
//     canonical name as its id name, so documents meet in one node.
//  6. fold-case-diacritics: forms are grouped by fold(), so case and
//     diacritics never split an entity.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>

#include "eventgraph/text.h"
#include "extractor/internal.h"
#include "util/utf8.h"

namespace eventgraph::detail {
namespace {

bool is_entity(MKind k) { return k == MKind::kPerson || k == MKind::kOrg || k == MKind::kPlace; }

std::string mention_text(const DocState& st, const Mention& m) {
  return m.text.empty() ? std::string(st.slice(m.b, m.e)) : m.text;
}

bool is_acronym(std::string_view s) {
  int caps = 0, lower = 0;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') ++caps;
    else if (c >= 'a' && c <= 'z') ++lower;
    else if (c == ' ') return false;
  }
  return caps >= 2 && lower <= 2 && caps > lower;
}

// The words of a name as spells() reads them: diacritics stripped, split at
// ' ', '-' and '/'.
struct NameWords {
  std::string text;
  std::vector<std::pair<uint32_t, uint32_t>> words;  // [begin, end) in text
  std::vector<char> function;                        // "of", "and", ... (may go without a letter)
  bool ready = false;

  void set(std::string_view name) {
    static const char* const kFw[] = {"of", "and", "for", "the", "on", "in", "to", "&", "de", "du", "des", "la", "le", "et", "at"};
    text = strip_diacritics(name);
    words.clear();
    function.clear();
    uint32_t start = 0;
    for (uint32_t i = 0; i <= text.size(); ++i) {
      if (i < text.size() && text[i] != ' ' && text[i] != '-' && text[i] != '/') continue;
      if (i > start) {
        words.push_back({start, i});
        std::string_view w(text.data() + start, i - start);
        bool fw = false;
        for (const char* f : kFw) fw = fw || w == f;
        function.push_back(fw);
      }
      start = i + 1;
    }
    ready = true;
  }
  std::string_view word(size_t w) const { return std::string_view(text.data() + words[w].first, words[w].second - words[w].first); }
};

// The capital letters of an acronym.
std::string acronym_letters(std::string_view acr) {
  std::string letters;
  for (char c : acr) if (c >= 'A' && c <= 'Z') letters += c;
  return letters;
}

// Do `letters` (an acronym's capitals) spell the initials of `name`? Every
// letter must start a word of the name, in order; function words may be
// skipped, other words may not (and the first word must be used).
bool spells_words(std::string_view letters, const NameWords& name) {
  if (letters.size() < 2) return false;
  // DP over (letter index, word index, content words skipped so far): one
  // content word may go without a letter when the acronym has three or more
  // ("MFEA": Ministry for Europe and Foreign Affairs).
  size_t L = letters.size(), W = name.words.size();
  int budget = L >= 3 ? 1 : 0;
  size_t K = size_t(budget) + 2;
  thread_local std::vector<char> table;
  table.assign((L + 1) * (W + 1) * K, 0);
  auto ok = [&](size_t l, size_t w, int k) -> char& { return table[(l * (W + 1) + w) * K + size_t(k)]; };
  for (int k = 0; k <= budget; ++k) ok(L, W, k) = 1;
  for (size_t w = W; w-- > 0;)
    for (int k = 0; k <= budget; ++k) ok(L, w, k) = ok(L, w + 1, k) && name.function[w];
  for (size_t l = L; l-- > 0;) {
    for (size_t w = W; w-- > 0;) {
      std::string_view word = name.word(w);
      for (int k = budget; k >= 0; --k) {
        char init = char(std::toupper((unsigned char)word[0]));
        bool r = false;
        if (init == letters[l]) {
          r = ok(l + 1, w + 1, k);
          // a word may give two letters ("WB3C": Western Balkans ... ; "DiploFoundation")
          for (size_t c = 1; !r && c < word.size() && l + 1 < L; ++c)
            if (word[c] == letters[l + 1] && std::isupper((unsigned char)word[c])) r = ok(l + 2, w + 1, k);
        }
        if (!r && name.function[w]) r = ok(l, w + 1, k);
        if (!r && k < budget && w > 0) r = ok(l, w + 1, k + 1);  // skip a content word (never the first)
        ok(l, w, k) = r;
      }
    }
  }
  return ok(0, 0, 0);
}

bool spells(std::string_view acr, std::string_view name) {
  std::string letters = acronym_letters(acr);
  if (letters.size() < 2) return false;
  NameWords words;
  words.set(name);
  return spells_words(letters, words);
}

struct OrgGroup {
  std::vector<std::string> forms;   // surface forms in order of appearance
  std::string base;                 // fullest unqualified form
  int gaz = -1;
  std::vector<int> mentions;
  uint32_t first = 0xFFFFFFFF;
};

struct PersonGroup {
  std::string name;
  std::vector<std::string> forms;
  std::vector<int> mentions;
  uint32_t first = 0xFFFFFFFF;
  size_t words = 0;
};

size_t word_count(std::string_view s) {
  size_t n = 0;
  bool in = false;
  for (char c : s) {
    bool sp = c == ' ';
    if (!sp && !in) ++n;
    in = !sp;
  }
  return n;
}

void note(Explanation* ex, const DocState& st, const Mention& m, const std::string& what) {
  if (!ex) return;
  Span sp;
  sp.begin = m.b;
  sp.end = m.e;
  static const char* const kKind[] = {"Person", "Organization", "Place", "Role", "Descriptor", "Item", "PersonList", "EventTitle", "Date", "Online", "Honorific"};
  sp.type = kKind[int(m.kind)];
  sp.rule = m.rule_id;
  sp.text = mention_text(st, m);
  sp.note = what.empty() ? (m.alive ? "kept" : m.why) : what;
  ex->spans.push_back(sp);
}

// The words of a folded phrase (views into `folded`, which must outlive them).
std::vector<std::string_view> words_of(std::string_view folded) {
  std::vector<std::string_view> out;
  for (size_t p = 0; p < folded.size();) {
    size_t q = folded.find(' ', p);
    if (q == std::string_view::npos) q = folded.size();
    if (q > p) out.push_back(folded.substr(p, q - p));
    p = q + 1;
  }
  return out;
}

// Is a heading's label ("Webinar", "Session Summary", "Side event #12",
// "Workshop 3") only format words, so the name of the event comes after it?
// Other labels are part of the title ("Leaders TalkX: ...", "Cross-Border
// E-Commerce: ...", "2021: ...").
bool is_format_label(std::string_view label) {
  static const char* const kFormat[] = {"webinar", "webinars", "workshop", "session", "panel", "side", "event", "conference",
                                        "seminar", "roundtable", "open", "forum", "lightning", "talk", "networking",
                                        "masterclass", "briefing", "lecture", "keynote", "meeting", "summit", "dialogue"};
  static const char* const kModifier[] = {"summary", "report", "recap", "highlights", "no", "ws", "online", "virtual", "hybrid",
                                          "live", "special", "public", "high", "level", "closing", "opening", "plenary",
                                          "parallel", "breakout", "main"};
  std::string folded = fold(label);
  auto words = words_of(folded);
  bool format = false;
  for (std::string_view w : words) {
    bool known = false;
    for (const char* f : kFormat) if (w == f) { known = format = true; }
    for (const char* f : kModifier) if (w == f) known = true;
    if (!known && w.find_first_not_of("0123456789") == std::string_view::npos) known = true;  // "Session 4", "#12"
    if (!known) return false;
  }
  return format;
}

// A news headline rather than the name of an event: a question ("What's it
// like to be a diplomat today?") or a clause whose verb follows its subject
// ("Students and diplomats discuss AI", "ENISA's head speaks at Parliament").
bool is_headline(std::string_view line) {
  if (!line.empty() && line.back() == '?') return true;
  static const char* const kVerbs[] = {"speaks", "speak", "discuss", "discusses", "debate", "debates", "explore", "explores",
                                       "examine", "examines", "highlight", "highlights", "urge", "urges", "launch", "launches",
                                       "welcome", "welcomes", "say", "says", "warn", "warns", "gather", "gathers", "meet",
                                       "meets", "join", "joins", "address", "addresses", "share", "shares", "bring", "brings",
                                       "call", "calls", "look", "looks", "sign", "signs", "unveil", "unveils", "announce",
                                       "announces", "agree", "agrees", "adopt", "adopts", "hosts", "opens", "tackle",
                                       "tackles", "reflect", "reflects"};
  // Verbs that are also nouns only count with their particle ("calls for", "looks at").
  std::string folded = fold(line);
  auto words = words_of(folded);
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i];
    bool verb = false;
    for (const char* v : kVerbs) if (w == v) verb = true;
    if (!verb) continue;
    std::string_view prev = words[i - 1];
    std::string_view next = i + 1 < words.size() ? words[i + 1] : std::string_view();
    // a noun after an article or a clause word ("the launch of", "when AI meets")
    bool noun = false;
    for (const char* x : {"the", "a", "an", "our", "its", "their", "this", "when", "where", "as", "how", "why", "what", "to",
                          "and", "or", "of", "for", "with"})
      if (prev == x) noun = true;
    if (noun || next.empty()) continue;
    for (const char* x : {"of", "by", "and", "or", "event", "events", "session", "ceremony", "party", "up"})
      if (next == x) noun = true;
    if (noun) continue;
    if ((w == "call" || w == "calls") && next != "for" && next != "on") continue;
    if ((w == "look" || w == "looks") && next != "at") continue;
    return true;
  }
  return false;
}

// The event title when no rule gave one: the first heading-like line near the
// top. A news headline there is no title; *headline gets it (for topics).
std::string heading_title(const DocState& st, uint32_t* where, std::string* headline) {
  std::string_view text = st.text;
  size_t a = 0;
  int lines = 0;
  bool news_label = false;  // a line like "AI for Good blog" or "Press release" above
  while (a < text.size() && lines < 10) {
    size_t nl = text.find('\n', a);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = trim_view(text.substr(a, nl - a));
    uint32_t lb = uint32_t(line.data() - text.data());
    a = nl + 1;
    if (line.empty()) continue;
    ++lines;
    std::string folded = fold(line);
    {
      auto ws = words_of(folded);
      if (!ws.empty() && ws.size() <= 4 &&
          (ws.back() == "blog" || ws.back() == "news" || folded == "press release" || folded == "news release" ||
           folded == "media release"))
        news_label = true;
    }
    size_t words = word_count(line);
    if (words < 1 || words > 30) continue;
    if (line.back() == '.' || line.back() == ':' || line.back() == ',') continue;
    if (line[0] == '*' || line[0] == '-' || line[0] == '#') continue;  // list items
    if (line[0] == '[') continue;  // a link: "[Read more session reports ...]"
    if (folded.rfind("read ", 0) == 0) continue;  // "Read more ...", "Read the full report"
    // mostly letters, starts with a capital or a digit
    int letters = 0, digits = 0;
    for (size_t i = 0; i < line.size();) {
      uint32_t cp = utf8::decode(line, i);
      if (utf8::is_letter(cp)) ++letters;
      else if (utf8::is_digit(cp)) ++digits;
    }
    if (letters < 6 || digits * 2 > letters) continue;
    // not a date line, not page chrome
    bool is_date = false;
    for (const DateCand& d : st.dates)
      if (d.b >= lb && d.e <= lb + line.size() && (d.e - d.b) * 2 > line.size()) is_date = true;
    if (is_date) continue;
    if (st.gaz->is_not_name(folded)) continue;  // "Event description", "Skip to content"
    if (line.find(", ") != std::string_view::npos && words <= 3) continue;  // "lighting, Diplomacy"
    if (st.gaz->lookup_index(line) >= 0) continue;  // a place or body alone
    if (words == 1 && (letters < 4 || !utf8::is_upper(uint32_t((unsigned char)line[0])))) continue;
    // A news headline is not the name of an event, unless an event's date
    // line follows it (an event page: "Is the diplomatic service still
    // needed?" / "05 April 2016"); then the text names no event by a title.
    if (news_label || is_headline(line)) {
      bool date_line = false;
      size_t c = a;
      for (int k = 0; k < 2 && c < text.size() && !date_line; ++k) {
        size_t cn = text.find('\n', c);
        if (cn == std::string_view::npos) cn = text.size();
        std::string_view next = trim_view(text.substr(c, cn - c));
        c = cn + 1;
        if (next.empty()) { --k; continue; }
        uint32_t nb = uint32_t(next.data() - text.data());
        std::string fn = fold(next);
        bool published = false;
        for (const char* p : {"posted", "published", "updated", "last updated", "by "})
          if (fn.rfind(p, 0) == 0) published = true;
        if (published || word_count(next) > 12) break;
        for (const DateCand& d : st.dates)
          if (d.b >= nb && d.e <= nb + next.size()) date_line = true;
      }
      if (!date_line) { *headline = std::string(line); return ""; }
    }
    // "Session Summary: Growing the Digital Economy": a format label in front.
    size_t colon = line.find(": ");
    if (colon != std::string_view::npos && word_count(line.substr(0, colon)) <= 4 && is_format_label(line.substr(0, colon))) {
      line = trim_view(line.substr(colon + 2));
      lb = uint32_t(line.data() - text.data());
    }
    *where = lb;
    return std::string(line);
  }
  return "";
}

// A heading line near the top that starts with the event's name `name` and
// goes on with a subtitle ("Name: Subtitle", "Name – Subtitle"); "" if none.
std::string heading_line(const DocState& st, std::string_view name, uint32_t* where) {
  std::string_view text = st.text;
  size_t a = 0;
  for (int lines = 0; a < text.size() && lines < 10;) {
    size_t nl = text.find('\n', a);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = trim_view(text.substr(a, nl - a));
    a = nl + 1;
    if (line.empty()) continue;
    ++lines;
    if (line.size() <= name.size() || line.compare(0, name.size(), name) != 0) continue;
    if (word_count(line) > 30 || line.back() == '.' || line.back() == ':' || line.back() == ',') continue;
    std::string_view rest = line.substr(name.size());
    bool subtitle = false;
    for (const char* sep : {": ", " – ", " — ", " - "})
      if (rest.size() > std::strlen(sep) + 2 && rest.compare(0, std::strlen(sep), sep) == 0) subtitle = true;
    if (!subtitle) continue;
    *where = uint32_t(line.data() - text.data());
    return std::string(line);
  }
  return "";
}

}  // namespace

void resolve(DocState& st, const Document& doc, DocAnnotation* out, Explanation* explain) {
  auto& M = st.mentions;
  // Where mention m was found, as the annotation keeps it (its rule id copied).
  auto prov = [&](int m) { return Provenance{M[m].b, M[m].e, std::string(M[m].rule_id)}; };
  out->doc_id = doc.id;
  if (auto it = doc.attrs.find("url"); it != doc.attrs.end()) out->url = it->second;
  if (auto it = doc.attrs.find("title"); it != doc.attrs.end()) out->title = it->second;

  parse_pending_descriptors(st);
  // 1. overlaps
  std::vector<int> order;
  for (int i = 0; i < int(M.size()); ++i)
    if (M[i].alive && is_entity(M[i].kind) && !M[i].adjective) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    if (M[a].priority != M[b].priority) return M[a].priority > M[b].priority;
    if (M[a].e - M[a].b != M[b].e - M[b].b) return M[a].e - M[a].b > M[b].e - M[b].b;
    return M[a].b < M[b].b;
  });
  // Accepted spans, indexed by start so that finding the ones that overlap a
  // span costs a log and the overlaps, not a scan (large documents).
  std::multimap<uint32_t, std::pair<int, int>> accepted;  // begin -> (acceptance order, mention)
  uint32_t longest = 0;
  int accepted_seq = 0;
  // The accepted spans overlapping [b, e), in the order they were accepted.
  // (one vector, reused: each caller is done with it before the next call)
  std::vector<std::pair<int, std::multimap<uint32_t, std::pair<int, int>>::iterator>> overlap_scratch;
  auto overlapping = [&](uint32_t b, uint32_t e) -> decltype(overlap_scratch)& {
    auto& out = overlap_scratch;
    out.clear();
    for (auto it = accepted.lower_bound(b > longest ? b - longest : 0); it != accepted.end() && it->first < e; ++it)
      if (M[it->second.second].e > b) out.push_back({it->second.first, it});
    std::sort(out.begin(), out.end(), [](auto& x, auto& y) { return x.first < y.first; });
    return out;
  };
  std::vector<int> redirect(M.size());
  for (size_t i = 0; i < M.size(); ++i) redirect[i] = int(i);
  // A place inside a body's name is still a place ("University of Montenegro"),
  // and so is a known body named as the argument of a longer one
  // ("Permanent Mission of Chile to the Organization of American States").
  // A generic name holds no such place or body ("Asia-Pacific Group"); that
  // test (a fold() and a lookup) is asked last, of the pairs that pass the others.
  std::vector<signed char> generic_name(M.size(), -1);  // is_not_name(fold(mention)), when asked
  auto nested_ok = [&](int oi, int ii) {
    const Mention& outer = M[oi];
    const Mention& inner = M[ii];
    if (outer.kind != MKind::kOrg || !(inner.b >= outer.b && inner.e <= outer.e)) return false;
    bool nested = false;
    if (inner.kind == MKind::kPlace) {
      // (regions inside a name are not: "Ministry for Europe and Foreign Affairs")
      nested = !(inner.gaz >= 0 && st.gaz->entry(inner.gaz).kind == "Region");
    } else if (inner.b != outer.b && inner.kind == MKind::kOrg && inner.gaz >= 0) {
      std::string_view before = st.slice(outer.b, inner.b);
      for (const char* w : {" of ", " to ", " for ", " at ", " of the ", " to the ", " for the ", " at the "}) {
        size_t wl = std::strlen(w);
        if (before.size() >= wl && before.substr(before.size() - wl) == w) { nested = true; break; }
      }
    }
    if (!nested) return false;
    if (generic_name[oi] < 0) generic_name[oi] = st.gaz->is_not_name(fold(st.slice(outer.b, outer.e))) ? 1 : 0;
    return generic_name[oi] == 0;
  };
  for (int i : order) {
    int winner = -1;
    // A body's name swallows a region named inside it ("Ministry for Europe ...").
    if (M[i].kind == MKind::kOrg)
      for (auto& [seq, it] : overlapping(M[i].b, M[i].e)) {
        Mention& a = M[it->second.second];
        if (a.kind == MKind::kPlace && a.b >= M[i].b && a.e <= M[i].e && (a.b > M[i].b || a.e < M[i].e) &&
            a.gaz >= 0 && st.gaz->entry(a.gaz).kind == "Region") {
          a.alive = false;
          a.why = "dropped: inside the name of '" + mention_text(st, M[i]) + "'";
          accepted.erase(it);
        }
      }
    // A longer body's name that contains a known one wins over it when it
    // ends on a body's head word ("ASEAN Foundation", "OSCE Transnational
    // Threats Department", "Norwegian Institute of International Affairs").
    if (M[i].kind == MKind::kOrg && M[i].rule >= 0) {
      size_t last = st.token_at(M[i].e);
      bool head = last > 0 && st.has(last - 1, kTokOrgWord);
      // not a run of two names ("DiploFoundation and Head of the ... Platform")
      for (size_t t = st.token_at(M[i].b); head && t < last; ++t) {
        if (st.folded(t) == "and" || st.flags(t, kTokTitleWord | kTokModifier) == kTokTitleWord) head = false;
      }
      if (head)
        for (auto& [seq, it] : overlapping(M[i].b, M[i].e)) {
          int ai = it->second.second;
          Mention& a = M[ai];
          if (a.kind == MKind::kOrg && a.b >= M[i].b && a.e <= M[i].e && (a.e - a.b) < (M[i].e - M[i].b) &&
              !nested_ok(i, ai) && (a.b == M[i].b || a.e == M[i].e || a.gaz < 0)) {
            a.alive = false;
            a.why = "merged into the longer name '" + mention_text(st, M[i]) + "'";
            redirect[ai] = i;
            accepted.erase(it);
          }
        }
    }
    for (auto& [seq, it] : overlapping(M[i].b, M[i].e)) {
      int a = it->second.second;
      if (!nested_ok(a, i) && !nested_ok(i, a)) { winner = a; break; }
    }
    if (winner < 0) {
      accepted.emplace(M[i].b, std::make_pair(accepted_seq++, i));
      longest = std::max(longest, M[i].e - M[i].b);
      continue;
    }
    M[i].alive = false;
    if (M[winner].kind == M[i].kind) {
      redirect[i] = winner;
      M[i].why = "merged into '" + mention_text(st, M[winner]) + "' (" + std::string(M[winner].rule_id) + ")";
    } else {
      M[i].why = "dropped: overlaps " + std::string(M[winner].kind == MKind::kPerson ? "Person" : M[winner].kind == MKind::kOrg ? "Organization" : "Place") +
                 " '" + mention_text(st, M[winner]) + "'";
    }
  }
  auto live = [&](int i) -> int {
    if (i < 0) return i;
    int r = redirect[i];
    if (!is_entity(M[i].kind)) return i;  // titles, lists: not subject to overlaps
    return M[r].alive ? r : -2;
  };

  // 2. persons and surnames
  std::map<std::string, int> person_key;  // fold(name) -> group
  std::vector<PersonGroup> persons;
  std::vector<std::string> person_folded;  // fold() of each group's name (names do not change below)
  std::vector<int> person_of(M.size(), -1);
  std::vector<int> singles;
  for (int i = 0; i < int(M.size()); ++i) {
    if (!M[i].alive || M[i].kind != MKind::kPerson) continue;
    std::string t = mention_text(st, M[i]);
    size_t wc = word_count(t);
    if (wc < 2) { singles.push_back(i); continue; }
    std::string key = fold(t);
    auto [it, fresh] = person_key.emplace(key, int(persons.size()));
    if (fresh) {
      persons.push_back({t, {t}, {}, M[i].b, wc});
      person_folded.push_back(key);
    }
    PersonGroup& g = persons[it->second];
    if (std::find(g.forms.begin(), g.forms.end(), t) == g.forms.end()) g.forms.push_back(t);
    g.mentions.push_back(i);
    person_of[i] = it->second;
  }
  // Names that are the tail of a longer one: "Van Der Berg" / "Ana Van Der Berg".
  for (size_t gi = 0; gi < persons.size(); ++gi) {
    const std::string& key = person_folded[gi];
    int target = -1, count = 0;
    for (size_t gj = 0; gj < persons.size(); ++gj) {
      if (gi == gj || persons[gj].words <= persons[gi].words) continue;
      const std::string& other = person_folded[gj];
      if (other.size() > key.size() && other.compare(other.size() - key.size(), key.size(), key) == 0 &&
          other[other.size() - key.size() - 1] == ' ') { target = int(gj); ++count; }
    }
    if (count == 1) {
      PersonGroup& t = persons[target];
      for (auto& f : persons[gi].forms) if (std::find(t.forms.begin(), t.forms.end(), f) == t.forms.end()) t.forms.push_back(f);
      for (int m : persons[gi].mentions) { t.mentions.push_back(m); person_of[m] = target; }
      persons[gi].mentions.clear();
    }
  }
  for (int i : singles) {
    std::string key = fold(mention_text(st, M[i]));
    int target = -1, count = 0;
    for (size_t gj = 0; gj < persons.size(); ++gj) {
      if (persons[gj].mentions.empty()) continue;
      const std::string& other = person_folded[gj];
      if (other.size() > key.size() && other.compare(other.size() - key.size(), key.size(), key) == 0 &&
          other[other.size() - key.size() - 1] == ' ') { if (target != int(gj)) ++count; target = int(gj); }
    }
    if (count == 1) {
      PersonGroup& t = persons[target];
      std::string f = mention_text(st, M[i]);
      if (std::find(t.forms.begin(), t.forms.end(), f) == t.forms.end()) t.forms.push_back(f);
      t.mentions.push_back(i);
      person_of[i] = target;
      M[i].why = "surname of '" + t.name + "'";
    } else {
      M[i].alive = false;
      M[i].why = count ? "dropped: surname of several people" : "dropped: a lone name with no full form in the text";
    }
  }
  // Lone surnames in the text that no rule caught ("Okafor invited ..."): a
  // group's surname (4 bytes or more) written as a capitalised token outside
  // the group's own mentions becomes one of its forms. One pass over the
  // tokens, each looked up among the surnames sorted by text.
  {
    std::vector<std::pair<std::string, size_t>> surnames;  // (surname, group)
    for (size_t gi = 0; gi < persons.size(); ++gi) {
      if (persons[gi].mentions.empty()) continue;
      const std::string& full = persons[gi].name;
      size_t sp = full.rfind(' ');
      if (sp == std::string::npos || full.size() - sp - 1 < 4) continue;
      surnames.push_back({full.substr(sp + 1), gi});
    }
    if (!surnames.empty()) {
      std::sort(surnames.begin(), surnames.end());
      std::vector<char> seen(persons.size(), 0);
      for (const Token& t : st.tokens) {
        if (!t.capital || t.end - t.begin < 4) continue;
        std::string_view w = st.slice(t.begin, t.end);
        auto it = std::lower_bound(surnames.begin(), surnames.end(), w,
                                   [](const std::pair<std::string, size_t>& x, std::string_view y) { return x.first < y; });
        for (; it != surnames.end() && it->first == w; ++it) {
          size_t gi = it->second;
          if (seen[gi]) continue;
          bool inside = false;
          for (int m : persons[gi].mentions) if (t.begin >= M[m].b && t.end <= M[m].e) inside = true;
          if (!inside) seen[gi] = 1;
        }
      }
      for (size_t gi = 0; gi < persons.size(); ++gi) {
        if (!seen[gi]) continue;
        const std::string& full = persons[gi].name;
        std::string surname = full.substr(full.rfind(' ') + 1);
        if (std::find(persons[gi].forms.begin(), persons[gi].forms.end(), surname) == persons[gi].forms.end())
          persons[gi].forms.push_back(surname);
      }
    }
  }

  // A body named inside a job title is part of the title, not a body of its
  // own ("Director of the Telecommunication Development Bureau").
  // (organisations sorted by start: the ones starting inside a title are a range)
  std::vector<int> orgs_by_start;
  for (int i = 0; i < int(M.size()); ++i)
    if (M[i].kind == MKind::kOrg) orgs_by_start.push_back(i);
  std::stable_sort(orgs_by_start.begin(), orgs_by_start.end(), [&](int a, int b) { return M[a].b < M[b].b; });
  for (Mention& t : M) {
    if (t.kind != MKind::kTitle || !t.alive) continue;
    auto from = std::partition_point(orgs_by_start.begin(), orgs_by_start.end(), [&](int o) { return M[o].b <= t.b; });
    for (auto it = from; it != orgs_by_start.end() && M[*it].b <= t.e; ++it) {
      Mention& o = M[*it];
      if (o.alive && o.kind == MKind::kOrg && o.b >= t.b && o.e <= t.e && o.b > t.b) {
        o.alive = false;
        o.why = "dropped: inside the title '" + mention_text(st, t) + "'";
      }
    }
  }

  // 3-6. organisations
  std::vector<OrgGroup> orgs;
  std::map<std::string, int> org_key;
  std::vector<int> org_of(M.size(), -1);
  auto qualify = [&](const Mention& m, std::string* base) {
    // Returns the unqualified base of an org surface form.
    std::string s = mention_text(st, m);
    *base = s;
    size_t ap = s.find("'s ");
    if (ap != std::string::npos && ap > 0) {
      std::string q = s.substr(0, ap);
      if (st.gaz->lookup(q) || st.gaz->lookup_adjective(q)) { *base = s.substr(ap + 3); return; }
    }
    // "the French Ministry for ...": a state's own body named with the
    // state's adjective; other names keep theirs ("German Council on ...").
    size_t sp = s.find(' ');
    if (sp != std::string::npos && st.gaz->lookup_adjective(s.substr(0, sp))) {
      std::string rest = s.substr(sp + 1);
      static const char* const kStateBodies[] = {"ministry", "embassy", "government", "permanent mission", "mission",
                                                 "presidency", "delegation", "foreign ministry", "armed forces"};
      std::string fr = fold(rest);
      for (const char* w : kStateBodies)
        if (fr.rfind(w, 0) == 0) { *base = rest; return; }
    }
    // "MFEA of France", "Ministry of Information and Communications of Viet
    // Nam": a body qualified by its state (the body keeps its own "of ...").
    size_t of = s.rfind(" of ");
    if (of != std::string::npos) {
      std::string country = s.substr(of + 4);
      if (country.rfind("the ", 0) == 0) country = country.substr(4);
      const GazEntry* ge = st.gaz->lookup(country);
      std::string head = s.substr(0, of);
      bool own_complement = head.find(" of ") != std::string::npos || head.find(" for ") != std::string::npos;
      if (ge && ge->type == GazType::kPlace && ge->kind == "Country" && (is_acronym(head) || own_complement)) {
        *base = head;
        return;
      }
    }
    // "Long Name (ACR)" written in one capture
    if (!s.empty() && s.back() == ')') {
      size_t open = s.rfind(" (");
      if (open != std::string::npos) *base = s.substr(0, open);
    }
  };
  for (int i = 0; i < int(M.size()); ++i) {
    if (!M[i].alive || M[i].kind != MKind::kOrg) continue;
    std::string surface = mention_text(st, M[i]);
    std::string base;
    qualify(M[i], &base);
    bool place;
    if (org_likeness(st, M[i].b, M[i].e, &place, true) == 0 && M[i].gaz < 0) {
      M[i].alive = false;
      M[i].why = "dropped: does not look like an organisation";
      continue;
    }
    std::string base_folded = fold(base);
    if (st.gaz->is_not_name(base_folded)) { M[i].alive = false; M[i].why = "dropped: a generic word"; continue; }
    // Only head nouns and title words ("Faculty", "Senior Program"): no name.
    // (one or two words; the first other word settles it)
    if (M[i].gaz < 0) {
      std::vector<Token> toks;
      tokenize(base, &toks);
      bool generic = toks.size() <= 2;
      for (size_t k = 0; generic && k < toks.size(); ++k) {
        std::string f = fold(std::string_view(base).substr(toks[k].begin, toks[k].end - toks[k].begin));
        generic = st.gaz->is_org_word(f) || st.gaz->is_title_word(f) || f == "the";
      }
      if (generic) { M[i].alive = false; M[i].why = "dropped: only generic words"; continue; }
    }
    int gaz = M[i].gaz >= 0 ? M[i].gaz : st.gaz->lookup_index(base);
    if (gaz >= 0 && st.gaz->entry(gaz).type != GazType::kOrganization) gaz = -1;
    if (gaz >= 0 && is_acronym(st.gaz->entry(gaz).canonical) == false) {
      // exact-case check for short capitals ("WHO" vs "Who")
    }
    std::string key = gaz >= 0 ? "#gaz" + std::to_string(gaz) : std::move(base_folded);
    auto [it, fresh] = org_key.emplace(key, int(orgs.size()));
    if (fresh) { orgs.push_back({}); orgs.back().gaz = gaz; orgs.back().first = M[i].b; }
    OrgGroup& g = orgs[it->second];
    if (std::find(g.forms.begin(), g.forms.end(), surface) == g.forms.end()) g.forms.push_back(surface);
    if (base != surface && std::find(g.forms.begin(), g.forms.end(), base) == g.forms.end()) g.forms.push_back(base);
    if (word_count(base) > word_count(g.base) || g.base.empty()) g.base = base;
    g.mentions.push_back(i);
    org_of[i] = it->second;
    // "Long Name (ACR)" right after the mention.
    std::string_view after = st.text.substr(M[i].e, std::min<size_t>(24, st.text.size() - M[i].e));
    if (after.size() > 3 && after.substr(0, 2) == " (") {
      size_t close = after.find(')');
      if (close != std::string_view::npos) {
        std::string acr(after.substr(2, close - 2));
        if (is_acronym(acr) || (acr.size() >= 2 && std::isupper((unsigned char)acr[0]) && acr.find(' ') == std::string::npos && spells(acr, base))) {
          if (std::find(g.forms.begin(), g.forms.end(), acr) == g.forms.end()) g.forms.push_back(acr);
          org_key.emplace(fold(acr), it->second);
        }
      }
    }
  }
  // Acronym groups join the one long form they spell.
  // (the words of each group's base, made when first asked: bases do not change here)
  std::vector<NameWords> base_words(orgs.size());
  for (size_t gi = 0; gi < orgs.size(); ++gi) {
    OrgGroup& a = orgs[gi];
    if (a.mentions.empty() || !is_acronym(a.base) || a.forms.size() > 2) continue;
    int target = -1, count = 0;
    std::string letters = acronym_letters(a.base);
    if (letters.size() < 2) continue;  // spells nothing
    for (size_t gj = 0; gj < orgs.size(); ++gj) {
      if (gi == gj || orgs[gj].mentions.empty() || is_acronym(orgs[gj].base)) continue;
      if (!base_words[gj].ready) base_words[gj].set(orgs[gj].base);
      if (spells_words(letters, base_words[gj])) { target = int(gj); ++count; }
    }
    if (count != 1) continue;
    OrgGroup& t = orgs[target];
    for (auto& f : a.forms) if (std::find(t.forms.begin(), t.forms.end(), f) == t.forms.end()) t.forms.push_back(f);
    for (int m : a.mentions) { t.mentions.push_back(m); org_of[m] = target; }
    if (t.gaz < 0) t.gaz = a.gaz;
    t.first = std::min(t.first, a.first);
    a.mentions.clear();
  }
  // Same gazetteer entry reached through different keys.
  for (size_t gi = 0; gi < orgs.size(); ++gi) {
    if (orgs[gi].mentions.empty() || orgs[gi].gaz >= 0) continue;
    for (auto& f : orgs[gi].forms) {
      int gz = st.gaz->lookup_index(f);
      if (gz >= 0 && st.gaz->entry(gz).type == GazType::kOrganization) { orgs[gi].gaz = gz; break; }
    }
  }

  // places
  struct PlaceGroup { std::string name; int gaz = -1; std::vector<int> mentions; std::map<std::string, int> counts; };
  std::vector<PlaceGroup> places;
  std::map<std::string, int> place_key;
  std::vector<int> place_of(M.size(), -1);
  for (int i = 0; i < int(M.size()); ++i) {
    if (!M[i].alive || M[i].kind != MKind::kPlace || M[i].adjective) continue;
    std::string surface = mention_text(st, M[i]);
    int gaz = M[i].gaz >= 0 ? M[i].gaz : st.gaz->lookup_index(surface);
    if (gaz >= 0 && st.gaz->entry(gaz).type != GazType::kPlace) gaz = -1;
    std::string key = gaz >= 0 ? "#gaz" + std::to_string(gaz) : fold(surface);
    auto [it, fresh] = place_key.emplace(key, int(places.size()));
    if (fresh) { places.push_back({}); places.back().gaz = gaz; places.back().name = surface; }
    places[it->second].mentions.push_back(i);
    places[it->second].counts[surface]++;
    place_of[i] = it->second;
  }

  // Person entities
  std::vector<int> person_index(persons.size(), -1);
  for (size_t gi = 0; gi < persons.size(); ++gi) {
    PersonGroup& g = persons[gi];
    if (g.mentions.empty()) continue;
    // canonical: the form with most words, then first seen
    std::string best = g.name;
    for (auto& f : g.forms) if (word_count(f) > word_count(best)) best = f;
    PersonAnn p;
    p.name = best;
    std::string best_folded = fold(best);
    for (auto& f : g.forms) if (f != best && fold(f) != best_folded) p.aliases.push_back(f);
    std::sort(g.mentions.begin(), g.mentions.end(), [&](int a, int b) { return M[a].b < M[b].b; });
    for (int m : g.mentions) p.mentions.push_back(prov(m));
    person_index[gi] = int(out->persons.size());
    out->persons.push_back(std::move(p));
  }
  std::vector<int> org_index(orgs.size(), -1);
  for (size_t gi = 0; gi < orgs.size(); ++gi) {
    OrgGroup& g = orgs[gi];
    if (g.mentions.empty()) continue;
    OrgAnn o;
    // the fullest form: most words among unqualified, non-acronym forms
    std::string best = g.base;
    for (auto& f : g.forms) {
      bool qualified = f.find("'s ") != std::string::npos || (f.find(' ') != std::string::npos && st.gaz->lookup_adjective(f.substr(0, f.find(' '))));
      if (qualified || (f.size() && f.back() == ')')) continue;
      if (word_count(f) > word_count(best) || (is_acronym(best) && !is_acronym(f))) best = f;
    }
    o.name = best;
    if (g.gaz >= 0 && st.gaz->entry(g.gaz).canonical != best) o.id_name = st.gaz->entry(g.gaz).canonical;
    std::string best_folded = fold(best);
    for (auto& f : g.forms) if (f != best && fold(f) != best_folded) o.aliases.push_back(f);
    std::sort(g.mentions.begin(), g.mentions.end(), [&](int a, int b) { return M[a].b < M[b].b; });
    for (int m : g.mentions) o.mentions.push_back(prov(m));
    org_index[gi] = int(out->organizations.size());
    out->organizations.push_back(std::move(o));
  }
  std::vector<int> place_index(places.size(), -1);
  for (size_t gi = 0; gi < places.size(); ++gi) {
    PlaceGroup& g = places[gi];
    PlaceAnn p;
    // the fullest form the text gives ("United Arab Emirates" over "UAE")
    for (auto& [f, c] : g.counts)
      if (p.name.empty() || word_count(f) > word_count(p.name) || (word_count(f) == word_count(p.name) && f.size() > p.name.size())) p.name = f;
    if (g.gaz >= 0) {
      const GazEntry& ge = st.gaz->entry(g.gaz);
      p.kind = ge.kind;
      if (ge.canonical != p.name) p.id_name = ge.canonical;
    }
    for (int m : g.mentions) p.mentions.push_back(prov(m));
    place_index[gi] = int(out->places.size());
    out->places.push_back(std::move(p));
  }

  auto body_name = [&](int m, bool* is_place) -> std::optional<std::string> {
    m = live(m);
    if (m < 0) return std::nullopt;
    if (M[m].kind == MKind::kOrg && org_of[m] >= 0 && org_index[org_of[m]] >= 0) {
      *is_place = false;
      return out->organizations[org_index[org_of[m]]].name;
    }
    if (M[m].kind == MKind::kPlace && place_of[m] >= 0 && place_index[place_of[m]] >= 0) {
      *is_place = true;
      return out->places[place_index[place_of[m]]].name;
    }
    return std::nullopt;
  };
  auto person_at = [&](int m) -> int {
    m = live(m);
    if (m < 0 || M[m].kind != MKind::kPerson || person_of[m] < 0) return -1;
    return person_index[person_of[m]];
  };

  // Roles
  std::map<int, std::vector<int>> role_at;  // title mention -> body mentions
  for (const Relation& r : st.relations)
    if (r.type == "ROLE_AT" && r.from >= 0 && r.to >= 0) role_at[r.from].push_back(r.to);
  for (const Relation& r : st.relations) {
    if (r.from < 0 || r.to < 0) continue;
    int p = person_at(r.from);
    if (p < 0) continue;
    PersonAnn& pa = out->persons[p];
    if (r.type == "HOLDS_ROLE") {
      std::string title = mention_text(st, M[r.to]);
      if (title.empty()) continue;
      RoleAnn ra;
      ra.title = title;
      ra.prov = prov(r.to);
      for (int body : role_at[r.to]) {
        bool is_place = false;
        auto n = body_name(body, &is_place);
        if (n) { ra.org = n; ra.org_is_place = is_place; break; }
      }
      pa.roles.push_back(std::move(ra));
    } else if (r.type == "AFFILIATED_WITH") {
      bool is_place = false;
      auto n = body_name(r.to, &is_place);
      if (!n) continue;
      RoleAnn ra;
      ra.org = n;
      ra.org_is_place = is_place;
      ra.prov = prov(r.to);
      pa.roles.push_back(std::move(ra));
    }
  }
  for (PersonAnn& p : out->persons) {
    std::vector<RoleAnn> kept;
    std::vector<std::pair<std::string, std::string>> kept_folded;  // fold() of kept[j]'s body and title
    for (RoleAnn& r : p.roles) {
      std::pair<std::string, std::string> folded(r.org ? fold(*r.org) : "", r.title ? fold(*r.title) : "");
      bool dup = false;
      for (size_t j = 0; j < kept.size(); ++j) {
        RoleAnn& k = kept[j];
        bool same_org = folded.first == kept_folded[j].first;
        bool same_title = folded.second == kept_folded[j].second;
        if (same_org && (same_title || !r.title)) dup = true;
        if (same_org && !k.title && r.title) { k = r; kept_folded[j] = folded; dup = true; }
        if (same_title && r.title && !r.org && k.org) dup = true;
        if (same_title && r.title && r.org && !k.org) { k = r; kept_folded[j] = folded; dup = true; }
      }
      if (!dup) {
        kept.push_back(r);
        kept_folded.push_back(std::move(folded));
      }
    }
    p.roles = std::move(kept);
  }

  // Participation
  std::vector<int> part_prio(out->persons.size(), -1000);
  auto set_part = [&](int p, std::string_view as, int prio) {
    if (p < 0) return;
    if (prio > part_prio[p]) { part_prio[p] = prio; out->persons[p].event_role = as; }
  };
  bool have_event_rel = false;
  std::vector<std::string> organizers;
  std::vector<std::string> event_places;
  // Is every comma-separated part of [b, e) a place the text names (or
  // "Online")? A list of places from a whole line must be only places.
  // (live places sorted by start, made on first use; a place covering a part
  // starts at or before it and is at most `longest_place` long)
  std::vector<std::pair<uint32_t, uint32_t>> place_spans;
  bool place_spans_ready = false;
  uint32_t longest_place = 0;
  auto all_places = [&](uint32_t b, uint32_t e) {
    if (!place_spans_ready) {
      for (const Mention& m : M)
        if (m.alive && m.kind == MKind::kPlace && !m.adjective) {
          place_spans.push_back({m.b, m.e});
          longest_place = std::max(longest_place, m.e - m.b);
        }
      std::sort(place_spans.begin(), place_spans.end());
      place_spans_ready = true;
    }
    std::string_view list = st.slice(b, e);
    for (size_t p = 0; p <= list.size();) {
      size_t q = list.find(',', p);
      if (q == std::string_view::npos) q = list.size();
      std::string_view part = trim_view(list.substr(p, q - p));
      while (!part.empty() && part.back() == '.') part.remove_suffix(1);
      p = q + 1;
      if (part.empty()) continue;
      uint32_t pb = uint32_t(part.data() - st.text.data()), pe = pb + uint32_t(part.size());
      bool covered = fold(part) == "online";
      auto it = std::lower_bound(place_spans.begin(), place_spans.end(), std::make_pair(pb > longest_place ? pb - longest_place : 0, 0u));
      for (; !covered && it != place_spans.end() && it->first <= pb; ++it) covered = it->second >= pe;
      if (!covered) return false;
    }
    return true;
  };
  // Does [b, e) go on into running text (a lower-case word that is no
  // function word of a name)? Then it is no list of places.
  auto running_text = [&](uint32_t b, uint32_t e) {
    static const char* const kJoin[] = {"and", "the", "of", "de", "del", "della", "la", "le", "les", "des", "du", "di",
                                        "da", "do", "dos", "van", "von", "der", "den", "en", "y", "et", "e", "am", "an",
                                        "sur", "upon", "on", "online", "al", "el", "at", "in"};
    for (size_t t = st.token_at(b); t < st.tokens.size() && st.tokens[t].end <= e; ++t) {
      const Token& tk = st.tokens[t];
      unsigned char c = (unsigned char)st.text[tk.begin];
      if (!(c >= 'a' && c <= 'z')) continue;
      std::string_view w = st.slice(tk.begin, tk.end);
      bool join = false;
      for (const char* j : kJoin) join = join || w == j;
      if (!join) return true;
    }
    return false;
  };
  // Is [b, e) a whole line (but for blanks)?
  auto whole_line = [&](uint32_t b, uint32_t e) {
    size_t ls = st.text.rfind('\n', b == 0 ? 0 : b - 1);
    ls = (ls == std::string_view::npos || b == 0) ? 0 : ls + 1;
    size_t le = st.text.find('\n', e);
    if (le == std::string_view::npos) le = st.text.size();
    return trim_view(st.text.substr(ls, b - ls)).empty() && trim_view(st.text.substr(e, le - e)).empty();
  };
  // A venue line in the page's head ("University of Lyon Faculty of Arts"
  // under the date): among the first six lines, no job title in it.
  auto venue_line = [&](uint32_t b, uint32_t e) {
    int lines = 0;
    for (size_t a = 0; a < b && a < st.text.size();) {
      size_t nl = st.text.find('\n', a);
      if (nl == std::string_view::npos) nl = st.text.size();
      if (!trim_view(st.text.substr(a, nl - a)).empty()) ++lines;
      a = nl + 1;
      if (lines >= 6) return false;
    }
    for (size_t t = st.token_at(b); t < st.tokens.size() && st.tokens[t].end <= e; ++t)
      if (st.has(t, kTokTitleWord)) return false;
    return true;
  };
  for (const Relation& r : st.relations) {
    if (r.type == "PARTICIPATED_IN" && r.to == -1 && r.from >= 0) {
      have_event_rel = true;
      const Mention& m = M[r.from];
      if (m.kind == MKind::kPersonList) {
        for (int i = 0; i < int(M.size()); ++i)
          if (M[i].kind == MKind::kPerson && M[i].b >= m.b && M[i].e <= m.e) set_part(person_at(i), r.as, r.priority);
      } else {
        set_part(person_at(r.from), r.as, r.priority);
      }
    } else if (r.type == "ORGANIZED_BY" && r.from == -1 && r.to >= 0) {
      bool is_place;
      if (M[r.to].kind == MKind::kPersonList) {
        for (int i = 0; i < int(M.size()); ++i)
          if (M[i].kind == MKind::kOrg && M[i].b >= M[r.to].b && M[i].e <= M[r.to].e)
            if (auto n = body_name(i, &is_place); n && !is_place && std::find(organizers.begin(), organizers.end(), *n) == organizers.end()) organizers.push_back(*n);
      } else if (auto n = body_name(r.to, &is_place); n && !is_place) {
        if (std::find(organizers.begin(), organizers.end(), *n) == organizers.end()) organizers.push_back(*n);
      }
    } else if (r.type == "HELD_IN" && r.from == -1 && r.to >= 0) {
      bool is_place;
      if (M[r.to].kind == MKind::kPersonList) {
        // "Chief Data Officer, City of Madrid" under SPEAKERS is no venue
        if (whole_line(M[r.to].b, M[r.to].e) && !all_places(M[r.to].b, M[r.to].e) && !venue_line(M[r.to].b, M[r.to].e))
          continue;
        if (running_text(M[r.to].b, M[r.to].e)) continue;  // "in Latin America respond to generative AI ..."
        if (fold(st.slice(M[r.to].b, M[r.to].e)) == "online" &&
            std::find(event_places.begin(), event_places.end(), "Online") == event_places.end())
          event_places.push_back("Online");
        for (int i = 0; i < int(M.size()); ++i)
          if (M[i].kind == MKind::kPlace && M[i].b >= M[r.to].b && M[i].e <= M[r.to].e)
            if (auto n = body_name(i, &is_place); n && std::find(event_places.begin(), event_places.end(), *n) == event_places.end()) event_places.push_back(*n);
      } else if (auto n = body_name(r.to, &is_place)) {
        if (std::find(event_places.begin(), event_places.end(), *n) == event_places.end()) event_places.push_back(*n);
      }
    }
  }
  (void)have_event_rel;
  // Organisers of the event bring their bodies in as organisers.
  for (size_t p = 0; p < out->persons.size(); ++p) {
    if (out->persons[p].event_role != "organiser") continue;
    for (const RoleAnn& r : out->persons[p].roles)
      if (r.org && !r.org_is_place && std::find(organizers.begin(), organizers.end(), *r.org) == organizers.end())
        organizers.push_back(*r.org);
  }
  // Default part: a person named with a role or in a list takes part as a speaker.
  for (size_t p = 0; p < out->persons.size(); ++p)
    if (part_prio[p] == -1000) out->persons[p].event_role = "speaker";

  // Event
  int best_title = -1;
  for (int i = 0; i < int(M.size()); ++i)
    if (M[i].kind == MKind::kEventTitle && (best_title < 0 || M[i].priority > M[best_title].priority)) best_title = i;
  const DateCand* best_date = nullptr;
  for (const DateCand& d : st.dates)
    if (!best_date || d.priority > best_date->priority || (d.priority == best_date->priority && d.b < best_date->b)) best_date = &d;
  bool online = false;
  for (const Mention& m : M) if (m.kind == MKind::kOnline) online = true;
  std::string title, headline;
  uint32_t title_pos = 0;
  if (best_title >= 0) {
    title = std::string(trim_view(mention_text(st, M[best_title])));
    title_pos = M[best_title].b;
    while (!title.empty() && std::strchr(" .,:;\"'", title.back())) title.pop_back();
    while (!title.empty() && std::strchr(" \"'", title.front())) title.erase(0, 1);
    // The text names the event "X" and its heading is "X: subtitle" (or
    // "X – subtitle"): the title is the heading as written.
    uint32_t hb = 0;
    std::string head = title.empty() ? "" : heading_line(st, title, &hb);
    if (!head.empty()) { title = head; title_pos = hb; }
    // A news headline over the text still says what it is about (topics).
    uint32_t unused = 0;
    heading_title(st, &unused, &headline);
  } else if (!out->title.empty()) {
    title = out->title;
  } else {
    title = heading_title(st, &title_pos, &headline);
  }
  if (!title.empty() || best_date || !organizers.empty()) {
    EventAnn ev;
    ev.title = title;
    if (best_date) { ev.start = best_date->start; ev.end = best_date->end; }
    ev.organizers = organizers;
    ev.places = event_places;
    if (ev.places.empty() && online) ev.places.push_back("Online");
    if (ev.places.empty()) {
      // The first city the text names, with the country written right after
      // it; not a city inside a name ("the Nairobi Ministerial conference",
      // "the Geneva Initiative") nor a body's seat ("Mastercard, Washington").
      std::set<uint32_t> org_ends;
      std::vector<std::pair<uint32_t, uint32_t>> org_spans;  // sorted by start
      uint32_t longest_org = 0;
      for (const Mention& m : M)
        if (m.alive && m.kind == MKind::kOrg) {
          org_ends.insert(m.e);
          org_spans.push_back({m.b, m.e});
          longest_org = std::max(longest_org, m.e - m.b);
        }
      std::sort(org_spans.begin(), org_spans.end());
      auto org_ends_at = [&](uint32_t pos) { return org_ends.count(pos) > 0; };
      std::vector<std::pair<uint32_t, uint32_t>> desc_spans;  // a person's descriptor or item
      for (const Mention& m : M)
        if (m.kind == MKind::kItem || m.kind == MKind::kDescriptor) desc_spans.push_back({m.b, m.e});
      auto in_descriptor = [&](uint32_t b, uint32_t e) {
        for (auto& d : desc_spans)
          if (d.first <= b && d.second >= e) return true;
        return false;
      };
      // (a body a person works for: "Chief Data Officer, City of Porto")
      auto in_org = [&](uint32_t b, uint32_t e) {
        auto it = std::lower_bound(org_spans.begin(), org_spans.end(), std::make_pair(b > longest_org ? b - longest_org : 0, 0u));
        for (; it != org_spans.end() && it->first <= b; ++it)
          if (it->second >= e) return true;
        return false;
      };
      auto place_ok = [&](const Provenance& m) {
        std::string_view after = st.text.substr(m.end, std::min<size_t>(2, st.text.size() - m.end));
        if (after.size() == 2 && after[0] == ' ' && utf8::is_upper(uint32_t((unsigned char)after[1]))) return false;
        if (m.begin >= 2 && st.text.substr(m.begin - 2, 2) == ", " && org_ends_at(m.begin - 2)) return false;
        if (in_org(m.begin, m.end) && in_descriptor(m.begin, m.end)) return false;
        return true;
      };
      const PlaceAnn* first = nullptr;
      uint32_t first_end = 0, first_begin = 0xFFFFFFFF;  // its first mention that counts
      for (const PlaceAnn& p : out->places) {
        if (p.kind != "City") continue;
        for (const Provenance& m : p.mentions)
          if (m.begin < first_begin && place_ok(m)) { first = &p; first_begin = m.begin; first_end = m.end; }
      }
      if (first) {
        ev.places.push_back(first->name);
        uint32_t after = first_end;
        for (const PlaceAnn& q : out->places)
          for (const Provenance& m : q.mentions)
            if (q.kind == "Country" && m.begin == after + 2 && st.text.substr(after, 2) == ", ") ev.places.push_back(q.name);
      }
    }
    ev.prov = {title_pos, title_pos + uint32_t(title.size()), std::string(best_title >= 0 ? M[best_title].rule_id : "grammar:heading")};
    if (!title.empty() || best_date) out->event = ev;
    else out->event = ev;  // organisers alone still describe the event
  }
  // People take part in the event the text describes even when it names no
  // title or date: keep an untitled event so their parts are not lost.
  if (!out->event) {
    for (const PersonAnn& p : out->persons)
      if (p.event_role != "mentioned") { out->event = EventAnn{}; break; }
  }
  out->topics = find_topics(st, headline.empty() ? title : title.empty() ? headline : title + "\n" + headline);

  if (explain) {
    for (const Mention& m : M) note(explain, st, m, "");
    for (const DateCand& d : st.dates) {
      Span sp;
      sp.begin = d.b; sp.end = d.e; sp.type = "Date"; sp.rule = d.rule_id;
      sp.text = std::string(st.slice(d.b, d.e));
      sp.note = d.start + (d.end != d.start ? " .. " + d.end : "") + (best_date == &d ? " (event date)" : "");
      explain->spans.push_back(sp);
    }
    std::stable_sort(explain->spans.begin(), explain->spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  }
}

}  // namespace eventgraph::detail
