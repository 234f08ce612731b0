#include "probes/tls/suite_families.h"

#include <catch2/catch.hpp>
#include <string>

using namespace pp;
using namespace pp::tls;

namespace {

StringList list_of(const std::vector<Fact>& facts, const std::string& name) {
  for (const auto& f : facts)
    if (f.name == name) {
      REQUIRE(f.state == FactState::Known);
      return std::get<StringList>(f.value);
    }
  FAIL("no fact " << name);
  return {};
}

const CipherSuite& suite(uint16_t code) {
  const CipherSuite* s = find_suite(code);
  REQUIRE(s != nullptr);
  return *s;
}

}  // namespace

TEST_CASE("suite families: CBC, 64-bit blocks, RSA and DH EXPORT") {
  CHECK(is_cbc(suite(0x002F)));   // TLS_RSA_WITH_AES_128_CBC_SHA
  CHECK(is_cbc(suite(0x000A)));   // 3DES-CBC
  CHECK(is_cbc(suite(0xC044)));   // ARIA-CBC
  CHECK_FALSE(is_cbc(suite(0xC02F)));  // AES-GCM
  CHECK_FALSE(is_cbc(suite(0x0005)));  // RC4 is a stream cipher
  CHECK_FALSE(is_cbc(suite(0x1301)));  // TLS 1.3
  CHECK_FALSE(is_cbc(suite(0xCCA8)));  // ChaCha20-Poly1305

  CHECK(is_block64(suite(0x000A)));  // 3DES
  CHECK(is_block64(suite(0x0009)));  // DES
  CHECK(is_block64(suite(0x0007)));  // IDEA
  CHECK(is_block64(suite(0x0006)));  // RC2 EXPORT
  CHECK_FALSE(is_block64(suite(0x002F)));  // AES has 128-bit blocks

  CHECK(is_export_rsa(suite(0x0003)));   // TLS_RSA_EXPORT_WITH_RC4_40_MD5
  CHECK(is_export_rsa(suite(0x0062)));   // TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA
  CHECK_FALSE(is_export_rsa(suite(0x0014)));  // DHE EXPORT
  CHECK_FALSE(is_export_rsa(suite(0x000A)));

  CHECK(is_export_dh(suite(0x0014)));   // TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA
  CHECK(is_export_dh(suite(0x0019)));   // TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA
  CHECK_FALSE(is_export_dh(suite(0x0003)));
  CHECK_FALSE(is_export_dh(suite(0x0016)));  // DHE, not EXPORT
}

TEST_CASE("suite family facts list each suite once and the versions that accepted CBC") {
  const AcceptedSuites accepted[] = {
      {Version::Ssl3, {0x0005, 0x000A, 0x0003}},
      {Version::Tls10, {0x000A, 0x002F}},
      {Version::Tls12, {0xC02F}},
  };
  const auto facts = suite_family_facts(accepted);
  CHECK(list_of(facts, "tls.ciphers.cbc") == StringList{"TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"});
  CHECK(list_of(facts, "tls.cbc_protocols") == StringList{"SSLv3", "TLSv1.0"});
  CHECK(list_of(facts, "tls.ciphers.block64") == StringList{"TLS_RSA_WITH_3DES_EDE_CBC_SHA"});
  CHECK(list_of(facts, "tls.ciphers.export_rsa") == StringList{"TLS_RSA_EXPORT_WITH_RC4_40_MD5"});
  CHECK(list_of(facts, "tls.ciphers.export_dh").empty());
}

TEST_CASE("a server with AEAD suites only has empty families, still known") {
  const AcceptedSuites accepted[] = {{Version::Tls12, {0xC02F, 0xC030}}, {Version::Tls13, {0x1301}}};
  const auto facts = suite_family_facts(accepted);
  REQUIRE(facts.size() == 5);
  for (const auto& f : facts) {
    INFO(f.name);
    CHECK(f.state == FactState::Known);
    CHECK(std::get<StringList>(f.value).empty());
    CHECK(f.evidence.find("none accepted") != std::string::npos);
  }
}
