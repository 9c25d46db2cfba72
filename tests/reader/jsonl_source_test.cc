// Tests for JSONL inputs: good records, each kind of bad line with its line
// number, long lines, gzip, forced formats.
#include <catch2/catch.hpp>

#include "reader_test_util.h"
#include "testutil/testutil.h"

using eventgraph::ReaderOptions;
using readertest::read_all;

TEST_CASE("JsonlSource reads records and reports bad lines with their line numbers", "[reader]") {
  egtest::TempDir dir;
  std::string path = dir / "records.jsonl";
  egtest::write_file(path,
                     "{\"id\": \"r1\", \"text\": \"First record.\", \"url\": \"https://example.org/1\", "
                     "\"title\": \"One\", \"date\": \"2024-06-11\", \"other\": 5}\n"  // 1
                     "{\"id\": \"r2\", \"text\": \"unterminated\n"                     // 2
                     "[1, 2, 3]\n"                                                      // 3
                     "{\"id\": \"r4\"}\n"                                              // 4
                     "{\"id\": \"r5\", \"text\": 42}\n"                                // 5
                     "{\"text\": \"no id here\"}\n"                                    // 6
                     "   \n"                                                            // 7
                     "{\"id\": \"r8\", \"text\": \"  \"}\n"                            // 8
                     "{\"id\": 9, \"text\": \"numeric id\\u00e9\"}\r\n"               // 9
                     "\"just a string\"\n"                                              // 10
                     "{\"id\": \"r11\", \"text\": \"bad \\xff utf8\"}\n"               // 11 (JSON escape, not a byte)
                     "{\"id\": \"r12\", \"text\": \"last, no newline\"}");             // 12
  auto r = read_all({path});
  REQUIRE(r.status.is_ok());
  REQUIRE(r.ids() == std::vector<std::string>{"r1", path + ":6", "9", "r12"});
  CHECK(r.docs[0].text == "First record.");
  CHECK(r.docs[0].line == 1);
  CHECK(r.docs[0].source == path);
  CHECK(r.docs[0].attrs == std::map<std::string, std::string>{
                               {"url", "https://example.org/1"}, {"title", "One"}, {"date", "2024-06-11"}});
  CHECK(r.docs[1].line == 6);
  CHECK(r.docs[1].seq == 1);
  CHECK(r.docs[2].text == "numeric id\xC3\xA9");
  CHECK(r.docs[2].line == 9);
  CHECK(r.docs[3].line == 12);
  CHECK(r.docs[3].text == "last, no newline");

  std::vector<std::pair<uint64_t, std::string>> got;
  for (const auto& p : r.problems) {
    CHECK(p.file == path);
    CHECK(p.skipped);
    got.emplace_back(p.line, p.reason.substr(0, p.reason.find(':')));
  }
  std::vector<std::pair<uint64_t, std::string>> want = {
      {2, "malformed JSON"}, {3, "not a JSON object"}, {4, "missing \"text\""}, {5, "\"text\" is not a string"},
      {8, "empty document"}, {10, "not a JSON object"}, {11, "malformed JSON"}};
  CHECK(got == want);
  auto missing = r.with_reason("missing \"text\"");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].doc == "r4");
}

TEST_CASE("JsonlSource skips a line above max_line_bytes and reads on", "[reader]") {
  egtest::TempDir dir;
  std::string path = dir / "long.jsonl";
  std::string long_line = "{\"id\": \"big\", \"text\": \"" + std::string(3 << 20, 'x') + "\"}";
  egtest::write_file(path, "{\"id\": \"a\", \"text\": \"before\"}\n" + long_line + "\n{\"id\": \"b\", \"text\": \"after\"}\n");
  ReaderOptions opt;
  opt.max_line_bytes = 1 << 20;
  auto r = read_all({path}, opt);
  CHECK(r.ids() == std::vector<std::string>{"a", "b"});
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].line == 2);
  CHECK(r.problems[0].reason.find("line larger than") != std::string::npos);
  REQUIRE(r.docs.size() == 2);
  CHECK(r.docs[1].line == 3);

  SECTION("the default limit takes it, max_doc_bytes still applies") {
    ReaderOptions opt2;
    opt2.max_doc_bytes = 1 << 20;
    auto r2 = read_all({path}, opt2);
    CHECK(r2.ids() == std::vector<std::string>{"a", "b"});
    auto p = r2.with_reason("document larger than");
    REQUIRE(p.size() == 1);
    CHECK(p[0].doc == "big");
    CHECK(p[0].line == 2);
    auto r3 = read_all({path});
    CHECK(r3.ids() == std::vector<std::string>{"a", "big", "b"});
  }
}

TEST_CASE("JsonlSource reads gzip files and reports truncation", "[reader]") {
  egtest::TempDir dir;
  std::string content;
  for (int i = 1; i <= 20000; ++i)
    content += "{\"id\": \"d" + std::to_string(i) + "\", \"text\": \"record number " + std::to_string(i * 7919) +
               "\"}\n";
  std::string path = dir / "dump.jsonl.gz";
  REQUIRE(readertest::write_gz(path, content));
  auto r = read_all({path});
  REQUIRE(r.docs.size() == 20000);
  CHECK(r.docs[19999].id == "d20000");
  CHECK(r.docs[19999].line == 20000);
  CHECK(r.problems.empty());

  std::string whole = egtest::read_file(path);
  egtest::write_file(dir / "cut.jsonl.gz", whole.substr(0, whole.size() * 2 / 3));
  auto cut = read_all({dir / "cut.jsonl.gz"});
  CHECK(cut.docs.size() > 1000);
  CHECK(cut.docs.size() < 20000);
  for (size_t i = 0; i < cut.docs.size(); ++i) CHECK(cut.docs[i].id == "d" + std::to_string(i + 1));
  REQUIRE(cut.problems.size() == 1);
  CHECK(cut.problems[0].reason.find("gzip") != std::string::npos);
  CHECK(cut.problems[0].line == cut.docs.size() + 1);
}

TEST_CASE("ReaderOptions::input_format overrides the file name", "[reader]") {
  egtest::TempDir dir;
  egtest::write_file(dir / "records.txt", "{\"id\": \"x\", \"text\": \"as jsonl\"}\n");
  egtest::write_file(dir / "plain.jsonl", "{\"not\": \"parsed\"}\n");
  ReaderOptions jsonl;
  jsonl.input_format = "jsonl";
  auto r = read_all({dir / "records.txt"}, jsonl);
  CHECK(r.ids() == std::vector<std::string>{"x"});
  ReaderOptions text;
  text.input_format = "text";
  auto r2 = read_all({dir / "plain.jsonl"}, text);
  REQUIRE(r2.docs.size() == 1);
  CHECK(r2.docs[0].text == "{\"not\": \"parsed\"}\n");
  auto r3 = read_all({dir / "plain.jsonl"});
  CHECK(r3.docs.empty());
  CHECK(r3.with_reason("missing \"text\"").size() == 1);
}
