// The rule language: parsing, macros, capture types, relations, errors that
// name file:line, the built-in pack, gazetteers.
#include <catch2/catch.hpp>

#include "eventgraph/rules.h"
#include "rules/gazetteer.h"
#include "rules/rule_set_impl.h"
#include "testutil/testutil.h"

using namespace eventgraph;

namespace {

Status load_text(const egtest::TempDir& dir, const std::string& name, const std::string& text,
                 std::unique_ptr<RuleSet>* out, RuleOptions opt = {}) {
  egtest::write_file(dir / name, text);
  return RuleSet::load_files({dir / name}, opt, out);
}

// A pack from `text`, which must load and pass its own examples.
std::unique_ptr<RuleSet> load_passing(const std::string& text) {
  egtest::TempDir dir;
  std::unique_ptr<RuleSet> rs;
  Status s = load_text(dir, "pack.rules", text, &rs);
  INFO(s.to_string());
  REQUIRE(s.is_ok());
  CHECK(rs->self_test().empty());
  return rs;
}

}  // namespace

TEST_CASE("RuleSet parses macros, rules, capture types and relations", "[rules]") {
  egtest::TempDir dir;
  std::unique_ptr<RuleSet> rs;
  Status s = load_text(dir, "p.rules",
                       "# a pack\n"
                       "define WORD \\p{Lu}\\p{Ll}+\n"
                       "define NAME {WORD} {WORD}\n"
                       "rule r.one\n"
                       "  priority 7\n"
                       "  pattern (?P<person>{NAME}), (?P<title>[a-z ]+) at (?P<org>{WORD})\n"
                       "  relation person HOLDS_ROLE title\n"
                       "  relation title ROLE_AT org\n"
                       "  example Ana Roe, head at Acme => person=Ana Roe; title=head; org=Acme\n"
                       "  counter nothing here\n",
                       &rs);
  REQUIRE(s.is_ok());
  REQUIRE(rs->rule_count() == 1);
  const CompiledRule& r = *rs->impl().rules[0];
  CHECK(r.id == "r.one");
  CHECK(r.priority == 7);
  REQUIRE(r.capture_types.size() == 3);
  CHECK(r.capture_types[0] == CaptureType::kPerson);
  CHECK(r.capture_types[1] == CaptureType::kRole);
  CHECK(r.capture_types[2] == CaptureType::kOrganization);
  REQUIRE(r.relations.size() == 2);
  CHECK(r.relations[0].type == "HOLDS_ROLE");
  CHECK(rs->self_test().empty());
}

TEST_CASE("A one-class macro splices into a bracket class; \\x{..} is no macro", "[rules]") {
  egtest::TempDir dir;
  std::unique_ptr<RuleSet> rs;
  REQUIRE(load_text(dir, "p.rules",
                    "define LETTER [a-z\\x{E9}]\n"
                    "define CAP [A-Z\\x{C9}]\n"
                    "rule r\n  pattern (?P<person>{CAP}[{LETTER}'-]+ [{CAP}][{LETTER}]+)\n"
                    "  example met \xC3\x89lodie Ro\xC3\xA9 there => person=\xC3\x89lodie Ro\xC3\xA9\n"
                    "  counter met ana roe there\n",
                    &rs)
              .is_ok());
  CHECK(rs->self_test().empty());
  // Negated, and with a POSIX class before the macro.
  REQUIRE(load_text(dir, "q.rules",
                    "define LETTER [a-z]\nrule q\n  pattern x(?P<org>[^[:digit:]{LETTER}])y\n"
                    "  example x-y => org=-\n  counter xay\n  counter x1y\n",
                    &rs)
              .is_ok());
  CHECK(rs->self_test().empty());
  // A macro that is not one class cannot stand inside [...].
  Status s = load_text(dir, "bad.rules", "define WORD [a-z]+\nrule b\n  pattern [{WORD}.]\n", &rs);
  REQUIRE_FALSE(s.is_ok());
  CHECK(s.to_string().find("bad.rules:3") != std::string::npos);
  CHECK(s.to_string().find("not one bracket class") != std::string::npos);
}

TEST_CASE("RuleSet self-test reports a failing example and a matching counter-example", "[rules]") {
  egtest::TempDir dir;
  std::unique_ptr<RuleSet> rs;
  REQUIRE(load_text(dir, "p.rules",
                    "rule r\n  pattern (?P<org>[A-Z]{3})\n"
                    "  example the ABC said => org=XYZ\n  counter and DEF too\n",
                    &rs)
              .is_ok());
  auto findings = rs->self_test();
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].find("p.rules:3") != std::string::npos);
  CHECK(findings[0].find("expected 'XYZ', got 'ABC'") != std::string::npos);
  CHECK(findings[1].find("counter-example matches") != std::string::npos);
}

TEST_CASE("RuleSet errors name file:line and the reason", "[rules]") {
  egtest::TempDir dir;
  std::unique_ptr<RuleSet> rs;
  SECTION("a pattern that does not compile") {
    Status s = load_text(dir, "bad.rules", "rule r\n  pattern (?P<org>[A-Z\n", &rs);
    REQUIRE_FALSE(s.is_ok());
    CHECK(s.message().find("bad.rules:2") != std::string::npos);
    CHECK(s.message().find("missing ]") != std::string::npos);
  }
  SECTION("an unknown capture type") {
    Status s = load_text(dir, "bad.rules", "rule r\n  pattern (?P<thing>x)\n", &rs);
    REQUIRE_FALSE(s.is_ok());
    CHECK(s.message().find("capture 'thing' has no type") != std::string::npos);
    s = load_text(dir, "bad2.rules", "rule r\n  pattern (?P<thing>x)\n  type thing Gizmo\n", &rs);
    REQUIRE_FALSE(s.is_ok());
    CHECK(s.message().find("bad2.rules:3") != std::string::npos);
    CHECK(s.message().find("unknown capture type 'Gizmo'") != std::string::npos);
  }
  SECTION("a duplicate rule id") {
    Status s = load_text(dir, "bad.rules", "rule r\n  pattern a\nrule r\n  pattern b\n", &rs);
    REQUIRE_FALSE(s.is_ok());
    CHECK(s.message().find("bad.rules:3") != std::string::npos);
    CHECK(s.message().find("duplicate rule id 'r'") != std::string::npos);
  }
  SECTION("a macro cycle") {
    Status s = load_text(dir, "bad.rules", "define A x{B}\ndefine B y{A}\nrule r\n  pattern {A}\n", &rs);
    REQUIRE_FALSE(s.is_ok());
    CHECK(s.message().find("macro cycle") != std::string::npos);
    CHECK(s.message().find("bad.rules:") != std::string::npos);
  }
  SECTION("a pattern over the memory budget") {
    RuleOptions opt;
    opt.regex_memory = 64 << 10;
    Status s = load_text(dir, "big.rules", "rule r\n  pattern (?P<org>(?:\\p{L}{1,50} ){1,20})\n", &rs, opt);
    REQUIRE_FALSE(s.is_ok());
    CHECK(s.message().find("big.rules:2") != std::string::npos);
    CHECK(s.message().find("memory budget") != std::string::npos);
  }
  SECTION("the first error in pack order, whatever kind") {
    // (Patterns are expanded first and compiled afterwards, on two threads.)
    Status s = load_text(dir, "bad.rules",
                         "rule a\n  pattern (?P<org>[A-Z\nrule b\n  pattern {NOPE}\nrule c\n  pattern (?P<org>x\n", &rs);
    REQUIRE_FALSE(s.is_ok());
    CHECK(s.message().find("bad.rules:2: rule a: ") != std::string::npos);
    CHECK(s.message().find("missing ]") != std::string::npos);
    s = load_text(dir, "bad2.rules", "rule a\n  pattern {NOPE}\nrule b\n  pattern (?P<org>[A-Z\n", &rs);
    REQUIRE_FALSE(s.is_ok());
    CHECK(s.message().find("bad2.rules:2: rule a: unknown macro {NOPE}") != std::string::npos);
    s = load_text(dir, "bad3.rules", "rule a\n  pattern (?P<org>A)\nrule b\n  pattern (?P<org>B\nrule c\n  pattern {NOPE}\n", &rs);
    REQUIRE_FALSE(s.is_ok());
    CHECK(s.message().find("bad3.rules:4: rule b: ") != std::string::npos);
    CHECK(s.message().find("missing )") != std::string::npos);
  }
  SECTION("an unknown attribute and a relation to an unknown capture") {
    Status s = load_text(dir, "bad.rules", "rule r\n  pattern a\n  colour red\n", &rs);
    REQUIRE_FALSE(s.is_ok());
    CHECK(s.message().find("bad.rules:3: unknown rule attribute 'colour'") != std::string::npos);
    s = load_text(dir, "bad2.rules", "rule r\n  pattern (?P<person>a)\n  relation person HOLDS_ROLE nobody\n", &rs);
    REQUIRE_FALSE(s.is_ok());
    CHECK(s.message().find("unknown capture 'nobody'") != std::string::npos);
  }
}

TEST_CASE("Line rules cannot cross a line; document rules can", "[rules]") {
  load_passing("rule line\n  pattern ^(?P<org>[^,]+),\n  example Acme, Inc => org=Acme\n  counter Acme\\n, and\n"
               "rule doc\n  scope document\n  pattern (?m)^(?P<org>Acme)\\n(?P<place>Paris)$\n"
               "  example Acme\\nParis => org=Acme; place=Paris\n");
  // Escapes that match a line break do not in a line rule: \s, \D, \W, \P{..}, and \s in a class.
  load_passing("rule s\n  pattern (?P<org>Acme)\\s+Inc\n  example Acme  Inc => org=Acme\n  counter Acme\\nInc\n"
               "rule d\n  pattern (?P<org>Acme)\\D+Inc\n  example Acme, Inc => org=Acme\n  counter Acme\\nInc\n"
               "rule w\n  pattern (?P<org>Acme)\\W+Inc\n  example Acme - Inc => org=Acme\n  counter Acme\\n Inc\n"
               "rule p\n  pattern (?P<org>Acme)\\P{L}+Inc\n  example Acme 1 Inc => org=Acme\n  counter Acme\\nInc\n"
               "rule c\n  pattern (?P<org>Acme)[\\s,]+Inc\n  example Acme, Inc => org=Acme\n  counter Acme\\nInc\n");
  egtest::TempDir dir;
  std::unique_ptr<RuleSet> rs;
  // (?s) would let '.' cross: refused in a line rule, fine in a document rule.
  Status s = load_text(dir, "r.rules", "rule dot\n  pattern (?s)(?P<org>Acme).Inc\n", &rs);
  REQUIRE_FALSE(s.is_ok());
  CHECK(s.to_string().find("r.rules:2") != std::string::npos);
  CHECK(load_text(dir, "t.rules", "rule dot\n  scope document\n  pattern (?s)(?P<org>Acme).Inc\n", &rs).is_ok());
}

TEST_CASE("A group that is the whole match is known as such", "[rules]") {
  // The pattern is the group, with only zero-width assertions and flag groups around it.
  for (const char* p : {"(?P<org>Acme)", "(?m)(?P<org>a[)(]b)\\b", "^(?P<x>a(b)c)$", "\\b(?P<x>[]a)])\\B",
                        "\\A(?i)(?P<x>\\Q)(\\E)\\z", "(?P<x>[[:alpha:])]+)", "(?i-s)(?P<x>(?:a|b)+)$"}) {
    INFO(p);
    CHECK(group_spans_match(p));
  }
  // Anything that can match a byte outside the group, make it optional or repeat it.
  for (const char* p : {"(?P<x>a)b", "a(?P<x>b)", "(?P<x>a)?", "(?P<x>a)*", "(?P<x>a){2}", "(?P<x>a)|b",
                        "(?i:(?P<x>a))", "(a)(?P<x>b)", "(?P<x>a)\\\\b", "(?P<x>[)]", "(?P<x>a\\)", "[(](?P<x>a)",
                        "(?P<x>\\Qa)\\E", "", "(?m)"}) {
    INFO(p);
    CHECK_FALSE(group_spans_match(p));
  }
  // A rule is marked when its one group is the match; not with a second group or more around it.
  std::unique_ptr<RuleSet> rs =
      load_passing("rule whole\n  pattern (?P<org>Acme(?: Corp)?)\\b\n  example at Acme Corp. => org=Acme Corp\n"
                   "rule more\n  pattern (?P<org>Acme) Inc\n  example Acme Inc => org=Acme\n"
                   "rule two\n  pattern ^(?P<org>Acme)(?P<place>Paris)$\n  example AcmeParis => org=Acme; place=Paris\n");
  const auto& rules = rs->impl().rules;
  REQUIRE(rules.size() == 3);
  CHECK(rules[0]->group_is_match);
  CHECK_FALSE(rules[1]->group_is_match);
  CHECK_FALSE(rules[2]->group_is_match);
}

TEST_CASE("The built-in pack loads, passes its self-tests and has the taxonomy", "[rules]") {
  std::unique_ptr<RuleSet> rs;
  Status s = RuleSet::load_builtin({}, &rs);
  REQUIRE(s.is_ok());
  CHECK(rs->rule_count() > 30);
  CHECK(rs->taxonomy().find("cybersecurity") != nullptr);
  CHECK(rs->taxonomy().scheme == "digital-policy-topics");
  auto findings = rs->self_test();
  for (auto& f : findings) UNSCOPED_INFO(f);
  CHECK(findings.empty());
}

TEST_CASE("Gazetteer: aliases, adjectives, exact-case acronyms, longest match", "[rules]") {
  Gazetteer g;
  REQUIRE(g.add_file("t.gaz",
                     "@type Place\n@kind Country\nFrance | French Republic | ~French\n"
                     "@type Organization\nWorld Health Organization | WHO\nWorld Bank\n")
              .is_ok());
  CHECK(g.lookup("french republic")->canonical == "France");
  CHECK(g.lookup_adjective("French")->canonical == "France");
  std::string text = "Those who met the WHO and the World Bank Group in France.";
  std::vector<Token> toks;
  tokenize(text, &toks);
  std::vector<GazHit> hits;
  g.match(text, toks, &hits);
  std::vector<std::string> found;
  for (auto& h : hits) found.push_back(text.substr(h.begin, h.end - h.begin));
  CHECK(found == std::vector<std::string>{"WHO", "World Bank", "France"});
  Status bad = g.add_file("bad.gaz", "Paris\n");
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.message().find("bad.gaz:1: entry before any @type line") != std::string::npos);
}
