#pragma once
#include <set>
#include <string>
#include <vector>

#include "core/fact.h"
#include "probes/net/transport.h"

namespace pp::tls {

struct TlsProbeOptions {
  net::Millis timeout{5000};  ///< every single network wait
  std::string sni;            ///< server name to send (empty: none; never an IP literal)
  bool ssl2 = true;           ///< also try an SSLv2 CLIENT-HELLO (one connection)
  bool enumerate_groups = true;  ///< spend a few connections listing every accepted group
  /// Test whether the server enforces its own suite order (a connection on server-order servers).
  bool test_server_order = true;
  /// Test the ALPN protocol the server did not pick alone (a connection when it refuses it).
  bool test_alpn = true;
  /// Checks of checks/table.cc not to run ("renegotiation", "fallback_scsv"): their facts are
  /// unknown, "not tested (disabled by option)".
  std::set<std::string> skip_checks;
};

/// Raw TLS probe: protocol support (SSLv2..TLS 1.3), cipher enumeration per version, groups,
/// DH/ECDH sizes, server order, compression, OCSP stapling, ALPN — all by our own
/// ClientHello/ServerHello code, never by the local OpenSSL — then every check of
/// checks/table.cc that applies (fallback SCSV, client-initiated renegotiation, ...).
/// `connect` opens a ready connection (TCP, plus a STARTTLS preamble for mail ports); the
/// probe calls it once per connection it needs and adds the count to `connections`.
/// Every fact of the TLS family's list (fact_list.h) is set: known, absent or unknown with the
/// reason; `tls.connections.by_step` says what the enumeration and each check cost.
FactSet probe_tls(const net::Connector& connect, const TlsProbeOptions& opt, int& connections);

}  // namespace pp::tls
