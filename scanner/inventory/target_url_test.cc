#include <catch2/catch.hpp>

#include "inventory/target_url.h"

using namespace pp;
using namespace pp::inventory;

namespace {
Target parse_ok(const std::string& s) {
  Target t;
  std::string err;
  INFO(s);
  REQUIRE(parse_target_url(s, t, err));
  REQUIRE(err.empty());
  return t;
}
std::string parse_err(const std::string& s) {
  Target t;
  std::string err;
  INFO(s);
  REQUIRE_FALSE(parse_target_url(s, t, err));
  REQUIRE_FALSE(err.empty());
  return err;
}
}  // namespace

TEST_CASE("https URL with vdir gets its plain companion on default ports") {
  Target t = parse_ok("https://mail.example.com/owa/");
  REQUIRE(t.host == "mail.example.com");
  REQUIRE(t.services.size() == 2);
  REQUIRE(t.services[0].scheme == "https");
  REQUIRE(t.services[0].port == 443);
  REQUIRE(t.services[1].scheme == "http");
  REQUIRE(t.services[1].port == 80);
  REQUIRE(t.vdirs == std::vector<std::string>{"/owa"});
}

TEST_CASE("every scheme maps to its default port") {
  const std::vector<std::pair<std::string, uint16_t>> cases = {
      {"http", 80},    {"smtp", 25},   {"submission", 587}, {"smtps", 465}, {"imap", 143},
      {"imaps", 993},  {"pop3", 110},  {"pop3s", 995},      {"ldap", 389},  {"ldaps", 636},
      {"nntp", 119},   {"nntps", 563}, {"https", 443}};
  for (const auto& [scheme, port] : cases) {
    Target t = parse_ok(scheme + "://h.example");
    REQUIRE(t.services[0].scheme == scheme);
    REQUIRE(t.services[0].port == port);
  }
}

TEST_CASE("explicit ports and IPv6 literals") {
  Target t = parse_ok("https://[2001:db8::1]:8443/ecp");
  REQUIRE(t.host == "2001:db8::1");
  REQUIRE(t.services.size() == 1);  // no companion off the default port
  REQUIRE(t.services[0].port == 8443);
  REQUIRE(t.vdirs[0] == "/ecp");
  Target v4 = parse_ok("SMTP://192.0.2.7:2525");
  REQUIRE(v4.services[0].scheme == "smtp");
  REQUIRE(v4.services[0].port == 2525);
  Target v6 = parse_ok("ldaps://[::1]");
  REQUIRE(v6.host == "::1");
}

TEST_CASE("a bare host discovers the usual ports") {
  Target t = parse_ok("mail.example.com");
  REQUIRE(t.discover);
  REQUIRE(t.services.size() >= 10);
  Target v6 = parse_ok("[::1]");
  REQUIRE(v6.host == "::1");
}

TEST_CASE("bad targets are refused with a reason") {
  REQUIRE_THAT(parse_err("gopher://h"), Catch::Contains("unknown scheme"));
  REQUIRE_THAT(parse_err("https://h:0"), Catch::Contains("port"));
  REQUIRE_THAT(parse_err("https://h:65536"), Catch::Contains("port"));
  REQUIRE_THAT(parse_err("https://h:abc"), Catch::Contains("port"));
  REQUIRE_THAT(parse_err("https://h:"), Catch::Contains("empty port"));
  REQUIRE_THAT(parse_err("https://"), Catch::Contains("no host"));
  REQUIRE_THAT(parse_err("https://::1/owa"), Catch::Contains("brackets"));
  REQUIRE_THAT(parse_err("https://[::1/owa"), Catch::Contains("unclosed"));
  REQUIRE_THAT(parse_err("https://user:pw@h/"), Catch::Contains("credentials"));
  REQUIRE_THAT(parse_err("smtp://h/owa"), Catch::Contains("only meaningful"));
  REQUIRE_THAT(parse_err("h.example/owa"), Catch::Contains("needs a scheme"));
  REQUIRE_THAT(parse_err("h.example:443"), Catch::Contains("needs a scheme"));
  REQUIRE_THAT(parse_err("https://bad host"), Catch::Contains("whitespace"));
  REQUIRE_THAT(parse_err("https://h/owa?x=1"), Catch::Contains("query"));
  REQUIRE_THAT(parse_err(""), Catch::Contains("empty"));
  REQUIRE_THAT(parse_err("https://ex<ample>.com"), Catch::Contains("invalid host"));
}

TEST_CASE("targets naming one host are merged") {
  std::vector<Target> out;
  std::string err;
  REQUIRE(parse_target_urls({"https://h.example/owa", "https://h.example/ecp", "imaps://h.example", "smtp://other"},
                            out, err));
  REQUIRE(out.size() == 2);
  REQUIRE(out[0].vdirs.size() == 2);
  REQUIRE(out[0].services.size() == 3);
}

TEST_CASE("URLs on other ports of one host stay their own targets") {
  std::vector<Target> out;
  std::string err;
  REQUIRE(parse_target_urls({"https://h:40387/owa/", "http://h:43939/owa/", "https://h:40387/ecp"}, out, err));
  REQUIRE(out.size() == 2);
  REQUIRE(out[0].name == "h:40387");
  REQUIRE(out[0].services.size() == 1);
  REQUIRE(out[0].services[0].port == 40387);
  REQUIRE(out[0].vdirs == std::vector<std::string>{"/owa", "/ecp"});
  REQUIRE(out[1].name == "h:43939");
  REQUIRE(out[1].services.size() == 1);
  REQUIRE(out[1].services[0].scheme == "http");
}

TEST_CASE("IP literals in URLs are what inet_pton accepts") {
  CHECK(parse_ok("https://1.2.3.4/owa").host == "1.2.3.4");
  CHECK(parse_ok("https://[::ffff:1.2.3.4]:8443").host == "::ffff:1.2.3.4");
  CHECK(parse_ok("imaps://[::1]").host == "::1");
  CHECK(parse_ok("smtp://mx1.example").host == "mx1.example");
  // Numbers a resolver would read as some other address, or as none: refused, not guessed at.
  CHECK_THAT(parse_err("https://1.2.3"), Catch::Contains("neither an IPv4 address"));
  CHECK_THAT(parse_err("https://01.2.3.4"), Catch::Contains("neither an IPv4 address"));
  CHECK_THAT(parse_err("https://999.1.1.1"), Catch::Contains("neither an IPv4 address"));
  CHECK_THAT(parse_err("https://[1.2.3.4]"), Catch::Contains("invalid IPv6 literal"));
  CHECK_THAT(parse_err("https://[::g]"), Catch::Contains("invalid IPv6 literal"));
  CHECK_THAT(parse_err("https://[1:2]"), Catch::Contains("invalid IPv6 literal"));
}
