#pragma once
#include <optional>
#include <string>

#include "core/fact.h"
#include "probes/tls/observation.h"

namespace pp::tls {

/// The enumeration's facts from what it observed: pure, no socket. Every fact of the
/// enumeration's catalogue list (`tls_facts.inc`) except `tls.connections*`, which the probe
/// adds: known, absent or unknown with the reason.
FactSet observation_facts(const Observation& o);

/// Why there is no handshake to build on (no version accepted: absent; the enumeration could
/// not tell: unknown with its reasons); nullopt when a version was accepted.
struct NoHandshake {
  FactState state = FactState::Absent;
  std::string reason;
};
std::optional<NoHandshake> no_handshake(const Observation& o);

}  // namespace pp::tls
