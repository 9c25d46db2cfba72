// Reading the documents of one input file (internal; use
// include/eventgraph/reader.h).
//
// A FileReader turns one InputFile into Documents: text (one document, or
// pieces cut at form feeds or at lines matching ReaderOptions::split_on) or
// JSONL (one record per line). Bad pieces and records are reported and
// skipped; a read or gzip error ends the file (the piece it cut is dropped).
//
// Memory: the shared 1 MiB chunk buffer, one line (at most max_line_bytes)
// and the document being built (at most max_doc_bytes).
// Thread safety: used by one thread.
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "eventgraph/diagnostics.h"
#include "eventgraph/document.h"
#include "eventgraph/reader.h"
#include "reader/byte_stream.h"
#include "reader/chunk_reader.h"
#include "reader/dir_walker.h"
#include "reader/jsonl_fast.h"

namespace eventgraph {
namespace reader_internal {

// What the readers of all files share: options and reusable buffers.
struct ReaderContext {
  ReaderOptions options;
  std::unique_ptr<RE2> split_re;  // null when options.split_on is empty
  Reporter* reporter = nullptr;   // may be null
  std::vector<char> buffer;       // chunk buffer
  std::string line;               // scratch line
  FlatRecord flat;                // scratch JSONL record
};

class FileReader {
 public:
  FileReader(const InputFile& input, ReaderContext* ctx);

  // Opens the file; a failure is reported and false returned.
  bool open();
  // Next good document of this file, or false at its end.
  bool next(Document& doc);
  // Raw bytes consumed so far.
  uint64_t raw_bytes() const { return stream_ ? stream_->raw_bytes() : 0; }

 private:
  bool sniff_binary();
  bool next_text(Document& doc);
  // Reads one piece of text into doc.text; returns whether it ended at a
  // boundary (form feed or separator line) rather than at the end of input.
  bool read_piece_whole(Document& doc, uint64_t* bytes, bool* overflow);
  bool read_piece_lines(Document& doc, uint64_t* bytes, bool* overflow);
  bool next_jsonl(Document& doc);
  bool parse_record(uint64_t line, Document& doc);
  bool accept_record(uint64_t line, std::string& id, std::string& body, Document& doc);
  void report(uint64_t line, const std::string& doc, std::string reason);

  const InputFile& input_;
  ReaderContext* ctx_;
  std::unique_ptr<ByteStream> stream_;
  std::unique_ptr<ChunkReader> chunks_;
  bool started_ = false;
  bool done_ = false;
  uint64_t line_ = 0;       // lines consumed so far
  uint64_t pieces_ = 0;     // non-empty text pieces seen
  bool had_boundary_ = false;
};

}  // namespace reader_internal
}  // namespace eventgraph
