#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "reports/baseline.h"
#include "reports/console.h"
#include "reports/controls.h"
#include "reports/html.h"
#include "reports/json.h"
#include "reports/markdown.h"

using namespace pp;
using namespace pp::reports;

namespace {

Result result(const std::string& rule, const std::string& subject, Status st) {
  Result r;
  r.rule_id = rule;
  r.own_text().pack = "p";
  r.own_text().title = rule + " title";
  r.severity = Severity::High;
  r.target = "t";
  r.subject = subject;
  r.status = st;
  r.message = "m";
  return r;
}

/// One framework of six controls, one per verdict and a few ways of not being evidenced.
ScanReport report_with_controls() {
  ScanReport rep;
  rep.tool_version = "0.1.0";
  rep.targets = {"t"};
  Framework f{"site", "Site <policy>", {{"C1", "fails"}, {"C2", "passes"}, {"C3", "skipped only"},
                                        {"C4", "no rule"}, {"C5", "undecided"}, {"C6", "rule without results"}}};
  rep.controls.frameworks.push_back(f);
  rep.controls.rules = {{"A", {"site:C1", "site:C2"}}, {"B", {"site:C1"}}, {"S", {"site:C3"}},
                        {"E", {"site:C5"}},            {"N", {"site:C6"}}, {"W", {"site:C2"}}};
  rep.results = {result("A", "https://a:443", Status::Pass), result("A", "https://b:443", Status::Pass),
                 result("B", "https://a:443", Status::Pass), result("B", "https://b:443", Status::Fail),
                 result("S", "https://a:443", Status::Skipped), result("E", "https://a:443", Status::Pass),
                 result("E", "https://b:443", Status::Blocked), result("W", "https://a:443", Status::Waived),
                 result("X", "https://a:443", Status::Fail)};
  sort_report(rep);
  return rep;
}

const ControlVerdict& verdict(const std::vector<FrameworkVerdicts>& v, const std::string& id) {
  for (const auto& c : v.at(0).controls)
    if (c.id == id) return c;
  FAIL("no control " << id);
  return v.at(0).controls.at(0);
}

}  // namespace

TEST_CASE("a control passes, fails, is undecided or not evidenced from its rules' results") {
  const auto v = judge_controls(report_with_controls());
  REQUIRE(v.size() == 1);
  REQUIRE(v[0].controls.size() == 6);
  const auto& c1 = verdict(v, "C1");
  CHECK(c1.status == ControlStatus::Fail);
  CHECK(c1.rules == std::vector<std::string>{"A", "B"});
  REQUIRE(c1.failing.size() == 1);
  CHECK(c1.failing[0].rule_id == "B");
  CHECK(c1.failing[0].subject == "https://b:443");
  CHECK(c1.passed == 3);
  // A waived failure is accepted, and counted as such.
  const auto& c2 = verdict(v, "C2");
  CHECK(c2.status == ControlStatus::Pass);
  CHECK(c2.passed == 3);
  CHECK(c2.waived == 1);
  // Rules that applied to no subject, no rule at all: not evidenced, never a pass.
  CHECK(verdict(v, "C3").status == ControlStatus::NotEvidenced);
  CHECK(verdict(v, "C4").status == ControlStatus::NotEvidenced);
  CHECK(verdict(v, "C4").rules.empty());
  CHECK(verdict(v, "C6").status == ControlStatus::NotEvidenced);
  CHECK(verdict(v, "C6").rules == std::vector<std::string>{"N"});
  // A blocked result beside a pass: undecided, never a pass.
  CHECK(verdict(v, "C5").status == ControlStatus::Undecided);
  CHECK(verdict(v, "C5").undecided.size() == 1);
  CHECK(v[0].count(ControlStatus::NotEvidenced) == 3);
  CHECK(v[0].count(ControlStatus::Fail) == 1);
}

TEST_CASE("a report without a control mapping has no control verdicts, and its JSON no controls key") {
  ScanReport rep;
  rep.results = {result("A", "s", Status::Fail)};
  CHECK(judge_controls(rep).empty());
  auto j = nlohmann::json::parse(render_json(rep));
  CHECK(j["schema_version"] == 2);
  CHECK(!j.contains("controls"));
}

TEST_CASE("JSON schema 2 carries the mapping and the verdicts, and reads the mapping back") {
  const ScanReport rep = report_with_controls();
  const std::string text = render_json(rep);
  auto j = nlohmann::json::parse(text);
  CHECK(j["schema_version"] == 2);
  REQUIRE(j["controls"]["frameworks"].size() == 1);
  const auto& fw = j["controls"]["frameworks"][0];
  CHECK(fw["id"] == "site");
  CHECK(fw["summary"]["fail"] == 1);
  CHECK(fw["summary"]["not evidenced"] == 3);
  CHECK(fw["controls"][0]["status"] == "fail");
  CHECK(fw["controls"][0]["failing"][0]["rule"] == "B");
  CHECK(fw["controls"][0]["failing"][0]["subject"] == "https://b:443");
  CHECK(j["controls"]["rules"]["A"] == nlohmann::json({"site:C1", "site:C2"}));
  ScanReport back;
  REQUIRE(parse_json_report(text, back).empty());
  CHECK(back.controls.rules == rep.controls.rules);
  REQUIRE(back.controls.frameworks.size() == 1);
  CHECK(back.controls.frameworks[0].title == "Site <policy>");
  CHECK(back.controls.frameworks[0].controls.size() == 6);
  CHECK(judge_controls(back)[0].count(ControlStatus::Fail) == 1);
}

TEST_CASE("a schema 1 report still loads (no mapping); a newer schema is refused") {
  ScanReport r;
  CHECK(parse_json_report(R"({"schema_version": 1, "results": []})", r).empty());
  CHECK(r.controls.empty());
  CHECK(parse_json_report(R"({"schema_version": 3})", r).find("unsupported schema_version 3") != std::string::npos);
  CHECK(parse_json_report(R"({"schema_version": 2, "controls": {"frameworks": [{"title": "x"}]}})", r)
            .find("/controls/frameworks/0/id: missing") != std::string::npos);
}

TEST_CASE("merge unites the control mappings of shards") {
  ScanReport a = report_with_controls(), b;
  b.controls.frameworks.push_back({"site", "Site", {{"C7", "added"}}});
  b.controls.rules = {{"A", {"site:C7"}}};
  const ScanReport m = merge({a, b});
  REQUIRE(m.controls.frameworks.size() == 1);
  CHECK(m.controls.frameworks[0].controls.size() == 7);
  CHECK(m.controls.rules.at("A") == std::vector<std::string>{"site:C1", "site:C2", "site:C7"});
}

TEST_CASE("the console prints the control summary only when asked, failures first") {
  const ScanReport rep = report_with_controls();
  CHECK(render_console(rep).find("Controls of") == std::string::npos);
  ConsoleOptions o;
  o.controls = true;
  const std::string out = render_console(rep, o);
  const auto head = out.find("Controls of site (Site <policy>):  pass 1  fail 1  undecided 1  not evidenced 3");
  REQUIRE(head != std::string::npos);
  const auto fail = out.find("  FAIL          C1 fails — failed: B on https://b:443");
  const auto pass = out.find("  PASS          C2 passes — A, W: 3 passed (1 waived)");
  const auto none = out.find("  NOT EVIDENCED C4 no rule — no rule of this scan evidences it");
  CHECK(fail != std::string::npos);
  CHECK(pass != std::string::npos);
  CHECK(none != std::string::npos);
  CHECK(fail < pass);
  CHECK(pass < none);
  CHECK(out.find("UNDECIDED     C5 undecided — not judged: E on https://b:443") != std::string::npos);
}

TEST_CASE("the HTML report has a controls view with escaped text") {
  const std::string html = render_html(report_with_controls());
  CHECK(html.find("id=\"by-control\"") != std::string::npos);
  CHECK(html.find("Site &lt;policy&gt;") != std::string::npos);
  CHECK(html.find("Site <policy>") == std::string::npos);
  CHECK(html.find("data-control-status=\"fail\"") != std::string::npos);
  CHECK(html.find("data-control-status=\"not evidenced\"") != std::string::npos);
  ScanReport plain;
  CHECK(render_html(plain).find("id=\"by-control\"") == std::string::npos);
}

TEST_CASE("the Markdown summary has a row per framework with its failing controls") {
  const std::string md = render_markdown(report_with_controls(), WriteOptions{});
  CHECK(md.find("| framework | pass | fail | undecided | not evidenced | failing controls |") != std::string::npos);
  CHECK(md.find("| site | 1 | 1 | 1 | 3 | C1 |") != std::string::npos);
  ScanReport plain;
  CHECK(render_markdown(plain, WriteOptions{}).find("| framework |") == std::string::npos);
}
