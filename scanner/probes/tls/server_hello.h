#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/net/transport.h"
#include "probes/tls/client_hello.h"

namespace pp::tls {

struct Alert {
  uint8_t level = 0;        ///< 1 warning, 2 fatal
  uint8_t description = 0;  ///< 40 handshake_failure, 70 protocol_version, 86 inappropriate_fallback ...
};
/// "handshake_failure", "protocol_version" ... or "alert N" for ones we do not name.
std::string alert_name(uint8_t description);

struct ServerHello {
  Version version = Version::Tls12;  ///< negotiated: supported_versions if present, else legacy
  uint16_t legacy_version = 0;
  uint16_t suite = 0;
  uint8_t compression = 0;
  bool hello_retry = false;          ///< the HelloRetryRequest special random
  bool renegotiation_info = false;
  bool status_request = false;       ///< echoed: the server will staple an OCSP response
  bool ec_point_formats = false;
  std::optional<uint16_t> key_share_group;  ///< TLS 1.3: group of the share, or the one HRR asks for
  std::string alpn;                  ///< selected protocol, empty if none
};

/// From a ServerKeyExchange (TLS <= 1.2).
struct KeyExchange {
  bool finite_field = false;  ///< DHE: dh_bits set; else ECDHE: curve set
  int dh_bits = 0;
  uint16_t curve = 0;
};

struct Ssl2ServerHello {
  std::vector<uint32_t> ciphers;  ///< the cipher kinds the server supports among those offered
  bool certificate = false;
};

/// What the server said in its first flight, as far as we read it.
struct ServerFlight {
  std::optional<ServerHello> hello;
  std::optional<Ssl2ServerHello> ssl2;
  std::optional<Alert> alert;   ///< fatal alert (or close_notify) that ended the flight
  std::vector<Alert> warnings;  ///< warning alerts seen before the hello
  bool certificate = false;
  bool certificate_status = false;  ///< a stapled OCSP response (CertificateStatus)
  bool hello_done = false;
  std::optional<KeyExchange> key_exchange;
};

/// How far to read: the ServerHello only, or on to the ServerKeyExchange when the chosen suite
/// has an ephemeral key exchange (for DH prime sizes and ECDHE curves).
enum class ReadUntil { Hello, KeyExchange };

/// Incremental parser of the server's first flight. Feed it bytes as they arrive; it says when
/// it has enough. Checks the answer against what was offered: a version, suite, compression
/// method, group or ALPN protocol never offered makes the answer malformed.
class FlightParser {
 public:
  enum class Status { NeedMore, Done, Error };
  /// `offer` is the TLS hello sent; `ssl2_offer` non-empty means an SSLv2 CLIENT-HELLO was sent.
  FlightParser(HelloSpec offer, ReadUntil until, std::vector<uint32_t> ssl2_offer = {});

  Status feed(std::string_view bytes);
  /// End of stream (orderly close): Done if the flight is complete enough, else Error.
  Status finish();

  const ServerFlight& flight() const { return flight_; }
  const net::NetError& error() const { return error_; }
  /// True once any byte arrived.
  bool started() const { return started_; }
  /// Bytes fed so far.
  size_t bytes_seen() const { return bytes_seen_; }
  /// HelloRequest messages skipped before the ServerHello (a flood of them is hostile).
  size_t hello_requests() const { return hello_requests_; }
  /// What arrived instead of a ServerHello, in words: "nothing", "10000 HelloRequest messages
  /// (90000 bytes)", "2 warning alerts (14 bytes)".
  std::string received_summary() const;

  /// Largest record body accepted: 2^14 plus the 2048 bytes of expansion TLS allows.
  static constexpr size_t kMaxRecord = 16384 + 2048;
  /// Largest handshake message we buffer (certificate chains run to tens of KB).
  static constexpr size_t kMaxHandshake = 1 << 17;

 private:
  Status fail(net::NetErrorKind k, std::string msg);
  Status parse_records();
  /// Every whole handshake message buffered so far; NeedMore when the flight wants more.
  Status parse_handshake();
  Status parse_ssl2();
  Status handshake_message(uint8_t type, std::string_view body);
  Status server_hello(std::string_view body);
  Status key_exchange(std::string_view body);
  bool complete() const;

  HelloSpec offer_;
  ReadUntil until_;
  std::vector<uint32_t> ssl2_offer_;
  std::string buf_;        ///< unparsed record bytes
  std::string hs_;         ///< handshake bytes awaiting a whole message
  ServerFlight flight_;
  net::NetError error_;
  Status status_ = Status::NeedMore;
  bool started_ = false;
  size_t bytes_seen_ = 0;
  size_t hello_requests_ = 0;
};

}  // namespace pp::tls
