// write_file_atomic(): temp file in the same folder, write, fsync, rename,
// as LevelDB's SetCurrentFile does. On any failure the temp file is removed
// and the target is left as it was.
#include "exporters/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "eventgraph/exporter.h"

namespace eventgraph {
namespace {

std::atomic<unsigned> g_counter{0};

// Temporaries being written, for the signal handler (which may only call
// async-signal-safe functions: it reads these pointers and unlink()s).
constexpr int kSlots = 64;
std::atomic<const char*> g_in_progress[kSlots];

std::atomic<void (*)()> g_cleanup{nullptr};

extern "C" void remove_temporaries_and_die(int sig) {
  if (void (*cleanup)() = g_cleanup.load()) cleanup();
  for (int i = 0; i < kSlots; ++i) {
    const char* p = g_in_progress[i].load();
    if (p != nullptr) ::unlink(p);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

std::string temp_name_for(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  return dir + "." + base + ".tmp." + std::to_string(::getpid()) + "." +
         std::to_string(g_counter.fetch_add(1));
}

Status fail(const std::string& path, const char* what, int err) {
  return Status::io_error(path + ": " + what + ": " + std::strerror(err));
}

// Writes all of `content` to fd, retrying short writes and EINTR.
int write_all(int fd, std::string_view content) {
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return 0;
}

// EVENTGRAPH_DIRECT_IO: unset, the writer's own threshold; "0", never
// direct; a positive number, direct after that many bytes.
size_t direct_after_from_env(size_t fallback) {
  const char* e = std::getenv("EVENTGRAPH_DIRECT_IO");
  if (e == nullptr || *e == '\0') return fallback;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(e, &end, 10);
  if (errno != 0 || end == e || *end != '\0') return fallback;
  return static_cast<size_t>(v);
}

// Best effort: makes the rename itself durable. A failure here is not an
// error of the write (the content is complete under its final name).
void sync_parent_dir(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void AtomicFileWriter::FreeAligned::operator()(char* p) const { std::free(p); }

AtomicFileWriter::AtomicFileWriter(const std::string& path, size_t direct_after)
    : path_(path) {
  // Direct from the first block boundary at or past the threshold.
  const uint64_t after = direct_after_from_env(direct_after);
  direct_start_ = after == 0 ? 0 : (after + kDirectAlign - 1) / kDirectAlign * kDirectAlign;
  tmp_ = temp_name_for(path);
  for (int i = 0; i < kSlots; ++i) {
    const char* expected = nullptr;
    if (g_in_progress[i].compare_exchange_strong(expected, tmp_.c_str())) {
      slot_ = i;
      break;
    }
  }
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    err_ = errno;
    what_ = "cannot create temporary file";
  }
  created_ = fd_ >= 0;
  buf_.reserve(kFlushBytes + kFlushBytes / 4);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!done_ && created_) ::unlink(tmp_.c_str());
  if (slot_ >= 0) g_in_progress[slot_].store(nullptr);
}

void AtomicFileWriter::write_buffer() {
  emit(buf_.data(), buf_.size());
  buf_.clear();
}

void AtomicFileWriter::write(std::string_view s) {
  write_buffer();
  emit(s.data(), s.size());
}

void AtomicFileWriter::write_buffered(const char* p, size_t n) {
  if (err_ != 0 || n == 0) return;
  err_ = write_all(fd_, std::string_view(p, n));
  if (err_ != 0) what_ = "write failed";
  else written_ += n;
}

bool AtomicFileWriter::start_direct() {
  direct_tried_ = true;
  void* mem = nullptr;
  if (::posix_memalign(&mem, kDirectAlign, kDirectBytes) != 0) return false;
  const int fl = ::fcntl(fd_, F_GETFL);
  if (fl < 0 || ::fcntl(fd_, F_SETFL, fl | O_DIRECT) != 0) {  // e.g. EINVAL: not on this file system
    std::free(mem);
    return false;
  }
  stage_.reset(static_cast<char*>(mem));
  stage_len_ = 0;
  direct_ = true;
  return true;
}

void AtomicFileWriter::stop_direct() {
  if (!direct_) return;
  direct_ = false;
  const int fl = ::fcntl(fd_, F_GETFL);
  if (fl >= 0) ::fcntl(fd_, F_SETFL, fl & ~O_DIRECT);
}

void AtomicFileWriter::flush_stage(bool all) {
  size_t off = 0;
  const size_t whole = stage_len_ - stage_len_ % kDirectAlign;
  while (direct_ && err_ == 0 && off < whole) {
    ssize_t n = ::write(fd_, stage_.get() + off, whole - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EINVAL) {  // direct refused after all: the rest goes buffered
      stop_direct();
      break;
    }
    if (n < 0) {
      err_ = errno;
      what_ = "write failed";
      return;
    }
    off += static_cast<size_t>(n);
    written_ += static_cast<uint64_t>(n);
    direct_bytes_ += static_cast<uint64_t>(n);
    if (n % kDirectAlign != 0) stop_direct();  // a short write off a block: go on buffered
  }
  if (err_ != 0) return;
  if (!direct_ || all) {  // the last partial block, or all that direct writes did not take
    stop_direct();
    write_buffered(stage_.get() + off, stage_len_ - off);
    stage_.reset();
  }
  stage_len_ = 0;  // without `all` the stage was full, so whole blocks only
}

void AtomicFileWriter::emit(const char* p, size_t n) {
  if (err_ != 0 || fd_ < 0 || n == 0) return;
  if (!direct_) {
    // (Until direct_start_ every byte was written buffered, so written_ has
    // not passed it.)
    if (direct_start_ == 0 || direct_tried_ || written_ + n <= direct_start_) {
      write_buffered(p, n);
      return;
    }
    const size_t head = static_cast<size_t>(direct_start_ - written_);
    write_buffered(p, head);
    p += head;
    n -= head;
    if (err_ != 0) return;
    if (!start_direct()) {
      write_buffered(p, n);
      return;
    }
  }
  while (n > 0 && direct_) {
    const size_t c = std::min(n, kDirectBytes - stage_len_);
    std::memcpy(stage_.get() + stage_len_, p, c);
    stage_len_ += c;
    p += c;
    n -= c;
    if (stage_len_ == kDirectBytes) flush_stage(false);
    if (err_ != 0) return;
  }
  write_buffered(p, n);  // direct stopped on the way
}

Status AtomicFileWriter::commit() {
  write_buffer();
  if (direct_) flush_stage(true);
  if (fd_ < 0) return fail(path_, what_, err_);
  int err = err_;
  const char* what = what_;
  if (err == 0 && ::fsync(fd_) != 0) err = errno, what = "fsync failed";
  if (::close(fd_) != 0 && err == 0) err = errno, what = "close failed";
  fd_ = -1;
  if (err == 0 && ::rename(tmp_.c_str(), path_.c_str()) != 0) err = errno, what = "rename failed";
  if (err != 0) return fail(path_, what, err);  // the destructor removes the temporary
  done_ = true;
  sync_parent_dir(path_);
  return Status::ok();
}

Status write_file_atomic(const std::string& path, const std::string& content) {
  AtomicFileWriter w(path);
  w.append(content);
  return w.commit();
}

void set_signal_cleanup(void (*cleanup)()) { g_cleanup.store(cleanup); }

void remove_temporaries_on_signals() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old;
    if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) continue;
    struct sigaction sa = {};
    sa.sa_handler = remove_temporaries_and_die;
    sigemptyset(&sa.sa_mask);
    ::sigaction(sig, &sa, nullptr);
  }
  ::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace eventgraph
