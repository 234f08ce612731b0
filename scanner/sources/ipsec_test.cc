// Windows IPsec connection security rules exported as JSON: records, facts, kinds, errors.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "sources/config_target.h"
#include "sources/ipsec_facts.h"
#include "sources/ipsec_json.h"

using namespace pp;
using namespace pp::sources;

namespace {

std::string fixture(const std::string& rel) {
  const char* d = std::getenv("PP_SOURCE_DIR");
  return std::string(d ? d : ".") + "/tests/fixtures/ipsec/" + rel;
}

const Fact& fact(const FactSet& f, const std::string& name) {
  const Fact* p = f.find(name);
  INFO(name);
  REQUIRE(p);
  return *p;
}

bool yes(const FactSet& f, const std::string& name) {
  const Fact& x = fact(f, name);
  INFO(name << ": " << x.evidence << x.reason);
  REQUIRE(x.state == FactState::Known);
  return std::get<bool>(x.value);
}

StringList list(const FactSet& f, const std::string& name) {
  const Fact& x = fact(f, name);
  INFO(name << ": " << x.evidence << x.reason);
  REQUIRE(x.state == FactState::Known);
  return std::get<StringList>(x.value);
}

FactSet facts_of(const std::string& json, const std::vector<std::string>& peers) {
  std::vector<IpsecRule> rules;
  REQUIRE(read_ipsec_json(json, "t.json", rules).empty());
  return ipsec_facts(rules, peers);
}

/// One rule; `filter` is its port filter's JSON members (all traffic unless given).
std::string rule(const std::string& in, const std::string& out, const std::string& remote, const std::string& enabled = "1",
                 const std::string& mode = "1", const std::string& filter = R"("Protocol": "Any", "LocalPort": "Any", "RemotePort": "Any")") {
  return R"({"DisplayName": "r", "Enabled": )" + enabled + R"(, "Mode": )" + mode + R"(, "InboundSecurity": )" + in +
         R"(, "OutboundSecurity": )" + out + (remote.empty() ? "" : R"(, "RemoteAddress": )" + remote) +
         (filter.empty() ? "" : ", " + filter) + "}";
}

const std::vector<std::string> kPeers = {"10.0.1.10", "10.0.1.11"};

}  // namespace

TEST_CASE("an IPsec export: one record per rule, each property positioned") {
  const std::string json = "[\n  {\"DisplayName\": \"a\",\n   \"InboundSecurity\": 2},\n  {\"Name\": \"b\", \"OutboundSecurity\": 1},\n"
                           "  {\"Name\": \"not a rule\"}\n]";
  std::vector<IpsecRule> rules;
  REQUIRE(read_ipsec_json(json, "x.json", rules).empty());
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].name == "a");
  CHECK(rules[1].name == "b");
  const IpsecProperty* in = rules[0].find("inboundsecurity");
  REQUIRE(in);
  CHECK(in->value == "2");
  CHECK(in->at.where() == "x.json:3");
  CHECK(in->at.column == 23);
  CHECK(rules[0].at.line == 2);
}

TEST_CASE("an IPsec export: malformed JSON and no rule are one positioned error") {
  std::vector<IpsecRule> rules;
  CHECK(read_ipsec_json("[{\"DisplayName\": \"a\",\n \"InboundSecurity\": tru}]", "m.json", rules).rfind("m.json:2:21: ", 0) == 0);
  const std::string none = read_ipsec_json("[{\"Name\": \"x\"}]", "n.json", rules);
  CHECK(none.rfind("n.json:1:1: no IPsec rule in this file", 0) == 0);
  CHECK(rules.empty());
  CHECK(read_ipsec_json("3", "s.json", rules).rfind("s.json:1:1: not an IPsec rule export", 0) == 0);
}

TEST_CASE("an IPsec export in UTF-16 with its byte order mark, one object, is read") {
  const std::string utf8 = R"({"DisplayName": "x", "InboundSecurity": "Require"})";
  std::string utf16 = "\xFF\xFE";
  for (char c : utf8) {
    utf16 += c;
    utf16 += '\0';
  }
  std::vector<IpsecRule> rules;
  REQUIRE(read_ipsec_json(utf16, "u.json", rules).empty());
  REQUIRE(rules.size() == 1);
  CHECK(looks_like_ipsec_json(utf16));
}

TEST_CASE("IPsec facts: peers protected by a rule requiring IPsec both ways, numbers or names") {
  FactSet f = facts_of("[" + rule("2", "2", R"(["10.0.1.10", "10.0.1.11"])") + "]", kPeers);
  CHECK(yes(f, "ipsec.peers_protected"));
  CHECK(list(f, "ipsec.peers_unprotected").empty());
  CHECK(yes(f, "ipsec.transport_mode"));
  CHECK(list(f, "ipsec.rules_enabled") == StringList{"r"});
  CHECK(fact(f, "ipsec.peers_protected").evidence.find("InboundSecurity=2 at t.json:1") != std::string::npos);
  FactSet named = facts_of(rule(R"("Require")", R"("Require")", R"("10.0.1.0/255.255.255.0")", R"("True")", R"("Tunnel")"), kPeers);
  CHECK(yes(named, "ipsec.peers_protected"));
  CHECK_FALSE(yes(named, "ipsec.transport_mode"));
  CHECK(yes(facts_of(rule("2", "2", R"("Any")"), kPeers), "ipsec.peers_protected"));
  CHECK(yes(facts_of(rule("2", "2", R"("10.0.1.0/24")"), {"10.0.1.0/25"}), "ipsec.peers_protected"));
  CHECK(yes(facts_of(rule("2", "2", R"("fd00::/64")"), {"fd00::5"}), "ipsec.peers_protected"));
}

TEST_CASE("IPsec facts: requested only, disabled, not covering, or exempted is unprotected") {
  FactSet req = facts_of(rule(R"("Request")", R"("Require")", R"("Any")"), kPeers);
  CHECK_FALSE(yes(req, "ipsec.peers_protected"));
  CHECK(list(req, "ipsec.peers_unprotected") == kPeers);
  CHECK(fact(req, "ipsec.peers_protected").evidence.find("not required for all traffic") != std::string::npos);
  CHECK_FALSE(yes(facts_of(rule("2", "2", R"("Any")", "2"), kPeers), "ipsec.peers_protected"));
  FactSet half = facts_of(rule("2", "2", R"("10.0.1.10")"), kPeers);
  CHECK(list(half, "ipsec.peers_unprotected") == StringList{"10.0.1.11"});
  CHECK_FALSE(yes(facts_of(rule("2", "2", R"("10.0.1.0/24")"), {"10.0.0.0/16"}), "ipsec.peers_protected"));
  FactSet exempt = facts_of("[" + rule("2", "2", R"("Any")") + "," + rule("0", "0", R"("10.0.1.10")") + "]", kPeers);
  CHECK(list(exempt, "ipsec.peers_unprotected") == StringList{"10.0.1.10"});
  FactSet requested = facts_of(rule("1", "1", R"("Any")"), kPeers);  // Request both ways protects nothing
  CHECK(fact(requested, "ipsec.transport_mode").state == FactState::Absent);
}

TEST_CASE("IPsec facts: a rule narrowed to some protocols or ports does not protect the hop") {
  FactSet tcp = facts_of(rule("2", "2", R"("Any")", "1", "1", R"("Protocol": "TCP", "LocalPort": "Any", "RemotePort": "Any")"), kPeers);
  CHECK_FALSE(yes(tcp, "ipsec.peers_protected"));
  CHECK(list(tcp, "ipsec.peers_unprotected") == kPeers);
  CHECK(fact(tcp, "ipsec.peers_protected").evidence.find("but only for Protocol=TCP at t.json:1") != std::string::npos);
  CHECK(fact(tcp, "ipsec.transport_mode").state == FactState::Absent);
  FactSet http = facts_of(rule("2", "2", R"("Any")", "1", "1", R"("Protocol": "6", "LocalPort": "Any", "RemotePort": ["80", "443"])"), kPeers);
  CHECK_FALSE(yes(http, "ipsec.peers_protected"));
  CHECK(fact(http, "ipsec.peers_protected").evidence.find("RemotePort=[80, 443]") != std::string::npos);
  // All traffic: Protocol Any, the ports Any (as a list too) or not exported with it.
  CHECK(yes(facts_of(rule("2", "2", R"("Any")", "1", "1", R"("Protocol": "Any", "RemotePort": ["Any"])"), kPeers), "ipsec.peers_protected"));
  CHECK(yes(facts_of(rule("2", "2", R"("Any")", "1", "1", R"("Protocol": "any")"), kPeers), "ipsec.peers_protected"));
  // A narrowed rule beside one taking in all traffic: the latter protects.
  FactSet both = facts_of("[" + rule("2", "2", R"("Any")", "1", "1", R"("Protocol": "UDP")") + "," + rule("2", "2", R"("Any")") + "]", kPeers);
  CHECK(yes(both, "ipsec.peers_protected"));
  // An exemption wins however narrow: that traffic crosses the hop in clear text.
  FactSet exempt = facts_of("[" + rule("2", "2", R"("Any")") + "," +
                                rule("0", "0", R"("10.0.1.11")", "1", "1", R"("Protocol": "TCP", "RemotePort": "3389")") + "]",
                            kPeers);
  CHECK(list(exempt, "ipsec.peers_unprotected") == StringList{"10.0.1.11"});
}

TEST_CASE("IPsec facts: a rule requiring IPsec without its port filter in the export is Unknown") {
  FactSet f = facts_of(rule("2", "2", R"("Any")", "1", "1", ""), kPeers);
  CHECK(fact(f, "ipsec.peers_protected").state == FactState::Unknown);
  CHECK(fact(f, "ipsec.peers_protected").reason.find("Get-NetFirewallPortFilter") != std::string::npos);
  CHECK(fact(facts_of(rule("2", "2", R"("Any")", "1", "1", R"("Protocol": null)"), kPeers), "ipsec.peers_protected").state ==
        FactState::Unknown);
  // A rule only requesting IPsec fails whatever its filter says.
  CHECK_FALSE(yes(facts_of(rule("1", "1", R"("Any")", "1", "1", ""), kPeers), "ipsec.peers_protected"));
}

TEST_CASE("IPsec facts: no peers, or addresses that cannot be judged, are Unknown, never a pass") {
  FactSet none = facts_of(rule("2", "2", R"("Any")"), {});
  CHECK(fact(none, "ipsec.peers_protected").state == FactState::Unknown);
  CHECK(fact(none, "ipsec.peers_protected").reason.find("peers =") != std::string::npos);
  CHECK(fact(none, "ipsec.transport_mode").state == FactState::Unknown);
  FactSet no_address = facts_of(rule("2", "2", ""), kPeers);
  CHECK(fact(no_address, "ipsec.peers_protected").state == FactState::Unknown);
  CHECK(fact(no_address, "ipsec.peers_protected").reason.find("no RemoteAddress") != std::string::npos);
  CHECK(fact(facts_of(rule("2", "2", R"("LocalSubnet")"), kPeers), "ipsec.peers_protected").state == FactState::Unknown);
  CHECK(fact(facts_of(rule("2", "2", "null"), kPeers), "ipsec.peers_protected").state == FactState::Unknown);
  CHECK(valid_ipsec_peer("10.0.0.1-10.0.0.9"));
  CHECK_FALSE(valid_ipsec_peer("backend01"));
}

TEST_CASE("IPsec exports as configuration targets: kind guessed, one endpoint subject, peers checked") {
  Target t;
  t.name = "fe";
  ConfigFile good;
  good.path = fixture("protected.json");
  good.peers = kPeers;
  ConfigFile weak;
  weak.kind = "ipsec";
  weak.path = fixture("weak.json");
  weak.peers = kPeers;
  ConfigFile bad_peer = weak;
  bad_peer.peers = {"backend01"};
  t.configs = {good, weak, bad_peer};
  ConfigObservation seen = read_config_target(t);
  REQUIRE(seen.subjects.size() == 2);
  REQUIRE(seen.errors.size() == 1);
  CHECK(seen.errors[0].find("peer 'backend01'") != std::string::npos);
  CHECK(seen.families == std::vector<std::string>{"ipsec", "ipsec"});
  CHECK(seen.subjects[0].subject.host == "IPSEC");
  CHECK(seen.subjects[0].subject.kind == SubjectKind::Endpoint);
  CHECK(yes(seen.subjects[0].facts, "ipsec.peers_protected"));
  CHECK(list(seen.subjects[0].facts, "ipsec.rules_enabled") == StringList{"Exchange front end to back end"});
  CHECK_FALSE(yes(seen.subjects[1].facts, "ipsec.peers_protected"));
  CHECK(known_config_kind("ipsec"));
}
