// Faults around the outputs (issue 5): an output folder that cannot be
// written (exit 2 before input is read), a disk that fills up mid-write
// (RLIMIT_FSIZE), SIGINT/SIGTERM mid-run and mid-write. In every case the
// previous outputs stay as they were, no partial file sits under a final
// name and no temporary is left behind.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "hostile/xml_check.h"
#include "testutil/testutil.h"

extern char** environ;

namespace fs = std::filesystem;
using egtest::eg;
using egtest::has;
using egtest::q;
using egtest::run;

namespace {


// Names in `dir` that are not final output names (temporaries, probes).
std::vector<std::string> leftovers(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind(".", 0) == 0 || has(name, ".tmp")) out.push_back(e.path().string());
  }
  return out;
}

// `n` documents with long ids, so that the outputs are large (slow to write)
// while extraction stays cheap.
std::string big_output_jsonl(int n, size_t id_len) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += "{\"id\":\"" + std::to_string(i) + "-" + std::string(id_len, 'a' + i % 26) + "\",\"text\":\"Meeting " +
         std::to_string(i) + " in Berlin.\"}\n";
  }
  return s;
}

// Writes a first good result into tmp/o and returns {graphml, jsonld}.
std::pair<std::string, std::string> previous_outputs(const egtest::TempDir& tmp) {
  egtest::write_file(tmp / "prev.txt", "Jane Roe, CEO of Acme Corp, spoke in Berlin.\n");
  auto r = run(eg("run --quiet --out " + q(tmp / "o") + " " + q(tmp / "prev.txt")));
  REQUIRE(r.status == 0);
  auto gml = egtest::read_file(tmp / "o/graph.graphml");
  auto jld = egtest::read_file(tmp / "o/graph.jsonld");
  REQUIRE(has(gml, "Acme Corp"));
  REQUIRE(has(jld, "Acme Corp"));
  return {gml, jld};
}

// Each final output is either the previous one byte for byte or a complete
// new one that parses.
void check_old_or_complete(const egtest::TempDir& tmp, const std::pair<std::string, std::string>& prev) {
  std::string gml = egtest::read_file(tmp / "o/graph.graphml");
  std::string jld = egtest::read_file(tmp / "o/graph.jsonld");
  if (gml != prev.first) {
    CHECK(egtest::xml_wellformed(gml) == "");
    CHECK(has(gml, "</graphml>"));
  }
  if (jld != prev.second) CHECK(nlohmann::json::accept(jld));
  auto left = leftovers(tmp / "o");
  INFO((left.empty() ? std::string() : left[0]));
  CHECK(left.empty());
}

}  // namespace

TEST_CASE("an output folder that cannot be written: exit 2 before any input is read") {
  egtest::TempDir tmp;
  // The input has a bad JSONL line: had it been read, it would be reported.
  egtest::write_file(tmp / "in.jsonl", "{\"id\":\"a\",\"text\":\"Berlin\"}\nnot json\n");
  egtest::write_file(tmp / "a_file", "keep me");
  for (const std::string& rel : {std::string("a_file"), std::string("a_file/sub"), std::string("/proc/eg-out")}) {
    DYNAMIC_SECTION(rel) {  // a stable name: tmp differs on every pass
      const std::string out = rel[0] == '/' ? rel : tmp / rel;
      auto r = run(eg("run --out " + q(out) + " " + q(tmp / "in.jsonl")));
      INFO(r.out);
      CHECK(r.status == 2);
      CHECK(has(r.out, "error: "));
      CHECK(has(r.out, out));
      CHECK_FALSE(has(r.out, "in.jsonl:2"));  // input not read
      CHECK_FALSE(has(r.out, "documents read"));
      CHECK(egtest::read_file(tmp / "a_file") == "keep me");
    }
  }
  // extract --fragments into a folder that cannot be made.
  auto x = run(eg("extract --fragments " + q(tmp / "a_file/f.jsonl") + " " + q(tmp / "in.jsonl")));
  INFO(x.out);
  CHECK(x.status == 2);
  CHECK_FALSE(has(x.out, "in.jsonl:2"));
}

TEST_CASE("a disk that fills up mid-write: exit 2, previous outputs intact, no temporary left") {
  egtest::TempDir tmp;
  auto prev = previous_outputs(tmp);
  egtest::write_file(tmp / "big.jsonl", big_output_jsonl(400, 400));
  // RLIMIT_FSIZE of 64 KiB: the first output (hundreds of KiB) fails part-way
  // with EFBIG. Once with SIGXFSZ ignored by the shell (an ENOSPC-like write
  // error) and once with its default action, which the CLI must override.
  for (const std::string& trap : {std::string("trap '' XFSZ; "), std::string()}) {
    DYNAMIC_SECTION("trap: " << trap) {
      auto r = run("bash -c " + q(trap + "ulimit -f 64; exec " + egtest::kBinary + " run --out " + tmp / "o" + " " +
                                  tmp / "big.jsonl"));
      INFO(r.out);
      CHECK(r.status == 2);
      CHECK(has(r.out, "graph.graphml"));
      CHECK(has(r.out, "too large"));  // strerror(EFBIG)
      CHECK(egtest::read_file(tmp / "o/graph.graphml") == prev.first);
      CHECK(egtest::read_file(tmp / "o/graph.jsonld") == prev.second);
      auto left = leftovers(tmp / "o");
      INFO((left.empty() ? std::string() : left[0]));
      CHECK(left.empty());
    }
  }
  // The second output failing after the first was renamed: the first is
  // complete and new, the second still the old one.
  auto r = run("bash -c " + q("ulimit -f 400; exec " + egtest::kBinary + " run --format jsonld,graphml --out " +
                              tmp / "o" + " " + tmp / "big.jsonl"));
  INFO(r.out);
  std::string jld = egtest::read_file(tmp / "o/graph.jsonld");
  if (r.status == 2) {
    CHECK(egtest::read_file(tmp / "o/graph.graphml") == prev.first);
    CHECK(jld != prev.second);
  }
  check_old_or_complete(tmp, prev);
}

TEST_CASE("SIGINT or SIGTERM mid-run or mid-write leaves previous outputs or complete new ones") {
  // 3000 documents with 3 KB ids: ~20 MB of GraphML, written after a short run.
  egtest::TempDir tmp;
  auto prev = previous_outputs(tmp);
  egtest::write_file(tmp / "big.jsonl", big_output_jsonl(3000, 3000));
  struct Plan {
    int sig;
    bool mid_write;  // wait for a temporary to appear, else a fixed delay
    int delay_ms;
  };
  int hit_mid_write = 0;
  for (Plan p : {Plan{SIGINT, false, 50}, Plan{SIGTERM, false, 300}, Plan{SIGINT, true, 0}, Plan{SIGTERM, true, 0},
                 Plan{SIGTERM, true, 0}}) {
    {
      INFO("signal " << p.sig << (p.mid_write ? " mid-write" : " mid-run") << " " << p.delay_ms);
      std::string bin = egtest::kBinary, out = tmp / "o", in = tmp / "big.jsonl";
      const char* argv[] = {bin.c_str(), "run", "--quiet", "--threads", "2", "--out", out.c_str(), in.c_str(),
                            nullptr};
      posix_spawn_file_actions_t fa;
      posix_spawn_file_actions_init(&fa);
      posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
      pid_t pid;
      REQUIRE(posix_spawn(&pid, bin.c_str(), &fa, nullptr, const_cast<char**>(argv), environ) == 0);
      posix_spawn_file_actions_destroy(&fa);
      auto start = std::chrono::steady_clock::now();
      if (p.mid_write) {
        // Poll for a temporary; kill as soon as one exists.
        bool seen = false;
        while (!seen && std::chrono::steady_clock::now() - start < std::chrono::seconds(120)) {
          for (const auto& e : fs::directory_iterator(out))
            if (has(e.path().filename().string(), ".tmp.")) seen = true;
          if (!seen) {
            int st;
            if (waitpid(pid, &st, WNOHANG) == pid) {
              pid = -1;
              break;
            }
          }
        }
        if (seen) ++hit_mid_write;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(p.delay_ms));
      }
      if (pid > 0) {
        kill(pid, p.sig);
        int st = 0;
        REQUIRE(waitpid(pid, &st, 0) == pid);
        // Killed by the signal (the default action, re-raised), unless it had
        // finished already.
        if (WIFSIGNALED(st)) CHECK(WTERMSIG(st) == p.sig);
      }
      check_old_or_complete(tmp, prev);
    }
  }
  CHECK(hit_mid_write >= 1);  // at least one signal landed while a temporary existed
}
