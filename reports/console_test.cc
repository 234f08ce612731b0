#include <catch2/catch.hpp>

#include "reports/console.h"
#include "tests/reports/fixture.h"

using namespace pp;
using namespace pp::reports;

TEST_CASE("console summary: one line per failing rule, most severe first") {
  const std::string out = render_console(testing::fixture_report());
  INFO(out);
  REQUIRE(out.find("12 results on 3 targets") != std::string::npos);
  REQUIRE(out.find("fail 6  error 1  waived 1  skipped 1  pass 3") != std::string::npos);
  REQUIRE(out.find("critical 2  high 1  medium 1  low 1  info 1") != std::string::npos);
  REQUIRE(out.find("Failed: 5 rules on 6 subjects") != std::string::npos);
  // CERT-001 fails on two certificates: one line naming both, with the first line of its fix.
  const size_t crit = out.find("CRITICAL CERT-001 ");
  REQUIRE(crit != std::string::npos);
  const std::string crit_line = out.substr(crit, out.find('\n', crit) - crit);
  CHECK(crit_line.find("2 subjects: ") != std::string::npos);
  CHECK(crit_line.find("https://mail.example.com:443#cert") != std::string::npos);
  CHECK(crit_line.find("https://owa.example.org:443#cert") != std::string::npos);
  CHECK(crit_line.find(". Fix: ") != std::string::npos);
  CHECK(out.find("CERT-001 ", crit + crit_line.size()) == std::string::npos);  // one line for the rule
  const size_t high = out.find("HIGH     EAS-001 ");
  const size_t low = out.find("LOW      MAIL-002 ");
  const size_t info = out.find("INFO     TLS-009 ");
  REQUIRE(high != std::string::npos);
  REQUIRE(low != std::string::npos);
  REQUIRE(info != std::string::npos);
  REQUIRE((crit < high && high < low && low < info));
  REQUIRE(out.find("Could not judge: 1 rule on 1 subjects\n  HIGH     MAIL-001") != std::string::npos);
  // No byte of server text can drive the terminal.
  for (unsigned char c : out) REQUIRE((c >= 0x20 || c == '\n'));
}

TEST_CASE("console summary names a few subjects and counts the rest") {
  ScanReport r = testing::fixture_report();
  Result base = r.results.front();
  for (int i = 0; i < 12; ++i) {
    Result x = base;
    x.rule_id = "ZZZ-001";
    x.own_text().title = "Many";
    x.severity = Severity::Critical;
    x.status = Status::Fail;
    x.subject = "https://h" + std::to_string(10 + i) + ":443";
    r.results.push_back(x);
  }
  const std::string out = render_console(r);
  INFO(out);
  CHECK(out.find("12 subjects: https://h10:443, https://h11:443, https://h12:443 and 9 more") != std::string::npos);
}

TEST_CASE("console summary with a baseline: new findings first, unchanged ones counted") {
  ScanReport r = testing::fixture_report();
  for (auto& x : r.results)
    if (x.status == Status::Fail) x.baseline = x.rule_id == "TLS-009" ? "new" : "unchanged";
  const std::string out = render_console(r);
  INFO(out);
  const size_t fresh = out.find("INFO     TLS-009 ");
  const size_t old = out.find("CRITICAL CERT-001 ");
  REQUIRE(fresh != std::string::npos);
  REQUIRE(old != std::string::npos);
  CHECK(fresh < old);
  CHECK(out.find("1 new (https://mail.example.com:443)") != std::string::npos);
  CHECK(out.find("0 new; 2 unchanged") != std::string::npos);
}

TEST_CASE("console summary wraps to the terminal and colours severities only when asked") {
  ConsoleOptions o;
  o.width = 60;
  const std::string narrow = render_console(testing::fixture_report(), o);
  size_t start = 0;
  while (start < narrow.size()) {
    size_t end = narrow.find('\n', start);
    const std::string line = narrow.substr(start, end - start);
    // A single word longer than the width may overflow; nothing else does.
    if (line.find(' ', line.find_first_not_of(' ')) != std::string::npos && line.size() > 60) {
      // Count code points, not bytes (server text holds UTF-8).
      size_t cols = 0;
      for (unsigned char c : line) cols += (c & 0xC0) != 0x80;
      INFO(line);
      CHECK(cols <= 60 + 40);  // the longest unbreakable subject id in the fixture
    }
    start = end + 1;
  }
  CHECK(narrow.find("  HIGH     EAS-001 ") != std::string::npos);  // padding survives wrapping
  CHECK(render_console(testing::fixture_report()).find("\x1b[") == std::string::npos);
  o.colour = true;
  CHECK(render_console(testing::fixture_report(), o).find("\x1b[1;31mCRITICAL") != std::string::npos);
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
