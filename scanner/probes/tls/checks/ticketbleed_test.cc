#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "probes/tls/checks/run_check.h"
#include "probes/tls/checks/table.h"

using namespace pp;
using namespace pp::tls;
using namespace pp::tls::checks;

namespace {

const Check& ticketbleed() {
  for (const auto& c : check_table())
    if (c.name == "ticketbleed") return c;
  FAIL("no ticketbleed check in the table");
  throw;
}

constexpr uint16_t kSuite = 0xC02B;  // ECDHE-ECDSA-AES128-GCM-SHA256: the only one the test server has

Observation accepting(std::initializer_list<Version> versions) {
  Observation o;
  for (Version v : versions) {
    o.at(v).state = VState::Supported;
    o.at(v).suites = {kSuite, 0x002F};
    if (v != Version::Tls13 && v != Version::Ssl2 && (!o.highest_legacy || *o.highest_legacy < v)) o.highest_legacy = v;
  }
  return o;
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct CtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};

/// A TLS 1.2 server context with a fresh P-256 key and self-signed certificate; session
/// tickets on or off.
std::unique_ptr<SSL_CTX, CtxFree> server_context(bool tickets) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_EC_gen("P-256"));
  REQUIRE(key);
  std::unique_ptr<X509, X509Free> cert(X509_new());
  REQUIRE(cert);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("test.invalid"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);
  std::unique_ptr<SSL_CTX, CtxFree> ctx(SSL_CTX_new(TLS_server_method()));
  REQUIRE(ctx);
  SSL_CTX_set_max_proto_version(ctx.get(), TLS1_2_VERSION);
  REQUIRE(SSL_CTX_set_cipher_list(ctx.get(), "ECDHE-ECDSA-AES128-GCM-SHA256") == 1);
  REQUIRE(SSL_CTX_use_certificate(ctx.get(), cert.get()) == 1);
  REQUIRE(SSL_CTX_use_PrivateKey(ctx.get(), key.get()) == 1);
  if (!tickets) SSL_CTX_set_options(ctx.get(), SSL_OP_NO_TICKET);
  return ctx;
}

/// A real OpenSSL server behind the transport seam: what the client writes is fed to it at
/// once, what it answers is what the client reads (nothing pending: a timeout).
class OpenSslServer final : public net::Transport {
 public:
  explicit OpenSslServer(SSL_CTX* ctx) : ssl_(SSL_new(ctx)) {
    SSL_set_bio(ssl_.get(), BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    SSL_set_accept_state(ssl_.get());
  }
  net::NetError write_all(std::string_view d, net::Millis) override {
    BIO_write(SSL_get_rbio(ssl_.get()), d.data(), static_cast<int>(d.size()));
    SSL_do_handshake(ssl_.get());
    return {};
  }
  net::NetError read_some(std::string& out, size_t max, net::Millis) override {
    char buf[16384];
    const int n = BIO_read(SSL_get_wbio(ssl_.get()), buf, static_cast<int>(std::min(max, sizeof buf)));
    if (n <= 0) return net::NetError::make(net::NetErrorKind::Timeout, "no answer within 0.1 s");
    out.append(buf, static_cast<size_t>(n));
    return {};
  }
  void close() override {}

 private:
  std::unique_ptr<SSL, SslFree> ssl_;
};

/// A scripted server that keeps what the client wrote in `sink`.
struct Recording final : net::Transport {
  std::unique_ptr<net::ScriptedTransport> t = std::make_unique<net::ScriptedTransport>();
  std::string& sink;
  explicit Recording(std::string& s) : sink(s) {}
  net::NetError write_all(std::string_view d, net::Millis to) override {
    sink.append(d);
    return t->write_all(d, to);
  }
  net::NetError read_some(std::string& out, size_t max, net::Millis to) override { return t->read_some(out, max, to); }
  void close() override { t->close(); }
};

std::string record(uint8_t type, const std::string& body) {
  std::string r{static_cast<char>(type), 3, 3, static_cast<char>(body.size() >> 8), static_cast<char>(body.size() & 0xFF)};
  return r + body;
}

/// A TLS 1.2 ServerHello record with `session_id`, choosing kSuite, no extensions.
std::string server_hello(const std::string& session_id) {
  std::string body{3, 3};
  body += std::string(32, '\x11');
  body += static_cast<char>(session_id.size());
  body += session_id;
  body += std::string{static_cast<char>(kSuite >> 8), static_cast<char>(kSuite & 0xFF), 0};
  std::string msg{2, 0, static_cast<char>(body.size() >> 8), static_cast<char>(body.size() & 0xFF)};
  return record(22, msg + body);
}

std::string ours() {
  std::string id;
  for (char i = 1; i <= 16; ++i) id.push_back(i);
  return id;
}

/// The body of extension `type` in a ClientHello record; empty optional when absent.
std::optional<std::string> hello_extension(const std::string& rec, uint16_t type) {
  auto u16 = [&](size_t at) { return static_cast<size_t>((static_cast<unsigned char>(rec[at]) << 8) | static_cast<unsigned char>(rec[at + 1])); };
  size_t pos = 5 + 4 + 2 + 32;
  pos += 1 + static_cast<unsigned char>(rec[pos]);
  pos += 2 + u16(pos);
  pos += 1 + static_cast<unsigned char>(rec[pos]);
  const size_t end = pos + 2 + u16(pos);
  for (pos += 2; pos + 4 <= end && end <= rec.size(); pos += 4 + u16(pos + 2))
    if (u16(pos) == type) return rec.substr(pos + 4, u16(pos + 2));
  return std::nullopt;
}

struct Outcome {
  CheckRun run;
  std::string second_hello;  ///< what the client wrote on the second connection
  const Fact* fact() const { return run.facts.find("tls.ticketbleed"); }
};

/// The check against a real OpenSSL server for the first handshake, then `script` for the
/// resumption.
Outcome run_against(bool tickets, const std::function<void(net::ScriptedTransport&)>& script) {
  auto ctx = server_context(tickets);
  Outcome out;
  int opened = 0;
  out.run = run_check(
      ticketbleed(),
      [&](net::NetError&) -> std::unique_ptr<net::Transport> {
        if (opened++ == 0) return std::make_unique<OpenSslServer>(ctx.get());
        auto r = std::make_unique<Recording>(out.second_hello);
        script(*r->t);
        return r;
      },
      "test.invalid", net::Millis(100), accepting({Version::Tls12}));
  return out;
}

}  // namespace

TEST_CASE("ticketbleed applies only with TLS 1.0-1.2; otherwise absent, no connection") {
  const Check& c = ticketbleed();
  CHECK(c.applies(accepting({Version::Tls12})).yes);
  CHECK(c.applies(accepting({Version::Tls10, Version::Tls13})).yes);
  CHECK_FALSE(c.applies(accepting({Version::Tls13})).yes);
  CHECK_FALSE(c.applies(accepting({Version::Ssl3})).yes);
  const CheckRun r = run_check(c, [](net::NetError&) -> std::unique_ptr<net::Transport> { return nullptr; }, "",
                               net::Millis(100), accepting({Version::Tls13, Version::Ssl2}));
  const Fact* f = r.facts.find("tls.ticketbleed");
  REQUIRE(f);
  CHECK(f->state == FactState::Absent);
  CHECK(f->reason.find("no TLS 1.0-1.2 accepted") != std::string::npos);
  CHECK(r.connections == 0);
}

TEST_CASE("ticketbleed: a refused connection is unknown with the reason") {
  const CheckRun r = run_check(
      ticketbleed(),
      [](net::NetError& e) -> std::unique_ptr<net::Transport> {
        e = net::NetError::make(net::NetErrorKind::Refused, "connection refused");
        return nullptr;
      },
      "", net::Millis(100), accepting({Version::Tls12}));
  const Fact* f = r.facts.find("tls.ticketbleed");
  REQUIRE(f);
  CHECK(f->state == FactState::Unknown);
  CHECK(f->reason == "ticketbleed check: connection refused");
  CHECK(r.connections == 0);
}

TEST_CASE("ticketbleed: a server issuing no session tickets is false after one connection") {
  const Outcome o = run_against(false, [](net::ScriptedTransport&) { FAIL("no second connection expected"); });
  REQUIRE(o.fact());
  CHECK(o.fact()->state == FactState::Known);
  CHECK(o.fact()->value == Value(false));
  CHECK(o.fact()->evidence == "TLSv1.2 handshake offering the SessionTicket extension: no session tickets (none issued)");
  CHECK(o.run.connections == 1);
}

TEST_CASE("ticketbleed: the resumption hello carries the ticket and a 16-byte session ID") {
  const Outcome o = run_against(true, [](net::ScriptedTransport& t) { t.reply(server_hello(ours())); });
  CHECK(o.run.connections == 2);
  const std::string& h = o.second_hello;
  REQUIRE(h.size() > 60);
  CHECK(h[0] == 22);
  CHECK(h[5] == 1);  // ClientHello
  CHECK(static_cast<size_t>((static_cast<unsigned char>(h[3]) << 8) | static_cast<unsigned char>(h[4])) == h.size() - 5);
  CHECK(static_cast<unsigned char>(h[43]) == 16);
  CHECK(h.substr(44, 16) == ours());
  CHECK(h.substr(44 + 16 + 2, 2) == std::string("\xC0\x2B", 2));  // the session's suite first
  const auto ticket = hello_extension(h, 0x0023);
  REQUIRE(ticket);
  CHECK(ticket->size() > 32);  // OpenSSL's tickets: name, IV, encrypted session, MAC
  REQUIRE(hello_extension(h, 0x0000));  // SNI
}

TEST_CASE("ticketbleed: what the ServerHello echoes decides") {
  SECTION("ours padded to 32 bytes: vulnerable, only lengths in the evidence") {
    const Outcome o = run_against(true, [](net::ScriptedTransport& t) { t.reply(server_hello(ours() + std::string(16, '\xAA'))); });
    REQUIRE(o.fact());
    CHECK(o.fact()->value == Value(true));
    CHECK(o.fact()->evidence.find("32-byte session ID starting with ours: 16 bytes beyond it came from the server (not kept)") !=
          std::string::npos);
    CHECK(o.fact()->evidence.find('\xAA') == std::string::npos);
    CHECK(o.fact()->evidence.rfind("TLSv1.2 resumption with the server's ", 0) == 0);
  }
  SECTION("ours as sent: not vulnerable") {
    const Outcome o = run_against(true, [](net::ScriptedTransport& t) { t.reply(server_hello(ours())); });
    REQUIRE(o.fact());
    CHECK(o.fact()->value == Value(false));
    CHECK(o.fact()->evidence.find("16-byte session ID, ours as sent") != std::string::npos);
  }
  SECTION("an ID of its own (a new session): not vulnerable") {
    const Outcome o = run_against(true, [](net::ScriptedTransport& t) { t.reply(server_hello(std::string(32, '\x42'))); });
    REQUIRE(o.fact());
    CHECK(o.fact()->value == Value(false));
    CHECK(o.fact()->evidence.find("32-byte session ID of its own") != std::string::npos);
  }
  SECTION("an alert: not vulnerable") {
    const Outcome o = run_against(true, [](net::ScriptedTransport& t) { t.reply(record(21, std::string("\x02\x28", 2))); });
    REQUIRE(o.fact());
    CHECK(o.fact()->value == Value(false));
    CHECK(o.fact()->evidence.find("refused it with a fatal alert 40 (handshake_failure)") != std::string::npos);
  }
  SECTION("a close: not vulnerable") {
    const Outcome o = run_against(true, [](net::ScriptedTransport& t) { t.close_after(); });
    REQUIRE(o.fact());
    CHECK(o.fact()->value == Value(false));
    CHECK(o.fact()->evidence.find("closed the connection instead of a ServerHello") != std::string::npos);
  }
  SECTION("silence: unknown, not a pass") {
    const Outcome o = run_against(true, [](net::ScriptedTransport& t) { t.stall_after(); });
    REQUIRE(o.fact());
    CHECK(o.fact()->state == FactState::Unknown);
    CHECK(o.fact()->reason.rfind("ticketbleed check: TLSv1.2 resumption", 0) == 0);
  }
  SECTION("the ServerHello split across records and after a HelloRequest still counts") {
    const std::string hello = server_hello(ours() + std::string(16, '\xAA'));
    const std::string msg = std::string{0, 0, 0, 0} + hello.substr(5);
    const Outcome o = run_against(true, [&](net::ScriptedTransport& t) {
      t.reply(record(22, msg.substr(0, 20))).reply(record(22, msg.substr(20)));
    });
    REQUIRE(o.fact());
    CHECK(o.fact()->value == Value(true));
  }
}

TEST_CASE("ticketbleed: a session with the extended master secret offers it again on resumption") {
  const Outcome o = run_against(true, [](net::ScriptedTransport& t) { t.reply(server_hello(ours())); });
  const auto ems = hello_extension(o.second_hello, 0x0017);
  REQUIRE(ems);  // OpenSSL 3 negotiates it by default
  CHECK(ems->empty());
}
