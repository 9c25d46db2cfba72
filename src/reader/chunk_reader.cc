// ChunkReader. See chunk_reader.h.
#include "reader/chunk_reader.h"

#include <algorithm>
#include <cstring>

namespace eventgraph {
namespace reader_internal {

ChunkReader::ChunkReader(ByteStream* stream, std::vector<char>* buffer) : stream_(stream), buffer_(buffer) {}

bool ChunkReader::fill() {
  if (eof_ || failed()) return false;
  char* buf = buffer_->data();
  if (pos_ > 0) {
    std::memmove(buf, buf + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buffer_->size()) return true;  // full already (peek asked for less)
  int64_t got = stream_->read(buf + end_, buffer_->size() - end_, &error_);
  if (got < 0) {
    if (error_.empty()) error_ = "read error";
    return false;
  }
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += static_cast<size_t>(got);
  return true;
}

std::string_view ChunkReader::peek(size_t n) {
  n = std::min(n, buffer_->size());
  while (end_ - pos_ < n && fill()) {
  }
  return std::string_view(buffer_->data() + pos_, std::min(n, end_ - pos_));
}

bool ChunkReader::read_segment(std::string* out, bool split_nl, bool split_ff, uint64_t limit, Segment* seg) {
  *seg = Segment();
  const size_t start_size = out->size();
  bool any = false;
  for (;;) {
    if (pos_ == end_ && !fill()) break;
    any = true;
    const char* b = buffer_->data() + pos_;
    const char* e = buffer_->data() + end_;
    const char* hit = nullptr;
    if (split_nl) hit = static_cast<const char*>(std::memchr(b, '\n', e - b));
    if (split_ff) {
      const char* ff = static_cast<const char*>(std::memchr(b, '\f', (hit ? hit : e) - b));
      if (ff) hit = ff;
    }
    const char* stop = hit ? hit : e;
    const size_t len = static_cast<size_t>(stop - b);
    if (!split_nl) seg->newlines += static_cast<uint64_t>(std::count(b, stop, '\n'));
    seg->bytes += len;
    if (!seg->overflow) {
      if (out->size() - start_size + len <= limit) {
        out->append(b, len);
      } else {
        seg->overflow = true;
        out->resize(start_size);
      }
    }
    pos_ += len;
    if (hit) {
      seg->terminator = *hit;
      ++seg->bytes;
      if (*hit == '\n') ++seg->newlines;
      ++pos_;
      return true;
    }
  }
  if (failed()) {
    out->resize(start_size);
    return false;
  }
  return any;
}

}  // namespace reader_internal
}  // namespace eventgraph
