#include "core/ip_literal.h"

#include <catch2/catch.hpp>

using namespace pp;

TEST_CASE("IPv4 literals are what inet_pton accepts: four decimal numbers, no leading zeros") {
  CHECK(ip_literal("1.2.3.4") == IpLiteral::V4);
  CHECK(ip_literal("255.255.255.255") == IpLiteral::V4);
  CHECK(ip_literal("1.2.3") == IpLiteral::None);      // inet_aton would read 1.2.0.3
  CHECK(ip_literal("01.2.3.4") == IpLiteral::None);   // inet_aton would read octal
  CHECK(ip_literal("999.1.1.1") == IpLiteral::None);
  CHECK(ip_literal("1.2.3.4.") == IpLiteral::None);
  CHECK(ip_literal("0x7f.0.0.1") == IpLiteral::None);
  CHECK(ip_literal(" 1.2.3.4") == IpLiteral::None);
  CHECK(ip_literal(std::string("1.2.3.4\0x", 9)) == IpLiteral::None);
  CHECK(ip_literal("") == IpLiteral::None);
}

TEST_CASE("IPv6 literals: bare, bracketed, IPv4-mapped, with a zone") {
  CHECK(ip_literal("::1") == IpLiteral::V6);
  CHECK(ip_literal("[::1]") == IpLiteral::V6);
  CHECK(ip_literal("::ffff:1.2.3.4") == IpLiteral::V6);
  CHECK(ip_literal("2001:db8::8a2e:370:7334") == IpLiteral::V6);
  CHECK(ip_literal("fe80::1%eth0") == IpLiteral::V6);
  CHECK(ip_literal("fe80::1%") == IpLiteral::None);
  CHECK(ip_literal("fe80::1%eth 0") == IpLiteral::None);
  CHECK(ip_literal("[1.2.3.4]") == IpLiteral::None);  // brackets are for IPv6 only
  CHECK(ip_literal("[::1") == IpLiteral::None);
  CHECK(ip_literal("::g") == IpLiteral::None);
  CHECK(ip_literal("1:2") == IpLiteral::None);
  CHECK(ip_literal("a:b:c:d:e:f:1:2:3") == IpLiteral::None);
}

TEST_CASE("host names are not IP literals") {
  CHECK_FALSE(is_ip_literal("mail.example.com"));
  CHECK_FALSE(is_ip_literal("localhost"));
  CHECK_FALSE(is_ip_literal("1.2.3.example"));
  CHECK_FALSE(is_ip_literal("cafe"));  // hex digits but no colon
}

TEST_CASE("numeric_non_ip finds hosts a resolver might read as an address") {
  CHECK(numeric_non_ip("1.2.3"));
  CHECK(numeric_non_ip("01.2.3.4"));
  CHECK(numeric_non_ip("999.1.1.1"));
  CHECK(numeric_non_ip("10"));
  CHECK(numeric_non_ip("1.2.3.4."));
  CHECK_FALSE(numeric_non_ip("1.2.3.4"));
  CHECK_FALSE(numeric_non_ip("::1"));
  CHECK_FALSE(numeric_non_ip("mail.example.com"));
  CHECK_FALSE(numeric_non_ip("1.2.3.example"));
  CHECK_FALSE(numeric_non_ip("host1"));
  CHECK_FALSE(numeric_non_ip(""));
}

TEST_CASE("url_host brackets IPv6 literals only") {
  CHECK(url_host("::1") == "[::1]");
  CHECK(url_host("[::1]") == "[::1]");
  CHECK(url_host("::ffff:1.2.3.4") == "[::ffff:1.2.3.4]");
  CHECK(url_host("1.2.3.4") == "1.2.3.4");
  CHECK(url_host("mail.example.com") == "mail.example.com");
}
