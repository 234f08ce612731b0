#include "core/atomic_file.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <ctime>
#include <fstream>

using namespace pp;

namespace {

void touch(const std::string& path, time_t mtime) {
  std::ofstream(path) << "partial";
  struct utimbuf t {mtime, mtime};
  utime(path.c_str(), &t);
}

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

}  // namespace

TEST_CASE("atomic write replaces whole files") {
  std::string path = "pp_core_test_atomic.txt";
  REQUIRE(write_file_atomically(path, "first").empty());
  REQUIRE(write_file_atomically(path, "second").empty());
  std::string got, err;
  REQUIRE(read_file(path, got, err));
  REQUIRE(got == "second");
  std::remove(path.c_str());
  REQUIRE_FALSE(write_file_atomically("/nonexistent-dir/x.json", "x").empty());
}

TEST_CASE("a complete write sweeps stale temp files of the same path, and only those") {
  const std::string path = "pp_core_test_sweep.json";
  const time_t hour_ago = time(nullptr) - 3600;
  touch(path + ".tmp.AbC123", hour_ago);    // a killed writer's leftover
  touch(path + ".tmp.XyZ789", time(nullptr));  // may be a writer still busy: kept
  touch(path + ".tmp.toolong1", hour_ago);  // not our pattern: kept
  touch("other.json.tmp.AbC123", hour_ago);  // another report's: kept
  REQUIRE(write_file_atomically(path, "{}").empty());
  CHECK_FALSE(exists(path + ".tmp.AbC123"));
  CHECK(exists(path + ".tmp.XyZ789"));
  CHECK(exists(path + ".tmp.toolong1"));
  CHECK(exists("other.json.tmp.AbC123"));
  CHECK(sweep_stale_temp_files(path, -1) == 1);  // everything of the pattern, however fresh
  CHECK_FALSE(exists(path + ".tmp.XyZ789"));
  for (const char* f : {"pp_core_test_sweep.json", "pp_core_test_sweep.json.tmp.toolong1", "other.json.tmp.AbC123"})
    std::remove(f);
}

TEST_CASE("a streamed write that is never committed leaves the old file and no temp file") {
  const std::string path = "pp_core_test_stream.json";
  REQUIRE(write_file_atomically(path, "old").empty());
  {
    AtomicWriter w;
    REQUIRE(w.open(path).empty());
    CHECK(w.write(std::string(300 * 1024, 'x')));  // beyond the buffer: part of it reached the temp file
  }  // no commit: a scan that failed half-way
  std::string got, err;
  REQUIRE(read_file(path, got, err));
  CHECK(got == "old");
  CHECK(sweep_stale_temp_files(path, -1) == 0);  // the destructor already removed its temp file
  AtomicWriter w;
  REQUIRE(w.open(path).empty());
  CHECK(w.write("new, "));
  CHECK(w.write("in pieces"));
  REQUIRE(w.commit().empty());
  REQUIRE(read_file(path, got, err));
  CHECK(got == "new, in pieces");
  std::remove(path.c_str());
}

TEST_CASE("an interrupt handler can remove the temp files being written, and only those") {
  const std::string a = "pp_core_test_registry_a.json", b = "pp_core_test_registry_b.json";
  REQUIRE(write_file_atomically(b, "old b").empty());
  {
    AtomicWriter done;
    REQUIRE(done.open(b).empty());
    done.write("new b");
    REQUIRE(done.commit().empty());  // committed: unregistered, so the handler leaves b alone
  }
  AtomicWriter busy;
  REQUIRE(busy.open(a).empty());
  busy.write("half");
  auto temp_files = [&] {
    int n = 0;
    DIR* d = opendir(".");
    while (const dirent* e = readdir(d))
      if (std::string(e->d_name).rfind(a + ".tmp.", 0) == 0) ++n;
    closedir(d);
    return n;
  };
  REQUIRE(temp_files() == 1);
  remove_registered_temp_files();  // what the SIGINT/SIGTERM handler does before _exit
  REQUIRE(temp_files() == 0);
  REQUIRE_FALSE(exists(a));
  std::string got, err;
  REQUIRE(read_file(b, got, err));
  REQUIRE(got == "new b");
  std::remove(b.c_str());
}
