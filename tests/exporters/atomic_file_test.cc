// write_file_atomic: content lands whole or not at all; the old file survives
// every failure and no temporary is left behind.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>

#include "eventgraph/exporter.h"
#include "exporters/atomic_file.h"
#include "testutil/testutil.h"

using namespace eventgraph;
namespace fs = std::filesystem;

namespace {

size_t entries(const std::string& dir) {
  size_t n = 0;
  for (auto it = fs::directory_iterator(dir); it != fs::directory_iterator(); ++it) ++n;
  return n;
}

// Whether files in `dir` take O_DIRECT writes (most local file systems do;
// tmpfs before Linux 6.6 does not).
bool takes_direct_writes(const std::string& dir) {
  const std::string probe = dir + "/.direct-probe";
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0600);
  bool ok = false;
  if (fd >= 0) {
    void* block = nullptr;
    if (::posix_memalign(&block, 4096, 4096) == 0) {
      std::memset(block, 'p', 4096);
      ok = ::write(fd, block, 4096) == 4096;
      std::free(block);
    }
    ::close(fd);
  }
  ::unlink(probe.c_str());
  return ok;
}

// Sets or unsets an environment variable for a scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value->c_str(), 1);
    else ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Bytes that differ at every offset, so a block written twice, dropped or
// out of place shows.
std::string pattern(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    s[i] = static_cast<char>('a' + x % 26);
  }
  return s;
}

}  // namespace

TEST_CASE("AtomicFileWriter past its O_DIRECT threshold writes exactly the bytes given", "[exporters]") {
  ScopedEnv no_override("EVENTGRAPH_DIRECT_IO", std::nullopt);
  egtest::TempDir tmp;
  const bool direct_here = takes_direct_writes(tmp.path());
  constexpr size_t B = AtomicFileWriter::kDirectBytes;
  constexpr size_t A = AtomicFileWriter::kDirectAlign;
  const size_t sizes[] = {0, 1, A - 1, A, A + 1, 3 * A + 17, B - 1, B, B + A + 7, 3 * B + 100};
  const size_t thresholds[] = {0, 1, A, 5000, B + 3};
  int case_no = 0;
  for (size_t size : sizes) {
    for (size_t after : thresholds) {
      ++case_no;
      const std::string want = pattern(size, uint32_t(case_no));
      const std::string path = tmp / ("f" + std::to_string(case_no));
      AtomicFileWriter w(path, after);
      // Pieces of varying sizes, some through the writer's buffer (append,
      // buffer()), some handed over whole (write), as the exporters do.
      size_t at = 0, step = 0;
      while (at < want.size()) {
        const size_t piece = std::min(want.size() - at, size_t(1 + (step * 7919) % 70001) * (step % 5 == 4 ? 40 : 1));
        const std::string_view part(want.data() + at, piece);
        switch (step % 3) {
          case 0: w.append(part); break;
          case 1: w.write(part); break;
          default: w.buffer().append(part); w.flush_if_full(); break;
        }
        at += piece;
        ++step;
      }
      INFO("size " << size << ", direct after " << after << ", O_DIRECT here: " << direct_here);
      REQUIRE(w.commit().is_ok());
      CHECK(egtest::read_file(path) == want);
      // Direct writes happen when at least one whole block lies past the
      // threshold (rounded up to a block boundary).
      const size_t start = (after + A - 1) / A * A;
      const bool expect_direct = direct_here && after > 0 && size >= start + A;
      CHECK(w.wrote_direct() == expect_direct);
    }
  }
  CHECK(entries(tmp.path()) == std::size(sizes) * std::size(thresholds));  // no temporaries left
}

TEST_CASE("EVENTGRAPH_DIRECT_IO turns O_DIRECT off or sets where it starts", "[exporters]") {
  egtest::TempDir tmp;
  const bool direct_here = takes_direct_writes(tmp.path());
  const std::string want = pattern(size_t(1) << 20, 7);
  auto write_with = [&](std::optional<std::string> env, size_t after) {
    ScopedEnv e("EVENTGRAPH_DIRECT_IO", env);
    AtomicFileWriter w(tmp / "g", after);
    w.write(want);
    REQUIRE(w.commit().is_ok());
    CHECK(egtest::read_file(tmp / "g") == want);
    return w.wrote_direct();
  };
  CHECK_FALSE(write_with("0", 1));                  // off, whatever the writer asks
  CHECK(write_with("4096", AtomicFileWriter::kDirectAfterBytes) == direct_here);  // 1 MiB < 32 MiB
  CHECK_FALSE(write_with(std::nullopt, AtomicFileWriter::kDirectAfterBytes));
  CHECK(write_with("not a number", 4096) == direct_here);  // ignored: the writer's own
}

TEST_CASE("write_file_atomic writes and replaces", "[exporters]") {
  egtest::TempDir tmp;
  const std::string path = tmp / "graph.graphml";
  REQUIRE(write_file_atomic(path, "first").is_ok());
  CHECK(egtest::read_file(path) == "first");
  REQUIRE(write_file_atomic(path, std::string("sec\0ond", 7)).is_ok());
  CHECK(egtest::read_file(path) == std::string("sec\0ond", 7));
  REQUIRE(write_file_atomic(path, "").is_ok());
  CHECK(egtest::read_file(path).empty());
  CHECK(entries(tmp.path()) == 1);  // no temporaries left
}

TEST_CASE("write_file_atomic failing mid-write leaves the old file intact", "[exporters]") {
  egtest::TempDir tmp;
  const std::string path = tmp / "graph.jsonld";
  egtest::write_file(path, "old good content");
  // Fault injection that works even as root: a file size limit makes write()
  // fail with EFBIG part-way through.
  struct rlimit old_limit;
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old_limit;
  small.rlim_cur = 4096;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
  Status st = write_file_atomic(path, std::string(100000, 'x'));
  setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);

  REQUIRE_FALSE(st.is_ok());
  CHECK(st.kind() == Status::Kind::kIOError);
  CHECK_THAT(st.message(), Catch::Contains(path));
  CHECK_THAT(st.message(), Catch::Contains("too large"));  // strerror(EFBIG)
  CHECK(egtest::read_file(path) == "old good content");
  CHECK(entries(tmp.path()) == 1);
}

TEST_CASE("write_file_atomic reports a missing or unwritable folder", "[exporters]") {
  egtest::TempDir tmp;
  const std::string missing = tmp / "no/such/dir/graph.graphml";
  Status st = write_file_atomic(missing, "x");
  REQUIRE_FALSE(st.is_ok());
  CHECK_THAT(st.message(), Catch::Contains(missing));
  CHECK_THAT(st.message(), Catch::Contains("No such file or directory"));

  // A target that is a non-empty folder: rename fails, the folder stays.
  const std::string dir_target = tmp / "out";
  egtest::write_file(dir_target + "/keep.txt", "keep");
  st = write_file_atomic(dir_target, "x");
  REQUIRE_FALSE(st.is_ok());
  CHECK_THAT(st.message(), Catch::Contains("rename"));
  CHECK(egtest::read_file(dir_target + "/keep.txt") == "keep");
  CHECK(entries(tmp.path()) == 1);

  if (geteuid() != 0) {  // permissions do not bind root
    const std::string ro = tmp / "ro";
    egtest::write_file(ro + "/graph.graphml", "old");
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
    st = write_file_atomic(ro + "/graph.graphml", "new");
    fs::permissions(ro, fs::perms::owner_all);
    CHECK_FALSE(st.is_ok());
    CHECK(egtest::read_file(ro + "/graph.graphml") == "old");
  }
}
