// Chunked, delimiter-splitting reads over a ByteStream (internal; use
// include/eventgraph/reader.h).
//
// ChunkReader reads its stream in buffer-sized chunks (1 MiB by default,
// the buffer is borrowed so that it is reused across files) and cuts the
// bytes into segments ending at a delimiter ('\n' and/or '\f'). A segment is
// appended to a caller's string only while it stays within a byte limit;
// past the limit the rest is drained and counted without being stored, so a
// 10 GB line costs one buffer of memory. Memory is O(buffer + limit).
//
// Thread safety: used by one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reader/byte_stream.h"

namespace eventgraph {
namespace reader_internal {

struct Segment {
  char terminator = 0;    // '\n', '\f', or 0 when the input ended
  uint64_t bytes = 0;     // bytes consumed, terminator included
  uint64_t newlines = 0;  // '\n' bytes consumed (terminator included)
  bool overflow = false;  // longer than the limit: nothing was kept
};

class ChunkReader {
 public:
  // REQUIRES: buffer->size() >= 8192 and stays alive and unshared while
  // this reader is in use.
  ChunkReader(ByteStream* stream, std::vector<char>* buffer);

  // Up to n bytes from the current position, without consuming them.
  std::string_view peek(size_t n);

  // Reads the next segment: bytes up to the first '\n' (when split_nl) or
  // '\f' (when split_ff). Appends them, without the terminator, to *out as
  // long as they come to at most `limit` bytes; otherwise leaves *out as it
  // was and sets seg->overflow. Returns false when nothing is left or on a
  // read error (see failed()); a segment cut by an error is not returned.
  bool read_segment(std::string* out, bool split_nl, bool split_ff, uint64_t limit, Segment* seg);

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  // Reads more bytes after end_, compacting first. False at EOF or error.
  bool fill();

  ByteStream* stream_;
  std::vector<char>* buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  std::string error_;
};

}  // namespace reader_internal
}  // namespace eventgraph
