#include "probes/tls/tls_probe.h"
#include "probes/tls/cipher_suites.h"

#include <catch2/catch.hpp>
#include <algorithm>
#include <deque>
#include <functional>
#include <thread>

using namespace pp;
using namespace pp::tls;

namespace {

std::string record(uint8_t type, const std::string& body) {
  std::string r{static_cast<char>(type), 3, 3, static_cast<char>(body.size() >> 8), static_cast<char>(body.size() & 0xFF)};
  return r + body;
}

/// A TLS 1.2 ServerHello choosing `suite`, with renegotiation_info.
std::string server_hello12(uint16_t suite) {
  std::string b("\x03\x03", 2);
  b += std::string(32, '\x11');
  b.push_back(0);
  b.push_back(static_cast<char>(suite >> 8));
  b.push_back(static_cast<char>(suite & 0xFF));
  b.push_back(0);
  b += std::string("\x00\x05\xff\x01\x00\x01\x00", 7);
  std::string hs{2, 0, 0, static_cast<char>(b.size())};
  return record(22, hs + b);
}

/// A TLS 1.2 ECDHE ServerKeyExchange on named curve `curve` (point and signature are filler).
std::string ske_ecdhe(uint16_t curve) {
  std::string b{3, static_cast<char>(curve >> 8), static_cast<char>(curve & 0xFF), 32};
  b += std::string(32, '\x09');
  b += std::string("\x04\x01\x00\x04\xAA\xBB\xCC\xDD", 8);  // rsa_pkcs1_sha256, 4-byte "signature"
  std::string hs{12, 0, 0, static_cast<char>(b.size())};
  return record(22, hs + b);
}

/// A TLS 1.3 HelloRetryRequest choosing `suite` and asking for `group`.
std::string hrr13(uint16_t suite, uint16_t group) {
  static const unsigned char kHrr[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                         0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                         0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
  std::string b("\x03\x03", 2);
  b.append(reinterpret_cast<const char*>(kHrr), 32);
  b.push_back(0);
  b.push_back(static_cast<char>(suite >> 8));
  b.push_back(static_cast<char>(suite & 0xFF));
  b.push_back(0);
  const std::string ext = std::string("\x00\x2b\x00\x02\x03\x04\x00\x33\x00\x02", 10) +
                          std::string{static_cast<char>(group >> 8), static_cast<char>(group & 0xFF)};
  b.push_back(0);
  b.push_back(static_cast<char>(ext.size()));
  b += ext;
  std::string hs{2, 0, 0, static_cast<char>(b.size())};
  return record(22, hs + b);
}

std::string alert(uint8_t d) { return record(21, std::string{2, static_cast<char>(d)}); }

/// Hands out one scripted connection per call, in order; refuses once the script runs out.
struct Script {
  std::deque<std::function<void(net::ScriptedTransport&)>> steps;
  std::vector<std::string> written;
  net::Connector connector() {
    return [this](net::NetError& err) -> std::unique_ptr<net::Transport> {
      if (steps.empty()) {
        err = net::NetError::make(net::NetErrorKind::Refused, "connection refused");
        return nullptr;
      }
      auto t = std::make_unique<net::ScriptedTransport>();
      steps.front()(*t);
      steps.pop_front();
      return t;
    };
  }
};

/// Forwards to a ScriptedTransport and keeps what the probe wrote (the ClientHello) in `sink`.
class Recording final : public net::Transport {
 public:
  Recording(std::unique_ptr<net::ScriptedTransport> t, std::string& sink) : t_(std::move(t)), sink_(sink) {}
  net::NetError write_all(std::string_view d, net::Millis ms) override {
    sink_.append(d);
    return t_->write_all(d, ms);
  }
  net::NetError read_some(std::string& out, size_t max, net::Millis ms) override { return t_->read_some(out, max, ms); }
  void close() override { t_->close(); }

 private:
  std::unique_ptr<net::ScriptedTransport> t_;
  std::string& sink_;
};

/// Like Script, but records every ClientHello.
struct RecordingScript {
  std::deque<std::function<void(net::ScriptedTransport&)>> steps;
  std::deque<std::string> hellos;  // deque: stable references
  net::Connector connector() {
    return [this](net::NetError& err) -> std::unique_ptr<net::Transport> {
      if (steps.empty()) {
        err = net::NetError::make(net::NetErrorKind::Refused, "connection refused");
        return nullptr;
      }
      auto t = std::make_unique<net::ScriptedTransport>();
      steps.front()(*t);
      steps.pop_front();
      hellos.emplace_back();
      return std::make_unique<Recording>(std::move(t), hellos.back());
    };
  }
};

/// The cipher suites of a recorded TLS ClientHello record, in order.
std::vector<uint16_t> offered_suites(const std::string& rec) {
  auto u8 = [&](size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(rec.at(i))); };
  size_t i = 5 + 4 + 2 + 32;  // record header, handshake header, version, random
  i += 1 + u8(i);             // session id
  const size_t n = (u8(i) << 8 | u8(i + 1)) / 2;
  std::vector<uint16_t> out;
  for (size_t k = 0; k < n; ++k) out.push_back(static_cast<uint16_t>(u8(i + 2 + 2 * k) << 8 | u8(i + 3 + 2 * k)));
  return out;
}

const Fact& get(const FactSet& fs, const char* n) {
  const Fact* f = fs.find(n);
  INFO(n);
  REQUIRE(f);
  return *f;
}

/// The connections after TLS 1.2 on a server that speaks nothing else: TLS 1.1, TLS 1.0,
/// SSLv3, TLS 1.3 and SSLv2 each refused, in the probe's order.
template <typename S>
void refuse_all_but_tls12(S& s) {
  s.steps.push_back([](auto& t) { t.reply(alert(70)); });  // TLS 1.1
  s.steps.push_back([](auto& t) { t.reply(alert(70)); });  // TLS 1.0
  s.steps.push_back([](auto& t) { t.close_after(); });     // SSLv3
  s.steps.push_back([](auto& t) { t.reply(alert(70)); });  // TLS 1.3
  s.steps.push_back([](auto& t) { t.close_after(); });     // SSLv2
}

}  // namespace

TEST_CASE("TLS 1.2-only server with one RSA suite: every version costs one connection") {
  Script s;
  s.steps = {
      [](auto& t) { t.reply(server_hello12(0x002F)); },       // TLS 1.2: first suite
      [](auto& t) { t.reply(alert(40)); },                    // TLS 1.2: no more suites
      [](auto& t) { t.reply(alert(70)); },                    // TLS 1.1
      [](auto& t) { t.reply(alert(70)); },                    // TLS 1.0
      [](auto& t) { t.close_after(); },                       // SSLv3: closed without a byte
      [](auto& t) { t.reply(alert(70)); },                    // TLS 1.3 (after the others)
      [](auto& t) { t.close_after(); },                       // SSLv2
  };
  int n = 0;
  FactSet fs = probe_tls(s.connector(), TlsProbeOptions{}, n);
  CHECK(n == 7);
  CHECK(s.steps.empty());
  CHECK(std::get<StringList>(get(fs, "tls.protocols").value) == StringList{"TLSv1.2"});
  CHECK(std::get<bool>(get(fs, "tls.offered").value));
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.tls12").value) == StringList{"TLS_RSA_WITH_AES_128_CBC_SHA"});
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.tls10").value).empty());
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.classes").value) == StringList{"cbc"});
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.weak").value).empty());
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.no_fs").value) == StringList{"TLS_RSA_WITH_AES_128_CBC_SHA"});
  CHECK_FALSE(std::get<bool>(get(fs, "tls.forward_secrecy").value));
  CHECK(std::get<int64_t>(get(fs, "tls.ciphers.min_bits").value) == 128);
  CHECK(std::get<bool>(get(fs, "tls.secure_renegotiation").value));
  CHECK_FALSE(std::get<bool>(get(fs, "tls.compression").value));
  CHECK_FALSE(std::get<bool>(get(fs, "tls.ocsp_stapling").value));
  CHECK(get(fs, "tls.server_order").state == FactState::Absent);
  CHECK(get(fs, "tls.fallback_scsv").state == FactState::Absent);
  CHECK(get(fs, "tls.min_dh_bits").state == FactState::Absent);
  CHECK(std::get<int64_t>(get(fs, "tls.connections").value) == 7);
}

TEST_CASE("a timeout is unknown with its reason, not 'not supported'") {
  Script s;
  s.steps = {
      [](auto& t) { t.reply(server_hello12(0x009C)); },  // TLS 1.2
      [](auto& t) { t.reply(alert(40)); },
      [](auto& t) { t.reset_after(); },  // TLS 1.1: reset
      [](auto& t) { t.reply(alert(70)); },  // TLS 1.0
      [](auto& t) { t.reply(alert(70)); },  // SSLv3
      [](auto& t) { t.stall_after(); },     // TLS 1.3: no answer
      [](auto& t) { t.reply(alert(70)); },  // SSLv2
  };
  int n = 0;
  FactSet fs = probe_tls(s.connector(), TlsProbeOptions{}, n);
  const Fact& protocols = get(fs, "tls.protocols");
  CHECK(protocols.state == FactState::Unknown);
  CHECK(protocols.reason.find("TLSv1.3") != std::string::npos);
  CHECK(protocols.reason.find("TLSv1.1") != std::string::npos);
  CHECK(get(fs, "tls.ciphers.tls13").state == FactState::Unknown);
  CHECK(get(fs, "tls.ciphers.tls11").state == FactState::Unknown);
  CHECK(get(fs, "tls.ciphers").state == FactState::Unknown);
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.tls12").value) == StringList{"TLS_RSA_WITH_AES_128_GCM_SHA256"});
  CHECK(std::get<bool>(get(fs, "tls.offered").value));
}

TEST_CASE("a malformed answer (suite never offered) is unknown") {
  Script s;
  s.steps = {
      [](auto& t) { t.reply(server_hello12(0x1301)); },  // a TLS 1.3 suite in a TLS 1.2 hello
  };
  int n = 0;
  FactSet fs = probe_tls(s.connector(), TlsProbeOptions{}, n);
  const Fact& f = get(fs, "tls.ciphers.tls12");
  CHECK(f.state == FactState::Unknown);
  CHECK(f.reason.find("never offered") != std::string::npos);
}

TEST_CASE("server order rides on the third TLS 1.2 connection: client order costs nothing extra") {
  RecordingScript s;
  s.steps = {
      [](auto& t) { t.reply(server_hello12(0x002F)); },  // TLS 1.2
      [](auto& t) { t.reply(server_hello12(0x0035)); },
      [](auto& t) { t.reply(server_hello12(0x009C)); },  // order check: a new suite, not 0x002F
      [](auto& t) { t.reply(alert(40)); },
      [](auto& t) { t.reply(alert(70)); },  // TLS 1.1
      [](auto& t) { t.reply(alert(70)); },  // TLS 1.0
      [](auto& t) { t.close_after(); },     // SSLv3
      [](auto& t) { t.reply(alert(70)); },  // TLS 1.3
      [](auto& t) { t.close_after(); },     // SSLv2
  };
  int n = 0;
  FactSet fs = probe_tls(s.connector(), TlsProbeOptions{}, n);
  CHECK(s.steps.empty());
  CHECK(n == 9);  // 3 suites + 6 versions: no connection of its own for the order
  const Fact& order = get(fs, "tls.server_order");
  REQUIRE(order.state == FactState::Known);
  CHECK_FALSE(std::get<bool>(order.value));
  REQUIRE(s.hellos.size() >= 3);
  const auto third = offered_suites(s.hellos[2]);
  REQUIRE(third.size() >= 3);
  CHECK(third[third.size() - 2] == 0x0035);  // the second choice, then the first, last
  CHECK(third.back() == 0x002F);
  CHECK(std::count(third.begin(), third.end(), uint16_t{0x009C}) == 1);
  const auto fourth = offered_suites(s.hellos[3]);
  CHECK(std::count(fourth.begin(), fourth.end(), uint16_t{0x002F}) == 0);
  CHECK(std::count(fourth.begin(), fourth.end(), uint16_t{0x009C}) == 0);
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.tls12").value).size() == 3);
}

TEST_CASE("server order: the first suite chosen again means server order, and nothing is lost") {
  Script s;
  s.steps = {
      [](auto& t) { t.reply(server_hello12(0x002F)); },
      [](auto& t) { t.reply(server_hello12(0x0035)); },
      [](auto& t) { t.reply(server_hello12(0x002F)); },  // order check: its favourite again
      [](auto& t) { t.reply(server_hello12(0x009C)); },  // the unseen suites alone
      [](auto& t) { t.reply(alert(40)); },
      [](auto& t) { t.reply(alert(70)); },
      [](auto& t) { t.reply(alert(70)); },
      [](auto& t) { t.close_after(); },
      [](auto& t) { t.reply(alert(70)); },
      [](auto& t) { t.close_after(); },
  };
  int n = 0;
  FactSet fs = probe_tls(s.connector(), TlsProbeOptions{}, n);
  CHECK(s.steps.empty());
  CHECK(n == 10);
  CHECK(std::get<bool>(get(fs, "tls.server_order").value));
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.tls12").value) ==
        StringList{"TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256"});
}

TEST_CASE("a contradictory 'no' to the order check (accepted suites offered) is retried, not believed") {
  Script s;
  s.steps = {
      [](auto& t) { t.reply(server_hello12(0x002F)); },
      [](auto& t) { t.reply(server_hello12(0x0035)); },
      [](auto& t) { t.reply(alert(40)); },  // refuses a hello holding two suites it accepted
      [](auto& t) { t.reply(alert(40)); },  // the unseen suites alone: really no more
      [](auto& t) { t.reply(alert(70)); },
      [](auto& t) { t.reply(alert(70)); },
      [](auto& t) { t.close_after(); },
      [](auto& t) { t.reply(alert(70)); },
      [](auto& t) { t.close_after(); },
      [](auto& t) { t.reply(server_hello12(0x002F)); },  // the explicit order check after all
  };
  int n = 0;
  FactSet fs = probe_tls(s.connector(), TlsProbeOptions{}, n);
  CHECK(s.steps.empty());
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.tls12").value).size() == 2);
  CHECK(std::get<bool>(get(fs, "tls.server_order").value));
}

TEST_CASE("groups ride on suite connections: TLS 1.2 curves first, then only unseen groups in TLS 1.3") {
  RecordingScript s;
  s.steps = {
      [](auto& t) { t.reply(server_hello12(0xC02F) + ske_ecdhe(0x001D)); },  // TLS 1.2 ECDHE on x25519
      [](auto& t) { t.reply(alert(40)); },
      [](auto& t) { t.reply(alert(70)); },  // TLS 1.1
      [](auto& t) { t.reply(alert(70)); },  // TLS 1.0
      [](auto& t) { t.close_after(); },     // SSLv3
      [](auto& t) { t.reply(hrr13(0x1301, 0x0017)); },  // TLS 1.3: unseen groups only
      [](auto& t) { t.reply(hrr13(0x1302, 0x0100)); },
      [](auto& t) { t.reply(alert(40)); },  // suites or groups ran out?
      [](auto& t) { t.reply(alert(40)); },  // accepted suites, unseen groups: groups ran out
      [](auto& t) { t.reply(alert(40)); },  // remaining suites, every group: suites ran out too
      [](auto& t) { t.close_after(); },     // SSLv2
      [](auto& t) { t.reply(hrr13(0x1301, 0x0017)); },  // server order (TLS 1.3: TLS 1.2 has one suite)
      [](auto& t) { t.reply(alert(86)); },  // fallback SCSV
  };
  int n = 0;
  FactSet fs = probe_tls(s.connector(), TlsProbeOptions{}, n);
  CHECK(s.steps.empty());
  CHECK(n == 13);
  CHECK(std::get<bool>(get(fs, "tls.server_order").value));
  CHECK(std::get<StringList>(get(fs, "tls.groups").value) == StringList{"x25519", "secp256r1", "ffdhe2048"});
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.tls13").value) == StringList{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"});
  CHECK(std::get<int64_t>(get(fs, "tls.min_dh_bits").value) == 2048);
  CHECK(std::get<bool>(get(fs, "tls.fallback_scsv").value));
  // Which groups each TLS 1.3 hello offered: never x25519 once it was seen, never a seen group
  // on the "which ran out" question, and every group for the final suites-only question.
  auto groups_of = [](const std::string& rec) {
    std::vector<uint16_t> g;
    auto u8 = [&](size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(rec.at(i))); };
    auto u16 = [&](size_t i) { return u8(i) << 8 | u8(i + 1); };
    size_t i = 5 + 4 + 2 + 32;
    i += 1 + u8(i);   // session id
    i += 2 + u16(i);  // suites
    i += 1 + u8(i);   // compression methods
    const size_t end = i + 2 + u16(i);
    for (i += 2; i + 4 <= end; i += 4 + u16(i + 2)) {
      if (u16(i) != 0x000A) continue;  // supported_groups
      for (size_t k = 0; k < u16(i + 4) / 2u; ++k) g.push_back(static_cast<uint16_t>(u16(i + 6 + 2 * k)));
    }
    return g;
  };
  const auto has = [](const std::vector<uint16_t>& v, uint16_t x) { return std::find(v.begin(), v.end(), x) != v.end(); };
  REQUIRE(s.hellos.size() == 13);
  CHECK_FALSE(has(groups_of(s.hellos[5]), 0x001D));
  CHECK(has(groups_of(s.hellos[5]), 0x0017));
  CHECK_FALSE(has(groups_of(s.hellos[6]), 0x0017));
  CHECK_FALSE(has(groups_of(s.hellos[8]), 0x0100));
  CHECK(offered_suites(s.hellos[8]) == std::vector<uint16_t>{0x1301, 0x1302});
  CHECK(has(groups_of(s.hellos[9]), 0x001D));
  CHECK_FALSE(has(offered_suites(s.hellos[9]), uint16_t{0x1301}));
}

TEST_CASE("a ServerKeyExchange curve never offered is malformed, not a group") {
  Script s;
  s.steps = {
      [](auto& t) { t.reply(server_hello12(0xC02F) + ske_ecdhe(0x7777)); },
  };
  int n = 0;
  FactSet fs = probe_tls(s.connector(), TlsProbeOptions{}, n);
  const Fact& f = get(fs, "tls.ciphers.tls12");
  CHECK(f.state == FactState::Unknown);
  CHECK(f.reason.find("never offered") != std::string::npos);
}

TEST_CASE("a hello refused without an alert while DHE suites remain is retried without DHE") {
  // dovecot without ssl_dh: it picks a DHE suite, fails, and closes without an alert.
  RecordingScript s;
  s.steps = {
      [](auto& t) { t.reply(server_hello12(0x009D)); },  // TLS 1.2: RSA AES256-GCM
      [](auto& t) { t.close_after(); },                  // the next offer leads to DHE: closed
      [](auto& t) { t.reply(server_hello12(0x002F)); },  // offered again without DHE
      [](auto& t) { t.reply(server_hello12(0x009D)); },  // order check: server order
      [](auto& t) { t.reply(alert(40)); },               // nothing more
  };
  refuse_all_but_tls12(s);
  int n = 0;
  FactSet fs = probe_tls(s.connector(), TlsProbeOptions{}, n);
  CHECK(s.steps.empty());
  const Fact& f = get(fs, "tls.ciphers.tls12");
  CHECK(std::get<StringList>(f.value) == StringList{"TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_CBC_SHA"});
  CHECK(f.evidence.find("DHE left out") != std::string::npos);
  REQUIRE(s.hellos.size() >= 3);
  auto has_dhe = [](const std::string& hello) {
    for (auto c : offered_suites(hello))
      if (const CipherSuite* cs = find_suite(c); cs && cs->kx == Kx::DHE) return true;
    return false;
  };
  CHECK(has_dhe(s.hellos[1]));
  CHECK_FALSE(has_dhe(s.hellos[2]));
  // Our offer leads with ECDHE, then DHE: a client's order, not code-point order.
  const auto first = offered_suites(s.hellos[0]);
  REQUIRE_FALSE(first.empty());
  CHECK(find_suite(first.front())->kx == Kx::ECDHE);
}

TEST_CASE("only SSLv2 accepted: renegotiation and compression reasons say SSLv2, not TLS 1.3") {
  // An SSLv2 SERVER-HELLO choosing DES-CBC3-MD5 (certificate bytes are filler).
  std::string body;
  body += '\x04';                          // SERVER-HELLO
  body += '\x00';                          // session id hit
  body += '\x01';                          // certificate type X.509
  body += std::string("\x00\x02", 2);      // version 2
  body += std::string("\x00\x04", 2);      // certificate length
  body += std::string("\x00\x03", 2);      // cipher specs length
  body += std::string("\x00\x10", 2);      // connection id length
  body += std::string("\x30\x02\x05\x00", 4);
  body += std::string("\x07\x00\xC0", 3);
  body += std::string(16, '\x11');
  std::string rec{static_cast<char>(0x80 | (body.size() >> 8)), static_cast<char>(body.size() & 0xFF)};
  rec += body;
  Script s;
  s.steps = {
      [](auto& t) { t.reply(alert(70)); },  // TLS 1.2
      [](auto& t) { t.reply(alert(70)); },  // TLS 1.1
      [](auto& t) { t.reply(alert(70)); },  // TLS 1.0
      [](auto& t) { t.reply(alert(70)); },  // SSLv3
      [](auto& t) { t.reply(alert(70)); },  // TLS 1.3
      [rec](auto& t) { t.reply(rec); },     // SSLv2
  };
  int n = 0;
  FactSet fs = probe_tls(s.connector(), TlsProbeOptions{}, n);
  REQUIRE(std::get<StringList>(get(fs, "tls.protocols").value) == StringList{"SSLv2"});
  const Fact& reneg = get(fs, "tls.secure_renegotiation");
  CHECK(reneg.state == FactState::Absent);
  CHECK(reneg.reason.find("only SSLv2 accepted") != std::string::npos);
  CHECK(get(fs, "tls.compression").evidence.find("only SSLv2 accepted") != std::string::npos);
}

TEST_CASE("extras off (groups, server order, ALPN): those facts are unknown and say why") {
  Script s;
  s.steps = {
      [](auto& t) { t.reply(server_hello12(0x002F)); },  // TLS 1.2
      [](auto& t) { t.reply(alert(40)); },
  };
  refuse_all_but_tls12(s);
  TlsProbeOptions opt;
  opt.enumerate_groups = false;
  opt.test_server_order = false;
  opt.test_alpn = false;
  int n = 0;
  FactSet fs = probe_tls(s.connector(), opt, n);
  const Fact& g = get(fs, "tls.groups");
  CHECK(g.state == FactState::Unknown);
  CHECK(g.reason.find("not enumerated") != std::string::npos);
  CHECK(get(fs, "tls.server_order").state == FactState::Unknown);
  CHECK(get(fs, "tls.server_order").reason.find("not tested") != std::string::npos);
  CHECK(std::get<StringList>(get(fs, "tls.protocols").value) == StringList{"TLSv1.2"});
  CHECK(n == 7);  // nothing beyond the versions and the one suite
}

namespace {

/// A ServerHello choosing `suite` at record and hello version `version`, with renegotiation_info.
std::string server_hello_v(uint16_t version, uint16_t suite) {
  std::string r = server_hello12(suite);
  r[1] = static_cast<char>(version >> 8);
  r[2] = static_cast<char>(version & 0xFF);
  r[9] = static_cast<char>(version >> 8);
  r[10] = static_cast<char>(version & 0xFF);
  return r;
}

std::string hello_requests(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += record(22, std::string("\x00\x00\x00\x00", 4));
  return out;
}

/// TLS 1.2's first hello gets `first`; every later connection is refused or closed.
FactSet probe_with_first(const std::function<void(net::ScriptedTransport&)>& first, net::Millis timeout) {
  Script s;
  s.steps.push_back(first);  // TLS 1.2
  refuse_all_but_tls12(s);
  TlsProbeOptions opt;
  opt.timeout = timeout;
  int n = 0;
  return probe_tls(s.connector(), opt, n);
}

}  // namespace

/// A real-time server: optional bytes after `delay`, then silence. Each read waits what it is
/// given, as a socket would, and says "no answer within <that wait>".
class SlowServer final : public net::Transport {
 public:
  SlowServer(std::string bytes, net::Millis delay) : bytes_(std::move(bytes)), delay_(delay) {}
  net::NetError write_all(std::string_view, net::Millis) override { return {}; }
  net::NetError read_some(std::string& out, size_t max, net::Millis timeout) override {
    if (!bytes_.empty() && delay_ <= timeout) {
      std::this_thread::sleep_for(delay_);
      const size_t n = std::min(max, bytes_.size());
      out.append(bytes_, 0, n);
      bytes_.erase(0, n);
      return {};
    }
    std::this_thread::sleep_for(timeout);
    return net::NetError::make(net::NetErrorKind::Timeout, "no answer within " + std::to_string(timeout.count()) + " ms");
  }
  void close() override {}

 private:
  std::string bytes_;
  net::Millis delay_;
};

FactSet probe_slow(std::string bytes, net::Millis delay, net::Millis timeout) {
  bool first = true;
  net::Connector c = [&](net::NetError& err) -> std::unique_ptr<net::Transport> {
    if (!first) {
      err = net::NetError::make(net::NetErrorKind::Refused, "connection refused");
      return nullptr;
    }
    first = false;
    return std::make_unique<SlowServer>(bytes, delay);
  };
  TlsProbeOptions opt;
  opt.timeout = timeout;
  int n = 0;
  return probe_tls(c, opt, n);
}

TEST_CASE("a silent server: the reason names the whole wait, not what was left of it") {
  SECTION("nothing at all") {
    FactSet fs = probe_slow("", net::Millis(0), net::Millis(400));
    const Fact& f = get(fs, "tls.ciphers.tls12");
    REQUIRE(f.state == FactState::Unknown);
    CHECK(f.reason == "TLSv1.2: no answer within 0.4 s of the ClientHello");
  }
  SECTION("a few bytes, then silence: the last read was given only the rest of the wait") {
    FactSet fs = probe_slow(std::string("\x16\x03", 2), net::Millis(250), net::Millis(400));
    const Fact& f = get(fs, "tls.ciphers.tls12");
    REQUIRE(f.state == FactState::Unknown);
    CHECK(f.reason == "TLSv1.2: the server sent 2 bytes and no ServerHello within 0.4 s of the ClientHello");
    CHECK(f.reason.find(" ms") == std::string::npos);
  }
}

TEST_CASE("a flood of HelloRequests: the reason says what the server sent instead of a ServerHello") {
  SECTION("then silence") {
    FactSet fs = probe_slow(hello_requests(10000), net::Millis(10), net::Millis(300));
    const Fact& f = get(fs, "tls.ciphers.tls12");
    REQUIRE(f.state == FactState::Unknown);
    CHECK(f.reason ==
          "TLSv1.2: the server sent 10000 HelloRequest messages (90000 bytes) and no ServerHello within 0.3 s of the "
          "ClientHello");
  }
  SECTION("then a close") {
    FactSet fs = probe_with_first([](auto& t) { t.reply(hello_requests(3)).close_after(); }, net::Millis(2000));
    const Fact& f = get(fs, "tls.ciphers.tls12");
    REQUIRE(f.state == FactState::Unknown);
    CHECK(f.reason == "TLSv1.2: connection closed after 3 HelloRequest messages (27 bytes) and no ServerHello");
  }
  SECTION("without end: reading stops at the bound") {
    FactSet fs = probe_with_first([](auto& t) { t.reply(hello_requests(40000)).stall_after(); }, net::Millis(2000));
    const Fact& f = get(fs, "tls.ciphers.tls12");
    REQUIRE(f.state == FactState::Unknown);
    INFO(f.reason);
    CHECK(f.reason.find("HelloRequest messages") != std::string::npos);
    CHECK(f.reason.find("and no ServerHello: stopped reading") != std::string::npos);
    CHECK(f.reason.find("truncated") == std::string::npos);
  }
}

TEST_CASE("fallback SCSV: a close without an alert on a hello whose suites are accepted is a refusal") {
  Script s;
  s.steps = {
      [](auto& t) { t.reply(server_hello_v(0x0303, 0x002F)); },  // TLS 1.2
      [](auto& t) { t.reply(alert(40)); },
      [](auto& t) { t.reply(server_hello_v(0x0302, 0x002F)); },  // TLS 1.1
      [](auto& t) { t.reply(alert(40)); },
      [](auto& t) { t.reply(alert(70)); },  // TLS 1.0
      [](auto& t) { t.close_after(); },     // SSLv3
      [](auto& t) { t.reply(alert(70)); },  // TLS 1.3
      [](auto& t) { t.close_after(); },     // SSLv2
      [](auto& t) { t.close_after(); },     // TLS 1.1 with the SCSV: closed, no alert (dovecot, slapd)
  };
  TlsProbeOptions opt;
  opt.skip_checks = {"renegotiation"};
  int n = 0;
  FactSet fs = probe_tls(s.connector(), opt, n);
  CHECK(s.steps.empty());
  const Fact& f = get(fs, "tls.fallback_scsv");
  REQUIRE(f.state == FactState::Known);
  CHECK(std::get<bool>(f.value));
  CHECK(f.evidence.find("without a ServerHello") != std::string::npos);
  CHECK(get(fs, "tls.renegotiation.client_initiated").state == FactState::Unknown);
}

TEST_CASE("renegotiation: TLS 1.3 only is absent; a refused connection is unknown with its reason") {
  Script s;
  s.steps = {
      [](auto& t) { t.reply(server_hello12(0x002F)); },  // TLS 1.2
      [](auto& t) { t.reply(alert(40)); },
  };
  refuse_all_but_tls12(s);
  int n = 0;
  FactSet fs = probe_tls(s.connector(), TlsProbeOptions{}, n);
  const Fact& f = get(fs, "tls.renegotiation.client_initiated");
  REQUIRE(f.state == FactState::Unknown);
  CHECK(f.reason == "renegotiation check: connection refused");
}
