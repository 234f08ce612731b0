#include "probes/tls/handshake.h"

#include <catch2/catch.hpp>
#include <memory>

using namespace pp;
using namespace pp::tls;

namespace {

Attempt one(const std::function<void(net::ScriptedTransport&)>& script, int& connections) {
  return exchange_hello(
      [&script](net::NetError&) -> std::unique_ptr<net::Transport> {
        auto t = std::make_unique<net::ScriptedTransport>();
        script(*t);
        return t;
      },
      base_spec(Version::Tls12, "example.com"), ReadUntil::Hello, net::Millis(200), connections);
}

}  // namespace

TEST_CASE("one hello exchange: a clean no, a bad-hello alert, a close and a refusal") {
  int n = 0;
  const Attempt no = one([](auto& t) { t.reply(std::string("\x15\x03\x03\x00\x02\x02\x28", 7)); }, n);
  CHECK(no.outcome == Outcome::Refused);
  CHECK(no.why == "alert 40 (handshake_failure)");
  const Attempt bad = one([](auto& t) { t.reply(std::string("\x15\x03\x03\x00\x02\x02\x32", 7)); }, n);
  CHECK(bad.outcome == Outcome::Failed);  // decode_error: our hello, not the server's choice
  const Attempt closed = one([](auto& t) { t.close_after(); }, n);
  CHECK(closed.outcome == Outcome::Refused);
  CHECK(closed.why == "connection closed after the ClientHello");
  CHECK(n == 3);
  const Attempt refused = exchange_hello(
      [](net::NetError& e) -> std::unique_ptr<net::Transport> {
        e = net::NetError::make(net::NetErrorKind::Refused, "connection refused");
        return nullptr;
      },
      base_spec(Version::Tls12, ""), ReadUntil::Hello, net::Millis(200), n);
  CHECK(refused.outcome == Outcome::Failed);
  CHECK(refused.why == "connection refused");
  CHECK(n == 3);  // a refused connection is not counted
}

TEST_CASE("the base hello per version: no extensions on SSLv3, ALPN from TLS 1.0, no DEFLATE in TLS 1.3") {
  CHECK_FALSE(base_spec(Version::Ssl3, "a").extensions);
  CHECK(base_spec(Version::Ssl3, "a").alpn.empty());
  CHECK(base_spec(Version::Tls10, "a").alpn == std::vector<std::string>{"h2", "http/1.1"});
  CHECK_FALSE(base_spec(Version::Tls13, "a").offer_deflate);
  CHECK(base_spec(Version::Tls12, "mail.example.com").sni == "mail.example.com");
  CHECK(suite_name(0x002F) == "TLS_RSA_WITH_AES_128_CBC_SHA");
  CHECK(suite_name(0xFAFA) == "0xFAFA");
  CHECK(duration_text(net::Millis(2000)) == "2 s");
  CHECK(duration_text(net::Millis(1500)) == "1.5 s");
}
