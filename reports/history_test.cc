#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/history.h"
#include "reports/json.h"

using namespace pp;
using namespace pp::reports;

namespace {

Subject subject(SubjectKind kind, const std::string& target, const std::string& path = "") {
  Subject s;
  s.kind = kind;
  s.target = target;
  s.host = target + ".example.com";
  s.scheme = "https";
  s.port = 443;
  s.path = path;
  return s;
}

Result result(const std::string& rule, const Subject& s, Status st, Severity sev = Severity::High) {
  Result r;
  r.rule_id = rule;
  r.own_text().title = rule + " title";
  r.severity = sev;
  r.target = s.target;
  r.subject = s.id();
  r.subject_kind = s.kind;
  r.status = st;
  r.message = "a long message the digest drops";
  r.evidence = {"fact = value  (evidence)"};
  return r;
}

struct Run {
  ScanReport r;
  Run(const std::string& at, std::vector<std::string> protocols, std::vector<std::string> ciphers,
      const std::string& fingerprint, const std::string& not_after, std::vector<std::string> auth) {
    r.started_at = at;
    r.targets = {"mail"};
    const Subject ep = subject(SubjectKind::Endpoint, "mail");
    const Subject cert = subject(SubjectKind::Certificate, "mail");
    const Subject owa = subject(SubjectKind::Vdir, "mail", "/owa");
    SubjectFacts e{ep, {}};
    e.facts.put(Fact::known("tls.protocols", StringList(protocols)));
    e.facts.put(Fact::known("tls.ciphers", StringList(ciphers)));
    e.facts.put(Fact::known("tls.offered", true));
    SubjectFacts c{cert, {}};
    c.facts.put(Fact::known("cert.fingerprint_sha256", fingerprint));
    c.facts.put(Fact::known("cert.not_after", not_after));
    c.facts.put(Fact::known("cert.subject", "CN=mail.example.com"));
    c.facts.put(Fact::known("cert.san", StringList{"mail.example.com"}));
    SubjectFacts v{owa, {}};
    v.facts.put(Fact::known("http.tls.exists", true));
    v.facts.put(Fact::known("http.tls.auth_schemes", StringList(auth)));
    r.facts = {e, c, v};
  }
};

}  // namespace

TEST_CASE("history: new, fixed and regressed findings, run by run in scan-time order") {
  const Subject ep = subject(SubjectKind::Endpoint, "mail");
  Run a("2026-01-01T02:00:00Z", {"TLSv1.2"}, {"TLS_A"}, "aa", "2026-06-01T00:00:00Z", {"Basic"});
  Run b("2026-01-02T02:00:00Z", {"TLSv1.2"}, {"TLS_A"}, "aa", "2026-06-01T00:00:00Z", {"Basic"});
  Run c("2026-01-03T02:00:00Z", {"TLSv1.2"}, {"TLS_A"}, "aa", "2026-06-01T00:00:00Z", {"Basic"});
  a.r.results = {result("TLS-001", ep, Status::Fail), result("TLS-002", ep, Status::Pass, Severity::Low)};
  b.r.results = {result("TLS-001", ep, Status::Pass), result("TLS-002", ep, Status::Fail, Severity::Low)};
  c.r.results = {result("TLS-001", ep, Status::Fail), result("TLS-002", ep, Status::Fail, Severity::Low)};
  // Given out of order: the history orders by scan time.
  const History h = build_history({history_digest(c.r), history_digest(a.r), history_digest(b.r)}, {"c.json", "a.json", "b.json"});
  REQUIRE(h.runs.size() == 3);
  CHECK(h.runs[0].source == "a.json");
  CHECK(h.runs[2].source == "c.json");
  CHECK(h.runs[0].failed_by_severity[static_cast<size_t>(Severity::High)] == 1);
  REQUIRE(h.runs[1].fixed.size() == 1);
  CHECK(h.runs[1].fixed[0].rule_id == "TLS-001");
  REQUIRE(h.runs[1].added.size() == 1);
  CHECK(h.runs[1].added[0].rule_id == "TLS-002");
  CHECK(h.runs[1].regressed.empty());
  REQUIRE(h.runs[2].regressed.size() == 1);  // fixed in run 2, failing again in run 3
  CHECK(h.runs[2].regressed[0].rule_id == "TLS-001");
  CHECK(h.runs[2].added.empty());
  CHECK(h.runs[2].unchanged == 1);
  for (const auto& run : h.runs) CHECK(run.changes.empty());
}

TEST_CASE("history: a run that could not judge a finding neither fixes nor renews it") {
  const Subject ep = subject(SubjectKind::Endpoint, "mail");
  std::vector<ScanReport> runs(5);
  const Status seq[5][2] = {{Status::Fail, Status::Fail},
                            {Status::Blocked, Status::Blocked},  // endpoint not observed
                            {Status::Fail, Status::Pass},        // TLS-001 back; TLS-002 fixed
                            {Status::Blocked, Status::Blocked},
                            {Status::Fail, Status::Fail}};       // TLS-001 back; TLS-002 regressed
  for (size_t i = 0; i < runs.size(); ++i) {
    runs[i].started_at = "2026-01-0" + std::to_string(i + 1) + "T00:00:00Z";
    runs[i].targets = {"mail"};
    runs[i].results = {result("TLS-001", ep, seq[i][0]), result("TLS-002", ep, seq[i][1])};
  }
  const History h = build_history(runs, {});
  REQUIRE(h.runs.size() == 5);
  CHECK(h.runs[1].added.empty());
  CHECK(h.runs[1].fixed.empty());
  CHECK(h.runs[2].added.empty());
  REQUIRE(h.runs[2].returned.size() == 1);
  CHECK(h.runs[2].returned[0].rule_id == "TLS-001");
  REQUIRE(h.runs[2].fixed.size() == 1);
  CHECK(h.runs[2].fixed[0].rule_id == "TLS-002");
  CHECK(h.runs[4].added.empty());
  REQUIRE(h.runs[4].returned.size() == 1);
  REQUIRE(h.runs[4].regressed.size() == 1);
  CHECK(h.runs[4].regressed[0].rule_id == "TLS-002");
}

TEST_CASE("history: observed changes that matter without a finding") {
  Run a("2026-01-01T02:00:00Z", {"TLSv1.2", "TLSv1.1"}, {"TLS_A", "TLS_B"}, "aaaa", "2026-06-01T00:00:00Z", {"Basic"});
  Run renewed("2026-01-02T02:00:00Z", {"TLSv1.2", "TLSv1.3"}, {"TLS_A", "TLS_C"}, "bbbb", "2027-06-01T00:00:00Z",
              {"Basic", "Negotiate"});
  std::vector<FactChange> d = history_changes(history_digest(a.r), history_digest(renewed.r));
  std::vector<std::string> seen;
  for (const auto& c : d) seen.push_back(c.change + ": " + c.detail);
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::string>{
                    "auth method added: Negotiate (HTTPS)",
                    "certificate renewed: fingerprint aaaa -> bbbb, expires 2026-06-01T00:00:00Z -> 2027-06-01T00:00:00Z",
                    "protocol added: TLSv1.3", "protocol removed: TLSv1.1", "suite added: TLS_C", "suite removed: TLS_B"});

  // Other names on the new certificate: replaced, not renewed. The vdir now answers 404.
  Run other = renewed;
  other.r.facts[1].facts.put(Fact::known("cert.san", StringList{"other.example.com"}));
  other.r.facts[1].facts.put(Fact::known("cert.fingerprint_sha256", std::string("cccc")));
  other.r.facts[2].facts.put(Fact::known("http.tls.exists", false));
  d = history_changes(renewed.r, other.r);
  REQUIRE(d.size() == 2);
  CHECK(d[0].change == "certificate replaced");
  CHECK(d[1].change == "vdir disappeared");
  CHECK(d[1].detail == "/owa");

  // A fact not observed in one run is no change; a target that goes away is named once.
  Run unknown = renewed;
  unknown.r.facts[0].facts.put(Fact::unknown("tls.protocols", "timed out"));
  CHECK(history_changes(renewed.r, unknown.r).empty());
  ScanReport gone = renewed.r;
  gone.targets = {"cas2"};
  gone.facts.clear();
  d = history_changes(renewed.r, gone);
  REQUIRE(d.size() == 2);
  CHECK(d[0].change == "target appeared");
  CHECK(d[1].change == "target disappeared");
}

TEST_CASE("history outputs: console, JSON and an HTML page with its own SVG chart, escaped") {
  const Subject ep = subject(SubjectKind::Endpoint, "mail");
  Run a("2026-01-01T02:00:00Z", {"TLSv1.2"}, {"TLS_A"}, "aa", "2026-06-01T00:00:00Z", {"Basic"});
  Run b("2026-01-02T02:00:00Z", {"TLSv1.2"}, {"TLS_A", "TLS_<script>"}, "aa", "2026-06-01T00:00:00Z", {"Basic"});
  a.r.results = {result("TLS-001", ep, Status::Fail, Severity::Critical)};
  b.r.results = {result("TLS-001", ep, Status::Pass, Severity::Critical)};
  const History h = build_history({a.r, b.r}, {"a.json", "b.json"});
  const std::string text = history_text(h);
  INFO(text);
  CHECK(text.find("history: 2 runs, 2026-01-01T02:00:00Z to 2026-01-02T02:00:00Z") != std::string::npos);
  CHECK(text.find("  failures: critical 1 high 0 medium 0 low 0 info 0; findings (fail or error) 1") !=
        std::string::npos);
  CHECK(text.find("  - fixed     CRITICAL TLS-001 on https://mail.example.com:443 (pass)") != std::string::npos);
  CHECK(text.find("  ~ suite added: https://mail.example.com:443 TLS_<script>") != std::string::npos);

  const auto j = nlohmann::json::parse(history_json(h));
  CHECK(j["history_schema_version"] == 1);
  REQUIRE(j["runs"].size() == 2);
  CHECK(j["runs"][0]["failed_by_severity"]["critical"] == 1);
  CHECK(j["runs"][1]["fixed"][0]["rule_id"] == "TLS-001");
  CHECK(j["runs"][1]["changes"][0]["change"] == "suite added");

  const std::string html = history_html(h);
  CHECK(html.find("<svg class=\"trend\"") != std::string::npos);
  CHECK(html.find("<polyline class=\"sev-critical\"") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);  // no script of ours, and none from a report
  CHECK(html.find("TLS_&lt;script&gt;") != std::string::npos);
}
