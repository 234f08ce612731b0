#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/fact.h"
#include "probes/http/http_message.h"

namespace pp::http {

/// Everything the probe saw of one vdir over one scheme: the GET chain and the method probes.
/// Filled by the engine-driven probe, turned into facts by scheme_facts(); the split keeps the
/// fact rules testable on hand-written responses.
struct SchemeObservation {
  std::string scheme;        ///< "plain" or "tls" (fact prefix http.<scheme>.)
  std::string vdir_host;     ///< the vdir's name (Host header)
  std::string path;          ///< the vdir path as requested
  uint16_t port = 0;         ///< 0: no port of this scheme in the inventory
  std::vector<HttpResponse> chain;           ///< every answered GET, in order
  std::vector<std::string> redirect_chain;   ///< "302 https://host/owa/" (+ why not followed)
  std::vector<std::string> redirect_targets; ///< absolute Location URLs, followed or not
  std::optional<HttpResponse> failure;       ///< a GET that got no answer (first or a later hop)
  bool methods_sent = false;
  std::string methods_skipped;               ///< why the method probes were not sent
  std::string echo_marker;                   ///< value of the marker header sent with TRACE/TRACK
  std::optional<HttpResponse> options, trace, track, propfind;
  /// The answer to one GET with `Authorization: NTLM <type 1>`, sent when the final answer was
  /// a 401 offering NTLM or Negotiate (see ntlm_facts.h).
  std::optional<HttpResponse> ntlm;
};

/// Every http.<scheme>.* fact of the catalogue for one observation (Known, Absent or Unknown).
FactSet scheme_facts(const SchemeObservation& obs);

/// The fact suffixes of one scheme, in catalogue order (hsts* only for "tls").
std::vector<std::string> scheme_fact_names(const std::string& scheme);

}  // namespace pp::http
