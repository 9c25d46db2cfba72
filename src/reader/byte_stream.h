// Byte streams behind the reader (internal; use include/eventgraph/reader.h).
//
// A ByteStream hands out raw bytes from a file descriptor (a file or stdin)
// or, decompressed, from a gzip file read with zlib's gzread. It is the
// seam where a test or an in-memory source could stand in for the disk, as
// LevelDB's SequentialFile does.
//
// Thread safety: a stream is used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace eventgraph {
namespace reader_internal {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads up to n bytes into buf. Returns the count, 0 at the end, or -1 on
  // an error (then *error says why: "read error: ...", "gzip: ...").
  virtual int64_t read(char* buf, size_t n, std::string* error) = 0;
  // Raw bytes consumed so far (compressed bytes for gzip).
  virtual uint64_t raw_bytes() const = 0;
};

// Opens `path` ("-" is stdin), through zlib when `gzip`. On failure returns
// null and sets *error to "cannot open: <reason>".
std::unique_ptr<ByteStream> open_byte_stream(const std::string& path, bool gzip, std::string* error);

}  // namespace reader_internal
}  // namespace eventgraph
