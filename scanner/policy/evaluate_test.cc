// Evaluation semantics: Unknown -> Error, Absent -> Skipped, waivers, messages and evidence.
#include <catch2/catch.hpp>

#include "policy/evaluate.h"
#include "policy/library.h"
#include "support/catalogue.h"

using namespace pp;
using namespace pp::policy;

namespace {
std::vector<Rule> load(const std::string& rules) {
  Library lib;
  SourceFile f{"t.toml", "schema = 1\n[pack]\nid = \"t\"\ntitle = \"t\"\n" + rules};
  auto d = load_library(pp::testing::catalogue(), {f}, {}, lib);
  for (auto& x : d) UNSCOPED_INFO(x.format());
  REQUIRE(d.empty());
  std::vector<Rule> out;
  for (const Rule* r : lib.all_rules()) out.push_back(*r);
  return out;
}

SubjectFacts endpoint(std::vector<Fact> facts, std::string target = "t1") {
  SubjectFacts sf;
  sf.subject.kind = SubjectKind::Endpoint;
  sf.subject.target = std::move(target);
  sf.subject.host = "mx.example.test";
  sf.subject.scheme = "smtp";
  sf.subject.port = 25;
  for (auto& f : facts) sf.facts.put(std::move(f));
  return sf;
}

const char* kRule = R"([[rule]]
id = "R-1"
title = "no SSLv3"
severity = "high"
remediation = "disable it"
references = ["RFC 7568"]
all = [ { fact = "tls.protocols", not_contains = "SSLv3" }, { fact = "tls.ciphers.min_bits", min = 128 } ]
)";
}  // namespace

TEST_CASE("pass, fail with the actual value and evidence lines") {
  auto rules = load(kRule);
  auto pass = evaluate(rules, {endpoint({Fact::known("tls.protocols", StringList{"TLSv1.2"}, "ServerHello 0303"),
                                         Fact::known("tls.ciphers.min_bits", int64_t{128})})},
                       {}, Date{2025, 1, 1});
  REQUIRE(pass.size() == 1);
  CHECK(pass[0].status == Status::Pass);
  CHECK(pass[0].subject == "smtp://mx.example.test:25");
  CHECK(pass[0].evidence[0] == "tls.protocols = [TLSv1.2]  (ServerHello 0303)");
  CHECK(pass[0].references() == std::vector<std::string>{"RFC 7568"});
  auto fail = evaluate(rules, {endpoint({Fact::known("tls.protocols", StringList{"SSLv3", "TLSv1.2"}),
                                         Fact::known("tls.ciphers.min_bits", int64_t{112})})},
                       {}, Date{2025, 1, 1});
  REQUIRE(fail[0].status == Status::Fail);
  CHECK(fail[0].message ==
        "accepts SSL 3.0; its weakest accepted cipher suite has a 112-bit key (the minimum is 128)");
  // The raw assertions stay available beside the sentence.
  CHECK(fail[0].assertion.find("tls.protocols not_contains SSLv3, got [SSLv3, TLSv1.2]") != std::string::npos);
  CHECK(fail[0].assertion.find("tls.ciphers.min_bits min 128, got 112") != std::string::npos);
  CHECK(pass[0].assertion.empty());
}

TEST_CASE("Unknown or missing facts give Error, never Pass") {
  auto rules = load(kRule);
  auto r = evaluate(rules, {endpoint({Fact::unknown("tls.protocols", "handshake timeout after 10s"),
                                      Fact::known("tls.ciphers.min_bits", int64_t{128})})},
                    {}, Date{2025, 1, 1});
  REQUIRE(r[0].status == Status::Error);
  CHECK(r[0].message.find("handshake timeout after 10s") != std::string::npos);
  auto missing = evaluate(rules, {endpoint({Fact::known("tls.protocols", StringList{"TLSv1.2"})})}, {}, Date{2025, 1, 1});
  CHECK(missing[0].status == Status::Error);
  CHECK(missing[0].message.find("tls.ciphers.min_bits") != std::string::npos);
}

TEST_CASE("Absent facts give Skipped; partly absent groups judge the rest") {
  auto rules = load(kRule);
  auto r = evaluate(rules, {endpoint({Fact::absent("tls.protocols", "STARTTLS not offered"),
                                      Fact::absent("tls.ciphers.min_bits", "STARTTLS not offered")})},
                    {}, Date{2025, 1, 1});
  CHECK(r[0].status == Status::Skipped);
  CHECK(r[0].message.find("STARTTLS not offered") != std::string::npos);
  auto part = evaluate(rules, {endpoint({Fact::absent("tls.protocols", "x"), Fact::known("tls.ciphers.min_bits", int64_t{56})})},
                       {}, Date{2025, 1, 1});
  CHECK(part[0].status == Status::Fail);
}

TEST_CASE("kind and where select subjects") {
  auto rules = load(R"([[rule]]
id = "W-1"
title = "t"
severity = "low"
remediation = "r"
where = { service = "imap", port = [143, 993], tags = { role = "cas*" } }
all = [ { fact = "mail.starttls.offered", equals = true } ]
)");
  auto sf = endpoint({Fact::known("mail.starttls.offered", false)});
  CHECK(evaluate(rules, {sf}, {}, Date{2025, 1, 1}).empty());  // smtp, not imap
  sf.subject.scheme = "imaps";
  sf.subject.port = 993;
  CHECK(evaluate(rules, {sf}, {}, Date{2025, 1, 1}).empty());  // tag missing
  sf.subject.tags["role"] = "CAS-external";
  CHECK(evaluate(rules, {sf}, {}, Date{2025, 1, 1}).size() == 1);
  sf.subject.port = 1993;
  CHECK(evaluate(rules, {sf}, {}, Date{2025, 1, 1}).empty());
  sf.subject.port = 993;
  sf.subject.kind = SubjectKind::Certificate;
  CHECK(evaluate(rules, {sf}, {}, Date{2025, 1, 1}).empty());
}

TEST_CASE("waivers: a valid one waives a failure, an expired one says so loudly") {
  auto rules = load(kRule);
  auto sf = endpoint({Fact::known("tls.protocols", StringList{"SSLv3"}), Fact::known("tls.ciphers.min_bits", int64_t{128})},
                     "legacy");
  std::vector<Waiver> w = {{"R-*", "legacy", "appliance replaced in Q2", Date{2025, 3, 31}, "w.toml", 2, 1}};
  auto ok = evaluate(rules, {sf}, w, Date{2025, 3, 31});
  CHECK(ok[0].status == Status::Waived);
  CHECK(ok[0].waiver.find("appliance replaced in Q2") != std::string::npos);
  auto expired = evaluate(rules, {sf}, w, Date{2025, 4, 1});
  CHECK(expired[0].status == Status::Fail);
  CHECK(expired[0].message.find("WAIVER EXPIRED on 2025-03-31") != std::string::npos);
  // A waiver never turns an Error into a pass-looking status.
  auto err = endpoint({Fact::unknown("tls.protocols", "refused"), Fact::known("tls.ciphers.min_bits", int64_t{128})}, "legacy");
  CHECK(evaluate(rules, {err}, w, Date{2025, 1, 1})[0].status == Status::Error);
}

TEST_CASE("a rule's message template is the message; it falls back to the sentence when it cannot be filled") {
  auto rules = load(R"RULE([[rule]]
id = "R-9"
title = "strong key"
severity = "high"
remediation = "x"
references = ["x"]
params = { min_rsa_bits = 2048 }
message = "the certificate has a {cert.key_bits}-bit {cert.key_type} key (the minimum is {min_rsa_bits} bits)"
all = [ { fact = "cert.key_bits", min = "${min_rsa_bits}" } ]
)RULE");
  SubjectFacts sf;
  sf.subject.kind = SubjectKind::Certificate;
  sf.subject.target = "t";
  sf.subject.host = "h";
  sf.subject.scheme = "https";
  sf.subject.port = 443;
  sf.facts.put(Fact::known("cert.key_bits", int64_t{1024}));
  sf.facts.put(Fact::known("cert.key_type", std::string("RSA")));
  auto r = evaluate(rules, {sf}, {}, Date{2025, 1, 1});
  REQUIRE(r[0].status == Status::Fail);
  CHECK(r[0].message == "the certificate has a 1024-bit RSA key (the minimum is 2048 bits)");
  CHECK(r[0].assertion == "expected cert.key_bits min 2048 (parameter min_rsa_bits), got 1024");
  // The template's facts are evidence too.
  REQUIRE(r[0].evidence.size() == 2);
  CHECK(r[0].evidence[1].rfind("cert.key_type = RSA", 0) == 0);
  sf.facts.put(Fact::unknown("cert.key_type", "not parsed"));
  r = evaluate(rules, {sf}, {}, Date{2025, 1, 1});
  CHECK(r[0].message == "the certificate key has 1024 bits (the minimum is 2048)");
  // Read by the planner: the template's facts are among the facts the rules need.
  CHECK(facts_read(rules).count("cert.key_type") == 1);
  // `rules explain` shows the template and its facts; parameters by name, never as ${name}.
  const std::string text = explain_rule(rules[0], pp::testing::catalogue());
  CHECK(text.find("Failure message:\n  the certificate has a {cert.key_bits}-bit") != std::string::npos);
  CHECK(text.find("cert.key_bits min 2048 (parameter min_rsa_bits)") != std::string::npos);
  CHECK(text.find("  cert.key_type (string, probe cert)") != std::string::npos);
  CHECK(text.find("${") == std::string::npos);
}

TEST_CASE("none names what it found; any says its alternatives once") {
  auto rules = load(R"([[rule]]
id = "R-10"
title = "no cleartext login"
severity = "high"
remediation = "x"
references = ["x"]
none = [ { fact = "mail.auth_mechs.plain", contains = "PLAIN" }, { fact = "mail.auth_mechs.plain", contains = "LOGIN" } ]

[[rule]]
id = "R-11"
title = "modern TLS"
severity = "high"
remediation = "x"
references = ["x"]
any = [ { fact = "tls.protocols", contains = "TLSv1.3" }, { fact = "tls.protocols", contains = "TLSv1.2" } ]
)");
  auto r = evaluate(rules, {endpoint({Fact::known("mail.auth_mechs.plain", StringList{"LOGIN", "PLAIN", "CRAM-MD5"}),
                                      Fact::known("tls.protocols", StringList{"SSLv3", "TLSv1.0"})})},
                    {}, Date{2025, 1, 1});
  REQUIRE(r.size() == 2);
  CHECK(r[0].message == "advertises PLAIN and LOGIN before TLS");
  CHECK(r[0].assertion.find("must not hold: mail.auth_mechs.plain contains PLAIN") != std::string::npos);
  CHECK(r[1].message == "does not accept TLS 1.3 or TLS 1.2 (it accepts SSL 3.0 and TLS 1.0)");
  CHECK(r[1].assertion.rfind("none of the alternatives held: ", 0) == 0);
}
