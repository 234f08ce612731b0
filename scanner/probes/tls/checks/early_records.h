#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "probes/net/transport.h"
#include "probes/tls/cipher_suites.h"
#include "probes/tls/server_hello.h"

namespace pp::tls::checks {

/// Records exchanged before any key exchange: a handshake taken as far as the server's
/// ServerHelloDone and held there, so a check can send what a client should not send yet (a
/// heartbeat, an early ChangeCipherSpec) and read what comes back. No key material exists on
/// either side: everything is plaintext. Shared by the Heartbleed and CCS-injection checks.

/// Record content types.
inline constexpr uint8_t kChangeCipherSpec = 20;
inline constexpr uint8_t kAlertRecord = 21;
inline constexpr uint8_t kHandshakeRecord = 22;
inline constexpr uint8_t kHeartbeatRecord = 24;

struct Record {
  uint8_t type = 0;
  uint16_t version = 0;
  std::string body;
};

/// One record's bytes: header (type, version, length) and body (at most 2^14 bytes).
std::string make_record(uint8_t type, uint16_t version, std::string_view body);

/// Reads whole records from a transport. Each wait is at most `timeout`, and no more than
/// `max_bytes` are read in all (TooLarge past that), so a hostile server cannot hold a check.
class RecordReader {
 public:
  RecordReader(net::Transport& t, net::Millis timeout, size_t max_bytes)
      : t_(t), timeout_(timeout), max_bytes_(max_bytes) {}
  /// The next record; the transport's Timeout / Closed / Reset, TooLarge past the limit, or
  /// Malformed when the bytes are not a TLS record.
  net::NetError next(Record& out);
  size_t bytes_read() const { return read_; }

 private:
  net::Transport& t_;
  net::Millis timeout_;
  size_t max_bytes_;
  size_t read_ = 0;
  std::string buf_;
};

/// What the server answered to the ClientHello, read up to its ServerHelloDone.
struct FirstFlight {
  uint16_t version = 0;               ///< the ServerHello's version
  uint16_t suite = 0;
  std::vector<uint16_t> extensions;   ///< extension types of the ServerHello, in order
  std::optional<Alert> alert;         ///< a fatal alert instead of the flight
  bool has_extension(uint16_t type) const;
};

/// Reads records until the server's ServerHelloDone (then `out` holds the hello) or a fatal
/// alert (then `out.alert` is set and no error returned). Anything else is an error.
net::NetError read_first_flight(RecordReader& r, FirstFlight& out);

/// The ClientHello of a pre-key-exchange check at version `v` (SSLv3 .. TLS 1.2): `suites` (the
/// ones the enumeration saw accepted, so the server has one to pick), SNI, our groups, and the
/// `extra` extensions (type, body) appended to the usual ones (SSLv3: none at all).
std::string early_client_hello(Version v, const std::vector<uint16_t>& suites, const std::string& sni,
                               const std::vector<std::pair<uint16_t, std::string>>& extra = {});

/// A connection held after the server's first flight, before any key exchange: connected,
/// ClientHello sent, records read up to ServerHelloDone.
class EarlySession {
 public:
  /// One connection through `connect` (counted by the caller's connector): sends `hello` and
  /// reads the first flight, each wait at most `timeout`, at most `max_bytes` in all.
  static EarlySession open(const net::Connector& connect, const std::string& hello, net::Millis timeout,
                           size_t max_bytes);

  /// A ServerHello and ServerHelloDone came: the session is held and records may be sent.
  bool held() const { return held_; }
  /// Why not held: the connection or read error, or the alert that refused the hello.
  const std::string& why() const { return why_; }
  /// True when the server refused the hello with an alert (a clean answer, not a failure).
  bool refused() const { return flight_.alert.has_value(); }
  const FirstFlight& flight() const { return flight_; }

  /// Sends one record of `type` at the negotiated version.
  net::NetError send(uint8_t type, std::string_view body);
  /// The next record the server sends (see RecordReader::next).
  net::NetError next(Record& out) { return reader_->next(out); }
  void close();

 private:
  std::unique_ptr<net::Transport> transport_;
  std::unique_ptr<RecordReader> reader_;
  FirstFlight flight_;
  net::Millis timeout_{0};
  bool held_ = false;
  std::string why_;
};

/// "TLSv1.2", or "version 0x0305" for one we do not name.
std::string version_text(uint16_t wire);

/// "fatal alert 10 (unexpected_message)".
std::string alert_text(const Alert& a);

}  // namespace pp::tls::checks
