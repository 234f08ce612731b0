#include "probes/connect/sasl_ntlm.h"

#include <catch2/catch.hpp>

#include "probes/connect/dialogue_fixture.h"
#include "probes/ntlm/base64.h"
#include "probes/ntlm/challenge_builder.h"
#include "probes/ntlm/message.h"

using namespace pp;
using namespace pp::connect;
using net::NetErrorKind;
using net::ScriptedTransport;

namespace {
using testing::Fixture;

const std::string kType1 = ntlm::base64_encode(ntlm::negotiate_message());
const std::string kType2 = ntlm::base64_encode(ntlm::build_challenge({}));
}  // namespace

TEST_CASE("sasl ntlm: SMTP AUTH NTLM up to the CHALLENGE, then '*'") {
  Fixture f;
  f.t.reply("334 NTLM supported\r\n").reply("334 " + kType2 + "\r\n").reply("501 5.7.0 Authentication cancelled\r\n");
  NtlmExchange ex;
  REQUIRE_FALSE(sasl_ntlm(f.c, Protocol::Smtp, ex));
  CHECK(f.t.written() == "AUTH NTLM\r\n" + kType1 + "\r\n*\r\n");
  CHECK(ex.challenged);
  CHECK(ex.token == kType2);
  CHECK(ex.evidence.find("AUTH NTLM -> + NTLM supported; NEGOTIATE -> + (" + std::to_string(kType2.size()) +
                         " base64 characters)") == 0);
  CHECK(ex.evidence.find("* -> 501 5.7.0 Authentication cancelled") != std::string::npos);
}

TEST_CASE("sasl ntlm: IMAP AUTHENTICATE NTLM skips untagged lines, ends on the tagged BAD") {
  Fixture f;
  f.t.reply("+ \r\n").reply("* OK still here\r\n+ " + kType2 + "\r\n").reply("a1 BAD AUTHENTICATE cancelled\r\n");
  NtlmExchange ex;
  REQUIRE_FALSE(sasl_ntlm(f.c, Protocol::Imap, ex));
  CHECK(f.t.written() == "a1 AUTHENTICATE NTLM\r\n" + kType1 + "\r\n*\r\n");
  CHECK(ex.challenged);
  CHECK(ex.token == kType2);
  CHECK(f.c.next_id == 2);
}

TEST_CASE("sasl ntlm: POP3 AUTH NTLM, and a NEGOTIATE refused without a CHALLENGE") {
  Fixture f;
  f.t.reply("+\r\n").reply("-ERR NTLM negotiation refused\r\n");
  NtlmExchange ex;
  REQUIRE_FALSE(sasl_ntlm(f.c, Protocol::Pop3, ex));
  CHECK(f.t.written() == "AUTH NTLM\r\n" + kType1 + "\r\n");  // nothing to cancel
  CHECK_FALSE(ex.challenged);
  CHECK(ex.refusal == "-ERR NTLM negotiation refused");
}

TEST_CASE("sasl ntlm: the mechanism refused at once") {
  Fixture f;
  f.t.reply("504 5.7.4 Unrecognized authentication type\r\n");
  NtlmExchange ex;
  REQUIRE_FALSE(sasl_ntlm(f.c, Protocol::Smtp, ex));
  CHECK(f.t.written() == "AUTH NTLM\r\n");
  CHECK_FALSE(ex.challenged);
  CHECK(ex.refusal == "504 5.7.4 Unrecognized authentication type");
}

TEST_CASE("sasl ntlm: garbage and a closed connection are errors; LDAP has no exchange") {
  Fixture f;
  f.t.reply("HTTP/1.1 400 Bad Request\r\n");
  NtlmExchange ex;
  auto err = sasl_ntlm(f.c, Protocol::Pop3, ex);
  REQUIRE(err);
  CHECK(err.kind == NetErrorKind::Malformed);

  Fixture g;
  g.t.reply("334 \r\n").close_after();
  err = sasl_ntlm(g.c, Protocol::Smtp, ex);
  REQUIRE(err);

  Fixture h;
  CHECK(sasl_ntlm(h.c, Protocol::Ldap, ex));
  CHECK(h.t.written().empty());
}

TEST_CASE("sasl ntlm: goodbye is QUIT, or LOGOUT with the next IMAP tag") {
  Fixture f;
  f.t.reply("221 Bye\r\n");
  say_goodbye(f.c, Protocol::Smtp);
  CHECK(f.t.written() == "QUIT\r\n");
  Fixture g;
  g.c.next_id = 3;
  g.t.reply("* BYE\r\n");
  say_goodbye(g.c, Protocol::Imap);
  CHECK(g.t.written() == "a3 LOGOUT\r\n");
}
