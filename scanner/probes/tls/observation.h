#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/fact.h"
#include "probes/tls/cipher_suites.h"
#include "probes/tls/server_hello.h"

namespace pp::tls {

/// What the enumeration learnt of one protocol version.
enum class VState { NotProbed, Supported, NotSupported, Unknown };

struct VersionResult {
  VState state = VState::NotProbed;
  std::vector<uint16_t> suites;          ///< in the order the server chose them
  std::vector<uint32_t> ssl2_kinds;
  bool complete = false;                 ///< enumeration ran to a clean end
  std::string why;                       ///< evidence (supported / not) or reason (unknown)
  std::optional<ServerHello> first_hello;
};

/// Versions with ClientHellos of their own, highest first (SSLv2 has its own CLIENT-HELLO).
inline constexpr Version kTlsVersions[] = {Version::Tls13, Version::Tls12, Version::Tls11, Version::Tls10,
                                           Version::Ssl3};

/// Everything the enumeration connections observed: versions and suites, groups and key
/// exchange sizes, and the extras that rode on them (compression, ALPN, server order). Filled
/// by the enumeration steps (enumeration, groups, extras), then read only: by the reduction to
/// facts (`facts.h`) and by every check of `checks/table.cc`.
struct Observation {
  std::array<VersionResult, 6> versions;  ///< indexed by slot(): SSLv2 .. TLS 1.3

  static size_t slot(Version v);
  const VersionResult& at(Version v) const { return versions[slot(v)]; }
  VersionResult& at(Version v) { return versions[slot(v)]; }
  bool accepted(Version v) const { return at(v).state == VState::Supported; }
  /// The accepted versions with ClientHellos of their own (SSLv3 .. TLS 1.3), highest first.
  std::vector<Version> accepted_versions() const;

  bool ssl2_probed = true;                 ///< the SSLv2 CLIENT-HELLO was sent at all
  std::optional<Version> highest_legacy;   ///< highest supported version <= TLS 1.2

  // Groups and key exchange sizes.
  bool groups_enumerated = true;           ///< every accepted group was asked for
  std::vector<std::string> groups;         ///< accepted group names, in discovery order
  std::set<uint16_t> seen_groups;          ///< code points of `groups`
  bool groups13_done = true;               ///< TLS 1.3 groups exhausted (or not enumerated)
  std::optional<std::string> groups_unknown;
  std::vector<int> dh_bits, ecdh_bits;
  std::string min_dh_evidence;             ///< the suite and version that showed the smallest DH group
  std::optional<std::string> kex_unknown;  ///< why a ServerKeyExchange could not be read
  std::vector<std::string> skipped_kx;     ///< key exchanges left out after a refused hello (evidence)

  // Extras riding on the enumeration connections.
  bool compression_seen = false;
  std::string compression_evidence;
  bool alpn_tested = true;                 ///< the protocol not picked first is asked for alone
  std::optional<std::string> alpn_first;   ///< the first selection ("" when ALPN was ignored)
  std::optional<std::string> alpn_other;   ///< the protocol tested alone
  std::optional<bool> alpn_other_ok;
  std::optional<std::string> alpn_unknown;
  bool order_tried = false;                ///< the TLS 1.2 order test has ridden on a connection
  std::optional<Fact> server_order;        ///< tls.server_order, once settled
};

}  // namespace pp::tls
