#pragma once
#include <string>

#include "probes/net/transport.h"

namespace pp::tls {

/// Does the server go along when the client asks to renegotiate (TLS 1.0-1.2)?
struct RenegotiationCheck {
  enum class Verdict { Accepted, Refused, Unknown };
  Verdict verdict = Verdict::Unknown;
  std::string evidence;  ///< what the server did, or why we could not tell
};

/// One connection: a full handshake (TLS 1.0-1.2, whatever the server picks; every suite and
/// security level allowed, so a weak server still completes it), then one renegotiation
/// request, and what the server answers. Accepted: a ServerHello to the new ClientHello.
/// Refused: a no_renegotiation alert, another alert, a close, or silence for `timeout`.
/// Every read waits at most `timeout`, the whole check at most 3 × `timeout`, and at most
/// 256 KiB are read. OpenSSL over memory BIOs driven through the `net::Transport`, so it works
/// after a STARTTLS preamble too (checks/openssl_pump.h: the raw probe cannot finish a
/// handshake, and renegotiation needs a finished one).
/// The check of checks/table.cc ("renegotiation") runs it; exposed for the integration test.
RenegotiationCheck check_client_renegotiation(const net::Connector& connect, const std::string& sni,
                                              net::Millis timeout, int& connections);

}  // namespace pp::tls
