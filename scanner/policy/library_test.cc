#include <catch2/catch.hpp>

#include "policy/library.h"
#include "support/catalogue.h"

using namespace pp;
using namespace pp::policy;

namespace {
const char* kPack = R"(schema = 1
[pack]
id = "base"
title = "base"
[[rule]]
id = "B-1"
title = "days"
severity = "medium"
remediation = "renew"
params = { min_days_left = 30 }
all = [ { fact = "cert.days_left", min = "${min_days_left}" } ]
[[rule]]
id = "B-2"
title = "trusted"
severity = "high"
remediation = "fix"
all = [ { fact = "cert.trusted", equals = true } ]
)";
const char* kProfiles = R"(schema = 1
[profile]
name = "default"
packs = ["*"]
)";
}  // namespace

TEST_CASE("profiles: overrides, disabled rules, later profile wins") {
  std::vector<SourceFile> shipped = {{"base.toml", kPack}, {"default.toml", kProfiles}};
  std::vector<SourceFile> user = {
      {"strict.toml", "schema = 1\n[profile]\nname = \"strict\"\npacks = [\"base\"]\n[profile.overrides]\n"
                      "\"B-1\" = { severity = \"high\", params = { min_days_left = 60 } }\n"},
      {"lenient.toml", "schema = 1\n[profile]\nname = \"lenient\"\npacks = [\"base\"]\ndisabled = [\"B-2\"]\n"
                       "[profile.overrides]\n\"B-1\" = { params = { min_days_left = 7 } }\n"}};
  Library lib;
  auto d = load_library(pp::testing::catalogue(), shipped, user, lib);
  for (auto& x : d) UNSCOPED_INFO(x.format());
  REQUIRE(d.empty());
  std::vector<Rule> rules;
  REQUIRE(select_rules(lib, {}, rules).empty());
  REQUIRE(rules.size() == 2);
  CHECK(std::get<int64_t>(rules[0].root.children[0].children[0].operand) == 30);
  REQUIRE(select_rules(lib, {"strict"}, rules).empty());
  CHECK(rules[0].severity == Severity::High);
  CHECK(std::get<int64_t>(rules[0].root.children[0].children[0].operand) == 60);
  REQUIRE(select_rules(lib, {"strict", "lenient"}, rules).empty());
  REQUIRE(rules.size() == 1);  // B-2 disabled by lenient
  CHECK(rules[0].severity == Severity::High);
  CHECK(std::get<int64_t>(rules[0].root.children[0].children[0].operand) == 7);  // later wins
  CHECK(facts_read(rules) == std::set<std::string>{"cert.days_left"});
  auto bad = select_rules(lib, {"nope"}, rules);
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].message.find("unknown profile 'nope'") != std::string::npos);
}

TEST_CASE("a user rule overrides a shipped rule by id; duplicates within a layer are errors") {
  std::vector<SourceFile> shipped = {{"base.toml", kPack}, {"default.toml", kProfiles}};
  std::vector<SourceFile> user = {{"mine.toml", R"(schema = 1
[pack]
id = "mine"
title = "mine"
[[rule]]
id = "B-2"
title = "trusted, my way"
severity = "critical"
remediation = "fix"
all = [ { fact = "cert.trusted", equals = true }, { fact = "cert.chain_complete", equals = true } ]
)"}};
  Library lib;
  REQUIRE(load_library(pp::testing::catalogue(), shipped, user, lib).empty());
  const Rule* r = lib.find_rule("B-2");
  REQUIRE(r);
  CHECK(r->pack == "mine");
  CHECK(r->severity == Severity::Critical);
  CHECK(lib.all_rules().size() == 2);
  std::string text = explain_rule(*r, pp::testing::catalogue());
  CHECK(text.find("cert.chain_complete (bool, probe cert): the server sent every intermediate") != std::string::npos);
  Library twice;
  auto d = load_library(pp::testing::catalogue(), {{"base.toml", kPack}, {"again.toml", std::string(kPack).replace(std::string(kPack).find("id = \"base\""), 11, "id = \"base2\"")}}, {}, twice);
  REQUIRE(d.size() == 2);
  CHECK(d[0].format().rfind("again.toml:5:1: error: duplicate rule id 'B-1'", 0) == 0);
}
