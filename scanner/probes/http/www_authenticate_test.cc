#include "probes/http/www_authenticate.h"

#include <catch2/catch.hpp>

using pp::http::parse_www_authenticate;

TEST_CASE("several challenges in one header") {
  auto r = parse_www_authenticate(std::string_view("Basic realm=\"a\", NTLM, Negotiate"));
  REQUIRE_FALSE(r.malformed);
  REQUIRE(r.challenges.size() == 3);
  CHECK(r.challenges[0].scheme == "Basic");
  REQUIRE(r.challenges[0].param("realm"));
  CHECK(*r.challenges[0].param("realm") == "a");
  CHECK(r.challenges[0].raw == "Basic realm=\"a\"");
  CHECK(r.challenges[1].scheme == "NTLM");
  CHECK(r.challenges[1].params.empty());
  CHECK(r.challenges[1].raw == "NTLM");
  CHECK(r.challenges[2].scheme == "Negotiate");
  CHECK(r.challenges[2].raw == "Negotiate");
}

TEST_CASE("several headers keep order") {
  auto r = parse_www_authenticate(std::vector<std::string>{"Negotiate", "NTLM", "Basic realm=\"mail.example.com\""});
  REQUIRE_FALSE(r.malformed);
  REQUIRE(r.challenges.size() == 3);
  CHECK(r.challenges[0].scheme == "Negotiate");
  CHECK(r.challenges[1].scheme == "NTLM");
  CHECK(r.challenges[2].scheme == "Basic");
  CHECK(*r.challenges[2].param("REALM") == "mail.example.com");
}

TEST_CASE("quoted strings with commas and backslash escapes") {
  auto r = parse_www_authenticate(std::string_view(
      R"(Digest realm="a, \"quoted\" realm", qop="auth,auth-int", nonce="x\\y", algorithm=MD5, Basic realm="b")"));
  REQUIRE_FALSE(r.malformed);
  REQUIRE(r.challenges.size() == 2);
  const auto& d = r.challenges[0];
  CHECK(d.scheme == "Digest");
  REQUIRE(d.params.size() == 4);
  CHECK(*d.param("realm") == "a, \"quoted\" realm");
  CHECK(*d.param("qop") == "auth,auth-int");
  CHECK(*d.param("nonce") == "x\\y");
  CHECK(*d.param("algorithm") == "MD5");
  CHECK(r.challenges[1].scheme == "Basic");
  CHECK(*r.challenges[1].param("realm") == "b");
}

TEST_CASE("token68") {
  auto r = parse_www_authenticate(std::string_view("Negotiate abc+/d==, Basic realm=x"));
  REQUIRE_FALSE(r.malformed);
  REQUIRE(r.challenges.size() == 2);
  CHECK(r.challenges[0].scheme == "Negotiate");
  CHECK(r.challenges[0].token68 == "abc+/d==");
  CHECK(r.challenges[0].params.empty());
  CHECK(r.challenges[1].token68.empty());
  CHECK(*r.challenges[1].param("realm") == "x");
}

TEST_CASE("scheme names are case-insensitive and normalised; unknown kept as received") {
  auto r = parse_www_authenticate(std::string_view("bAsIc realm=\"x\", ntlm, NEGOTIATE, digest realm=y, bearer, X-MyAuth a=b"));
  REQUIRE(r.challenges.size() == 6);
  CHECK(r.challenges[0].scheme == "Basic");
  CHECK(r.challenges[0].raw == "bAsIc realm=\"x\"");
  CHECK(r.challenges[1].scheme == "NTLM");
  CHECK(r.challenges[2].scheme == "Negotiate");
  CHECK(r.challenges[3].scheme == "Digest");
  CHECK(r.challenges[4].scheme == "Bearer");
  CHECK(r.challenges[5].scheme == "X-MyAuth");
}

TEST_CASE("whitespace around '=' and empty list elements") {
  auto r = parse_www_authenticate(std::string_view(" ,  Basic   realm = \"a\" ,, , NTLM ,"));
  REQUIRE_FALSE(r.malformed);
  REQUIRE(r.challenges.size() == 2);
  CHECK(*r.challenges[0].param("realm") == "a");
  CHECK(r.challenges[1].scheme == "NTLM");
}

TEST_CASE("Bearer with several params") {
  auto r = parse_www_authenticate(std::string_view(
      "Bearer realm=\"example\", error=\"invalid_token\", error_description=\"The access token expired\""));
  REQUIRE_FALSE(r.malformed);
  REQUIRE(r.challenges.size() == 1);
  CHECK(r.challenges[0].params.size() == 3);
  CHECK(*r.challenges[0].param("error") == "invalid_token");
}

TEST_CASE("malformed input gives what parses plus an error flag") {
  SECTION("unterminated quoted string") {
    auto r = parse_www_authenticate(std::string_view("NTLM, Basic realm=\"never closed"));
    CHECK(r.malformed);
    CHECK_FALSE(r.error.empty());
    REQUIRE(r.challenges.size() == 2);
    CHECK(r.challenges[0].scheme == "NTLM");
    CHECK(r.challenges[1].scheme == "Basic");
    CHECK(*r.challenges[1].param("realm") == "never closed");
  }
  SECTION("garbage before a valid challenge") {
    auto r = parse_www_authenticate(std::string_view("\"junk\", Negotiate"));
    CHECK(r.malformed);
    REQUIRE(r.challenges.size() == 1);
    CHECK(r.challenges[0].scheme == "Negotiate");
  }
  SECTION("param without a scheme") {
    auto r = parse_www_authenticate(std::string_view("realm=\"x\""));
    CHECK(r.malformed);
    CHECK(r.challenges.empty());
  }
  SECTION("junk after a param value") {
    auto r = parse_www_authenticate(std::string_view("Basic realm=\"a\" junk, NTLM"));
    CHECK(r.malformed);
    REQUIRE(r.challenges.size() == 2);
    CHECK(r.challenges[1].scheme == "NTLM");
  }
  SECTION("empty input") {
    auto r = parse_www_authenticate(std::string_view(""));
    CHECK_FALSE(r.malformed);
    CHECK(r.challenges.empty());
  }
  SECTION("trailing backslash inside quotes") {
    auto r = parse_www_authenticate(std::string_view("Basic realm=\"a\\"));
    CHECK(r.malformed);
    REQUIRE(r.challenges.size() == 1);
  }
  SECTION("one bad header does not hide the others") {
    auto r = parse_www_authenticate(std::vector<std::string>{"=", "Basic realm=x"});
    CHECK(r.malformed);
    REQUIRE(r.challenges.size() == 1);
    CHECK(r.challenges[0].scheme == "Basic");
  }
}

TEST_CASE("arbitrary bytes never crash and never loop") {
  const std::string alphabet = "Basic \"\\=,\t realm x==\x01\xff";
  uint32_t seed = 12345;
  for (int n = 0; n < 3000; ++n) {
    std::string s;
    const int len = static_cast<int>(seed % 40);
    for (int i = 0; i < len; ++i) {
      seed = seed * 1103515245u + 12345u;
      s.push_back(alphabet[(seed >> 16) % alphabet.size()]);
    }
    seed = seed * 1103515245u + 12345u;
    auto r = parse_www_authenticate(std::string_view(s));
    for (const auto& ch : r.challenges) CHECK_FALSE(ch.scheme.empty());
  }
}
