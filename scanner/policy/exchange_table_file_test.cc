#include <catch2/catch.hpp>

#include "policy/exchange_table_file.h"
#include "policy/lint.h"

using namespace pp;
using namespace pp::policy;

namespace {

const char* kGood = R"(schema = 1
[table]
kind = "exchange-builds"
updated = 2025-07-01

[[product]]
id = "exchange-2016"
name = "Exchange Server 2016"
version = "15.1"
end_of_support = 2025-10-14
source = "https://learn.microsoft.com/lifecycle/products/exchange-server-2016"

[[cve]]
id = "CVE-2021-34473"
name = "ProxyShell"
source = "https://msrc.microsoft.com/update-guide/vulnerability/CVE-2021-34473"

[[build]]
build = "15.1.2176.12"
product = "exchange-2016"
cu = "CU19"
su = "Apr21SU"
kb = "KB5001779"
released = 2021-04-13
fixes = ["CVE-2021-34473"]
source = "https://learn.microsoft.com/exchange/new-features/build-numbers-and-release-dates"
)";

std::vector<std::string> formatted(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& x : d) out.push_back(x.format());
  return out;
}

bool has(const Diagnostics& d, const std::string& needle) {
  for (const auto& s : formatted(d))
    if (s.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a well-formed Exchange build table loads without a diagnostic") {
  ExchangeTable t;
  const Diagnostics d = load_exchange_table({"t.toml", kGood}, t);
  CHECK(formatted(d).empty());
  CHECK(t.updated == "2025-07-01");
  REQUIRE(t.builds.size() == 1);
  CHECK(t.builds[0].released == "2021-04-13");
  CHECK(t.builds[0].fixes == StringList{"CVE-2021-34473"});
  CHECK(t.builds[0].line == 18);
  CHECK(t.products[0].end_of_support == "2025-10-14");
  CHECK(is_exchange_table_source({"t.toml", kGood}));
}

TEST_CASE("the table lint: duplicate builds, unknown product and CVE, missing source, bad dates") {
  std::string text = kGood;
  text += R"(
[[build]]
build = "15.1.2176.12"
product = "exchange-2099"
cu = "CU19"
released = "2021-04-13"
fixes = ["CVE-2099-0001"]

[[build]]
build = "15.2.858.10"
product = "exchange-2016"
cu = "CU9"
released = 2021-04-13
source = "x"
)";
  ExchangeTable t;
  const Diagnostics d = load_exchange_table({"t.toml", text}, t);
  CHECK(has(d, "t.toml:29:9: error: duplicate build '15.1.2176.12' (first at line 19)"));
  CHECK(has(d, "t.toml:30:11: error: unknown product 'exchange-2099'"));
  CHECK(has(d, "t.toml:32:12: error: 'released' must be a TOML date"));
  CHECK(has(d, "t.toml:33:10: error: unknown CVE 'CVE-2099-0001'"));
  CHECK(has(d, "build is missing required key 'source'"));
  CHECK(has(d, "t.toml:36:9: error: build 15.2.858.10 is not a version 15.1 build (product exchange-2016)"));
}

TEST_CASE("rules lint checks a table among rule files as a table") {
  std::string text = kGood;
  text += "\n[[build]]\nbuild = \"15.1\"\nproduct = \"exchange-2016\"\ncu = \"CU1\"\nsource = \"x\"\n";
  const Diagnostics d = lint_sources(FactCatalogue{}, {{"k/t.toml", text}}, {});
  CHECK(has(d, "k/t.toml:29:9: error: 'build' must be four numbers such as 15.1.2176.9"));
  CHECK(formatted(d).size() == 1);  // not also read as a rule pack
}
