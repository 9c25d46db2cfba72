// Gazetteer parsing and the token-trie matcher. See gazetteer.h.
#include "rules/gazetteer.h"

#include <algorithm>

#include "eventgraph/text.h"
#include "util/utf8.h"

namespace eventgraph {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool all_caps_short(std::string_view s) {
  int letters = 0;
  for (char c : s) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') ++letters;
    else if (c != '.' && !(c >= '0' && c <= '9')) return false;
  }
  return letters >= 1 && letters <= 6;
}

}  // namespace

void tokenize(std::string_view text, std::vector<Token>* out) {
  out->clear();
  size_t i = 0, n = text.size();
  while (i < n) {
    size_t start = i;
    uint32_t cp = utf8::decode(text, i);
    if (!utf8::is_letter(cp) && !utf8::is_digit(cp)) continue;
    Token t;
    t.begin = uint32_t(start);
    t.capital = utf8::is_upper(cp) || utf8::is_digit(cp);
    bool upper = utf8::is_upper(cp), any_lower = utf8::is_lower(cp);
    size_t end = i;
    while (i < n) {
      size_t j = i;
      uint32_t c = utf8::decode(text, j);
      if (utf8::is_letter(c) || utf8::is_digit(c)) {
        if (utf8::is_lower(c)) any_lower = true;
        i = j; end = j;
        continue;
      }
      if ((c == '\'' || c == '-' || c == '.') && j < n) {
        size_t k = j;
        uint32_t d = utf8::decode(text, k);
        if (utf8::is_letter(d) || utf8::is_digit(d)) {
          // possessive 's ends the token
          if (c == '\'' && (d == 's' || d == 'S')) {
            size_t m = k;
            if (m >= n || !utf8::is_letter(utf8::decode(text, m))) break;
          }
          // a dot joins only inside abbreviations and domains ("CGI.br", "U.S"), not "end.Next"
          if (c == '.' && utf8::is_upper(d) && !upper) break;
          i = j; end = j;
          continue;
        }
      }
      break;
    }
    t.end = uint32_t(end);
    t.upper = upper && !any_lower;
    out->push_back(t);
  }
}

Status Gazetteer::add_file(const std::string& name, std::string_view content) {
  GazType type = GazType::kPlace;
  std::string kind;
  bool have_type = false;
  int line_no = 0;
  size_t pos = 0;
  while (pos <= content.size()) {
    size_t nl = content.find('\n', pos);
    if (nl == std::string_view::npos) nl = content.size();
    std::string_view line = trim(content.substr(pos, nl - pos));
    pos = nl + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::string where = name + ":" + std::to_string(line_no) + ": ";
    if (line[0] == '@') {
      size_t sp = line.find_first_of(" \t");
      std::string key(line.substr(0, sp));
      std::string val(sp == std::string_view::npos ? "" : trim(line.substr(sp)));
      if (size_t h = val.find('#'); h != std::string::npos) val = std::string(trim(val.substr(0, h)));
      if (key == "@type") {
        static const std::pair<const char*, GazType> kTypes[] = {
            {"Place", GazType::kPlace},         {"Organization", GazType::kOrganization},
            {"Honorific", GazType::kHonorific}, {"TitleWord", GazType::kTitleWord},
            {"OrgWord", GazType::kOrgWord},     {"NotName", GazType::kNotName}};
        bool found = false;
        for (auto& [n, t] : kTypes)
          if (val == n) { type = t; found = true; }
        if (!found) return Status::rule_error(where + "unknown @type '" + val + "' (Place, Organization, Honorific, TitleWord, OrgWord, NotName)");
        have_type = true;
        kind.clear();
      } else if (key == "@kind") {
        if (val != "Country" && val != "City" && val != "Region")
          return Status::rule_error(where + "unknown @kind '" + val + "' (Country, City, Region)");
        kind = val;
      } else {
        return Status::rule_error(where + "unknown directive '" + key + "' (@type, @kind)");
      }
      continue;
    }
    if (!have_type) return Status::rule_error(where + "entry before any @type line");
    // split on '|'
    std::vector<std::string> fields;
    size_t a = 0;
    while (a <= line.size()) {
      size_t b = line.find('|', a);
      if (b == std::string_view::npos) b = line.size();
      std::string_view f = trim(line.substr(a, b - a));
      if (!f.empty()) fields.emplace_back(f);
      a = b + 1;
    }
    if (fields.empty() || fields[0][0] == '~') return Status::rule_error(where + "entry without a canonical name");
    switch (type) {
      case GazType::kTitleWord: for (auto& f : fields) title_words_.insert(fold(f)); continue;
      case GazType::kOrgWord: for (auto& f : fields) org_words_.insert(fold(f)); continue;
      case GazType::kNotName: for (auto& f : fields) not_name_.insert(fold(f)); continue;
      default: break;
    }
    GazEntry e;
    e.type = type;
    e.kind = kind;
    e.canonical = fields[0];
    e.file = name;
    e.line = line_no;
    for (size_t k = 1; k < fields.size(); ++k) {
      if (fields[k][0] == '~') e.adjectives.push_back(fields[k].substr(1));
      else e.aliases.push_back(fields[k]);
    }
    int idx;
    // Same canonical name and type as an earlier entry: extend it.
    auto it = phrase_.find(fold(e.canonical));
    if (it != phrase_.end() && entries_[it->second].type == type && entries_[it->second].canonical == e.canonical) {
      idx = it->second;
      for (auto& x : e.aliases) entries_[idx].aliases.push_back(x);
      for (auto& x : e.adjectives) entries_[idx].adjectives.push_back(x);
    } else {
      idx = int(entries_.size());
      entries_.push_back(e);
    }
    if (type == GazType::kHonorific) {
      for (auto& f : fields) honorifics_.insert(fold(f));
    }
    for (size_t k = 0; k < fields.size(); ++k) {
      bool adj = fields[k][0] == '~';
      std::string form = adj ? fields[k].substr(1) : fields[k];
      insert(form, idx, adj);
      std::string key = fold(form);
      if (key.empty()) continue;
      if (adj) adjective_.emplace(key, idx);
      else if (type != GazType::kHonorific) phrase_.emplace(key, idx);
    }
  }
  return Status::ok();
}

void Gazetteer::insert(const std::string& form, int entry, bool adjective) {
  std::vector<Token> toks;
  tokenize(form, &toks);
  if (toks.empty()) return;
  int node = 0;
  for (const Token& t : toks) {
    std::string key = fold(std::string_view(form).substr(t.begin, t.end - t.begin));
    auto it = trie_[node].next.find(key);
    if (it == trie_[node].next.end()) {
      int nn = int(trie_.size());
      trie_[node].next.emplace(key, nn);
      trie_.emplace_back();
      node = nn;
    } else {
      node = it->second;
    }
  }
  TrieNode& tn = trie_[node];
  // Earlier entries win on a clash, except that a name beats an adjective.
  if (tn.entry >= 0 && !(tn.adjective && !adjective)) return;
  tn.entry = entry;
  tn.adjective = adjective;
  tn.exact_case = all_caps_short(form);
  tn.surface = form;
}

void Gazetteer::match(std::string_view text, const std::vector<Token>& tokens, std::vector<GazHit>* out) const {
  out->clear();
  std::string key;
  for (size_t i = 0; i < tokens.size();) {
    if (!tokens[i].capital) { ++i; continue; }
    int node = 0;
    int best_entry = -1;
    size_t best_j = i;
    bool best_adj = false;
    for (size_t j = i; j < tokens.size(); ++j) {
      if (j > i) {
        // only spaces and light punctuation between the words of one name, never a line break
        std::string_view gap = text.substr(tokens[j - 1].end, tokens[j].begin - tokens[j - 1].end);
        if (gap.size() > 3 || gap.find('\n') != std::string_view::npos || gap.find('(') != std::string_view::npos ||
            gap.find(')') != std::string_view::npos || gap.find(':') != std::string_view::npos ||
            gap.find(';') != std::string_view::npos)
          break;
      }
      std::string_view w = text.substr(tokens[j].begin, tokens[j].end - tokens[j].begin);
      key = fold(w);
      auto it = trie_[node].next.find(key);
      if (it == trie_[node].next.end()) break;
      node = it->second;
      const TrieNode& tn = trie_[node];
      if (tn.entry >= 0) {
        bool ok = true;
        if (tn.exact_case) {
          std::string_view surf = text.substr(tokens[i].begin, tokens[j].end - tokens[i].begin);
          // compare letters only, so "U.S." matches "U.S" and "US"
          std::string a, b;
          for (char c : surf) if (c != '.' && c != ' ') a += c;
          for (char c : tn.surface) if (c != '.' && c != ' ') b += c;
          ok = a == b;
        }
        if (ok) { best_entry = tn.entry; best_j = j; best_adj = tn.adjective; }
      }
    }
    if (best_entry >= 0) {
      const GazEntry& e = entries_[best_entry];
      if (e.type == GazType::kPlace || e.type == GazType::kOrganization || e.type == GazType::kHonorific) {
        out->push_back({tokens[i].begin, tokens[best_j].end, best_entry, best_adj});
        i = best_j + 1;
        continue;
      }
    }
    ++i;
  }
}

int Gazetteer::lookup_index(std::string_view phrase) const {
  auto it = phrase_.find(fold(phrase));
  return it == phrase_.end() ? -1 : it->second;
}

const GazEntry* Gazetteer::lookup(std::string_view phrase) const {
  int i = lookup_index(phrase);
  return i < 0 ? nullptr : &entries_[i];
}

const GazEntry* Gazetteer::lookup_adjective(std::string_view word) const {
  auto it = adjective_.find(fold(word));
  return it == adjective_.end() ? nullptr : &entries_[it->second];
}

}  // namespace eventgraph
