#pragma once
#include <string>
#include <vector>

#include "probes/tls/handshake.h"
#include "probes/tls/observation.h"
#include "probes/tls/tls_probe.h"

namespace pp::tls {

/// What every enumeration step works with: the endpoint's connector, the options, the
/// connection count, and the observation the steps fill in.
struct Session {
  const net::Connector& connect;
  const TlsProbeOptions& opt;
  int& connections;
  Observation& obs;

  /// One raw hello on a new connection; a ServerKeyExchange that did not come is noted.
  Attempt attempt(const HelloSpec& spec, ReadUntil until, const std::vector<uint32_t>& ssl2 = {}) {
    Attempt a = exchange_hello(connect, spec, until, opt.timeout, connections, ssl2);
    if (a.kex_missing) obs.kex_unknown = a.kex_missing;
    return a;
  }
  HelloSpec spec(Version v) const { return base_spec(v, opt.sni); }
};

}  // namespace pp::tls
