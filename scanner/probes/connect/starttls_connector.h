#pragma once
#include <string>

#include "core/service.h"
#include "probes/net/transport.h"

namespace pp::connect {

/// What the pre-TLS dialogue of a connection needs: the wait bound for every exchange and the
/// name given in EHLO.
struct StarttlsOptions {
  net::Millis timeout{5000};
  std::string client_name = "policyprobe.invalid";  ///< EHLO name
};

/// A Connector that opens TCP through `tcp` and runs the STARTTLS preamble of `protocol`, so
/// the TLS and certificate probes work over the upgraded connection. On failure it returns
/// nullptr and sets err to what went wrong ("STARTTLS refused: 454 ...", or "server sent N
/// unexpected bytes after STARTTLS reply" — the CVE-2011-0411 class, never read as TLS).
net::Connector starttls_connector(net::Connector tcp, Protocol protocol, const StarttlsOptions& opt);

}  // namespace pp::connect
