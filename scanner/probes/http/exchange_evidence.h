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
  /// What was read and the request whose answer showed it.
  struct Seen {
    std::string what;     ///< "X-OWA-Version: 15.1.2176.9"
    std::string request;  ///< "GET http://host:80/owa"
  };
  struct Build {
    ExchangeBuild build;
    Seen where;
  };
  std::vector<Build> builds;       ///< in the order seen
  std::vector<std::string> names;  ///< internal names, each once (case-insensitive)
  std::vector<Seen> name_lines;    ///< the headers that named them
  bool answered = false;           ///< at least one HTTP answer was read
};

/// Evidence lines: each distinct `what` once, with the first request that showed it and how
/// many more answers did ("X-OWA-Version: 6.5.7638.1 (GET http://host/; and 40 more answers)").
std::vector<std::string> evidence_lines(const std::vector<ExchangeSightings::Seen>& seen);

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
