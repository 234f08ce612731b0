#pragma once
#include <string_view>

/// A strength grade for one accepted cipher suite, read from its IANA name alone (reports see
/// facts, never the probe): A best, F worst, as nmap's ssl-enum-ciphers prints them. The rules,
/// in reports/README.md ("TLS grades"), applied in order, the lowest cap wins:
///   F  SSLv2 (any cipher kind), NULL encryption, anonymous key exchange (no authentication)
///   E  EXPORT suites (40/56-bit keys, 512-bit key exchange)
///   D  single DES, RC2 and other ciphers under 112 bits
///   C  RC4 (RFC 7465), 64-bit block ciphers 3DES and IDEA (SWEET32), MD5 MAC; every SSLv3 suite
///   B  CBC mode (no AEAD), or no forward secrecy (static RSA, DH or ECDH key exchange, PSK)
///   A  AEAD (GCM, CCM, ChaCha20-Poly1305) with forward secrecy (ECDHE, DHE); every TLS 1.3 suite
/// A name none of these rules recognise is Unknown ("?"): shown, never taken for a good grade.
namespace pp::reports {

enum class Grade { A, B, C, D, E, F, Unknown };

/// "A".."F", "?" for Unknown.
std::string_view to_string(Grade g);
/// The worse of two grades; Unknown counts as neither better nor worse (the other one wins).
Grade worse(Grade a, Grade b);

struct SuiteGrade {
  Grade grade = Grade::Unknown;
  std::string_view why;  ///< the rule that set the grade, in a few words ("RC4 (RFC 7465)")
};

/// `version` is the per-version fact key (ssl2, ssl3, tls10, tls11, tls12, tls13), `suite` an
/// IANA name (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) or an SSLv2 cipher kind (SSL_CK_...).
SuiteGrade grade_suite(std::string_view version, std::string_view suite);

}  // namespace pp::reports
