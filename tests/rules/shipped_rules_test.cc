// The shipped packs lint clean, every shipped rule has lab expectations (pass and fail), and
// the shipped profiles select what they promise.
#include <catch2/catch.hpp>

#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <set>

#include "policy/exchange_table_file.h"
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
                           "mail-and-directory", "web-hardening", "exchange-exposure"})
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

TEST_CASE("every shipped rule's control mappings name known frameworks and identifiers") {
  Library lib;
  REQUIRE(load_library(pp::testing::catalogue(), shipped_sources(), {}, lib).empty());
  std::set<std::string> frameworks;
  for (const auto& f : lib.frameworks) frameworks.insert(f.id);
  for (const char* want : {"nist-sp-800-52r2", "pci-dss-4.0", "cis-iis-10", "mozilla-tls", "exchange-guides"})
    CHECK(frameworks.count(want) == 1);
  size_t mapped = 0;
  std::set<std::string> cited_frameworks;
  for (const Rule* r : lib.all_rules()) {
    mapped += !r->controls.empty();
    for (const auto& c : r->controls) {
      INFO(r->id << " cites " << c.text());
      const pp::Framework* f = nullptr;
      for (const auto& g : lib.frameworks)
        if (g.id == c.framework) f = &g;
      REQUIRE(f != nullptr);
      CHECK(f->find(c.control) != nullptr);
      cited_frameworks.insert(c.framework);
    }
  }
  // Most rules evidence something, and every framework with identifiers is cited.
  CHECK(mapped * 2 > lib.all_rules().size());
  for (const auto& f : lib.frameworks)
    if (!f.controls.empty()) CHECK(cited_frameworks.count(f.id) == 1);
  // PCI DSS 4.2.1 (strong cryptography in transit) is what most TLS and certificate rules evidence.
  std::vector<std::string> pci;
  for (const Rule* r : lib.all_rules())
    for (const auto& c : r->controls)
      if (c.text() == "pci-dss-4.0:4.2.1") pci.push_back(r->id);
  CHECK(pci.size() >= 10);
}

TEST_CASE("a control cited by a rule but missing from the frameworks list fails the shipped lint") {
  auto shipped = shipped_sources();
  for (auto& f : shipped) {
    if (f.path.find("frameworks") == std::string::npos) continue;
    const auto at = f.text.find("id = \"4.2.1\"");
    REQUIRE(at != std::string::npos);
    f.text.replace(at, 12, "id = \"4.2.0\"");
  }
  Library lib;
  auto diags = load_library(pp::testing::catalogue(), shipped, {}, lib);
  REQUIRE(!diags.empty());
  CHECK(diags[0].format().find("has no control '4.2.1'") != std::string::npos);
}

TEST_CASE("the shipped Exchange build table lints clean and judges known builds as Microsoft lists them") {
  SourceFile table_src;
  for (const auto& f : shipped_sources())
    if (f.path == "rules/knowledge/exchange-builds.toml") table_src = f;
  REQUIRE(is_exchange_table_source(table_src));
  pp::ExchangeTable t;
  auto diags = load_exchange_table(table_src, t);
  for (const auto& d : diags) UNSCOPED_INFO(d.format());
  CHECK(diags.empty());
  for (const auto& b : t.builds) {
    INFO(b.build);
    CHECK(!b.source.empty());
  }
  auto missing = [&](const char* build) {
    std::vector<std::string> ids;
    for (const auto& m : pp::judge_build(t, *pp::parse_exchange_build(build)).missing) ids.push_back(m.cve->id);
    return ids;
  };
  const std::vector<std::string> proxyshell_on = {"CVE-2021-34473", "CVE-2021-34523", "CVE-2021-31207", "CVE-2022-41040",
                                                  "CVE-2022-41082"};
  auto starts_with = [](const std::vector<std::string>& all, const std::vector<std::string>& head) {
    return all.size() >= head.size() && std::equal(head.begin(), head.end(), all.begin());
  };
  // The updates of 2023 to February 2026 fix 35 CVEs in Exchange 2016 and 2019.
  constexpr size_t kSince2023 = 35;
  // 2016 CU19 with the March 2021 SU: ProxyLogon fixed, ProxyShell, ProxyNotShell and later not.
  CHECK(starts_with(missing("15.1.2176.9"), proxyshell_on));
  CHECK(missing("15.1.2176.9").size() == proxyshell_on.size() + kSince2023);
  // 2019 CU12 with the November 2022 SU: every fix up to then, none of 2023 on.
  CHECK(missing("15.2.1118.20").size() == kSince2023);
  CHECK(missing("15.2.1118.20")[0] == "CVE-2023-21762");
  // 2019 CU8 before the March 2021 SU: all nine of 2021/2022, and the later ones.
  CHECK(missing("15.2.792.3").size() == 9 + kSince2023);
  // 2013 CU23 with the May 2021 SU: ProxyNotShell and the four 2023 fixes Exchange 2013 got.
  CHECK(missing("15.0.1497.18") == std::vector<std::string>{"CVE-2022-41040", "CVE-2022-41082", "CVE-2023-21762",
                                                            "CVE-2023-21529", "CVE-2023-21706", "CVE-2023-21707"});
  // CVE-2023-21707 counts as fixed from the March 2023 SU on, not February's.
  CHECK(missing("15.0.1497.47") == std::vector<std::string>{"CVE-2023-21707"});
  CHECK(missing("15.0.1497.48").empty());
  // 2016 CU17 with the March 2021 SU for older CUs: ProxyLogon fixed; ProxyShell came only for CU19/CU20.
  CHECK(starts_with(missing("15.1.2044.13"), proxyshell_on));
  // Current builds of February 2026 lack nothing listed; October 2025 ones the two later updates.
  CHECK(missing("15.1.2507.66").empty());
  CHECK(missing("15.2.1748.43").empty());
  CHECK(missing("15.2.2562.37").empty());
  CHECK(missing("15.2.1544.36") == std::vector<std::string>{"CVE-2025-64666", "CVE-2025-64667", "CVE-2026-21527"});
  // The Subscription Edition RTM: the four updates after it, ten fixes.
  CHECK(missing("15.2.2562.17").size() == 10);
  // 2019 CU13, out of security updates after November 2024: what came for CU14 and CU15, named
  // with the CU14 release to install.
  const auto cu13 = pp::judge_build(t, *pp::parse_exchange_build("15.2.1258.39"));
  REQUIRE(cu13.missing.size() == 11);
  CHECK(cu13.missing[0].cve->id == "CVE-2025-53786");
  CHECK(cu13.missing[0].update->build == "15.2.1544.25");
  CHECK(t.product_of(*pp::parse_exchange_build("14.3.513.0"))->id == "exchange-2010");
  CHECK(t.product_of(*pp::parse_exchange_build("8.3.517.0"))->id == "exchange-2007");
  CHECK(t.product_of(*pp::parse_exchange_build("15.2.2562.17"))->id == "exchange-se");
  CHECK(t.product_of(*pp::parse_exchange_build("6.5.7638.1"))->end_of_support == "2014-04-08");
}
