// write_file_atomic: content lands whole or not at all; the old file survives
// every failure and no temporary is left behind.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include "eventgraph/exporter.h"
#include "testutil/testutil.h"

using namespace eventgraph;
namespace fs = std::filesystem;

namespace {

size_t entries(const std::string& dir) {
  size_t n = 0;
  for (auto it = fs::directory_iterator(dir); it != fs::directory_iterator(); ++it) ++n;
  return n;
}

}  // namespace

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
