#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/html.h"
#include "core/text.h"
#include "tests/reports/fixture.h"

using namespace pp;
using namespace pp::reports;

namespace {
size_t count_of(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}
std::string between(const std::string& s, const std::string& a, const std::string& b) {
  const size_t i = s.find(a);
  if (i == std::string::npos) return {};
  const size_t j = s.find(b, i + a.size());
  return s.substr(i + a.size(), j - i - a.size());
}
}  // namespace

TEST_CASE("html is self-contained: no external fetches") {
  const std::string html = render_html(testing::fixture_report());
  REQUIRE(html.find("default-src 'none'") != std::string::npos);
  REQUIRE(html.find(" src=") == std::string::npos);
  REQUIRE(html.find("<link") == std::string::npos);
  REQUIRE(html.find("@import") == std::string::npos);
  REQUIRE(html.find("url(") == std::string::npos);
}

TEST_CASE("html escapes every server string") {
  const std::string html = render_html(testing::fixture_report());
  REQUIRE(text::valid_utf8(html) == html);
  for (unsigned char c : html) REQUIRE((c >= 0x20 || c == '\n' || c == '\t' || c == '\r'));
  // Exactly our two script elements: the data blob and the filter code.
  REQUIRE(count_of(html, "<script") == 2);
  REQUIRE(count_of(html, "</script>") == 2);
  REQUIRE(html.find("<!-- x") == std::string::npos);
  REQUIRE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  REQUIRE(html.find("O=&lt;script&gt;alert(1)") != std::string::npos);  // certificate subject
  REQUIRE(html.find("\\x1b[31mred") != std::string::npos);
}

TEST_CASE("html embeds a JSON blob that cannot end its script element") {
  const ScanReport report = testing::fixture_report();
  const std::string html = render_html(report);
  const std::string blob = between(html, "<script type=\"application/json\" id=\"pp-data\">", "</script>");
  REQUIRE_FALSE(blob.empty());
  REQUIRE(blob.find('<') == std::string::npos);
  const auto j = nlohmann::json::parse(blob);
  REQUIRE(j["results"].size() == 12);
  REQUIRE(j["targets"] == nlohmann::json({"dc01", "legacy-owa", "mail-fe"}));
  // One row per result in report order: status, rule index, target index, then optional fields.
  const auto& rules = j["rules"];
  const auto& strings = j["strings"];
  size_t articles = 0;
  for (size_t i = 0; i < j["results"].size(); ++i) {
    const auto& row = j["results"][i];
    const std::string status = row[0];
    const std::string rule = rules[row[1].get<size_t>()][0];
    const bool rendered = status == "fail" || status == "error" || status == "waived";
    INFO(i << " " << status << " " << rule);
    // Failures, errors and waivers are in the page; the rest carry their subject for the list.
    REQUIRE((html.find("data-i=\"" + std::to_string(i) + "\"") != std::string::npos) == rendered);
    if (rendered) ++articles;
    else REQUIRE_FALSE(strings[row[4].get<size_t>()].get<std::string>().empty());
  }
  REQUIRE(articles == 8);
}

TEST_CASE("html renders findings by rule, remediation once, without JavaScript") {
  const std::string html = render_html(testing::fixture_report());
  // Fail, error and waived results are articles; passes and skips are not rendered as cards.
  REQUIRE(count_of(html, "<article class=\"finding") == 8);
  REQUIRE(count_of(html, "data-status=\"fail\"><details>") == 6);
  REQUIRE(count_of(html, "data-status=\"pass\"><details>") == 0);
  REQUIRE(html.find("<a class=\"tile st-fail\" href=\"#status=fail\" data-status=\"fail\" data-count=\"6\">") !=
          std::string::npos);
  REQUIRE(html.find("id=\"visible-count\" data-visible=\"12\"") != std::string::npos);
  REQUIRE(html.find("<section class=\"card\" id=\"controls\" hidden>") != std::string::npos);
  // One group per rule with a finding, most severe first; CERT-001 fails on two subjects and
  // its remediation is printed once.
  REQUIRE(count_of(html, "<section class=\"card rule\"") == 7);
  const size_t cert = html.find("<section class=\"card rule\" data-rule=\"CERT-001\"");
  const size_t eas = html.find("<section class=\"card rule\" data-rule=\"EAS-001\"");
  const size_t tls9 = html.find("<section class=\"card rule\" data-rule=\"TLS-009\"");
  REQUIRE(cert < eas);
  REQUIRE(eas < tls9);
  REQUIRE(count_of(html, "Renew the certificate and bind it to every service") == 1);
  REQUIRE(html.find("Affected subjects (2)") != std::string::npos);
  REQUIRE(count_of(html, "<tr class=\"rule-row\"") == 11);
  // Per-target table: failures by severity, then statuses, zeros left blank.
  REQUIRE(html.find("<section class=\"card\" id=\"targets\">") != std::string::npos);
  REQUIRE(html.find("<tr data-target=\"mail-fe\"><td><a href=\"#target=mail-fe\"><b>mail-fe</b></a> <span "
                    "class=\"mono muted\">mail.example.com</span></td><td>1</td><td>1</td><td>1</td><td>1</td><td>1</td>"
                    "<td>5</td><td>1</td><td></td><td>1</td><td></td><td>1</td></tr>") != std::string::npos);
  // Certificates: expired first, then 12 days.
  const size_t expired = html.find("data-days=\"-20\"");
  const size_t soon = html.find("data-days=\"12\"");
  REQUIRE(expired != std::string::npos);
  REQUIRE(soon != std::string::npos);
  REQUIRE(expired < soon);
  REQUIRE(html.find("expired 20 days ago") != std::string::npos);
  REQUIRE(html.find("In IIS Manager, select the virtual directory") != std::string::npos);
  REQUIRE(html.find("<pre class=\"evidence\">") != std::string::npos);
  // The facts of every subject are the JSON report's business, not the page's.
  REQUIRE(html.find("<details class=\"facts\">") == std::string::npos);
}

TEST_CASE("html puts endpoints that could not be observed in their own section") {
  ScanReport report = testing::fixture_report();
  Result probe;
  probe.rule_id = "PROBE";
  probe.own_text().pack = "probe";
  probe.own_text().title = "The scanner could not observe this endpoint";
  probe.severity = Severity::High;
  probe.target = "dc01";
  probe.subject = "ldap://2001:db8::10:389";
  probe.status = Status::Error;
  probe.message = "connection refused <b>";
  report.results.push_back(probe);
  Result blocked = report.results[0];
  blocked.status = Status::Blocked;
  blocked.blocked_by = "PROBE ldap://2001:db8::10:389";
  blocked.baseline = "not evaluated";
  report.results.push_back(blocked);
  const std::string html = render_html(report);
  const size_t section = html.find("<section class=\"card probe\" id=\"probe\"><h2>Could not observe (1)</h2>");
  REQUIRE(section != std::string::npos);
  REQUIRE(section < html.find("id=\"controls\""));
  REQUIRE(html.find("connection refused &lt;b&gt;") != std::string::npos);
  REQUIRE(html.find("data-rule=\"PROBE\"") == std::string::npos);  // no rule group for it
  REQUIRE(html.find("0 fixed</a> <span class=\"muted\">(now pass)</span> &middot; <a class=\"badge bl bl-not-evaluated\" "
                    "href=\"#status=all&amp;baseline=not%20evaluated\">1 not evaluated</a>") != std::string::npos);
}

TEST_CASE("html script inserts data only as text") {
  const std::string js = kHtmlJs;
  REQUIRE(js.find("innerHTML") == std::string::npos);
  REQUIRE(js.find("outerHTML") == std::string::npos);
  REQUIRE(js.find("insertAdjacentHTML") == std::string::npos);
  REQUIRE(js.find("document.write") == std::string::npos);
  REQUIRE(js.find("eval(") == std::string::npos);
  REQUIRE(js.find("</script") == std::string::npos);
  REQUIRE(std::string(kHtmlCss).find("</style") == std::string::npos);
}
