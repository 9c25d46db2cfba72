// Tests for text inputs: whole files, form-feed dumps, --split-on pieces,
// gzip, stdin, and the bad cases (empty, binary, too large, missing).
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "reader_test_util.h"
#include "testutil/testutil.h"

using eventgraph::ReaderOptions;
using eventgraph::Status;
using readertest::read_all;

TEST_CASE("TextSource reads a whole file as one document", "[reader]") {
  egtest::TempDir dir;
  std::string path = dir / "page.txt";
  egtest::write_file(path, "Panel on cyber security\nModerator: someone\n");
  auto r = read_all({path});
  REQUIRE(r.status.is_ok());
  REQUIRE(r.docs.size() == 1);
  CHECK(r.docs[0].id == path);
  CHECK(r.docs[0].source == path);
  CHECK(r.docs[0].line == 1);
  CHECK(r.docs[0].seq == 0);
  CHECK(r.docs[0].text == "Panel on cyber security\nModerator: someone\n");
  CHECK(r.docs[0].attrs.empty());
  CHECK(r.problems.empty());
  CHECK(r.total_bytes == 43);
  CHECK(r.bytes_read == 43);
}

TEST_CASE("TextSource keeps invalid UTF-8 bytes raw", "[reader]") {
  egtest::TempDir dir;
  std::string path = dir / "latin1.txt";
  // 5 bad bytes in 70: under looks_binary's 10%.
  std::string text = "Z\xFCrich caf\xE9 \xED\xA0\x80 and then a good deal of ordinary text.\r\n";
  egtest::write_file(path, text);
  auto r = read_all({path});
  REQUIRE(r.docs.size() == 1);
  CHECK(r.docs[0].text == text);

  SECTION("but mostly invalid bytes make it binary") {
    egtest::write_file(path, "Z\xFCrich caf\xE9 \xED\xA0\x80 ok\r\n");
    auto r2 = read_all({path});
    CHECK(r2.docs.empty());
    CHECK(r2.with_reason("binary file").size() == 1);
  }
}

TEST_CASE("TextSource splits on form feeds", "[reader]") {
  egtest::TempDir dir;
  std::string path = dir / "dump.txt";
  egtest::write_file(path, "first doc\nline two\n\fsecond\n\f\f  \n\fthird\nend");
  auto r = read_all({path});
  REQUIRE(r.status.is_ok());
  REQUIRE(r.docs.size() == 3);
  CHECK(r.ids() == std::vector<std::string>{path + "#1", path + "#2", path + "#3"});
  CHECK(r.docs[0].text == "first doc\nline two\n");
  CHECK(r.docs[0].line == 1);
  CHECK(r.docs[1].text == "second\n");
  CHECK(r.docs[1].line == 3);
  CHECK(r.docs[2].text == "third\nend");
  CHECK(r.docs[2].line == 5);
  CHECK(r.docs[2].seq == 2);
  CHECK(r.problems.empty());  // the empty pieces are gaps, not problems
}

TEST_CASE("TextSource splits on lines matching --split-on", "[reader]") {
  egtest::TempDir dir;
  std::string path = dir / "dump.md";
  egtest::write_file(path,
                     "=== DOC 1 ===\nfirst\n=== DOC 2 ===\r\nsecond\nmore\n=== DOC 3 ===\n"
                     "=== DOC 4 ===\nnot === DOC 5 === a separator\nlast");
  ReaderOptions opt;
  opt.split_on = "=+ DOC \\d+ =+";
  auto r = read_all({path}, opt);
  REQUIRE(r.status.is_ok());
  REQUIRE(r.docs.size() == 3);
  CHECK(r.ids() == std::vector<std::string>{path + "#1", path + "#2", path + "#3"});
  CHECK(r.docs[0].text == "first\n");
  CHECK(r.docs[0].line == 2);
  CHECK(r.docs[1].text == "second\nmore\n");
  CHECK(r.docs[1].line == 4);
  CHECK(r.docs[2].text == "not === DOC 5 === a separator\nlast");
  CHECK(r.docs[2].line == 8);
  CHECK(r.problems.empty());

  SECTION("form feeds still split") {
    egtest::write_file(path, "a\fb\n=== DOC 9 ===\nc\n");
    auto r2 = read_all({path}, opt);
    CHECK(r2.ids() == std::vector<std::string>{path + "#1", path + "#2", path + "#3"});
    REQUIRE(r2.docs.size() == 3);
    CHECK(r2.docs[0].text == "a");
    CHECK(r2.docs[1].text == "b\n");
    CHECK(r2.docs[2].text == "c\n");
    CHECK(r2.docs[2].line == 3);
  }
}

TEST_CASE("A bad --split-on pattern is a configuration error", "[reader]") {
  ReaderOptions opt;
  opt.split_on = "(unclosed";
  auto r = read_all({}, opt);
  CHECK(r.status.kind() == Status::Kind::kInvalidInput);
  CHECK(r.status.message().find("(unclosed") != std::string::npos);
}

TEST_CASE("An unknown input format is a configuration error", "[reader]") {
  ReaderOptions opt;
  opt.input_format = "xml";
  auto r = read_all({}, opt);
  CHECK(r.status.kind() == Status::Kind::kInvalidInput);
  CHECK(r.status.message().find("xml") != std::string::npos);
}

TEST_CASE("A missing input fails before anything is read", "[reader]") {
  egtest::TempDir dir;
  std::string good = dir / "good.txt";
  egtest::write_file(good, "text");
  std::string missing = dir / "nope.txt";
  auto r = read_all({good, missing});
  CHECK(r.status.kind() == Status::Kind::kNotFound);
  CHECK(r.status.message().find(missing) != std::string::npos);
  CHECK(r.docs.empty());
  CHECK(r.problems.empty());
}

TEST_CASE("Empty and blank files are reported and skipped", "[reader]") {
  egtest::TempDir dir;
  egtest::write_file(dir / "empty.txt", "");
  egtest::write_file(dir / "blank.txt", " \n\t\r\n");
  egtest::write_file(dir / "ok.txt", "ok");
  auto r = read_all({dir / "empty.txt", dir / "blank.txt", dir / "ok.txt"});
  REQUIRE(r.docs.size() == 1);
  CHECK(r.docs[0].id == dir / "ok.txt");
  CHECK(r.docs[0].seq == 0);
  auto empties = r.with_reason("empty document");
  REQUIRE(empties.size() == 2);
  CHECK(empties[0].file == dir / "empty.txt");
  CHECK(empties[1].file == dir / "blank.txt");
  CHECK(empties[0].skipped);
}

TEST_CASE("Binary files are reported and skipped", "[reader]") {
  egtest::TempDir dir;
  std::string bin("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
  bin += std::string(20000, '\x01');
  egtest::write_file(dir / "image.txt", bin);
  egtest::write_file(dir / "after.txt", "after");
  auto r = read_all({dir / "image.txt", dir / "after.txt"});
  REQUIRE(r.docs.size() == 1);
  CHECK(r.docs[0].id == dir / "after.txt");
  auto p = r.with_reason("binary file");
  REQUIRE(p.size() == 1);
  CHECK(p[0].file == dir / "image.txt");
  CHECK(p[0].skipped);

  SECTION("a binary piece of a dump is skipped, the others read") {
    // The whole file is judged by its first 8 KiB, so the binary piece
    // comes after them.
    std::string first(9000, 'g');
    egtest::write_file(dir / "dump.txt", first + "\f" + std::string("\0\0\0bin", 6) + "\fgood two");
    auto r2 = read_all({dir / "dump.txt"});
    CHECK(r2.ids() == std::vector<std::string>{dir / "dump.txt#1", dir / "dump.txt#3"});
    auto p2 = r2.with_reason("binary document");
    REQUIRE(p2.size() == 1);
    CHECK(p2[0].doc == dir / "dump.txt#2");
  }
}

TEST_CASE("Documents above max_doc_bytes are reported and skipped", "[reader]") {
  egtest::TempDir dir;
  std::string path = dir / "dump.txt";
  egtest::write_file(path, "small\f" + std::string(5000, 'x') + "\n\fsmall again");
  ReaderOptions opt;
  opt.max_doc_bytes = 1000;
  auto r = read_all({path}, opt);
  CHECK(r.ids() == std::vector<std::string>{path + "#1", path + "#3"});
  auto p = r.with_reason("larger than 1000 bytes");
  REQUIRE(p.size() == 1);
  CHECK(p[0].doc == path + "#2");
  CHECK(p[0].reason.find("5001") != std::string::npos);

  SECTION("with --split-on too") {
    egtest::write_file(path, "--\nsmall\n--\n" + std::string(600, 'y') + "\n" + std::string(600, 'z') + "\n--\nok\n");
    opt.split_on = "--";
    auto r2 = read_all({path}, opt);
    CHECK(r2.ids() == std::vector<std::string>{path + "#1", path + "#3"});
    REQUIRE(r2.docs.size() == 2);
    CHECK(r2.docs[1].text == "ok\n");
    CHECK(r2.docs[1].line == 7);
    CHECK(r2.with_reason("larger than").size() == 1);
  }
}

TEST_CASE("A 10 MB single-line file streams through", "[reader]") {
  egtest::TempDir dir;
  std::string path = dir / "big.txt";
  std::string big;
  big.reserve(10 << 20);
  while (big.size() < (10u << 20)) big += "word another word, ";
  egtest::write_file(path, big);
  auto r = read_all({path});
  REQUIRE(r.docs.size() == 1);
  CHECK(r.docs[0].text.size() == big.size());
  CHECK(r.docs[0].text == big);
  CHECK(r.total_bytes == big.size());
  CHECK(r.bytes_read == big.size());
  CHECK(r.problems.empty());
}

TEST_CASE("Gzip text files are decompressed as they are read", "[reader]") {
  egtest::TempDir dir;
  std::string path = dir / "page.txt.gz";
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "line " + std::to_string(i) + "\n";
  REQUIRE(readertest::write_gz(path, text + "\fsecond"));
  auto r = read_all({path});
  REQUIRE(r.status.is_ok());
  REQUIRE(r.docs.size() == 2);
  CHECK(r.docs[0].id == path + "#1");
  CHECK(r.docs[0].text == text);
  CHECK(r.docs[1].text == "second");
  CHECK(r.docs[1].line == 50001);
  uint64_t size = std::filesystem::file_size(path);
  CHECK(r.total_bytes == size);
  CHECK(r.bytes_read == size);  // compressed bytes
  CHECK(r.problems.empty());

  SECTION("a truncated gzip file is reported and its cut document dropped") {
    std::string whole = egtest::read_file(path);
    egtest::write_file(dir / "cut.txt.gz", whole.substr(0, whole.size() / 2));
    egtest::write_file(dir / "next.txt", "next");
    auto r2 = read_all({dir / "cut.txt.gz", dir / "next.txt"});
    CHECK(r2.ids() == std::vector<std::string>{dir / "next.txt"});
    REQUIRE(r2.problems.size() == 1);
    CHECK(r2.problems[0].file == dir / "cut.txt.gz");
    CHECK(r2.problems[0].reason.find("gzip") != std::string::npos);
  }
  SECTION("corrupt gzip data is reported") {
    std::string whole = egtest::read_file(path);
    for (size_t i = 20; i < 60; ++i) whole[i] = static_cast<char>(whole[i] ^ 0x5A);
    egtest::write_file(dir / "bad.txt.gz", whole);
    auto r3 = read_all({dir / "bad.txt.gz"});
    CHECK(r3.docs.empty());
    REQUIRE(r3.problems.size() == 1);
    CHECK(r3.problems[0].reason.find("gzip") != std::string::npos);
  }
}

TEST_CASE("Stdin is read as text by default", "[reader]") {
  egtest::TempDir dir;
  egtest::write_file(dir / "in.txt", "from stdin\fpart two");
  int saved = ::dup(STDIN_FILENO);
  int fd = ::open((dir / "in.txt").c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  ::dup2(fd, STDIN_FILENO);
  ::close(fd);
  auto r = read_all({"-"});
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  REQUIRE(r.docs.size() == 2);
  CHECK(r.docs[0].id == "-#1");
  CHECK(r.docs[0].source == "-");
  CHECK(r.docs[0].text == "from stdin");
  CHECK(r.docs[1].text == "part two");
  CHECK(r.total_bytes == 19);  // stdin is a regular file here
}

TEST_CASE("Document::seq counts returned documents across files", "[reader]") {
  egtest::TempDir dir;
  egtest::write_file(dir / "a.txt", "a1\fa2");
  egtest::write_file(dir / "b.txt", "");
  egtest::write_file(dir / "c.txt", "c");
  auto r = read_all({dir / "a.txt", dir / "b.txt", dir / "c.txt"});
  REQUIRE(r.docs.size() == 3);
  for (size_t i = 0; i < r.docs.size(); ++i) CHECK(r.docs[i].seq == i);
  CHECK(r.total_bytes == 6);
  CHECK(r.bytes_read == 6);
}
