#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "probes/net/transport.h"
#include "probes/tls/client_hello.h"
#include "probes/tls/server_hello.h"

namespace pp::tls {

/// What one raw hello exchange taught us. Refused = a clean "no" to a well-formed hello (an
/// alert meaning no version / no suite / fallback, or a close without a byte); Failed = we could
/// not observe (refused TCP, timeout, reset, malformed answer, any other alert).
enum class Outcome { Hello, Refused, Failed };

struct Attempt {
  Outcome outcome = Outcome::Failed;
  ServerFlight flight;
  std::string why;  ///< evidence for Refused, reason for Failed
  /// Set when a ServerHello came but the ServerKeyExchange asked for did not (why).
  std::optional<std::string> kex_missing;
};

/// Most bytes read while waiting for one ServerHello: far beyond any real first flight.
inline constexpr size_t kMaxFlightBytes = size_t{1} << 18;

/// One connection: sends `spec` (or an SSLv2 CLIENT-HELLO offering `ssl2` when not empty) and
/// reads the first flight, at most `timeout` after the hello and `kMaxFlightBytes`. Adds one to
/// `connections` when the connection opened. Reasons name the whole wait ("no answer within 2 s
/// of the ClientHello") and count what came instead of a ServerHello.
Attempt exchange_hello(const net::Connector& connect, const HelloSpec& spec, ReadUntil until, net::Millis timeout,
                       int& connections, const std::vector<uint32_t>& ssl2 = {});

/// The hello the probe offers at version `v`: every suite of the version in a client's order,
/// every group, SNI, status_request, DEFLATE (below TLS 1.3) and ALPN h2,http/1.1 (TLS 1.0+).
HelloSpec base_spec(Version v, const std::string& sni);

/// IANA name of a suite, or its code point ("0x00FF") when not in the catalogue.
std::string suite_name(uint16_t code);

/// "2 s", "1.5 s": a wait in words.
std::string duration_text(net::Millis d);

}  // namespace pp::tls
