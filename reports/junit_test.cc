#include <catch2/catch.hpp>
#include <pugixml.hpp>

#include "reports/junit.h"
#include "core/text.h"
#include "tests/reports/fixture.h"

using namespace pp;
using namespace pp::reports;

namespace {
pugi::xml_document parse(const std::string& xml) {
  pugi::xml_document doc;
  auto res = doc.load_string(xml.c_str());
  INFO(res.description());
  REQUIRE(res);
  return doc;
}
}  // namespace

TEST_CASE("junit totals, suites per target and testcases per result") {
  const std::string xml = render_junit(testing::fixture_report(), {});
  auto doc = parse(xml);
  auto suites = doc.child("testsuites");
  REQUIRE(suites.attribute("tests").as_int() == 12);
  REQUIRE(suites.attribute("failures").as_int() == 6);
  REQUIRE(suites.attribute("errors").as_int() == 1);
  REQUIRE_FALSE(suites.attribute("skipped"));  // not in junit-10.xsd
  REQUIRE(suites.find_child_by_attribute("testsuite", "name", "mail-fe").attribute("skipped").as_int() == 1);
  REQUIRE(suites.attribute("time").as_int() == 125);

  std::vector<std::string> names;
  int cases = 0;
  for (auto suite : suites.children("testsuite")) {
    names.push_back(suite.attribute("name").value());
    REQUIRE(std::string(suite.attribute("timestamp").value()) == "2025-03-01T09:00:00");
    int n = 0, f = 0;
    for (auto tc : suite.children("testcase")) {
      ++n;
      if (tc.child("failure")) ++f;
    }
    REQUIRE(suite.attribute("tests").as_int() == n);
    REQUIRE(suite.attribute("failures").as_int() == f);
    REQUIRE(suite.child("properties").find_child_by_attribute("property", "name", "hostname"));
    cases += n;
  }
  REQUIRE(cases == 12);
  REQUIRE(names == std::vector<std::string>{"dc01", "legacy-owa", "mail-fe"});
  auto legacy = suites.find_child_by_attribute("testsuite", "name", "legacy-owa");
  REQUIRE(std::string(legacy.attribute("hostname").value()) == "owa.example.org");

  auto eas = doc.select_node("//testcase[starts-with(@name, 'EAS-001')]").node();
  REQUIRE(std::string(eas.attribute("classname").value()) == "exchange-activesync");
  REQUIRE(std::string(eas.attribute("name").value()) ==
          "EAS-001 ActiveSync refuses plaintext HTTP [mail.example.com:443/Microsoft-Server-ActiveSync]");
  auto failure = eas.child("failure");
  REQUIRE(std::string(failure.attribute("type").value()) == "high");
  const std::string text = failure.text().get();
  REQUIRE(text.find("Remediation:\nIn IIS Manager") != std::string::npos);
  REQUIRE(text.find("Evidence:\n  http.plain.serves_content = true") != std::string::npos);

  auto waived = doc.select_node("//testcase[starts-with(@name, 'CERT-002')]/skipped").node();
  REQUIRE(std::string(waived.attribute("message").value()).rfind("waived: Autodiscover uses an SRV record", 0) == 0);
  REQUIRE(doc.select_node("//testcase[starts-with(@name, 'MAIL-001')]/error[@type='high']"));
  REQUIRE(doc.select_node("//testcase[starts-with(@name, 'LDAP-001')]/skipped"));
  REQUIRE_FALSE(doc.select_node("//testcase[starts-with(@name, 'LDAP-002')]/*"));
}

TEST_CASE("junit stays well-formed XML 1.0 with hostile server strings") {
  const std::string xml = render_junit(testing::fixture_report(), {});
  REQUIRE(text::valid_utf8(xml) == xml);
  for (unsigned char c : xml) REQUIRE((c >= 0x20 || c == '\n' || c == '\t' || c == '\r'));
  for (int n = 0; n < 32; ++n)  // character references to forbidden controls are not allowed either
    if (n != 9 && n != 10 && n != 13) REQUIRE(xml.find("&#" + std::to_string(n) + ";") == std::string::npos);
  auto doc = parse(xml);
  REQUIRE_FALSE(doc.select_node("//script"));  // markup from servers stays text
  auto err = doc.select_node("//testcase[starts-with(@name, 'MAIL-001')]/error").node();
  const std::string text = err.text().get();
  REQUIRE(text.find("220 mail\\x00ESMTP\\x01\\x1b[31mred") != std::string::npos);
  REQUIRE(text.find("]]> <script>alert(1)</script>") != std::string::npos);
  REQUIRE(text.find("\xef\xbf\xbd bad") != std::string::npos);
}

TEST_CASE("junit of an empty scan is still a valid document") {
  ScanReport r;
  auto doc = parse(render_junit(r, {}));
  REQUIRE(doc.child("testsuites").attribute("tests").as_int() == 0);
}

namespace {
/// failures + errors as the file states them, and as its testcases show them.
std::pair<int, int> failing(const pugi::xml_document& doc) {
  int attr = doc.child("testsuites").attribute("failures").as_int() + doc.child("testsuites").attribute("errors").as_int();
  int cases = 0;
  for (auto suite : doc.child("testsuites").children("testsuite"))
    for (auto tc : suite.children("testcase"))
      if (tc.child("failure") || tc.child("error")) ++cases;
  return {attr, cases};
}
}  // namespace

TEST_CASE("junit fails exactly what the gate counts") {
  ScanReport report = testing::fixture_report();
  for (Severity s : {Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical}) {
    WriteOptions o;
    o.gate = Gate{s, false};
    auto doc = parse(render_junit(report, o));
    const GateVerdict v = evaluate_gate(report.results, *o.gate);
    const int want = static_cast<int>(v.findings + v.undecided);
    INFO(to_string(s));
    REQUIRE(failing(doc) == std::make_pair(want, want));
    REQUIRE(doc.child("testsuites").attribute("tests").as_int() == 12);  // every result still a testcase
  }
  // At high: EAS-001 and both CERT-001 fail, MAIL-001 is an error; the rest pass, the finding
  // kept in system-out.
  WriteOptions high;
  high.gate = Gate{Severity::High, false};
  auto doc = parse(render_junit(report, high));
  REQUIRE(failing(doc).first == 4);
  auto tls = doc.child("testsuites").find_child_by_attribute("testsuite", "name", "mail-fe");
  bool seen = false;
  for (auto tc : tls.children("testcase")) {
    if (std::string(tc.attribute("name").value()).rfind("TLS-001 ", 0) != 0) continue;
    seen = true;
    REQUIRE_FALSE(tc.child("failure"));
    REQUIRE_FALSE(tc.child("skipped"));
    const std::string out = tc.child("system-out").text().get();
    REQUIRE(out.rfind("not gated (--fail-on high): fail, medium", 0) == 0);
    REQUIRE(out.find("accepts TLS 1.0") != std::string::npos);
    REQUIRE(out.find("Checked: expected tls.protocols not_contains") != std::string::npos);
    REQUIRE(out.find("Disable TLS 1.0") != std::string::npos);
  }
  REQUIRE(seen);

  // --junit-all-findings: every fail and error, as without a gate.
  high.junit_all_findings = true;
  REQUIRE(failing(parse(render_junit(report, high))).first == 7);
  REQUIRE(failing(parse(render_junit(report, {}))).first == 7);
}

TEST_CASE("junit under --fail-on-new fails only new findings, and PROBE errors always") {
  ScanReport report = testing::fixture_report();
  for (auto& r : report.results)
    if (r.rule_id == "TLS-009") r.baseline = "new";  // info: counted at --fail-on info only
    else if (r.status == Status::Fail) r.baseline = "unchanged";
  Result probe = report.results.front();
  probe.rule_id = "PROBE";
  probe.own_text().pack = "probe";
  probe.status = Status::Error;
  probe.severity = Severity::Info;
  probe.baseline = "unchanged";
  report.results.push_back(probe);
  WriteOptions o;
  o.gate = Gate{Severity::Info, true};
  auto doc = parse(render_junit(report, o));
  REQUIRE(failing(doc) == std::make_pair(2, 2));  // TLS-009 (new) and the PROBE error
  REQUIRE(doc.child("testsuites").attribute("failures").as_int() == 1);
  REQUIRE(doc.child("testsuites").attribute("errors").as_int() == 1);
  o.gate = Gate{Severity::Low, true};
  REQUIRE(failing(parse(render_junit(report, o))) == std::make_pair(1, 1));  // the PROBE error alone
}
