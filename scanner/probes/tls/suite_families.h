#pragma once
#include <cstdint>
#include <span>
#include <vector>
#include "core/fact.h"
#include "probes/tls/cipher_suites.h"

namespace pp::tls {

/// The suites one protocol version accepted (SSLv3 to TLS 1.3; SSLv2 kinds are not suites).
struct AcceptedSuites {
  Version version;
  std::vector<uint16_t> suites;
};

/// Facts naming the families of accepted suites that known attacks need, so rules can judge
/// POODLE, BEAST, LUCKY13 (CBC), SWEET32 (64-bit blocks), FREAK (RSA EXPORT) and Logjam (DHE
/// EXPORT) from the enumeration alone, without another connection:
///   tls.ciphers.cbc         suites in CBC mode (a block cipher with HMAC, TLS <= 1.2)
///   tls.cbc_protocols       protocol versions that accepted at least one of those
///   tls.ciphers.block64     suites with a 64-bit block cipher: 3DES, DES, IDEA, RC2
///   tls.ciphers.export_rsa  RSA EXPORT suites (512-bit temporary RSA keys)
///   tls.ciphers.export_dh   ephemeral (DHE or anonymous) DH EXPORT suites (512-bit groups)
/// A pure reduction: every fact known, lists in first-seen order without duplicates.
std::vector<Fact> suite_family_facts(std::span<const AcceptedSuites> accepted);

/// The predicates behind those facts, one per family.
bool is_cbc(const CipherSuite& s);
bool is_block64(const CipherSuite& s);
bool is_export_rsa(const CipherSuite& s);
bool is_export_dh(const CipherSuite& s);

}  // namespace pp::tls
