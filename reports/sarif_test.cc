#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "reports/sarif.h"
#include "tests/reports/fixture.h"

using namespace pp;
using namespace pp::reports;
using nlohmann::json;

namespace {
/// The fields SARIF 2.1.0 and GitHub code scanning require, and the rules our writer promises
/// (kind/level coherence); the whole document is validated against the official schema by
/// tests/reports/sarif_schema_test.py.
std::vector<std::string> check_sarif(const json& doc) {
  std::vector<std::string> problems;
  auto need = [&](bool ok, const std::string& what) {
    if (!ok) problems.push_back(what);
  };
  need(doc.value("version", "") == "2.1.0", "version 2.1.0");
  need(doc.contains("$schema"), "$schema");
  need(doc["runs"].is_array() && doc["runs"].size() == 1, "one run");
  if (!problems.empty()) return problems;
  const json& run = doc["runs"][0];
  const json& driver = run["tool"]["driver"];
  need(driver["name"].is_string() && !driver["name"].get<std::string>().empty(), "tool.driver.name");
  std::set<std::string> ids;
  for (const auto& rule : driver["rules"]) {
    need(rule["id"].is_string(), "rule.id");
    need(ids.insert(rule["id"].get<std::string>()).second, "unique rule ids");
    need(rule["shortDescription"]["text"].is_string(), "rule.shortDescription.text");
    need(rule["fullDescription"]["text"].is_string(), "rule.fullDescription.text");
    need(rule["help"]["text"].is_string(), "rule.help.text");
    const std::string lvl = rule["defaultConfiguration"]["level"];
    need(lvl == "error" || lvl == "warning" || lvl == "note", "rule level");
    need(rule["properties"]["tags"].is_array(), "rule tags");
  }
  for (const auto& res : run["results"]) {
    const std::string id = res.value("ruleId", "");
    need(ids.count(id) == 1, "result.ruleId names a rule: " + id);
    need(res["ruleIndex"].is_number_unsigned() && driver["rules"][res["ruleIndex"].get<size_t>()]["id"] == id,
         "ruleIndex points at ruleId");
    need(res["message"]["text"].is_string() && !res["message"]["text"].get<std::string>().empty(), "message.text");
    const std::string level = res.value("level", "");
    const std::string kind = res.value("kind", "");
    need(level == "none" || level == "note" || level == "warning" || level == "error", "level enum");
    need(kind == "fail" || level == "none", "non-fail kinds have level none (SARIF 3.27.9)");
    need(res["locations"].is_array() && !res["locations"].empty(), "locations");
    const auto& loc = res["locations"][0];
    need(loc["logicalLocations"][0]["name"].is_string(), "logical location");
    // GitHub code scanning wants a non-empty artifactLocation.uri and refuses absolute URIs
    // outside the checkout: a relative reference against a declared uriBaseId (SARIF 3.4.4).
    const json& artifact = loc["physicalLocation"]["artifactLocation"];
    const std::string uri = artifact.value("uri", "");
    need(!uri.empty() && uri.find("://") == std::string::npos && uri.find(':') > uri.find('/') &&
             uri.find(' ') == std::string::npos,
         "relative uri: " + uri);
    need(run["originalUriBaseIds"].contains(artifact.value("uriBaseId", "")), "uriBaseId declared: " + uri);
    need(res["partialFingerprints"].is_object() && !res["partialFingerprints"].empty(), "partialFingerprints");
  }
  return problems;
}
}  // namespace

TEST_CASE("sarif has the required structure") {
  const json doc = json::parse(render_sarif(testing::fixture_report()));
  const auto problems = check_sarif(doc);
  for (const auto& p : problems) FAIL_CHECK(p);
  REQUIRE(problems.empty());
  const json& run = doc["runs"][0];
  REQUIRE(run["tool"]["driver"]["rules"].size() == 11);  // distinct rule ids evaluated
  // fail 6 + error 1 + waived 1; pass and skipped are not results in SARIF.
  REQUIRE(run["results"].size() == 8);
}

TEST_CASE("sarif levels, kinds, suppressions and locations") {
  const json doc = json::parse(render_sarif(testing::fixture_report()));
  std::map<std::string, json> by_key;
  for (const auto& r : doc["runs"][0]["results"])
    by_key[r["ruleId"].get<std::string>() + " " + r["properties"]["subject"].get<std::string>()] = r;
  const json& crit = by_key.at("CERT-001 https://mail.example.com:443#cert");
  REQUIRE(crit["level"] == "error");
  REQUIRE(crit["kind"] == "fail");
  REQUIRE(by_key.at("TLS-001 https://mail.example.com:443")["level"] == "warning");
  REQUIRE(by_key.at("TLS-009 https://mail.example.com:443")["level"] == "note");
  const json& err = by_key.at("MAIL-001 smtp://mail.example.com:25");
  REQUIRE(err["kind"] == "open");
  REQUIRE(err["level"] == "none");
  const json& waived = by_key.at("CERT-002 https://mail.example.com:443#cert");
  REQUIRE(waived["suppressions"][0]["kind"] == "external");
  REQUIRE(waived["suppressions"][0]["justification"].get<std::string>().find("CHG-1042") != std::string::npos);
  const json& eas = by_key.at("EAS-001 mail.example.com:443/Microsoft-Server-ActiveSync");
  // Network subjects are relative URIs against a declared base, never absolute https: URIs
  // (code scanning refuses those), with the subject id as a logical location.
  const json& eas_artifact = eas["locations"][0]["physicalLocation"]["artifactLocation"];
  REQUIRE(eas_artifact["uri"] == "vdir/https/mail.example.com/443/Microsoft-Server-ActiveSync");
  REQUIRE(eas_artifact["uriBaseId"] == "SCANNED_SUBJECTS");
  REQUIRE(doc["runs"][0]["originalUriBaseIds"].contains("SCANNED_SUBJECTS"));
  REQUIRE(eas["locations"][0]["logicalLocations"][0]["name"] == "mail.example.com:443/Microsoft-Server-ActiveSync");
  REQUIRE(eas["properties"]["url"] == "https://mail.example.com:443/Microsoft-Server-ActiveSync");
  REQUIRE(by_key.at("MAIL-001 smtp://mail.example.com:25")["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
          "endpoint/smtp/mail.example.com/25");
  REQUIRE(crit["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "certificate/https/mail.example.com/443/cert");
  for (const auto& r : doc["runs"][0]["results"]) {
    const std::string uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    REQUIRE(uri.find("://") == std::string::npos);
    REQUIRE_FALSE(uri.empty());
  }
  const json* rule = nullptr;
  for (const auto& r : doc["runs"][0]["tool"]["driver"]["rules"])
    if (r["id"] == "EAS-001") rule = &r;
  REQUIRE(rule);
  REQUIRE((*rule)["help"]["text"].get<std::string>().rfind("In IIS Manager", 0) == 0);
  REQUIRE((*rule)["properties"]["security-severity"] == "8.0");
  REQUIRE((*rule)["helpUri"] == "https://learn.microsoft.com/en-us/exchange/clients/exchange-activesync");
}

TEST_CASE("sarif fingerprints are stable per finding and distinct between findings") {
  ScanReport a = testing::fixture_report();
  ScanReport b = testing::fixture_report();
  b.results[0].message = "different wording next week";  // the same finding
  const json ja = json::parse(render_sarif(a));
  const json jb = json::parse(render_sarif(b));
  std::set<std::string> seen;
  for (size_t i = 0; i < ja["runs"][0]["results"].size(); ++i) {
    const auto& fa = ja["runs"][0]["results"][i]["partialFingerprints"];
    REQUIRE(fa == jb["runs"][0]["results"][i]["partialFingerprints"]);
    REQUIRE(seen.insert(fa.dump()).second);
  }
}

TEST_CASE("sarif relative URIs of IPv6 and unusual subjects stay valid URI references") {
  ScanReport report = testing::fixture_report();
  Result r = report.results.front();
  r.subject_kind = SubjectKind::Endpoint;
  r.subject = "https://[2001:db8::1]:8443";
  r.status = Status::Fail;
  report.results = {r};
  r.subject = "https://h\xff st:1#cert:rsa";
  r.subject_kind = SubjectKind::Certificate;
  report.results.push_back(r);
  const json doc = json::parse(render_sarif(report));
  std::set<std::string> uris;
  for (const auto& res : doc["runs"][0]["results"]) uris.insert(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]);
  REQUIRE(uris == std::set<std::string>{"endpoint/https/%5B2001:db8::1%5D/8443", "certificate/https/h%FF%20st/1/cert:rsa"});
}
