#pragma once
#include <string>

#include "probes/tls/checks/check.h"

namespace pp::tls::checks {

/// Runs one check on an endpoint whose enumeration is done. Every fact of `check.facts` is set
/// in the result: absent with the reason when the check does not apply, else what the check
/// observed (a fact it left unset is unknown, never silent). The connections it opened through
/// its context are counted.
CheckRun run_check(const Check& check, const net::Connector& connect, const std::string& sni, net::Millis timeout,
                   const Observation& observed);

/// A check not run (disabled by option, or no TLS to ask on): each of its facts `state`
/// (absent or unknown) with `reason`, no connection.
CheckRun not_run(const Check& check, FactState state, const std::string& reason);

}  // namespace pp::tls::checks
