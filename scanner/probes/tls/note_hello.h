#pragma once
#include "probes/tls/observation.h"

namespace pp::tls {

/// What any accepted hello teaches beyond its suite, on whichever connection it came: the
/// version's first ServerHello (for its extensions), DEFLATE chosen, and the key exchange's
/// group or DH size (the ServerKeyExchange). `vr` is the result of the hello's version.
void note_hello(Observation& o, VersionResult& vr, const ServerFlight& f);

}  // namespace pp::tls
