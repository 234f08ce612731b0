#include <catch2/catch.hpp>

#include "policy/frameworks.h"
#include "policy/library.h"
#include "support/catalogue.h"

using namespace pp;
using namespace pp::policy;

namespace {

Rule rule(const std::string& id, std::vector<ControlCite> controls) {
  Rule r;
  r.id = id;
  r.file = "f.toml";
  r.controls = std::move(controls);
  return r;
}

std::vector<Framework> known() {
  return {{"pci", "PCI", {{"4.2.1", "crypto"}, {"8.3.2", "auth"}}}, {"moz", "Mozilla", {{"modern", "m"}}}};
}

}  // namespace

TEST_CASE("--framework keeps the rules that evidence one of its controls; an unknown name lists the known") {
  std::vector<Rule> rules = {rule("A", {{"pci", "4.2.1", 1, 1}}), rule("B", {{"moz", "modern", 1, 1}}), rule("C", {})};
  auto kept = rules;
  CHECK(keep_rules_of_frameworks(known(), {"pci"}, kept).empty());
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].id == "A");
  kept = rules;
  CHECK(keep_rules_of_frameworks(known(), {}, kept).empty());
  CHECK(kept.size() == 3);
  auto d = keep_rules_of_frameworks(known(), {"nist"}, kept);
  REQUIRE(d.size() == 1);
  CHECK(d[0].format().find("unknown framework 'nist' (known: pci, moz)") != std::string::npos);
}

TEST_CASE("the control mapping holds the named frameworks and each rule's controls of them") {
  std::vector<Rule> rules = {rule("A", {{"pci", "8.3.2", 1, 1}, {"pci", "4.2.1", 1, 1}, {"moz", "modern", 1, 1}}),
                             rule("C", {})};
  const ControlMapping all = control_mapping(known(), {}, rules);
  CHECK(all.frameworks.size() == 2);
  CHECK(all.rules.at("A") == std::vector<std::string>{"moz:modern", "pci:4.2.1", "pci:8.3.2"});
  CHECK(all.rules.count("C") == 0);
  const ControlMapping pci = control_mapping(known(), {"pci"}, rules);
  REQUIRE(pci.frameworks.size() == 1);
  CHECK(pci.rules.at("A") == std::vector<std::string>{"pci:4.2.1", "pci:8.3.2"});
}

TEST_CASE("unknown frameworks and controls are reported where the rule cites them") {
  Pack p;
  p.rules = {rule("A", {{"pci", "4.2.9", 7, 14}, {"nist", "3.1", 7, 30}, {"pci", "4.2.1", 7, 44}})};
  auto d = check_rule_controls(known(), {p});
  REQUIRE(d.size() == 2);
  CHECK(d[0].format().rfind("f.toml:7:14: ", 0) == 0);
  CHECK(d[0].format().find("framework 'pci' has no control '4.2.9'") != std::string::npos);
  CHECK(d[1].format().rfind("f.toml:7:30: ", 0) == 0);
}

TEST_CASE("a site's frameworks file adds controls to a known framework") {
  auto fw = known();
  add_frameworks(fw, {{"pci", "", {{"4.2.1", "dup"}, {"2.2.7", "admin"}}}, {"site", "Site", {{"1", "one"}}}});
  REQUIRE(fw.size() == 3);
  CHECK(fw[0].controls.size() == 3);
  CHECK(fw[0].find("4.2.1")->title == "crypto");
  CHECK(fw[2].id == "site");
}

TEST_CASE("a --rules DIR frameworks file adds identifiers that its rules then cite; shipped ones stay") {
  const std::string shipped_fw = "schema = 1\n[[framework]]\nid = \"cis-iis-10\"\ntitle = \"CIS IIS 10\"\n";
  const std::string site_fw =
      "schema = 1\n[[framework]]\nid = \"cis-iis-10\"\ntitle = \"CIS IIS 10\"\n"
      "[[framework.control]]\nid = \"7.4\"\ntitle = \"TLS 1.0 off\"\n";
  const std::string pack =
      "schema = 1\n[pack]\nid = \"site\"\ntitle = \"site\"\n[[rule]]\nid = \"S-1\"\ntitle = \"t\"\nseverity = \"low\"\n"
      "remediation = \"r\"\ncontrols = [\"cis-iis-10:7.4\"]\nall = [ { fact = \"cert.trusted\", equals = true } ]\n";
  Library lib;
  CHECK(load_library(pp::testing::catalogue(), {{"fw.toml", shipped_fw}}, {{"site-fw.toml", site_fw}, {"p.toml", pack}}, lib)
            .empty());
  REQUIRE(lib.frameworks.size() == 1);
  CHECK(lib.frameworks[0].find("7.4") != nullptr);
  REQUIRE(lib.find_rule("S-1"));
  CHECK(lib.find_rule("S-1")->controls.at(0).text() == "cis-iis-10:7.4");
  // Without the site's file the same rule is an error at its citation.
  Library bare;
  auto d = load_library(pp::testing::catalogue(), {{"fw.toml", shipped_fw}}, {{"p.toml", pack}}, bare);
  REQUIRE(d.size() == 1);
  CHECK(d[0].format().rfind("p.toml:10:13: ", 0) == 0);
  CHECK(d[0].format().find("has no control '7.4' (its controls: none yet)") != std::string::npos);
}
