#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/json.h"
#include "core/text.h"
#include "tests/reports/fixture.h"

using namespace pp;
using namespace pp::reports;
using pp::reports::testing::fixture_report;
using pp::reports::testing::hostile;

TEST_CASE("json output is valid UTF-8 with escaped controls and typed values") {
  const std::string out = render_json(fixture_report());
  REQUIRE(text::valid_utf8(out) == out);
  for (unsigned char c : out) REQUIRE((c >= 0x20 || c == '\n'));
  auto j = nlohmann::json::parse(out);
  REQUIRE(j["schema_version"] == 2);
  REQUIRE(j["tool"]["version"] == "0.1.0");
  REQUIRE(j["results"].size() == 12);
  REQUIRE(j["summary"]["status"]["fail"] == 6);
  bool saw_int = false, saw_list = false, saw_bool = false, saw_null = false;
  for (const auto& f : j["facts"]) {
    REQUIRE(f.contains("target"));
    REQUIRE(f.contains("subject"));
    REQUIRE(f.contains("kind"));
    if (f["name"] == "cert.days_left" && f["value"] == 12) saw_int = f["value"].is_number_integer();
    if (f["name"] == "tls.protocols") saw_list = f["value"].is_array() && f["value"].size() == 3;
    if (f["name"] == "cert.trusted") saw_bool = f["value"].is_boolean();
    if (f["state"] == "unknown") saw_null = f["value"].is_null() && f["reason"] == "connection reset after banner";
  }
  REQUIRE(saw_int);
  REQUIRE(saw_list);
  REQUIRE(saw_bool);
  REQUIRE(saw_null);
  // NUL and ESC survive as escapes, not raw bytes.
  REQUIRE(out.find("\\u0000") != std::string::npos);
  REQUIRE(out.find("\\u001b[31m") != std::string::npos);
}

TEST_CASE("json round trip keeps every field (bad UTF-8 becomes U+FFFD)") {
  const ScanReport original = fixture_report();
  const std::string first = render_json(original);
  ScanReport back;
  REQUIRE(parse_json_report(first, back) == "");
  REQUIRE(render_json(back) == first);

  ScanReport sorted = original;
  sort_report(sorted);
  REQUIRE(back.results.size() == sorted.results.size());
  for (size_t i = 0; i < back.results.size(); ++i) {
    const Result& a = sorted.results[i];
    const Result& b = back.results[i];
    REQUIRE(b.rule_id == a.rule_id);
    REQUIRE(b.status == a.status);
    REQUIRE(b.severity == a.severity);
    REQUIRE(b.subject_kind == a.subject_kind);
    REQUIRE(b.message == text::valid_utf8(a.message));
    REQUIRE(b.assertion == a.assertion);
    REQUIRE(b.evidence.size() == a.evidence.size());
    for (size_t k = 0; k < a.evidence.size(); ++k) REQUIRE(b.evidence[k] == text::valid_utf8(a.evidence[k]));
    REQUIRE(b.references() == a.references());
    REQUIRE(b.waiver == a.waiver);
  }
  REQUIRE(back.facts.size() == sorted.facts.size());
  for (size_t i = 0; i < back.facts.size(); ++i) {
    REQUIRE(back.facts[i].subject.id() == sorted.facts[i].subject.id());
    REQUIRE(back.facts[i].subject.sni == sorted.facts[i].subject.sni);
    REQUIRE(back.facts[i].facts.all().size() == sorted.facts[i].facts.all().size());
  }
  const SubjectFacts* smtp = nullptr;
  for (const auto& sf : back.facts)
    if (sf.subject.scheme == "smtp") smtp = &sf;
  REQUIRE(smtp);
  const Fact* banner = smtp->facts.find("mail.banner");
  REQUIRE(banner);
  REQUIRE(std::get<std::string>(banner->value) == text::valid_utf8(hostile()));
  REQUIRE(std::get<std::string>(banner->value).find('\0') != std::string::npos);
  REQUIRE(smtp->facts.find("mail.starttls.offered")->state == FactState::Unknown);
  REQUIRE(back.metadata == original.metadata);
  REQUIRE(back.started_at == original.started_at);
}

TEST_CASE("json reader refuses what it cannot trust, saying where") {
  ScanReport r;
  REQUIRE(parse_json_report("{", r).find("not valid JSON") != std::string::npos);
  REQUIRE(parse_json_report("[]", r).find("not an object") != std::string::npos);
  REQUIRE(parse_json_report(R"({"schema_version": 3})", r).find("unsupported schema_version 3") != std::string::npos);
  const std::string bad_sev =
      R"({"schema_version":1,"results":[{"rule_id":"X","severity":"urgent","target":"t","subject":"s","subject_kind":"endpoint","status":"fail"}]})";
  REQUIRE(parse_json_report(bad_sev, r) == "/results/0/severity: unknown severity 'urgent'");
  const std::string orphan =
      R"({"schema_version":1,"facts":[{"target":"t","subject":"https://x:443","name":"a.b","state":"absent"}]})";
  REQUIRE(parse_json_report(orphan, r).find("is not in /subjects") != std::string::npos);
  const std::string bad_value =
      R"({"schema_version":1,"subjects":[{"id":"https://x:443","kind":"endpoint","target":"t","host":"x","scheme":"https","port":443}],
          "facts":[{"target":"t","subject":"https://x:443","name":"a.b","state":"known","value":{"o":1}}]})";
  REQUIRE(parse_json_report(bad_value, r) == "/facts/0/value: expected bool, integer, string or array of strings");
  const std::string dup =
      R"({"schema_version":1,"results":[{"rule_id":"X","severity":"low","target":"t","subject":"s","subject_kind":"endpoint","status":"fail"},
                                        {"rule_id":"X","severity":"low","target":"t","subject":"s","subject_kind":"endpoint","status":"pass"}]})";
  REQUIRE(parse_json_report(dup, r) == "/results/1: a second result for rule 'X' on 's'");
  REQUIRE(load_json_report("/nonexistent/dir/report.json", r).find("/nonexistent/dir/report.json") != std::string::npos);
}

TEST_CASE("json_for_html cannot close a script element and keeps the meaning") {
  const std::string json = render_json(fixture_report());
  const std::string safe = json_for_html(json);
  REQUIRE(safe.find('<') == std::string::npos);
  REQUIRE(safe.find('>') == std::string::npos);
  REQUIRE(safe.find("\xe2\x80\xa8") == std::string::npos);
  REQUIRE(nlohmann::json::parse(safe) == nlohmann::json::parse(json));
}

TEST_CASE("the streamed json is byte for byte what one whole-document dump prints") {
  for (bool empty : {false, true}) {
    ScanReport report = fixture_report();
    if (empty) {
      report.results.clear();
      report.facts.clear();
    }
    std::string streamed;
    size_t pieces = 0;
    REQUIRE(render_json_to(report, [&](std::string_view p) {
      streamed.append(p);
      ++pieces;
      return true;
    }));
    CHECK(streamed == render_json(report));
    CHECK(streamed == nlohmann::ordered_json::parse(streamed).dump(2) + "\n");
    if (!empty) CHECK(pieces > report.results.size());  // one result at a time, never the whole text
    // A sink that fails stops the rendering.
    size_t calls = 0;
    CHECK_FALSE(render_json_to(report, [&](std::string_view) { return ++calls < 3; }));
    CHECK(calls == 3);
  }
}

TEST_CASE("warnings are written only when there are some, and read back") {
  ScanReport report = fixture_report();
  REQUIRE(nlohmann::json::parse(render_json(report)).count("warnings") == 0);  // older readers see no change
  report.warnings = {"w.toml:3:1: waiver for rule 'TLS-001' on 'x*' matches nothing in this scan"};
  const std::string out = render_json(report);
  REQUIRE(nlohmann::json::parse(out)["warnings"][0] == report.warnings[0]);
  ScanReport back;
  REQUIRE(parse_json_report(out, back) == "");
  REQUIRE(back.warnings == report.warnings);
}

TEST_CASE("a truncated report is refused as invalid JSON, saying where") {
  const std::string whole = render_json(fixture_report());
  ScanReport r;
  const std::string err = parse_json_report(whole.substr(0, whole.size() / 2), r);
  REQUIRE(err.rfind("not valid JSON: ", 0) == 0);
  REQUIRE(err.find("parse error at line") != std::string::npos);
}

TEST_CASE("json: the scan's waivers, with owner and ticket, round-trip; a report without them reads as before") {
  ScanReport r;
  r.tool_version = "0.1.0";
  r.waivers.push_back({"TLS-001", "legacy", "appliance replaced in Q3", "ops lead", "CHG-7", "2026-01-02", "2026-09-30",
                       "w.toml:2:1", "active"});
  const std::string text = render_json(r);
  const auto j = nlohmann::json::parse(text);
  REQUIRE(j["waivers"].size() == 1);
  CHECK(j["waivers"][0]["owner"] == "ops lead");
  CHECK(j["waivers"][0]["ticket"] == "CHG-7");
  ScanReport back;
  REQUIRE(parse_json_report(text, back).empty());
  REQUIRE(back.waivers.size() == 1);
  CHECK(back.waivers[0] == r.waivers[0]);
  CHECK(nlohmann::json::parse(render_json(ScanReport{})).count("waivers") == 0);
  ScanReport bad;
  CHECK(parse_json_report(R"({"schema_version": 1, "waivers": [{"subject": "x"}]})", bad) == "/waivers/0/rule: missing");
  CHECK(parse_json_report(R"({"schema_version": 0})", bad).find("(this build reads 1") != std::string::npos);
}

TEST_CASE("a subject read from a configuration file keeps its file through the JSON report") {
  ScanReport r;
  SubjectFacts sf;
  sf.subject.kind = SubjectKind::Vdir;
  sf.subject.target = "fe";
  sf.subject.host = "Default Web Site";
  sf.subject.port = 443;
  sf.subject.path = "/owa";
  sf.subject.source = "iis/applicationHost.config";
  sf.facts.put(Fact::known("iis.ssl_required", false, "iis/applicationHost.config:133: sslFlags=\"None\""));
  r.facts.push_back(sf);
  ScanReport back;
  REQUIRE(parse_json_report(render_json(r), back) == "");
  REQUIRE(back.facts.size() == 1);
  CHECK(back.facts[0].subject.source == "iis/applicationHost.config");
  CHECK(back.facts[0].subject.id() == "iis/applicationHost.config:Default Web Site/owa");
}
