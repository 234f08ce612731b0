#include <catch2/catch.hpp>
#include <memory>

#include "probes/tls/checks/run_check.h"
#include "probes/tls/checks/table.h"

using namespace pp;
using namespace pp::tls;
using namespace pp::tls::checks;

namespace {

const Check& renegotiation() {
  for (const auto& c : check_table())
    if (c.name == "renegotiation") return c;
  FAIL("no renegotiation check in the table");
  throw;
}

Observation accepting(std::initializer_list<Version> versions) {
  Observation o;
  for (Version v : versions) {
    o.at(v).state = VState::Supported;
    o.at(v).suites = {0x002F};
    if (v != Version::Tls13 && v != Version::Ssl2 && (!o.highest_legacy || *o.highest_legacy < v)) o.highest_legacy = v;
  }
  return o;
}

}  // namespace

TEST_CASE("renegotiation applies only with TLS 1.0-1.2; otherwise absent, saying why") {
  const Check& c = renegotiation();
  CHECK(c.applies(accepting({Version::Tls12})).yes);
  CHECK(c.applies(accepting({Version::Tls10, Version::Tls13})).yes);
  const Applies only13 = c.applies(accepting({Version::Tls13}));
  CHECK_FALSE(only13.yes);
  CHECK(only13.why_not == "only TLS 1.3 accepted: renegotiation does not exist there");
  const Applies only2 = c.applies(accepting({Version::Ssl2}));
  CHECK_FALSE(only2.yes);
  CHECK(only2.why_not == "only SSLv2 accepted: it has no renegotiation");
  const Applies ssl3 = c.applies(accepting({Version::Ssl3}));
  CHECK_FALSE(ssl3.yes);
  CHECK(ssl3.why_not.find("cannot finish an SSLv3 handshake") != std::string::npos);

  const CheckRun r = run_check(c, [](net::NetError&) -> std::unique_ptr<net::Transport> { return nullptr; }, "",
                               net::Millis(100), accepting({Version::Tls13}));
  const Fact* f = r.facts.find("tls.renegotiation.client_initiated");
  REQUIRE(f);
  CHECK(f->state == FactState::Absent);
  CHECK(r.connections == 0);
}

TEST_CASE("renegotiation over a scripted server: a refused connection and a close are unknown, counted") {
  const Check& c = renegotiation();
  const Observation o = accepting({Version::Tls12});
  SECTION("refused: no connection, unknown with the reason") {
    const CheckRun r = run_check(
        c,
        [](net::NetError& e) -> std::unique_ptr<net::Transport> {
          e = net::NetError::make(net::NetErrorKind::Refused, "connection refused");
          return nullptr;
        },
        "", net::Millis(100), o);
    const Fact* f = r.facts.find("tls.renegotiation.client_initiated");
    REQUIRE(f);
    CHECK(f->state == FactState::Unknown);
    CHECK(f->reason == "renegotiation check: connection refused");
    CHECK(r.connections == 0);
  }
  SECTION("closed before a ServerHello: one connection, a ClientHello sent with the SNI, unknown") {
    std::string written;
    struct Keep final : net::Transport {
      std::unique_ptr<net::ScriptedTransport> t = std::make_unique<net::ScriptedTransport>();
      std::string& sink;
      explicit Keep(std::string& s) : sink(s) { t->close_after(); }
      net::NetError write_all(std::string_view d, net::Millis to) override {
        sink.append(d);
        return t->write_all(d, to);
      }
      net::NetError read_some(std::string& out, size_t max, net::Millis to) override { return t->read_some(out, max, to); }
      void close() override { t->close(); }
    };
    const CheckRun r = run_check(
        c, [&written](net::NetError&) -> std::unique_ptr<net::Transport> { return std::make_unique<Keep>(written); },
        "mail.example.com", net::Millis(100), o);
    const Fact* f = r.facts.find("tls.renegotiation.client_initiated");
    REQUIRE(f);
    CHECK(f->state == FactState::Unknown);
    CHECK(f->reason.find("the first handshake did not complete") != std::string::npos);
    CHECK(r.connections == 1);
    REQUIRE(written.size() > 5);
    CHECK(written[0] == 0x16);  // a handshake record: the ClientHello
    CHECK(written.find("mail.example.com") != std::string::npos);
  }
}
