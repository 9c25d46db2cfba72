// Internal: signal safety of write_file_atomic() for programs (the CLI).
#pragma once

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
class AtomicFileWriter {
 public:
  static constexpr size_t kFlushBytes = 1 << 20;

  explicit AtomicFileWriter(const std::string& path);
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

 private:
  void write_buffer();

  std::string path_, tmp_, buf_;
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
