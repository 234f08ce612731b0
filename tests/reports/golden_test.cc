// Golden files: the fixture report rendered in every format, compared byte for byte with
// tests/reports/golden/. PP_UPDATE_GOLDEN=1 rewrites them (review the diff before committing).
#include <catch2/catch.hpp>
#include <cstdlib>

#include "core/atomic_file.h"
#include "reports/console.h"
#include "reports/writer.h"
#include "tests/reports/fixture.h"

using namespace pp;

namespace {
std::string golden_dir() {
  const char* src = std::getenv("PP_SOURCE_DIR");
  return std::string(src ? src : ".") + "/tests/reports/golden/";
}

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = golden_dir() + name;
  const char* update = std::getenv("PP_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    REQUIRE(write_file_atomically(path, actual) == "");
    WARN("rewrote " << path);
    return;
  }
  std::string expected, err;
  INFO("golden file " << path << " (PP_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(read_file(path, expected, err));
  if (expected != actual) {
    size_t i = 0;
    while (i < expected.size() && i < actual.size() && expected[i] == actual[i]) ++i;
    const size_t from = i > 80 ? i - 80 : 0;
    FAIL("differs at byte " << i << "\nexpected: " << expected.substr(from, 200) << "\nactual:   " << actual.substr(from, 200));
  }
}
}  // namespace

TEST_CASE("golden report files") {
  const ScanReport report = reports::testing::fixture_report();
  check_golden("report.json", reports::find_writer("json")->render(report));
  check_golden("report.xml", reports::find_writer("junit")->render(report));
  check_golden("report.sarif", reports::find_writer("sarif")->render(report));
  check_golden("report.html", reports::find_writer("html")->render(report));
  check_golden("console.txt", reports::render_console(report));
}
