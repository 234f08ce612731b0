// The shipped packs lint clean, every shipped rule has lab expectations (pass and fail), and
// the shipped profiles select what they promise.
#include <catch2/catch.hpp>

#include <toml++/toml.h>

#include <map>
#include <set>

#include "policy/library.h"
#include "policy/lint.h"
#include "test_support.h"

using namespace pp::policy;

TEST_CASE("every embedded pack and profile lints with zero diagnostics") {
  auto shipped = shipped_sources();
  REQUIRE(shipped.size() >= 7 + 4);
  Library lib;
  auto diags = load_library(pp::testing::catalogue(), shipped, {}, lib);
  for (const auto& d : diags) UNSCOPED_INFO(d.format());
  CHECK(diags.empty());
  std::set<std::string> packs;
  for (const auto& p : lib.packs) packs.insert(p.id);
  for (const char* want : {"tls-baseline", "certificates", "exchange-frontend", "exchange-cas-2010", "frontend-backend",
                           "mail-and-directory", "web-hardening"})
    CHECK(packs.count(want) == 1);
  for (const Rule* r : lib.all_rules()) {
    INFO(r->id);
    CHECK(!r->remediation.empty());
    CHECK(!r->description.empty());
    CHECK(!r->references.empty());
  }
}

TEST_CASE("linting the rules/ directory of the source tree is clean (as `policyprobe rules lint rules/`)") {
  auto diags = lint_path(pp::testing::catalogue(), source_dir() + "/rules", shipped_sources());
  for (const auto& d : diags) UNSCOPED_INFO(d.format());
  CHECK(diags.empty());
}

TEST_CASE("shipped profiles: default has everything but the optional rules, modern tightens TLS-003") {
  Library lib;
  REQUIRE(load_library(pp::testing::catalogue(), shipped_sources(), {}, lib).empty());
  std::vector<Rule> all, modern, inter;
  REQUIRE(select_rules(lib, {}, all).empty());
  // The optional rules, off by default and on in the profile that names them.
  CHECK(all.size() + 1 == lib.all_rules().size());
  REQUIRE(select_rules(lib, {"modern"}, modern).empty());
  REQUIRE(select_rules(lib, {"intermediate"}, inter).empty());
  auto find = [](const std::vector<Rule>& v, const std::string& id) -> const Rule* {
    for (const auto& r : v)
      if (r.id == id) return &r;
    return nullptr;
  };
  REQUIRE(find(modern, "TLS-003"));
  CHECK(std::get<pp::StringList>(find(modern, "TLS-003")->params.at("allowed_protocols")) == pp::StringList{"TLSv1.3"});
  CHECK(std::get<pp::StringList>(find(inter, "TLS-008")->params.at("allowed_cipher_classes")) == pp::StringList{"aead"});
  CHECK(std::get<pp::StringList>(find(all, "TLS-008")->params.at("allowed_cipher_classes")) ==
        pp::StringList{"aead", "cbc"});
  CHECK(find(modern, "EXF-001") == nullptr);
  CHECK(find(all, "AUTHD-002") == nullptr);
  std::vector<Rule> preauth;
  REQUIRE(select_rules(lib, {"reverse-proxy-preauth"}, preauth).empty());
  CHECK(find(preauth, "AUTHD-002") != nullptr);
  auto facts = facts_read(modern);
  CHECK(facts.count("tls.protocols") == 1);
  CHECK(facts.count("http.plain.serves_content") == 0);
}

TEST_CASE("lab_expect.toml has a pass and a fail case for every shipped rule") {
  Library lib;
  REQUIRE(load_library(pp::testing::catalogue(), shipped_sources(), {}, lib).empty());
  toml::table t;
  const std::string path = source_dir() + "/tests/rules/lab_expect.toml";
  REQUIRE_NOTHROW(t = toml::parse_file(path));
  std::map<std::string, std::set<std::string>> seen;
  const toml::array* arr = t["expect"].as_array();
  REQUIRE(arr);
  for (auto& e : *arr) {
    const toml::table& x = *e.as_table();
    for (auto&& [k, v] : x) {
      INFO(k.str());
      CHECK((k.str() == "rule" || k.str() == "target" || k.str() == "subject" || k.str() == "status" || k.str() == "note" ||
             k.str() == "profile"));
    }
    std::string rule = x["rule"].value_or(std::string{});
    std::string status = x["status"].value_or(std::string{});
    INFO(rule);
    CHECK(lib.find_rule(rule) != nullptr);
    CHECK((status == "pass" || status == "fail" || status == "skipped" || status == "error"));
    CHECK(!x["target"].value_or(std::string{}).empty());
    CHECK(!x["subject"].value_or(std::string{}).empty());
    seen[rule].insert(status);
  }
  for (const Rule* r : lib.all_rules()) {
    INFO("rule " << r->id << " needs lab cases");
    CHECK(seen[r->id].count("pass") == 1);
    CHECK(seen[r->id].count("fail") == 1);
  }
}
