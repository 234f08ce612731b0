#include "core/input_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

using namespace pp;

TEST_CASE("read_input_file reads a whole file") {
  const std::string path = "pp_input_file_test.txt";
  std::ofstream(path) << "schema = 1\n";
  std::string text;
  REQUIRE(read_input_file(path, kMaxTomlInputBytes, text).empty());
  REQUIRE(text == "schema = 1\n");
  std::remove(path.c_str());
}

TEST_CASE("read_input_file names why a path is not a readable input") {
  std::string text = "stale";
  SECTION("a directory is not read as an empty file") {
    const std::string dir = "pp_input_file_test_dir";
    ::mkdir(dir.c_str(), 0755);
    REQUIRE(read_input_file(dir, kMaxTomlInputBytes, text) == "is a directory");
    ::rmdir(dir.c_str());
  }
  SECTION("a symlink loop is not 'no such file'") {
    const std::string loop = "pp_input_file_test_loop";
    ::unlink(loop.c_str());
    REQUIRE(::symlink(loop.c_str(), loop.c_str()) == 0);
    REQUIRE(read_input_file(loop, kMaxTomlInputBytes, text) == "too many levels of symbolic links");
    ::unlink(loop.c_str());
  }
  SECTION("a missing file") {
    REQUIRE(read_input_file("pp_input_file_test_missing", kMaxTomlInputBytes, text) == "no such file or directory");
  }
  REQUIRE(text.empty());
}

TEST_CASE("read_input_file refuses a file beyond its limit before reading it") {
  const std::string path = "pp_input_file_test_big.json";
  { std::ofstream(path) << std::string(2000, 'x'); }
  std::string text, err;
  REQUIRE(read_input_file(path, 1000, text) == "is 2000 bytes, over the 1000 bytes limit for this input");
  REQUIRE(text.empty());
  REQUIRE(read_input_file(path, 2000, text).empty());
  REQUIRE(text.size() == 2000);
  // A sparse file: its size says it is too big, and nothing of it is read.
  REQUIRE(::truncate(path.c_str(), static_cast<off_t>(kMaxReportInputBytes + 1)) == 0);
  REQUIRE_FALSE(read_file(path, text, err));
  REQUIRE(err == "cannot read " + path + ": is 67108865 bytes, over the 64 MiB limit for this input");
  std::remove(path.c_str());
}
