#include "probes/mail/mail_probe.h"

#include <catch2/catch.hpp>
#include <deque>

#include "probes/connect/ber.h"
#include "probes/connect/ldap.h"
#include "probes/mail/scripted_servers.h"

using namespace pp;
using namespace pp::connect;
using namespace pp::mail;
using net::NetError;
using net::NetErrorKind;
using net::ScriptedTransport;

namespace {

using testing::Servers;

const MailProbeOptions kOpt{net::Millis(1000), "probe.test", "", net::Millis(20)};

const Fact& get(const FactSet& f, const char* name) {
  const Fact* p = f.find(name);
  REQUIRE(p);
  return *p;
}

const char* kNames[] = {"mail.banner",          "mail.capabilities",     "mail.starttls.offered",
                        "mail.starttls.upgrade_ok", "mail.starttls.injection", "mail.auth_before_tls",
                        "mail.auth_mechs.plain",    "mail.auth_mechs.tls",     "mail.implicit_tls"};

}  // namespace

TEST_CASE("mail probe: SMTP with STARTTLS, no AUTH before TLS, injection answered in plaintext") {
  Servers s;
  s.add().reply("220 mx ESMTP Postfix\r\n").reply("250-mx\r\n250-STARTTLS\r\n250 8BITMIME\r\n").reply("220 Ready\r\n");
  s.add().reply("220 mx ESMTP Postfix\r\n").reply("250-mx\r\n250 STARTTLS\r\n").reply("220 Ready\r\n250 2.0.0 Ok\r\n");
  int conns = 0;
  FactSet f = probe_mail(s.connector(), Protocol::Smtp, TlsMode::StartTls, kOpt, conns);
  CHECK(conns == 2);
  for (const char* n : kNames) CHECK(f.find(n));
  CHECK(std::get<std::string>(get(f, "mail.banner").value) == "220 mx ESMTP Postfix");
  CHECK(std::get<StringList>(get(f, "mail.capabilities").value) == StringList{"STARTTLS", "8BITMIME"});
  CHECK(std::get<bool>(get(f, "mail.starttls.offered").value));
  CHECK(std::get<bool>(get(f, "mail.starttls.upgrade_ok").value));
  CHECK_FALSE(std::get<bool>(get(f, "mail.auth_before_tls").value));
  CHECK(get(f, "mail.auth_mechs.tls").state == FactState::Unknown);  // scripted: no socket
  CHECK_FALSE(std::get<bool>(get(f, "mail.implicit_tls").value));
  const Fact& inj = get(f, "mail.starttls.injection");
  REQUIRE(inj.state == FactState::Known);
  CHECK(std::get<bool>(inj.value));
  CHECK(inj.evidence.find("250 2.0.0 Ok") != std::string::npos);
  CHECK(s.used[1]->written() == "EHLO probe.test\r\nSTARTTLS\r\nNOOP\r\n");
}

TEST_CASE("mail probe: a correct server stays silent after STARTTLS: no injection") {
  Servers s;
  s.add().reply("+OK ready\r\n").reply("+OK\r\nSTLS\r\nUSER\r\n.\r\n").reply("+OK Begin TLS\r\n");
  s.add().reply("+OK ready\r\n").reply("+OK Begin TLS\r\n").stall_after();
  int conns = 0;
  FactSet f = probe_mail(s.connector(), Protocol::Pop3, TlsMode::StartTls, kOpt, conns);
  CHECK(conns == 2);
  CHECK(std::get<bool>(get(f, "mail.auth_before_tls").value));
  CHECK(std::get<StringList>(get(f, "mail.auth_mechs.plain").value) == StringList{"USER"});
  const Fact& inj = get(f, "mail.starttls.injection");
  REQUIRE(inj.state == FactState::Known);
  CHECK_FALSE(std::get<bool>(inj.value));
}

TEST_CASE("mail probe: STARTTLS refused → upgrade_ok false, no second connection") {
  Servers s;
  s.add().reply("220 mx\r\n").reply("250-mx\r\n250 STARTTLS\r\n").reply("454 4.7.0 TLS not available\r\n");
  int conns = 0;
  FactSet f = probe_mail(s.connector(), Protocol::Smtp, TlsMode::StartTls, kOpt, conns);
  CHECK(conns == 1);
  CHECK(std::get<bool>(get(f, "mail.starttls.offered").value));
  const Fact& up = get(f, "mail.starttls.upgrade_ok");
  REQUIRE(up.state == FactState::Known);
  CHECK_FALSE(std::get<bool>(up.value));
  CHECK(up.evidence.find("454") != std::string::npos);
  CHECK(get(f, "mail.starttls.injection").state == FactState::Absent);
}

TEST_CASE("mail probe: unexpected bytes after the STARTTLS reply make upgrade_ok false") {
  Servers s;
  s.add().reply("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n")
      .reply("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\na1 OK\r\n")
      .reply("a2 OK begin\r\n* BYE\r\n");
  s.add().reply("* OK hi\r\n").reply("a1 OK begin\r\n").stall_after();
  int conns = 0;
  FactSet f = probe_mail(s.connector(), Protocol::Imap, TlsMode::StartTls, kOpt, conns);
  const Fact& up = get(f, "mail.starttls.upgrade_ok");
  REQUIRE(up.state == FactState::Known);
  CHECK_FALSE(std::get<bool>(up.value));
  CHECK(up.evidence.find("server sent 7 unexpected bytes after STARTTLS reply") == 0);
  CHECK_FALSE(std::get<bool>(get(f, "mail.auth_before_tls").value));
}

TEST_CASE("mail probe: connection refused and garbage greeting → every fact unknown with the reason") {
  {
    Servers s;
    int conns = 0;
    FactSet f = probe_mail(s.connector(), Protocol::Imap, TlsMode::StartTls, kOpt, conns);
    CHECK(conns == 1);
    for (const char* n : kNames) {
      CHECK(get(f, n).state == FactState::Unknown);
      CHECK(get(f, n).reason == "connection refused");
    }
  }
  {
    Servers s;
    s.add().reply(std::string("\x16\x03\x01\x00\x05hello\r\n", 12));
    int conns = 0;
    FactSet f = probe_mail(s.connector(), Protocol::Smtp, TlsMode::StartTls, kOpt, conns);
    CHECK(get(f, "mail.starttls.offered").state == FactState::Unknown);
    INFO(get(f, "mail.starttls.offered").reason);
    CHECK(get(f, "mail.starttls.offered").reason.find("garbage greeting") == 0);
  }
}

TEST_CASE("mail probe: implicit TLS skips the plaintext dialogue") {
  Servers s;
  s.add().reply("* OK hi\r\n");
  int conns = 0;
  FactSet f = probe_mail(s.connector(), Protocol::Imap, TlsMode::Implicit, kOpt, conns);
  CHECK(conns == 1);
  CHECK(s.used[0]->written().empty());  // nothing sent in plaintext
  CHECK(get(f, "mail.starttls.offered").state == FactState::Absent);
  CHECK(get(f, "mail.starttls.offered").reason == "implicit TLS port");
  CHECK(get(f, "mail.auth_before_tls").state == FactState::Absent);
  CHECK(get(f, "mail.implicit_tls").state == FactState::Unknown);  // scripted: no socket to handshake on
}

TEST_CASE("mail probe: LDAP banner absent, auth_before_tls absent with the simple-bind reason") {
  Servers s;
  // RootDSE refused (resultCode 50), bogus bind refused (13), StartTLS accepted
  s.add()
      .reply(std::string("\x30\x0c\x02\x01\x01\x65\x07\x0a\x01\x32\x04\x00\x04\x00", 14))
      .reply(std::string("\x30\x0c\x02\x01\x02\x61\x07\x0a\x01\x0d\x04\x00\x04\x00", 14))
      .reply(std::string("\x30\x0c\x02\x01\x03\x78\x07\x0a\x01\x00\x04\x00\x04\x00", 14));
  s.add().reply(std::string("\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00", 14)).stall_after();
  int conns = 0;
  FactSet f = probe_mail(s.connector(), Protocol::Ldap, TlsMode::StartTls, kOpt, conns);
  CHECK(get(f, "mail.banner").state == FactState::Absent);
  CHECK(get(f, "mail.auth_before_tls").state == FactState::Absent);
  CHECK(get(f, "mail.auth_before_tls").reason.find("simple bind") != std::string::npos);
  CHECK(get(f, "mail.capabilities").state == FactState::Unknown);
  CHECK(std::get<bool>(get(f, "mail.starttls.offered").value));  // not advertised, but accepted
  CHECK(std::get<bool>(get(f, "mail.starttls.upgrade_ok").value));
  CHECK_FALSE(std::get<bool>(get(f, "mail.starttls.injection").value));
  CHECK(std::get<bool>(get(f, "mail.ldap.plaintext_bind_refused").value));
}

TEST_CASE("mail probe: LDAP without StartTLS that checks a plaintext password: bind not refused") {
  Servers s;
  // RootDSE without StartTLS, bogus bind invalidCredentials (49), StartTLS protocolError (2)
  const std::string nc = ber::tlv(ber::kSequence, ber::octets("namingContexts") +
                                                       ber::tlv(ber::kSet, ber::octets("dc=lab,dc=test")));
  const std::string entry = ber::tlv(ber::kSequence, ber::integer(1) + ber::tlv(ldap::kSearchResultEntry,
                                                                                 ber::octets("") + ber::tlv(ber::kSequence, nc)));
  s.add()
      .reply(entry + std::string("\x30\x0c\x02\x01\x01\x65\x07\x0a\x01\x00\x04\x00\x04\x00", 14))
      .reply(std::string("\x30\x0c\x02\x01\x02\x61\x07\x0a\x01\x31\x04\x00\x04\x00", 14))
      .reply(std::string("\x30\x0c\x02\x01\x03\x78\x07\x0a\x01\x02\x04\x00\x04\x00", 14));
  int conns = 0;
  FactSet f = probe_mail(s.connector(), Protocol::Ldap, TlsMode::StartTls, kOpt, conns);
  CHECK(conns == 1);
  const Fact& bind = get(f, "mail.ldap.plaintext_bind_refused");
  REQUIRE(bind.state == FactState::Known);
  CHECK_FALSE(std::get<bool>(bind.value));
  CHECK(bind.evidence.find("invalidCredentials") != std::string::npos);
  CHECK_FALSE(std::get<bool>(get(f, "mail.starttls.offered").value));
  // the only bind sent names nobody
  CHECK(s.used[0]->written().find("cn=policyprobe-plaintext-bind-check,dc=lab,dc=test") != std::string::npos);
}

TEST_CASE("mail probe: the LDAP bind fact is absent on other protocols and on implicit TLS") {
  {
    Servers s;
    s.add().reply("220 mx\r\n").reply("250-mx\r\n250 STARTTLS\r\n").reply("454 4.7.0 TLS not available\r\n");
    int conns = 0;
    FactSet f = probe_mail(s.connector(), Protocol::Smtp, TlsMode::StartTls, kOpt, conns);
    CHECK(get(f, "mail.ldap.plaintext_bind_refused").state == FactState::Absent);
    CHECK(s.used[0]->written().find("policyprobe-not-a-password") == std::string::npos);
  }
  {
    Servers s;
    s.add().stall_after();
    int conns = 0;
    FactSet f = probe_mail(s.connector(), Protocol::Ldap, TlsMode::Implicit, kOpt, conns);
    CHECK(get(f, "mail.ldap.plaintext_bind_refused").state == FactState::Absent);
    CHECK(s.used[0]->written().empty());
  }
  {
    Servers s;  // refused connection on a plaintext LDAP port: unknown, never absent
    int conns = 0;
    FactSet f = probe_mail(s.connector(), Protocol::Ldap, TlsMode::StartTls, kOpt, conns);
    CHECK(get(f, "mail.ldap.plaintext_bind_refused").state == FactState::Unknown);
  }
}

TEST_CASE("mail probe: STARTTLS refused only when a command is pipelined behind it: no injection") {
  Servers s;
  s.add().reply("200 news\r\n").reply("101 caps\r\nSTARTTLS\r\n.\r\n").reply("382 go\r\n");
  s.add().reply("200 news\r\n").reply("580 pipelining not allowed here\r\n");
  int conns = 0;
  FactSet f = probe_mail(s.connector(), Protocol::Nntp, TlsMode::StartTls, kOpt, conns);
  const Fact& inj = get(f, "mail.starttls.injection");
  REQUIRE(inj.state == FactState::Known);
  CHECK_FALSE(std::get<bool>(inj.value));
  CHECK(inj.evidence.find("580") != std::string::npos);
  CHECK(s.used[1]->written() == "STARTTLS\r\nDATE\r\n");
}
