// `each`: a rule judged per element of a list fact, on element subjects.
#include <catch2/catch.hpp>

#include "policy/each.h"
#include "policy/evaluate.h"
#include "policy/library.h"
#include "support/catalogue.h"

using namespace pp;
using namespace pp::policy;

namespace {

Diagnostics load_into(const std::string& rules, std::vector<Rule>& out) {
  Library lib;
  SourceFile f{"t.toml", "schema = 1\n[pack]\nid = \"t\"\ntitle = \"t\"\n" + rules};
  auto d = load_library(pp::testing::catalogue(), {f}, {}, lib);
  for (const Rule* r : lib.all_rules()) out.push_back(*r);
  return d;
}

std::vector<Rule> load(const std::string& rules) {
  std::vector<Rule> out;
  auto d = load_into(rules, out);
  for (auto& x : d) UNSCOPED_INFO(x.format());
  REQUIRE(d.empty());
  return out;
}

std::string first_error(const std::string& rules) {
  std::vector<Rule> out;
  auto d = load_into(rules, out);
  return d.empty() ? "" : d[0].format();
}

SubjectFacts owa(std::vector<Fact> facts) {
  SubjectFacts sf;
  sf.subject.kind = SubjectKind::Vdir;
  sf.subject.target = "t1";
  sf.subject.host = "mail.example.test";
  sf.subject.port = 443;
  sf.subject.path = "/owa";
  for (auto& f : facts) sf.facts.put(std::move(f));
  return sf;
}

const char* kRule = R"([[rule]]
id = "X-1"
title = "every fix"
severity = "critical"
remediation = "install it"
each = ["exchange.missing_fixes", "exchange.missing_fix_details"]
message = "lacks {exchange.missing_fix_details}"
all = [ { fact = "exchange.missing_fixes", equals = [] } ]
)";

Fact fixes(StringList ids) { return Fact::known("exchange.missing_fixes", std::move(ids), "table row 7"); }
Fact details(StringList d) { return Fact::known("exchange.missing_fix_details", std::move(d), "table row 7"); }

Waiver waiver(std::string subject) {
  Waiver w;
  w.rule = "X-1";
  w.subject = std::move(subject);
  w.justification = "replaced next week";
  w.expires = Date{2030, 1, 1};
  w.file = "w.toml";
  w.line = 3;
  return w;
}

}  // namespace

TEST_CASE("each: one failing result per element, on <base>#<element>, judged on that element alone") {
  const auto rules = load(kRule);
  const auto sf = owa({fixes({"CVE-A", "CVE-B"}), details({"CVE-A (install SU1)", "CVE-B (install SU2)"})});
  const auto r = evaluate(rules, {sf}, {}, Date{2026, 1, 1});
  REQUIRE(r.size() == 3);
  CHECK(count_results(rules, {sf}) == 3);
  CHECK(r[0].subject == "mail.example.test:443/owa");
  CHECK(r[0].status == Status::Skipped);
  CHECK(r[0].message ==
        "judged per element of exchange.missing_fixes: 2 results, on mail.example.test:443/owa#CVE-A, "
        "mail.example.test:443/owa#CVE-B");
  CHECK(r[1].subject == "mail.example.test:443/owa#CVE-A");
  CHECK(r[1].status == Status::Fail);
  CHECK(r[1].message == "lacks CVE-A (install SU1)");
  CHECK(r[1].evidence[0] == "exchange.missing_fixes = [CVE-A]  (table row 7)");
  CHECK(r[2].subject == "mail.example.test:443/owa#CVE-B");
  CHECK(r[2].message == "lacks CVE-B (install SU2)");
}

TEST_CASE("each: an empty list is one pass on the base; absent skips it; unknown is an error") {
  const auto rules = load(kRule);
  auto pass = evaluate(rules, {owa({fixes({}), details({})})}, {}, Date{2026, 1, 1});
  REQUIRE(pass.size() == 1);
  CHECK(pass[0].status == Status::Pass);
  CHECK(pass[0].subject == "mail.example.test:443/owa");
  auto absent = evaluate(rules, {owa({Fact::absent("exchange.missing_fixes", "no build disclosed")})}, {}, Date{2026, 1, 1});
  REQUIRE(absent.size() == 1);
  CHECK(absent[0].status == Status::Skipped);
  auto unknown = evaluate(rules, {owa({Fact::unknown("exchange.missing_fixes", "timeout")})}, {}, Date{2026, 1, 1});
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].status == Status::Error);
}

TEST_CASE("each: lists out of step make the base an error and give no elements") {
  const auto rules = load(kRule);
  const auto r = evaluate(rules, {owa({fixes({"CVE-A", "CVE-B"}), details({"CVE-A (install SU1)"})})}, {}, Date{2026, 1, 1});
  REQUIRE(r.size() == 1);
  CHECK(r[0].status == Status::Error);
  CHECK(r[0].message.find("exchange.missing_fix_details has 1 elements, exchange.missing_fixes has 2") != std::string::npos);
}

TEST_CASE("each: a repeated element gives one result") {
  const auto rules = load(kRule);
  const auto sf = owa({fixes({"CVE-A", "CVE-A"}), details({"one", "two"})});
  const auto r = evaluate(rules, {sf}, {}, Date{2026, 1, 1});
  REQUIRE(r.size() == 2);
  CHECK(count_results(rules, {sf}) == 2);
  CHECK(r[1].message == "lacks one");
}

TEST_CASE("each: a waiver on the base covers every element, one on an element that element only") {
  const auto rules = load(kRule);
  const auto sf = owa({fixes({"CVE-A", "CVE-B"}), details({"a", "b"})});
  auto all = evaluate(rules, {sf}, {waiver("mail.example.test:443/owa")}, Date{2026, 1, 1});
  REQUIRE(all.size() == 3);
  CHECK(all[0].status == Status::Skipped);
  CHECK(all[1].status == Status::Waived);
  CHECK(all[2].status == Status::Waived);
  auto one = evaluate(rules, {sf}, {waiver("mail.example.test:443/owa#CVE-B")}, Date{2026, 1, 1});
  CHECK(one[1].status == Status::Fail);
  CHECK(one[2].status == Status::Waived);
}

TEST_CASE("each: the loader rejects a fact that is not a list, unknown or of another subject kind") {
  const std::string head = "[[rule]]\nid = \"X-2\"\ntitle = \"t\"\nseverity = \"low\"\nremediation = \"r\"\n"
                           "all = [ { fact = \"exchange.missing_fixes\", equals = [] } ]\n";
  CHECK(first_error(head + "each = \"exchange.build\"\n").find("'each': fact 'exchange.build' is a string, not a list") !=
        std::string::npos);
  CHECK(first_error(head + "each = \"exchange.nothing\"\n").find("'each': unknown fact 'exchange.nothing'") != std::string::npos);
  CHECK(first_error(head + "each = \"tls.protocols\"\n").find("is about a endpoint but this rule reads vdir facts") !=
        std::string::npos);
  CHECK(first_error(head + "each = []\n").find("'each' names no fact") != std::string::npos);
  CHECK(first_error(head + "each = 3\n") != "");
  CHECK(first_error(head + "each = \"exchange.missing_fixes\"\n").empty());
}

TEST_CASE("each: rules explain says the rule is judged per element, and its facts are read") {
  const auto rules = load(kRule);
  const std::string s = explain_rule(rules[0], pp::testing::catalogue());
  CHECK(s.find("One result per element of exchange.missing_fixes, on the subject <subject>#<element>; "
               "exchange.missing_fix_details narrowed to the same element") != std::string::npos);
  CHECK(facts_read(rules).count("exchange.missing_fix_details") == 1);
}
