#include "probes/connect/imap.h"

#include <catch2/catch.hpp>

#include "probes/connect/dialogue_fixture.h"

using namespace pp;
using namespace pp::connect;
using net::NetErrorKind;
using net::ScriptedTransport;

namespace {

/// Dovecot 2.3 with disable_plaintext_auth = yes (its default): LOGINDISABLED before TLS.
const char* kDovecotGreeting =
    "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS LOGINDISABLED] "
    "Dovecot (Debian) ready.\r\n";
const char* kDovecotCapability =
    "* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS LOGINDISABLED\r\n"
    "a1 OK Pre-login capabilities listed, post-login capabilities have more.\r\n";

using testing::Fixture;

}  // namespace

TEST_CASE("imap: dovecot greeting and CAPABILITY, LOGINDISABLED") {
  Fixture f;
  f.t.reply(kDovecotGreeting).reply(kDovecotCapability);
  Session s;
  REQUIRE_FALSE(imap::greet(f.c, s));
  CHECK(f.t.written() == "a1 CAPABILITY\r\n");
  CHECK(s.banner.find("Dovecot (Debian) ready.") != std::string::npos);
  CHECK(s.starttls_offered);
  CHECK(s.auth_mechs.empty());
  CHECK(s.auth_state == FactState::Known);
  CHECK_FALSE(s.auth_before_tls);
}

TEST_CASE("imap: LOGIN allowed and AUTH=PLAIN before TLS") {
  Fixture f;
  f.t.reply("* OK IMAP4rev1 Service Ready\r\n")
      .reply("* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN AUTH=GSSAPI\r\n* OK extra\r\na1 OK done\r\n");
  Session s;
  REQUIRE_FALSE(imap::greet(f.c, s));
  CHECK(s.auth_mechs == StringList{"PLAIN", "GSSAPI", "LOGIN-COMMAND"});
  CHECK(s.auth_before_tls);
  CHECK(s.auth_note.find("LOGIN command") != std::string::npos);
}

TEST_CASE("imap: STARTTLS refused with NO, accepted with OK") {
  {
    Fixture f;
    f.c.next_id = 2;
    f.t.reply("a2 NO [ALERT] TLS unavailable\r\n");
    UpgradeReply up;
    REQUIRE_FALSE(imap::starttls(f.c, {}, up));
    CHECK(f.t.written() == "a2 STARTTLS\r\n");
    CHECK_FALSE(up.accepted);
    CHECK(up.text == "a2 NO [ALERT] TLS unavailable");
  }
  {
    Fixture f;
    f.c.next_id = 2;
    f.t.reply("a2 OK Begin TLS negotiation now.\r\nz9 OK NOOP completed\r\n");
    UpgradeReply up;
    REQUIRE_FALSE(imap::starttls(f.c, imap::injected_command(), up));
    CHECK(up.accepted);
    CHECK(f.t.written() == "a2 STARTTLS\r\nz9 NOOP\r\n");
    CHECK(imap::looks_like_reply(f.r.pending()));
  }
}

TEST_CASE("imap: garbage greeting, BYE, junk in a reply") {
  {
    Fixture f;
    f.t.reply("SSH-2.0-OpenSSH_9.2\r\n");
    Session s;
    CHECK(imap::greet(f.c, s).kind == NetErrorKind::Malformed);
  }
  {
    Fixture f;
    f.t.reply("* BYE too many connections\r\n");
    Session s;
    CHECK(imap::greet(f.c, s).kind == NetErrorKind::Other);
  }
  {
    Fixture f;
    f.t.reply("* OK hi\r\n").reply("garbage\r\na1 OK\r\n");
    Session s;
    CHECK(imap::greet(f.c, s).kind == NetErrorKind::Malformed);
  }
  {
    Fixture f;  // untagged lines forever: the reply cap stops it
    std::string endless;
    for (int i = 0; i < 1000; ++i) endless += "* CAPABILITY X\r\n";
    f.t.reply("* OK hi\r\n").reply(endless);
    Session s;
    CHECK(imap::greet(f.c, s).kind == NetErrorKind::TooLarge);
  }
}

TEST_CASE("imap: capabilities after TLS") {
  Fixture f;
  f.c.next_id = 3;
  f.t.reply("* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=SCRAM-SHA-256\r\na3 OK listed\r\n");
  Session s;
  REQUIRE_FALSE(imap::after_tls(f.c, s));
  CHECK(s.auth_mechs == StringList{"PLAIN", "SCRAM-SHA-256", "LOGIN-COMMAND"});
}
