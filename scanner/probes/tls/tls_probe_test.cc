#include "probes/tls/tls_probe.h"

#include <catch2/catch.hpp>
#include <deque>
#include <functional>

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

const Fact& get(const FactSet& fs, const char* n) {
  const Fact* f = fs.find(n);
  INFO(n);
  REQUIRE(f);
  return *f;
}

}  // namespace

TEST_CASE("TLS 1.2-only server with one RSA suite: every version costs one connection") {
  Script s;
  s.steps = {
      [](auto& t) { t.reply(alert(70)); },                    // TLS 1.3
      [](auto& t) { t.reply(server_hello12(0x002F)); },       // TLS 1.2: first suite
      [](auto& t) { t.reply(alert(40)); },                    // TLS 1.2: no more suites
      [](auto& t) { t.reply(alert(70)); },                    // TLS 1.1
      [](auto& t) { t.reply(alert(70)); },                    // TLS 1.0
      [](auto& t) { t.close_after(); },                       // SSLv3: closed without a byte
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
      [](auto& t) { t.stall_after(); },                 // TLS 1.3: no answer
      [](auto& t) { t.reply(server_hello12(0x009C)); },  // TLS 1.2
      [](auto& t) { t.reply(alert(40)); },
      [](auto& t) { t.reset_after(); },  // TLS 1.1: reset
      [](auto& t) { t.reply(alert(70)); },
      [](auto& t) { t.reply(alert(70)); },
      [](auto& t) { t.reply(alert(70)); },
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
      [](auto& t) { t.reply(alert(70)); },
      [](auto& t) { t.reply(server_hello12(0x1301)); },  // a TLS 1.3 suite in a TLS 1.2 hello
  };
  int n = 0;
  FactSet fs = probe_tls(s.connector(), TlsProbeOptions{}, n);
  const Fact& f = get(fs, "tls.ciphers.tls12");
  CHECK(f.state == FactState::Unknown);
  CHECK(f.reason.find("never offered") != std::string::npos);
}
