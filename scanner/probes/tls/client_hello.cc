#include "probes/tls/client_hello.h"

#include <random>

namespace pp::tls {

namespace {

void put8(std::string& o, unsigned v) { o.push_back(static_cast<char>(v & 0xFF)); }
void put16(std::string& o, unsigned v) {
  put8(o, v >> 8);
  put8(o, v);
}
void put24(std::string& o, unsigned v) {
  put8(o, v >> 16);
  put16(o, v);
}

/// Random bytes for client random, session id and key share. Not secret: the handshake is
/// abandoned after the ServerHello.
std::string random_bytes(size_t n) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string out;
  out.reserve(n);
  while (out.size() < n) {
    uint64_t r = rng();
    for (int i = 0; i < 8 && out.size() < n; ++i) out.push_back(static_cast<char>((r >> (8 * i)) & 0xFF));
  }
  return out;
}

void extension(std::string& exts, uint16_t type, const std::string& body) {
  put16(exts, type);
  put16(exts, static_cast<unsigned>(body.size()));
  exts += body;
}

std::string u16_list(const std::vector<uint16_t>& v) {
  std::string b;
  put16(b, static_cast<unsigned>(v.size() * 2));
  for (auto x : v) put16(b, x);
  return b;
}

}  // namespace

std::string build_client_hello(const HelloSpec& spec) {
  const bool tls13 = spec.version == Version::Tls13;
  const unsigned legacy = tls13 ? 0x0303 : static_cast<unsigned>(spec.version);

  std::string body;
  put16(body, legacy);
  body += random_bytes(32);
  // TLS 1.3 servers echo a 32-byte legacy session id (middlebox compatibility); older ones
  // ignore it. Empty for SSLv3-era hellos, which some of those servers prefer.
  const std::string sid = tls13 ? random_bytes(32) : std::string();
  put8(body, static_cast<unsigned>(sid.size()));
  body += sid;

  std::vector<uint16_t> suites = spec.suites;
  if (!spec.extensions && !tls13) suites.push_back(kRenegotiationScsv);
  if (spec.fallback_scsv) suites.push_back(kFallbackScsv);
  put16(body, static_cast<unsigned>(suites.size() * 2));
  for (auto s : suites) put16(body, s);

  if (spec.offer_deflate && !tls13) {
    put8(body, 2);
    put8(body, 1);
    put8(body, 0);
  } else {
    put8(body, 1);
    put8(body, 0);
  }

  if (spec.extensions || tls13) {
    std::string exts;
    if (!spec.sni.empty()) {
      std::string b, name;
      put8(name, 0);
      put16(name, static_cast<unsigned>(spec.sni.size()));
      name += spec.sni;
      put16(b, static_cast<unsigned>(name.size()));
      b += name;
      extension(exts, 0x0000, b);
    }
    if (spec.status_request) extension(exts, 0x0005, std::string("\x01\x00\x00\x00\x00", 5));
    if (!spec.groups.empty()) extension(exts, 0x000A, u16_list(spec.groups));
    if (!tls13) extension(exts, 0x000B, std::string("\x01\x00", 2));  // ec_point_formats: uncompressed
    if (spec.version >= Version::Tls12) {
      // ECDSA, RSA-PSS, RSA PKCS#1, EdDSA, then SHA-1 and DSA for old servers.
      extension(exts, 0x000D, u16_list({0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601,
                                        0x0807, 0x0808, 0x0809, 0x080A, 0x080B, 0x0303, 0x0301, 0x0203, 0x0201,
                                        0x0402, 0x0202}));
    }
    if (!spec.alpn.empty()) {
      std::string list;
      for (const auto& p : spec.alpn) {
        put8(list, static_cast<unsigned>(p.size()));
        list += p;
      }
      std::string b;
      put16(b, static_cast<unsigned>(list.size()));
      b += list;
      extension(exts, 0x0010, b);
    }
    if (tls13) {
      std::string ks;
      if (spec.x25519_share) {
        put16(ks, 0x001D);
        put16(ks, 32);
        ks += random_bytes(32);
      }
      std::string b;
      put16(b, static_cast<unsigned>(ks.size()));
      b += ks;
      extension(exts, 0x0033, b);
      extension(exts, 0x002B, std::string("\x02\x03\x04", 3));  // supported_versions: TLS 1.3 only
      extension(exts, 0x002D, std::string("\x01\x01", 2));      // psk_key_exchange_modes: psk_dhe_ke
    } else {
      extension(exts, 0xFF01, std::string("\x00", 1));  // renegotiation_info, initial handshake
    }
    put16(body, static_cast<unsigned>(exts.size()));
    body += exts;
  }

  std::string hs;
  put8(hs, 1);  // client_hello
  put24(hs, static_cast<unsigned>(body.size()));
  hs += body;

  std::string rec;
  put8(rec, 22);
  // Record version: 0x0300 for SSLv3 hellos, 0x0301 otherwise (what every client sends:
  // some servers reject a first record above TLS 1.0).
  put16(rec, spec.version == Version::Ssl3 ? 0x0300 : 0x0301);
  put16(rec, static_cast<unsigned>(hs.size()));
  rec += hs;
  return rec;
}

std::string build_ssl2_client_hello(const std::vector<uint32_t>& kinds) {
  const std::string challenge = random_bytes(16);
  std::string msg;
  put8(msg, 1);        // CLIENT-HELLO
  put16(msg, 0x0002);  // SSLv2
  put16(msg, static_cast<unsigned>(kinds.size() * 3));
  put16(msg, 0);  // session id length
  put16(msg, static_cast<unsigned>(challenge.size()));
  for (auto k : kinds) put24(msg, k);
  msg += challenge;
  std::string rec;
  put16(rec, 0x8000 | static_cast<unsigned>(msg.size()));  // 2-byte header, no padding
  rec += msg;
  return rec;
}

}  // namespace pp::tls
