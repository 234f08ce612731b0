// Writes the fixture report in every format into DIR (report.xml, report.html, report.json,
// report.sarif, console.txt): the input of the consumer and browser checks.
// With --fleet N: writes DIR/fleet.html, the synthetic fleet of N endpoints (size and speed).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/atomic_file.h"
#include "reports/console.h"
#include "reports/writer.h"
#include "tests/reports/fixture.h"
#include "tests/reports/fleet.h"

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--fleet") {
    const size_t endpoints = std::strtoul(argv[2], nullptr, 10);
    const pp::ScanReport fleet = pp::reports::testing::fleet_report(endpoints);
    const std::string err = pp::reports::write_reports(fleet, {{"html", std::string(argv[3]) + "/fleet.html"}});
    if (!err.empty()) std::fprintf(stderr, "%s\n", err.c_str());
    std::printf("fleet: %zu endpoints, %zu results\n", endpoints, fleet.results.size());
    return err.empty() ? 0 : 1;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR | --fleet N DIR\n", argv[0]);
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
