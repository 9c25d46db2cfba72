// A fast path for the common JSONL record (internal; use
// include/eventgraph/reader.h).
//
// Most records are flat objects of strings: {"id": "...", "text": "...",
// "url": "..."}. parse_flat_record() reads exactly those (string, number,
// true/false/null values; standard escapes; UTF-8 checked as strictly as
// nlohmann/json does) at memchr-like speed, without building a DOM. Anything
// else — nested values, an exponent or very long number, a non-string
// "id"/"text", and every malformed line — makes it return false, and the
// caller asks nlohmann/json, whose verdict and messages are authoritative.
// So when it returns true, nlohmann/json would have accepted the line with
// the same id, text and attributes (duplicate keys: the last one wins).
//
// Cost: linear in the line; no allocation once the record's strings have
// grown to size. Thread safety: pure, given a per-thread record.
#pragma once

#include <string>
#include <string_view>

namespace eventgraph {
namespace reader_internal {

struct FlatRecord {
  bool has_id = false;
  bool has_text = false;
  bool has_url = false;
  bool has_title = false;
  bool has_date = false;
  std::string id;
  std::string text;
  std::string url;
  std::string title;
  std::string date;
  std::string key;  // scratch
};

bool parse_flat_record(std::string_view line, FlatRecord* rec);

}  // namespace reader_internal
}  // namespace eventgraph
