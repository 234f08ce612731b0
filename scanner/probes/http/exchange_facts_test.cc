#include "probes/http/exchange_facts.h"

#include <catch2/catch.hpp>

using namespace pp;
using namespace pp::http;

namespace {

ExchangeTable table() {
  ExchangeTable t;
  t.path = "exchange-builds.toml";
  t.updated = "2025-07-01";
  t.products = {{"exchange-2003", "Exchange Server 2003", "6.5", "", "2014-04-08", "https://lifecycle/2003", 10},
                {"exchange-2016", "Exchange Server 2016", "15.1", "", "2025-10-14", "https://lifecycle/2016", 11},
                {"exchange-se", "Exchange Server Subscription Edition", "15.2", "15.2.2562.17", "", "https://lifecycle/se", 12}};
  t.cves = {{"CVE-2021-26855", "ProxyLogon", "9.1", "https://msrc/CVE-2021-26855", 20},
            {"CVE-2021-34473", "ProxyShell", "", "https://msrc/CVE-2021-34473", 21}};
  t.builds = {
      {"15.1.2176.9", "exchange-2016", "CU19", "Mar21SU", "KB5000871", "2021-03-02", {"CVE-2021-26855"}, "https://builds", 30},
      {"15.1.2176.12", "exchange-2016", "CU19", "Apr21SU", "KB5001779", "2021-04-13", {"CVE-2021-34473"}, "https://builds", 31},
      {"15.2.2562.17", "exchange-se", "RTM", "", "", "2025-07-01", {}, "https://builds", 32},
  };
  return t;
}

ExchangeSightings seen_build(const char* build, const char* where = "X-OWA-Version") {
  ExchangeSightings s;
  s.answered = true;
  s.builds.push_back({*parse_exchange_build(build), {std::string(where) + ": " + build, "GET /owa"}});
  return s;
}

const Fact& get(const FactSet& fs, const std::string& name) {
  const Fact* f = fs.find(name);
  INFO(name);
  REQUIRE(f);
  return *f;
}

template <class T>
T val(const FactSet& fs, const std::string& name) {
  const Fact& f = get(fs, name);
  INFO(name << ": " << f.reason);
  REQUIRE(f.state == FactState::Known);
  return std::get<T>(f.value);
}

}  // namespace

TEST_CASE("every exchange fact of the catalogue is set") {
  const ExchangeTable t = table();
  for (const auto& fs : {exchange_facts(seen_build("15.1.2176.9"), &t, "2026-12-07"),
                         exchange_facts(ExchangeSightings{}, &t, "2026-12-07"), exchange_facts_elsewhere("x")})
    for (const auto& n : exchange_fact_names()) CHECK(fs.find(n));
  CHECK(exchange_fact_names().size() == 13);
}

TEST_CASE("a 2016 build past its end of support that lacks the ProxyShell fix") {
  const ExchangeTable t = table();
  const FactSet fs = exchange_facts(seen_build("15.1.2176.9"), &t, "2026-12-07");
  CHECK(val<bool>(fs, "exchange.build_disclosed"));
  CHECK(val<std::string>(fs, "exchange.build") == "15.1.2176.9");
  CHECK(get(fs, "exchange.build").evidence == "X-OWA-Version: 15.1.2176.9 (GET /owa)");
  CHECK(val<std::string>(fs, "exchange.product") == "Exchange Server 2016");
  CHECK(val<std::string>(fs, "exchange.update") == "CU19 Mar21SU (KB5000871), released 2021-03-02");
  CHECK(val<std::string>(fs, "exchange.end_of_support") == "2025-10-14");
  CHECK(val<int64_t>(fs, "exchange.end_of_support_days") == -419);
  CHECK_FALSE(val<bool>(fs, "exchange.supported"));
  CHECK(val<StringList>(fs, "exchange.missing_fixes") == StringList{"CVE-2021-34473"});
  CHECK(val<StringList>(fs, "exchange.missing_fix_details") ==
        StringList{"CVE-2021-34473 (ProxyShell): install Exchange Server 2016 CU19 Apr21SU (KB5001779), build "
                   "15.1.2176.12, or later"});
  CHECK(val<std::string>(fs, "exchange.knowledge_source") ==
        "Exchange build table exchange-builds.toml (updated 2025-07-01): https://lifecycle/2016, https://builds, "
        "https://msrc/CVE-2021-34473");
  // Each missing fix's own sources, in step with exchange.missing_fixes.
  CHECK(val<StringList>(fs, "exchange.missing_fix_sources") ==
        StringList{"Exchange build table exchange-builds.toml (updated 2025-07-01): https://lifecycle/2016, https://builds, "
                   "https://msrc/CVE-2021-34473"});
  CHECK(get(fs, "exchange.product").evidence ==
        "build 15.1.2176.9: Exchange Server 2016 at exchange-builds.toml:11, CU19 Mar21SU (KB5000871) at "
        "exchange-builds.toml:30");
  CHECK(val<StringList>(fs, "exchange.internal_names_leaked").empty());
}

TEST_CASE("the CVSS score is named when the table has it") {
  const ExchangeTable t = table();
  const FactSet fs = exchange_facts(seen_build("15.1.2176.2"), &t, "2021-01-01");
  CHECK(val<StringList>(fs, "exchange.missing_fix_details")[0] ==
        "CVE-2021-26855 (ProxyLogon, CVSS 9.1): install Exchange Server 2016 CU19 Mar21SU (KB5000871), build "
        "15.1.2176.9, or later");
  CHECK(val<int64_t>(fs, "exchange.end_of_support_days") == 1747);
  CHECK(val<bool>(fs, "exchange.supported"));
  CHECK(get(fs, "exchange.update").state == FactState::Absent);  // not a row of this table
}

TEST_CASE("the Subscription Edition has no end date and is supported") {
  const ExchangeTable t = table();
  const FactSet fs = exchange_facts(seen_build("15.2.2562", "resource path"), &t, "2026-12-07");
  CHECK(val<std::string>(fs, "exchange.product") == "Exchange Server Subscription Edition");
  CHECK(val<bool>(fs, "exchange.supported"));
  CHECK(get(fs, "exchange.end_of_support_days").state == FactState::Absent);
  CHECK(val<StringList>(fs, "exchange.missing_fixes").empty());
}

TEST_CASE("three numbers: fixes of the line's own security updates are unverified, not missing") {
  const ExchangeTable t = table();
  const FactSet fs = exchange_facts(seen_build("15.1.2176", "resource path"), &t, "2026-12-07");
  CHECK(val<StringList>(fs, "exchange.missing_fixes").empty());
  CHECK(val<StringList>(fs, "exchange.fixes_unverified") == StringList{"CVE-2021-26855", "CVE-2021-34473"});
}

TEST_CASE("the most precise build wins; every place it was read is evidence") {
  ExchangeSightings s = seen_build("15.1.2176", "resource path");
  s.builds.push_back({*parse_exchange_build("15.1.2176.9"), {"X-OWA-Version: 15.1.2176.9", "GET /ecp"}});
  const ExchangeTable t = table();
  const FactSet fs = exchange_facts(s, &t, "2026-12-07");
  CHECK(val<std::string>(fs, "exchange.build") == "15.1.2176.9");
  CHECK(get(fs, "exchange.build").evidence == "resource path: 15.1.2176 (GET /owa)\nX-OWA-Version: 15.1.2176.9 (GET /ecp)");
}

TEST_CASE("nothing disclosed, nothing answered, no table, a build of no known product") {
  const ExchangeTable t = table();
  ExchangeSightings quiet;
  quiet.answered = true;
  quiet.names = {"EXCH01"};
  quiet.name_lines = {{"X-FEServer: EXCH01", "GET /owa"}};
  const FactSet q = exchange_facts(quiet, &t, "2026-12-07");
  CHECK_FALSE(val<bool>(q, "exchange.build_disclosed"));
  CHECK(val<StringList>(q, "exchange.internal_names_leaked") == StringList{"EXCH01"});
  CHECK(get(q, "exchange.build").state == FactState::Absent);
  CHECK(get(q, "exchange.missing_fixes").state == FactState::Absent);

  const FactSet none = exchange_facts(ExchangeSightings{}, &t, "2026-12-07");
  CHECK(get(none, "exchange.build_disclosed").state == FactState::Unknown);

  const FactSet no_table = exchange_facts(seen_build("15.1.2176.9"), nullptr, "2026-12-07");
  CHECK(val<std::string>(no_table, "exchange.build") == "15.1.2176.9");
  CHECK(get(no_table, "exchange.product").state == FactState::Unknown);

  const FactSet unknown = exchange_facts(seen_build("14.3.513.0"), &t, "2026-12-07");
  CHECK(get(unknown, "exchange.product").state == FactState::Unknown);
  CHECK(get(unknown, "exchange.product").reason.find("matches no product") != std::string::npos);
}
