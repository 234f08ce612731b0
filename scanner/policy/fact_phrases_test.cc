// Every catalogue fact has its words, shaped for its type.
#include <catch2/catch.hpp>

#include "support/catalogue.h"
#include "policy/fact_phrases.h"

using namespace pp;
using namespace pp::policy;

TEST_CASE("every catalogue fact has a phrase that fits its type") {
  for (const auto& spec : pp::testing::catalogue()) {
    INFO(spec.name);
    auto p = fact_phrase(spec.name);
    REQUIRE(p.has_value());
    CHECK(!p->yes.empty());
    CHECK(p->yes.find("{S}") == std::string::npos);
    switch (spec.type) {
      case ValueType::Bool:
        CHECK(!p->no.empty());
        CHECK(p->yes.find("{}") == std::string::npos);
        CHECK(p->no.find("{}") == std::string::npos);
        break;
      case ValueType::Int: CHECK((p->no.empty() || p->no.find("{}") != std::string::npos)); [[fallthrough]];
      case ValueType::String: CHECK(p->yes.find("{}") != std::string::npos); break;
      case ValueType::List:
        CHECK(p->yes.find("{}") != std::string::npos);
        CHECK(p->no.find("{}") != std::string::npos);
        CHECK((p->whole.empty() || p->whole.find("{}") != std::string::npos));
        break;
    }
  }
}

TEST_CASE("http pairs name their scheme; protocol versions and classes read as words") {
  CHECK(fact_phrase("http.plain.basic_offered")->yes == "offers Basic authentication over plain HTTP");
  CHECK(fact_phrase("http.tls.basic_offered")->yes == "offers Basic authentication over HTTPS");
  CHECK(fact_phrase("http.tls.hsts")->no == "does not send Strict-Transport-Security");
  CHECK(!fact_phrase("http.plain.nonexistent"));
  CHECK(display_element("tls.protocols", "TLSv1.0") == "TLS 1.0");
  CHECK(display_element("tls.protocols", "SSLv3") == "SSL 3.0");
  CHECK(display_element("tls.ciphers.classes", "cbc") == "CBC");
  CHECK(display_element("cert.verify_error", "unknown_issuer") == "unknown issuer");
  CHECK(display_element("tls.ciphers", "TLS_RSA_WITH_RC4_128_SHA") == "TLS_RSA_WITH_RC4_128_SHA");
}
