#include "tests/reports/fixture.h"

namespace pp::reports::testing {

std::string hostile() {
  using namespace std::string_literals;
  return "220 mail\0ESMTP\x01\x1b[31mred\x1b[0m \xff\xfe bad \xc3\x28 utf8 ]]> <script>alert(1)</script> "
         "</script><!-- x --> \"q\" 'a' & \xe2\x80\xa8 caf\xc3\xa9 \xf0\x9f\x94\x92\r\n"s;
}

namespace {

Subject endpoint(std::string target, std::string host, std::string scheme, uint16_t port) {
  Subject s;
  s.kind = SubjectKind::Endpoint;
  s.target = std::move(target);
  s.host = std::move(host);
  s.scheme = std::move(scheme);
  s.port = port;
  return s;
}

Subject cert_of(Subject s) {
  s.kind = SubjectKind::Certificate;
  return s;
}

Subject vdir(std::string target, std::string host, uint16_t port, uint16_t plain, std::string path) {
  Subject s;
  s.kind = SubjectKind::Vdir;
  s.target = std::move(target);
  s.host = std::move(host);
  s.port = port;
  s.plain_port = plain;
  s.path = std::move(path);
  return s;
}

Result result(const Subject& s, std::string rule, std::string pack, std::string title, Severity sev, Status st,
              std::string message) {
  Result r;
  r.rule_id = std::move(rule);
  r.own_text().pack = std::move(pack);
  r.own_text().title = std::move(title);
  r.severity = sev;
  r.target = s.target;
  r.subject = s.id();
  r.subject_kind = s.kind;
  r.status = st;
  r.message = std::move(message);
  return r;
}

}  // namespace

ScanReport fixture_report() {
  ScanReport rep;
  rep.tool_version = "0.1.0";
  rep.started_at = "2025-03-01T09:00:00Z";
  rep.finished_at = "2025-03-01T09:02:05Z";
  rep.profiles = {"exchange-baseline"};
  rep.targets = {"mail-fe", "legacy-owa", "dc01"};
  rep.metadata = {{"hostname", "scanner01"}, {"command_line", "policyprobe scan --inventory fleet.toml"}, {"shard", "1/1"}};

  const Subject mail_https = endpoint("mail-fe", "mail.example.com", "https", 443);
  const Subject mail_cert = cert_of(mail_https);
  const Subject mail_smtp = endpoint("mail-fe", "mail.example.com", "smtp", 25);
  const Subject eas = vdir("mail-fe", "mail.example.com", 443, 80, "/Microsoft-Server-ActiveSync");
  const Subject owa = vdir("legacy-owa", "owa.example.org", 443, 80, "/owa");
  Subject legacy_https = endpoint("legacy-owa", "10.0.0.5", "https", 443);
  legacy_https.sni = "owa.example.org";
  const Subject legacy_cert = cert_of(legacy_https);
  const Subject ldap = endpoint("dc01", "2001:db8::10", "ldap", 389);

  // ---- results: every status and severity ----
  Result r = result(eas, "EAS-001", "exchange-activesync", "ActiveSync refuses plaintext HTTP", Severity::High,
                    Status::Fail, "plain HTTP on port 80 serves the ActiveSync endpoint");
  r.evidence = {"http.plain.serves_content = true  (HTTP/1.1 200 OK)", "Server: " + hostile()};
  r.own_text().remediation = "In IIS Manager, select the virtual directory, open SSL Settings and tick Require SSL.\nThen restart IIS.";
  r.own_text().references = {"KB 320291", "https://learn.microsoft.com/en-us/exchange/clients/exchange-activesync"};
  r.own_text().description = "Devices must never send credentials over plaintext HTTP.";
  rep.results.push_back(r);

  r = result(eas, "EAS-002", "exchange-activesync", "ActiveSync offers Basic only under TLS", Severity::Medium,
             Status::Pass, "Basic is offered only over TLS");
  rep.results.push_back(r);

  r = result(mail_cert, "CERT-001", "certificates", "Certificate not expiring within 30 days", Severity::Critical,
             Status::Fail, "the certificate expires in 12 days (the minimum is 30)");
  r.assertion = "expected cert.days_left min 30 (parameter min_days_left), got 12";
  r.evidence = {"cert.days_left = 12  (notAfter=Mar 13 09:00:00 2025 GMT)"};
  r.own_text().remediation = "Renew the certificate and bind it to every service (IIS, SMTP, IMAP, POP).";
  rep.results.push_back(r);

  r = result(mail_cert, "CERT-002", "certificates", "Certificate names cover every client name", Severity::High,
             Status::Waived, "autodiscover.example.com is not in the SAN");
  r.waiver = "Autodiscover uses an SRV record (CHG-1042), expires 2025-06-30";
  r.evidence = {"cert.names_missing = [autodiscover.example.com]"};
  rep.results.push_back(r);

  r = result(mail_smtp, "MAIL-001", "mail-transport", "SMTP offers STARTTLS", Severity::High, Status::Error,
             "could not observe mail.starttls.offered: connection reset after banner");
  r.evidence = {"banner: " + hostile()};
  r.own_text().remediation = "Check that the SMTP receive connector accepts connections from the scanner.";
  rep.results.push_back(r);

  r = result(mail_smtp, "MAIL-002", "mail-transport", "No AUTH before STARTTLS", Severity::Low, Status::Fail,
             "AUTH LOGIN advertised before STARTTLS: " + hostile());
  r.evidence = {"250-AUTH LOGIN PLAIN"};
  rep.results.push_back(r);

  r = result(mail_https, "TLS-001", "tls-baseline", "No SSLv3 or TLS 1.0", Severity::Medium, Status::Fail,
             "accepts TLS 1.0");
  r.assertion = "expected tls.protocols not_contains [SSLv3, TLSv1.0], got [TLSv1.0, TLSv1.2, TLSv1.3]";
  r.evidence = {"tls.protocols = [TLSv1.0, TLSv1.2, TLSv1.3]"};
  r.own_text().remediation = "Disable TLS 1.0 and 1.1 in SCHANNEL (registry) and reboot.";
  rep.results.push_back(r);

  r = result(mail_https, "TLS-009", "tls-baseline", "Server prefers its own cipher order", Severity::Info, Status::Fail,
             "the client's cipher order is honoured");
  rep.results.push_back(r);

  r = result(owa, "OWA-001", "exchange-owa", "OWA refuses plaintext HTTP", Severity::High, Status::Pass,
             "plain HTTP redirects to https");
  rep.results.push_back(r);

  r = result(legacy_cert, "CERT-001", "certificates", "Certificate not expiring within 30 days", Severity::Critical,
             Status::Fail, "the certificate expired 20 days ago");
  r.evidence = {"cert.days_left = -20"};
  r.own_text().remediation = "Renew the certificate and bind it to every service (IIS, SMTP, IMAP, POP).";
  rep.results.push_back(r);

  r = result(ldap, "LDAP-001", "directory", "LDAP offers StartTLS", Severity::Medium, Status::Skipped,
             "not applicable: the endpoint is LDAPS only");
  rep.results.push_back(r);

  r = result(ldap, "LDAP-002", "directory", "Anonymous bind refused", Severity::High, Status::Pass, "anonymous bind refused");
  rep.results.push_back(r);

  // ---- facts ----
  SubjectFacts f;
  f.subject = mail_cert;
  f.facts.put(Fact::known("cert.subject", std::string("CN=mail.example.com,O=<script>alert(1)</script>")));
  f.facts.put(Fact::known("cert.issuer", std::string("CN=Example Issuing CA 1,DC=example,DC=com")));
  f.facts.put(Fact::known("cert.san", StringList{"mail.example.com", "owa.example.com", "bad\x01name\xff"}));
  f.facts.put(Fact::known("cert.not_after", std::string("2025-03-13T09:00:00Z")));
  f.facts.put(Fact::known("cert.days_left", int64_t{12}, "notAfter=Mar 13 09:00:00 2025 GMT"));
  f.facts.put(Fact::known("cert.trusted", true));
  rep.facts.push_back(f);

  f = {};
  f.subject = legacy_cert;
  f.facts.put(Fact::known("cert.subject", std::string("CN=owa.example.org")));
  f.facts.put(Fact::known("cert.issuer", std::string("CN=owa.example.org")));
  f.facts.put(Fact::known("cert.san", StringList{}));
  f.facts.put(Fact::known("cert.not_after", std::string("2025-02-09T00:00:00Z")));
  f.facts.put(Fact::known("cert.days_left", int64_t{-20}));
  f.facts.put(Fact::known("cert.self_signed", true));
  rep.facts.push_back(f);

  f = {};
  f.subject = mail_smtp;
  f.facts.put(Fact::known("mail.banner", hostile(), hostile()));
  f.facts.put(Fact::unknown("mail.starttls.offered", "connection reset after banner"));
  rep.facts.push_back(f);

  f = {};
  f.subject = eas;
  f.facts.put(Fact::known("http.plain.serves_content", true, "HTTP/1.1 200 OK"));
  f.facts.put(Fact::absent("http.plain.redirect_location", "no Location header"));
  rep.facts.push_back(f);

  f = {};
  f.subject = mail_https;
  f.facts.put(Fact::known("tls.protocols", StringList{"TLSv1.0", "TLSv1.2", "TLSv1.3"}));
  // What the TLS block shows: every grade, a suite name no rule recognises (server bytes).
  f.facts.put(Fact::known("tls.ciphers.tls10", StringList{"TLS_RSA_WITH_RC4_128_MD5", "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
                                                          "TLS_DH_anon_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_DES_CBC_SHA",
                                                          hostile()}));
  f.facts.put(Fact::known("tls.ciphers.tls12",
                          StringList{"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                                     "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
                                     "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
                                     "TLS_RSA_WITH_3DES_EDE_CBC_SHA"}));
  f.facts.put(Fact::known("tls.ciphers.tls13", StringList{"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"}));
  f.facts.put(Fact::known("tls.server_order", false));
  f.facts.put(Fact::known("tls.groups", StringList{"x25519", "secp256r1", "ffdhe2048"}));
  f.facts.put(Fact::known("tls.min_dh_bits", int64_t{2048}));
  rep.facts.push_back(f);

  f = {};
  f.subject = owa;
  f.facts.put(Fact::known("http.plain.serves_content", false));
  rep.facts.push_back(f);

  f = {};
  f.subject = legacy_https;
  rep.facts.push_back(f);

  f = {};
  f.subject = ldap;
  f.subject.scheme = "ldap";
  f.facts.put(Fact::known("mail.starttls.offered", false));
  rep.facts.push_back(f);
  return rep;
}

}  // namespace pp::reports::testing
