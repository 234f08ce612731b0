#include "probes/tls/checks/table.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "probes/tls/fact_list.h"

using namespace pp;
using namespace pp::tls::checks;

TEST_CASE("check table: names unique, every fact a TLS endpoint fact of its own, none shared") {
  std::set<std::string> names, facts;
  REQUIRE_FALSE(check_table().empty());
  for (const auto& c : check_table()) {
    INFO(c.name);
    CHECK(names.insert(std::string(c.name)).second);
    CHECK(c.applies != nullptr);
    CHECK(c.run != nullptr);
    CHECK_FALSE(c.facts.empty());
    for (const auto& f : c.facts) {
      INFO(f.name);
      CHECK(facts.insert(std::string(f.name)).second);
      CHECK(std::string(f.name).rfind("tls.", 0) == 0);
      CHECK(f.subject == SubjectKind::Endpoint);
      CHECK(f.probe == "tls");
      CHECK_FALSE(f.meaning.empty());
    }
  }
}

TEST_CASE("check table: every check's facts are in the TLS fact list, none also an enumeration fact") {
  const FactCatalogue all(pp::tls::fact_list());
  const FactCatalogue enumeration(pp::tls::enumeration_fact_list());
  CHECK(all.duplicates().empty());
  for (const auto& c : check_table())
    for (const auto& f : c.facts) {
      INFO(c.name << ": " << f.name);
      const FactSpec* spec = all.find(f.name);
      REQUIRE(spec);
      CHECK(spec->type == f.type);
      CHECK(enumeration.find(f.name) == nullptr);
    }
}
