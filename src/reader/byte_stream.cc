// File-descriptor and gzip byte streams. See byte_stream.h.
#include "reader/byte_stream.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace eventgraph {
namespace reader_internal {
namespace {

class FdStream final : public ByteStream {
 public:
  FdStream(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~FdStream() override {
    if (owned_) ::close(fd_);
  }
  int64_t read(char* buf, size_t n, std::string* error) override {
    for (;;) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) {
        consumed_ += static_cast<uint64_t>(r);
        return r;
      }
      if (errno == EINTR) continue;
      *error = std::string("read error: ") + std::strerror(errno);
      return -1;
    }
  }
  uint64_t raw_bytes() const override { return consumed_; }

 private:
  int fd_;
  bool owned_;
  uint64_t consumed_ = 0;
};

// zlib's gzread streams the decompressed bytes. A truncated or corrupt file
// shows up as an error state after the last good bytes: those bytes are
// handed out first and the error on the following call.
class GzStream final : public ByteStream {
 public:
  explicit GzStream(gzFile f) : f_(f) {}
  ~GzStream() override { gzclose_r(f_); }
  int64_t read(char* buf, size_t n, std::string* error) override {
    if (!pending_error_.empty()) {
      *error = pending_error_;
      return -1;
    }
    if (n > INT_MAX) n = INT_MAX;
    int got = gzread(f_, buf, static_cast<unsigned>(n));
    int errnum = Z_OK;
    const char* msg = gzerror(f_, &errnum);
    if (errnum == Z_ERRNO) msg = std::strerror(errno);
    if (got > 0) {
      if (errnum != Z_OK) pending_error_ = std::string("gzip: ") + msg;
      return got;
    }
    if (got < 0 || errnum != Z_OK) {
      *error = std::string("gzip: ") + (msg && *msg ? msg : "read error");
      return -1;
    }
    return 0;
  }
  uint64_t raw_bytes() const override {
    z_off_t off = gzoffset(f_);
    return off > 0 ? static_cast<uint64_t>(off) : 0;
  }

 private:
  gzFile f_;
  std::string pending_error_;
};

}  // namespace

std::unique_ptr<ByteStream> open_byte_stream(const std::string& path, bool gzip, std::string* error) {
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = std::string("cannot open: ") + std::strerror(errno);
    return nullptr;
  }
  if (!gzip) return std::make_unique<FdStream>(fd, path != "-");
  // gzdopen takes ownership of fd (gzclose closes it); for stdin, hand it a
  // duplicate so that stdin itself stays open.
  int gz_fd = path == "-" ? ::dup(fd) : fd;
  gzFile f = gz_fd < 0 ? nullptr : gzdopen(gz_fd, "rb");
  if (f == nullptr) {
    *error = std::string("cannot open: ") + (errno ? std::strerror(errno) : "zlib could not start");
    if (gz_fd >= 0) ::close(gz_fd);
    return nullptr;
  }
  gzbuffer(f, 256 * 1024);
  return std::make_unique<GzStream>(f);
}

}  // namespace reader_internal
}  // namespace eventgraph
