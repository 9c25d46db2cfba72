// Property test: random bytes through every reader mode never crash, and
// whatever comes out keeps the reader's promises.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "reader_test_util.h"
#include "testutil/testutil.h"

using eventgraph::ReaderOptions;
using readertest::read_all;

TEST_CASE("Reader property: random inputs give well-formed documents", "[reader]") {
  egtest::TempDir dir;
  std::mt19937 rng(2024);
  const std::vector<std::string> pieces = {"\n",   "\f",   "\r\n",      "{\"text\": \"", "\"id\": 3",
                                          "\"}",   "--\n", " ",         "word ",         "\xC3\xA9",
                                          "\xFF", ",",     "\\u00e9",   "}",             std::string("\0", 1),
                                          "\x01"};
  for (int iter = 0; iter < 150; ++iter) {
    std::string content;
    int n = rng() % 200;
    for (int k = 0; k < n; ++k) {
      if (rng() % 4 == 0) content += static_cast<char>(rng() % 256);
      else content += pieces[rng() % pieces.size()];
    }
    std::string path = dir / ("f" + std::to_string(iter) + ((iter % 2) ? ".jsonl" : ".txt"));
    egtest::write_file(path, content);
    ReaderOptions opt;
    opt.max_doc_bytes = 1 + rng() % 300;
    opt.max_line_bytes = 1 + rng() % 300;
    if (iter % 3 == 0) opt.split_on = "--";
    if (iter % 5 == 0) opt.input_format = (iter % 2) ? "text" : "jsonl";
    auto r = read_all({path}, opt);
    INFO("iteration " << iter);
    REQUIRE(r.status.is_ok());
    for (size_t i = 0; i < r.docs.size(); ++i) {
      const auto& d = r.docs[i];
      CHECK(d.seq == i);
      CHECK(d.source == path);
      CHECK(d.text.size() <= opt.max_doc_bytes);
      CHECK(d.text.find_first_not_of(" \t\r\n\f\v") != std::string::npos);
      CHECK(d.line >= 1);
      CHECK(!d.id.empty());
    }
    for (const auto& p : r.problems) CHECK(p.file == path);
    CHECK(r.bytes_read == content.size());
  }
}
