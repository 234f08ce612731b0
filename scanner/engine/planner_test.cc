#include <catch2/catch.hpp>
#include <set>

#include "engine/families.h"
#include "engine/planner.h"

using namespace pp;
using namespace pp::engine;

namespace {
Target web_target() {
  Target t;
  t.name = "cas";
  t.host = "127.0.0.1";
  t.sni = "mail.example.com";
  t.services = {{"https", 443}, {"http", 80}, {"imap", 143}};
  t.vdirs = {"/owa", "/ecp"};
  return t;
}
}  // namespace

TEST_CASE("the plan pairs http and https for each vdir") {
  Plan p = make_plan({web_target()}, {"tls", "cert", "http", "mail"});
  REQUIRE(p.endpoints.size() == 3);
  REQUIRE(p.vdirs.size() == 2);
  REQUIRE(p.vdirs[0].port == 443);
  REQUIRE(p.vdirs[0].plain_port == 80);
  REQUIRE(p.vdirs[0].id() == "mail.example.com:443/owa");
}

TEST_CASE("default Exchange vdirs when none are named") {
  Target t = web_target();
  t.vdirs.clear();
  Plan p = make_plan({t}, {"http"});
  REQUIRE(p.vdirs.size() == default_exchange_vdirs().size());
}

TEST_CASE("only the families the rules need") {
  REQUIRE(families_for({"tls.protocols", "cert.days_left"}) == std::set<std::string>{"tls", "cert"});
  REQUIRE(families_for({"http.tls.auth_schemes"}) == std::set<std::string>{"http"});
  REQUIRE(families_for({"no.such"}).empty());
}

TEST_CASE("shards partition the targets deterministically") {
  std::vector<Target> all;
  for (int i = 0; i < 50; ++i) {
    Target t = web_target();
    t.name = "t" + std::to_string(i);
    all.push_back(t);
  }
  std::multiset<std::string> seen;
  for (int k = 1; k <= 4; ++k)
    for (const auto& t : select_shard(all, k, 4)) seen.insert(t.name);
  REQUIRE(seen.size() == all.size());
  for (const auto& t : all) REQUIRE(seen.count(t.name) == 1);
  REQUIRE(select_shard(all, 2, 4).size() == select_shard(all, 2, 4).size());
  REQUIRE(select_shard(all, 1, 1).size() == all.size());
}
