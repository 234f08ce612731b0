#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "probes/cert/ossl.h"
#include "probes/net/transport.h"

namespace pp::cert {

/// What one certificate-fetching handshake gave: the chain as sent, or why there is none.
struct PeerChain {
  std::vector<X509Ptr> certs;  ///< leaf first, in the order the server sent them
  std::string protocol;        ///< "TLSv1.2", ..., "SSLv3", "SSLv2" (for evidence)
  net::NetErrorKind error = net::NetErrorKind::None;
  std::string reason;          ///< set when certs is empty, in words: refused, timeout, alert N...
  std::string detail;          ///< OpenSSL's own error text, when there is one (for evidence)
  /// The server and OpenSSL share no protocol version: an SSL/TLS-framed answer with a version
  /// below TLS 1.0, a protocol_version alert, or an SSLv2 reply. A raw SSLv3/SSLv2 hello may
  /// still show its certificate (legacy_hello.h).
  bool version_refused = false;
  bool sslv2_reply = false;    ///< the server answered in SSLv2 record format
  bool raw_hello = false;      ///< read from a raw SSLv3/SSLv2 hello, not an OpenSSL handshake
};

/// Total bytes read from the server before the handshake must be done. A handshake message
/// announced above this (a hostile 1 MB certificate, a 16 MB length field) fails with
/// "too large" rather than growing memory without bound; real chains are a few KiB.
inline constexpr size_t kMaxHandshakeBytes = 256 * 1024;

/// Which server certificate the client asks for. `Any` is what a default client gets; `Rsa` and
/// `Ecdsa` offer only TLS 1.2 cipher suites and signature algorithms (TLS 1.2 and 1.3) that
/// authenticate with that key type, so a server holding several certificates must show the
/// matching one or refuse.
enum class KeyAuth { Any, Rsa, Ecdsa };

/// One OpenSSL client handshake driven through memory BIOs over `t`, so it works after any
/// STARTTLS preamble and over the scripted transport. Accepts every protocol from TLS 1.0 and
/// @SECLEVEL=0 ciphers and verifies nothing, because the goal is to see the certificate even
/// on a weak server; verification is chain_analysis's job. No SNI when `sni` is empty.
/// Each read waits at most `timeout`; the whole handshake at most 3 x `timeout`. Failures are
/// described in words (protocol version, alert, no cipher in common, too large...), OpenSSL's
/// text kept in `detail`.
PeerChain fetch_peer_chain(net::Transport& t, const std::string& sni, net::Millis timeout,
                           size_t max_bytes = kMaxHandshakeBytes, KeyAuth auth = KeyAuth::Any);

/// Watches the plaintext handshake records a server sends (until its first non-handshake
/// record) and remembers the last handshake message header: which message a length field that
/// is too large belongs to. Keeps no message bodies.
class HandshakeSniffer {
 public:
  void feed(std::string_view bytes);
  /// The message whose body is still arriving, or -1 when none is.
  int open_type() const { return msg_left_ > 0 ? last_type_ : -1; }
  size_t open_length() const { return last_len_; }

 private:
  bool active_ = true;
  std::string rec_hdr_, msg_hdr_;
  size_t rec_left_ = 0, msg_left_ = 0, last_len_ = 0;
  int last_type_ = -1;
};

/// The reason for a handshake message above the limit: "certificate too large (N bytes
/// announced)" for a Certificate (type 11), else "handshake message too large (N bytes
/// announced)", naming the message and the limit.
std::string too_large_reason(int msg_type, size_t announced, size_t max_bytes);

}  // namespace pp::cert
