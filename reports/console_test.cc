#include <catch2/catch.hpp>

#include "reports/console.h"
#include "tests/reports/fixture.h"

using namespace pp;
using namespace pp::reports;

TEST_CASE("console summary counts and lists failures by severity") {
  const std::string out = render_console(testing::fixture_report());
  INFO(out);
  REQUIRE(out.find("12 results on 3 targets") != std::string::npos);
  REQUIRE(out.find("fail 6  error 1  waived 1  skipped 1  pass 3") != std::string::npos);
  REQUIRE(out.find("critical 2  high 1  medium 1  low 1  info 1") != std::string::npos);
  const size_t crit = out.find("CRITICAL CERT-001");
  const size_t high = out.find("HIGH     EAS-001 mail.example.com:443/Microsoft-Server-ActiveSync: plain HTTP");
  const size_t low = out.find("LOW      MAIL-002");
  const size_t info = out.find("INFO     TLS-009");
  REQUIRE(crit != std::string::npos);
  REQUIRE(high != std::string::npos);
  REQUIRE(low != std::string::npos);
  REQUIRE(info != std::string::npos);
  REQUIRE((crit < high && high < low && low < info));
  REQUIRE(out.find("Could not evaluate (1):\n  HIGH     MAIL-001") != std::string::npos);
  // No byte of server text can drive the terminal.
  for (unsigned char c : out) REQUIRE((c >= 0x20 || c == '\n'));
  REQUIRE(out.find("\\x1b[31m") != std::string::npos);
}

TEST_CASE("console summary of a clean scan says so") {
  ScanReport r;
  r.tool_version = "0.1.0";
  r.targets = {"a"};
  Result p;
  p.status = Status::Pass;
  r.results.push_back(p);
  const std::string out = render_console(r);
  REQUIRE(out.find("1 results on 1 target\n") != std::string::npos);
  REQUIRE(out.find("No failed or undecided checks.") != std::string::npos);
}

TEST_CASE("with evidence (scan --verbose) each finding shows what it was judged on") {
  const std::string plain = render_console(testing::fixture_report());
  const std::string out = render_console(testing::fixture_report(), true);
  INFO(out);
  REQUIRE(plain.find("cert.days_left = 12") == std::string::npos);
  const size_t finding = out.find("CERT-");
  const size_t line = out.find("      | cert.days_left = 12  (notAfter=Mar 13 09:00:00 2025 GMT)\n");
  REQUIRE(line != std::string::npos);
  REQUIRE(finding < line);
  for (unsigned char c : out) REQUIRE((c >= 0x20 || c == '\n'));  // server text stays escaped
}
