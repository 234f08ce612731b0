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
  CHECK(pass[0].references == std::vector<std::string>{"RFC 7568"});
  auto fail = evaluate(rules, {endpoint({Fact::known("tls.protocols", StringList{"SSLv3", "TLSv1.2"}),
                                         Fact::known("tls.ciphers.min_bits", int64_t{112})})},
                       {}, Date{2025, 1, 1});
  REQUIRE(fail[0].status == Status::Fail);
  CHECK(fail[0].message.find("tls.protocols not_contains SSLv3, got [SSLv3, TLSv1.2]") != std::string::npos);
  CHECK(fail[0].message.find("tls.ciphers.min_bits min 128, got 112") != std::string::npos);
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
