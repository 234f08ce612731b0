#include "engine/catalogue.h"

#include <catch2/catch.hpp>
#include <string>

#include "engine/families.h"
#include "probes/tls/checks/table.h"

using namespace pp;

TEST_CASE("the catalogue is every family's facts, in table order: unique, dotted, described, named for the family") {
  const FactCatalogue& c = engine::fact_catalogue();
  CHECK(c.duplicates().empty());
  size_t total = 0;
  for (const auto& family : engine::family_table()) {
    INFO(family.name);
    REQUIRE(family.facts != nullptr);
    REQUIRE_FALSE(family.facts().empty());
    total += family.facts().size();
    for (const auto& f : family.facts()) {
      INFO(f.name);
      CHECK(f.probe == family.name);
      CHECK(f.name.find('.') != std::string_view::npos);
      CHECK_FALSE(f.meaning.empty());
      CHECK(c.find(f.name) == &*std::find_if(c.begin(), c.end(), [&](const FactSpec& s) { return s.name == f.name; }));
    }
  }
  CHECK(c.size() == total);
  REQUIRE(c.find("tls.protocols"));
  CHECK(c.find("tls.protocols")->type == ValueType::List);
  CHECK(c.find("cert.days_left")->subject == SubjectKind::Certificate);
  CHECK(c.find("mail.starttls.offered")->probe == "mail");
  CHECK(c.find("no.such.fact") == nullptr);
}

TEST_CASE("the TLS family's facts include every check's, so a new check needs no catalogue edit") {
  const FactCatalogue& c = engine::fact_catalogue();
  for (const auto& check : tls::checks::check_table())
    for (const auto& f : check.facts) {
      INFO(check.name << ": " << f.name);
      const FactSpec* spec = c.find(f.name);
      REQUIRE(spec);
      CHECK(spec->probe == "tls");
    }
  CHECK(engine::families_for({"tls.renegotiation.client_initiated"}) == std::set<std::string>{"tls"});
}
