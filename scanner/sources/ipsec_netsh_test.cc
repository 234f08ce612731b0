// IPsec connection security rules as netsh advfirewall consec prints them: records, positions,
// malformed blocks, kind guess, and the same facts as the JSON export of the same rules.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "sources/config_target.h"
#include "sources/ipsec_facts.h"
#include "sources/ipsec_netsh.h"

using namespace pp;
using namespace pp::sources;

namespace {

std::string fixture(const std::string& rel) {
  const char* d = std::getenv("PP_SOURCE_DIR");
  return std::string(d ? d : ".") + "/tests/fixtures/ipsec/" + rel;
}

const std::vector<std::string> kPeers = {"10.0.1.10", "10.0.1.11"};

const std::string kOne =
    "\r\n"
    "Rule Name:                            FE to BE\r\n"
    "----------------------------------------------------------------------\r\n"
    "Enabled:                              Yes\r\n"
    "Mode:                                 Transport\r\n"
    "Endpoint1:                            Any\r\n"
    "Endpoint2:                            10.0.1.10/32, 10.0.1.11/32\r\n"
    "Protocol:                             Any\r\n"
    "Action:                               RequireInRequireOut\r\n"
    "QuickModeSecMethods:                  ESP:SHA1-AES128+60min+100000kb\r\n"
    "\r\n"
    "Ok.\r\n";

std::string with(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

FactSet facts_of(const std::string& text, const std::vector<std::string>& peers = kPeers) {
  std::vector<IpsecRule> rules;
  const std::string err = read_ipsec_netsh(text, "c.txt", rules);
  INFO(err);
  REQUIRE(err.empty());
  return ipsec_facts(rules, peers);
}

bool yes(const FactSet& f, const std::string& name) {
  const Fact* x = f.find(name);
  REQUIRE(x);
  INFO(name << ": " << x->evidence << x->reason);
  REQUIRE(x->state == FactState::Known);
  return std::get<bool>(x->value);
}

}  // namespace

TEST_CASE("netsh consec text: one record per block, fields mapped to the export's properties, positioned") {
  std::vector<IpsecRule> rules;
  REQUIRE(read_ipsec_netsh(kOne, "c.txt", rules).empty());
  REQUIRE(rules.size() == 1);
  const IpsecRule& r = rules[0];
  CHECK(r.name == "FE to BE");
  CHECK(r.at.line == 2);
  const IpsecProperty* in = r.find("InboundSecurity");
  const IpsecProperty* out = r.find("OutboundSecurity");
  REQUIRE(in);
  REQUIRE(out);
  CHECK(in->value == "Require");
  CHECK(out->value == "Require");
  CHECK(in->at.line == 9);
  CHECK(in->at.column == 39);
  CHECK(in->said == "Action=RequireInRequireOut");
  const IpsecProperty* remote = r.find("RemoteAddress");
  REQUIRE(remote);
  CHECK(remote->list == std::vector<std::string>{"10.0.1.10/32", "10.0.1.11/32"});
  REQUIRE(r.find("Enabled"));
  CHECK(r.find("Enabled")->value == "True");
  REQUIRE(r.find("QuickModeSecMethods"));  // kept as written, colons in the value and all
  CHECK(r.find("QuickModeSecMethods")->value == "ESP:SHA1-AES128+60min+100000kb");
}

TEST_CASE("netsh consec text: facts as from the JSON export, evidence as the file wrote it") {
  FactSet f = facts_of(kOne);
  CHECK(yes(f, "ipsec.peers_protected"));
  CHECK(yes(f, "ipsec.transport_mode"));
  CHECK(f.find("ipsec.peers_protected")->evidence.find("Action=RequireInRequireOut at c.txt:9") != std::string::npos);
  CHECK_FALSE(yes(facts_of(with(kOne, "RequireInRequireOut", "RequestInRequestOut")), "ipsec.peers_protected"));
  CHECK_FALSE(yes(facts_of(with(kOne, "Enabled:                              Yes", "Enabled: No")), "ipsec.peers_protected"));
  CHECK_FALSE(yes(facts_of(with(kOne, "Mode:                                 Transport", "Mode: Tunnel")), "ipsec.transport_mode"));
  // Port1/Port2 narrow the rule as LocalPort/RemotePort do.
  FactSet http = facts_of(with(kOne, "Protocol:                             Any", "Protocol: TCP\r\nPort1: Any\r\nPort2: 80,443"));
  CHECK_FALSE(yes(http, "ipsec.peers_protected"));
  CHECK(http.find("ipsec.peers_protected")->evidence.find("Protocol=TCP at c.txt:8, Port2=80,443 at c.txt:10") != std::string::npos);
  // NoAuthentication is an exemption, and wins.
  const std::string exempt = with(kOne, "Ok.", "Rule Name: Exempt BE2\r\n---\r\nEnabled: Yes\r\nEndpoint2: 10.0.1.11\r\nProtocol: Any\r\n"
                                           "Action: NoAuthentication\r\n\r\nOk.");
  CHECK_FALSE(yes(facts_of(exempt), "ipsec.peers_protected"));
  // No rule at all: nothing protects the peers.
  FactSet none = facts_of("\r\nNo rules match the specified criteria.\r\n\r\n");
  CHECK_FALSE(yes(none, "ipsec.peers_protected"));
  // Without a Protocol line the filter cannot be judged.
  FactSet unknown = facts_of(with(kOne, "Protocol:                             Any\r\n", ""));
  CHECK(unknown.find("ipsec.peers_protected")->state == FactState::Unknown);
}

TEST_CASE("netsh consec text: a malformed block is one positioned error") {
  std::vector<IpsecRule> rules;
  CHECK(read_ipsec_netsh(with(kOne, "Mode:                                 Transport", "  Mode Transport"), "c.txt", rules)
            .rfind("c.txt:5:3: expected 'Field: value'", 0) == 0);
  CHECK(read_ipsec_netsh(with(kOne, "RequireInRequireOut", "RequireEverything"), "c.txt", rules)
            .rfind("c.txt:9:39: unknown Action 'RequireEverything'", 0) == 0);
  CHECK(read_ipsec_netsh(with(kOne, "Action:                               RequireInRequireOut\r\n", ""), "c.txt", rules)
            .rfind("c.txt:2:1: rule 'FE to BE' has no Action line", 0) == 0);
  CHECK(read_ipsec_netsh(with(kOne, "Enabled:                              Yes", "Enabled: Maybe"), "c.txt", rules)
            .rfind("c.txt:4:10: Enabled is 'Maybe'", 0) == 0);
  CHECK(read_ipsec_netsh(with(kOne, "Protocol:                             Any", "Mode: Tunnel"), "c.txt", rules)
            .rfind("c.txt:8:1: the field 'Mode' is repeated", 0) == 0);
  CHECK(read_ipsec_netsh("Enabled: Yes\nRule Name: x\n", "c.txt", rules).rfind("c.txt:1:1: the field 'Enabled' comes before", 0) == 0);
  CHECK(read_ipsec_netsh(with(kOne, "Ok.", "----"), "c.txt", rules).rfind("c.txt:12:1: a dashed line", 0) == 0);
  CHECK(read_ipsec_netsh("Rule Name:\n", "c.txt", rules).rfind("c.txt:1:11: a 'Rule Name:' line without a name", 0) == 0);
  CHECK(read_ipsec_netsh("", "c.txt", rules).rfind("c.txt:1:1: no connection security rule", 0) == 0);
  CHECK(rules.empty());
}

TEST_CASE("netsh consec text: UTF-16 with its byte order mark, and the kind guess") {
  std::string utf16 = "\xFF\xFE";
  for (char c : kOne) {
    utf16 += c;
    utf16 += '\0';
  }
  std::vector<IpsecRule> rules;
  REQUIRE(read_ipsec_netsh(utf16, "u.txt", rules).empty());
  CHECK(rules.size() == 1);
  CHECK(looks_like_ipsec_netsh(kOne));
  CHECK(looks_like_ipsec_netsh(utf16));
  CHECK(looks_like_ipsec_netsh("\r\nNo rules match the specified criteria.\r\n"));
  CHECK_FALSE(looks_like_ipsec_netsh("[{\"DisplayName\": \"Rule Name: x\"}]"));
  CHECK_FALSE(looks_like_ipsec_netsh("Windows Registry Editor Version 5.00\r\n"));
}

TEST_CASE("netsh consec text as a configuration target: guessed, and the same verdicts as the equivalent JSON export") {
  Target t;
  t.name = "fe";
  ConfigFile text;
  text.path = fixture("protected-netsh.txt");
  text.peers = kPeers;
  ConfigFile json = text;
  json.path = fixture("protected.json");
  ConfigFile forced = text;
  forced.kind = "ipsec-netsh";
  ConfigFile wrong = text;
  wrong.kind = "ipsec";  // the JSON reader on netsh text: a positioned error
  t.configs = {text, json, forced, wrong};
  ConfigObservation seen = read_config_target(t);
  REQUIRE(seen.subjects.size() == 3);
  REQUIRE(seen.errors.size() == 1);
  CHECK(seen.errors[0].find("protected-netsh.txt:") != std::string::npos);
  for (const char* name : {"ipsec.peers_protected", "ipsec.transport_mode"}) {
    INFO(name);
    CHECK(yes(seen.subjects[0].facts, name) == yes(seen.subjects[1].facts, name));
    CHECK(yes(seen.subjects[0].facts, name));
  }
  CHECK(std::get<StringList>(seen.subjects[0].facts.find("ipsec.rules_enabled")->value) ==
        std::get<StringList>(seen.subjects[1].facts.find("ipsec.rules_enabled")->value));
  CHECK(known_config_kind("ipsec-netsh"));
}
