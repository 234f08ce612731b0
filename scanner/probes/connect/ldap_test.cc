#include "probes/connect/ldap.h"

#include <catch2/catch.hpp>

#include "probes/connect/ber.h"
#include "probes/connect/dialogue_fixture.h"

using namespace pp;
using namespace pp::connect;
using net::NetErrorKind;
using net::ScriptedTransport;

namespace {

using testing::Fixture;

std::string msg(int id, uint8_t op, const std::string& body) {
  return ber::tlv(ber::kSequence, ber::integer(id) + ber::tlv(op, body));
}
std::string result(int code, const std::string& diag = "") {
  return ber::integer(code, ber::kEnumerated) + ber::octets("") + ber::octets(diag);
}
std::string attr(const std::string& type, const std::vector<std::string>& vals) {
  std::string set;
  for (const auto& v : vals) set += ber::octets(v);
  return ber::tlv(ber::kSequence, ber::octets(type) + ber::tlv(ber::kSet, set));
}
/// slapd 2.5 RootDSE as an anonymous client sees it (ldapsearch -x -s base -b "" +).
std::string slapd_rootdse(int id) {
  std::string attrs = attr("supportedExtension", {"1.3.6.1.4.1.1466.20037", "1.3.6.1.4.1.4203.1.11.1",
                                                  "1.3.6.1.4.1.4203.1.11.3", "1.3.6.1.1.8"}) +
                      attr("supportedSASLMechanisms", {"SCRAM-SHA-256", "DIGEST-MD5", "CRAM-MD5"}) +
                      attr("namingContexts", {"dc=lab,dc=test"});
  return msg(id, ldap::kSearchResultEntry, ber::octets("") + ber::tlv(ber::kSequence, attrs)) +
         msg(id, ldap::kSearchResultDone, result(0));
}

}  // namespace

TEST_CASE("ldap: the StartTLS ExtendedRequest bytes (RFC 4511 §4.14)") {
  const std::string expected = std::string("\x30\x1d\x02\x01\x01\x77\x18\x80\x16", 9) + "1.3.6.1.4.1.1466.20037";
  CHECK(ldap::starttls_request(1) == expected);
}

TEST_CASE("ldap: RootDSE search request decodes as a SearchRequest with our attributes") {
  std::string req = ldap::rootdse_request(7);
  ScriptedTransport t;
  t.reply(req);
  LineReader r(t);
  ldap::Message m;
  REQUIRE_FALSE(ldap::read_message(r, net::Millis(100), m));
  CHECK(m.id == 7);
  CHECK(m.op == ldap::kSearchRequest);
  CHECK(m.body.find("supportedSASLMechanisms") != std::string_view::npos);
}

TEST_CASE("ldap: greet reads RootDSE; StartTLS advertised; auth before TLS absent with reason") {
  Fixture f;
  f.t.reply(slapd_rootdse(1));
  Session s;
  REQUIRE_FALSE(ldap::greet(f.c, s));
  CHECK(f.t.written() == ldap::rootdse_request(1));
  CHECK(s.starttls_offered);
  CHECK(s.capabilities.size() == 4);
  CHECK(s.auth_mechs == StringList{"SCRAM-SHA-256", "DIGEST-MD5", "CRAM-MD5"});
  CHECK(s.naming_contexts == StringList{"dc=lab,dc=test"});
  CHECK(s.auth_state == FactState::Absent);
  CHECK(s.auth_note.find("simple bind") != std::string::npos);
  CHECK(s.banner.empty());
}

TEST_CASE("ldap: RootDSE refused is not an error; capabilities unknown") {
  Fixture f;
  f.t.reply(msg(1, ldap::kSearchResultDone, result(50, "insufficient access")));
  Session s;
  REQUIRE_FALSE(ldap::greet(f.c, s));
  CHECK_FALSE(s.capabilities_known);
  CHECK(s.capability_evidence.find("resultCode 50") != std::string::npos);
}

TEST_CASE("ldap: StartTLS success, refusal, and bytes after the response") {
  {
    Fixture f;
    f.c.next_id = 2;
    f.t.reply(msg(2, ldap::kExtendedResponse, result(0) + ber::octets(ldap::kStartTlsOid, 0x8a)));
    UpgradeReply up;
    REQUIRE_FALSE(ldap::starttls(f.c, {}, up));
    CHECK(up.accepted);
    CHECK(f.r.pending().empty());
  }
  {
    Fixture f;
    f.c.next_id = 2;
    f.t.reply(msg(2, ldap::kExtendedResponse, result(2, "unsupported extended operation")));
    UpgradeReply up;
    REQUIRE_FALSE(ldap::starttls(f.c, {}, up));
    CHECK_FALSE(up.accepted);
    CHECK(up.text == "resultCode 2 unsupported extended operation");
  }
  {
    Fixture f;
    f.c.next_id = 2;
    f.t.reply(msg(2, ldap::kExtendedResponse, result(0)) + slapd_rootdse(99));
    UpgradeReply up;
    REQUIRE_FALSE(ldap::starttls(f.c, ldap::injected_command(), up));
    CHECK(up.accepted);
    CHECK(ldap::looks_like_reply(f.r.pending()));
  }
}

TEST_CASE("ldap: the pipelined request answered before the StartTLS response is skipped") {
  Fixture f;
  f.c.next_id = 2;
  f.t.reply(slapd_rootdse(99) + msg(2, ldap::kExtendedResponse, result(1, "cannot start TLS when operations are outstanding")));
  UpgradeReply up;
  REQUIRE_FALSE(ldap::starttls(f.c, ldap::injected_command(), up));
  CHECK_FALSE(up.accepted);
  CHECK(up.text.find("resultCode 1 cannot start TLS") == 0);
  CHECK(up.text.find("pipelined request") != std::string::npos);

  Fixture g;  // without a pipelined request, another reply first is malformed
  g.c.next_id = 2;
  g.t.reply(slapd_rootdse(99));
  CHECK(ldap::starttls(g.c, {}, up).kind == NetErrorKind::Malformed);
}

TEST_CASE("ldap: notice of disconnection, wrong id, oversized and garbage messages") {
  {
    Fixture f;
    f.t.reply(msg(0, ldap::kExtendedResponse, result(52, "unavailable")));
    Session s;
    auto err = ldap::greet(f.c, s);
    CHECK(err.kind == NetErrorKind::Closed);
    CHECK(err.message.find("resultCode 52") != std::string::npos);
  }
  {
    Fixture f;
    f.t.reply(msg(5, ldap::kSearchResultDone, result(0)));
    Session s;
    CHECK(ldap::greet(f.c, s).kind == NetErrorKind::Malformed);
  }
  {
    Fixture f;  // claims a 16 MB message: refused before reading it
    f.t.reply(std::string("\x30\x84\x01\x00\x00\x00", 6));
    Session s;
    CHECK(ldap::greet(f.c, s).kind == NetErrorKind::TooLarge);
  }
  {
    Fixture f;
    f.t.reply("220 smtp.example.com ESMTP\r\n");
    Session s;
    CHECK(ldap::greet(f.c, s).kind == NetErrorKind::Malformed);
  }
}

TEST_CASE("ldap: the bogus simple bind is a BindRequest with version 3, made-up DN and password") {
  std::string req = ldap::simple_bind_request(4, ldap::bogus_bind_dn({"dc=lab,dc=test"}), ldap::kBogusBindPassword);
  ScriptedTransport t;
  t.reply(req);
  LineReader r(t);
  ldap::Message m;
  REQUIRE_FALSE(ldap::read_message(r, net::Millis(100), m));
  CHECK(m.id == 4);
  CHECK(m.op == ldap::kBindRequest);
  const std::string expected_body = ber::integer(3) + ber::octets("cn=policyprobe-plaintext-bind-check,dc=lab,dc=test") +
                                    ber::octets(ldap::kBogusBindPassword, 0x80);
  CHECK(std::string(m.body) == expected_body);
  CHECK(ldap::bogus_bind_dn({}) == "cn=policyprobe-plaintext-bind-check,dc=invalid");
  CHECK(ldap::bogus_bind_dn({"", "o=example"}) == "cn=policyprobe-plaintext-bind-check,o=example");
}

TEST_CASE("ldap: plaintext bind verdicts from the BindResponse resultCode") {
  auto run = [](int code, const std::string& diag) {
    Fixture f;
    f.c.next_id = 2;
    f.t.reply(msg(2, ldap::kBindResponse, result(code, diag)));
    net::NetError err;
    Fact fact = ldap::plaintext_bind(f.c, {"dc=lab,dc=test"}, err);
    CHECK_FALSE(err);
    CHECK(f.t.written() ==
          ldap::simple_bind_request(2, "cn=policyprobe-plaintext-bind-check,dc=lab,dc=test", ldap::kBogusBindPassword));
    return fact;
  };
  Fact refused = run(13, "confidentiality required");
  REQUIRE(refused.state == FactState::Known);
  CHECK(std::get<bool>(refused.value));
  CHECK(refused.evidence.find("confidentialityRequired") != std::string::npos);
  Fact stronger = run(8, "00002028: LdapErr: DSID-0C090259, comment: The server requires binds to turn on integrity checking");
  REQUIRE(stronger.state == FactState::Known);
  CHECK(std::get<bool>(stronger.value));
  Fact checked = run(49, "");
  REQUIRE(checked.state == FactState::Known);
  CHECK_FALSE(std::get<bool>(checked.value));
  CHECK(checked.evidence.find("invalidCredentials") != std::string::npos);
  CHECK_FALSE(std::get<bool>(run(0, "").value));
  Fact other = run(2, "protocol error");
  CHECK(other.state == FactState::Unknown);
  CHECK(other.reason.find("resultCode 2 protocol error") != std::string::npos);
  // outside every naming context, invalidCredentials may only mean "no such directory"
  CHECK(ldap::judge_plaintext_bind(49, "", false).state == FactState::Unknown);
  CHECK(std::get<bool>(ldap::judge_plaintext_bind(13, "", false).value));
}

TEST_CASE("ldap: plaintext bind answered with the wrong message, a notice, or nothing is unknown") {
  {
    Fixture f;
    f.t.reply(msg(1, ldap::kSearchResultDone, result(0)));
    net::NetError err;
    Fact fact = ldap::plaintext_bind(f.c, {}, err);
    CHECK(err.kind == NetErrorKind::Malformed);
    CHECK(fact.state == FactState::Unknown);
  }
  {
    Fixture f;
    f.t.reply(msg(0, ldap::kExtendedResponse, result(52, "unavailable")));
    net::NetError err;
    Fact fact = ldap::plaintext_bind(f.c, {}, err);
    CHECK(err.kind == NetErrorKind::Closed);
    CHECK(fact.state == FactState::Unknown);
    CHECK(fact.reason.find("notice of disconnection") != std::string::npos);
  }
}
