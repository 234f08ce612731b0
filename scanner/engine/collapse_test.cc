#include "engine/collapse.h"

#include <catch2/catch.hpp>

using namespace pp;
using namespace pp::engine;

namespace {

Subject https_endpoint() {
  Subject s;
  s.kind = SubjectKind::Endpoint;
  s.target = "t";
  s.host = "h";
  s.scheme = "https";
  s.port = 4443;
  return s;
}

Result error(const std::string& rule, const std::string& subject, std::vector<std::string> facts, Severity sev) {
  Result r;
  r.rule_id = rule;
  r.target = "t";
  r.subject = subject;
  r.status = Status::Error;
  r.severity = sev;
  r.own_text().remediation = "do something";
  r.unknown_facts.assign(facts.begin(), facts.end());
  return r;
}

}  // namespace

TEST_CASE("collapse: every rule of a family that saw nothing points at one error") {
  SubjectFacts sf{https_endpoint(), {}};
  sf.facts.put(Fact::unknown("tls.protocols", "not a TLS record (starts 2A 20 4F 4B)"));
  sf.facts.put(Fact::unknown("tls.ciphers.weak", "not a TLS record (starts 2A 20 4F 4B)"));
  std::vector<Result> results = {error("TLS-001", "https://h:4443", {"tls.protocols"}, Severity::High),
                                 error("TLS-002", "https://h:4443", {"tls.ciphers.weak"}, Severity::Medium)};
  collapse_errors(results, {sf});
  REQUIRE(results.size() == 3);
  CHECK(results[0].status == Status::Blocked);
  CHECK(results[1].status == Status::Blocked);
  CHECK(results[0].remediation().empty());
  const Result& e = results[2];
  CHECK(e.rule_id == kProbeErrorRule);
  CHECK(e.status == Status::Error);
  CHECK(e.severity == Severity::High);
  CHECK(e.subject == "https://h:4443");
  CHECK(results[0].blocked_by == std::string(kProbeErrorRule) + " https://h:4443");
  CHECK(e.message.find("plaintext IMAP greeting: scan it as imap://") != std::string::npos);
}

TEST_CASE("collapse: two causes on one endpoint are one error naming both") {
  SubjectFacts sf{https_endpoint(), {}};
  sf.facts.put(Fact::unknown("tls.protocols", "no answer within 2 s of the ClientHello"));
  sf.facts.put(Fact::unknown("cert.days_left", "TLS handshake failed: unsupported protocol"));
  std::vector<Result> results = {error("TLS-001", "https://h:4443", {"tls.protocols"}, Severity::Medium),
                                 error("CERT-004", "https://h:4443", {"cert.days_left"}, Severity::High)};
  collapse_errors(results, {sf});
  REQUIRE(results.size() == 3);
  CHECK(results[0].status == Status::Blocked);
  CHECK(results[1].status == Status::Blocked);
  const Result& e = results[2];
  CHECK(e.rule_id == kProbeErrorRule);
  CHECK(e.severity == Severity::High);
  CHECK(e.message.find("; and ") != std::string::npos);
  REQUIRE(e.evidence.size() == 4);
  CHECK(e.evidence[0] == "observed: TLS handshake failed: unsupported protocol");
  CHECK(e.evidence[2] == "observed: no answer within 2 s of the ClientHello");
}

TEST_CASE("collapse: an error over one missing fact among known ones stays an error") {
  SubjectFacts sf{https_endpoint(), {}};
  sf.facts.put(Fact::known("tls.protocols", StringList{"TLSv1.2"}));
  sf.facts.put(Fact::unknown("tls.groups", "not enumerated"));
  std::vector<Result> results = {error("TLS-008", "https://h:4443", {"tls.groups"}, Severity::Medium)};
  collapse_errors(results, {sf});
  REQUIRE(results.size() == 1);
  CHECK(results[0].status == Status::Error);
  CHECK(results[0].blocked_by.empty());
}

TEST_CASE("collapse: vdir facts collapse onto the endpoint of their scheme") {
  Subject v = https_endpoint();
  v.kind = SubjectKind::Vdir;
  v.path = "/owa";
  v.plain_port = 8080;
  std::vector<SubjectFacts> observed;
  for (const char* path : {"/owa", "/ecp"}) {
    v.path = path;
    SubjectFacts sf{v, {}};
    sf.facts.put(Fact::unknown("http.tls.status", "TLS handshake failed: unsupported protocol"));
    sf.facts.put(Fact::known("http.plain.status", int64_t{200}));
    observed.push_back(sf);
  }
  SubjectFacts ep{https_endpoint(), {}};
  ep.facts.put(Fact::known("tls.protocols", StringList{"SSLv3"}));
  observed.push_back(ep);
  std::vector<Result> results = {error("EXF-001", "h:4443/owa", {"http.tls.status"}, Severity::High),
                                 error("EXF-001", "h:4443/ecp", {"http.tls.status"}, Severity::High)};
  collapse_errors(results, observed);
  REQUIRE(results.size() == 3);
  CHECK(results[2].subject == "https://h:4443");
  CHECK(results[2].message ==
        "https://h:4443 speaks only SSLv3: the HTTP over TLS checks need TLS 1.0 or later (the TLS protocol rules "
        "judge the endpoint itself)");
  CHECK(results[2].evidence[0] == "observed: TLS handshake failed: unsupported protocol");
}

TEST_CASE("advice: a refused port and an unresolvable name say what to check") {
  CHECK(advise("cannot resolve x.invalid: Name or service not known", "x.invalid", {}, "TLS") ==
        "x.invalid does not resolve from the scanner: check the host name");
  CHECK(advise("connection refused", "https://h:1", {}, "TLS").rfind("https://h:1 refused the connection", 0) == 0);
  CHECK(advise("weird", "e", {}, "TLS").empty());
}

TEST_CASE("collapse: a prefix two families share is dead or alive per family") {
  // exchange.* comes from the HTTP probe (exchange.supported) and from an Exchange settings
  // export (exchange.basic_auth, absent on a scanned vdir): the export's absent facts do not
  // make the probe's unobserved ones look observed.
  Subject v = https_endpoint();
  v.kind = SubjectKind::Vdir;
  v.path = "/owa";
  SubjectFacts sf{v, {}};
  sf.facts.put(Fact::unknown("exchange.supported", "no vdir of this web endpoint was answered"));
  sf.facts.put(Fact::unknown("exchange.build_disclosed", "no vdir of this web endpoint was answered"));
  sf.facts.put(Fact::absent("exchange.basic_auth", "only an Exchange settings export shows this"));
  std::vector<Result> results = {error("EXV-001", "h:4443/owa", {"exchange.supported"}, Severity::High)};
  collapse_errors(results, {sf});
  REQUIRE(results.size() == 2);
  CHECK(results[0].status == Status::Blocked);
  CHECK(results[1].rule_id == kProbeErrorRule);
  CHECK(results[1].evidence[0] == "observed: no vdir of this web endpoint was answered");
}
