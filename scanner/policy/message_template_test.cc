// Rule message templates: checked against facts and params, filled from the subject's facts.
#include <catch2/catch.hpp>

#include "policy/message_template.h"
#include "support/catalogue.h"

using namespace pp;
using namespace pp::policy;

namespace {
Rule cert_rule() {
  Rule r;
  r.kind = SubjectKind::Certificate;
  r.params["min_rsa_bits"] = int64_t{2048};
  return r;
}
}  // namespace

TEST_CASE("check_template: unknown facts, other kinds, unknown params and braces, at their offsets") {
  const Rule r = cert_rule();
  CHECK(check_template(pp::testing::catalogue(), "the key has {cert.key_bits} bits (minimum {min_rsa_bits}); {offending} {{literal}}", r).empty());
  auto p = check_template(pp::testing::catalogue(), "x {cert.key_bitz} y", r);
  REQUIRE(p.size() == 1);
  CHECK(p[0].offset == 2);
  CHECK(p[0].message.find("unknown fact 'cert.key_bitz'") != std::string::npos);
  p = check_template(pp::testing::catalogue(), "{tls.protocols}", r);
  REQUIRE(p.size() == 1);
  CHECK(p[0].message ==
        "message template names fact 'tls.protocols' about an endpoint, but this rule judges a certificate");
  p = check_template(pp::testing::catalogue(), "ab {min_days}", r);
  REQUIRE(p.size() == 1);
  CHECK(p[0].offset == 3);
  CHECK(p[0].message.find("unknown parameter 'min_days'") != std::string::npos);
  p = check_template(pp::testing::catalogue(), "ab {open", r);
  REQUIRE(p.size() == 1);
  CHECK(p[0].message.find("'{' without its '}'") != std::string::npos);
  CHECK(check_template(pp::testing::catalogue(), "a } b", r).size() == 1);
}

TEST_CASE("render_template fills facts, params and offending; falls back when a fact is missing") {
  const Rule r = cert_rule();
  FactSet facts;
  facts.put(Fact::known("cert.key_bits", int64_t{1024}));
  facts.put(Fact::known("cert.names_missing", StringList{"a.example", "b.example"}));
  CHECK(render_template("{cert.key_bits}-bit key (minimum {min_rsa_bits}) {{x}}", r, facts, {}) ==
        "1024-bit key (minimum 2048) {x}");
  CHECK(render_template("missing {cert.names_missing}", r, facts, {}) == "missing a.example and b.example");
  CHECK(render_template("bad: {offending}", r, facts, {"TLS 1.0"}) == "bad: TLS 1.0");
  CHECK_FALSE(render_template("bad: {offending}", r, facts, {}));
  CHECK_FALSE(render_template("{cert.key_type}", r, facts, {}));
  CHECK(template_facts("{cert.key_bits} {min_rsa_bits} {cert.key_type} {cert.key_bits}") ==
        std::vector<std::string>{"cert.key_bits", "cert.key_type"});
}
