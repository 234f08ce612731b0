#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/html.h"
#include "reports/text.h"
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
  REQUIRE(valid_utf8(html) == html);
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
  const std::string html = render_html(testing::fixture_report());
  const std::string blob = between(html, "<script type=\"application/json\" id=\"pp-data\">", "</script>");
  REQUIRE_FALSE(blob.empty());
  REQUIRE(blob.find('<') == std::string::npos);
  const auto j = nlohmann::json::parse(blob);
  REQUIRE(j["results"].size() == 12);
  // Every entry has its server-rendered article.
  for (const auto& r : j["results"]) REQUIRE(html.find("data-i=\"" + std::to_string(r["i"].get<int>()) + "\"") != std::string::npos);
}

TEST_CASE("html renders findings, summary and certificates without JavaScript") {
  const std::string html = render_html(testing::fixture_report());
  REQUIRE(count_of(html, "<article class=\"finding") == 12);
  REQUIRE(count_of(html, "data-status=\"fail\" data-severity") == 6);
  REQUIRE(html.find("<div class=\"tile st-fail\" data-status=\"fail\" data-count=\"6\">") != std::string::npos);
  REQUIRE(html.find("id=\"visible-count\" data-visible=\"12\"") != std::string::npos);
  REQUIRE(html.find("<section class=\"card\" id=\"controls\" hidden>") != std::string::npos);
  REQUIRE(count_of(html, "<tr class=\"rule-row\"") == 11);
  // Certificates: expired first, then 12 days.
  const size_t expired = html.find("data-days=\"-20\"");
  const size_t soon = html.find("data-days=\"12\"");
  REQUIRE(expired != std::string::npos);
  REQUIRE(soon != std::string::npos);
  REQUIRE(expired < soon);
  REQUIRE(html.find("expired 20 days ago") != std::string::npos);
  REQUIRE(html.find("In IIS Manager, select the virtual directory") != std::string::npos);
  REQUIRE(html.find("<pre class=\"evidence\">") != std::string::npos);
  // Observed facts per target, unknown ones with their reason.
  REQUIRE(count_of(html, "<details class=\"facts\">") == 3);
  REQUIRE(html.find("<span class=\"badge fact-unknown\">unknown</span></td><td>connection reset after banner") !=
          std::string::npos);
  REQUIRE(html.find("<td class=\"mono\">[TLSv1.0, TLSv1.2, TLSv1.3]</td>") != std::string::npos);
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
