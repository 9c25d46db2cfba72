// Hostile inputs through the CLI and the library (issue 5): invalid UTF-8,
// NUL and binary files, empty files, malformed JSONL, unreadable entries,
// symlink loops, FIFOs. Each case: what is reported (file, line, reason), the
// summary count, the exit status (0, 1 with --strict), outputs that parse.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include <nlohmann/json.hpp>

#include "eventgraph/diagnostics.h"
#include "eventgraph/extractor.h"
#include "eventgraph/normaliser.h"
#include "eventgraph/reader.h"
#include "eventgraph/rules.h"
#include "hostile/xml_check.h"
#include "testutil/testutil.h"

namespace fs = std::filesystem;
using egtest::eg;
using egtest::has;
using egtest::q;
using egtest::run;

namespace {


const std::string kGood = "Jane Roe, CEO of Acme Corp, spoke in Berlin at the Open Data Summit 2024.\n";

// Both default outputs exist and parse.
void check_outputs(const std::string& dir) {
  std::string gml = egtest::read_file(dir + "/graph.graphml");
  std::string jld = egtest::read_file(dir + "/graph.jsonld");
  REQUIRE_FALSE(gml.empty());
  REQUIRE_FALSE(jld.empty());
  CHECK(egtest::xml_wellformed(gml) == "");
  CHECK(nlohmann::json::accept(jld));
}

std::string summary_line(const std::string& out) {
  size_t p = out.find(" documents read, ");
  if (p == std::string::npos) return "";
  size_t b = out.rfind('\n', p);
  size_t e = out.find('\n', p);
  return out.substr(b == std::string::npos ? 0 : b + 1, e - (b == std::string::npos ? 0 : b + 1));
}

}  // namespace

TEST_CASE("invalid UTF-8 is replaced and offsets still point at the raw bytes") {
  // Stray continuation bytes, an overlong form, a CESU lone surrogate, U+FFFE,
  // a truncated sequence at the very end.
  const std::string raw = "\x80\xC0\xAF Intro \xED\xA0\x80 \xEF\xBF\xBE. " + kGood + "tail \xE2\x82";
  eventgraph::NormalisedText nt;
  eventgraph::normalise(raw, nt);
  CHECK(nt.invalid_utf8 >= 4);
  CHECK(egtest::xml_wellformed("<a>" + nt.text + "</a>") == "");  // valid UTF-8, XML chars only
  REQUIRE(nt.offsets.size() == nt.text.size() + 1);
  size_t at = nt.text.find("Acme Corp");
  REQUIRE(at != std::string::npos);
  auto [b, e] = nt.to_raw(at, at + 9);
  CHECK(raw.substr(b, e - b) == "Acme Corp");

  // Through the extractor: provenance offsets index the raw text.
  std::unique_ptr<eventgraph::RuleSet> rules;
  REQUIRE(eventgraph::RuleSet::load_builtin({}, &rules).is_ok());
  eventgraph::Extractor ex(*rules);
  eventgraph::Document doc;
  doc.id = "bad-utf8";
  doc.text = raw;
  eventgraph::DocAnnotation ann = ex.extract(doc);
  size_t checked = 0;
  for (const auto& o : ann.organizations) {
    for (const auto& m : o.mentions) {
      REQUIRE(m.end <= raw.size());
      REQUIRE(m.begin <= m.end);
      std::string surface = raw.substr(m.begin, m.end - m.begin);
      INFO(surface);
      CHECK(has(surface, "Acme"));
      ++checked;
    }
  }
  CHECK(checked >= 1);

  // Through the CLI: completes, outputs parse.
  egtest::TempDir tmp;
  egtest::write_file(tmp / "bad.txt", raw);
  auto r = run(eg("run --out " + q(tmp / "o") + " " + q(tmp / "bad.txt")));
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(has(summary_line(r.out), "1 documents read, 0 skipped"));
  check_outputs(tmp / "o");
}

TEST_CASE("NUL bytes and binary files are skipped as binary, reported and counted") {
  egtest::TempDir tmp;
  egtest::write_file(tmp / "in/a_good.txt", kGood);
  egtest::write_file(tmp / "in/b_nul.txt", std::string("Some text\0with a NUL", 20));
  std::string bin(64 * 1024, '\0');
  std::mt19937 rng(5);
  for (auto& c : bin) c = static_cast<char>(rng());
  egtest::write_file(tmp / "in/c_random.txt", bin);
  egtest::write_file(tmp / "in/d.jsonl", "{\"id\":\"n\",\"text\":\"nul \\u0000 inside \\u0001 a \\uFFFE string\"}\n");

  auto r = run(eg("run --out " + q(tmp / "o") + " " + q(tmp / "in")));
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(has(r.out, "b_nul.txt: binary file (skipped)"));
  CHECK(has(r.out, "c_random.txt: binary file (skipped)"));
  // A NUL inside a JSONL text makes that document binary: named by line.
  CHECK(has(r.out, "d.jsonl:1: document n: binary document (skipped)"));
  CHECK(has(summary_line(r.out), "1 documents read, 3 skipped"));
  check_outputs(tmp / "o");

  auto s = run(eg("run --strict --quiet --out " + q(tmp / "o2") + " " + q(tmp / "in")));
  CHECK(s.status == 1);
  CHECK(fs::exists(tmp / "o2/graph.graphml"));  // --strict still writes the graph
}

TEST_CASE("empty and blank files are skipped and reported, an all-empty run still exits 0") {
  egtest::TempDir tmp;
  egtest::write_file(tmp / "in/empty.txt", "");
  egtest::write_file(tmp / "in/blank.md", " \n\t\n\n");
  egtest::write_file(tmp / "in/empty.jsonl", "");
  auto r = run(eg("run --out " + q(tmp / "o") + " " + q(tmp / "in")));
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(has(r.out, "empty.txt"));
  CHECK(has(r.out, "blank.md"));
  CHECK(has(r.out, "empty document"));
  CHECK(has(summary_line(r.out), "0 documents read, 2 skipped"));
  check_outputs(tmp / "o");
  CHECK(run(eg("run --strict --quiet --out " + q(tmp / "o") + " " + q(tmp / "in"))).status == 1);
}

TEST_CASE("truncated and malformed JSONL: each bad line named by number, the rest read") {
  egtest::TempDir tmp;
  std::string jsonl;
  jsonl += "{\"id\":\"a\",\"text\":\"" + std::string("Jane Roe spoke in Berlin.") + "\"}\n";  // 1 ok
  jsonl += "{\"id\":\"b\",\"text\":\n";                                                      // 2 truncated
  jsonl += "[\"not\", \"an\", \"object\"]\n";                                                 // 3 array
  jsonl += "42\n";                                                                           // 4 number
  jsonl += "{\"id\":\"e\"}\n";                                                               // 5 no text
  jsonl += "{\"id\":\"f\",\"text\":7}\n";                                                    // 6 text not a string
  jsonl += "{\"id\":\"g\",\"text\":\"\"}\n";                                                 // 7 empty text
  jsonl += "{\"id\":\"h\",\"text\":\"lone \\ud800 surrogate\"}\n";                            // 8 bad escape
  jsonl += "{\"id\":\"i\",\"text\":\"raw \x01 control\"}\n";                                  // 9 raw control char
  jsonl += "\n";                                                                             // 10 blank: ignored
  jsonl += "{\"id\":\"j\",\"text\":\"Acme Corp met in Paris.\"}\n";                           // 11 ok
  jsonl += "{\"id\":\"k\",\"text\":\"cut off in the mid";                                     // 12 truncated file
  egtest::write_file(tmp / "bad.jsonl", jsonl);

  auto r = run(eg("run --out " + q(tmp / "o") + " " + q(tmp / "bad.jsonl")));
  INFO(r.out);
  CHECK(r.status == 0);
  for (int line : {2, 3, 4, 5, 6, 7, 8, 9, 12}) {
    INFO("line " << line);
    CHECK(has(r.out, "bad.jsonl:" + std::to_string(line) + ": "));
  }
  CHECK_FALSE(has(r.out, "bad.jsonl:1: "));
  CHECK_FALSE(has(r.out, "bad.jsonl:10: "));
  CHECK_FALSE(has(r.out, "bad.jsonl:11: "));
  CHECK(has(r.out, "not a JSON object"));
  CHECK(has(r.out, "missing \"text\""));
  CHECK(has(r.out, "\"text\" is not a string"));
  CHECK(has(summary_line(r.out), "2 documents read, 9 skipped"));
  check_outputs(tmp / "o");
  auto docs = nlohmann::json::parse(egtest::read_file(tmp / "o/graph.jsonld"));
  int creative_works = 0;
  for (const auto& n : docs["@graph"])
    if (n["@type"] == "CreativeWork") ++creative_works;
  CHECK(creative_works == 2);

  CHECK(run(eg("run --strict --quiet --out " + q(tmp / "o") + " " + q(tmp / "bad.jsonl"))).status == 1);
}

TEST_CASE("JSONL read through the library reports file and line to the Reporter") {
  egtest::TempDir tmp;
  egtest::write_file(tmp / "x.jsonl", "{\"id\":\"1\",\"text\":\"ok\"}\n{\"id\":2,\"text\":\"x\"}\n[]\n{\"text\":\"no id\"}\n");
  eventgraph::CollectingReporter rep;
  std::unique_ptr<eventgraph::DocumentSource> src;
  REQUIRE(eventgraph::open_sources({tmp / "x.jsonl"}, {}, &rep, &src).is_ok());
  eventgraph::Document d;
  int n = 0;
  while (src->next(d)) ++n;
  auto problems = rep.problems();
  INFO(problems.size());
  CHECK(n + rep.skipped() == 4);
  bool line3 = false;
  for (const auto& p : problems) {
    CHECK(p.file == tmp / "x.jsonl");
    CHECK(p.line >= 2);
    CHECK_FALSE(p.reason.empty());
    if (p.line == 3) line3 = true;
  }
  CHECK(line3);
}

TEST_CASE("unreadable entries: dangling symlinks, a folder named like a file, a FIFO") {
  egtest::TempDir tmp;
  egtest::write_file(tmp / "in/good.txt", kGood);
  fs::create_symlink(tmp / "nowhere.txt", tmp / "in/dangling.txt");
  fs::create_directories(tmp / "in/folder.txt");  // a folder where a file is expected
  egtest::write_file(tmp / "in/folder.txt/inner.txt", "Acme Corp met in Paris.\n");
  REQUIRE(mkfifo((tmp / "in/pipe.txt").c_str(), 0644) == 0);  // would block a naive reader forever

  auto r = run("timeout 60 " + eg("run --out " + q(tmp / "o") + " " + q(tmp / "in")));
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(has(r.out, "dangling.txt: "));
  CHECK(has(r.out, "pipe.txt: not a regular file (skipped)"));
  CHECK(has(summary_line(r.out), "2 documents read, 2 skipped"));
  check_outputs(tmp / "o");

  // A dangling symlink given as an input is a configuration error (exit 2)
  // before any output is touched.
  auto d = run(eg("run --out " + q(tmp / "o3") + " " + q(tmp / "in/dangling.txt")));
  INFO(d.out);
  CHECK(d.status == 2);
  CHECK(has(d.out, "dangling.txt"));
  CHECK_FALSE(fs::exists(tmp / "o3"));
  // So is a path that does not exist at all, next to a good one.
  auto m = run(eg("run --out " + q(tmp / "o4") + " " + q(tmp / "in/good.txt") + " " + q(tmp / "missing.txt")));
  CHECK(m.status == 2);
  CHECK(has(m.out, "missing.txt"));
  CHECK_FALSE(fs::exists(tmp / "o4"));
}

TEST_CASE("symlink loops in a folder are reported and not followed") {
  egtest::TempDir tmp;
  egtest::write_file(tmp / "in/good.txt", kGood);
  fs::create_directory_symlink(tmp / "in", tmp / "in/self");      // points at its own folder
  fs::create_directories(tmp / "in/sub");
  fs::create_directory_symlink("..", tmp / "in/sub/up");          // sub/up -> in
  fs::create_symlink(tmp / "in/b.txt", tmp / "in/a.txt");         // a -> b -> a (ELOOP)
  fs::create_symlink(tmp / "in/a.txt", tmp / "in/b.txt");
  auto r = run("timeout 60 " + eg("run --out " + q(tmp / "o") + " " + q(tmp / "in")));
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(has(r.out, "symlink loop"));
  CHECK(has(r.out, "a.txt"));
  CHECK(has(r.out, "b.txt"));
  CHECK(has(summary_line(r.out), "1 documents read"));  // good.txt once, not once per loop
  check_outputs(tmp / "o");
}

TEST_CASE("control characters, lone surrogates and U+FFFE anywhere still give valid GraphML and JSON-LD") {
  egtest::TempDir tmp;
  // In ids, titles, urls (JSON escapes) and in the text; in a file name.
  egtest::write_file(tmp / "in/a.jsonl",
                     "{\"id\":\"x\\u0001\\uFFFE\\u0000y\\ud83d\\ude00<&>\\\"'\",\"title\":\"t\\u001f\\uffff</data>\","
                     "\"url\":\"http://e.org/\\u0008]]>\",\"text\":\"Jane Roe, CEO of Acme\\u0002 Corp, in Berlin "
                     "\\uFFFE\\u007f\\u0085.\"}\n");
  egtest::write_file(tmp / "in/" + std::string("n\x01\xff\xfe\x7f&<.txt"),
                     "Jane Roe, CEO of Acme Corp \xED\xA0\x80\xEF\xBF\xBF\x1b[0m, spoke in Berlin.\n");
  auto r = run(eg("run --format graphml,jsonld,gexf,fragments --out " + q(tmp / "o") + " " + q(tmp / "in")));
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(has(summary_line(r.out), "2 documents read, 0 skipped"));
  check_outputs(tmp / "o");
  CHECK(egtest::xml_wellformed(egtest::read_file(tmp / "o/graph.gexf")) == "");
  std::istringstream frag(egtest::read_file(tmp / "o/graph.fragments.jsonl"));
  std::string line;
  int lines = 0;
  while (std::getline(frag, line)) {
    CHECK(nlohmann::json::accept(line));
    ++lines;
  }
  CHECK(lines > 2);
}
