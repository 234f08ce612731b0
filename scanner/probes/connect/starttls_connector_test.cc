#include <catch2/catch.hpp>

#include "probes/connect/starttls_connector.h"

using namespace pp;
using namespace pp::connect;
using net::NetError;
using net::NetErrorKind;
using net::ScriptedTransport;

namespace {

/// Hands out one scripted server per call, keeping a pointer to read what was written.
struct OneServer {
  ScriptedTransport* seen = nullptr;
  std::unique_ptr<ScriptedTransport> next = std::make_unique<ScriptedTransport>();
  net::Connector connector() {
    return [this](NetError&) -> std::unique_ptr<net::Transport> {
      seen = next.get();
      return std::move(next);
    };
  }
};

const StarttlsOptions kOpt{net::Millis(1000), "probe.test"};

}  // namespace

TEST_CASE("starttls connector: SMTP preamble leaves the transport right before the ClientHello") {
  OneServer s;
  s.next->reply("220 mx ESMTP\r\n").reply("250-mx\r\n250 STARTTLS\r\n").reply("220 2.0.0 Ready to start TLS\r\n");
  NetError err;
  auto t = starttls_connector(s.connector(), Protocol::Smtp, kOpt)(err);
  REQUIRE_FALSE(err);
  REQUIRE(t);
  CHECK(s.seen->written() == "EHLO probe.test\r\nSTARTTLS\r\n");
  std::string more;  // nothing of the dialogue is left to be read as TLS
  CHECK(t->read_some(more, 10, net::Millis(10)).kind == NetErrorKind::Closed);
}

TEST_CASE("starttls connector: bytes after the STARTTLS reply fail the connection (CVE-2011-0411 class)") {
  OneServer s;
  s.next->reply("220 mx ESMTP\r\n").reply("250 mx\r\n").reply("220 go ahead\r\n250 injected\r\n");
  NetError err;
  auto t = starttls_connector(s.connector(), Protocol::Smtp, kOpt)(err);
  CHECK_FALSE(t);
  CHECK(err.kind == NetErrorKind::Malformed);
  CHECK(err.message.rfind("server sent 14 unexpected bytes after STARTTLS reply", 0) == 0);
}

TEST_CASE("starttls connector: refusal and network errors carry the reason") {
  {
    OneServer s;
    s.next->reply("* OK ready\r\n").reply("a1 NO STARTTLS disabled\r\n");
    NetError err;
    ScriptedTransport* server = s.next.get();
    std::unique_ptr<ScriptedTransport> keep = std::move(s.next);
    net::Connector lend = [&](NetError&) -> std::unique_ptr<net::Transport> {
      struct Lent final : net::Transport {
        ScriptedTransport& t;
        explicit Lent(ScriptedTransport& s) : t(s) {}
        NetError write_all(std::string_view d, net::Millis w) override { return t.write_all(d, w); }
        NetError read_some(std::string& o, size_t m, net::Millis w) override { return t.read_some(o, m, w); }
        void close() override {}
      };
      return std::make_unique<Lent>(*server);
    };
    CHECK_FALSE(starttls_connector(lend, Protocol::Imap, kOpt)(err));
    CHECK(err.message == "STARTTLS refused: a1 NO STARTTLS disabled");
    CHECK(server->written() == "a1 STARTTLS\r\n");
  }
  {
    OneServer s;
    s.next->reply("+OK hi\r\n").stall_after();
    NetError err;
    StarttlsOptions quick{net::Millis(50)};
    CHECK_FALSE(starttls_connector(s.connector(), Protocol::Pop3, quick)(err));
    CHECK(err.kind == NetErrorKind::Timeout);
  }
  {
    net::Connector refused = [](NetError& e) -> std::unique_ptr<net::Transport> {
      e = NetError::make(NetErrorKind::Refused, "connection refused");
      return nullptr;
    };
    NetError err;
    CHECK_FALSE(starttls_connector(refused, Protocol::Nntp, kOpt)(err));
    CHECK(err.message == "connection refused");
  }
}

TEST_CASE("starttls connector: LDAP sends the ExtendedRequest first, POP3 STLS, NNTP STARTTLS") {
  {
    OneServer s;
    s.next->reply(std::string("\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00", 14));
    NetError err;
    auto t = starttls_connector(s.connector(), Protocol::Ldap, kOpt)(err);
    REQUIRE(t);
    CHECK(s.seen->written().substr(0, 2) == "\x30\x1d");
  }
  {
    OneServer s;
    s.next->reply("+OK ready\r\n").reply("+OK Begin TLS\r\n");
    NetError err;
    auto t = starttls_connector(s.connector(), Protocol::Pop3, kOpt)(err);
    REQUIRE(t);
    CHECK(s.seen->written() == "STLS\r\n");
  }
  {
    OneServer s;
    s.next->reply("200 news ready\r\n").reply("382 Continue\r\n");
    NetError err;
    auto t = starttls_connector(s.connector(), Protocol::Nntp, kOpt)(err);
    REQUIRE(t);
    CHECK(s.seen->written() == "STARTTLS\r\n");
  }
  {
    NetError err;
    OneServer s;
    CHECK_FALSE(starttls_connector(s.connector(), Protocol::Http, kOpt)(err));
    CHECK(err.message.find("no STARTTLS dialogue") == 0);
  }
}
