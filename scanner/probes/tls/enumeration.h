#pragma once
#include "probes/tls/session.h"

namespace pp::tls {

/// N+1 suite enumeration: per version, every suite in a client's order (ECDHE, DHE, RSA, the
/// rest; strongest first), record the server's choice, withdraw it and ask again, until a "no".
/// A version costs one connection per accepted suite plus one. Groups and the extras ride on
/// these connections (`groups.h`, `extras.h`).

/// SSLv3 .. TLS 1.2 at version `v`.
void enumerate_legacy(Session& s, Version v);
/// TLS 1.3: suites and groups together (each answer names one of each).
void enumerate_tls13(Session& s);
/// SSLv2: one CLIENT-HELLO offering every cipher kind; the SERVER-HELLO lists those it takes.
void probe_ssl2(Session& s);

/// The whole enumeration in the order that keeps it cheap: TLS <= 1.2 first (their ECDHE
/// connections reveal curves for free), then TLS 1.3 (only the rest left to find), SSLv2, the
/// remaining groups, then the extras the enumeration could not carry.
void enumerate(Session& s);

}  // namespace pp::tls
