// Size extremes (issue 5), generated into a temporary folder, never
// committed: a 100 MB single line (as text and as one JSONL line), and a
// million tiny JSONL documents. The run completes, skips what is over the
// limits with file, line and reason, and keeps memory bounded.
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "hostile/xml_check.h"
#include "testutil/testutil.h"

namespace fs = std::filesystem;
using egtest::eg;
using egtest::has;
using egtest::q;
using egtest::run;

namespace {


// Sanitizer builds run the binary 3-10x slower: they take a tenth of the
// million documents (the code paths are the same).
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define EG_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(EG_SANITIZED)
constexpr int kTinyDocs = 100000;
#else
constexpr int kTinyDocs = 1000000;
#endif

constexpr size_t kHundredMB = 100u << 20;

// ASan's shadow memory and quarantine inflate RSS ~2x.
#ifdef EG_SANITIZED
constexpr long kRssFactor = 3;
#elif defined(__SANITIZE_ADDRESS__)
constexpr long kRssFactor = 3;
#else
constexpr long kRssFactor = 1;
#endif

// Peak RSS (KiB) of the largest child waited for so far.
long children_max_rss_kb() {
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  return ru.ru_maxrss;
}

void write_line_file(const std::string& path, const std::string& prefix, size_t n, const std::string& suffix) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  REQUIRE(out);
  out << prefix;
  std::string block(1 << 20, 'a');
  for (size_t i = 0; i < 8; ++i) block[i * 1000 + 7] = ' ';  // a few words, no newline
  for (size_t done = 0; done < n; done += block.size()) out.write(block.data(), std::min(block.size(), n - done));
  out << suffix;
}

}  // namespace

TEST_CASE("a 100 MB single-line text file is skipped over the document limit, the run goes on") {
  egtest::TempDir tmp;
  write_line_file(tmp / "in/a_huge.txt", "", kHundredMB, "");
  egtest::write_file(tmp / "in/b_good.txt", "Jane Roe, CEO of Acme Corp, spoke in Berlin.\n");
  auto r = run(eg("run --out " + q(tmp / "o") + " " + q(tmp / "in")));
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(has(r.out, "a_huge.txt:1: document "));
  CHECK(has(r.out, "document larger than 67108864 bytes (104857600 bytes) (skipped)"));
  CHECK(has(r.out, "1 documents read, 1 skipped"));
  CHECK(has(egtest::read_file(tmp / "o/graph.jsonld"), "Acme Corp"));
  // Streamed, not slurped with copies: peak memory well under 3x the line.
  CHECK(children_max_rss_kb() < kRssFactor * 300 * 1024);
  // A lower limit is an option: the good file is then skipped too.
  auto s = run(eg("run --strict --max-doc-bytes 10 --out " + q(tmp / "o2") + " " + q(tmp / "in")));
  INFO(s.out);
  CHECK(s.status == 1);
  CHECK(has(s.out, "0 documents read, 2 skipped"));
}

TEST_CASE("a 100 MB JSONL line is skipped with its line number, the next line is read") {
  egtest::TempDir tmp;
  write_line_file(tmp / "big.jsonl", "{\"id\":\"big\",\"text\":\"", kHundredMB,
                  "\"}\n{\"id\":\"small\",\"text\":\"Acme Corp met in Paris.\"}\n");
  auto r = run(eg("run --out " + q(tmp / "o") + " " + q(tmp / "big.jsonl")));
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(has(r.out, "big.jsonl:1: document big: document larger than"));
  CHECK(has(r.out, "1 documents read, 1 skipped"));
  auto j = nlohmann::json::parse(egtest::read_file(tmp / "o/graph.jsonld"));
  CHECK(j["@graph"].dump().find("\"identifier\":\"small\"") != std::string::npos);
  CHECK(children_max_rss_kb() < kRssFactor * 600 * 1024);
}

TEST_CASE("a million tiny JSONL documents, with bad lines among them, run to the end") {
  egtest::TempDir tmp;
  {
    std::ofstream out(tmp / "tiny.jsonl", std::ios::binary);
    for (int i = 1; i <= kTinyDocs; ++i) {
      if (i == kTinyDocs / 2 + 1) {
        out << "{\"id\":\"broken\",\n";  // line kTinyDocs/2+1: malformed
      } else if (i == kTinyDocs) {
        out << "{\"id\":\"last\"}\n";  // last line: no text
      } else {
        out << "{\"id\":\"d" << i << "\",\"text\":\"Hi " << i << "\"}\n";
      }
    }
  }
  // Without Document nodes the graph stays small; this measures reading and
  // extraction, not the size of the export.
  egtest::write_file(tmp / "p.json", "{\"documents\": false}");
  auto t0 = std::chrono::steady_clock::now();
  auto r = run(eg("run --threads 2 --pipeline " + q(tmp / "p.json") + " --out " + q(tmp / "o") + " " +
                  q(tmp / "tiny.jsonl")));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  INFO(r.out);
  INFO(secs << " s");
  CHECK(r.status == 0);
  CHECK(has(r.out, std::to_string(kTinyDocs - 2) + " documents read, 2 skipped"));
  CHECK(has(r.out, "tiny.jsonl:" + std::to_string(kTinyDocs / 2 + 1) + ": malformed JSON"));
  CHECK(has(r.out, "tiny.jsonl:" + std::to_string(kTinyDocs) + ": document last: missing \"text\""));
  CHECK(egtest::xml_wellformed(egtest::read_file(tmp / "o/graph.graphml")) == "");
  CHECK(nlohmann::json::accept(egtest::read_file(tmp / "o/graph.jsonld")));
  WARN("tiny documents: " << kTinyDocs << " in " << secs << " s");
}
