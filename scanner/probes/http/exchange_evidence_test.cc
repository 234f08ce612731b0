#include "probes/http/exchange_evidence.h"

#include <catch2/catch.hpp>

using namespace pp;
using namespace pp::http;

namespace {

HttpResponse resp(std::string url, long status, std::vector<Header> headers = {}, std::string body = {}) {
  HttpResponse r;
  r.method = "GET";
  r.url = std::move(url);
  r.status = status;
  r.status_line = "HTTP/1.1 " + std::to_string(status);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

}  // namespace

TEST_CASE("builds in OWA and ECP resource paths of a logon page") {
  const std::string page =
      R"(<link rel="shortcut icon" href="/owa/auth/15.1.2507/themes/resources/favicon.ico" type="image/x-icon">)"
      R"(<script src="/OWA/auth/15.1.2507/scripts/premium/flogon.js"></script>)"
      R"(<img src="/ecp/15.2.1118.20/themes/default/clear1x1.gif"><a href="/owa/auth/logon.aspx">)";
  CHECK(resource_path_builds(page) == std::vector<std::string>{"15.1.2507", "15.2.1118.20"});
  CHECK(resource_path_builds("<a href=\"/owa/auth/logon.aspx?url=/owa/15/\">").empty());
  CHECK(resource_path_builds("/owa/1.2/x").empty());
}

TEST_CASE("an EWS ServerVersionInfo element carries the full build") {
  CHECK(server_version_info_build(R"(<h:ServerVersionInfo MajorVersion="15" MinorVersion="1" )"
                                  R"(MajorBuildNumber="2507" MinorBuildNumber="6" Version="V2017_07_11"/>)") ==
        "15.1.2507.6");
  CHECK(server_version_info_build(R"(<ServerVersionInfo MajorVersion="15"/>)").empty());
  CHECK(server_version_info_build("no version here").empty());
}

TEST_CASE("headers: X-OWA-Version and the internal names of front and back end") {
  SchemeObservation o;
  o.chain.push_back(resp("https://mail.example.com:443/owa", 302,
                         {{"X-OWA-Version", "15.1.2176.9"}, {"X-FEServer", "EXCH01"}, {"Location", "/owa/auth/logon.aspx"}}));
  o.chain.push_back(resp("https://mail.example.com:443/owa/auth/logon.aspx", 200,
                         {{"X-FEServer", "exch01"}, {"X-BEServer", "EXCH02"},
                          {"X-CalculatedBETarget", "exch02.corp.example.local"}, {"X-DiagInfo", "EXCH02"}},
                         R"(<link href="/owa/auth/15.1.2176/themes/resources/favicon.ico">)"));
  o.options = resp("https://mail.example.com:443/owa", 200, {{"X-OWA-Version", "15.1.2176.9"}});
  o.options->method = "OPTIONS";
  ExchangeSightings seen;
  collect_exchange(o, seen);
  CHECK(seen.answered);
  REQUIRE(seen.builds.size() == 3);
  CHECK(seen.builds[0].build.str() == "15.1.2176.9");
  std::vector<ExchangeSightings::Seen> where;
  for (const auto& b : seen.builds) where.push_back(b.where);
  CHECK(evidence_lines(where) ==
        std::vector<std::string>{
            "X-OWA-Version: 15.1.2176.9 (GET https://mail.example.com:443/owa; and 1 more answer)",
            "resource path /15.1.2176/ in the page (GET https://mail.example.com:443/owa/auth/logon.aspx)"});
  CHECK(seen.names == std::vector<std::string>{"EXCH01", "EXCH02", "exch02.corp.example.local"});
  CHECK(evidence_lines(seen.name_lines) ==
        std::vector<std::string>{"X-FEServer: EXCH01 (GET https://mail.example.com:443/owa)",
                                 "X-FEServer: exch01 (GET https://mail.example.com:443/owa/auth/logon.aspx)",
                                 "X-BEServer: EXCH02 (GET https://mail.example.com:443/owa/auth/logon.aspx)",
                                 "X-CalculatedBETarget: exch02.corp.example.local (GET "
                                 "https://mail.example.com:443/owa/auth/logon.aspx)",
                                 "X-DiagInfo: EXCH02 (GET https://mail.example.com:443/owa/auth/logon.aspx)"});
}

TEST_CASE("a walk that got no answer shows nothing and says so") {
  SchemeObservation o;
  HttpResponse failed;
  failed.error = TransferError::Refused;
  o.failure = failed;
  ExchangeSightings seen;
  collect_exchange(o, seen);
  CHECK_FALSE(seen.answered);
  CHECK(seen.builds.empty());
}
