#include <catch2/catch.hpp>
#include <cstdio>
#include <set>

#include "core/catalogue.h"
#include "core/fact.h"
#include "core/service.h"
#include "core/severity.h"
#include "core/subject.h"

using namespace pp;

TEST_CASE("severity parses and orders") {
  REQUIRE(parse_severity("high") == Severity::High);
  REQUIRE_FALSE(parse_severity("HIGHEST").has_value());
  REQUIRE(Severity::Critical > Severity::Medium);
  REQUIRE(to_string(Severity::Low) == "low");
}

TEST_CASE("a fact catalogue: lists appended in order, looked up by name, duplicates found") {
  FactCatalogue c;
  CHECK(c.find("a.b") == nullptr);
  c.add({{"a.b", ValueType::Bool, SubjectKind::Endpoint, "one", "first"},
         {"a.c", ValueType::Int, SubjectKind::Endpoint, "one", "second"}});
  c.add({{"d.e", ValueType::List, SubjectKind::Certificate, "two", "third"}});
  REQUIRE(c.size() == 3);
  CHECK(c.all()[2].name == "d.e");
  REQUIRE(c.find("a.c"));
  CHECK(c.find("a.c")->type == ValueType::Int);
  CHECK(c.find("d.e")->subject == SubjectKind::Certificate);
  CHECK(c.find("no.such.fact") == nullptr);
  CHECK(c.duplicates().empty());
  c.add({{"a.b", ValueType::Bool, SubjectKind::Endpoint, "three", "again"}});
  CHECK(c.duplicates() == std::vector<std::string_view>{"a.b"});
  CHECK(c.find("a.b")->probe == "one");  // the first entry wins
}

TEST_CASE("subject ids are stable and distinct per kind") {
  Subject s;
  s.host = "127.0.0.1";
  s.sni = "mail.example.com";
  s.scheme = "https";
  s.port = 443;
  REQUIRE(s.id() == "https://mail.example.com:443");
  s.kind = SubjectKind::Certificate;
  REQUIRE(s.id() == "https://mail.example.com:443#cert");
  s.kind = SubjectKind::Vdir;
  s.path = "/owa";
  REQUIRE(s.id() == "mail.example.com:443/owa");
  s.sni.clear();
  s.host = "::1";
  REQUIRE(s.id() == "[::1]:443/owa");
}

TEST_CASE("facts keep state apart from value") {
  FactSet set;
  set.put(Fact::known("tls.offered", true, "ServerHello"));
  set.put(Fact::unknown("tls.protocols", "connection refused"));
  REQUIRE(set.find("tls.offered")->state == FactState::Known);
  REQUIRE(set.find("tls.protocols")->state == FactState::Unknown);
  REQUIRE(set.find("tls.protocols")->reason == "connection refused");
  REQUIRE(render(Value(StringList{"a", "b"})) == "[a, b]");
}

TEST_CASE("a fact set keeps one fact per name, sorted; merge lets the other set win") {
  FactSet a;
  a.put(Fact::known("tls.b", true));
  a.put(Fact::known("tls.a", int64_t{1}));
  a.put(Fact::known("tls.a", int64_t{2}));  // replaces
  REQUIRE(a.size() == 2);
  CHECK(a.all()[0].name == "tls.a");
  CHECK(std::get<int64_t>(a.find("tls.a")->value) == 2);
  FactSet b;
  b.put(Fact::absent("tls.b", "gone"));
  b.put(Fact::known("cert.x", true));
  b.put(Fact::known("tls.c", true));
  a.merge(b);
  REQUIRE(a.size() == 4);
  std::vector<std::string> names;
  for (const Fact& f : a.all()) names.push_back(f.name);
  CHECK(names == std::vector<std::string>{"cert.x", "tls.a", "tls.b", "tls.c"});
  CHECK(a.find("tls.b")->state == FactState::Absent);
  CHECK(a.find("tls.d") == nullptr);
}

TEST_CASE("a fact set reads its fallback only for names it does not hold, and does not list it") {
  FactSet shared;
  shared.put(Fact::absent("iis.ssl_flags", "only a configuration file shows this"));
  shared.put(Fact::absent("tls.a", "shadowed"));
  FactSet a;
  a.put(Fact::known("tls.a", true));
  a.set_fallback(&shared);
  CHECK(a.find("iis.ssl_flags")->state == FactState::Absent);
  CHECK(a.find("tls.a")->state == FactState::Known);
  CHECK(a.find("tls.z") == nullptr);
  CHECK(a.size() == 1);
  FactSet merged;
  merged.merge(a);
  CHECK(merged.fallback() == &shared);
}

TEST_CASE("service table knows every scheme") {
  REQUIRE(find_service("smtps")->default_port == 465);
  REQUIRE(find_service("imap")->tls == TlsMode::StartTls);
  REQUIRE(find_service("gopher") == nullptr);
}
