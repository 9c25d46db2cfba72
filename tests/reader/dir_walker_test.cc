// Tests for directory inputs: recursive byte-order walk, extension filter,
// symlink loops, dangling links, files that vanish.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "reader_test_util.h"
#include "testutil/testutil.h"

using readertest::read_all;
namespace fs = std::filesystem;

TEST_CASE("A directory is walked recursively in byte order of names", "[reader]") {
  egtest::TempDir dir;
  std::string root = dir / "in";
  egtest::write_file(root + "/b.txt", "b");
  egtest::write_file(root + "/a/z.md", "z");
  egtest::write_file(root + "/a/y.jsonl", "{\"id\": \"y1\", \"text\": \"y\"}\n");
  egtest::write_file(root + "/B.md", "B");
  egtest::write_file(root + "/a.txt", "a");
  egtest::write_file(root + "/notes.csv", "not taken");
  egtest::write_file(root + "/README", "not taken");
  egtest::write_file(root + "/c/deep/er/d.TXT", "d");
  REQUIRE(readertest::write_gz(root + "/e.md.gz", "e"));
  REQUIRE(readertest::write_gz(root + "/f.gz", "not taken"));
  auto r = read_all({root});
  REQUIRE(r.status.is_ok());
  CHECK(r.ids() == std::vector<std::string>{root + "/B.md", "y1", root + "/a/z.md", root + "/a.txt",
                                            root + "/b.txt", root + "/c/deep/er/d.TXT", root + "/e.md.gz"});
  CHECK(r.problems.empty());
  uint64_t total = 0;
  for (const char* f : {"/b.txt", "/a/z.md", "/a/y.jsonl", "/B.md", "/a.txt", "/c/deep/er/d.TXT", "/e.md.gz"})
    total += fs::file_size(root + f);
  CHECK(r.total_bytes == total);
  CHECK(r.bytes_read == total);

  SECTION("a trailing slash does not double it") {
    auto r2 = read_all({root + "/"});
    REQUIRE(r2.docs.size() == 7);
    CHECK(r2.docs[0].id == root + "/B.md");
  }
  SECTION("files given by name are taken whatever their extension") {
    auto r3 = read_all({root + "/README", root + "/a"});
    CHECK(r3.ids() == std::vector<std::string>{root + "/README", "y1", root + "/a/z.md"});
  }
}

TEST_CASE("Symlink loops are reported and not followed", "[reader]") {
  egtest::TempDir dir;
  std::string root = dir / "in";
  egtest::write_file(root + "/sub/doc.txt", "doc");
  egtest::write_file(root + "/top.txt", "top");
  fs::create_directory_symlink("..", root + "/sub/up");          // loop back to root
  fs::create_directory_symlink(root + "/sub", root + "/zz-again");  // second way into sub
  auto r = read_all({root});
  REQUIRE(r.status.is_ok());
  CHECK(r.ids() == std::vector<std::string>{root + "/sub/doc.txt", root + "/top.txt"});
  auto loops = r.with_reason("symlink loop");
  REQUIRE(loops.size() == 1);
  CHECK(loops[0].file == root + "/sub/up");
  CHECK_FALSE(loops[0].skipped);
  auto again = r.with_reason("already read");
  REQUIRE(again.size() == 1);
  CHECK(again[0].file == root + "/zz-again");
}

TEST_CASE("Unreadable entries are reported and skipped", "[reader]") {
  egtest::TempDir dir;
  std::string root = dir / "in";
  egtest::write_file(root + "/a.txt", "a");
  egtest::write_file(root + "/c.txt", "c");
  egtest::write_file(root + "/gone.txt", "soon gone");
  fs::create_symlink(root + "/nowhere.txt", root + "/b.txt");  // dangling
  fs::create_symlink(root + "/nowhere", root + "/ignored");    // dangling, not a wanted name
  eventgraph::CollectingReporter reporter;
  std::unique_ptr<eventgraph::DocumentSource> source;
  REQUIRE(eventgraph::open_sources({root}, {}, &reporter, &source).is_ok());
  // The dangling link is found by the walk; the vanished file when read.
  fs::remove(root + "/gone.txt");
  std::vector<std::string> ids;
  eventgraph::Document doc;
  while (source->next(doc)) ids.push_back(doc.id);
  CHECK(ids == std::vector<std::string>{root + "/a.txt", root + "/c.txt"});
  auto problems = reporter.problems();
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].file == root + "/b.txt");
  CHECK(problems[0].reason.find("cannot open") != std::string::npos);
  CHECK(problems[1].file == root + "/gone.txt");
  CHECK(problems[1].reason.find("cannot open") != std::string::npos);
  CHECK(reporter.skipped() == 2);

  if (::geteuid() != 0) {  // permissions do not stop root
    egtest::write_file(root + "/locked.txt", "x");
    ::chmod((root + "/locked.txt").c_str(), 0);
    auto r = read_all({root + "/locked.txt"});
    CHECK(r.status.kind() == eventgraph::Status::Kind::kIOError);
  }
}
