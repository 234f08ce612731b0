#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "probes/cert/ossl.h"
#include "probes/net/transport.h"

namespace pp::cert {

/// What one certificate-fetching handshake gave: the chain as sent, or why there is none.
struct PeerChain {
  std::vector<X509Ptr> certs;  ///< leaf first, in the order the server sent them
  std::string protocol;        ///< "TLSv1.2", ... (for evidence)
  net::NetErrorKind error = net::NetErrorKind::None;
  std::string reason;          ///< set when certs is empty: refused, timeout, alert N, too large...
};

/// Total bytes read from the server before the handshake must be done. A certificate message
/// above this (a hostile 1 MB certificate) fails with "certificate too large" rather than
/// growing memory without bound; real chains are a few KiB.
inline constexpr size_t kMaxHandshakeBytes = 256 * 1024;

/// One OpenSSL client handshake driven through memory BIOs over `t`, so it works after any
/// STARTTLS preamble and over the scripted transport. Accepts every protocol from TLS 1.0 and
/// @SECLEVEL=0 ciphers and verifies nothing, because the goal is to see the certificate even
/// on a weak server; verification is chain_analysis's job. No SNI when `sni` is empty.
/// Each read waits at most `timeout`; the whole handshake at most 3 x `timeout`.
PeerChain fetch_peer_chain(net::Transport& t, const std::string& sni, net::Millis timeout,
                           size_t max_bytes = kMaxHandshakeBytes);

}  // namespace pp::cert
