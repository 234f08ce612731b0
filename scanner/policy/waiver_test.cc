#include <catch2/catch.hpp>

#include "policy/waiver.h"

using namespace pp::policy;

TEST_CASE("waivers load, match by glob and expire") {
  SourceFile f{"w.toml", R"(schema = 1
[[waiver]]
rule = "TLS-00*"
subject = "legacy"
justification = "vendor appliance, replacement ordered"
expires = 2025-06-30

[[waiver]]
rule = "CERT-004"
subject = "https://mail.example.com:*#cert"
justification = "renewal in progress"
expires = 2024-01-31
)"};
  std::vector<Waiver> w;
  auto d = load_waivers(f, w);
  REQUIRE(d.empty());
  REQUIRE(w.size() == 2);
  CHECK(w[0].expires == Date{2025, 6, 30});
  const Date today{2025, 1, 1};
  CHECK(find_waiver(w, "TLS-002", "https://x:443", "legacy", today) == &w[0]);
  CHECK(find_waiver(w, "TLS-010", "https://x:443", "legacy", today) == nullptr);
  CHECK(find_waiver(w, "TLS-002", "https://x:443", "other", today) == nullptr);
  CHECK(find_waiver(w, "TLS-002", "https://x:443", "legacy", Date{2025, 6, 30}) == &w[0]);  // inclusive
  const Waiver* e = find_waiver(w, "CERT-004", "https://mail.example.com:443#cert", "cas01", today);
  REQUIRE(e == &w[1]);
  CHECK(today > e->expires);
}

TEST_CASE("waiver errors are positioned and all reported") {
  SourceFile f{"w.toml", R"(schema = 1
[[waiver]]
rule = "TLS-001"
subject = "*"
expires = "2025-01-01"
reason = "typo"
)"};
  std::vector<Waiver> w;
  auto d = load_waivers(f, w);
  CHECK(w.empty());
  REQUIRE(d.size() == 3);
  std::string all;
  for (auto& x : d) all += x.format() + "\n";
  INFO(all);
  CHECK(all.find("w.toml:6:1: error: unknown key 'reason'") != std::string::npos);
  CHECK(all.find("missing required key 'justification'") != std::string::npos);
  CHECK(all.find("w.toml:5:11: error: 'expires' must be a TOML date") != std::string::npos);
}
