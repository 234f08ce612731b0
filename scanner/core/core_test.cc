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

TEST_CASE("catalogue names are unique, dotted and described") {
  std::set<std::string_view> seen;
  for (const auto& f : fact_catalogue()) {
    INFO(f.name);
    REQUIRE(seen.insert(f.name).second);
    REQUIRE(f.name.find('.') != std::string_view::npos);
    REQUIRE_FALSE(f.meaning.empty());
    REQUIRE((f.probe == "tls" || f.probe == "cert" || f.probe == "http" || f.probe == "mail"));
  }
  REQUIRE(find_fact("tls.protocols")->type == ValueType::List);
  REQUIRE(find_fact("cert.days_left")->subject == SubjectKind::Certificate);
  REQUIRE(find_fact("no.such.fact") == nullptr);
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

TEST_CASE("service table knows every scheme") {
  REQUIRE(find_service("smtps")->default_port == 465);
  REQUIRE(find_service("imap")->tls == TlsMode::StartTls);
  REQUIRE(find_service("gopher") == nullptr);
}
