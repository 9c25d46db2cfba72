// Hostile rule packs (issue 5): each broken pack is a clear error naming
// file:line and the reason, exit 2, before any input is read and before the
// output folder is touched. Checked through RuleSet::load_files and the CLI.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "eventgraph/rules.h"
#include "testutil/testutil.h"

namespace fs = std::filesystem;
using egtest::eg;
using egtest::has;
using egtest::q;
using egtest::run;

namespace {


struct Case {
  const char* name;
  std::string rules;   // content of x.rules
  int line;            // the line the error must name
  const char* reason;  // a piece of the reason
  int64_t regex_memory = 8 << 20;
};

std::vector<Case> cases() {
  return {
      {"pattern that does not compile", "# broken\n\nrule a.unclosed\n  pattern (?P<person>(unclosed\n", 4, "missing )"},
      {"unknown capture type", "rule a.bogus\n  priority 5\n  pattern (?P<bogus>\\w+)\n", 3, "bogus"},
      {"duplicate rule id",
       "rule a.dup\n  pattern (?P<person>Foo)\n\nrule a.other\n  pattern (?P<person>Bar)\n\nrule a.dup\n  pattern "
       "(?P<person>Baz)\n",
       7, "duplicate rule id"},
      {"macro cycle", "define A x{B}\ndefine B y{C}\ndefine C {A}\nrule a.m\n  pattern (?P<person>{A})\n", 1,
       "macro cycle"},
      {"macro that refers to itself", "define SELF a{SELF}\nrule a.m\n  pattern (?P<person>{SELF})\n", 1,
       "macro cycle"},
      {"unknown macro", "rule a.m\n  pattern (?P<person>{NOPE})\n", 2, "unknown macro"},
      {"pattern over the regex memory budget", "rule a.big\n  pattern (?P<person>(?:\\p{L}\\p{Lu}){100})\n", 2,
       "memory budget", 100000},
      {"nested counted repetition", "rule a.rep\n  pattern (?P<person>(?:a{1,1000}){1,1000})\n", 2,
       "repetition"},
      {"unknown attribute", "rule a.attr\n  pattern (?P<person>x)\n  colour blue\n", 3, "unknown rule attribute"},
      {"garbage bytes", "\xff\xfe\x00junk\n", 1, "expected"},
  };
}

}  // namespace

TEST_CASE("hostile rule packs fail in RuleSet::load_files with file:line and the reason") {
  for (const auto& c : cases()) {
    DYNAMIC_SECTION(c.name) {
      egtest::TempDir tmp;
      egtest::write_file(tmp / "x.rules", c.rules);
      eventgraph::RuleOptions ro;
      ro.regex_memory = c.regex_memory;
      std::unique_ptr<eventgraph::RuleSet> rules;
      eventgraph::Status st = eventgraph::RuleSet::load_files({tmp / "x.rules"}, ro, &rules);
      INFO(st.message());
      REQUIRE_FALSE(st.is_ok());
      CHECK(st.kind() == eventgraph::Status::Kind::kRuleError);
      CHECK(has(st.message(), "x.rules:" + std::to_string(c.line) + ":"));
      CHECK(has(st.message(), c.reason));
    }
  }
}

TEST_CASE("hostile rule packs stop the CLI with exit 2 before input is read or output touched") {
  for (const auto& c : cases()) {
    DYNAMIC_SECTION(c.name) {
      egtest::TempDir tmp;
      egtest::write_file(tmp / "rules/x.rules", c.rules);
      // The input would block forever if it were opened (a FIFO nobody
      // writes) and the output folder holds a previous good result.
      REQUIRE(mkfifo((tmp / "in.txt").c_str(), 0644) == 0);
      egtest::write_file(tmp / "o/graph.graphml", "previous");
      std::string mem = c.regex_memory != (8 << 20) ? " --regex-memory " + std::to_string(c.regex_memory) : "";
      auto r = run("timeout 60 " + eg("run" + mem + " --rules " + q(tmp / "rules") + " --out " + q(tmp / "o") +
                                      " " + q(tmp / "in.txt")));
      INFO(r.out);
      CHECK(r.status == 2);
      CHECK(has(r.out, "x.rules:" + std::to_string(c.line) + ":"));
      CHECK(has(r.out, c.reason));
      CHECK(egtest::read_file(tmp / "o/graph.graphml") == "previous");
      CHECK_FALSE(fs::exists(tmp / "o/graph.jsonld"));
      // check-rules says the same.
      auto cr = run(eg("check-rules" + mem + " " + q(tmp / "rules")));
      INFO(cr.out);
      CHECK(cr.status == 2);
      CHECK(has(cr.out, "x.rules:" + std::to_string(c.line) + ":"));
    }
  }
}

TEST_CASE("the same big pattern loads under the default regex memory budget") {
  egtest::TempDir tmp;
  egtest::write_file(tmp / "x.rules", "rule a.big\n  pattern (?P<person>(?:\\p{L}\\p{Lu}){100})\n");
  std::unique_ptr<eventgraph::RuleSet> rules;
  eventgraph::Status st = eventgraph::RuleSet::load_files({tmp / "x.rules"}, {}, &rules);
  INFO(st.message());
  CHECK(st.is_ok());
}
