#include <catch2/catch.hpp>

#include "core/exchange_table.h"

using namespace pp;

namespace {

ExchangeBuild b(const char* s) {
  auto v = parse_exchange_build(s);
  REQUIRE(v);
  return *v;
}

/// A small table in the shape of the shipped one: two CU lines of 2016, a ProxyLogon fix in the
/// first line's SU, a ProxyShell fix in both lines' later SUs, a 2003 and the SE sharing 15.2.
ExchangeTable table() {
  ExchangeTable t;
  t.products = {{"exchange-2003", "Exchange Server 2003", "6.5", "", "2014-04-08", "src", 1},
                {"exchange-2016", "Exchange Server 2016", "15.1", "", "2025-10-14", "src", 2},
                {"exchange-2019", "Exchange Server 2019", "15.2", "", "2025-10-14", "src", 3},
                {"exchange-se", "Exchange Server Subscription Edition", "15.2", "15.2.2562.17", "", "src", 4}};
  t.cves = {{"CVE-2021-26855", "ProxyLogon", "9.1", "src", 5}, {"CVE-2021-34473", "ProxyShell", "", "src", 6}};
  t.builds = {
      {"15.1.2176.2", "exchange-2016", "CU19", "", "", "2020-12-15", {}, "src", 7},
      {"15.1.2176.9", "exchange-2016", "CU19", "Mar21SU", "KB5000871", "2021-03-02", {"CVE-2021-26855"}, "src", 8},
      {"15.1.2176.12", "exchange-2016", "CU19", "Apr21SU", "KB5001779", "2021-04-13", {"CVE-2021-34473"}, "src", 9},
      {"15.1.2242.4", "exchange-2016", "CU20", "", "", "2021-03-16", {}, "src", 10},
      {"15.1.2242.8", "exchange-2016", "CU20", "Apr21SU", "KB5001779", "2021-04-13", {"CVE-2021-34473"}, "src", 11},
  };
  return t;
}

std::vector<std::string> missing_ids(const ExchangeVerdict& v) {
  std::vector<std::string> out;
  for (const auto& m : v.missing) out.push_back(m.cve->id);
  return out;
}

}  // namespace

TEST_CASE("Exchange build numbers parse with three or four parts only") {
  CHECK(b("15.1.2176.9").str() == "15.1.2176.9");
  CHECK(b("15.1.2507").count == 3);
  CHECK_FALSE(parse_exchange_build("15.1"));
  CHECK_FALSE(parse_exchange_build("15.1.2.3.4"));
  CHECK_FALSE(parse_exchange_build("15.1.x.3"));
  CHECK_FALSE(parse_exchange_build("15..2.3"));
  CHECK_FALSE(parse_exchange_build(" 15.1.2.3"));
  CHECK(compare_builds(b("15.1.2176.9"), b("15.1.2176.12")) < 0);
  CHECK(compare_builds(b("15.1.2242.4"), b("15.1.2176.12")) > 0);
}

TEST_CASE("the product of a build: by version, and the later from_build when two share one") {
  const ExchangeTable t = table();
  CHECK(t.product_of(b("6.5.7638.1"))->id == "exchange-2003");
  CHECK(t.product_of(b("15.2.1748.10"))->id == "exchange-2019");
  CHECK(t.product_of(b("15.2.2562.17"))->id == "exchange-se");
  CHECK(t.product_of(b("15.2.2562"))->id == "exchange-se");
  CHECK(t.product_of(b("14.3.513.0")) == nullptr);
}

TEST_CASE("a build before its CU line's security update misses that update's fixes") {
  const ExchangeTable t = table();
  const ExchangeVerdict v = judge_build(t, b("15.1.2176.9"));
  REQUIRE(v.row);
  CHECK(v.row->su == "Mar21SU");
  CHECK(missing_ids(v) == std::vector<std::string>{"CVE-2021-34473"});
  CHECK(v.missing[0].update->build == "15.1.2176.12");

  CHECK(missing_ids(judge_build(t, b("15.1.2176.2"))) == std::vector<std::string>{"CVE-2021-26855", "CVE-2021-34473"});
  CHECK(judge_build(t, b("15.1.2176.12")).missing.empty());
  CHECK(judge_build(t, b("15.1.2176.15")).missing.empty());  // a later SU of the same line
}

TEST_CASE("a later CU line carries the fixes of earlier lines; an earlier line gets the first fixing release") {
  const ExchangeTable t = table();
  // CU20 GA came after the March SU of CU19: ProxyLogon fixed, ProxyShell needs CU20's own SU.
  const ExchangeVerdict cu20 = judge_build(t, b("15.1.2242.4"));
  CHECK(missing_ids(cu20) == std::vector<std::string>{"CVE-2021-34473"});
  CHECK(cu20.missing[0].update->build == "15.1.2242.8");
  // A CU line older than every fixing release: the earliest fixing release is named.
  const ExchangeVerdict cu18 = judge_build(t, b("15.1.2106.2"));
  CHECK(missing_ids(cu18) == std::vector<std::string>{"CVE-2021-26855", "CVE-2021-34473"});
  CHECK(cu18.missing[0].update->build == "15.1.2176.9");
  CHECK(cu18.row == nullptr);
}

TEST_CASE("without the revision a fix that came in the line's own SU cannot be told") {
  const ExchangeTable t = table();
  const ExchangeVerdict v = judge_build(t, b("15.1.2176"));
  CHECK(v.missing.empty());
  CHECK(v.unverified == std::vector<std::string>{"CVE-2021-26855", "CVE-2021-34473"});
  REQUIRE(v.row);
  CHECK(v.row->build == "15.1.2176.2");  // the line's first release names the CU
}

TEST_CASE("CVEs the table lists for no release of the product are not judged") {
  const ExchangeTable t = table();
  CHECK(judge_build(t, b("6.5.7638.1")).missing.empty());
  CHECK(judge_build(t, b("15.2.2562.17")).missing.empty());
}

TEST_CASE("ISO dates: validity and days between") {
  CHECK(is_iso_date("2024-02-29"));
  CHECK_FALSE(is_iso_date("2023-02-29"));
  CHECK_FALSE(is_iso_date("2025-13-01"));
  CHECK_FALSE(is_iso_date("2025-1-01"));
  CHECK(days_between("2025-10-14", "2025-10-15") == 1);
  CHECK(days_between("2026-12-07", "2025-10-14") == -419);
  CHECK(days_between("2014-04-08", "2014-04-08") == 0);
  CHECK_FALSE(days_between("2014-04-08", "soon"));
}
