// Writes the fixture report in every format into DIR (report.xml, report.html, report.json,
// report.sarif, console.txt): the input of the consumer and browser checks.
#include <cstdio>

#include "reports/console.h"
#include "reports/writer.h"
#include "tests/reports/fixture.h"
#include "core/atomic_file.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const pp::ScanReport report = pp::reports::testing::fixture_report();
  std::string err = pp::reports::write_reports(report, {{"junit", dir + "/report.xml"},
                                                        {"html", dir + "/report.html"},
                                                        {"json", dir + "/report.json"},
                                                        {"sarif", dir + "/report.sarif"}});
  if (err.empty()) err = pp::write_file_atomically(dir + "/console.txt", pp::reports::render_console(report));
  if (!err.empty()) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 1;
  }
  return 0;
}
