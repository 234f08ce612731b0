#pragma once
/// The certificate of a server that speaks only SSLv3 or SSLv2, which OpenSSL 3 can no longer
/// talk to: we send the hello ourselves and read the server's first flight, up to and including
/// its certificate. Nothing is negotiated, no key is used, the handshake is never finished —
/// like nmap's ssl-cert, the certificate is all we want.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "probes/cert/tls_handshake.h"
#include "probes/net/transport.h"

namespace pp::cert {

enum class LegacyProtocol { Ssl3, Ssl2 };

/// An SSLv3 ClientHello record (version 3.0, no extensions, null compression) offering the
/// RSA, DHE and export suites SSLv3 servers chose. `random` gives the 32 random bytes.
std::string ssl3_client_hello(std::string_view random);
/// An SSLv2 CLIENT-HELLO record offering the seven SSLv2 cipher kinds. `challenge`: 16 bytes.
std::string ssl2_client_hello(std::string_view challenge);

/// What the server's first flight gave so far: more bytes needed, the certificates (DER, leaf
/// first), or why there are none.
struct LegacyFlight {
  enum class State { NeedMore, Done, Failed };
  State state = State::NeedMore;
  std::vector<std::string> certs;  ///< DER, as sent
  std::string version;             ///< what the server announced, e.g. "SSLv3"
  net::NetErrorKind error = net::NetErrorKind::None;
  std::string reason;              ///< when Failed, in words
};

/// Parses everything received so far after an SSLv3 ClientHello: handshake records (3-byte
/// message lengths, messages spread over records) up to the Certificate message (type 11).
/// Alerts, SSLv2 replies, and a message announced above `max_bytes` are failures.
LegacyFlight parse_ssl3_flight(std::string_view received, size_t max_bytes = kMaxHandshakeBytes);
/// Parses everything received so far after an SSLv2 CLIENT-HELLO: a SERVER-HELLO carries one
/// certificate; an SSLv2 ERROR or an SSLv3/TLS alert is a failure.
LegacyFlight parse_ssl2_server_hello(std::string_view received, size_t max_bytes = kMaxHandshakeBytes);

/// Sends the hello of `protocol` over `t` and reads until the certificate has come (at most
/// `max_bytes`, each read within `timeout`, all of it within 3 x `timeout`). The result's
/// `raw_hello` is set and `protocol` is "SSLv3" or "SSLv2"; certificates that do not parse as
/// X.509 make it a failure.
PeerChain fetch_legacy_chain(net::Transport& t, LegacyProtocol protocol, net::Millis timeout,
                             size_t max_bytes = kMaxHandshakeBytes);

}  // namespace pp::cert
