#include "probes/cert/cert_probe.h"

#include <catch2/catch.hpp>

#include "probes/cert/fact_list.h"
#include "probes/cert/legacy_hello.h"
#include "probes/cert/test_certs.h"
#include "probes/cert/tls_handshake.h"

using namespace pp;
using namespace pp::cert;
using namespace std::string_literals;

namespace {

/// Runs the probe over one scripted connection and keeps a view of what the client wrote.
struct Scripted {
  net::ScriptedTransport* last = nullptr;
  std::function<void(net::ScriptedTransport&)> script;
  std::string written;

  FactSet run(const CertProbeOptions& opt, int& connections) {
    // The transport is destroyed inside the probe, so capture what was written on the way out.
    struct Recording final : net::Transport {
      net::ScriptedTransport inner;
      std::string* sink;
      net::NetError write_all(std::string_view d, net::Millis t) override {
        sink->append(d);
        return inner.write_all(d, t);
      }
      net::NetError read_some(std::string& out, size_t max, net::Millis t) override { return inner.read_some(out, max, t); }
      void close() override { inner.close(); }
    };
    net::Connector c = [this](net::NetError&) {
      auto r = std::make_unique<Recording>();
      r->sink = &written;
      script(r->inner);
      return std::unique_ptr<net::Transport>(std::move(r));
    };
    return probe_certificate(c, opt, connections);
  }
};

void require_all_unknown(const FactSet& fs, const std::string& reason_part) {
  size_t n = 0;
  for (const auto& spec : fact_list()) {
    if (spec.probe != "cert") continue;
    ++n;
    const Fact* f = fs.find(std::string(spec.name));
    REQUIRE(f != nullptr);
    INFO(spec.name << ": " << f->reason);
    CHECK(f->state == FactState::Unknown);
    CHECK(f->reason.find(reason_part) != std::string::npos);
  }
  CHECK(n >= 20);
}

/// A connector that hands out one scripted server per connection, in order, and records what
/// the client wrote on each.
struct Servers {
  std::vector<std::function<void(net::ScriptedTransport&)>> scripts;
  std::vector<std::string> written;

  net::Connector connector() {
    written.assign(scripts.size(), {});
    return [this, next = size_t{0}](net::NetError& err) mutable -> std::unique_ptr<net::Transport> {
      if (next >= scripts.size()) {
        err = net::NetError::make(net::NetErrorKind::Refused, "no more scripted servers");
        return nullptr;
      }
      struct Recording final : net::Transport {
        net::ScriptedTransport inner;
        std::string* sink;
        net::NetError write_all(std::string_view d, net::Millis t) override {
          sink->append(d);
          return inner.write_all(d, t);
        }
        net::NetError read_some(std::string& out, size_t max, net::Millis t) override { return inner.read_some(out, max, t); }
        void close() override { inner.close(); }
      };
      auto r = std::make_unique<Recording>();
      r->sink = &written[next];
      scripts[next++](r->inner);
      return r;
    };
  }
};

std::string be(size_t v, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
  return out;
}
std::string record(char type, const std::string& payload, size_t version = 0x0300) {
  return std::string(1, type) + be(version, 2) + be(payload.size(), 2) + payload;
}
std::string message(int type, const std::string& body) {
  return std::string(1, static_cast<char>(type)) + be(body.size(), 3) + body;
}
const std::string kAlert70 = record('\x15', "\x02\x46"s);

/// A self-signed legacy leaf (1024-bit RSA, like the servers that still speak SSLv3) as DER.
const std::string& legacy_der() {
  static const std::string der = [] {
    auto key = testing::make_rsa_key(1024);
    testing::CertSpec s;
    s.cn = "legacy.example.com";
    s.dns = {"legacy.example.com"};
    auto x = testing::make_cert(s, key.get(), nullptr, key.get(), std::time(nullptr));
    return testing::cert_der(x.get());
  }();
  return der;
}

std::string ssl3_flight() {
  const std::string hello = message(2, be(0x0300, 2) + std::string(32, 'r') + "\0"s + be(0x000a, 2) + "\0"s);
  const std::string list = be(legacy_der().size(), 3) + legacy_der();
  return record('\x16', hello + message(11, be(list.size(), 3) + list) + message(14, ""));
}

std::string ssl2_server_hello() {
  const std::string& cert = legacy_der();
  const std::string specs = "\x01\x00\x80"s, conn_id(16, 'c');
  const std::string msg = "\x04\x00\x01"s + be(0x0002, 2) + be(cert.size(), 2) + be(specs.size(), 2) +
                          be(conn_id.size(), 2) + cert + specs + conn_id;
  return be(0x8000 | msg.size(), 2) + msg;
}

/// The cipher suites and signature algorithms of the ClientHello in `hello` (one record).
struct Offer {
  std::vector<unsigned> suites, sigalgs;
};
Offer parse_offer(const std::string& hello) {
  auto u = [&](size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(hello.at(i))); };
  auto u16 = [&](size_t i) { return (u(i) << 8) | u(i + 1); };
  Offer o;
  size_t p = 5 + 4 + 2 + 32;
  p += 1 + u(p);
  const size_t n = u16(p);
  for (size_t i = 0; i < n; i += 2) o.suites.push_back(u16(p + 2 + i));
  p += 2 + n;
  p += 1 + u(p);
  const size_t end = p + 2 + u16(p);
  for (p += 2; p + 4 <= end;) {
    const unsigned type = u16(p), len = u16(p + 2);
    if (type == 13)
      for (size_t i = 0; i < u16(p + 4); i += 2) o.sigalgs.push_back(u16(p + 6 + i));
    p += 4 + len;
  }
  return o;
}
bool has(const std::vector<unsigned>& v, unsigned x) { return std::find(v.begin(), v.end(), x) != v.end(); }

}  // namespace

TEST_CASE("a refused connection makes every cert fact unknown with the reason") {
  net::Connector refuse = [](net::NetError& err) {
    err = net::NetError::make(net::NetErrorKind::Refused, "connection refused");
    return std::unique_ptr<net::Transport>();
  };
  int connections = 0;
  FactSet fs = probe_certificate(refuse, {}, connections);
  CHECK(connections == 1);
  require_all_unknown(fs, "connection refused");
}

TEST_CASE("the ClientHello carries SNI for names and none for IP literals") {
  Scripted s;
  s.script = [](net::ScriptedTransport& t) { t.close_after(); };
  int connections = 0;
  CertProbeOptions opt;
  opt.sni = "mail.example.com";
  FactSet fs = s.run(opt, connections);
  REQUIRE(s.written.size() > 5);
  CHECK(s.written[0] == '\x16');  // a TLS handshake record
  CHECK(s.written.find("mail.example.com") != std::string::npos);
  require_all_unknown(fs, "closed the connection");

  Scripted ip;
  ip.script = [](net::ScriptedTransport& t) { t.close_after(); };
  opt.sni = "192.0.2.1";
  fs = ip.run(opt, connections);
  REQUIRE(ip.written.size() > 5);
  CHECK(ip.written.find("192.0.2.1") == std::string::npos);
  CHECK(connections == 2);
}

TEST_CASE("handshake failures become unknown facts with a human reason") {
  int connections = 0;
  CertProbeOptions opt;
  opt.sni = "mail.example.com";
  opt.timeout = net::Millis{200};

  SECTION("a TLS alert from the server names the alert") {
    Scripted s;
    s.script = [](net::ScriptedTransport& t) { t.reply("\x15\x03\x01\x00\x02\x02\x28"s).close_after(); };
    require_all_unknown(s.run(opt, connections), "alert 40 (handshake failure)");
  }
  SECTION("a plaintext answer is a failed handshake") {
    Scripted s;
    s.script = [](net::ScriptedTransport& t) { t.reply("HTTP/1.0 400 Bad Request\r\n\r\n").close_after(); };
    require_all_unknown(s.run(opt, connections), "TLS handshake failed");
  }
  SECTION("a silent server times out") {
    Scripted s;
    s.script = [](net::ScriptedTransport& t) { t.stall_after(); };
    require_all_unknown(s.run(opt, connections), "timeout");
  }
  SECTION("a reset is reported as such") {
    Scripted s;
    s.script = [](net::ScriptedTransport& t) { t.reset_after(); };
    FactSet fs = s.run(opt, connections);
    const Fact* f = fs.find("cert.trusted");
    REQUIRE(f != nullptr);
    CHECK(f->state == FactState::Unknown);
    CHECK(f->reason.find("reset") != std::string::npos);
  }
}

TEST_CASE("the handshake reads at most max_bytes from the server") {
  // A handshake record header announcing 16 KiB, then bytes trickling in: OpenSSL would keep
  // waiting for the record, so only our byte cap ends it.
  net::ScriptedTransport t;
  t.reply("\x16\x03\x03\x40\x00"s);
  for (int i = 0; i < 8; ++i) t.reply(std::string(512, 'A'));
  t.stall_after();
  PeerChain p = fetch_peer_chain(t, "mail.example.com", net::Millis{200}, 2048);
  CHECK(p.certs.empty());
  CHECK(p.error == net::NetErrorKind::TooLarge);
  // The bytes announce a handshake message of type 0x41 and 0x414141 bytes: not a certificate.
  CHECK(p.reason.find("handshake message too large (4276545 bytes announced)") != std::string::npos);
}

TEST_CASE("a 16 MB length field is named for its message: certificate only when it is one") {
  SECTION("ServerHello") {
    net::ScriptedTransport t;
    t.reply(record('\x16', "\x02\xff\xff\xff"s, 0x0303)).stall_after();
    PeerChain p = fetch_peer_chain(t, "mail.example.com", net::Millis{200});
    CHECK(p.error == net::NetErrorKind::TooLarge);
    CHECK(p.reason.find("handshake message too large (16777215 bytes announced)") != std::string::npos);
    CHECK(p.reason.find("ServerHello") != std::string::npos);
    CHECK(p.reason.find("certificate") == std::string::npos);
  }
  SECTION("Certificate after a TLS 1.2 ServerHello") {
    net::ScriptedTransport t;
    const std::string hello = message(2, be(0x0303, 2) + std::string(32, 'r') + "\0"s + be(0x002f, 2) + "\0"s);
    t.reply(record('\x16', hello + "\x0b\xff\xff\xff"s, 0x0303)).stall_after();
    PeerChain p = fetch_peer_chain(t, "mail.example.com", net::Millis{200});
    INFO(p.reason << " / " << p.detail);
    CHECK(p.error == net::NetErrorKind::TooLarge);
    CHECK(p.reason.find("certificate too large (16777215 bytes announced)") != std::string::npos);
  }
}

TEST_CASE("failures read as sentences; OpenSSL's text is evidence, never the whole reason") {
  CertProbeOptions opt;
  opt.sni = "mail.example.com";
  opt.timeout = net::Millis{200};
  int connections = 0;
  SECTION("an SSLv3 ServerHello: no protocol version in common") {
    Servers s;
    s.scripts = {[](net::ScriptedTransport& t) { t.reply(record('\x16', message(2, be(0x0300, 2) + std::string(32, 'r') + "\0"s + be(0x000a, 2) + "\0"s))).close_after(); },
                 [](net::ScriptedTransport& t) { t.close_after(); }, [](net::ScriptedTransport& t) { t.close_after(); }};
    FactSet fs = probe_certificate(s.connector(), opt, connections);
    require_all_unknown(fs, "no protocol version in common");
    const Fact* f = fs.find("cert.trusted");
    CHECK(f->reason.rfind("error:", 0) == std::string::npos);
    CHECK(f->reason.find("a raw SSLv3 hello: the server closed the connection") != std::string::npos);
    CHECK(f->evidence.find("OpenSSL: ") == 0);
    CHECK(connections == 3);
  }
  SECTION("alert 40 says what it means and tries no legacy hello") {
    Servers s;
    s.scripts = {[](net::ScriptedTransport& t) { t.reply(record('\x15', "\x02\x28"s, 0x0303)).close_after(); }};
    require_all_unknown(probe_certificate(s.connector(), opt, connections), "none of the cipher suites or signature algorithms");
    CHECK(connections == 1);
  }
}

TEST_CASE("an SSLv3-only server: the certificate comes from a raw SSLv3 hello") {
  Servers s;
  s.scripts = {[](net::ScriptedTransport& t) { t.reply(ssl3_flight()).close_after(); },
               [](net::ScriptedTransport& t) { t.reply(ssl3_flight()).stall_after(); }};
  CertProbeOptions opt;
  opt.sni = "legacy.example.com";
  opt.timeout = net::Millis{200};
  int connections = 0;
  FactSet fs = probe_certificate(s.connector(), opt, connections);
  CHECK(connections == 2);
  CHECK(s.written[1].substr(0, 3) == "\x16\x03\x00"s);
  const Fact* f = fs.find("cert.key_bits");
  REQUIRE(f != nullptr);
  INFO(f->reason);
  REQUIRE(f->state == FactState::Known);
  CHECK(std::get<int64_t>(f->value) == 1024);
  CHECK(f->evidence.find("certificate read from an SSLv3 handshake") != std::string::npos);
  CHECK(std::get<bool>(fs.find("cert.self_signed")->value));
  CHECK(std::get<bool>(fs.find("cert.san_covers_expected")->value));
}

TEST_CASE("an alert in an SSL 3.0 record also means SSLv3: the raw hello reads the certificate") {
  // What an SSLv3 server that has none of OpenSSL's suites answers to a TLS ClientHello.
  Servers s;
  s.scripts = {[](net::ScriptedTransport& t) { t.reply(record('\x15', "\x02\x28"s, 0x0300)).close_after(); },
               [](net::ScriptedTransport& t) { t.reply(ssl3_flight()).stall_after(); }};
  CertProbeOptions opt;
  opt.timeout = net::Millis{200};
  int connections = 0;
  FactSet fs = probe_certificate(s.connector(), opt, connections);
  CHECK(connections == 2);
  const Fact* f = fs.find("cert.subject");
  REQUIRE(f != nullptr);
  INFO(f->reason);
  REQUIRE(f->state == FactState::Known);
  CHECK(f->evidence.find("certificate read from an SSLv3 handshake") != std::string::npos);
}

TEST_CASE("an SSLv2-only server: SSLv3 refused too, the SSLv2 SERVER-HELLO has the certificate") {
  Servers s;
  s.scripts = {[](net::ScriptedTransport& t) { t.reply(kAlert70).close_after(); },
               [](net::ScriptedTransport& t) { t.reply(kAlert70).close_after(); },
               [](net::ScriptedTransport& t) { t.reply(ssl2_server_hello()).stall_after(); }};
  CertProbeOptions opt;
  opt.sni = "legacy.example.com";
  opt.timeout = net::Millis{200};
  int connections = 0;
  FactSet fs = probe_certificate(s.connector(), opt, connections);
  CHECK(connections == 3);
  CHECK((static_cast<unsigned char>(s.written[2].at(0)) & 0x80) != 0);
  const Fact* f = fs.find("cert.subject");
  REQUIRE(f != nullptr);
  INFO(f->reason);
  REQUIRE(f->state == FactState::Known);
  CHECK(f->evidence.find("certificate read from an SSLv2 handshake") != std::string::npos);
}

TEST_CASE("a server answering in SSLv2 gets the SSLv2 hello straight away") {
  Servers s;
  s.scripts = {[](net::ScriptedTransport& t) { t.reply(ssl2_server_hello()).close_after(); },
               [](net::ScriptedTransport& t) { t.reply(ssl2_server_hello()).stall_after(); }};
  CertProbeOptions opt;
  opt.timeout = net::Millis{200};
  int connections = 0;
  FactSet fs = probe_certificate(s.connector(), opt, connections);
  CHECK(connections == 2);
  CHECK(fs.find("cert.subject")->state == FactState::Known);
}

TEST_CASE("RSA-only and ECDSA-only offers restrict suites and signature algorithms") {
  auto offer = [](KeyAuth auth) {
    net::ScriptedTransport t;
    t.close_after();
    (void)fetch_peer_chain(t, "mail.example.com", net::Millis{200}, kMaxHandshakeBytes, auth);
    return parse_offer(t.written());
  };
  const Offer any = offer(KeyAuth::Any), rsa = offer(KeyAuth::Rsa), ec = offer(KeyAuth::Ecdsa);
  // 0xc02f ECDHE-RSA-AES128-GCM, 0xc02b ECDHE-ECDSA-AES128-GCM; 0x0804 rsa_pss_rsae_sha256,
  // 0x0401 rsa_pkcs1_sha256, 0x0403 ecdsa_secp256r1_sha256, 0x0807 ed25519.
  CHECK((has(any.suites, 0xc02f) && has(any.suites, 0xc02b) && has(any.sigalgs, 0x0403) && has(any.sigalgs, 0x0804)));
  CHECK(has(rsa.suites, 0xc02f));
  CHECK_FALSE(has(rsa.suites, 0xc02b));
  CHECK((has(rsa.sigalgs, 0x0804) && has(rsa.sigalgs, 0x0401)));
  CHECK_FALSE(has(rsa.sigalgs, 0x0403));
  CHECK_FALSE(has(rsa.sigalgs, 0x0807));
  CHECK(has(ec.suites, 0xc02b));
  CHECK_FALSE(has(ec.suites, 0xc02f));
  CHECK(has(ec.sigalgs, 0x0403));
  CHECK_FALSE(has(ec.sigalgs, 0x0804));
  CHECK_FALSE(has(ec.sigalgs, 0x0401));
}

TEST_CASE("probe_certificates: no certificate, no extra handshake") {
  Servers s;
  s.scripts = {[](net::ScriptedTransport& t) { t.reply(record('\x15', "\x02\x28"s, 0x0303)).close_after(); }};
  int connections = 0;
  CertProbeOptions opt;
  opt.timeout = net::Millis{200};
  auto obs = probe_certificates(s.connector(), opt, connections);
  REQUIRE(obs.size() == 1);
  CHECK(obs[0].key_type.empty());
  CHECK(connections == 1);
  require_all_unknown(obs[0].facts, "alert 40");
}

TEST_CASE("probe_certificates: a legacy certificate is one observation") {
  Servers s;
  s.scripts = {[](net::ScriptedTransport& t) { t.reply(ssl3_flight()).close_after(); },
               [](net::ScriptedTransport& t) { t.reply(ssl3_flight()).stall_after(); }};
  int connections = 0;
  CertProbeOptions opt;
  opt.timeout = net::Millis{200};
  auto obs = probe_certificates(s.connector(), opt, connections);
  REQUIRE(obs.size() == 1);
  CHECK(obs[0].key_type == "rsa");
  CHECK(connections == 2);
}
