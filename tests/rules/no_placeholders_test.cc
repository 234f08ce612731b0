// No report shows a parameter as "${name}": every shipped rule is made to fail (its rule cases
// give the facts), and the results are rendered in every report format, on the console with
// evidence, and by `rules explain`.
#include <algorithm>

#include <catch2/catch.hpp>

#include <toml++/toml.h>

#include <filesystem>
#include <set>

#include "support/catalogue.h"
#include "policy/evaluate.h"
#include "policy/library.h"
#include "reports/console.h"
#include "reports/writer.h"
#include "test_support.h"

using namespace pp;
using namespace pp::policy;

namespace {

/// The shipped rule's failing cases as subjects with their facts (subject details do not
/// matter here: every rule is applied to every subject of its kind).
std::vector<SubjectFacts> failing_subjects(const Library& lib) {
  std::vector<SubjectFacts> out;
  for (auto& e : std::filesystem::directory_iterator(source_dir() + "/tests/rules/cases")) {
    toml::table doc = toml::parse_file(e.path().string());
    for (auto& c_node : *doc["case"].as_array()) {
      const toml::table& c = *c_node.as_table();
      const Rule* rule = lib.find_rule(c["rule"].value_or(std::string{}));
      bool element_fails = false;  // a rule judged per element fails on its elements
      if (auto* els = c["elements"].as_array())
        for (auto& e : *els) element_fails = element_fails || (*e.as_table())["expect"].value_or(std::string{}) == "fail";
      if (!rule || (c["expect"].value_or(std::string{}) != "fail" && !element_fails) || c["rule_text"]) continue;
      SubjectFacts sf;
      sf.subject.kind = rule->kind;
      sf.subject.target = "case";
      sf.subject.host = "h" + std::to_string(out.size()) + ".example.test";
      sf.subject.port = 443;
      sf.subject.scheme = rule->kind == SubjectKind::Vdir ? "" : "https";
      if (rule->kind == SubjectKind::Vdir) {
        sf.subject.plain_port = 80;
        sf.subject.path = "/owa";
      }
      if (auto* st = c["subject"].as_table()) {
        if (auto p = (*st)["path"].value<std::string>()) sf.subject.path = *p;
        if (auto p = (*st)["scheme"].value<std::string>()) sf.subject.scheme = *p;
        if (auto p = (*st)["port"].value<int64_t>()) sf.subject.port = static_cast<uint16_t>(*p);
        if (auto* tags = (*st)["tags"].as_table())
          for (auto&& [k, v] : *tags) sf.subject.tags[std::string(k.str())] = v.value_or(std::string{});
      }
      if (auto* ft = c["facts"].as_table())
        for (auto&& [k, v] : *ft) sf.facts.put(Fact::known(std::string(k.str()), to_value(v), "case evidence"));
      if (auto* at = c["absent"].as_array())
        for (auto& a : *at) sf.facts.put(Fact::absent(a.value_or(std::string{}), "not there in this case"));
      out.push_back(std::move(sf));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("no report, console line or explanation shows a parameter as ${name}") {
  Library lib;
  REQUIRE(load_library(pp::testing::catalogue(), shipped_sources(), {}, lib).empty());
  std::vector<Rule> rules, optional;
  REQUIRE(select_rules(lib, {}, rules).empty());
  // The optional rules the default profile leaves out, through the profile that turns them on.
  REQUIRE(select_rules(lib, {"reverse-proxy-preauth"}, optional).empty());
  for (auto& r : optional)
    if (std::none_of(rules.begin(), rules.end(), [&](const Rule& x) { return x.id == r.id; })) rules.push_back(r);
  ScanReport report;
  report.tool_version = "test";
  report.targets = {"case"};
  report.results = evaluate(rules, failing_subjects(lib), {}, Date{2025, 1, 1});
  std::set<std::string> failed;
  for (const auto& r : report.results)
    if (r.status == Status::Fail) failed.insert(r.rule_id);
  // Every shipped rule failed at least once, so its message, title, description and
  // remediation are all in the reports below.
  for (const Rule* r : lib.all_rules()) {
    INFO(r->id);
    CHECK(failed.count(r->id) == 1);
    CHECK(explain_rule(*r, pp::testing::catalogue()).find("${") == std::string::npos);
  }
  sort_report(report);
  for (const auto& w : reports::report_writers()) {
    INFO("report " << w.name);
    const std::string text = w.render(report);
    CHECK(!text.empty());
    CHECK(text.find("${") == std::string::npos);
  }
  CHECK(reports::render_console(report, true).find("${") == std::string::npos);
}
