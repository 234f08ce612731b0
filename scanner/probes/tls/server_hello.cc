#include "probes/tls/server_hello.h"

#include <algorithm>
#include <cstdio>

#include "core/text.h"

namespace pp::tls {

namespace {

/// The SHA-256 of "HelloRetryRequest": the random of a HelloRetryRequest (RFC 8446 4.1.3).
constexpr unsigned char kHrrRandom[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                          0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                          0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

/// Bounds-checked big-endian reader over one message; `ok` turns false on any overrun.
struct Reader {
  std::string_view d;
  bool ok = true;
  bool need(size_t n) {
    if (d.size() < n) ok = false;
    return ok;
  }
  unsigned u8() {
    if (!need(1)) return 0;
    unsigned v = static_cast<unsigned char>(d[0]);
    d.remove_prefix(1);
    return v;
  }
  unsigned u16() {
    unsigned hi = u8();
    return (hi << 8) | u8();
  }
  unsigned u24() {
    unsigned hi = u8();
    return (hi << 16) | u16();
  }
  std::string_view bytes(size_t n) {
    if (!need(n)) return {};
    auto v = d.substr(0, n);
    d.remove_prefix(n);
    return v;
  }
};

bool offered(const std::vector<uint16_t>& v, uint16_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

}  // namespace

std::string alert_name(uint8_t d) {
  switch (d) {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 22: return "record_overflow";
    case 40: return "handshake_failure";
    case 42: return "bad_certificate";
    case 47: return "illegal_parameter";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 90: return "user_canceled";
    case 100: return "no_renegotiation";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 112: return "unrecognized_name";
    case 120: return "no_application_protocol";
  }
  return "alert " + std::to_string(d);
}

FlightParser::FlightParser(HelloSpec offer, ReadUntil until, std::vector<uint32_t> ssl2_offer)
    : offer_(std::move(offer)), until_(until), ssl2_offer_(std::move(ssl2_offer)) {}

FlightParser::Status FlightParser::fail(net::NetErrorKind k, std::string msg) {
  error_ = net::NetError::make(k, std::move(msg));
  status_ = Status::Error;
  return status_;
}

bool FlightParser::complete() const {
  if (flight_.ssl2) return true;
  if (!flight_.hello) return false;
  const auto& h = *flight_.hello;
  if (h.hello_retry || h.version == Version::Tls13 || until_ == ReadUntil::Hello) return true;
  const CipherSuite* s = find_suite(h.suite);
  if (!s || !(s->kx == Kx::DHE || s->kx == Kx::ECDHE || s->kx == Kx::Anon)) return true;
  return flight_.key_exchange.has_value() || flight_.hello_done;
}

FlightParser::Status FlightParser::feed(std::string_view bytes) {
  if (status_ != Status::NeedMore) return status_;
  if (!bytes.empty()) started_ = true;
  bytes_seen_ += bytes.size();
  buf_.append(bytes);
  if (!ssl2_offer_.empty() && !buf_.empty() && (static_cast<unsigned char>(buf_[0]) & 0x80)) return parse_ssl2();
  return parse_records();
}

FlightParser::Status FlightParser::finish() {
  if (status_ != Status::NeedMore) return status_;
  if (complete() || flight_.hello) {
    status_ = Status::Done;  // the hello is whole; what follows it was optional
    return status_;
  }
  if (!buf_.empty() || !hs_.empty())
    return fail(net::NetErrorKind::Malformed,
                "truncated: connection closed in the middle of a record (received " + received_summary() + ")");
  return fail(net::NetErrorKind::Closed,
              started_ ? "connection closed after " + received_summary() + " and no ServerHello" : "connection closed");
}

std::string FlightParser::received_summary() const {
  if (bytes_seen_ == 0) return "nothing";
  std::string parts;
  const auto add = [&](size_t n, const char* one, const char* many) {
    if (n == 0) return;
    parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " + (n == 1 ? one : many);
  };
  add(hello_requests_, "HelloRequest message", "HelloRequest messages");
  add(flight_.warnings.size(), "warning alert", "warning alerts");
  const std::string bytes = std::to_string(bytes_seen_) + (bytes_seen_ == 1 ? " byte" : " bytes");
  return parts.empty() ? bytes : parts + " (" + bytes + ")";
}

FlightParser::Status FlightParser::parse_ssl2() {
  if (buf_.size() < 2) return Status::NeedMore;
  const size_t len = ((static_cast<unsigned char>(buf_[0]) & 0x7F) << 8) | static_cast<unsigned char>(buf_[1]);
  if (buf_.size() < 2 + len) return Status::NeedMore;
  Reader r{std::string_view(buf_).substr(2, len)};
  const unsigned type = r.u8();
  if (type == 0) {  // ERROR: the SSLv2 way of saying no
    flight_.alert = Alert{2, 40};
    status_ = Status::Done;
    return status_;
  }
  if (type != 4) return fail(net::NetErrorKind::Malformed, "SSLv2 answer of type " + std::to_string(type) + ", not SERVER-HELLO");
  r.u8();  // session id hit
  const unsigned cert_type = r.u8();
  const unsigned version = r.u16();
  const unsigned cert_len = r.u16(), specs_len = r.u16(), conn_len = r.u16();
  auto cert = r.bytes(cert_len);
  auto specs = r.bytes(specs_len);
  r.bytes(conn_len);
  if (!r.ok) return fail(net::NetErrorKind::Malformed, "truncated SSLv2 SERVER-HELLO");
  if (version != 0x0002) return fail(net::NetErrorKind::Malformed, "SSLv2 SERVER-HELLO with version " + text::hex16(version));
  if (specs_len % 3 != 0 || specs_len == 0) return fail(net::NetErrorKind::Malformed, "SSLv2 SERVER-HELLO with a bad cipher list");
  Ssl2ServerHello h;
  h.certificate = cert_type == 1 && !cert.empty();
  for (size_t i = 0; i < specs.size(); i += 3) {
    uint32_t k = (static_cast<unsigned char>(specs[i]) << 16) | (static_cast<unsigned char>(specs[i + 1]) << 8) |
                 static_cast<unsigned char>(specs[i + 2]);
    if (std::find(ssl2_offer_.begin(), ssl2_offer_.end(), k) == ssl2_offer_.end())
      return fail(net::NetErrorKind::Malformed, "SSLv2 SERVER-HELLO names a cipher kind never offered");
    h.ciphers.push_back(k);
  }
  flight_.ssl2 = std::move(h);
  status_ = Status::Done;
  return status_;
}

FlightParser::Status FlightParser::parse_records() {
  while (buf_.size() >= 5) {
    const auto* b = reinterpret_cast<const unsigned char*>(buf_.data());
    const unsigned type = b[0], major = b[1];
    const size_t len = (static_cast<size_t>(b[3]) << 8) | b[4];
    if (type < 20 || type > 23 || major != 3) {
      char first[16];
      std::snprintf(first, sizeof first, "%02X %02X %02X", b[0], b[1], b[2]);
      return fail(net::NetErrorKind::Malformed, std::string("not a TLS record (starts ") + first + ")");
    }
    if (len > kMaxRecord) return fail(net::NetErrorKind::TooLarge, "record of " + std::to_string(len) + " bytes exceeds 2^14+2048");
    if (buf_.size() < 5 + len) return Status::NeedMore;
    std::string body = buf_.substr(5, len);
    buf_.erase(0, 5 + len);
    if (type == 21) {
      if (body.size() < 2) return fail(net::NetErrorKind::Malformed, "alert record shorter than 2 bytes");
      Alert a{static_cast<uint8_t>(body[0]), static_cast<uint8_t>(body[1])};
      if (a.level == 1 && a.description != 0) {
        flight_.warnings.push_back(a);
        continue;
      }
      flight_.alert = a;
      status_ = Status::Done;
      return status_;
    }
    if (type == 20) continue;  // TLS 1.3 middlebox-compatibility ChangeCipherSpec
    if (type == 23) {
      if (flight_.hello && flight_.hello->version == Version::Tls13) {
        status_ = Status::Done;
        return status_;
      }
      return fail(net::NetErrorKind::Malformed, "application data before the handshake");
    }
    hs_ += body;
    if (const Status s = parse_handshake(); s != Status::NeedMore) return s;
  }
  return Status::NeedMore;
}

FlightParser::Status FlightParser::parse_handshake() {
  while (hs_.size() >= 4) {
    Reader r{hs_};
    const unsigned mtype = r.u8();
    const size_t mlen = r.u24();
    if (mlen > kMaxHandshake) return fail(net::NetErrorKind::TooLarge, "handshake message of " + std::to_string(mlen) + " bytes");
    if (hs_.size() < 4 + mlen) break;
    std::string msg = hs_.substr(4, mlen);
    hs_.erase(0, 4 + mlen);
    if (handshake_message(static_cast<uint8_t>(mtype), msg) == Status::Error) return status_;
    if (complete()) {
      status_ = Status::Done;
      return status_;
    }
  }
  if (hs_.size() > kMaxHandshake + 4) return fail(net::NetErrorKind::TooLarge, "handshake data too large");
  return Status::NeedMore;
}

FlightParser::Status FlightParser::handshake_message(uint8_t type, std::string_view body) {
  if (!flight_.hello) {
    if (type == 0) {  // HelloRequest: ignorable, but counted (a flood of them is no answer)
      ++hello_requests_;
      return Status::NeedMore;
    }
    if (type != 2) return fail(net::NetErrorKind::Malformed, "handshake message " + std::to_string(type) + " before ServerHello");
    return server_hello(body);
  }
  switch (type) {
    case 2: return fail(net::NetErrorKind::Malformed, "second ServerHello");
    case 11: flight_.certificate = true; break;
    case 22: flight_.certificate_status = true; break;
    case 12: return key_exchange(body);
    case 14: flight_.hello_done = true; break;
    default: break;
  }
  return Status::NeedMore;
}

FlightParser::Status FlightParser::server_hello(std::string_view body) {
  using net::NetErrorKind;
  Reader r{body};
  ServerHello h;
  h.legacy_version = static_cast<uint16_t>(r.u16());
  auto random = r.bytes(32);
  r.bytes(r.u8());  // session id
  h.suite = static_cast<uint16_t>(r.u16());
  h.compression = static_cast<uint8_t>(r.u8());
  if (!r.ok) return fail(NetErrorKind::Malformed, "truncated ServerHello");
  h.hello_retry = random.size() == 32 && std::equal(random.begin(), random.end(), reinterpret_cast<const char*>(kHrrRandom));
  std::optional<uint16_t> selected;
  if (!r.d.empty()) {
    const size_t ext_len = r.u16();
    Reader e{r.bytes(ext_len)};
    if (!r.ok) return fail(NetErrorKind::Malformed, "ServerHello extensions overrun the message");
    if (!r.d.empty()) return fail(NetErrorKind::Malformed, "trailing bytes after ServerHello extensions");
    while (!e.d.empty()) {
      const unsigned type = e.u16();
      Reader x{e.bytes(e.u16())};
      if (!e.ok) return fail(NetErrorKind::Malformed, "truncated ServerHello extension");
      switch (type) {
        case 0xFF01: h.renegotiation_info = true; break;
        case 0x0005: h.status_request = true; break;
        case 0x000B: h.ec_point_formats = true; break;
        case 0x002B: selected = static_cast<uint16_t>(x.u16()); break;
        case 0x0033: h.key_share_group = static_cast<uint16_t>(x.u16()); break;
        case 0x0010: {
          x.u16();
          auto p = x.bytes(x.u8());
          h.alpn.assign(p.begin(), p.end());
          break;
        }
        default: break;
      }
      if (!x.ok) return fail(NetErrorKind::Malformed, "malformed ServerHello extension " + text::hex16(type));
    }
  }
  const bool offered13 = offer_.version == Version::Tls13;
  const uint16_t negotiated = selected ? *selected : h.legacy_version;
  if (selected && !offered13) return fail(NetErrorKind::Malformed, "supported_versions in answer to a hello that did not send it");
  if (!is_known_version(negotiated) || negotiated == 0x0002)
    return fail(NetErrorKind::Malformed, "ServerHello with unknown version " + text::hex16(negotiated));
  const uint16_t ceiling = offered13 ? 0x0304 : static_cast<uint16_t>(offer_.version);
  if (negotiated > ceiling) return fail(NetErrorKind::Malformed, "server chose version " + text::hex16(negotiated) + " above the one offered");
  h.version = static_cast<Version>(negotiated);
  if (h.hello_retry && h.version != Version::Tls13) return fail(NetErrorKind::Malformed, "HelloRetryRequest outside TLS 1.3");
  if (!offered(offer_.suites, h.suite)) return fail(NetErrorKind::Malformed, "server chose suite " + text::hex16(h.suite) + " that was never offered");
  if (h.compression != 0 && !(h.compression == 1 && offer_.offer_deflate))
    return fail(NetErrorKind::Malformed, "server chose compression method " + std::to_string(h.compression) + " never offered");
  if (h.version == Version::Tls13) {
    if (!h.key_share_group) return fail(NetErrorKind::Malformed, "TLS 1.3 ServerHello without key_share");
    if (!offered(offer_.groups, *h.key_share_group)) return fail(NetErrorKind::Malformed, "server chose group " + text::hex16(*h.key_share_group) + " never offered");
    if (!h.hello_retry && !(offer_.x25519_share && *h.key_share_group == 0x001D))
      return fail(NetErrorKind::Malformed, "ServerHello key share for a group we sent no share for");
  }
  if (!h.alpn.empty() && std::find(offer_.alpn.begin(), offer_.alpn.end(), h.alpn) == offer_.alpn.end())
    return fail(NetErrorKind::Malformed, "server selected ALPN protocol never offered");
  flight_.hello = std::move(h);
  return Status::NeedMore;
}

FlightParser::Status FlightParser::key_exchange(std::string_view body) {
  const CipherSuite* s = find_suite(flight_.hello->suite);
  if (!s) return Status::NeedMore;
  Reader r{body};
  if (s->iana.find("PSK") != std::string_view::npos) r.bytes(r.u16());  // psk identity hint
  const bool ec = s->kx == Kx::ECDHE || (s->kx == Kx::Anon && s->iana.find("ECDH") != std::string_view::npos);
  const bool ff = s->kx == Kx::DHE || (s->kx == Kx::Anon && !ec);
  KeyExchange k;
  if (ec) {
    const unsigned curve_type = r.u8();
    if (curve_type == 3) k.curve = static_cast<uint16_t>(r.u16());
    // The probe learns curves from this field, so a curve we never offered is contradictory
    // (SSLv3 hellos carry no supported_groups: any curve goes there).
    if (r.ok && curve_type == 3 && offer_.extensions && !offer_.groups.empty() && !offered(offer_.groups, k.curve))
      return fail(net::NetErrorKind::Malformed, "ServerKeyExchange with curve " + text::hex16(k.curve) + " never offered");
  } else if (ff) {
    k.finite_field = true;
    auto p = r.bytes(r.u16());
    size_t i = 0;
    while (i < p.size() && p[i] == 0) ++i;
    if (i < p.size()) {
      unsigned top = static_cast<unsigned char>(p[i]);
      int bits = 0;
      while (top) {
        ++bits;
        top >>= 1;
      }
      k.dh_bits = static_cast<int>((p.size() - i - 1) * 8) + bits;
    }
  } else {
    return Status::NeedMore;  // RSA_EXPORT temporary key: nothing we report
  }
  if (!r.ok) return fail(net::NetErrorKind::Malformed, "truncated ServerKeyExchange");
  flight_.key_exchange = k;
  return Status::NeedMore;
}

}  // namespace pp::tls
