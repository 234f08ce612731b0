#include <catch2/catch.hpp>

#include "reports/baseline.h"
#include "reports/html.h"
#include "reports/waiver_table.h"

using namespace pp;
using namespace pp::reports;

TEST_CASE("the HTML report lists the scan's waivers with owner and ticket, escaped") {
  ScanReport r;
  r.waivers.push_back({"TLS-*", "legacy", "<b>vendor</b>", "ops & network", "CHG-7", "2026-01-02", "2026-09-30",
                       "w.toml:2:1", "active"});
  r.waivers.push_back({"CERT-001", "x", "old format", "", "", "", "2026-09-30", "w.toml:9:1", "matching nothing"});
  const std::string table = render_waivers_html(r.waivers);
  CHECK(table.find("<h2>Waivers (2)</h2>") != std::string::npos);
  CHECK(table.find("<td>ops &amp; network</td><td style=\"white-space:nowrap\">CHG-7</td>") != std::string::npos);
  CHECK(table.find(">2026-01-02</td><td style=\"white-space:nowrap\">2026-09-30</td>") != std::string::npos);
  CHECK(table.find("&lt;b&gt;vendor&lt;/b&gt;") != std::string::npos);
  CHECK(table.find("<td>(not recorded)</td>") != std::string::npos);
  CHECK(render_html(r).find("id=\"waivers\"") != std::string::npos);
  CHECK(render_waivers_html({}).empty());
}

TEST_CASE("merge lists each waiver once; in use in any shard is in use") {
  ScanReport a, b;
  const WaiverRecord w{"TLS-*", "legacy", "j", "o", "t", "2026-01-02", "2026-09-30", "w.toml:2:1", "matching nothing"};
  a.waivers = {w};
  b.waivers = {w};
  b.waivers[0].state = "active";
  const ScanReport m = merge({a, b});
  REQUIRE(m.waivers.size() == 1);
  CHECK(m.waivers[0].state == "active");
}
