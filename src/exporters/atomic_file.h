// Internal: signal safety of write_file_atomic() for programs (the CLI).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "eventgraph/status.h"

namespace eventgraph {

// write_file_atomic() for content produced piece by piece, so that an
// exporter never holds a whole output file in memory: append() to a buffer
// that is written out whenever it passes kFlushBytes. The file appears under
// `path` only when commit() succeeds; an I/O error is remembered and returned
// by commit(); a writer destroyed without a successful commit() removes its
// temporary file.
//
// A large file is written with O_DIRECT from the first block boundary at
// or past `direct_after` bytes: from there on, what is appended goes through an aligned buffer of
// kDirectBytes straight to the disk, not into the page cache, so the kernel
// neither copies it into page-cache pages nor writes those back later (on a
// virtual machine, where fresh page-cache pages are dear, the copy cost
// about as much CPU as making the file). The last partial block is written
// buffered, so the bytes are exactly those of a buffered write. A file
// system that refuses O_DIRECT (or a direct write that fails with EINVAL)
// is written buffered instead. EVENTGRAPH_DIRECT_IO in the environment: 0
// turns it off, a number N of bytes sets `direct_after` for every writer.
class AtomicFileWriter {
 public:
  static constexpr size_t kFlushBytes = 1 << 20;
  static constexpr size_t kDirectAfterBytes = size_t(32) << 20;
  static constexpr size_t kDirectBytes = size_t(4) << 20;  // one direct write
  static constexpr size_t kDirectAlign = 4096;  // buffer, offsets and sizes

  // direct_after: where O_DIRECT may start (0: never); EVENTGRAPH_DIRECT_IO
  // overrides it.
  explicit AtomicFileWriter(const std::string& path, size_t direct_after = kDirectAfterBytes);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  // The buffer to append to directly (hot loops); call flush_if_full() after.
  std::string& buffer() { return buf_; }
  void flush_if_full() {
    if (buf_.size() >= kFlushBytes) write_buffer();
  }
  void append(std::string_view s) {
    buf_.append(s);
    flush_if_full();
  }
  // Writes what is buffered, then s, unbuffered (for a caller with a buffer
  // of its own).
  void write(std::string_view s);
  Status commit();
  // Whether some of the file went out with O_DIRECT (for tests).
  bool wrote_direct() const { return direct_bytes_ > 0; }

 private:
  struct FreeAligned {
    void operator()(char* p) const;
  };
  void write_buffer();
  // Every byte of the file goes through here, in order.
  void emit(const char* p, size_t n);
  void write_buffered(const char* p, size_t n);
  bool start_direct();
  void stop_direct();
  // Writes the staged bytes with O_DIRECT (without `all`, the stage is full:
  // whole blocks); with `all`, the last partial block buffered, and O_DIRECT
  // is stopped.
  void flush_stage(bool all);

  std::string path_, tmp_, buf_;
  uint64_t direct_start_ = 0;  // offset where O_DIRECT starts, a block boundary; 0: never
  bool direct_ = false;      // O_DIRECT set on fd_
  bool direct_tried_ = false;
  uint64_t written_ = 0;     // bytes handed to write(2)
  uint64_t direct_bytes_ = 0;
  std::unique_ptr<char, FreeAligned> stage_;  // kDirectBytes, aligned, while direct_
  size_t stage_len_ = 0;
  int fd_ = -1;
  int slot_ = -1;
  int err_ = 0;
  const char* what_ = "";
  bool created_ = false;
  bool done_ = false;
};

// Installs handlers for SIGINT, SIGTERM and SIGHUP (unless the signal is
// ignored already, as under nohup) that remove the temporary files of
// write_file_atomic() calls in progress, then die of the signal as before;
// and ignores SIGXFSZ, so that a file-size limit makes write() fail with
// EFBIG (reported, temporary removed) instead of killing the process.
// Files already renamed into place are not touched.
void remove_temporaries_on_signals();
// A further async-signal-safe clean-up for that handler to run first (one;
// e.g. remove_graph_store_files_on_signal). nullptr: none.
void set_signal_cleanup(void (*cleanup)());

}  // namespace eventgraph
