// Configuration targets: subjects from files, network-only facts absent, errors per file.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "engine/catalogue.h"
#include "engine/config_run.h"
#include "engine/families.h"

using namespace pp;

namespace {
std::string fixture(const std::string& rel) {
  const char* d = std::getenv("PP_SOURCE_DIR");
  return std::string(d ? d : ".") + "/tests/fixtures/iis/" + rel;
}
}  // namespace

TEST_CASE("the iis family is in the table and its facts in the catalogue") {
  REQUIRE(engine::find_family("iis"));
  CHECK(engine::fact_catalogue().find("iis.ssl_required"));
  CHECK(engine::families_for({"iis.extended_protection"}) == std::set<std::string>{"iis"});
}

TEST_CASE("configuration targets: subjects with facts, network-only facts absent, a bad file is an error") {
  Target net;
  net.name = "net";
  net.host = "mail.example.com";
  Target cfg;
  cfg.name = "fe";
  cfg.configs.push_back({"iis", fixture("exchange2016/applicationHost.config"), "", {}});
  Target broken;
  broken.name = "broken";
  broken.configs.push_back({"iis", fixture("README.md"), "", {}});
  std::vector<engine::ConfigError> errors;
  auto subjects = engine::observe_configs({net, cfg, broken}, errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].target == "broken");
  CHECK(errors[0].message.find("README.md:11:") != std::string::npos);
  CHECK(errors[0].message.find("malformed XML") != std::string::npos);
  REQUIRE(subjects.size() == 9);
  const Fact* content = subjects[1].facts.find("http.tls.auth_schemes");
  REQUIRE(content);
  CHECK(content->state == FactState::Absent);
  CHECK(subjects[1].subject.id().find("applicationHost.config:Default Web Site/owa") != std::string::npos);

  std::vector<SubjectFacts> network(1);
  network[0].subject.kind = SubjectKind::Vdir;
  engine::mark_config_only_absent(network);
  REQUIRE(network[0].facts.find("iis.ssl_required"));
  CHECK(network[0].facts.find("iis.ssl_required")->state == FactState::Absent);
}

TEST_CASE("a SCHANNEL export: one endpoint subject, tls.protocols known, network-only facts absent") {
  REQUIRE(engine::find_family("schannel"));
  CHECK(engine::families_for({"schannel.dh_min_bits"}) == std::set<std::string>{"schannel"});
  Target cfg;
  cfg.name = "exch01";
  const char* d = std::getenv("PP_SOURCE_DIR");
  cfg.configs.push_back({"schannel", std::string(d ? d : ".") + "/tests/fixtures/schannel/weak.reg", "", {}, "2016"});
  std::vector<engine::ConfigError> errors;
  auto subjects = engine::observe_configs({cfg}, errors);
  REQUIRE(errors.empty());
  REQUIRE(subjects.size() == 1);
  CHECK(subjects[0].subject.kind == SubjectKind::Endpoint);
  CHECK(subjects[0].facts.find("tls.protocols")->state == FactState::Known);
  CHECK(subjects[0].facts.find("tls.ciphers.classes")->state == FactState::Absent);
  CHECK(subjects[0].facts.find("tls.ciphers.classes")->reason.find("only a network scan") != std::string::npos);
  CHECK(subjects[0].facts.find("mail.starttls.offered")->state == FactState::Absent);
  CHECK(subjects[0].facts.find("schannel.dh_min_bits")->state == FactState::Known);

  std::vector<SubjectFacts> network(1);
  network[0].subject.kind = SubjectKind::Endpoint;
  engine::mark_config_only_absent(network);
  REQUIRE(network[0].facts.find("schannel.client_protocols"));
  CHECK(network[0].facts.find("schannel.client_protocols")->state == FactState::Absent);
  CHECK(network[0].facts.find("schannel.client_protocols")->reason == "only a SCHANNEL registry export shows this");
  // One shared set answers for every network endpoint: no copy per subject, none listed.
  CHECK(network[0].facts.empty());
  std::vector<SubjectFacts> more(2);
  for (auto& sf : more) sf.subject.kind = SubjectKind::Endpoint;
  engine::mark_config_only_absent(more);
  CHECK(more[0].facts.find("schannel.client_protocols") == network[0].facts.find("schannel.client_protocols"));
  CHECK(more[1].facts.fallback() == network[0].facts.fallback());
  // A fact a subject holds itself wins over the shared absence.
  more[0].facts.put(Fact::known("schannel.client_protocols", StringList{"TLSv1.2"}));
  CHECK(more[0].facts.find("schannel.client_protocols")->state == FactState::Known);
}

TEST_CASE("an IPsec export: one endpoint subject, the other endpoint families absent, ipsec.* absent on the network") {
  REQUIRE(engine::find_family("ipsec"));
  CHECK(engine::families_for({"ipsec.peers_protected"}) == std::set<std::string>{"ipsec"});
  Target cfg;
  cfg.name = "fe";
  const char* d = std::getenv("PP_SOURCE_DIR");
  cfg.configs.push_back({"ipsec", std::string(d ? d : ".") + "/tests/fixtures/ipsec/weak.json", "", {}, "", {"10.0.1.10"}});
  std::vector<engine::ConfigError> errors;
  auto subjects = engine::observe_configs({cfg}, errors);
  REQUIRE(errors.empty());
  REQUIRE(subjects.size() == 1);
  CHECK(subjects[0].subject.kind == SubjectKind::Endpoint);
  CHECK(subjects[0].facts.find("ipsec.peers_protected")->state == FactState::Known);
  CHECK(subjects[0].facts.find("tls.protocols")->state == FactState::Absent);
  CHECK(subjects[0].facts.find("schannel.dh_min_bits")->state == FactState::Absent);
  CHECK(subjects[0].facts.find("schannel.dh_min_bits")->reason == "only another kind of configuration export shows this");

  std::vector<SubjectFacts> network(1);
  network[0].subject.kind = SubjectKind::Endpoint;
  engine::mark_config_only_absent(network);
  REQUIRE(network[0].facts.find("ipsec.peers_protected"));
  CHECK(network[0].facts.find("ipsec.peers_protected")->state == FactState::Absent);
}

TEST_CASE("an Exchange export: the exchange family's facts, iis.* it does not fix absent, and the reverse for IIS") {
  REQUIRE(engine::find_family("exchange"));
  CHECK(engine::families_for({"exchange.forms_auth"}) == std::set<std::string>{"exchange"});
  const char* d = std::getenv("PP_SOURCE_DIR");
  Target ex;
  ex.name = "ex";
  ex.configs.push_back({"exchange", std::string(d ? d : ".") + "/tests/fixtures/exchange-json/exchange2016/vdirs.json", "", {}});
  Target iis;
  iis.name = "fe";
  iis.configs.push_back({"iis", fixture("exchange2016/applicationHost.config"), "", {}});
  std::vector<engine::ConfigError> errors;
  auto subjects = engine::observe_configs({ex, iis}, errors);
  REQUIRE(errors.empty());
  REQUIRE(subjects.size() == 8 + 9);
  const FactSet& owa = subjects[0].facts;
  REQUIRE(subjects[0].subject.path == "/owa");
  CHECK(owa.find("exchange.forms_auth")->state == FactState::Known);
  CHECK(owa.find("iis.extended_protection")->state == FactState::Known);
  CHECK(owa.find("iis.verbs_denied")->state == FactState::Absent);
  CHECK(owa.find("iis.ssl_required")->state == FactState::Absent);
  CHECK(owa.find("http.tls.auth_schemes")->state == FactState::Absent);
  const FactSet& configured = subjects[8].facts;
  CHECK(configured.find("exchange.forms_auth")->state == FactState::Absent);
  CHECK(configured.find("iis.verbs_denied")->state == FactState::Known);

  std::vector<SubjectFacts> network(1);
  network[0].subject.kind = SubjectKind::Vdir;
  engine::mark_config_only_absent(network);
  REQUIRE(network[0].facts.find("exchange.basic_auth"));
  CHECK(network[0].facts.find("exchange.basic_auth")->state == FactState::Absent);
}
