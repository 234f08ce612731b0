#include "probes/cert/cert_probe.h"

#include <catch2/catch.hpp>

#include "core/catalogue.h"
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
  for (const auto& spec : fact_catalogue()) {
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
  CHECK(p.reason.find("certificate too large") != std::string::npos);
}
