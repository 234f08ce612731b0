// Exchange virtual directory settings exported as JSON: records, facts, kinds, errors.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "sources/config_target.h"
#include "sources/exchange_facts.h"
#include "sources/exchange_json.h"

using namespace pp;
using namespace pp::sources;

namespace {

std::string fixture(const std::string& rel) {
  const char* d = std::getenv("PP_SOURCE_DIR");
  return std::string(d ? d : ".") + "/tests/fixtures/exchange-json/" + rel;
}

const Fact& fact(const FactSet& f, const std::string& name) {
  const Fact* p = f.find(name);
  INFO(name);
  REQUIRE(p);
  return *p;
}

bool yes(const FactSet& f, const std::string& name) {
  const Fact& x = fact(f, name);
  INFO(name << ": " << x.evidence);
  REQUIRE(x.state == FactState::Known);
  return std::get<bool>(x.value);
}

std::string str(const FactSet& f, const std::string& name) {
  const Fact& x = fact(f, name);
  INFO(name << ": " << x.evidence);
  REQUIRE(x.state == FactState::Known);
  return std::get<std::string>(x.value);
}

StringList list(const FactSet& f, const std::string& name) {
  const Fact& x = fact(f, name);
  INFO(name << ": " << x.evidence);
  REQUIRE(x.state == FactState::Known);
  return std::get<StringList>(x.value);
}

const SubjectFacts* find(const ConfigObservation& seen, const std::string& path) {
  for (const auto& s : seen.subjects)
    if (s.subject.path == path) return &s;
  return nullptr;
}

ConfigObservation scan(const std::vector<std::string>& files, const std::string& kind = "") {
  Target t;
  t.name = "ex";
  for (const auto& f : files) t.configs.push_back({kind, fixture(f), "", {}});
  return read_config_target(t);
}

const char* kOwa = R"J({
  "Name": "owa (Default Web Site)",
  "Server": "EX1",
  "BasicAuthentication": true,
  "FormsAuthentication": false,
  "WindowsAuthentication": false,
  "ExtendedProtectionTokenChecking": 1,
  "InternalAuthenticationMethods": {"value": [0, 3], "Count": 2},
  "ExternalUrl": {"AbsoluteUri": "https://mail.contoso.com/owa", "OriginalString": "https://mail.contoso.com/owa"},
  "InternalUrl": null,
  "MetabasePath": "IIS://ex1/W3SVC/1/ROOT/owa"
})J";

}  // namespace

TEST_CASE("exchange export: one object is one record, each setting at its line and column") {
  std::vector<ExchangeVdir> v;
  REQUIRE(read_exchange_json(kOwa, "owa.json", v).empty());
  REQUIRE(v.size() == 1);
  CHECK(v[0].type->path == "/owa");
  CHECK(v[0].server == "EX1");
  CHECK(v[0].site == "Default Web Site");
  const ExchangeSetting* basic = v[0].find("basicauthentication");
  REQUIRE(basic);
  CHECK(basic->value == "true");
  CHECK(basic->at.where() == "owa.json:4");
  CHECK(basic->at.column == 26);
  const ExchangeSetting* methods = v[0].find("InternalAuthenticationMethods");
  REQUIRE(methods);
  CHECK(methods->list == std::vector<std::string>{"0", "3"});
  CHECK(v[0].find("ExternalUrl")->value == "https://mail.contoso.com/owa");
  CHECK(v[0].find("InternalUrl")->shape == ExchangeSetting::Shape::Null);
}

TEST_CASE("exchange facts: numbers and names of enums read alike, evidence names file:line") {
  std::vector<ExchangeVdir> v;
  REQUIRE(read_exchange_json(kOwa, "owa.json", v).empty());
  FactSet f = exchange_facts(v[0]);
  CHECK(yes(f, "exchange.basic_auth"));
  CHECK(fact(f, "exchange.basic_auth").evidence == "BasicAuthentication=true at owa.json:4");
  CHECK_FALSE(yes(f, "exchange.forms_auth"));
  CHECK(str(f, "iis.extended_protection") == "Allow");
  CHECK(list(f, "exchange.internal_auth_methods") == StringList{"Basic", "Fba"});
  CHECK(list(f, "exchange.auth_enabled") == StringList{"Basic"});
  CHECK(list(f, "iis.windows_providers").empty());
  CHECK(str(f, "exchange.internal_url").empty());
  CHECK(fact(f, "exchange.external_auth_methods").state == FactState::Unknown);  // not in the export
  CHECK(fact(f, "exchange.ssl_offloading").state == FactState::Absent);          // Outlook Anywhere only
  CHECK_FALSE(f.find("iis.ssl_required"));  // OWA leaves it to IIS: the caller marks it absent

  const std::string named = R"J({"Identity": "EX1\\owa (Default Web Site)", "ExtendedProtectionTokenChecking": "require",
    "BasicAuthentication": "yes", "InternalAuthenticationMethods": ["Basic", 99]})J";
  std::vector<ExchangeVdir> w;
  REQUIRE(read_exchange_json(named, "n.json", w).empty());
  REQUIRE(w.size() == 1);
  CHECK(w[0].server == "EX1");
  FactSet g = exchange_facts(w[0]);
  CHECK(str(g, "iis.extended_protection") == "Require");
  CHECK(fact(g, "exchange.basic_auth").state == FactState::Unknown);  // never a guess
  CHECK(fact(g, "exchange.internal_auth_methods").state == FactState::Unknown);
  CHECK(fact(g, "exchange.forms_auth").state == FactState::Unknown);
}

TEST_CASE("exchange export: malformed JSON and a file without vdirs are one positioned error") {
  std::vector<ExchangeVdir> v;
  CHECK(read_exchange_json("[\n  {\"Name\": \"owa (Default Web Site)\",}\n]", "bad.json", v) ==
        "bad.json:2:37: malformed JSON: expected a member name in quotes");
  const std::string none = read_exchange_json("[{\"Name\": \"Default Web Site\"}]", "none.json", v);
  CHECK(none.find("none.json:1:1: no Exchange virtual directory in this file") == 0);
  CHECK(read_exchange_json("42", "n.json", v).find("n.json:1:1: not an Exchange settings export") == 0);
  CHECK(v.empty());
}

TEST_CASE("exchange export: guessed from its content, not confused with IIS files") {
  CHECK(looks_like_exchange_json(kOwa));
  CHECK(looks_like_exchange_json("\xEF\xBB\xBF [ {\"MetabasePath\": \"IIS://x/W3SVC/1/ROOT/EWS\"} ]"));
  CHECK_FALSE(looks_like_exchange_json("<configuration/>"));
  CHECK_FALSE(looks_like_exchange_json("{\"schema_version\": 1}"));
}

TEST_CASE("the Exchange 2016 fixture: every vdir a subject, hardened settings") {
  ConfigObservation seen = scan({"exchange2016/vdirs.json"});
  REQUIRE(seen.errors.empty());
  REQUIRE(seen.subjects.size() == 8);
  REQUIRE(seen.families.size() == 8);
  CHECK(seen.families[0] == "exchange");
  for (const char* p : {"/owa", "/ecp", "/Microsoft-Server-ActiveSync", "/EWS", "/Autodiscover", "/OAB", "/mapi", "/rpc"}) {
    INFO(p);
    const SubjectFacts* s = find(seen, p);
    REQUIRE(s);
    CHECK(s->subject.kind == SubjectKind::Vdir);
    CHECK(s->subject.host == "EX1");
    CHECK(s->subject.source.find("vdirs.json") != std::string::npos);
    CHECK(str(s->facts, "iis.extended_protection") == "Require");
  }
  const SubjectFacts* owa = find(seen, "/owa");
  CHECK(owa->subject.id().find("vdirs.json:EX1/owa") != std::string::npos);
  CHECK(yes(owa->facts, "exchange.forms_auth"));
  CHECK(str(owa->facts, "exchange.internal_url") == "https://ex1.contoso.local/owa");
  const SubjectFacts* rpc = find(seen, "/rpc");
  CHECK_FALSE(yes(rpc->facts, "exchange.ssl_offloading"));
  CHECK(yes(rpc->facts, "iis.ssl_required"));
  CHECK_FALSE(yes(rpc->facts, "exchange.basic_auth"));
  CHECK(list(rpc->facts, "iis.windows_providers") == StringList{"Negotiate", "NTLM"});
  CHECK(str(rpc->facts, "exchange.external_client_auth") == "Negotiate");
  const SubjectFacts* ews = find(seen, "/EWS");
  CHECK_FALSE(yes(ews->facts, "exchange.basic_auth"));
  CHECK(list(ews->facts, "iis.windows_providers") == StringList{"Negotiate", "NTLM"});
  const SubjectFacts* mapi = find(seen, "/mapi");
  CHECK_FALSE(yes(mapi->facts, "exchange.basic_auth"));  // its switches are null: IISAuthenticationMethods
  CHECK(yes(find(seen, "/OAB")->facts, "iis.ssl_required"));
  CHECK(yes(find(seen, "/Microsoft-Server-ActiveSync")->facts, "exchange.basic_auth"));  // BasicAuthEnabled
}

TEST_CASE("the weakened fixture: numbers for enums, a single object, what was weakened shows at its line") {
  ConfigObservation seen = scan({"exchange2016-weak/owa.json", "exchange2016-weak/vdirs.json"}, "exchange");
  REQUIRE(seen.errors.empty());
  REQUIRE(seen.subjects.size() == 8);
  const SubjectFacts* owa = find(seen, "/owa");
  REQUIRE(owa);
  CHECK(owa->subject.host == "EX1");
  CHECK(str(owa->facts, "iis.extended_protection") == "None");
  CHECK(fact(owa->facts, "iis.extended_protection").evidence.find("ExtendedProtectionTokenChecking=0 at ") == 0);
  CHECK(fact(owa->facts, "iis.extended_protection").evidence.find("owa.json:") != std::string::npos);
  CHECK_FALSE(yes(owa->facts, "exchange.forms_auth"));
  CHECK(str(owa->facts, "exchange.internal_url") == "http://ex1.contoso.local/owa");
  CHECK(yes(find(seen, "/EWS")->facts, "exchange.basic_auth"));
  CHECK(list(find(seen, "/EWS")->facts, "exchange.internal_auth_methods").front() == "Basic");
  const SubjectFacts* rpc = find(seen, "/rpc");
  CHECK(yes(rpc->facts, "exchange.ssl_offloading"));
  CHECK_FALSE(yes(rpc->facts, "iis.ssl_required"));
  CHECK(str(rpc->facts, "exchange.external_client_auth") == "Basic");
  CHECK(yes(find(seen, "/mapi")->facts, "exchange.basic_auth"));
  CHECK_FALSE(yes(find(seen, "/OAB")->facts, "iis.ssl_required"));
}

TEST_CASE("exchange kind: a malformed file is an error, the other files are still read") {
  Target t;
  t.name = "ex";
  t.configs.push_back({"exchange", fixture("README.md"), "", {}});
  t.configs.push_back({"", fixture("exchange2016/vdirs.json"), "", {}});
  ConfigObservation seen = read_config_target(t);
  REQUIRE(seen.errors.size() == 1);
  CHECK(seen.errors[0].find("README.md:1:1: malformed JSON") != std::string::npos);
  CHECK(seen.subjects.size() == 8);
  CHECK(known_config_kind("exchange"));
}
