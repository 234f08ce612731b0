#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue.h"
#include "core/fact.h"
#include "probes/net/transport.h"
#include "probes/tls/observation.h"

namespace pp::tls::checks {

/// Whether a check has anything to ask on this endpoint; when not, why (every fact of the
/// check is then absent with that reason).
struct Applies {
  bool yes = true;
  std::string why_not;
  static Applies always() { return {}; }
  static Applies no(std::string why) { return {false, std::move(why)}; }
};

/// What a check runs with. `connect` opens a ready connection (TCP plus any STARTTLS preamble)
/// and counts it for this check, so what a check cost is measured, not declared.
struct CheckContext {
  net::Connector connect;
  std::string sni;             ///< server name to send (empty: none)
  net::Millis timeout{5000};   ///< every single network wait
  const Observation& observed; ///< the enumeration's observation: versions, suites, groups...
};

/// One row of the check table: a self-contained question that opens its own connection(s)
/// after the enumeration. The contract is in checks/README.md.
struct Check {
  std::string_view name;        ///< stable, unique: "renegotiation", "fallback_scsv"
  std::vector<FactSpec> facts;  ///< every fact it sets: these are its catalogue entries
  Applies (*applies)(const Observation&);
  /// Sets each of `facts`: known, absent or unknown with the reason. Never judges.
  FactSet (*run)(const CheckContext&);
};

/// What running one check gave: its facts (every one of its FactSpecs set) and what it cost.
struct CheckRun {
  std::string_view name;
  FactSet facts;
  int connections = 0;
};

}  // namespace pp::tls::checks
