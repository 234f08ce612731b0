#pragma once
#include <string>
#include <vector>

#include "core/exchange_table.h"
#include "probes/http/http_facts.h"

namespace pp::http {

/// What anonymous answers of one web endpoint show of the Exchange behind it. Read from the
/// responses the vdir walk already has (GETs, redirects, OPTIONS/TRACE/TRACK/PROPFIND): no
/// request is sent for it, and nothing that exploits (no SSRF paths, no crafted autodiscover).
struct ExchangeSightings {
  struct Build {
    ExchangeBuild build;
    std::string where;  ///< "X-OWA-Version: 15.1.2176.9 (GET http://host:80/owa)"
  };
  std::vector<Build> builds;            ///< in the order seen
  std::vector<std::string> names;       ///< internal names, each once (case-insensitive)
  std::vector<std::string> name_lines;  ///< "X-FEServer: EXCH01 (GET ...)", each once
  bool answered = false;                ///< at least one HTTP answer was read
};

/// Adds what one (vdir, scheme) walk saw: X-OWA-Version; builds in OWA/ECP resource paths of a
/// page (`/owa/auth/15.1.2507/themes/...`, `/ecp/15.1.2507.6/scripts/...`); an EWS
/// ServerVersionInfo element; internal names in X-FEServer, X-BEServer, X-CalculatedBETarget,
/// X-DiagInfo.
void collect_exchange(const SchemeObservation& obs, ExchangeSightings& out);

/// Builds in OWA/ECP resource paths of an HTML body, each once, in order.
std::vector<std::string> resource_path_builds(const std::string& body);

/// "15.1.2507.6" from `<... ServerVersionInfo MajorVersion="15" MinorVersion="1"
/// MajorBuildNumber="2507" MinorBuildNumber="6"`; empty when the body has none.
std::string server_version_info_build(const std::string& body);

}  // namespace pp::http
