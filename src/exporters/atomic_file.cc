// write_file_atomic(): temp file in the same folder, write, fsync, rename,
// as LevelDB's SetCurrentFile does. On any failure the temp file is removed
// and the target is left as it was.
#include "exporters/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
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

// Registers `tmp` while it exists; a full table only loses the cleanup.
class InProgress {
 public:
  explicit InProgress(const std::string& tmp) {
    for (int i = 0; i < kSlots; ++i) {
      const char* expected = nullptr;
      if (g_in_progress[i].compare_exchange_strong(expected, tmp.c_str())) {
        slot_ = i;
        break;
      }
    }
  }
  ~InProgress() {
    if (slot_ >= 0) g_in_progress[slot_].store(nullptr);
  }
  InProgress(const InProgress&) = delete;
  InProgress& operator=(const InProgress&) = delete;

 private:
  int slot_ = -1;
};

extern "C" void remove_temporaries_and_die(int sig) {
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
int write_all(int fd, const std::string& content) {
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

Status write_file_atomic(const std::string& path, const std::string& content) {
  const std::string tmp = temp_name_for(path);
  InProgress registered(tmp);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return fail(path, "cannot create temporary file", errno);
  int err = write_all(fd, content);
  const char* what = "write failed";
  if (err == 0 && ::fsync(fd) != 0) err = errno, what = "fsync failed";
  if (::close(fd) != 0 && err == 0) err = errno, what = "close failed";
  if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno, what = "rename failed";
  if (err != 0) {
    ::unlink(tmp.c_str());
    return fail(path, what, err);
  }
  sync_parent_dir(path);
  return Status::ok();
}

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
