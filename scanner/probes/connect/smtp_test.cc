#include "probes/connect/smtp.h"

#include <catch2/catch.hpp>

#include "probes/connect/dialogue_fixture.h"

using namespace pp;
using namespace pp::connect;
using net::NetErrorKind;
using net::ScriptedTransport;

namespace {

/// Postfix 3.7 as it answers on port 25 with smtpd_tls_security_level=may and SASL enabled
/// only after TLS (smtpd_tls_auth_only=yes): the EHLO reply carries STARTTLS and no AUTH.
const char* kPostfixGreeting = "220 mx.example.org ESMTP Postfix (Debian/GNU)\r\n";
const char* kPostfixEhlo =
    "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n"
    "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n";

using testing::Fixture;

}  // namespace

TEST_CASE("smtp: postfix greeting and EHLO") {
  Fixture f;
  f.t.reply(kPostfixGreeting).reply(kPostfixEhlo);
  Session s;
  REQUIRE_FALSE(smtp::greet(f.c, s));
  CHECK(f.t.written() == "EHLO probe.test\r\n");
  CHECK(s.banner == "220 mx.example.org ESMTP Postfix (Debian/GNU)");
  CHECK(s.starttls_offered);
  CHECK(s.capabilities.size() == 10);
  CHECK(s.capabilities[1] == "SIZE");
  CHECK(s.auth_mechs.empty());
  CHECK(s.auth_state == FactState::Known);
  CHECK_FALSE(s.auth_before_tls);
}

TEST_CASE("smtp: multi-line banner, AUTH and old AUTH= form, bare LF") {
  Fixture f;
  f.t.reply("220-mail.example.com Microsoft ESMTP MAIL Service ready\n220 second line\n")
      .reply("250-mail.example.com Hello\n250-AUTH GSSAPI NTLM LOGIN\n250-AUTH=LOGIN PLAIN\n250 OK\n");
  Session s;
  REQUIRE_FALSE(smtp::greet(f.c, s));
  CHECK(s.banner == "220-mail.example.com Microsoft ESMTP MAIL Service ready | 220 second line");
  CHECK_FALSE(s.starttls_offered);
  CHECK(s.auth_mechs == StringList{"GSSAPI", "NTLM", "LOGIN", "PLAIN"});
  CHECK(s.auth_before_tls);
  CHECK(s.auth_note.find("AUTH GSSAPI") != std::string::npos);
}

TEST_CASE("smtp: STARTTLS accepted leaves nothing consumed") {
  Fixture f;
  f.t.reply("220 2.0.0 Ready to start TLS\r\n");
  UpgradeReply up;
  REQUIRE_FALSE(smtp::starttls(f.c, {}, up));
  CHECK(up.accepted);
  CHECK(f.t.written() == "STARTTLS\r\n");
  CHECK(f.r.pending().empty());
}

TEST_CASE("smtp: STARTTLS advertised but refused with 454") {
  Fixture f;
  f.t.reply("454 4.7.0 TLS not available due to local problem\r\n");
  UpgradeReply up;
  REQUIRE_FALSE(smtp::starttls(f.c, {}, up));
  CHECK_FALSE(up.accepted);
  CHECK(up.text == "454 4.7.0 TLS not available due to local problem");
}

TEST_CASE("smtp: bytes injected after the 220 stay pending") {
  Fixture f;
  f.t.reply("220 Ready to start TLS\r\n250 NOOP ok\r\n");
  UpgradeReply up;
  REQUIRE_FALSE(smtp::starttls(f.c, "NOOP\r\n", up));
  CHECK(up.accepted);
  CHECK(f.t.written() == "STARTTLS\r\nNOOP\r\n");
  CHECK(f.r.pending() == "250 NOOP ok\r\n");
  CHECK(smtp::looks_like_reply(f.r.pending()));
  CHECK_FALSE(smtp::looks_like_reply("\x15\x03\x03\x00\x02"));
}

TEST_CASE("smtp: garbage greeting, refused session, early close, mixed codes") {
  {
    Fixture f;
    f.t.reply("HTTP/1.1 400 Bad Request\r\n");
    Session s;
    auto err = smtp::greet(f.c, s);
    CHECK(err.kind == NetErrorKind::Malformed);
    CHECK(err.message.find("garbage greeting") == 0);
  }
  {
    Fixture f;
    f.t.reply("554 5.7.1 no service for you\r\n");
    Session s;
    auto err = smtp::greet(f.c, s);
    CHECK(err.kind == NetErrorKind::Other);
    CHECK(err.message.find("554") != std::string::npos);
  }
  {
    Fixture f;
    f.t.reply(kPostfixGreeting).reply("250-mx\r\n250-PIPE");
    Session s;
    CHECK(smtp::greet(f.c, s).kind == NetErrorKind::Closed);
  }
  {
    Fixture f;
    f.t.reply("220-a\r\n250 b\r\n");
    smtp::Reply r;
    CHECK(smtp::read_reply(f.c, r).kind == NetErrorKind::Malformed);
  }
}

TEST_CASE("smtp: EHLO refused falls back to no capabilities, not an error") {
  Fixture f;
  f.t.reply("220 old.example.net SMTP\r\n").reply("502 5.5.2 Error: command not recognized\r\n");
  Session s;
  REQUIRE_FALSE(smtp::greet(f.c, s));
  CHECK(s.capabilities.empty());
  CHECK_FALSE(s.starttls_offered);
  CHECK(s.capabilities_known);
}

TEST_CASE("smtp: EHLO after TLS lists the mechanisms offered there") {
  Fixture f;
  f.t.reply("250-mx.example.org\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250 CHUNKING\r\n");
  Session s;
  REQUIRE_FALSE(smtp::after_tls(f.c, s));
  CHECK(s.auth_mechs == StringList{"PLAIN", "LOGIN"});
}
