// Differential tests for the JSONL fast path: whenever it accepts a line,
// nlohmann/json must accept it too with the same id, text and attributes.
#include "reader/jsonl_fast.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

using eventgraph::reader_internal::FlatRecord;
using eventgraph::reader_internal::parse_flat_record;

namespace {

// Checks agreement; returns whether the fast path took the line.
bool agree(const std::string& line) {
  FlatRecord r;
  bool fast = parse_flat_record(line, &r);
  if (!fast) return false;
  INFO("line: " << line);
  nlohmann::json j;
  bool ok = true;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception&) {
    ok = false;
  }
  REQUIRE(ok);
  REQUIRE(j.is_object());
  auto str = [&](const char* key, bool has, const std::string& value) {
    auto it = j.find(key);
    bool is_str = it != j.end() && it->is_string();
    CHECK(has == is_str);
    if (has && is_str) CHECK(value == it->get<std::string>());
  };
  str("id", r.has_id, r.id);
  str("text", r.has_text, r.text);
  str("url", r.has_url, r.url);
  str("title", r.has_title, r.title);
  str("date", r.has_date, r.date);
  return true;
}

}  // namespace

TEST_CASE("JSONL fast path takes flat records and agrees with nlohmann", "[reader]") {
  CHECK(agree(R"({"id": "a", "text": "plain"})"));
  CHECK(agree(R"({"id":"a","text":"esc \" \\ \/ \b \f \n \r \t \u00e9 \u20AC \ud83d\ude00","n":-12.5,"t":true,"f":false,"z":null})"));
  CHECK(agree("{\"text\": \"raw UTF-8 \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\", \"url\": \"u\", \"title\": \"t\", \"date\": \"d\"}"));
  CHECK(agree(R"(  { "te\u0078t" : "escaped key" , "id" : "x" }  )"));
  CHECK(agree(R"({"text": "first", "text": "second"})"));
  CHECK(agree(R"({"url": "u", "url": 5, "text": "x"})"));
  CHECK(agree(R"({})"));
  CHECK(agree(R"({"text": "x", "n": 0, "m": -0.5})"));
}

TEST_CASE("JSONL fast path leaves everything else to nlohmann", "[reader]") {
  const char* slow[] = {
      R"({"id": 9, "text": "numeric id"})",
      R"({"id": null, "text": "null id"})",
      R"({"text": 5})",
      R"({"text": "x", "nested": {"a": 1}})",
      R"({"text": "x", "list": [1, 2]})",
      R"({"text": "x", "big": 1e999})",
      R"({"text": "x", "n": 123456789012345678901234567890})",
      R"([1, 2])",
      R"({"text": "unterminated)",
      R"({"text": "x",})",
      R"({"text": "x"} trailing)",
      R"({"text": "bad \x escape"})",
      R"({"text": "lone \udc00 surrogate"})",
      R"({"text": "lone \ud800 surrogate"})",
      R"({"text": "x", "n": 01})",
      R"({"text": "x", "n": 1.})",
      R"({"text": "x", "b": tru})",
      "{\"text\": \"control \x01 char\"}",
      "{\"text\": \"bad \xFF byte\"}",
      "{\"text\": \"overlong \xC0\xAF\"}",
      "{\"text\": \"surrogate \xED\xA0\x80\"}",
      "{\"text\": \"cut \xE2\x82\"}",
  };
  for (const char* line : slow) {
    INFO(line);
    FlatRecord r;
    CHECK_FALSE(parse_flat_record(line, &r));
  }
}

TEST_CASE("JSONL fast path property: random mutations never disagree", "[reader]") {
  const std::vector<std::string> seeds = {
      R"({"id": "doc-1", "text": "Panel \u2014 caf\u00e9 \"quoted\"\n", "url": "https://x.org", "n": 12})",
      "{\"text\": \"Z\xC3\xBCrich \xE2\x80\x94 ok\", \"date\": \"2024-06-11\", \"ok\": true}",
      R"({"title": "t", "text": "\ud83d\ude00 tail", "z": null, "m": -3.25})",
  };
  const char alphabet[] = {'"', '\\', '{', '}', ',', ':', ' ', 'u', 'd', '8', '0', 'e', '-', '.', '\n', '\x01',
                           '\xC3', '\xA9', '\xED', '\xA0', '\xFF', 'x', '[', 'n', 't'};
  std::mt19937 rng(7);
  int taken = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s = seeds[rng() % seeds.size()];
    int edits = 1 + rng() % 3;
    for (int k = 0; k < edits; ++k) {
      size_t pos = rng() % (s.size() + 1);
      switch (rng() % 3) {
        case 0: s.insert(s.begin() + pos, alphabet[rng() % sizeof alphabet]); break;
        case 1: if (pos < s.size()) s.erase(pos, 1); break;
        default: if (pos < s.size()) s[pos] = alphabet[rng() % sizeof alphabet]; break;
      }
    }
    if (agree(s)) ++taken;
  }
  // Some mutations keep the record valid and flat.
  CHECK(taken > 100);
}
