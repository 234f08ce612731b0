#include <catch2/catch.hpp>

#include "reports/markdown.h"
#include "tests/reports/fixture.h"

using namespace pp;
using namespace pp::reports;

namespace {
bool has(const std::string& text, const std::string& piece) { return text.find(piece) != std::string::npos; }
}  // namespace

TEST_CASE("markdown escapes server text for a table cell") {
  REQUIRE(markdown_escape("a|b") == "a\\|b");
  REQUIRE(markdown_escape("`rm -rf`") == "\\`rm -rf\\`");
  REQUIRE(markdown_escape("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;");
  REQUIRE(markdown_escape("**bold** [link](http://x) @admin #1 &amp; $x$") ==
          "\\*\\*bold\\*\\* \\[link\\](http://x) \\@admin \\#1 &amp;amp; \\$x\\$");
  REQUIRE(markdown_escape("line1\nline2\r\n") == "line1\\\\nline2\\\\r\\\\n");  // one line, visible breaks
  REQUIRE(markdown_escape("\x1b[31mred\xff") == "\\\\x1b\\[31mred\xEF\xBF\xBD");
  REQUIRE(markdown_escape("abcdef", 3) == "abc…");
  REQUIRE(markdown_escape("ééé", 2) == "éé…");
  const std::string hostile = markdown_escape(testing::hostile());
  REQUIRE_FALSE(has(hostile, "<"));
  REQUIRE_FALSE(has(hostile, "\n"));
  for (size_t i = 0; i < hostile.size(); ++i)
    if (hostile[i] == '|' || hostile[i] == '`') REQUIRE((i > 0 && hostile[i - 1] == '\\'));
}

TEST_CASE("markdown states the gate's verdict, counts, failing rules and PROBE errors") {
  ScanReport report = testing::fixture_report();
  WriteOptions o;
  o.gate = Gate{Severity::High, false};
  std::string md = render_markdown(report, o);
  INFO(md);
  REQUIRE(md.rfind("### policyprobe: gate failed, exit 1\n", 0) == 0);
  REQUIRE(has(md, "Gate `--fail-on high`: 3 failing findings and 1 error counted."));
  REQUIRE(has(md, "| 6 | 1 | 0 | 1 | 1 | 3 | 12 |"));
  REQUIRE(has(md, "Failing by severity: critical 2, high 1, medium 1, low 1, info 1."));
  // CERT-001 fails on two subjects and is counted; the gate's rules come first.
  REQUIRE(has(md, "| critical | CERT-001 | Certificate not expiring within 30 days | 2 | 2 |"));
  REQUIRE(md.find("| high | EAS-001") < md.find("| medium | TLS-001"));
  REQUIRE(has(md, "| info | TLS-009 | Server prefers its own cipher order | 1 | 0 |"));
  REQUIRE_FALSE(has(md, "New findings"));  // no baseline
  REQUIRE_FALSE(has(md, "PROBE"));

  o.gate = Gate{Severity::Critical, false};
  REQUIRE(render_markdown(report, o).rfind("### policyprobe: gate failed, exit 1", 0) == 0);
  for (auto& r : report.results)
    if (r.status == Status::Fail) r.status = Status::Pass;
  REQUIRE(render_markdown(report, o).rfind("### policyprobe: gate passed, exit 0", 0) == 0);
  o.gate = Gate{Severity::High, false};
  md = render_markdown(report, o);
  REQUIRE(md.rfind("### policyprobe: gate undecided, exit 3", 0) == 0);
  REQUIRE(has(md, "the scan could not complete"));

  Result probe = report.results.front();
  probe.rule_id = "PROBE";
  probe.own_text().pack = "probe";
  probe.status = Status::Error;
  probe.subject = "https://down.example.com:443";
  probe.message = "connection refused | try `telnet`";
  report.results.push_back(probe);
  md = render_markdown(report, o);
  REQUIRE(has(md, "#### Could not observe: 1 PROBE error"));
  REQUIRE(has(md, "| https://down.example.com:443 | connection refused \\| try \\`telnet\\` |"));
}

TEST_CASE("markdown lists new findings with a baseline") {
  ScanReport report = testing::fixture_report();
  for (auto& r : report.results)
    if (r.rule_id == "MAIL-002") r.baseline = "new";
    else if (r.status == Status::Fail) r.baseline = "unchanged";
  WriteOptions o;
  o.gate = Gate{Severity::Low, true};
  const std::string md = render_markdown(report, o);
  INFO(md);
  REQUIRE(md.rfind("### policyprobe: gate failed, exit 1", 0) == 0);
  REQUIRE(has(md, "Gate `--fail-on low` `--fail-on-new`: 1 failing finding and 0 errors counted."));
  REQUIRE(has(md, "#### New findings since the baseline: 1"));
  REQUIRE(has(md, "| low | fail | MAIL-002 |"));
  REQUIRE_FALSE(has(md, "<"));  // the hostile message is escaped
}

TEST_CASE("markdown without a gate counts every finding") {
  const std::string md = render_markdown(testing::fixture_report());
  REQUIRE(md.rfind("### policyprobe: gate failed, exit 1", 0) == 0);
  REQUIRE(has(md, "no gate given: every fail and error counts: 6 failing findings and 1 error counted"));
}
