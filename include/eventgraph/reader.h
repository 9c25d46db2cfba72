// Reader: inputs (files, directories, stdin, JSONL, dumps, .gz) -> Documents.
//
// A DocumentSource yields documents one at a time in a deterministic order:
// inputs in the order given; a directory walked recursively in byte order of
// names, taking *.txt, *.md, *.jsonl and their .gz forms (symlink loops
// detected and reported); within a file, documents in file order.
//
// Formats (by name, or forced with ReaderOptions::input_format):
//  - text (.txt, .md, anything else): the whole file is one document, unless
//    split_on is set (a regex matched against whole lines: each matching line
//    separates documents) or the file holds form feeds (\f separates
//    documents; then ids are "<file>#<n>").
//  - jsonl (.jsonl): one JSON object per line: {"id", "text"} required
//    ("text" a string), optional "url", "title", "date" kept in attrs. A bad
//    line is reported with its line number and skipped; the rest is read.
//  - .gz: any of the above, gzip-compressed (zlib), streamed.
// Files are read in chunks, never slurped whole beyond one document.
// A document larger than max_doc_bytes, an empty one, or a binary one is
// reported (file, line, reason) and skipped.
//
// Thread safety: a DocumentSource is used by one thread (the pipeline's serial
// input stage).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "eventgraph/diagnostics.h"
#include "eventgraph/document.h"
#include "eventgraph/status.h"

namespace eventgraph {

struct ReaderOptions {
  // "auto" (by file name), "text", "jsonl". Default: "auto".
  std::string input_format = "auto";
  // RE2 pattern; a line matching it (whole line) separates documents in text
  // input. Default: empty (form feeds still split).
  std::string split_on;
  // Largest document in bytes; larger ones are skipped and reported.
  // Default: 64 MiB.
  uint64_t max_doc_bytes = 64ull << 20;
  // Largest JSONL line in bytes. Default: 256 MiB.
  uint64_t max_line_bytes = 256ull << 20;
};

class DocumentSource {
 public:
  virtual ~DocumentSource() = default;
  // Fills `doc` with the next document and returns true; false at the end.
  // Bad documents are reported to the reporter and skipped, never returned.
  virtual bool next(Document& doc) = 0;
  // Total input bytes when known up front (for progress), else 0.
  virtual uint64_t total_bytes() const { return 0; }
  // Raw bytes consumed so far (compressed bytes for .gz).
  virtual uint64_t bytes_read() const = 0;
};

// Checks every input exists and is readable before anything is read
// (a missing path is a configuration error: Status not OK naming it), then
// returns one source over all of them. "-" is stdin.
Status open_sources(const std::vector<std::string>& inputs, const ReaderOptions& options,
                    Reporter* reporter, std::unique_ptr<DocumentSource>* out);

}  // namespace eventgraph
