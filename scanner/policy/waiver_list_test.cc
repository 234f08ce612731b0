#include <catch2/catch.hpp>

#include "policy/waiver_list.h"

using namespace pp::policy;

namespace {
Waiver make(const std::string& rule, Date expires, const std::string& owner) {
  Waiver w;
  w.rule = rule;
  w.subject = "legacy";
  w.justification = "vendor appliance";
  w.expires = expires;
  w.owner = owner;
  w.ticket = owner.empty() ? "" : "CHG-7";
  w.granted = owner.empty() ? Date{} : Date{2026, 1, 2};
  w.file = "w.toml";
  w.line = 2;
  w.column = 1;
  return w;
}
}  // namespace

TEST_CASE("waivers list: state, owner, ticket and days left of each, then the counts") {
  const std::vector<Waiver> w = {make("TLS-001", {2026, 12, 31}, "ops lead"), make("TLS-002", {2026, 3, 10}, "ops lead"),
                                 make("TLS-003", {2026, 2, 1}, "")};
  const Date today{2026, 3, 1};
  const WaiverListing l = list_waivers(w, today, 30, nullptr);
  INFO(l.text);
  CHECK(l.active == 1);
  CHECK(l.expiring == 1);
  CHECK(l.expired == 1);
  CHECK(l.text.find("active: TLS-001 on 'legacy'; expires 2026-12-31 (in 305 days); owner ops lead; ticket CHG-7; "
                    "granted 2026-01-02  [w.toml:2:1]\n    vendor appliance\n") != std::string::npos);
  CHECK(l.text.find("expiring: TLS-002 on 'legacy'; expires 2026-03-10 (in 9 days)") != std::string::npos);
  CHECK(l.text.find("expired: TLS-003 on 'legacy'; expired 2026-02-01 (28 days ago); owner (none: schema 1)") !=
        std::string::npos);
  CHECK(l.text.find("3 waivers: 1 active, 1 expiring within 30 days, 1 expired\n") != std::string::npos);

  const std::vector<bool> unused = {true, false, false};
  const WaiverListing r = list_waivers(w, today, 5, &unused);
  INFO(r.text);
  CHECK(r.expiring == 0);
  CHECK(r.unused == 1);
  CHECK(r.text.find("active, matching nothing: TLS-001") != std::string::npos);
  CHECK(r.text.find("1 matching nothing in the report") != std::string::npos);
}
