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

namespace {
std::vector<Waiver> two_waivers() {
  SourceFile f{"w.toml", R"(schema = 1
[[waiver]]
rule = "TLS-00*"
subject = "legacy"
justification = "vendor appliance"
expires = 2025-06-30

[[waiver]]
  rule = "TSL-001"
subject = "https://gone.example.com:*"
justification = "typo in the rule id"
expires = 2024-01-31
)"};
  std::vector<Waiver> w;
  REQUIRE(load_waivers(f, w).empty());
  return w;
}
}  // namespace

TEST_CASE("a waiver whose rule matches no known rule is a positioned error") {
  const auto w = two_waivers();
  Rule tls1, tls2;
  tls1.id = "TLS-001";
  tls2.id = "CERT-001";
  const auto d = check_waiver_rules(w, {&tls1, &tls2});
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 9);
  CHECK(d[0].column > 1);
  CHECK(d[0].message == "waiver names rule 'TSL-001', which matches no known rule (see 'policyprobe rules list')");
}

TEST_CASE("expired waivers: errors for lint, warnings for a scan") {
  const auto w = two_waivers();
  const Date today{2025, 1, 1};
  const auto d = check_waiver_expiry(w, today);
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 8);
  CHECK(d[0].message.find("expired on 2024-01-31") != std::string::npos);
  const auto warn = expired_waiver_warnings(w, today);
  REQUIRE(warn.size() == 1);
  CHECK(warn[0].rfind("w.toml:8:1: waiver for rule 'TSL-001'", 0) == 0);
  CHECK(expired_waiver_warnings(w, Date{2024, 1, 31}).empty());  // the expiry day still counts
}

TEST_CASE("a waiver that matches no result of the scan is reported") {
  const auto w = two_waivers();
  pp::Result r;
  r.rule_id = "TLS-002";
  r.subject = "https://legacy.example.com:443";
  r.target = "legacy";
  const auto warn = unused_waiver_warnings(w, {r});
  REQUIRE(warn.size() == 1);
  CHECK(warn[0] == "w.toml:8:1: waiver for rule 'TSL-001' on 'https://gone.example.com:*' matches nothing in this scan");
  CHECK(unused_waiver_warnings(w, {}).size() == 2);
  r.rule_id = "CERT-001";  // the subject alone does not make the first waiver used
  CHECK(unused_waiver_warnings(w, {r}).size() == 2);
}

TEST_CASE("schema 2 waivers require owner, ticket, granted and expires") {
  SourceFile f{"w2.toml", R"(schema = 2
[[waiver]]
rule = "TLS-001"
subject = "legacy"
justification = "appliance replaced in Q3"
owner = "network team lead"
ticket = "CHG-2211"
granted = 2026-01-10
expires = 2026-09-30

[[waiver]]
rule = "TLS-002"
subject = "legacy"
justification = "no owner given"
expires = 2026-09-30

[[waiver]]
rule = "TLS-003"
subject = "legacy"
justification = "granted after it expires"
owner = "x"
ticket = " "
granted = 2026-10-01
expires = 2026-09-30
)"};
  std::vector<Waiver> w;
  std::vector<std::string> warnings;
  auto d = load_waivers(f, w, &warnings);
  CHECK(warnings.empty());
  REQUIRE(w.size() == 1);
  CHECK(w[0].owner == "network team lead");
  CHECK(w[0].ticket == "CHG-2211");
  CHECK(w[0].granted == Date{2026, 1, 10});
  CHECK(waiver_accountability(w[0]) == "owner network team lead, ticket CHG-2211, granted 2026-01-10, expires 2026-09-30");
  std::string all;
  for (auto& x : d) all += x.format() + "\n";
  INFO(all);
  CHECK(all.find("w2.toml:11:1: error: waiver is missing required key 'owner'") != std::string::npos);
  CHECK(all.find("missing required key 'ticket'") != std::string::npos);
  CHECK(all.find("missing required key 'granted'") != std::string::npos);
  CHECK(all.find("'ticket' must name the ticket") != std::string::npos);
  CHECK(all.find("'expires' (2026-09-30) is before 'granted' (2026-10-01)") != std::string::npos);
  CHECK(d.size() == 5);
}

TEST_CASE("a schema 1 waivers file still loads, with a warning naming the file") {
  SourceFile f{"old.toml", R"(schema = 1
[[waiver]]
rule = "TLS-001"
subject = "legacy"
justification = "appliance replaced in Q3"
expires = 2026-09-30
)"};
  std::vector<Waiver> w;
  std::vector<std::string> warnings;
  CHECK(load_waivers(f, w, &warnings).empty());
  REQUIRE(w.size() == 1);
  CHECK(w[0].owner.empty());
  CHECK(waiver_accountability(w[0]) == "expires 2026-09-30");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].rfind("old.toml: waivers file schema 1", 0) == 0);
  SourceFile bad{"v3.toml", "schema = 3\n"};
  auto d = load_waivers(bad, w, &warnings);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("reads schema = 1 and schema = 2") != std::string::npos);
}

TEST_CASE("waiver state: active, expiring within N days, expired; unused against results") {
  Waiver w;
  w.rule = "TLS-*";
  w.subject = "legacy";
  w.expires = Date{2026, 3, 1};
  CHECK(waiver_state(w, Date{2026, 1, 1}, 30) == WaiverState::Active);
  CHECK(waiver_state(w, Date{2026, 2, 1}, 30) == WaiverState::Expiring);  // 28 days left
  CHECK(waiver_state(w, Date{2026, 3, 1}, 0) == WaiverState::Expiring);   // last day
  CHECK(waiver_state(w, Date{2026, 3, 2}, 30) == WaiverState::Expired);
  CHECK(waiver_state(w, Date{2026, 2, 1}, -1) == WaiverState::Active);   // no window asked
  CHECK(days_between(Date{2024, 2, 28}, Date{2024, 3, 1}) == 2);          // leap year
  CHECK(days_between(Date{2026, 12, 31}, Date{2026, 1, 1}) == -364);
  pp::Result r;
  r.rule_id = "TLS-001";
  r.subject = "https://x:443";
  r.target = "legacy";
  Waiver other = w;
  other.subject = "modern";
  auto unused = unused_waivers({w, other}, {r});
  REQUIRE(unused.size() == 2);
  CHECK_FALSE(unused[0]);
  CHECK(unused[1]);
}

TEST_CASE("dates parse only when they exist") {
  CHECK(parse_date("2026-02-28") == Date{2026, 2, 28});
  CHECK(parse_date("2024-02-29") == Date{2024, 2, 29});
  CHECK_FALSE(parse_date("2026-02-29"));
  CHECK_FALSE(parse_date("2026-13-01"));
  CHECK_FALSE(parse_date("2026-1-01"));
  CHECK_FALSE(parse_date("2026-01-01T00"));
}
