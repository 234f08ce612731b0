#include "probes/cert/legacy_hello.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>

namespace pp::cert {

namespace {

using Clock = std::chrono::steady_clock;
using State = LegacyFlight::State;

/// What SSLv3 servers chose from: static RSA (RC4, 3DES, DES, IDEA, AES), DHE, and the export
/// suites, strongest first.
constexpr uint16_t kSsl3Suites[] = {0x0035, 0x002f, 0x0039, 0x0033, 0x0038, 0x0032, 0x000a, 0x0016, 0x0013,
                                    0x0005, 0x0004, 0x0007, 0x0009, 0x0015, 0x0012, 0x0064, 0x0062, 0x0003,
                                    0x0006, 0x0008, 0x0014, 0x0011, 0x0002, 0x0001};
/// Every SSLv2 cipher kind: RC4, RC4 export, RC2, RC2 export, IDEA, DES, 3DES.
constexpr uint32_t kSsl2Kinds[] = {0x0700c0, 0x050080, 0x030080, 0x010080, 0x060040, 0x040080, 0x020080};

unsigned u8(std::string_view s, size_t i) { return static_cast<unsigned char>(s[i]); }
size_t be16(std::string_view s, size_t i) { return (size_t{u8(s, i)} << 8) | u8(s, i + 1); }
size_t be24(std::string_view s, size_t i) { return (size_t{u8(s, i)} << 16) | (size_t{u8(s, i + 1)} << 8) | u8(s, i + 2); }

void put16(std::string& out, size_t v) {
  out += static_cast<char>((v >> 8) & 0xff);
  out += static_cast<char>(v & 0xff);
}
void put24(std::string& out, size_t v) {
  out += static_cast<char>((v >> 16) & 0xff);
  put16(out, v & 0xffff);
}

LegacyFlight failed(net::NetErrorKind kind, std::string reason) {
  LegacyFlight f;
  f.state = State::Failed;
  f.error = kind;
  f.reason = std::move(reason);
  return f;
}

std::string alert_text(unsigned code) {
  switch (code) {
    case 0: return "close notify";
    case 10: return "unexpected message";
    case 20: return "bad record MAC";
    case 40: return "handshake failure";
    case 42: return "bad certificate";
    case 47: return "illegal parameter";
    case 50: return "decode error";
    case 70: return "protocol version";
    case 71: return "insufficient security";
    case 80: return "internal error";
    default: return "alert " + std::to_string(code);
  }
}

std::string version_name(size_t v) {
  switch (v) {
    case 0x0002: return "SSLv2";
    case 0x0300: return "SSLv3";
    case 0x0301: return "TLSv1.0";
    case 0x0302: return "TLSv1.1";
    case 0x0303: return "TLSv1.2";
    default: return "version 0x" + std::to_string(v);
  }
}

/// An SSLv3/TLS alert record at the start of `r` (complete), as a failure.
LegacyFlight alert_failure(std::string_view r, const char* hello) {
  const unsigned code = u8(r, 6);
  std::string why = "server sent alert " + std::to_string(code) + " (" + alert_text(code) + ") to " + hello;
  if (code == 70) why += ": it does not speak that version either";
  if (code == 40) why += ": no cipher suite in common";
  return failed(net::NetErrorKind::Malformed, why);
}

}  // namespace

std::string ssl3_client_hello(std::string_view random) {
  std::string body;
  put16(body, 0x0300);
  body.append(random.substr(0, 32));
  body.append(32 - std::min<size_t>(32, random.size()), '\0');
  body += '\0';  // no session id
  put16(body, sizeof kSsl3Suites);
  for (uint16_t s : kSsl3Suites) put16(body, s);
  body += '\x01';  // one compression method: null
  body += '\0';
  std::string hs = "\x01";
  put24(hs, body.size());
  hs += body;
  std::string rec = "\x16\x03";
  rec += '\0';
  put16(rec, hs.size());
  return rec + hs;
}

std::string ssl2_client_hello(std::string_view challenge) {
  std::string msg = "\x01";  // CLIENT-HELLO
  put16(msg, 0x0002);
  put16(msg, 3 * std::size(kSsl2Kinds));
  put16(msg, 0);  // no session id
  put16(msg, 16);
  for (uint32_t k : kSsl2Kinds) put24(msg, k);
  msg.append(challenge.substr(0, 16));
  msg.append(16 - std::min<size_t>(16, challenge.size()), '\0');
  std::string rec;
  put16(rec, 0x8000 | msg.size());
  return rec + msg;
}

namespace {

/// SSL records: the handshake stream reassembled into `hs`, stopping at the first record still
/// incomplete, and the record version. A failure (not SSL, too long, an alert) comes back.
std::optional<LegacyFlight> reassemble_records(std::string_view in, std::string& hs, std::string& version) {
  size_t pos = 0;
  while (in.size() - pos >= 5) {
    const unsigned type = u8(in, pos);
    const size_t len = be16(in, pos + 3);
    if (u8(in, pos + 1) != 3 || (type != 21 && type != 22))
      return failed(net::NetErrorKind::Malformed, "the server's answer to the SSLv3 hello is not an SSL record");
    if (len > 16384 + 2048)
      return failed(net::NetErrorKind::Malformed, "the server sent an SSL record of " + std::to_string(len) +
                                                      " bytes, above the 18 KiB limit");
    if (in.size() - pos - 5 < len) break;
    if (type == 21) {
      if (len < 2) return failed(net::NetErrorKind::Malformed, "the server sent a truncated alert");
      return alert_failure(in.substr(pos), "the SSLv3 hello");
    }
    if (version.empty()) version = version_name(be16(in, pos + 1));
    hs.append(in.substr(pos + 5, len));
    pos += 5 + len;
  }
  return std::nullopt;
}

/// The certificates of a Certificate message body (3-byte list length, then 3-byte lengths).
LegacyFlight certificate_list(std::string_view body, LegacyFlight f) {
  const size_t len = body.size();
  if (len < 3 || be24(body, 0) != len - 3)
    return failed(net::NetErrorKind::Malformed, "the server's Certificate message is malformed (list length)");
  for (size_t c = 3; c < len;) {
    if (len - c < 3 || be24(body, c) > len - c - 3)
      return failed(net::NetErrorKind::Malformed, "the server's Certificate message is malformed (certificate length)");
    f.certs.emplace_back(body.substr(c + 3, be24(body, c)));
    c += 3 + be24(body, c);
  }
  if (f.certs.empty()) return failed(net::NetErrorKind::Malformed, "the server sent an empty certificate list");
  f.state = State::Done;
  return f;
}

}  // namespace

LegacyFlight parse_ssl3_flight(std::string_view in, size_t max_bytes) {
  if (!in.empty() && (u8(in, 0) & 0x80))
    return failed(net::NetErrorKind::Malformed, "the server answered the SSLv3 hello in SSLv2 format");
  std::string hs;
  std::string version;
  if (auto failure = reassemble_records(in, hs, version)) return *failure;
  // Handshake messages: 1-byte type, 3-byte length.
  LegacyFlight f;
  f.version = version;
  size_t m = 0;
  while (hs.size() - m >= 4) {
    const unsigned type = u8(hs, m);
    const size_t len = be24(hs, m + 1);
    if (len > max_bytes) return failed(net::NetErrorKind::TooLarge, too_large_reason(static_cast<int>(type), len, max_bytes));
    if (hs.size() - m - 4 < len) break;
    const std::string_view body = std::string_view(hs).substr(m + 4, len);
    if (type == 2 && len >= 2) f.version = version_name(be16(body, 0));
    if (type == 14)
      return failed(net::NetErrorKind::Malformed, "the server finished its hello without a certificate (an anonymous suite)");
    if (type == 11) return certificate_list(body, std::move(f));
    m += 4 + len;
  }
  return f;
}

LegacyFlight parse_ssl2_server_hello(std::string_view in, size_t max_bytes) {
  if (in.size() >= 7 && (in[0] == '\x15' || in[0] == '\x16') && in[1] == '\x03') {
    if (in[0] == '\x15') return alert_failure(in, "the SSLv2 hello");
    return failed(net::NetErrorKind::Malformed, "the server answered the SSLv2 hello with an SSLv3/TLS handshake");
  }
  if (in.size() < 3) return {};
  // A 2-byte header (top bit set) or a 3-byte one with padding.
  const bool two = (u8(in, 0) & 0x80) != 0;
  const size_t hdr = two ? 2 : 3;
  const size_t len = two ? be16(in, 0) & 0x7fff : be16(in, 0) & 0x3fff;
  if (len > max_bytes)
    return failed(net::NetErrorKind::TooLarge, "handshake message too large (" + std::to_string(len) +
                                                   " bytes announced): the server's SSLv2 record exceeds the " +
                                                   std::to_string(max_bytes / 1024) + " KiB limit");
  if (in.size() < hdr + len) return {};
  const std::string_view msg = in.substr(hdr, len);
  if (msg.empty()) return failed(net::NetErrorKind::Malformed, "the server sent an empty SSLv2 record");
  if (msg[0] == '\0') {
    const size_t code = msg.size() >= 3 ? be16(msg, 1) : 0;
    const char* what = code == 1 ? "no cipher in common" : code == 2 ? "no certificate" : "error";
    return failed(net::NetErrorKind::Malformed, "the server sent SSLv2 ERROR " + std::to_string(code) + " (" + what +
                                                    ") to the SSLv2 hello");
  }
  if (msg[0] != '\x04' || msg.size() < 11)
    return failed(net::NetErrorKind::Malformed, "the server's answer to the SSLv2 hello is not a SERVER-HELLO");
  const size_t cert_len = be16(msg, 5), specs_len = be16(msg, 7), id_len = be16(msg, 9);
  if (11 + cert_len + specs_len + id_len > msg.size())
    return failed(net::NetErrorKind::Malformed, "the server's SSLv2 SERVER-HELLO is malformed (lengths)");
  if (u8(msg, 2) != 1)
    return failed(net::NetErrorKind::Malformed, "the server's SSLv2 SERVER-HELLO carries no X.509 certificate");
  if (cert_len == 0)
    return failed(net::NetErrorKind::Malformed, "the server's SSLv2 SERVER-HELLO carries an empty certificate");
  LegacyFlight f;
  f.state = State::Done;
  f.version = version_name(be16(msg, 3));
  f.certs.emplace_back(msg.substr(11, cert_len));
  return f;
}

PeerChain fetch_legacy_chain(net::Transport& t, LegacyProtocol protocol, net::Millis timeout, size_t max_bytes) {
  const bool v3 = protocol == LegacyProtocol::Ssl3;
  const std::string name = v3 ? "SSLv3" : "SSLv2";
  PeerChain out;
  out.raw_hello = true;
  out.protocol = name;
  auto fail = [&](net::NetErrorKind kind, std::string reason) {
    out.certs.clear();
    out.error = kind;
    out.reason = std::move(reason);
    return std::move(out);
  };
  unsigned char random[32];
  if (RAND_bytes(random, sizeof random) != 1) {
    ERR_clear_error();
    return fail(net::NetErrorKind::Other, "no random bytes for the " + name + " hello");
  }
  const std::string_view rnd(reinterpret_cast<const char*>(random), sizeof random);
  const std::string hello = v3 ? ssl3_client_hello(rnd) : ssl2_client_hello(rnd.substr(0, 16));
  if (auto err = t.write_all(hello, timeout)) return fail(err.kind, "sending the " + name + " hello failed: " + err.message);

  const auto deadline = Clock::now() + 3 * timeout;
  std::string received, chunk;
  for (;;) {
    LegacyFlight f = v3 ? parse_ssl3_flight(received, max_bytes) : parse_ssl2_server_hello(received, max_bytes);
    if (f.state == State::Failed) return fail(f.error, f.reason);
    if (f.state == State::Done) {
      for (size_t i = 0; i < f.certs.size(); ++i) {
        const auto* p = reinterpret_cast<const unsigned char*>(f.certs[i].data());
        X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(f.certs[i].size())));
        if (!x) {
          ERR_clear_error();
          return fail(net::NetErrorKind::Malformed, "certificate " + std::to_string(i) + " of the server's " + name +
                                                        " handshake does not parse as X.509");
        }
        out.certs.push_back(std::move(x));
      }
      if (!f.version.empty()) out.protocol = f.version;
      return out;
    }
    const auto left = std::chrono::duration_cast<net::Millis>(deadline - Clock::now());
    if (left.count() <= 0)
      return fail(net::NetErrorKind::Timeout, "the " + name + " hello got no certificate within " +
                                                  std::to_string((3 * timeout).count()) + " ms");
    chunk.clear();
    if (auto err = t.read_some(chunk, 16384, std::min(left, timeout))) {
      if (err.kind == net::NetErrorKind::Closed)
        return fail(err.kind, "the server closed the connection after the " + name + " hello");
      if (err.kind == net::NetErrorKind::Timeout)
        return fail(err.kind, "timeout waiting for an answer to the " + name + " hello: " + err.message);
      return fail(err.kind, "reading the answer to the " + name + " hello failed: " + err.message);
    }
    received += chunk;
    if (received.size() > max_bytes)
      return fail(net::NetErrorKind::TooLarge, "handshake too large: the server sent more than " +
                                                   std::to_string(max_bytes / 1024) + " KiB without its certificate");
  }
}

}  // namespace pp::cert
