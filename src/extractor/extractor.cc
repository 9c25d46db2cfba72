// The rule runner: normalise, match gazetteers, run the rules that the
// prefilter lets through, and hand the typed mentions and relations to the
// role grammar and the per-document resolver.
//
// Cost per document: one normalisation pass, one tokenisation pass, one
// gazetteer trie walk (a hash lookup per capitalised token), one pass of the
// prefilter's atom set over the lower-cased text, then one scan of the text
// per rule the prefilter lets through. Those scans are most of the time (see
// BENCHMARKS.md): mostly RE2 building DFA states, hence the rules' scanning
// copies with a larger DFA budget (CompiledRule::scan_re) and the batches
// (extract_batch below).
#include "eventgraph/extractor.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <unordered_map>

#include "extractor/internal.h"
#include "eventgraph/text.h"

namespace eventgraph {

using namespace detail;

namespace detail {

size_t DocState::token_at(uint32_t pos) const {
  auto it = std::lower_bound(tokens.begin(), tokens.end(), pos, [](const Token& t, uint32_t p) { return t.begin < p; });
  return size_t(it - tokens.begin());
}

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

}  // namespace detail

// One document of a batch while it is extracted: its normalised text, its
// state, and what the prefilter lets run on it. Kept by the Extractor and
// reused from batch to batch (the vectors keep their capacity).
struct DocWork {
  NormalisedText norm;
  DocState st;
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> rule_lines;  // per rule: runs of its lines
  std::vector<char> whole;  // per rule: runs over the whole text (document rules, rules without atoms)
};

struct Extractor::Impl {
  const RuleSet::Impl& rules;
  std::vector<DocWork> work;
  std::vector<int> atom_hits, rule_ids, doc_atoms;
  std::vector<char> unfiltered;  // rules the prefilter never filters (no atoms)
  std::vector<char> short_filtered;  // rules the short-atom filter filters instead
  // The short-atom filter's rules (its indices) per line mask met so far.
  std::unordered_map<uint64_t, std::vector<int>> short_memo;
  // Per short-filter rule: its answer per mask & rule_bits().
  std::vector<std::unordered_map<uint64_t, bool>> short_rule_memo;
  std::vector<int> short_ids;
  // The prefilter's rules (line rules it filters) per set of atoms a line
  // holds, met so far: FilteredRE2::AllPotentials once per distinct set
  // instead of once per line. Keyed by the sorted atom ids' hash; the ids
  // are kept to tell colliding sets apart.
  struct LineRules {
    std::vector<int> atoms;  // sorted
    std::vector<int> rules;  // those of AllPotentials that get the line
  };
  std::unordered_multimap<uint64_t, LineRules> line_memo;
  std::string lower;
  std::vector<std::vector<int>> more_;
  std::vector<re2::StringPiece> sub;
  // Per-match scratch, reused (no allocation per match).
  std::vector<int> cap_mention;
  std::vector<std::string_view> date_caps;
  // "gazetteer:<file>:<line>" of each gazetteer entry, made on first use.
  std::vector<std::string> gaz_rule_ids;
  // EG_EXTRACT_ALL_RULES=1 (read when the Extractor is made) runs every rule
  // on every document, prefilter off: for tests/pipeline/prefilter_test.cc,
  // which checks that the prefilter changes nothing.
  bool all_rules = false;
  std::vector<RuleStat>* stats = nullptr;  // set_rule_stats()
  explicit Impl(const RuleSet& rs) : rules(rs.impl()) {
    const char* e = std::getenv("EG_EXTRACT_ALL_RULES");
    all_rules = e && *e && std::string_view(e) != "0";
  }

  // Runs rule ri over text[begin, end) (the whole text is the context of
  // ^, $ and \b); match_no counts the rule's matches in the document.
  // With set_rule_stats(), adds the time handle_match() takes to *handle_seconds.
  void run_rule(DocState& st, int ri, std::string_view text, size_t begin, size_t end, int* match_no,
                double* handle_seconds) {
    const CompiledRule& r = *rules.rules[ri];
    const RE2& re = r.scanner();
    int n = re.NumberOfCapturingGroups() + 1;
    if (int(sub.size()) < n) sub.resize(n);
    // When the rule's one group is its match, RE2 is asked for the match
    // alone, which skips its capture pass (CompiledRule::group_is_match).
    const int asked = r.group_is_match ? 1 : n;
    size_t pos = begin;
    while (pos <= end && re.Match(text, pos, end, RE2::UNANCHORED, sub.data(), asked)) {
      if (r.group_is_match) sub[1] = sub[0];
      size_t mend = size_t(sub[0].data() - text.data()) + sub[0].size();
      if (handle_seconds) {
        const auto t0 = std::chrono::steady_clock::now();
        handle_match(st, ri, r, n, (*match_no)++);
        *handle_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      } else {
        handle_match(st, ri, r, n, (*match_no)++);
      }
      pos = mend > pos ? mend : pos + 1;
      // Step over a partial UTF-8 sequence.
      while (pos < end && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
    }
  }

  // The prefilter, line by line. A line rule cannot cross a line (see
  // line_scoped() in rule_set.cc), so it can only match on a line that holds
  // its atoms: it runs over those lines only (runs of adjacent ones in one
  // call), which is where most of the rules' scanning went before, when a
  // rule whose atoms were anywhere in the document scanned all of it.
  // Document rules and rules without atoms run over the whole text when the
  // document's atoms (the union of its lines') allow them. The result is the
  // same as running every rule over every line (tests/pipeline/prefilter_test.cc).
  // Fills w.rule_lines and w.whole; run_rule_on() then runs one rule.
  void prefilter(DocWork& w) {
    const size_t nrules = rules.rules.size();
    std::string_view text = w.st.text;
    if (w.rule_lines.size() < nrules) w.rule_lines.resize(nrules);
    for (auto& v : w.rule_lines) v.clear();
    w.whole.assign(nrules, 0);
    if (all_rules || !rules.atom_set) {
      if (all_rules || !rules.prefilter) {
        w.whole.assign(nrules, 1);
      } else {
        rule_ids.clear();
        rules.prefilter->AllPotentials({}, &rule_ids);
        for (int ri : rule_ids) w.whole[ri] = 1;
      }
      return;
    }
    if (unfiltered.size() != nrules) {
      unfiltered.assign(nrules, 0);
      std::vector<int> none;
      rules.prefilter->AllPotentials({}, &none);
      for (int i : none) unfiltered[i] = 1;
      short_filtered.assign(nrules, 0);
      short_rule_memo.assign(rules.short_atoms.rule_count(), {});
      if (!rules.short_atoms.empty())
        for (size_t fi = 0; fi < rules.short_rules.size(); ++fi)
          if (!rules.short_atoms.unfiltered()[fi]) short_filtered[rules.short_rules[fi]] = 1;
    }
    lower.assign(text.begin(), text.end());
    for (char& c : lower) if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    doc_atoms.clear();
    bool doc_all = false;
    auto all_atoms = [&](std::vector<int>* v) {
      v->clear();
      for (size_t a = 0; a < rules.atom_count; ++a) v->push_back(int(a));
    };
    if (rules.atom_has_newline) {
      RE2::Set::ErrorInfo info;
      if (!rules.atom_set->Match(lower, &doc_atoms, &info) && info.kind != RE2::Set::kNoError) doc_all = true;
    }
    for (size_t a = 0; a < text.size();) {
      size_t e = text.find('\n', a);
      if (e == std::string_view::npos) e = text.size();
      if (!rules.short_atoms.empty()) short_filter_line(w, std::string_view(lower.data() + a, e - a), a, e);
      if (e == a) { ++a; continue; }  // an empty line holds no atom
      RE2::Set::ErrorInfo info;
      re2::StringPiece line(lower.data() + a, e - a);
      if (!rules.atom_set->Match(line, &atom_hits, &info)) {
        if (info.kind == RE2::Set::kNoError) { a = e + 1; continue; }
        all_atoms(&atom_hits);  // the set's DFA ran out of memory: every rule may match
        doc_all = true;
      }
      if (!rules.atom_has_newline) doc_atoms.insert(doc_atoms.end(), atom_hits.begin(), atom_hits.end());
      for (int ri : line_rules(atom_hits)) add_line(w.rule_lines[ri], a, e);
      a = e + 1;
    }
    if (doc_all) all_atoms(&doc_atoms);
    std::sort(doc_atoms.begin(), doc_atoms.end());
    doc_atoms.erase(std::unique(doc_atoms.begin(), doc_atoms.end()), doc_atoms.end());
    rule_ids.clear();
    rules.prefilter->AllPotentials(doc_atoms, &rule_ids);
    for (int ri : rule_ids)
      if ((unfiltered[ri] && !short_filtered[ri]) || rules.rules[ri]->document_scope) w.whole[ri] = 1;
  }

  // The line rules the prefilter lets run on a line holding `atoms` (sorted
  // here), remembered per distinct set (bounded: cleared when full).
  const std::vector<int>& line_rules(std::vector<int>& atoms) {
    std::sort(atoms.begin(), atoms.end());
    uint64_t h = 1469598103934665603ull;
    for (int x : atoms) h = (h ^ uint64_t(uint32_t(x))) * 1099511628211ull;
    auto [lo, hi] = line_memo.equal_range(h);
    for (auto it = lo; it != hi; ++it)
      if (it->second.atoms == atoms) return it->second.rules;
    if (line_memo.size() >= 65536) line_memo.clear();
    LineRules lr;
    lr.atoms = atoms;
    rule_ids.clear();
    rules.prefilter->AllPotentials(atoms, &rule_ids);
    for (int ri : rule_ids)
      if (!unfiltered[ri] && !rules.rules[ri]->document_scope) lr.rules.push_back(ri);
    return line_memo.emplace(h, std::move(lr))->second.rules;
  }

  // The rules without atoms of 3 bytes that the short-atom filter lets
  // through on the line [a, e) (`lower`: its lower-cased text) get the line.
  void short_filter_line(DocWork& w, std::string_view lower, size_t a, size_t e) {
    uint64_t mask = rules.short_atoms.mask(lower);
    auto it = short_memo.find(mask);
    if (it == short_memo.end()) {
      // A mask not met before: each rule's answer for the bits it looks at,
      // remembered per rule (the masks' digits and punctuation vary more
      // than any one rule cares about).
      if (short_memo.size() >= 65536) short_memo.clear();  // bounded
      const ShortAtomFilter& f = rules.short_atoms;
      short_ids.clear();
      for (size_t fi = 0; fi < f.rule_count(); ++fi) {
        if (f.unfiltered()[fi]) continue;
        uint64_t key = mask & f.rule_bits(fi);
        auto& memo = short_rule_memo[fi];
        auto r = memo.find(key);
        if (r == memo.end()) {
          if (memo.size() >= 65536) memo.clear();
          r = memo.emplace(key, f.may_match(fi, mask)).first;
        }
        if (r->second) short_ids.push_back(int(fi));
      }
      it = short_memo.emplace(mask, short_ids).first;
    }
    for (int fi : it->second) add_line(w.rule_lines[rules.short_rules[fi]], a, e);
  }

  // Gives a rule the line [a, e): extends its last run when the line follows it.
  static void add_line(std::vector<std::pair<uint32_t, uint32_t>>& v, size_t a, size_t e) {
    if (!v.empty() && v.back().second + 1 == a) v.back().second = uint32_t(e);
    else v.push_back({uint32_t(a), uint32_t(e)});
  }

  // Runs rule ri on one document where the prefilter lets it; with
  // set_rule_stats(), adds what that cost to *stats (the clock is read only then).
  void run_rule_on(DocWork& w, int ri) {
    int match_no = 0;
    std::string_view text = w.st.text;
    RuleStat cost;
    std::chrono::steady_clock::time_point t0;
    if (stats) t0 = std::chrono::steady_clock::now();
    auto scan = [&](size_t b, size_t e) {
      run_rule(w.st, ri, text, b, e, &match_no, stats ? &cost.handle_seconds : nullptr);
      ++cost.scans;
      cost.bytes += e - b;
    };
    if (w.whole[ri]) {
      scan(0, text.size());
    } else if (!(all_rules || !rules.atom_set)) {
      for (auto [b, e] : w.rule_lines[ri]) scan(b, e);
    }
    if (!stats || cost.scans == 0) return;
    cost.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    cost.documents = 1;
    cost.matches = uint64_t(match_no);
    (*stats)[size_t(ri)] += cost;
  }

  void handle_match(DocState& st, int ri, const CompiledRule& r, int n, int match_no) {
    int match_id = int(st.mentions.size()) * 1000 + match_no;  // unique enough per document
    cap_mention.assign(n, -2);
    date_caps.assign(32, std::string_view());
    bool has_date = false;
    auto off = [&](std::string_view v) { return uint32_t(v.data() - st.text.data()); };
    // First pass: plain mentions and items.
    for (int g = 1; g < n; ++g) {
      std::string_view v(sub[g].data(), sub[g].size());
      if (!v.data() || v.empty()) continue;
      CaptureType ct = r.capture_types[g - 1];
      uint32_t b = off(v), e = b + uint32_t(v.size());
      Mention m;
      m.b = b; m.e = e; m.rule = ri; m.priority = r.priority; m.match = match_id; m.rule_id = r.id;
      switch (ct) {
        case CaptureType::kIgnore: break;
        case CaptureType::kPerson: {
          std::string why;
          if (!clean_person(st, &m.b, &m.e, &why)) { m.alive = false; m.why = "dropped: " + why; }
          m.kind = MKind::kPerson;
          cap_mention[g] = st.add(m);
          break;
        }
        case CaptureType::kOrganization: {
          clean_org(st, &m.b, &m.e);
          strip_title_prefix(st, &m.b, &m.e);
          // A state named where a body was expected ("from Burkina Faso") is a place.
          int gi = st.gaz->lookup_index(st.slice(m.b, m.e));
          m.kind = (gi >= 0 && st.gaz->entry(gi).type == GazType::kPlace) ? MKind::kPlace : MKind::kOrg;
          if (gi >= 0) m.gaz = gi;
          cap_mention[g] = st.add(m);
          break;
        }
        case CaptureType::kPlace: m.kind = MKind::kPlace; cap_mention[g] = st.add(m); break;
        case CaptureType::kRole: m.kind = MKind::kTitle; cap_mention[g] = st.add(m); break;
        case CaptureType::kDescriptor: m.kind = MKind::kDescriptor; cap_mention[g] = st.add(m); break;
        case CaptureType::kPersonList:
          m.kind = MKind::kPersonList;
          cap_mention[g] = st.add(m);
          if (!r.relations.empty() && r.relations[0].type == "PARTICIPATED_IN") find_listed_people(st, b, e, 20, r.id);
          break;
        case CaptureType::kItem: m.kind = MKind::kItem; cap_mention[g] = st.add(m); break;
        case CaptureType::kEventTitle: m.kind = MKind::kEventTitle; cap_mention[g] = st.add(m); break;
        case CaptureType::kOnline: m.kind = MKind::kOnline; cap_mention[g] = st.add(m); break;
        default:
          date_caps[int(ct)] = v;
          has_date = true;
          break;
      }
    }
    if (has_date) add_date(st, r, r.priority, date_caps, std::string_view(sub[0].data(), sub[0].size()));
    // A match whose person is not a name is void: its other captures go too
    // ("Capacity Building Unit of ENISA" is no "Name of Org").
    bool void_match = false;
    for (int g = 1; g < n; ++g)
      if (cap_mention[g] >= 0 && st.mentions[cap_mention[g]].kind == MKind::kPerson && !st.mentions[cap_mention[g]].alive)
        void_match = true;
    if (void_match)
      for (int g = 1; g < n; ++g)
        if (cap_mention[g] >= 0 && st.mentions[cap_mention[g]].alive) {
          st.mentions[cap_mention[g]].alive = false;
          st.mentions[cap_mention[g]].why = "dropped: the match's person is not a name";
        }
    // Items: "Name + descriptor" captures become a person and a descriptor;
    // an item may hold several people ("A, Title, Org; B, Title, Org").
    // (more_: people after the first in an item capture; reused, cleared per match)
    if (int(more_.size()) < n) more_.resize(n);
    for (int g = 0; g < n; ++g) more_[g].clear();
    auto& more = more_;
    for (int g = 1; g < n; ++g) {
      if (cap_mention[g] < 0) continue;
      if (r.capture_types[g - 1] == CaptureType::kItem) {
        Mention m = st.mentions[cap_mention[g]];
        int first = -2;
        for (auto [pb, pe] : split_items(st, m.b, m.e)) {
          int p = parse_item(st, pb, pe, r.priority, r.id);
          if (p < 0) continue;
          if (first < 0) first = p;
          else more[g].push_back(p);
        }
        cap_mention[g] = first;
      }
    }
    // Relations.
    for (const RelationDef& d : r.relations) {
      int from = d.from < 0 ? -1 : cap_mention[d.from + 1];
      int to = d.to < 0 ? -1 : cap_mention[d.to + 1];
      if (from == -2 || to == -2) continue;  // capture did not take part in this match
      if (from >= 0 && to >= 0 && st.mentions[to].kind == MKind::kDescriptor && d.type == "HOLDS_ROLE") {
        const Mention& desc = st.mentions[to];
        st.pending.push_back({from, desc.b, desc.e, r.priority, r.id});
        continue;
      }
      st.relations.push_back({from, d.type, to, d.as, r.priority});
      if (d.from >= 0)
        for (int extra : more[d.from + 1]) st.relations.push_back({extra, d.type, to, d.as, r.priority});
    }
  }

  // Everything before the rules: normalise, tokenise, gazetteer, prefilter.
  void prepare(const Document& doc, DocWork& w) {
    normalise(doc.text, w.norm);
    w.st.reset();
    DocState& st = w.st;
    st.rules = &rules;
    st.gaz = &rules.gazetteer;
    st.text = w.norm.text;
    tokenize(st.text, &st.tokens);
    rules.gazetteer.match(st.text, st.tokens, &st.hits);
    for (const GazHit& h : st.hits) {
      const GazEntry& ge = rules.gazetteer.entry(h.entry);
      Mention m;
      m.b = h.begin; m.e = h.end; m.gaz = h.entry; m.adjective = h.adjective;
      m.priority = 36;  // above the shape rules for bodies (rules/orgs.rules), below people's
      if (gaz_rule_ids.size() != rules.gazetteer.size()) gaz_rule_ids.assign(rules.gazetteer.size(), std::string());
      std::string& gid = gaz_rule_ids[h.entry];
      if (gid.empty()) gid = "gazetteer:" + ge.file + ":" + std::to_string(ge.line);
      m.rule_id = gid;
      m.kind = ge.type == GazType::kPlace ? MKind::kPlace : ge.type == GazType::kOrganization ? MKind::kOrg : MKind::kHonorific;
      st.add(m);
    }
    prefilter(w);
  }

  // Everything after the rules: the resolver, offsets back to raw bytes.
  DocAnnotation finish(const Document& doc, DocWork& w, Explanation* explain) {
    DocState& st = w.st;
    const NormalisedText& norm = w.norm;
    DocAnnotation out;
    resolve(st, doc, &out, explain);
    // Offsets back to raw bytes.
    auto raw = [&](Provenance& p) {
      if (p.end <= norm.text.size()) {
        auto r = norm.to_raw(p.begin, p.end);
        p.begin = r.first;
        p.end = r.second;
      }
    };
    for (auto& p : out.persons) { for (auto& m : p.mentions) raw(m); for (auto& r : p.roles) raw(r.prov); }
    for (auto& o : out.organizations) for (auto& m : o.mentions) raw(m);
    for (auto& pl : out.places) for (auto& m : pl.mentions) raw(m);
    if (out.event) {
      // The title as the source writes it (typographic quotes and dashes kept).
      Provenance p = out.event->prov;
      raw(out.event->prov);
      const Provenance& r = out.event->prov;
      if (p.rule != "attrs:title" && r.end <= doc.text.size() && r.end > r.begin) {
        std::string_view src(doc.text.data() + r.begin, r.end - r.begin);
        bool clean = is_valid_utf8(src) && std::none_of(src.begin(), src.end(), [](char c) {
          return (unsigned char)c < 0x20;
        });
        if (clean && fold(src) == fold(out.event->title)) out.event->title = std::string(src);
      }
    }
    return out;
  }

  // Rule-major over the batch: each rule runs over every document before the
  // next rule starts, so one rule's DFA stays in the CPU caches while it
  // scans (document-major, the ~60 rules' DFAs evict each other from the
  // caches in every document). Each document still sees its rules in rule
  // order, so the result is the same as extracting the documents one by one.
  void extract_batch(const Document* const* docs, size_t n, DocAnnotation* out, Explanation* explain) {
    if (work.size() < n) work.resize(n);
    for (size_t i = 0; i < n; ++i) prepare(*docs[i], work[i]);
    for (size_t ri = 0; ri < rules.rules.size(); ++ri)
      for (size_t i = 0; i < n; ++i) run_rule_on(work[i], int(ri));
    for (size_t i = 0; i < n; ++i) out[i] = finish(*docs[i], work[i], explain);
  }
};

Extractor::Extractor(const RuleSet& rules) : impl_(std::make_unique<Impl>(rules)) {}
Extractor::~Extractor() = default;

DocAnnotation Extractor::extract(const Document& doc, Explanation* explain) {
  const Document* d = &doc;
  DocAnnotation out;
  impl_->extract_batch(&d, 1, &out, explain);
  return out;
}

void Extractor::extract_batch(const Document* const* docs, size_t n, DocAnnotation* out) {
  impl_->extract_batch(docs, n, out, nullptr);
}

void Extractor::set_rule_stats(std::vector<RuleStat>* stats) {
  if (stats && stats->size() < impl_->rules.rules.size()) stats->resize(impl_->rules.rules.size());
  impl_->stats = stats;
}

}  // namespace eventgraph
