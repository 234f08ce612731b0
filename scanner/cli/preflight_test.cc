#include "cli/preflight.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

using namespace pp::cli;

namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("--ca-file must exist and hold a PEM certificate") {
  REQUIRE(contains(check_ca_file("pp_preflight_no_such.pem"), "pp_preflight_no_such.pem: no such file or directory"));
  const std::string path = "pp_preflight_ca.pem";
  { std::ofstream(path) << "this is a key, not a certificate\n"; }
  REQUIRE(contains(check_ca_file(path), path + ": holds no PEM certificate"));
  { std::ofstream(path) << "# CA\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"; }
  REQUIRE(check_ca_file(path).empty());
  std::remove(path.c_str());
  ::mkdir("pp_preflight_dir", 0755);
  REQUIRE(contains(check_ca_file("pp_preflight_dir"), "pp_preflight_dir: is a directory"));
}

TEST_CASE("a report path must be creatable before the scan starts") {
  REQUIRE(check_report_path("-").empty());
  REQUIRE(check_report_path("pp_preflight_report.json").empty());
  REQUIRE(::access("pp_preflight_report.json", F_OK) != 0);  // the check leaves nothing behind
  REQUIRE(contains(check_report_path("/nonexistent-dir/r.json"), "directory /nonexistent-dir: no such file"));
  ::mkdir("pp_preflight_dir", 0755);
  REQUIRE(contains(check_report_path("pp_preflight_dir"), "report pp_preflight_dir: is a directory"));
  { std::ofstream("pp_preflight_file") << "x"; }
  REQUIRE(contains(check_report_path("pp_preflight_file/r.json"), "pp_preflight_file is not a directory"));
  std::remove("pp_preflight_file");
  if (geteuid() != 0) {  // root may write anywhere the mount allows
    ::mkdir("pp_preflight_ro", 0555);
    ::chmod("pp_preflight_ro", 0555);
    REQUIRE(contains(check_report_path("pp_preflight_ro/r.json"), "cannot create a file in pp_preflight_ro"));
    ::rmdir("pp_preflight_ro");
  }
}

TEST_CASE("at most one report goes to standard output") {
  REQUIRE(check_report_outputs({{"json", "-"}, {"junit", "r.xml"}}).empty());
  REQUIRE(contains(check_report_outputs({{"json", "-"}, {"sarif", "-"}}),
                   "--json - and --sarif -: only one report can go to standard output"));
  ScanOptions o;
  o.reports = {{"json", "-"}};
  REQUIRE(report_to_stdout(o));
  REQUIRE(preflight_scan(o).empty());
  o.ca_file = "pp_preflight_no_such.pem";
  REQUIRE(contains(preflight_scan(o), "--ca-file"));
}
