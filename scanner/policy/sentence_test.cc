// Failure sentences per operator: the offending elements named, parameters by value.
#include <catch2/catch.hpp>

#include "policy/operators.h"
#include "policy/sentence.h"

using namespace pp;
using namespace pp::policy;

namespace {
Assertion leaf(std::string fact, Op op, Operand o, std::string param = {}) {
  Assertion a;
  a.leaf = true;
  a.fact = std::move(fact);
  a.op = op;
  a.operand = std::move(o);
  a.param = std::move(param);
  if (op == Op::Matches) {
    a.pattern = std::get<std::string>(a.operand);
    REQUIRE_FALSE(compile_regex(a.pattern, a.regex));
  }
  return a;
}

std::string failed(const Assertion& a, Value v) { return leaf_finding(a, Fact::known(a.fact, std::move(v)), false).sentence; }
std::string held(const Assertion& a, Value v) { return leaf_finding(a, Fact::known(a.fact, std::move(v)), true).sentence; }
}  // namespace

TEST_CASE("words: and / or, capped") {
  CHECK(words({"A"}) == "A");
  CHECK(words({"A", "B"}) == "A and B");
  CHECK(words({"A", "B", "C"}, "or") == "A, B or C");
  CHECK(words({"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}) == "1, 2, 3, 4, 5, 6, 7, 8 and 2 more");
}

TEST_CASE("not_contains names only the elements present") {
  auto a = leaf("tls.protocols", Op::NotContains, StringList{"TLSv1.0", "TLSv1.1"});
  CHECK(failed(a, StringList{"TLSv1.0", "TLSv1.1", "TLSv1.2"}) == "accepts TLS 1.0 and TLS 1.1");
  CHECK(failed(a, StringList{"TLSv1.1", "TLSv1.2"}) == "accepts TLS 1.1");
  auto f = leaf_finding(a, Fact::known("tls.protocols", StringList{"TLSv1.1", "TLSv1.2"}), false);
  CHECK(f.offending == StringList{"TLS 1.1"});
}

TEST_CASE("contains names the missing elements and what the server has instead") {
  auto a = leaf("tls.protocols", Op::Contains, StringList{"TLSv1.2", "TLSv1.3"});
  CHECK(failed(a, StringList{"TLSv1.0", "TLSv1.2"}) == "does not accept TLS 1.3 (it accepts TLS 1.0 and TLS 1.2)");
}

TEST_CASE("subset_of names the extras and the allowed ones, by value even through a parameter") {
  auto a = leaf("tls.protocols", Op::SubsetOf, StringList{"TLSv1.3"}, "allowed_protocols");
  CHECK(failed(a, StringList{"TLSv1.2", "TLSv1.3"}) == "accepts TLS 1.2 (allowed: TLS 1.3)");
  auto c = leaf("tls.ciphers.classes", Op::SubsetOf, StringList{"aead"});
  CHECK(failed(c, StringList{"aead", "cbc"}) == "accepts CBC cipher suites (allowed: AEAD)");
}

TEST_CASE("equals [] on a list says the whole list with its noun") {
  auto a = leaf("tls.ciphers.weak", Op::Equals, StringList{});
  CHECK(failed(a, StringList{"TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"}) ==
        "accepts weak cipher suites: TLS_RSA_WITH_RC4_128_SHA and TLS_RSA_WITH_3DES_EDE_CBC_SHA");
  auto m = leaf("http.plain.auth_schemes", Op::Equals, StringList{});
  CHECK(failed(m, StringList{"Basic", "NTLM"}) == "offers Basic and NTLM authentication over plain HTTP");
  auto e = leaf("http.tls.auth_schemes", Op::Equals, StringList{"Basic"});
  CHECK(failed(e, StringList{"Basic", "NTLM"}) == "offers Basic and NTLM authentication over HTTPS (expected exactly Basic)");
  CHECK(failed(e, StringList{}) == "does not offer Basic authentication over HTTPS (expected exactly Basic)");
}

TEST_CASE("min / max say the value and the limit") {
  auto a = leaf("cert.days_left", Op::Min, int64_t{30}, "min_days_left");
  CHECK(failed(a, int64_t{9}) == "the certificate expires in 9 days (the minimum is 30)");
  CHECK(failed(a, int64_t{-31}) == "the certificate expired 31 days ago (the minimum is 30)");
  auto b = leaf("cert.key_bits", Op::Max, int64_t{4096});
  CHECK(failed(b, int64_t{8192}) == "the certificate key has 8192 bits (the maximum is 4096)");
}

TEST_CASE("bool equals affirms or negates the fact's phrase") {
  CHECK(failed(leaf("http.plain.basic_offered", Op::Equals, false), true) == "offers Basic authentication over plain HTTP");
  CHECK(failed(leaf("http.tls.hsts", Op::Equals, true), false) == "does not send Strict-Transport-Security");
  CHECK(failed(leaf("cert.expired", Op::Equals, false), true) == "the certificate has expired");
}

TEST_CASE("string operators say the value and what was wanted") {
  CHECK(failed(leaf("cert.key_type", Op::Equals, std::string("RSA")), std::string("DSA")) ==
        "the certificate key is DSA (expected RSA)");
  CHECK(failed(leaf("cert.key_type", Op::In, StringList{"Ed25519", "Ed448"}), std::string("RSA")) ==
        "the certificate key is RSA (expected one of Ed25519 or Ed448)");
}

TEST_CASE("inside none: what was found that must not be") {
  CHECK(held(leaf("mail.auth_mechs.plain", Op::Contains, std::string("PLAIN")), StringList{"LOGIN", "PLAIN"}) ==
        "advertises PLAIN before TLS");
  CHECK(held(leaf("http.tls.banners", Op::Matches, std::string("[0-9]")),
             StringList{"Server: nginx", "X-Powered-By: PHP/8.1"}) == "sends banners over HTTPS: X-Powered-By: PHP/8.1");
  CHECK(held(leaf("http.plain.trace_enabled", Op::Equals, true), true) == "echoes TRACE requests over plain HTTP");
}

TEST_CASE("sentences that differ only in the scheme are said once") {
  CHECK(merge_schemes({"echoes TRACE requests over plain HTTP", "echoes TRACK requests over plain HTTP",
                       "echoes TRACK requests over HTTPS", "echoes TRACE requests over plain HTTP"}) ==
        StringList{"echoes TRACE requests over plain HTTP", "echoes TRACK requests over plain HTTP and HTTPS"});
}

TEST_CASE("any: alternatives on the same list are said once") {
  auto a = leaf("tls.protocols", Op::Contains, std::string("TLSv1.3"));
  auto b = leaf("tls.protocols", Op::Contains, std::string("TLSv1.2"));
  const Fact f = Fact::known("tls.protocols", StringList{"SSLv3"});
  Finding any = any_finding({leaf_finding(a, f, false), leaf_finding(b, f, false)});
  CHECK(any.sentence == "does not accept TLS 1.3 or TLS 1.2 (it accepts SSL 3.0)");
  auto c = leaf("http.plain.ssl_required", Op::Equals, true);
  auto d = leaf("http.plain.redirects_to_https", Op::Equals, true);
  any = any_finding({leaf_finding(c, Fact::known(c.fact, false), false), leaf_finding(d, Fact::known(d.fact, false), false)});
  CHECK(any.sentence ==
        "does not refuse plain HTTP requests as SSL required and does not redirect plain HTTP requests to HTTPS");
}
