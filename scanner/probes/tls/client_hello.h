#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "probes/tls/cipher_suites.h"

namespace pp::tls {

/// What one ClientHello offers. The same struct is what the ServerHello parser checks the
/// answer against (a suite, version, group or protocol never offered is a malformed answer).
struct HelloSpec {
  Version version = Version::Tls12;  ///< SSLv3..TLS 1.3; TLS 1.3 goes in supported_versions only
  std::vector<uint16_t> suites;
  std::string sni;                    ///< empty: no server_name extension
  std::vector<uint16_t> groups;       ///< supported_groups (TLS 1.0+)
  /// TLS 1.3: send an x25519 key share (32 random bytes are a valid x25519 public value). When
  /// false the key_share list is empty, which makes a TLS 1.3 server answer with a
  /// HelloRetryRequest naming the group it wants: how groups are enumerated cheaply.
  bool x25519_share = true;
  bool offer_deflate = false;         ///< compression methods {DEFLATE, null} instead of {null}
  bool fallback_scsv = false;         ///< TLS_FALLBACK_SCSV (RFC 7507)
  bool status_request = true;         ///< OCSP stapling request (RFC 6066)
  std::vector<std::string> alpn;      ///< empty: no ALPN extension
  /// SSLv3 hellos carry no extensions (SSLv3-era servers choke on them); the renegotiation
  /// SCSV stands in for renegotiation_info there.
  bool extensions = true;
};

/// One complete handshake record holding the ClientHello.
std::string build_client_hello(const HelloSpec& spec);

/// An SSLv2 CLIENT-HELLO (version 0x0002) offering `kinds` (3-byte codes).
std::string build_ssl2_client_hello(const std::vector<uint32_t>& kinds);

}  // namespace pp::tls
