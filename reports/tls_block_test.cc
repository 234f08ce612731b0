#include <catch2/catch.hpp>

#include "reports/tls_block.h"

using namespace pp;
using namespace pp::reports;

namespace {

SubjectFacts endpoint(const std::string& target, const std::string& host, uint16_t port) {
  SubjectFacts sf;
  sf.subject.kind = SubjectKind::Endpoint;
  sf.subject.target = target;
  sf.subject.host = host;
  sf.subject.scheme = "https";
  sf.subject.port = port;
  return sf;
}

/// A legacy-like endpoint: TLS 1.0 and 1.1 alike, TLS 1.2 with more, RC4 and 3DES among them.
SubjectFacts legacy(const std::string& target, uint16_t port) {
  SubjectFacts sf = endpoint(target, "legacy.example", port);
  const StringList old = {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_RC4_128_SHA",
                          "TLS_RSA_WITH_3DES_EDE_CBC_SHA"};
  sf.facts.put(Fact::known("tls.protocols", StringList{"TLSv1.0", "TLSv1.1", "TLSv1.2"}));
  sf.facts.put(Fact::known("tls.ciphers.ssl2", StringList{}));
  sf.facts.put(Fact::known("tls.ciphers.ssl3", StringList{}));
  sf.facts.put(Fact::known("tls.ciphers.tls10", old));
  sf.facts.put(Fact::known("tls.ciphers.tls11", old));
  sf.facts.put(Fact::known("tls.ciphers.tls12", StringList{"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                                                           "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"}));
  sf.facts.put(Fact::known("tls.ciphers.tls13", StringList{}));
  sf.facts.put(Fact::known("tls.server_order", true));
  sf.facts.put(Fact::unknown("tls.groups", "not enumerated (no rule asks); seen in passing: x25519"));
  sf.facts.put(Fact::known("tls.min_dh_bits", int64_t{1024}));
  return sf;
}

}  // namespace

TEST_CASE("TLS block: versions, graded suites, key exchange, the weakest grade") {
  ScanReport r;
  r.facts.push_back(legacy("legacy", 443));
  const auto eps = tls_endpoints(r);
  REQUIRE(eps.size() == 1);
  const TlsEndpoint& e = eps[0];
  CHECK(e.subject == "https://legacy.example:443");
  CHECK(e.target == "legacy");
  CHECK(e.grade == Grade::C);
  REQUIRE(e.offers.size() == 2);  // TLS 1.0 and 1.1 accept the same: one offer
  CHECK(e.offers[0].versions == std::vector<std::string>{"TLSv1.0", "TLSv1.1"});
  CHECK(e.offers[1].versions == std::vector<std::string>{"TLSv1.2"});
  CHECK(e.offers[0].suites[1].grade.grade == Grade::C);
  CHECK(e.suite_count == 8);
  CHECK(e.server_order == "server");
  CHECK(e.groups == "not enumerated (seen: x25519)");
  CHECK(e.dh == "1024 bits (smallest)");
  REQUIRE(e.reasons.size() == 2);
  CHECK(e.reasons[0].first == Grade::B);
  CHECK(e.reasons[1].first == Grade::C);
  CHECK(e.reasons[1].second == "RC4 (RFC 7465); 64-bit block cipher (SWEET32)");
}

TEST_CASE("TLS block: endpoints offering the same share one block; others and plaintext ports") {
  ScanReport r;
  r.facts.push_back(legacy("a", 443));
  r.facts.push_back(legacy("b", 8443));
  SubjectFacts modern = endpoint("c", "modern.example", 443);
  modern.facts.put(Fact::known("tls.protocols", StringList{"TLSv1.3"}));
  modern.facts.put(Fact::known("tls.ciphers.tls13", StringList{"TLS_AES_128_GCM_SHA256"}));
  r.facts.push_back(modern);
  SubjectFacts plain = endpoint("d", "plain.example", 80);
  plain.facts.put(Fact::absent("tls.protocols", "plaintext service"));
  r.facts.push_back(plain);
  SubjectFacts dead = endpoint("e", "dead.example", 443);
  dead.facts.put(Fact::unknown("tls.protocols", "connection refused"));
  r.facts.push_back(dead);
  const auto eps = tls_endpoints(r);
  REQUIRE(eps.size() == 3);
  REQUIRE(eps[0].also.size() == 1);
  CHECK(eps[0].also[0] == std::make_pair(std::string("https://legacy.example:8443"), std::string("b")));
  CHECK(eps[1].grade == Grade::A);
  CHECK(eps[1].server_order == "not tested");
  CHECK(eps[1].groups.empty());
  CHECK(eps[2].unobserved == "connection refused");
}

TEST_CASE("TLS block on the console: one suite a line without a width, columns with one") {
  ScanReport r;
  r.facts.push_back(legacy("legacy", 443));
  const auto eps = tls_endpoints(r);
  const std::string plain = render_tls_console(eps, 0, false);
  INFO(plain);
  CHECK(plain.find("  C  legacy  https://legacy.example:443\n") != std::string::npos);
  CHECK(plain.find("     cipher order: server; groups: not enumerated (seen: x25519); DH: 1024 bits (smallest)\n") !=
        std::string::npos);
  CHECK(plain.find("     TLSv1.0, TLSv1.1\n       B TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA\n       C TLS_RSA_WITH_RC4_128_SHA\n") !=
        std::string::npos);
  CHECK(plain.find("     C: RC4 (RFC 7465); 64-bit block cipher (SWEET32)\n") != std::string::npos);
  CHECK(plain.find('\x1b') == std::string::npos);

  const std::string wide = render_tls_console(eps, 100, false);
  INFO(wide);
  // Two suites of the same version side by side, and no line wider than the terminal.
  CHECK(wide.find("B TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA   C TLS_RSA_WITH_RC4_128_SHA") != std::string::npos);
  for (size_t start = 0, end; (end = wide.find('\n', start)) != std::string::npos; start = end + 1)
    CHECK(end - start <= 100);

  // A long line wraps under its own indent.
  ScanReport many;
  for (uint16_t port = 1; port <= 6; ++port) many.facts.push_back(legacy("legacy", port));
  const std::string wrapped = render_tls_console(tls_endpoints(many), 60, false);
  INFO(wrapped);
  CHECK(wrapped.find("\n     the same on legacy https://legacy.example:2, legacy\n       https://legacy.example:3") !=
        std::string::npos);

  const std::string coloured = render_tls_console(eps, 100, true);
  CHECK(coloured.find("\x1b[33mC\x1b[0m TLS_RSA_WITH_RC4_128_SHA") != std::string::npos);
}

TEST_CASE("TLS block in HTML: escaped, folded when long, grades as badges") {
  ScanReport r;
  SubjectFacts hostile = legacy("<script>alert(1)</script>", 443);
  hostile.facts.put(Fact::known("tls.ciphers.tls12", StringList{"<img src=x onerror=alert(1)>"}));
  r.facts.push_back(hostile);
  const std::string html = render_tls_html(tls_endpoints(r));
  INFO(html);
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  CHECK(html.find("<section class=\"card\" id=\"tls\"><h2>TLS endpoints (1)</h2>") != std::string::npos);
  CHECK(html.find("<details class=\"tls\" open><summary><b class=\"grade gC\">C</b>") != std::string::npos);  // 7 rows: open
  r.facts[0].facts.put(Fact::known("tls.ciphers.tls13", StringList{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                                                                   "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256"}));
  r.facts[0].facts.put(Fact::known("tls.protocols", StringList{"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"}));
  CHECK(render_tls_html(tls_endpoints(r)).find("<details class=\"tls\"><summary>") != std::string::npos);  // 11: folded
  CHECK(html.find("<b class=\"grade gU\">?</b>&nbsp;&lt;img") != std::string::npos);
  CHECK(render_tls_html({}).empty());
}
