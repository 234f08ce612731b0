#include "probes/mail/ntlm_probe.h"

#include <catch2/catch.hpp>
#include <deque>
#include <memory>

#include "probes/mail/scripted_servers.h"
#include "probes/ntlm/base64.h"
#include "probes/ntlm/challenge_builder.h"
#include "probes/ntlm/message.h"

using namespace pp;
using namespace pp::mail;
using net::NetError;
using net::NetErrorKind;
using net::ScriptedTransport;

namespace {

using testing::Servers;

const MailProbeOptions kOpt{net::Millis(1000), "probe.test", "", net::Millis(20)};

FactSet mechs(StringList plain, bool tls_known = true, StringList tls = {}) {
  FactSet f;
  f.put(Fact::known("mail.auth_mechs.plain", std::move(plain), "250-AUTH ..."));
  f.put(tls_known ? Fact::known("mail.auth_mechs.tls", std::move(tls), "inside TLS")
                  : Fact::unknown("mail.auth_mechs.tls", "no socket to run TLS over"));
  return f;
}

const Fact& get(const FactSet& f, const std::string& name) {
  const Fact* p = f.find(name);
  INFO(name);
  REQUIRE(p);
  return *p;
}

const std::string kType2 = ntlm::base64_encode(ntlm::build_challenge({}));

}  // namespace

TEST_CASE("mail ntlm: SMTP offering NTLM before TLS discloses its names on one more connection") {
  Servers s;
  s.add()
      .reply("220 mx Microsoft ESMTP MAIL Service ready\r\n")
      .reply("250-mx Hello\r\n250-AUTH NTLM\r\n250 STARTTLS\r\n")
      .reply("334 NTLM supported\r\n")
      .reply("334 " + kType2 + "\r\n")
      .reply("501 5.7.3 Authentication cancelled\r\n")
      .reply("221 2.0.0 Bye\r\n");
  int conns = 0;
  const FactSet f = probe_ntlm(s.connector(), Protocol::Smtp, TlsMode::StartTls, mechs({"NTLM"}), kOpt, conns);
  CHECK(conns == 1);
  CHECK(std::get<bool>(get(f, "mail.ntlm.offered").value));
  CHECK(std::get<std::string>(get(f, "mail.ntlm.netbios_computer").value) == "EXCH01");
  CHECK(std::get<std::string>(get(f, "mail.ntlm.dns_computer").value) == "exch01.corp.example.local");
  CHECK(std::get<std::string>(get(f, "mail.ntlm.os_version").value) == "10.0.17763");
  CHECK(std::get<StringList>(get(f, "mail.ntlm.internal_names").value).size() == 4);
  const std::string& w = s.used[0]->written();
  CHECK(w.find("AUTH NTLM\r\nTlRMTVNTUAAB") != std::string::npos);
  CHECK(w.substr(w.size() - 9) == "*\r\nQUIT\r\n");
}

TEST_CASE("mail ntlm: not advertised: false, no connection; LDAP and NNTP: absent") {
  Servers s;
  int conns = 0;
  FactSet f = probe_ntlm(s.connector(), Protocol::Imap, TlsMode::StartTls, mechs({"PLAIN"}, true, {"PLAIN"}), kOpt, conns);
  CHECK(conns == 0);
  CHECK_FALSE(std::get<bool>(get(f, "mail.ntlm.offered").value));
  CHECK(get(f, "mail.ntlm.internal_names").state == FactState::Absent);

  f = probe_ntlm(s.connector(), Protocol::Ldap, TlsMode::StartTls, mechs({}), kOpt, conns);
  CHECK(get(f, "mail.ntlm.offered").state == FactState::Absent);
  CHECK(get(f, "mail.ntlm.dns_tree").state == FactState::Absent);
  CHECK(conns == 0);
}

TEST_CASE("mail ntlm: mechanisms inside TLS unread: offered is unknown, never false") {
  Servers s;
  int conns = 0;
  const FactSet f = probe_ntlm(s.connector(), Protocol::Pop3, TlsMode::StartTls, mechs({"USER"}, false), kOpt, conns);
  CHECK(get(f, "mail.ntlm.offered").state == FactState::Unknown);
  CHECK(get(f, "mail.ntlm.internal_names").state == FactState::Unknown);
  CHECK(conns == 0);
}

TEST_CASE("mail ntlm: NEGOTIATE refused: no names; a broken CHALLENGE or a lost connection: unknown") {
  Servers s;
  s.add().reply("+OK ready\r\n").reply("+OK\r\nSASL NTLM\r\n.\r\n").reply("+\r\n").reply("-ERR refused\r\n").reply("+OK bye\r\n");
  s.add().reply("+OK ready\r\n").reply("+OK\r\nSASL NTLM\r\n.\r\n").reply("+\r\n").reply("+ TlRMTVNTUAACAAAA\r\n").reply("-ERR\r\n");
  s.add().reply("+OK ready\r\n").reply("+OK\r\nSASL NTLM\r\n.\r\n").reply("+\r\n").close_after();
  int conns = 0;
  FactSet f = probe_ntlm(s.connector(), Protocol::Pop3, TlsMode::StartTls, mechs({"NTLM"}), kOpt, conns);
  CHECK(std::get<StringList>(get(f, "mail.ntlm.internal_names").value).empty());
  CHECK(get(f, "mail.ntlm.dns_domain").reason.find("the NEGOTIATE got no CHALLENGE (-ERR refused)") != std::string::npos);

  f = probe_ntlm(s.connector(), Protocol::Pop3, TlsMode::StartTls, mechs({"NTLM"}), kOpt, conns);
  CHECK(get(f, "mail.ntlm.internal_names").state == FactState::Unknown);
  CHECK(get(f, "mail.ntlm.internal_names").reason.find("does not decode: an NTLM CHALLENGE_MESSAGE has at least 32") !=
        std::string::npos);

  f = probe_ntlm(s.connector(), Protocol::Pop3, TlsMode::StartTls, mechs({"NTLM"}), kOpt, conns);
  CHECK(get(f, "mail.ntlm.internal_names").state == FactState::Unknown);
  CHECK(get(f, "mail.ntlm.internal_names").reason.rfind("NTLM exchange: ", 0) == 0);

  f = probe_ntlm(s.connector(), Protocol::Pop3, TlsMode::StartTls, mechs({"NTLM"}), kOpt, conns);  // refused
  CHECK(get(f, "mail.ntlm.internal_names").reason == "NTLM exchange connection: connection refused");
  CHECK(conns == 4);
}
