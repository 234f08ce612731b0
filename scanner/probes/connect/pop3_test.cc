#include "probes/connect/pop3.h"

#include <catch2/catch.hpp>

#include "probes/connect/dialogue_fixture.h"

using namespace pp;
using namespace pp::connect;
using net::NetErrorKind;
using net::ScriptedTransport;

namespace {
using testing::Fixture;
}  // namespace

TEST_CASE("pop3: dovecot greeting and CAPA without USER before TLS") {
  Fixture f;
  f.t.reply("+OK Dovecot (Debian) ready.\r\n")
      .reply("+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\nSASL\r\n.\r\n");
  Session s;
  REQUIRE_FALSE(pop3::greet(f.c, s));
  CHECK(f.t.written() == "CAPA\r\n");
  CHECK(s.banner == "+OK Dovecot (Debian) ready.");
  CHECK(s.starttls_offered);
  CHECK(s.auth_mechs.empty());
  CHECK_FALSE(s.auth_before_tls);
  CHECK(s.capabilities.size() == 8);
}

TEST_CASE("pop3: USER and SASL PLAIN before TLS, dot-stuffed line") {
  Fixture f;
  f.t.reply("+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\n")
      .reply("+OK Capability list follows\nUSER\nSASL PLAIN LOGIN\n..odd\n.\n");
  Session s;
  REQUIRE_FALSE(pop3::greet(f.c, s));
  CHECK(s.auth_mechs == StringList{"USER", "PLAIN", "LOGIN"});
  CHECK(s.auth_before_tls);
  CHECK(s.capabilities.back() == ".ODD");
  CHECK_FALSE(s.starttls_offered);
}

TEST_CASE("pop3: server without CAPA is fine, auth before TLS is unknown") {
  Fixture f;
  f.t.reply("+OK old server\r\n").reply("-ERR unknown command\r\n");
  Session s;
  REQUIRE_FALSE(pop3::greet(f.c, s));
  CHECK_FALSE(s.capabilities_known);
  CHECK(s.auth_state == FactState::Unknown);
  CHECK(s.auth_note.find("no CAPA") != std::string::npos);
}

TEST_CASE("pop3: STLS refused and accepted") {
  {
    Fixture f;
    f.t.reply("-ERR TLS support not configured\r\n");
    UpgradeReply up;
    REQUIRE_FALSE(pop3::starttls(f.c, {}, up));
    CHECK_FALSE(up.accepted);
    CHECK(f.t.written() == "STLS\r\n");
  }
  {
    Fixture f;
    f.t.reply("+OK Begin TLS negotiation now.\r\n");
    UpgradeReply up;
    REQUIRE_FALSE(pop3::starttls(f.c, {}, up));
    CHECK(up.accepted);
    CHECK(f.r.pending().empty());
  }
}

TEST_CASE("pop3: garbage greeting, endless CAPA, early close") {
  {
    Fixture f;
    f.t.reply("220 smtp here\r\n");
    Session s;
    CHECK(pop3::greet(f.c, s).kind == NetErrorKind::Malformed);
  }
  {
    Fixture f;
    std::string endless = "+OK\r\n";
    for (int i = 0; i < 1000; ++i) endless += "X-CAP\r\n";
    f.t.reply("+OK hi\r\n").reply(endless);
    Session s;
    CHECK(pop3::greet(f.c, s).kind == NetErrorKind::TooLarge);
  }
  {
    Fixture f;
    f.t.reply("+OK hi\r\n").reply("+OK\r\nSTLS\r\n");
    Session s;
    CHECK(pop3::greet(f.c, s).kind == NetErrorKind::Closed);
  }
}
