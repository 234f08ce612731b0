#include "probes/tls/checks/early_records.h"

#include <algorithm>
#include <cstdio>

#include "probes/tls/client_hello.h"

namespace pp::tls::checks {

namespace {

using net::NetError;
using net::NetErrorKind;

unsigned u8(std::string_view s, size_t i) { return static_cast<unsigned char>(s[i]); }
unsigned u16(std::string_view s, size_t i) { return (u8(s, i) << 8) | u8(s, i + 1); }
unsigned u24(std::string_view s, size_t i) { return (u8(s, i) << 16) | u16(s, i + 1); }

void put16(std::string& o, size_t v) {
  o.push_back(static_cast<char>((v >> 8) & 0xFF));
  o.push_back(static_cast<char>(v & 0xFF));
}
void set16(std::string& o, size_t at, size_t v) {
  o[at] = static_cast<char>((v >> 8) & 0xFF);
  o[at + 1] = static_cast<char>(v & 0xFF);
}
void set24(std::string& o, size_t at, size_t v) {
  o[at] = static_cast<char>((v >> 16) & 0xFF);
  set16(o, at + 1, v & 0xFFFF);
}

/// Largest record body read: 2^14 plus the 2048 bytes of expansion TLS allows.
constexpr size_t kMaxRecordBody = 16384 + 2048;

/// The ServerHello's version, suite and extension types; false when it does not parse.
bool parse_server_hello(std::string_view m, FirstFlight& out) {
  if (m.size() < 38) return false;
  out.version = static_cast<uint16_t>(u16(m, 0));
  size_t pos = 34;
  pos += 1 + u8(m, pos);  // session id
  if (pos + 3 > m.size()) return false;
  out.suite = static_cast<uint16_t>(u16(m, pos));
  pos += 3;  // suite, compression method
  if (pos == m.size()) return true;  // no extensions
  if (pos + 2 > m.size()) return false;
  const size_t end = pos + 2 + u16(m, pos);
  if (end != m.size()) return false;
  for (pos += 2; pos + 4 <= end; pos += 4 + u16(m, pos + 2)) out.extensions.push_back(static_cast<uint16_t>(u16(m, pos)));
  return pos == end;
}

/// Walks the handshake messages in `hs`, consuming whole ones. Done when ServerHelloDone came.
NetError handshake_messages(std::string& hs, FirstFlight& out, bool& hello, bool& done) {
  while (hs.size() >= 4) {
    const size_t len = u24(hs, 1);
    if (len > (size_t{1} << 17)) return NetError::make(NetErrorKind::TooLarge, "handshake message of " + std::to_string(len) + " bytes");
    if (hs.size() < 4 + len) break;
    const unsigned type = u8(hs, 0);
    const std::string_view body = std::string_view(hs).substr(4, len);
    if (type == 2) {
      if (hello) return NetError::make(NetErrorKind::Malformed, "second ServerHello");
      if (!parse_server_hello(body, out)) return NetError::make(NetErrorKind::Malformed, "malformed ServerHello");
      hello = true;
    } else if (!hello && type != 0) {
      return NetError::make(NetErrorKind::Malformed, "handshake message " + std::to_string(type) + " before ServerHello");
    } else if (type == 14) {
      done = true;
    }
    hs.erase(0, 4 + len);
    if (done) return {};
  }
  return {};
}

}  // namespace

std::string make_record(uint8_t type, uint16_t version, std::string_view body) {
  std::string r;
  r.push_back(static_cast<char>(type));
  put16(r, version);
  put16(r, body.size());
  r.append(body);
  return r;
}

NetError RecordReader::next(Record& out) {
  for (;;) {
    if (buf_.size() >= 5) {
      const unsigned type = u8(buf_, 0);
      const size_t len = u16(buf_, 3);
      if (type < 20 || type > 24 || u8(buf_, 1) != 3) return NetError::make(NetErrorKind::Malformed, "not a TLS record");
      if (len > kMaxRecordBody) return NetError::make(NetErrorKind::TooLarge, "record of " + std::to_string(len) + " bytes");
      if (buf_.size() >= 5 + len) {
        out.type = static_cast<uint8_t>(type);
        out.version = static_cast<uint16_t>(u16(buf_, 1));
        out.body = buf_.substr(5, len);
        buf_.erase(0, 5 + len);
        return {};
      }
    }
    if (read_ >= max_bytes_)
      return NetError::make(NetErrorKind::TooLarge, "more than " + std::to_string(max_bytes_) + " bytes read");
    std::string chunk;
    if (NetError e = t_.read_some(chunk, std::min<size_t>(16384, max_bytes_ - read_), timeout_)) return e;
    read_ += chunk.size();
    buf_ += chunk;
  }
}

bool FirstFlight::has_extension(uint16_t type) const {
  return std::find(extensions.begin(), extensions.end(), type) != extensions.end();
}

NetError read_first_flight(RecordReader& r, FirstFlight& out) {
  std::string hs;
  bool hello = false, done = false;
  while (!done) {
    Record rec;
    if (NetError e = r.next(rec)) return e;
    if (rec.type == kAlertRecord) {
      if (rec.body.size() < 2) return NetError::make(NetErrorKind::Malformed, "alert record shorter than 2 bytes");
      const Alert a{static_cast<uint8_t>(rec.body[0]), static_cast<uint8_t>(rec.body[1])};
      if (a.level == 1 && a.description != 0) continue;  // a warning: the flight goes on
      out.alert = a;
      return {};
    }
    if (rec.type != kHandshakeRecord)
      return NetError::make(NetErrorKind::Malformed, "record of type " + std::to_string(rec.type) + " in the first flight");
    hs += rec.body;
    if (NetError e = handshake_messages(hs, out, hello, done)) return e;
  }
  return {};
}

std::string early_client_hello(Version v, const std::vector<uint16_t>& suites, const std::string& sni,
                               const std::vector<std::pair<uint16_t, std::string>>& extra) {
  HelloSpec spec;
  spec.version = v;
  spec.suites = suites;
  spec.extensions = v >= Version::Tls10;
  if (spec.extensions) {
    spec.sni = sni;
    spec.groups = groups_to_offer();
  }
  spec.status_request = false;
  std::string rec = build_client_hello(spec);
  if (!spec.extensions || extra.empty()) return rec;
  // The extensions block closes the hello: append to it and grow the three lengths around it
  // (record, handshake message, extensions). Offsets: record header 5, message header 4.
  size_t pos = 5 + 4 + 2 + 32;
  pos += 1 + u8(rec, pos);    // session id
  pos += 2 + u16(rec, pos);   // suites
  pos += 1 + u8(rec, pos);    // compression methods
  std::string more;
  for (const auto& [type, body] : extra) {
    put16(more, type);
    put16(more, body.size());
    more += body;
  }
  set16(rec, pos, u16(rec, pos) + more.size());
  rec += more;
  set24(rec, 6, rec.size() - 9);
  set16(rec, 3, rec.size() - 5);
  return rec;
}

EarlySession EarlySession::open(const net::Connector& connect, const std::string& hello, net::Millis timeout,
                                size_t max_bytes) {
  EarlySession s;
  s.timeout_ = timeout;
  NetError err;
  s.transport_ = connect(err);
  if (!s.transport_) {
    s.why_ = err ? err.message : "could not connect";
    return s;
  }
  s.reader_ = std::make_unique<RecordReader>(*s.transport_, timeout, max_bytes);
  if (NetError e = s.transport_->write_all(hello, timeout)) {
    s.why_ = "sending the ClientHello: " + e.message;
    return s;
  }
  if (NetError e = read_first_flight(*s.reader_, s.flight_)) {
    s.why_ = "reading the answer to the ClientHello: " + e.message;
    return s;
  }
  if (s.flight_.alert) {
    s.why_ = "the server refused the ClientHello with a " + alert_text(*s.flight_.alert);
    return s;
  }
  s.held_ = true;
  return s;
}

NetError EarlySession::send(uint8_t type, std::string_view body) {
  if (!transport_) return NetError::make(NetErrorKind::Closed, "no connection");
  return transport_->write_all(make_record(type, flight_.version, body), timeout_);
}

void EarlySession::close() {
  if (transport_) transport_->close();
}

std::string version_text(uint16_t wire) {
  if (is_known_version(wire)) return std::string(version_name(static_cast<Version>(wire)));
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%04X", wire);
  return std::string("version ") + buf;
}

std::string alert_text(const Alert& a) {
  return std::string(a.level == 1 ? "warning" : "fatal") + " alert " + std::to_string(a.description) + " (" +
         alert_name(a.description) + ")";
}

}  // namespace pp::tls::checks
