#include "probes/tls/client_hello.h"

#include <catch2/catch.hpp>
#include <map>

using namespace pp::tls;

namespace {

unsigned u8(const std::string& s, size_t i) { return static_cast<unsigned char>(s.at(i)); }
unsigned u16(const std::string& s, size_t i) { return u8(s, i) << 8 | u8(s, i + 1); }

/// Walks a ClientHello record the way a server would; fails the test on any length mismatch.
struct Parsed {
  unsigned record_version = 0, client_version = 0;
  std::vector<uint16_t> suites;
  std::vector<unsigned> compression;
  std::map<unsigned, std::string> ext;
};

Parsed parse(const std::string& rec) {
  Parsed p;
  REQUIRE(rec.size() > 9);
  REQUIRE(u8(rec, 0) == 22);
  p.record_version = u16(rec, 1);
  REQUIRE(u16(rec, 3) == rec.size() - 5);
  REQUIRE(u8(rec, 5) == 1);
  REQUIRE((u8(rec, 6) << 16 | u16(rec, 7)) == rec.size() - 9);
  size_t i = 9;
  p.client_version = u16(rec, i);
  i += 2 + 32;
  i += 1 + u8(rec, i);
  const unsigned nsuites = u16(rec, i);
  REQUIRE(nsuites % 2 == 0);
  for (unsigned k = 0; k < nsuites; k += 2) p.suites.push_back(static_cast<uint16_t>(u16(rec, i + 2 + k)));
  i += 2 + nsuites;
  const unsigned ncomp = u8(rec, i);
  for (unsigned k = 0; k < ncomp; ++k) p.compression.push_back(u8(rec, i + 1 + k));
  i += 1 + ncomp;
  if (i == rec.size()) return p;
  const size_t end = i + 2 + u16(rec, i);
  REQUIRE(end == rec.size());
  i += 2;
  while (i < end) {
    const unsigned type = u16(rec, i), len = u16(rec, i + 2);
    REQUIRE(i + 4 + len <= end);
    REQUIRE(p.ext.count(type) == 0);
    p.ext[type] = rec.substr(i + 4, len);
    i += 4 + len;
  }
  return p;
}

}  // namespace

TEST_CASE("TLS 1.2 hello offers what the spec says") {
  HelloSpec s;
  s.version = Version::Tls12;
  s.suites = suites_for(Version::Tls12);
  s.sni = "mail.example.org";
  s.groups = groups_to_offer();
  s.offer_deflate = true;
  s.fallback_scsv = true;
  s.alpn = {"h2", "http/1.1"};
  const std::string rec = build_client_hello(s);
  Parsed p = parse(rec);
  CHECK(p.record_version == 0x0301);
  CHECK(p.client_version == 0x0303);
  CHECK(p.suites.size() == s.suites.size() + 1);
  CHECK(p.suites.back() == kFallbackScsv);
  CHECK(p.compression == std::vector<unsigned>{1, 0});
  REQUIRE(p.ext.count(0x0000));
  CHECK(p.ext[0x0000].find("mail.example.org") != std::string::npos);
  CHECK(p.ext.count(0xFF01));
  CHECK(p.ext.count(0x0005));
  CHECK(p.ext.count(0x000A));
  CHECK(p.ext.count(0x000B));
  CHECK(p.ext.count(0x000D));
  CHECK(p.ext[0x0010] == std::string("\x00\x0c\x02h2\x08http/1.1", 14));
  CHECK_FALSE(p.ext.count(0x002B));
  CHECK(rec.size() < 16384);
}

TEST_CASE("SSLv3 hello has no extensions and signals renegotiation by SCSV") {
  HelloSpec s;
  s.version = Version::Ssl3;
  s.suites = {0x000A, 0x0005};
  s.extensions = false;
  Parsed p = parse(build_client_hello(s));
  CHECK(p.record_version == 0x0300);
  CHECK(p.client_version == 0x0300);
  CHECK(p.suites == std::vector<uint16_t>{0x000A, 0x0005, kRenegotiationScsv});
  CHECK(p.ext.empty());
}

TEST_CASE("TLS 1.3 hello carries supported_versions and an x25519 share, or an empty share list") {
  HelloSpec s;
  s.version = Version::Tls13;
  s.suites = suites_for(Version::Tls13);
  s.groups = {0x001D, 0x0017};
  s.offer_deflate = true;  // must be ignored for TLS 1.3
  Parsed p = parse(build_client_hello(s));
  CHECK(p.client_version == 0x0303);
  CHECK(p.compression == std::vector<unsigned>{0});
  CHECK(p.ext[0x002B] == std::string("\x02\x03\x04", 3));
  REQUIRE(p.ext[0x0033].size() == 2 + 4 + 32);
  CHECK(u16(p.ext[0x0033], 2) == 0x001D);
  CHECK(u16(p.ext[0x0033], 4) == 32);
  CHECK_FALSE(p.ext.count(0xFF01));
  s.x25519_share = false;
  Parsed q = parse(build_client_hello(s));
  CHECK(q.ext[0x0033] == std::string("\x00\x00", 2));
}

TEST_CASE("SSLv2 CLIENT-HELLO layout") {
  const std::string h = build_ssl2_client_hello({0x010080, 0x0700C0});
  REQUIRE(h.size() == 2 + 9 + 6 + 16);
  CHECK((u16(h, 0) & 0x7FFF) == h.size() - 2);
  CHECK(u8(h, 0) & 0x80);
  CHECK(u8(h, 2) == 1);
  CHECK(u16(h, 3) == 0x0002);
  CHECK(u16(h, 5) == 6);
  CHECK(u16(h, 7) == 0);
  CHECK(u16(h, 9) == 16);
  CHECK(h.substr(11, 6) == std::string("\x01\x00\x80\x07\x00\xc0", 6));
}
