#include "probes/cert/name_match.h"

#include <catch2/catch.hpp>

using namespace pp::cert;
using namespace std::string_literals;

TEST_CASE("exact DNS names match case-insensitively, trailing dot ignored") {
  CHECK(dns_name_matches("mail.example.com", "mail.example.com"));
  CHECK(dns_name_matches("MAIL.Example.COM", "mail.example.com"));
  CHECK(dns_name_matches("mail.example.com.", "mail.example.com"));
  CHECK(dns_name_matches("mail.example.com", "Mail.Example.Com."));
  CHECK_FALSE(dns_name_matches("mail.example.com", "mail.example.org"));
  CHECK_FALSE(dns_name_matches("mail.example.com", "example.com"));
  CHECK_FALSE(dns_name_matches("example.com", "mail.example.com"));
  CHECK_FALSE(dns_name_matches("mail.example.com", "mail.example.com.evil"));
  CHECK_FALSE(dns_name_matches("", "mail.example.com"));
  CHECK_FALSE(dns_name_matches("mail.example.com", ""));
  CHECK_FALSE(dns_name_matches("mail..example.com", "mail..example.com"));
  CHECK_FALSE(dns_name_matches(".", "."));
}

TEST_CASE("a wildcard covers exactly one whole left-most label") {
  CHECK(dns_name_matches("*.example.com", "a.example.com"));
  CHECK(dns_name_matches("*.Example.com", "OWA.example.COM"));
  CHECK(dns_name_matches("*.example.com.", "a.example.com"));
  CHECK_FALSE(dns_name_matches("*.example.com", "a.b.example.com"));
  CHECK_FALSE(dns_name_matches("*.example.com", "example.com"));
  CHECK_FALSE(dns_name_matches("*.example.com", ".example.com"));
  CHECK_FALSE(dns_name_matches("*.example.com", "a.example.org"));
}

TEST_CASE("wildcards that RFC 6125 forbids never match") {
  CHECK_FALSE(dns_name_matches("*", "localhost"));
  CHECK_FALSE(dns_name_matches("*", "a"));
  CHECK_FALSE(dns_name_matches("*.com", "example.com"));
  CHECK_FALSE(dns_name_matches("*.", "com"));
  CHECK_FALSE(dns_name_matches("w*.example.com", "www.example.com"));
  CHECK_FALSE(dns_name_matches("*w.example.com", "www.example.com"));
  CHECK_FALSE(dns_name_matches("w*w.example.com", "www.example.com"));
  CHECK_FALSE(dns_name_matches("**.example.com", "a.example.com"));
  CHECK_FALSE(dns_name_matches("a.*.example.com", "a.b.example.com"));
  CHECK_FALSE(dns_name_matches("*.*.example.com", "a.b.example.com"));
  CHECK_FALSE(dns_name_matches("mail.example.*", "mail.example.com"));
  // The expected name is a host, never a pattern.
  CHECK_FALSE(dns_name_matches("a.example.com", "*.example.com"));
}

TEST_CASE("IDN names compare as A-labels; a wildcard never matches inside an A-label") {
  CHECK(dns_name_matches("xn--bcher-kva.example", "XN--BCHER-KVA.example"));
  CHECK(dns_name_matches("*.xn--bcher-kva.example", "shop.xn--bcher-kva.example"));
  CHECK(dns_name_matches("*.example.com", "xn--bcher-kva.example.com"));  // whole label only
  CHECK_FALSE(dns_name_matches("xn--*.example.com", "xn--bcher-kva.example.com"));
  CHECK_FALSE(dns_name_matches("xn--bcher*.example.com", "xn--bcher-kva.example.com"));
  CHECK_FALSE(dns_name_matches("x*.example.com", "xn--bcher-kva.example.com"));
  // U-labels are not compared (no IDNA mapping here): the A-label form must be used.
  CHECK_FALSE(dns_name_matches("b\xc3\xbc" "cher.example", "b\xc3\xbc" "cher.example"));
  CHECK_FALSE(dns_name_matches("xn--bcher-kva.example", "b\xc3\xbc" "cher.example"));
}

TEST_CASE("hostile presented names never match") {
  CHECK_FALSE(dns_name_matches("good.example.com\0.evil.com"s, "good.example.com"));
  CHECK_FALSE(dns_name_matches("good.example.com\0"s, "good.example.com"));
  CHECK_FALSE(dns_name_matches("<script>.example.com", "<script>.example.com"));
  CHECK_FALSE(dns_name_matches("mail example.com", "mail example.com"));
  CHECK_FALSE(dns_name_matches(std::string(300, 'a') + ".com", std::string(300, 'a') + ".com"));
}

TEST_CASE("IP literals parse and normalise") {
  REQUIRE(parse_ip("192.0.2.1"));
  CHECK(parse_ip("192.0.2.1")->size() == 4);
  CHECK(parse_ip("::1")->size() == 16);
  CHECK(parse_ip("[2001:db8::1]") == parse_ip("2001:0db8:0:0:0:0:0:1"));
  CHECK_FALSE(parse_ip("mail.example.com"));
  CHECK_FALSE(parse_ip("192.0.2"));
  CHECK_FALSE(parse_ip("192.0.2.256"));
  CHECK(format_ip(*parse_ip("2001:0DB8:0:0::1")) == "2001:db8::1");
  CHECK(format_ip(*parse_ip("192.0.2.1")) == "192.0.2.1");
  CHECK(format_ip("\x01\x02\x03"s) == "invalid-ip:010203");
}

TEST_CASE("name_covered: IPs only by IP SANs, names only by DNS SANs, never by the CN") {
  PresentedNames san;
  san.dns = {"mail.example.com", "*.owa.example.com", "192.0.2.7"};
  san.ips = {*parse_ip("192.0.2.1"), *parse_ip("2001:db8::1")};
  san.cns = {"legacy.example.com"};
  CHECK(name_covered(san, "mail.example.com"));
  CHECK(name_covered(san, "x.owa.example.com"));
  CHECK(name_covered(san, "192.0.2.1"));
  CHECK(name_covered(san, "2001:db8:0::1"));
  CHECK(name_covered(san, "[2001:db8::1]"));
  CHECK_FALSE(name_covered(san, "192.0.2.7"));           // an IP in a DNS SAN does not count
  CHECK_FALSE(name_covered(san, "2001:db8::2"));
  CHECK_FALSE(name_covered(san, "legacy.example.com"));  // CN ignored when SANs exist

  PresentedNames ip_only;
  ip_only.ips = {*parse_ip("192.0.2.1")};
  ip_only.cns = {"legacy.example.com"};
  CHECK_FALSE(name_covered(ip_only, "legacy.example.com"));  // an IP SAN also disables the CN

  // RFC 9525 and browsers ignore the CN: a certificate without SANs covers no name at all.
  PresentedNames cn_only;
  cn_only.cns = {"legacy.example.com", "192.0.2.1"};
  CHECK_FALSE(name_covered(cn_only, "legacy.example.com"));
  CHECK_FALSE(name_covered(cn_only, "LEGACY.example.com."));
  CHECK_FALSE(name_covered(cn_only, "192.0.2.1"));
  CHECK_FALSE(name_covered(cn_only, "other.example.com"));

  CHECK_FALSE(name_covered(PresentedNames{}, "mail.example.com"));
}
