#include <catch2/catch.hpp>

#include "reports/tls_grade.h"

using namespace pp::reports;

namespace {

std::string g(std::string_view version, std::string_view suite) {
  return std::string(to_string(grade_suite(version, suite).grade));
}

}  // namespace

TEST_CASE("TLS grades: AEAD with forward secrecy is A, TLS 1.3 always A") {
  CHECK(g("tls12", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384") == "A");
  CHECK(g("tls12", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256") == "A");
  CHECK(g("tls12", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8") == "A");
  CHECK(g("tls12", "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256") == "A");
  CHECK(g("tls13", "TLS_AES_128_GCM_SHA256") == "A");
  CHECK(g("tls13", "TLS_CHACHA20_POLY1305_SHA256") == "A");
  CHECK(g("tls13", "TLS_AES_128_CCM_SHA256") == "A");
}

TEST_CASE("TLS grades: CBC or no forward secrecy is B") {
  CHECK(g("tls12", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA") == "B");
  CHECK(g("tls10", "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA") == "B");
  CHECK(g("tls12", "TLS_RSA_WITH_AES_256_GCM_SHA384") == "B");
  CHECK(grade_suite("tls12", "TLS_RSA_WITH_AES_256_GCM_SHA384").why == "no forward secrecy");
  CHECK(g("tls12", "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256") == "B");  // static ECDH
  CHECK(g("tls12", "TLS_PSK_WITH_AES_128_GCM_SHA256") == "B");
  CHECK(g("tls12", "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256") == "A");
  CHECK(grade_suite("tls12", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256").why == "CBC mode, no AEAD");
}

TEST_CASE("TLS grades: RC4, 64-bit blocks, MD5 and SSLv3 are C; DES D; EXPORT E") {
  CHECK(g("tls12", "TLS_ECDHE_RSA_WITH_RC4_128_SHA") == "C");
  CHECK(grade_suite("tls12", "TLS_RSA_WITH_RC4_128_SHA").why == "RC4 (RFC 7465)");
  CHECK(g("tls10", "TLS_RSA_WITH_3DES_EDE_CBC_SHA") == "C");
  CHECK(grade_suite("tls12", "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA").why == "64-bit block cipher (SWEET32)");
  CHECK(g("tls10", "TLS_RSA_WITH_IDEA_CBC_SHA") == "C");
  CHECK(g("tls10", "TLS_RSA_WITH_RC4_128_MD5") == "C");
  CHECK(g("ssl3", "TLS_RSA_WITH_AES_128_CBC_SHA") == "C");
  CHECK(grade_suite("ssl3", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA").why == "SSLv3 (POODLE)");
  CHECK(g("tls10", "TLS_RSA_WITH_DES_CBC_SHA") == "D");
  CHECK(g("tls10", "TLS_DHE_RSA_WITH_DES_CBC_SHA") == "D");
  CHECK(g("ssl3", "TLS_RSA_EXPORT_WITH_RC4_40_MD5") == "E");
  CHECK(g("tls10", "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA") == "E");
  CHECK(g("tls10", "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA") == "E");
}

TEST_CASE("TLS grades: NULL, anonymous and SSLv2 are F, whatever else the suite has") {
  CHECK(g("tls12", "TLS_ECDHE_RSA_WITH_NULL_SHA") == "F");
  CHECK(g("tls12", "TLS_NULL_WITH_NULL_NULL") == "F");
  CHECK(g("tls12", "TLS_DH_anon_WITH_AES_256_GCM_SHA384") == "F");
  CHECK(grade_suite("tls12", "TLS_ECDH_anon_WITH_AES_128_CBC_SHA").why == "anonymous key exchange (no authentication)");
  CHECK(g("tls10", "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5") == "F");
  CHECK(g("ssl2", "SSL_CK_RC4_128_WITH_MD5") == "F");
  CHECK(g("ssl2", "SSL_CK_DES_192_EDE3_CBC_WITH_MD5") == "F");
}

TEST_CASE("TLS grades: an unknown cipher is ?, and never improves an endpoint's grade") {
  CHECK(g("tls12", "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L") == "?");
  CHECK(g("tls12", "unknown 0x1234") == "?");
  CHECK(worse(Grade::A, Grade::Unknown) == Grade::A);
  CHECK(worse(Grade::Unknown, Grade::C) == Grade::C);
  CHECK(worse(Grade::B, Grade::F) == Grade::F);
  CHECK(worse(Grade::Unknown, Grade::Unknown) == Grade::Unknown);
}
