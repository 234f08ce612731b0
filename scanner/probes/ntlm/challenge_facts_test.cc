#include "probes/ntlm/challenge_facts.h"

#include <catch2/catch.hpp>

#include "probes/ntlm/base64.h"
#include "probes/ntlm/challenge_builder.h"

using namespace pp;
using namespace pp::ntlm;

TEST_CASE("challenge facts: every suffix set under the prefix, from a full CHALLENGE") {
  FactSet f;
  put_challenge_facts(f, "x.", base64_encode(build_challenge({})), "here: ", "no challenge");
  CHECK(f.all().size() == challenge_fact_suffixes().size());
  for (const auto& s : challenge_fact_suffixes()) CHECK(f.find("x." + s) != nullptr);
  CHECK(std::get<std::string>(f.find("x.netbios_domain")->value) == "CORP");
  CHECK(f.find("x.netbios_domain")->evidence.rfind("here: NTLM TlRMTVNTUAAC", 0) == 0);
  CHECK(f.find("x.netbios_domain")->evidence.substr(f.find("x.netbios_domain")->evidence.size() - 3) == "...");
}

TEST_CASE("challenge facts: no token, a bad token, one state for all") {
  FactSet f;
  put_challenge_facts(f, "x.", "", "here: ", "no challenge");
  CHECK(std::get<StringList>(f.find("x.internal_names")->value).empty());
  CHECK(f.find("x.dns_tree")->state == FactState::Absent);
  CHECK(f.find("x.dns_tree")->reason == "here: no challenge");

  FactSet g;
  put_challenge_facts(g, "x.", "!!!!", "here: ", "no challenge");
  CHECK(g.find("x.internal_names")->state == FactState::Unknown);
  CHECK(g.find("x.os_version")->reason == "here: the NTLM CHALLENGE does not decode: the token is not base64");

  FactSet h;
  put_challenge_facts_all(h, "x.", FactState::Absent, "why", false);
  CHECK(h.find("x.internal_names") == nullptr);
  CHECK(h.all().size() == challenge_fact_suffixes().size() - 1);
}
