// Differential test of the rule prefilter (src/extractor/extractor.cc): on the
// dev corpus, the seed text and the samples, extraction with the prefilter
// (FilteredRE2 atoms decide which rules run) must give exactly what running
// every rule on every document gives. Also checks the reason directly: every
// rule the prefilter skips for a document has no match in it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "eventgraph/extractor.h"
#include "eventgraph/normaliser.h"
#include "rules/rule_set_impl.h"
#include "testutil/builtin_pack.h"
#include "testutil/testutil.h"

using namespace eventgraph;

namespace {

// The texts: every *.txt of the dev corpus, the seed text and the samples.
std::vector<Document> inputs() {
  namespace fs = std::filesystem;
  std::vector<std::string> paths;
  for (const std::string& dir : {egtest::kSharedDir + "/corpus/dev", egtest::kSourceDir + "/samples"}) {
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".txt") paths.push_back(e.path().string());
  }
  paths.push_back(egtest::kSharedDir + "/corpus/seed.txt");
  std::sort(paths.begin(), paths.end());
  std::vector<Document> docs;
  for (const std::string& p : paths) {
    Document d;
    d.id = p;
    d.source = p;
    d.text = egtest::read_file(p);
    docs.push_back(std::move(d));
  }
  return docs;
}

void put(std::ostringstream& o, const Provenance& p) { o << "@" << p.begin << "-" << p.end << ":" << p.rule; }

// Every field of an annotation, in order.
std::string dump(const DocAnnotation& a) {
  std::ostringstream o;
  o << "doc " << a.doc_id << " url " << a.url << " title " << a.title << "\n";
  if (a.event) {
    const EventAnn& e = *a.event;
    o << "event " << e.title << " " << e.start.value_or("-") << " " << e.end.value_or("-");
    for (auto& p : e.places) o << " place=" << p;
    for (auto& p : e.organizers) o << " org=" << p;
    put(o, e.prov);
    o << "\n";
  }
  for (const PersonAnn& p : a.persons) {
    o << "person " << p.name << " " << p.event_role;
    for (auto& al : p.aliases) o << " alias=" << al;
    for (auto& m : p.mentions) put(o, m);
    for (const RoleAnn& r : p.roles) {
      o << " role[" << r.title.value_or("-") << "|" << r.org.value_or("-") << "|" << r.org_is_place;
      put(o, r.prov);
      o << "]";
    }
    o << "\n";
  }
  for (const OrgAnn& g : a.organizations) {
    o << "org " << g.name << " id=" << g.id_name;
    for (auto& al : g.aliases) o << " alias=" << al;
    for (auto& m : g.mentions) put(o, m);
    o << "\n";
  }
  for (const PlaceAnn& p : a.places) {
    o << "place " << p.name << " id=" << p.id_name << " kind=" << p.kind;
    for (auto& m : p.mentions) put(o, m);
    o << "\n";
  }
  for (auto& t : a.topics) o << "topic " << t << "\n";
  return o.str();
}

// A document's normalised text and the same with its ASCII letters in lower
// case, as the prefilters read it.
struct Texts {
  std::string text, lower;
};
Texts normalised(const Document& d) {
  NormalisedText norm;
  normalise(d.text, norm);
  Texts t{norm.text, norm.text};
  for (char& c : t.lower)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return t;
}

// The lines of a text, as [begin, end) without the line break.
std::vector<std::pair<size_t, size_t>> lines(const std::string& text) {
  std::vector<std::pair<size_t, size_t>> out;
  for (size_t a = 0; a < text.size();) {
    size_t e = std::min(text.find('\n', a), text.size());
    out.push_back({a, e});
    a = e + 1;
  }
  return out;
}

std::string dump(const Explanation& x) {
  std::ostringstream o;
  for (const Span& s : x.spans)
    o << s.begin << "-" << s.end << " " << s.type << " " << s.capture << " " << s.rule << " " << s.text << " | "
      << s.note << "\n";
  return o.str();
}

}  // namespace

TEST_CASE("prefiltered extraction equals running every rule on every document") {
  const RuleSet& rules = egtest::builtin_pack();
  std::vector<Document> docs = inputs();
  REQUIRE(docs.size() >= 30);  // 25 dev texts, the samples and the seed

  unsetenv("EG_EXTRACT_ALL_RULES");
  Extractor filtered(rules);
  setenv("EG_EXTRACT_ALL_RULES", "1", 1);
  Extractor every(rules);
  unsetenv("EG_EXTRACT_ALL_RULES");

  size_t people = 0;
  for (const Document& d : docs) {
    INFO(d.id);
    DocAnnotation a = filtered.extract(d);
    DocAnnotation b = every.extract(d);
    CHECK(dump(a) == dump(b));
    people += a.persons.size();
    // The explain trace too: the same spans, rules and resolver notes.
    Explanation xa, xb;
    filtered.extract(d, &xa);
    every.extract(d, &xb);
    CHECK(dump(xa) == dump(xb));
  }
  CHECK(people > 100);  // the comparison is not between two empty outputs
}

TEST_CASE("every rule the prefilter skips has no match in the document") {
  const RuleSet& rules = egtest::builtin_pack();
  const RuleSet::Impl& im = rules.impl();
  REQUIRE(im.atom_set);
  size_t skipped = 0;
  for (const Document& d : inputs()) {
    INFO(d.id);
    Texts t = normalised(d);
    std::vector<int> atoms, potential;
    im.atom_set->Match(t.lower, &atoms);  // false (no atom) is an answer too
    im.prefilter->AllPotentials(atoms, &potential);
    for (size_t ri = 0; ri < im.rules.size(); ++ri) {
      if (std::find(potential.begin(), potential.end(), int(ri)) != potential.end()) continue;
      ++skipped;
      INFO("rule " << im.rules[ri]->id);
      CHECK_FALSE(RE2::PartialMatch(t.text, *im.rules[ri]->re));
    }
  }
  CHECK(skipped > 0);  // the prefilter does skip rules on these texts
}

TEST_CASE("a line rule skipped for a line has no match on it, and no line rule crosses a line") {
  // The extractor runs a line rule only over the lines whose atoms allow it
  // (run_rules in src/extractor/extractor.cc); both facts it relies on:
  const RuleSet& rules = egtest::builtin_pack();
  const RuleSet::Impl& im = rules.impl();
  REQUIRE(im.atom_set);
  size_t skipped = 0, matches = 0;
  // Each line rule with one group around the whole match, compiled once.
  std::vector<std::unique_ptr<RE2>> whole;
  for (const auto& r : im.rules) whole.push_back(std::make_unique<RE2>("(" + r->re->pattern() + ")", r->re->options()));
  for (const Document& d : inputs()) {
    INFO(d.id);
    const Texts t = normalised(d);
    const std::string& text = t.text;
    const std::string& lower = t.lower;
    for (auto [a, e] : lines(text)) {
      std::vector<int> atoms, potential;
      im.atom_set->Match(re2::StringPiece(lower.data() + a, e - a), &atoms);
      im.prefilter->AllPotentials(atoms, &potential);
      for (size_t ri = 0; ri < im.rules.size(); ++ri) {
        if (im.rules[ri]->document_scope) continue;
        if (std::find(potential.begin(), potential.end(), int(ri)) != potential.end()) continue;
        ++skipped;
        INFO("rule " << im.rules[ri]->id << " line at " << a);
        CHECK_FALSE(im.rules[ri]->re->Match(text, a, e, RE2::UNANCHORED, nullptr, 0));
      }
    }
    for (size_t ri = 0; ri < im.rules.size(); ++ri) {
      const auto& r = im.rules[ri];
      if (r->document_scope) continue;
      re2::StringPiece in(text), m;
      while (RE2::FindAndConsume(&in, *whole[ri], &m)) {
        ++matches;
        INFO("rule " << r->id << ": " << m.as_string());
        CHECK(m.as_string().find('\n') == std::string::npos);
        if (m.empty()) { if (in.empty()) break; in.remove_prefix(1); }
      }
    }
  }
  CHECK(skipped > 1000);
  CHECK(matches > 100);
}

TEST_CASE("a line rule the short-atom filter skips for a line has no match on it") {
  // The rules without atoms of 3 bytes or more (dates, "Name (Title)",
  // bullets) are filtered per line by their 1- and 2-byte atoms
  // (src/rules/short_atoms.h); a rule it leaves out of a line must not
  // match there, and it must leave rules out, or it does nothing.
  const RuleSet& rules = egtest::builtin_pack();
  const RuleSet::Impl& im = rules.impl();
  REQUIRE_FALSE(im.short_atoms.empty());
  REQUIRE(im.short_rules.size() >= 5);  // the date rules at least
  size_t skipped = 0, kept = 0;
  for (const Document& d : inputs()) {
    INFO(d.id);
    const Texts t = normalised(d);
    for (auto [a, e] : lines(t.text)) {
      const uint64_t mask = im.short_atoms.mask(std::string_view(t.lower).substr(a, e - a));
      for (size_t fi = 0; fi < im.short_rules.size(); ++fi) {
        if (im.short_atoms.unfiltered()[fi]) continue;
        if (im.short_atoms.may_match(fi, mask)) { ++kept; continue; }
        ++skipped;
        const CompiledRule& r = *im.rules[im.short_rules[fi]];
        INFO("rule " << r.id << " line at " << a);
        CHECK_FALSE(r.re->Match(t.text, a, e, RE2::UNANCHORED, nullptr, 0));
      }
    }
  }
  CHECK(skipped > 1000);
  CHECK(kept > 100);
}

TEST_CASE("a short-atom rule's answer depends only on the mask bits of its own atoms") {
  // The extractor remembers each rule's answer per mask & rule_bits(): a bit
  // the rule looks at but rule_bits() leaves out would give a line the answer
  // of another line. Checked on every line of the inputs, and the filter must
  // look at some bits, or the memo is keyed on nothing.
  const RuleSet::Impl& im = egtest::builtin_pack().impl();
  const ShortAtomFilter& f = im.short_atoms;
  REQUIRE(f.rule_count() == im.short_rules.size());
  size_t looked = 0, lines_seen = 0;
  for (size_t fi = 0; fi < f.rule_count(); ++fi)
    if (f.rule_bits(fi) != 0) ++looked;
  CHECK(looked >= 5);
  for (const Document& d : inputs()) {
    const Texts t = normalised(d);
    for (auto [a, e] : lines(t.text)) {
      uint64_t mask = f.mask(std::string_view(t.lower).substr(a, e - a));
      ++lines_seen;
      for (size_t fi = 0; fi < f.rule_count(); ++fi) {
        if (f.unfiltered()[fi]) continue;
        INFO("rule " << im.rules[im.short_rules[fi]]->id << " line at " << a);
        CHECK(f.may_match(fi, mask) == f.may_match(fi, mask & f.rule_bits(fi)));
        // ... and a bit of its own it is not given can only keep it out.
        if (f.may_match(fi, 0)) CHECK(f.may_match(fi, mask));
      }
    }
  }
  CHECK(lines_seen > 100);
}

TEST_CASE("a rule whose literal has a capital past ASCII still runs") {
  // RE2 gives atoms in lower case in full Unicode ("école"), while the
  // extractor lower-cases only the ASCII letters of a text: the rule of
  // "École ..." must still run on "École Polytechnique", as it does with
  // the prefilter off.
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "eg_prefilter_test_accents";
  fs::create_directories(dir);
  egtest::write_file((dir / "a.rules").string(),
                     "rule a.school\n  priority 90\n  pattern (?P<org>\u00c9cole [A-Z][a-z]+)\n"
                     "rule a.city\n  priority 90\n  pattern (?P<place>\u00c5rhus|\u00d6rebro) (?:hosted|welcomed)\n");
  std::unique_ptr<RuleSet> pack;
  Status s = RuleSet::load_files({dir.string()}, {}, &pack);
  REQUIRE(s.is_ok());
  Document d;
  d.id = "accents";
  d.text = "The meeting at \u00c9cole Polytechnique was long.\n\u00d6rebro hosted the second day.\n";
  unsetenv("EG_EXTRACT_ALL_RULES");
  DocAnnotation a = Extractor(*pack).extract(d);
  setenv("EG_EXTRACT_ALL_RULES", "1", 1);
  DocAnnotation b = Extractor(*pack).extract(d);
  unsetenv("EG_EXTRACT_ALL_RULES");
  REQUIRE(a.organizations.size() == 1);
  CHECK(a.organizations[0].name == "\u00c9cole Polytechnique");
  REQUIRE(a.places.size() == 1);
  CHECK(a.places[0].name == "\u00d6rebro");
  CHECK(dump(a) == dump(b));
}

TEST_CASE("extractors made one after another give the same output") {
  // Extractors of one pack share their compiled rule copies; a second one
  // (as on a second thread) must see exactly what the first saw.
  const RuleSet& rules = egtest::builtin_pack();
  std::vector<Document> docs = inputs();
  Extractor first(rules);
  std::vector<std::string> out;
  for (const Document& d : docs) out.push_back(dump(first.extract(d)));
  Extractor second(rules);
  for (size_t i = docs.size(); i-- > 0;) {
    INFO(docs[i].id);
    CHECK(dump(second.extract(docs[i])) == out[i]);
  }
}

TEST_CASE("a batch extracts exactly what one document at a time does") {
  // extract_batch() runs each rule over the whole batch before the next
  // rule; every document must still get what extract() alone gives it, in
  // any batch, whatever its neighbours (the texts in two different orders and
  // batch sizes, through one extractor reused from batch to batch).
  const RuleSet& rules = egtest::builtin_pack();
  std::vector<Document> docs = inputs();
  std::vector<std::string> alone;
  {
    Extractor one(rules);
    for (const Document& d : docs) alone.push_back(dump(one.extract(d)));
  }
  Extractor batched(rules);
  for (size_t batch : {size_t(1), size_t(7), docs.size()}) {
    for (bool reversed : {false, true}) {
      std::vector<const Document*> order;
      for (const Document& d : docs) order.push_back(&d);
      if (reversed) std::reverse(order.begin(), order.end());
      std::vector<DocAnnotation> out(order.size());
      for (size_t b = 0; b < order.size(); b += batch)
        batched.extract_batch(order.data() + b, std::min(batch, order.size() - b), out.data() + b);
      size_t people = 0;
      for (size_t i = 0; i < order.size(); ++i) {
        size_t k = size_t(order[i] - docs.data());
        INFO(docs[k].id << " batch " << batch << (reversed ? " reversed" : ""));
        CHECK(dump(out[i]) == alone[k]);
        people += out[i].persons.size();
      }
      CHECK(people > 100);
    }
  }
}

TEST_CASE("a reused extractor forgets the previous document") {
  // Each slot of a batch keeps its document state from batch to batch
  // (DocState::reset() keeps the vectors' memory). Nothing of the previous
  // document may leak into the next: here the two texts have the same
  // number of tokens, so per-token memos sized by the token count would look
  // ready for the second text if reset() left them in place.
  const RuleSet& rules = egtest::builtin_pack();
  Document a, b;
  a.id = "a";
  a.text = "Speakers\n\n* Director Adviser, Minister of Policy at the Nordic Digital Institute\n";
  b.id = "b";
  b.text = "Speakers\n\n* Jon Berg, Professor of Law at the Baltic Research Council\n";
  {
    std::vector<Token> ta, tb;
    NormalisedText na, nb;
    normalise(a.text, na);
    normalise(b.text, nb);
    tokenize(na.text, &ta);
    tokenize(nb.text, &tb);
    REQUIRE(ta.size() == tb.size());
  }
  std::string fresh = dump(Extractor(rules).extract(b));
  Extractor reused(rules);
  reused.extract(a);
  CHECK(dump(reused.extract(b)) == fresh);
  std::vector<const Document*> both = {&a, &b};
  std::vector<DocAnnotation> out(2);
  reused.extract_batch(both.data(), 1, out.data());
  reused.extract_batch(both.data() + 1, 1, out.data() + 1);
  CHECK(dump(out[1]) == fresh);
  CHECK(fresh.find("Jon Berg") != std::string::npos);
  CHECK(fresh.find("Professor") != std::string::npos);
}

TEST_CASE("a rule marked as one group around its match has its group equal to its match, on every text") {
  // The extractor asks RE2 for such a rule's match alone and takes the group
  // from it (CompiledRule::group_is_match); here RE2 gives the group itself.
  const RuleSet::Impl& im = egtest::builtin_pack().impl();
  size_t marked = 0, matches = 0;
  for (const auto& r : im.rules) {
    if (!r->group_is_match) continue;
    ++marked;
    REQUIRE(r->re->NumberOfCapturingGroups() == 1);
    for (const Document& d : inputs()) {
      const std::string text = normalised(d).text;
      re2::StringPiece sub[2];
      for (size_t pos = 0; pos <= text.size() && r->re->Match(text, pos, text.size(), RE2::UNANCHORED, sub, 2);) {
        INFO("rule " << r->id << " in " << d.id << " at " << (sub[0].data() - text.data()));
        CHECK(sub[1].data() == sub[0].data());
        CHECK(sub[1].size() == sub[0].size());
        ++matches;
        size_t end = size_t(sub[0].data() - text.data()) + sub[0].size();
        pos = end > pos ? end : pos + 1;
      }
    }
  }
  CHECK(marked >= 3);  // org.head-of, org.name-head, prose.title-name ...
  CHECK(matches > 100);
}
