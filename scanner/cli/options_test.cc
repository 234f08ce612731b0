#include <catch2/catch.hpp>

#include "cli/options.h"

using namespace pp;
using namespace pp::cli;

TEST_CASE("every scan option parses") {
  ScanOptions o;
  std::string err = parse_scan_options(
      {"https://h/owa", "-i", "inv.toml", "--junit", "j.xml", "--html=r.html", "--json", "r.json", "--sarif", "r.sarif",
       "--profile", "default", "--profile", "modern", "--rules", "my", "--waivers", "w.toml", "--fail-on", "medium",
       "--baseline", "old.json", "--fail-on-new", "--timeout", "2.5", "--concurrency", "8", "--per-host", "2",
       "--ca-file", "ca.pem", "--shard", "2/3", "--verbose"},
      o);
  REQUIRE(err.empty());
  REQUIRE(o.targets == std::vector<std::string>{"https://h/owa"});
  REQUIRE(o.reports.size() == 4);
  REQUIRE(o.reports[1].format == "html");
  REQUIRE(o.reports[1].path == "r.html");
  REQUIRE(o.profiles.size() == 2);
  REQUIRE(o.fail_on == Severity::Medium);
  REQUIRE(o.fail_on_new);
  REQUIRE(o.timeout_s == 2.5);
  REQUIRE(o.concurrency == 8);
  REQUIRE(o.per_host == 2);
  REQUIRE(o.shard_k == 2);
  REQUIRE(o.shard_n == 3);
  REQUIRE(o.verbose);
}

TEST_CASE("bad scan options say what is wrong") {
  auto err = [](std::vector<std::string> args) {
    ScanOptions o;
    return parse_scan_options(args, o);
  };
  REQUIRE_THAT(err({"h", "--frobnicate"}), Catch::Contains("unknown option '--frobnicate'"));
  REQUIRE_THAT(err({"h", "--fail-on", "severe"}), Catch::Contains("not one of"));
  REQUIRE_THAT(err({"h", "--timeout", "0"}), Catch::Contains("--timeout"));
  REQUIRE_THAT(err({"h", "--timeout", "abc"}), Catch::Contains("--timeout"));
  REQUIRE_THAT(err({"h", "--per-host", "0"}), Catch::Contains("--per-host"));
  REQUIRE_THAT(err({"h", "--shard", "4/3"}), Catch::Contains("--shard"));
  REQUIRE_THAT(err({"h", "--shard", "0/3"}), Catch::Contains("--shard"));
  REQUIRE_THAT(err({"h", "--junit"}), Catch::Contains("needs a FILE"));
  REQUIRE_THAT(err({}), Catch::Contains("nothing to scan"));
  REQUIRE_THAT(err({"h", "--fail-on-new"}), Catch::Contains("--baseline"));
  REQUIRE_THAT(err({"h", "-q", "-v"}), Catch::Contains("exclude"));
  REQUIRE_THAT(err({"h", "--quiet=yes"}), Catch::Contains("option --quiet takes no value"));
  REQUIRE_THAT(err({"h", "--concurrency", "x"}), Catch::Contains("--concurrency: expected 1-4096, got 'x'"));
  REQUIRE_THAT(err({"h", "--json="}), Catch::Contains("--json"));
}

TEST_CASE("repeatable options take one value each; reports keep command-line order") {
  ScanOptions o;
  std::string err = parse_scan_options({"--sarif", "-", "-i", "a.toml", "h1", "--inventory=b.toml", "--json", "r.json",
                                        "--sarif", "s.sarif", "--profile", "p", "h2"},
                                       o);
  REQUIRE(err.empty());
  REQUIRE(o.targets == std::vector<std::string>{"h1", "h2"});
  REQUIRE(o.inventories == std::vector<std::string>{"a.toml", "b.toml"});
  REQUIRE(o.profiles == std::vector<std::string>{"p"});
  REQUIRE(o.reports.size() == 3);
  REQUIRE(o.reports[0].format == "sarif");
  REQUIRE(o.reports[0].path == "-");
  REQUIRE(o.reports[1].format == "json");
  REQUIRE(o.reports[2].path == "s.sarif");
}

TEST_CASE("--endpoint-budget and -h") {
  ScanOptions o;
  REQUIRE(parse_scan_options({"h", "--endpoint-budget", "30"}, o).empty());
  REQUIRE(o.endpoint_budget_s == 30);
  ScanOptions bad;
  REQUIRE_THAT(parse_scan_options({"h", "--endpoint-budget", "0"}, bad), Catch::Contains("--endpoint-budget"));
  bool help = false;
  ScanOptions h;
  REQUIRE(parse_scan_options({"-h"}, h, &help).empty());
  REQUIRE(help);
}

TEST_CASE("the scan help is generated from the declarations, one line per option") {
  const std::string help = scan_help();
  REQUIRE_THAT(help, Catch::StartsWith("usage: policyprobe scan"));
  for (const char* opt : {"--inventory", "--nmap-xml", "--junit", "--html", "--json", "--sarif", "--profile",
                          "--rules", "--waivers", "--fail-on", "--baseline", "--fail-on-new", "--timeout",
                          "--endpoint-budget", "--concurrency", "--per-host", "--ca-file", "--shard", "--quiet",
                          "--verbose"})
    REQUIRE_THAT(help, Catch::Contains(std::string(opt) + " "));
}
