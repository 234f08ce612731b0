#include "tests/reports/fleet.h"

#include <array>
#include <cstdio>
#include <string>

namespace pp::reports::testing {

namespace {

struct RuleSpec {
  const char* id;
  const char* pack;
  const char* title;
  Severity severity;
  SubjectKind kind;
  unsigned fail_per_mille;  ///< how often it fails on a reachable subject
  const char* fact;         ///< what the evidence line names
};

constexpr std::array<RuleSpec, 24> kRules = {{
    {"TLS-001", "tls-baseline", "No SSLv2, SSLv3, TLS 1.0 or 1.1", Severity::High, SubjectKind::Endpoint, 220, "tls.protocols"},
    {"TLS-002", "tls-baseline", "No RC4, 3DES, EXPORT or NULL ciphers", Severity::High, SubjectKind::Endpoint, 120, "tls.ciphers.weak"},
    {"TLS-003", "tls-baseline", "Forward secrecy for every cipher", Severity::Medium, SubjectKind::Endpoint, 180, "tls.ciphers.no_fs"},
    {"TLS-004", "tls-baseline", "TLS 1.2 or later is offered", Severity::Critical, SubjectKind::Endpoint, 10, "tls.protocols"},
    {"TLS-005", "tls-baseline", "Secure renegotiation", Severity::Medium, SubjectKind::Endpoint, 30, "tls.secure_renegotiation"},
    {"TLS-006", "tls-baseline", "Server prefers its own cipher order", Severity::Low, SubjectKind::Endpoint, 300, "tls.server_order"},
    {"TLS-007", "tls-baseline", "Strong key exchange groups (no DH under 2048 bits)", Severity::Medium, SubjectKind::Endpoint, 150, "tls.dh_bits"},
    {"TLS-008", "tls-baseline", "No TLS compression (CRIME)", Severity::High, SubjectKind::Endpoint, 5, "tls.compression"},
    {"CERT-001", "certificates", "The certificate chain is trusted", Severity::Critical, SubjectKind::Certificate, 40, "cert.trusted"},
    {"CERT-002", "certificates", "Certificate not expiring within 30 days", Severity::High, SubjectKind::Certificate, 60, "cert.days_left"},
    {"CERT-003", "certificates", "Certificate names cover every client name", Severity::High, SubjectKind::Certificate, 50, "cert.names_missing"},
    {"CERT-004", "certificates", "RSA keys of 2048 bits or more", Severity::Medium, SubjectKind::Certificate, 20, "cert.key_bits"},
    {"CERT-005", "certificates", "No SHA-1 signature", Severity::Medium, SubjectKind::Certificate, 15, "cert.signature_algorithm"},
    {"CERT-006", "certificates", "The chain is sent complete and in order", Severity::Low, SubjectKind::Certificate, 70, "cert.chain_complete"},
    {"WEB-001", "web-hardening", "TRACE and TRACK are disabled", Severity::Medium, SubjectKind::Vdir, 60, "http.tls.trace_enabled"},
    {"WEB-002", "web-hardening", "Plain HTTP redirects to HTTPS", Severity::High, SubjectKind::Vdir, 90, "http.plain.serves_content"},
    {"WEB-004", "web-hardening", "HSTS is sent with a long max-age", Severity::Medium, SubjectKind::Vdir, 250, "http.tls.hsts"},
    {"WEB-005", "web-hardening", "No server version in headers", Severity::Low, SubjectKind::Vdir, 300, "http.tls.server_header"},
    {"WEB-007", "web-hardening", "X-Content-Type-Options: nosniff", Severity::Low, SubjectKind::Vdir, 350, "http.tls.nosniff"},
    {"WEB-008", "web-hardening", "Clickjacking protection (X-Frame-Options or CSP frame-ancestors)", Severity::Low, SubjectKind::Vdir, 350, "http.tls.frame_options"},
    {"EXF-002", "exchange-frontend", "Basic authentication is not offered over plain HTTP", Severity::Critical, SubjectKind::Vdir, 25, "http.plain.basic_offered"},
    {"EXF-003", "exchange-frontend", "NTLM only under TLS", Severity::High, SubjectKind::Vdir, 40, "http.plain.ntlm_offered"},
    {"MAIL-001", "mail-transport", "SMTP offers STARTTLS", Severity::High, SubjectKind::Endpoint, 150, "mail.starttls.offered"},
    {"MAIL-002", "mail-transport", "No AUTH before STARTTLS", Severity::Medium, SubjectKind::Endpoint, 100, "mail.auth_before_tls"},
}};

/// Remediation of about the lab's length: several lines an administrator follows.
std::string remediation_of(const RuleSpec& rule) {
  return std::string("Windows / IIS: change the setting behind ") + rule.fact +
         " in IIS Manager or the SCHANNEL registry keys, then restart the service.\n"
         "nginx: set the matching directive in the server block and reload.\n"
         "Apache: set the matching directive in the VirtualHost and reload.\n"
         "Verify with policyprobe scan --target <host> --rule " + rule.id + ".";
}

/// A small deterministic hash: the same fleet every run, without a random engine.
unsigned mix(size_t a, size_t b) {
  uint64_t x = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull);
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return static_cast<unsigned>(x % 1000);
}

}  // namespace

ScanReport fleet_report(size_t endpoints) {
  ScanReport rep;
  rep.tool_version = "0.1.0";
  rep.started_at = "2025-03-01T02:00:00Z";
  rep.finished_at = "2025-03-01T02:41:17Z";
  rep.profiles = {"default", "exchange-baseline"};
  rep.metadata = {{"command", "policyprobe scan -i fleet.toml --baseline last-week.json"}, {"shard", "1/1"}};
  for (size_t e = 0; e < endpoints; ++e) {
    char name[32];
    std::snprintf(name, sizeof name, "site-%04zu", e);
    const std::string target = name;
    const std::string host = target + ".corp.example.com";
    rep.targets.push_back(target);
    Subject https;
    https.kind = SubjectKind::Endpoint;
    https.target = target;
    https.host = host;
    https.scheme = "https";
    https.port = 443;
    Subject cert = https;
    cert.kind = SubjectKind::Certificate;
    Subject smtp = https;
    smtp.scheme = "smtp";
    smtp.port = 25;
    std::vector<Subject> vdirs;
    for (const char* path : {"/owa", "/Microsoft-Server-ActiveSync"}) {
      Subject v;
      v.kind = SubjectKind::Vdir;
      v.target = target;
      v.host = host;
      v.port = 443;
      v.plain_port = 80;
      v.path = path;
      vdirs.push_back(v);
    }
    const bool unreachable = mix(e, 1) < 50;
    const bool has_smtp = e % 10 == 3;
    std::string probe_subject;
    if (unreachable) {
      Result p;
      p.rule_id = "PROBE";
      p.own_text().pack = "probe";
      p.own_text().title = "The scanner could not observe this endpoint";
      p.severity = Severity::High;
      p.target = target;
      p.subject = https.id();
      p.status = Status::Error;
      p.message = https.id() + " did not answer: connection timed out after 5 s (port 443 filtered?)";
      p.evidence = {"observed: connect() to " + host + ":443 timed out after 5000 ms", "blocks 22 rule results"};
      rep.results.push_back(p);
      probe_subject = p.subject;
    }
    for (size_t k = 0; k < kRules.size(); ++k) {
      const RuleSpec& rule = kRules[k];
      const bool mail = std::string(rule.pack) == "mail-transport";
      if (mail && !has_smtp) continue;
      std::vector<const Subject*> subjects;
      if (mail) subjects = {&smtp};
      else if (rule.kind == SubjectKind::Endpoint) subjects = {&https};
      else if (rule.kind == SubjectKind::Certificate) subjects = {&cert};
      else subjects = {&vdirs[0], &vdirs[1]};
      for (const Subject* s : subjects) {
        Result r;
        r.rule_id = rule.id;
        r.own_text().pack = rule.pack;
        r.own_text().title = rule.title;
        r.severity = rule.severity;
        r.target = target;
        r.subject = s->id();
        r.subject_kind = s->kind;
        r.own_text().remediation = remediation_of(rule);
        r.own_text().references = {"https://learn.microsoft.com/en-us/windows-server/security/tls/tls-registry-settings"};
        r.own_text().description = std::string("Checks ") + rule.fact + " against the profile.";
        const unsigned roll = mix(e * 64 + k, s->kind == SubjectKind::Vdir ? s->path.size() : 0);
        if (unreachable && !mail) {
          r.status = Status::Blocked;
          r.blocked_by = "PROBE " + probe_subject;
          r.message = "blocked: connect() to " + host + ":443 timed out after 5000 ms";
          if (roll < 100) r.baseline = "not evaluated";
        } else if (roll < rule.fail_per_mille) {
          r.status = roll % 97 == 0 ? Status::Waived : Status::Fail;
          r.message = std::string("expected ") + rule.fact + " equals true, got false";
          r.evidence = {std::string(rule.fact) + " = false  (seen on " + s->id() + ")",
                        "Server: Microsoft-IIS/10.0; X-Powered-By: ASP.NET; date Sat, 01 Mar 2025 02:13:07 GMT"};
          if (r.status == Status::Waived) r.waiver = "accepted until the migration (CHG-" + std::to_string(e) + "), expires 2025-06-30";
          else r.baseline = roll % 7 == 0 ? "new" : "unchanged";
        } else if (roll > 996) {
          r.status = Status::Error;
          r.message = std::string("could not observe ") + rule.fact + ": connection reset after the ClientHello";
          r.evidence = {std::string(rule.fact) + ": unknown (connection reset by peer)"};
          r.baseline = "new";
        } else if (roll > 930 && rule.kind != SubjectKind::Vdir) {
          r.status = Status::Skipped;
          r.message = "not applicable: the facts say the feature is absent";
        } else {
          r.status = Status::Pass;
          if (roll % 41 == 0) r.baseline = "fixed";
        }
        rep.results.push_back(std::move(r));
      }
    }
    if (!unreachable) {
      SubjectFacts f;
      f.subject = cert;
      const int64_t days = static_cast<int64_t>(mix(e, 2)) - 60;
      f.facts.put(Fact::known("cert.subject", "CN=" + host + ",O=Example Corp,L=Zurich,C=CH"));
      f.facts.put(Fact::known("cert.issuer", std::string("CN=Example Issuing CA 2,DC=corp,DC=example,DC=com")));
      f.facts.put(Fact::known("cert.san", StringList{host, "autodiscover." + host, "mail." + host}));
      f.facts.put(Fact::known("cert.not_after", std::string("2026-01-01T00:00:00Z")));
      f.facts.put(Fact::known("cert.days_left", days));
      rep.facts.push_back(std::move(f));
    }
  }
  sort_report(rep);
  return rep;
}

}  // namespace pp::reports::testing
