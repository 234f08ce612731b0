#pragma once
#include "probes/tls/session.h"

namespace pp::tls {

/// Extras that ride on the TLS <= 1.2 enumeration connections: ALPN (the first supported
/// version's first connection sees what the server picks among h2,http/1.1, the second offers
/// the other protocol alone) and server order (the third TLS 1.2 connection offers every suite
/// not yet seen, then the second and the first suite chosen). Each costs a connection of its
/// own only when the enumeration could not carry it (`alpn_finish`, `server_order`).

/// What one enumeration connection carries besides the suites.
struct Ride {
  bool alpn = false;   ///< offers only the protocol the server did not pick first
  bool order = false;  ///< appends the second and first suite chosen, in that order
};

/// Decides what the next connection of version `v` carries and changes `spec` to match.
/// `alpn_version`: `v` is the first supported version up to TLS 1.2, where ALPN is read.
Ride plan_ride(const Observation& o, const TlsProbeOptions& opt, Version v, bool alpn_version, HelloSpec& spec);

/// What to do with an answer to a connection that carried a ride.
enum class RideNext {
  Count,  ///< take the answer as an enumeration step
  Retry,  ///< the ride made the server refuse (no_application_protocol, a contradictory "no"): ask again
  Skip,   ///< the order test chose a suite already known: nothing new, ask again
};

/// Notes what the answer `a` at version `v` says about the ride; `vr` is the version's result
/// before this answer (its suites so far).
RideNext note_ride(Observation& o, const TlsProbeOptions& opt, Version v, bool alpn_version, const Ride& ride,
                   const VersionResult& vr, const Attempt& a);

/// One more connection when the enumeration did not settle ALPN's second protocol.
void alpn_finish(Session& s);
/// One connection when server order did not ride on TLS 1.2 (or is untested by option).
void server_order(Session& s);

}  // namespace pp::tls
