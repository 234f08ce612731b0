#include "probes/connect/nntp.h"

#include <catch2/catch.hpp>

#include "probes/connect/dialogue_fixture.h"

using namespace pp;
using namespace pp::connect;
using net::NetErrorKind;
using net::ScriptedTransport;

namespace {
using testing::Fixture;
}  // namespace

TEST_CASE("nntp: greeting and CAPABILITIES (RFC 3977 / 4642 / 4643 examples)") {
  Fixture f;
  f.t.reply("200 news.example.com InterNetNews server INN 2.7 ready (posting ok)\r\n")
      .reply("101 Capability list:\r\nVERSION 2\r\nREADER\r\nSTARTTLS\r\nAUTHINFO USER SASL\r\nSASL PLAIN "
             "DIGEST-MD5\r\nLIST ACTIVE NEWSGROUPS\r\n.\r\n");
  Session s;
  REQUIRE_FALSE(nntp::greet(f.c, s));
  CHECK(f.t.written() == "CAPABILITIES\r\n");
  CHECK(s.starttls_offered);
  CHECK(s.auth_mechs == StringList{"AUTHINFO-USER", "PLAIN", "DIGEST-MD5"});
  CHECK(s.auth_before_tls);
}

TEST_CASE("nntp: STARTTLS 382 accepted, 580 refused; injection reply detected") {
  {
    Fixture f;
    f.t.reply("382 Continue with TLS negotiation\r\n111 20240101000000\r\n");
    UpgradeReply up;
    REQUIRE_FALSE(nntp::starttls(f.c, nntp::injected_command(), up));
    CHECK(up.accepted);
    CHECK(f.t.written() == "STARTTLS\r\nDATE\r\n");
    CHECK(nntp::looks_like_reply(f.r.pending()));
  }
  {
    Fixture f;
    f.t.reply("580 Can not initiate TLS negotiation\r\n");
    UpgradeReply up;
    REQUIRE_FALSE(nntp::starttls(f.c, {}, up));
    CHECK_FALSE(up.accepted);
  }
}

TEST_CASE("nntp: refused session, garbage, no CAPABILITIES") {
  {
    Fixture f;
    f.t.reply("502 Permanently unavailable\r\n");
    Session s;
    CHECK(nntp::greet(f.c, s).kind == NetErrorKind::Other);
  }
  {
    Fixture f;
    f.t.reply("hello\r\n");
    Session s;
    CHECK(nntp::greet(f.c, s).kind == NetErrorKind::Malformed);
  }
  {
    Fixture f;
    f.t.reply("201 read only\r\n").reply("500 What?\r\n");
    Session s;
    REQUIRE_FALSE(nntp::greet(f.c, s));
    CHECK_FALSE(s.capabilities_known);
    CHECK(s.auth_state == FactState::Unknown);
  }
}
