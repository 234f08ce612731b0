#include <catch2/catch.hpp>

#include "policy/rule_file.h"
#include "support/catalogue.h"

using namespace pp;
using namespace pp::policy;

TEST_CASE("a pack loads with params, where and nested assertions") {
  SourceFile f{"p.toml", R"(schema = 1
[pack]
id = "p"
title = "P"
version = "1"
[[rule]]
id = "P-1"
title = "t"
severity = "medium"
remediation = "r"
where = { vdir = ["/owa", "/autodiscover/*"], service = "https" }
params = { max_age = 100 }
any = [ { fact = "http.tls.hsts_max_age", min = "${max_age}" },
        { all = [ { fact = "http.tls.hsts", equals = false } ] } ]
)"};
  Diagnostics d;
  RuleFile rf = load_rule_file(pp::testing::catalogue(), f, d);
  for (auto& x : d) UNSCOPED_INFO(x.format());
  REQUIRE(d.empty());
  REQUIRE(rf.kind == RuleFile::Kind::Pack);
  REQUIRE(rf.pack.rules.size() == 1);
  const Rule& r = rf.pack.rules[0];
  CHECK(r.kind == SubjectKind::Vdir);
  CHECK(r.severity == Severity::Medium);
  CHECK(r.where.vdirs.size() == 2);
  CHECK(r.line == 6);
  REQUIRE(r.root.children.size() == 1);
  const Assertion& any = r.root.children[0];
  CHECK(any.combinator == Combinator::Any);
  CHECK(any.children[0].param == "max_age");
  CHECK(std::get<int64_t>(any.children[0].operand) == 100);
  CHECK(!any.children[1].leaf);
}

TEST_CASE("a profile loads") {
  SourceFile f{"x.toml", R"(schema = 1
[profile]
name = "x"
packs = ["a"]
disabled = ["A-*"]
[profile.overrides]
"A-1" = { severity = "low", params = { n = 3 } }
)"};
  Diagnostics d;
  RuleFile rf = load_rule_file(pp::testing::catalogue(), f, d);
  REQUIRE(d.empty());
  REQUIRE(rf.kind == RuleFile::Kind::Profile);
  CHECK(rf.profile.packs[0].name == "a");
  REQUIRE(rf.profile.overrides.size() == 1);
  CHECK(*rf.profile.overrides[0].severity == Severity::Low);
  CHECK(std::get<int64_t>(rf.profile.overrides[0].params.at("n")) == 3);
}

TEST_CASE("missing schema and wrong schema") {
  Diagnostics d;
  load_rule_file(pp::testing::catalogue(), {"s.toml", "[pack]\nid = \"s\"\ntitle = \"s\"\n"}, d);
  REQUIRE(d.size() == 1);
  CHECK(d[0].format() == "s.toml:1:1: error: missing 'schema = 1' (the file format version)");
  d.clear();
  load_rule_file(pp::testing::catalogue(), {"s.toml", "schema = 2\n[pack]\nid = \"s\"\ntitle = \"s\"\n"}, d);
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 1);
  CHECK(d[0].column == 10);
}
