// Document: one text to extract from, as read by a DocumentSource.
//
// A Document owns its bytes. `text` is the raw input (possibly invalid UTF-8);
// the normaliser turns it into clean text with an offset map back to `text`.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace eventgraph {

// A half-open byte range [begin, end).
struct ByteRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const ByteRange&) const = default;
};

struct Document {
  // Stable identifier: for a file, its path as given (relative paths kept
  // relative); for a JSONL record, its "id" field, or "<file>:<line>" when it
  // has none; for the n-th document of a split dump, "<file>#<n>" (1-based).
  std::string id;
  // Where it came from, for messages: the file path ("-" for stdin).
  std::string source;
  // 1-based line in `source` where the document starts (JSONL line, split dump).
  uint64_t line = 1;
  // Raw bytes as read.
  std::string text;
  // Optional attributes carried from JSONL ("url", "title", "date").
  std::map<std::string, std::string> attrs;
  // Position of this document in input order (0-based), set by the reader.
  uint64_t seq = 0;
};

}  // namespace eventgraph
