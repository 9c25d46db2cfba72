// End-to-end tests of the eventgraph binary: help for every subcommand and
// flag, exit codes, byte-identical output at 1 and 2 threads, extract+merge,
// eval against score.py, explain and check-rules.
#include <catch2/catch.hpp>

#include <filesystem>
#include <iterator>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "testutil/testutil.h"

// The flag table itself, so that every flag is tested beside its definition.
#include "cli/flags.cc"

namespace fs = std::filesystem;
using egtest::kBinary;
using egtest::eg;
using egtest::q;
using egtest::run;
using nlohmann::json;

namespace {

const std::string kSamples = egtest::kSourceDir + "/samples";
const std::string kCorpus = egtest::kSharedDir + "/corpus";

}  // namespace

TEST_CASE("help for the program and every subcommand, and the version") {
  auto top = run(eg("--help"));
  CHECK(top.status == 0);
  for (const auto& c : eventgraph::cli::commands()) {
    INFO(c.name);
    CHECK(top.out.find(c.name) != std::string::npos);
    auto h1 = run(eg(std::string(c.name) + " --help"));
    auto h2 = run(eg(std::string("help ") + c.name));
    CHECK(h1.status == 0);
    CHECK(h1.out == h2.out);
    CHECK(h1.out.find(std::string("usage: eventgraph ") + c.name) != std::string::npos);
    // Every flag of this subcommand is documented in its help, and no other.
    for (const auto& f : eventgraph::cli::flags()) {
      INFO(f.name);
      bool listed = h1.out.find(std::string("  ") + f.name + (f.value ? " " : "")) != std::string::npos;
      CHECK(listed == ((f.commands & c.bit) != 0));
    }
  }
  auto v = run(eg("--version"));
  CHECK(v.status == 0);
  CHECK(v.out.find("eventgraph 0.") == 0);
  CHECK(v.out.find("\nallocator: ") != std::string::npos);  // mimalloc or the C library's malloc
  if (v.out.find("allocator: mimalloc") != std::string::npos) {
    // The binary's decommit delays (src/cli/main.cc), and the environment's win.
    CHECK(v.out.find("after 2000 ms unused, 2000 ms a segment") != std::string::npos);
    auto e = run("MIMALLOC_DECOMMIT_DELAY=30 MIMALLOC_SEGMENT_DECOMMIT_DELAY=40 " + eg("--version"));
    CHECK(e.out.find("after 30 ms unused, 40 ms a segment") != std::string::npos);
  }
  CHECK(run(eg("")).status == 2);
  CHECK(run(eg("frobnicate")).status == 2);
  CHECK(run(eg("help frobnicate")).status == 2);
}

TEST_CASE("every flag with a value rejects a bad one (exit 2) before reading input") {
  struct Bad {
    const char* flag;
    const char* value;
  };
  const Bad bad[] = {{"--threads", "two"},          {"--threads", "-1"},        {"--format", "graphml,csv"},
                     {"--format", ","},             {"--input-format", "xml"},  {"--max-doc-bytes", "0"},
                     {"--max-doc-bytes", "1k"},     {"--regex-memory", "lots"}, {"--out", ""},
                     {"--pipeline", ""}};
  for (const Bad& b : bad) {
    INFO(b.flag << " " << b.value);
    auto r = run(eg(std::string("run ") + b.flag + "=" + q(b.value) + " /nonexistent-input"));
    CHECK(r.status == 2);
    CHECK(r.out.find(b.flag) != std::string::npos);
    CHECK(r.out.find("eventgraph: error:") != std::string::npos);
  }
  // Unknown flags, flags of another subcommand, a missing value, a missing input.
  CHECK(run(eg("run --frob x.txt")).status == 2);
  CHECK(run(eg("run --gold d x.txt")).status == 2);
  CHECK(run(eg("run x.txt --threads")).status == 2);
  CHECK(run(eg("run")).status == 2);
  CHECK(run(eg("run --strict=yes x.txt")).status == 2);
  CHECK(run(eg("run --out a --out b x.txt")).status == 2);
  CHECK(run(eg("extract x.txt")).status == 2);  // --fragments is required
  CHECK(run(eg("eval")).status == 2);           // --gold is required
  // Every flag of the table checks its value the same way in process.
  for (const auto& f : eventgraph::cli::flags()) {
    if (!f.check) continue;
    INFO(f.name);
    CHECK_FALSE(f.check("").empty());
  }
}

TEST_CASE("exit codes: missing input, bad pipeline, --strict with a skipped file") {
  egtest::TempDir tmp;
  auto missing = run(eg("run --out " + q(tmp / "o") + " " + q(tmp / "no-such.txt")));
  CHECK(missing.status == 2);
  CHECK(missing.out.find("no-such.txt") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "o/graph.graphml"));

  egtest::write_file(tmp / "bad.json", R"({"name": "x", "exporter": ["graphml"]})");
  egtest::write_file(tmp / "in/a.txt", "The workshop was moderated by Jane Example, Director at Example Institute.\n");
  auto bad = run(eg("run --pipeline " + q(tmp / "bad.json") + " --out " + q(tmp / "o") + " " + q(tmp / "in")));
  CHECK(bad.status == 2);
  CHECK(bad.out.find("bad.json") != std::string::npos);
  CHECK(bad.out.find("\"exporter\"") != std::string::npos);

  egtest::write_file(tmp / "in/empty.txt", "");
  auto lax = run(eg("run --out " + q(tmp / "o") + " " + q(tmp / "in")));
  INFO(lax.out);
  CHECK(lax.status == 0);
  CHECK(lax.out.find("empty.txt") != std::string::npos);
  CHECK(lax.out.find("1 documents read, 1 skipped") != std::string::npos);
  CHECK(fs::exists(tmp / "o/graph.graphml"));
  CHECK(fs::exists(tmp / "o/graph.jsonld"));
  auto strict = run(eg("run --strict --quiet --out " + q(tmp / "o2") + " " + q(tmp / "in")));
  CHECK(strict.status == 1);
  CHECK(strict.out.find("documents read") == std::string::npos);  // --quiet: no summary
  CHECK(fs::exists(tmp / "o2/graph.graphml"));  // the graph is still written

  // An output folder that cannot be created.
  egtest::write_file(tmp / "file", "x");
  CHECK(run(eg("run --out " + q(tmp / "file/sub") + " " + q(tmp / "in/a.txt"))).status == 2);
}

TEST_CASE("a broken rule stops the run before any input is read, naming file:line") {
  egtest::TempDir tmp;
  fs::copy(egtest::kSourceDir + "/rules", tmp / "rules", fs::copy_options::recursive);
  // A rule file whose patterns cannot compile (unbalanced parenthesis).
  egtest::write_file(tmp / "rules/zz_broken.rules", "rule broken.unclosed\n  priority 10\n  pattern (?P<person>(unclosed\n");
  auto r = run(eg("run --rules " + q(tmp / "rules") + " --out " + q(tmp / "o") + " " + q(kSamples)));
  INFO(r.out);
  CHECK(r.status == 2);
  CHECK(r.out.find("zz_broken.rules:") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "o/graph.graphml"));
}

TEST_CASE("run on samples/ is byte-identical at 1 and 2 threads") {
  egtest::TempDir tmp;
  auto one = run(eg("run --threads 1 --out " + q(tmp / "one") + " " + q(kSamples)));
  auto two = run(eg("run --threads 2 --timings --out " + q(tmp / "two") + " " + q(kSamples)));
  INFO(one.out);
  REQUIRE(one.status == 0);
  REQUIRE(two.status == 0);
  CHECK(one.out.find("documents read") != std::string::npos);
  CHECK(one.out.find("entities:") != std::string::npos);
  CHECK(one.out.find("MB/s") != std::string::npos);
  // --timings names every stage (and changes nothing in the outputs).
  CHECK(one.out.find("timing:") == std::string::npos);
  for (const char* stage : {"timing: rules ", "timing: read ", "timing: extract ", "timing: merge ",
                            "timing: export graphml ", "timing: export jsonld ", "timing: exports (wall",
                            "timing: peak RSS "}) {
    INFO(stage);
    CHECK(two.out.find(stage) != std::string::npos);
  }
  std::string g1 = egtest::read_file(tmp / "one/graph.graphml");
  std::string j1 = egtest::read_file(tmp / "one/graph.jsonld");
  CHECK(g1.size() > 1000);
  CHECK(g1.find("<graphml") != std::string::npos);
  CHECK(json::parse(j1).is_object());
  CHECK(g1 == egtest::read_file(tmp / "two/graph.graphml"));
  CHECK(j1 == egtest::read_file(tmp / "two/graph.jsonld"));
  // Same through stdin for one file, and with --format.
  auto gexf = run(eg("run --quiet --format gexf --out " + q(tmp / "gx") + " - < " + q(kSamples + "/a_bullet_list.txt")));
  CHECK(gexf.status == 0);
  CHECK(fs::exists(tmp / "gx/graph.gexf"));
  CHECK_FALSE(fs::exists(tmp / "gx/graph.graphml"));
}

TEST_CASE("outputs written with O_DIRECT from their fifth block are the bytes of buffered ones") {
  // EVENTGRAPH_DIRECT_IO=16384: every output file past 16 KiB goes out with
  // O_DIRECT (where the file system takes it), in every format.
  egtest::TempDir tmp;
  const std::string formats = "graphml,jsonld,gexf,neo4j,cypher,kuzu,fragments";
  auto direct = run("EVENTGRAPH_DIRECT_IO=16384 " +
                    eg("run --quiet --threads 2 --format " + formats + " --out " + q(tmp / "direct") + " " + q(kSamples)));
  auto buffered = run("EVENTGRAPH_DIRECT_IO=0 " +
                      eg("run --quiet --threads 2 --format " + formats + " --out " + q(tmp / "buffered") + " " + q(kSamples)));
  REQUIRE(direct.status == 0);
  REQUIRE(buffered.status == 0);
  size_t files = 0, past_threshold = 0;
  for (const auto& e : fs::recursive_directory_iterator(tmp / "buffered")) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), tmp / "buffered").string();
    INFO(rel);
    const std::string want = egtest::read_file(e.path().string());
    CHECK(egtest::read_file(tmp / ("direct/" + rel)) == want);
    ++files;
    if (want.size() >= 16384 + 2 * 4096) ++past_threshold;
  }
  CHECK(files >= 7);
  CHECK(past_threshold >= 2);  // graphml and gexf at least: the direct path ran
}

TEST_CASE("extract on two shards + merge equals one run") {
  egtest::TempDir tmp;
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(kCorpus + "/dev")) {
    if (e.path().extension() == ".txt") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 4);
  std::string a, b, all;
  for (size_t i = 0; i < files.size(); ++i) {
    (i % 2 ? b : a) += " " + q(files[i]);
    all += " " + q(files[i]);
  }
  REQUIRE(run(eg("extract --quiet --fragments " + q(tmp / "f/a.jsonl") + a)).status == 0);
  REQUIRE(run(eg("extract --quiet --threads 2 --fragments " + q(tmp / "f/b.jsonl") + b)).status == 0);
  auto m = run(eg("merge --out " + q(tmp / "m") + " " + q(tmp / "f/b.jsonl") + " " + q(tmp / "f/a.jsonl")));
  INFO(m.out);
  REQUIRE(m.status == 0);
  REQUIRE(run(eg("run --quiet --out " + q(tmp / "r") + all)).status == 0);
  CHECK(egtest::read_file(tmp / "m/graph.graphml") == egtest::read_file(tmp / "r/graph.graphml"));
  CHECK(egtest::read_file(tmp / "m/graph.jsonld") == egtest::read_file(tmp / "r/graph.jsonld"));
  CHECK(run(eg("merge --out " + q(tmp / "m") + " " + q(tmp / "f/none.jsonl"))).status == 2);
}

TEST_CASE("eval prints what score.py prints for the predictions it writes") {
  egtest::TempDir tmp;
  auto js = run(eg("eval --gold " + q(kCorpus + "/dev") + " --json --write-pred " + q(tmp / "pred")));
  INFO(js.out);
  REQUIRE(js.status == 0);
  auto py = run("/usr/bin/python3 " + q(kCorpus + "/score.py") + " " + q(kCorpus + "/dev") + " " + q(tmp / "pred") +
                " --json");
  REQUIRE(py.status == 0);
  CHECK(js.out == py.out);
  json scores = json::parse(js.out);
  CHECK(scores["documents"].get<int>() > 5);
  CHECK(scores["scores"]["persons"]["tp"].get<int>() > 0);

  auto table = run(eg("eval --gold " + q(kCorpus + "/dev") + " --per-doc"));
  auto pytable = run("/usr/bin/python3 " + q(kCorpus + "/score.py") + " " + q(kCorpus + "/dev") + " " +
                     q(tmp / "pred") + " --per-doc");
  CHECK(table.status == 0);
  CHECK(table.out == pytable.out);

  // A top-level gold file (seed.gold.json beside seed.txt) works as a folder or as one file.
  auto seed = run(eg("eval --gold " + q(kCorpus) + " --json --write-pred " + q(tmp / "seedpred")));
  REQUIRE(seed.status == 0);
  CHECK(json::parse(seed.out)["documents"] == 1);
  CHECK(fs::exists(tmp / "seedpred/seed.pred.json"));
  auto one = run(eg("eval --gold " + q(kCorpus + "/seed.gold.json") + " --json"));
  CHECK(one.out == seed.out);
  CHECK(run(eg("eval --gold " + q(tmp / "nothing"))).status == 2);
}

TEST_CASE("explain marks spans with their rules, as text and JSON") {
  auto text = run(eg("explain " + q(kCorpus + "/seed.txt")));
  INFO(text.out);
  REQUIRE(text.status == 0);
  CHECK(text.out.find("[[Person:") != std::string::npos);
  CHECK(text.out.find("TYPE") != std::string::npos);
  CHECK(text.out.find("RULE") != std::string::npos);
  auto js = run(eg("explain --json " + q(kCorpus + "/seed.txt")));
  REQUIRE(js.status == 0);
  json j = json::parse(js.out);
  REQUIRE(j["spans"].is_array());
  REQUIRE_FALSE(j["spans"].empty());
  for (const auto& s : j["spans"]) {
    CHECK_FALSE(s["rule"].get<std::string>().empty());
    CHECK(s["end"].get<int>() >= s["begin"].get<int>());
  }
  CHECK(j["annotation"]["persons"].is_array());
  CHECK_FALSE(j["annotation"]["persons"].empty());
  CHECK(run(eg("explain /nonexistent.txt")).status == 2);
}

TEST_CASE("check-rules passes on rules/ and on the built-in pack") {
  auto builtin = run(eg("check-rules"));
  INFO(builtin.out);
  CHECK(builtin.status == 0);
  auto files = run(eg("check-rules " + q(egtest::kSourceDir + "/rules")));
  INFO(files.out);
  CHECK(files.status == 0);
  CHECK(files.out.find("0 findings") != std::string::npos);
  CHECK(run(eg("check-rules /nonexistent.rules")).status == 2);
}

TEST_CASE("run and extract with --rule-stats count each rule's documents, scans and matches, and changes no output") {
  egtest::TempDir tmp;
  egtest::write_file(tmp / "a.rules",
                     "rule a.word\n  priority 90\n  pattern (?P<org>Zorblat)\n\n"
                     "rule b.never\n  priority 90\n  pattern (?P<org>Quuxwidget)\n");
  // "Zorblat" three times, on one line of d1 and one of d3; never in d2.
  egtest::write_file(tmp / "in.jsonl",
                     "{\"id\":\"d1\",\"text\":\"Acme and Zorblat met Zorblat.\\nA second line.\\n\"}\n"
                     "{\"id\":\"d2\",\"text\":\"Nothing here at all.\\n\"}\n"
                     "{\"id\":\"d3\",\"text\":\"First line.\\nZorblat again.\\n\"}\n");
  std::string common = "--rules ";
  common += q(tmp / "a.rules");
  common += " --threads 2 ";
  const std::string input = q(tmp / "in.jsonl");
  auto run_with = [&](std::string cmd) {
    cmd += ' ';
    cmd += common;
    cmd += ' ';
    cmd += input;
    return run(eg(cmd));
  };
  auto with = run_with("run --quiet --rule-stats --out " + q(tmp / "with"));
  auto without = run_with("run --quiet --out " + q(tmp / "without"));
  INFO(with.out);
  REQUIRE(with.status == 0);
  REQUIRE(without.status == 0);
  CHECK(without.out.find("rule stats") == std::string::npos);
  CHECK(with.out.find("rule stats: 2 rules") != std::string::npos);
  // rule, file:line, docs, scans, MB, matches, ...
  auto row = [&](const std::string& id) {
    std::istringstream in(with.out);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream f(line);
      std::vector<std::string> w{std::istream_iterator<std::string>(f), std::istream_iterator<std::string>()};
      if (!w.empty() && w[0] == id) return w;
    }
    return std::vector<std::string>{};
  };
  std::vector<std::string> a = row("a.word"), b = row("b.never");
  REQUIRE(a.size() == 10);
  REQUIRE(b.size() == 10);
  // seconds (6), then share, MB/s and the part of the seconds spent handling matches (9).
  CHECK(std::stod(a[9]) >= 0);
  CHECK(std::stod(a[9]) <= std::stod(a[6]));
  CHECK(b[9] == "0.000");  // no match to handle
  CHECK(a[1] == "a.rules:1");
  CHECK(a[2] == "2");  // the prefilter keeps it off d2
  CHECK(a[3] == "2");  // one line each in d1 and d3
  CHECK(a[5] == "3");
  CHECK(b[1] == "a.rules:5");
  CHECK(b[2] == "0");
  CHECK(b[5] == "0");
  // The slowest rule first: the one that never ran is last.
  CHECK(with.out.find("a.word") < with.out.find("b.never"));
  CHECK(egtest::read_file(tmp / "with/graph.graphml") == egtest::read_file(tmp / "without/graph.graphml"));
  CHECK(egtest::read_file(tmp / "with/graph.jsonld") == egtest::read_file(tmp / "without/graph.jsonld"));
  // extract takes it too.
  auto ex = run_with("extract --quiet --rule-stats --fragments " + q(tmp / "f.jsonl"));
  CHECK(ex.status == 0);
  CHECK(ex.out.find("a.word") != std::string::npos);
}
