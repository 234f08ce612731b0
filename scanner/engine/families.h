#pragma once
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue.h"
#include "core/fact.h"
#include "core/result.h"
#include "core/service.h"
#include "core/subject.h"
#include "probes/net/transport.h"

namespace pp::engine {

struct RunOptions;

/// What a per-endpoint family sees while it runs on one endpoint. Families run in table order
/// on the same job, so a later family reads what an earlier one left (`no_tls_reason`).
struct EndpointJob {
  const Subject& endpoint;
  const ServiceInfo& service;
  const RunOptions& options;
  net::Connector tcp;        ///< plain TCP to the endpoint, drawing on its budget
  net::Connector tls_ready;  ///< tcp plus the pre-TLS dialogue (STARTTLS) the service needs
  FactSet& facts;            ///< the endpoint's facts
  /// Certificate subjects this endpoint serves: the first is what a default client gets.
  std::vector<SubjectFacts>& certificates;
  /// Set when TLS cannot be reached on this endpoint (plaintext service, STARTTLS not offered):
  /// every TLS and certificate fact is then absent with this reason.
  std::string no_tls_reason;
  int tls_connections = 0;   ///< connections the TLS and certificate families opened
};

/// One probe family: a row of the engine's table. The planner runs a family when a selected
/// rule reads one of its facts, or when a family it runs needs it first.
struct Family {
  std::string_view name;   ///< the catalogue's probe name: "mail", "tls", "cert", "http"
  SubjectKind subject;     ///< the kind of subject its facts describe
  /// Families that must run first on the same endpoint when `needs_applies` says so
  /// (a TLS probe on a STARTTLS port needs the STARTTLS dialogue's verdict first).
  std::vector<std::string_view> needs;
  bool (*needs_applies)(const ServiceInfo&);
  /// Runs the family on one endpoint; null for batch families (http runs over all vdirs at once).
  void (*run)(EndpointJob&);
  /// The facts it sets: its probe folder's list. The fact catalogue is these lists in table
  /// order (`engine/catalogue.h`).
  const std::vector<FactSpec>& (*facts)();
};

/// The table, in the order families run on an endpoint (each after what it needs).
const std::vector<Family>& family_table();
const Family* find_family(std::string_view name);

/// The per-endpoint families to run on a service, in table order: those the rules want, and
/// those a wanted family needs first on this kind of service.
std::vector<const Family*> endpoint_families(const std::set<std::string>& wanted, const ServiceInfo& service);

/// The probe families providing `facts` (names from the catalogue; unknown names ignored).
std::set<std::string> families_for(const std::set<std::string>& facts);

/// Marks every fact of `family` for subjects of `kind` not yet in `facts` as absent / unknown.
void mark_family_absent(FactSet& facts, std::string_view family, SubjectKind kind, const std::string& reason);
void mark_family_unknown(FactSet& facts, std::string_view family, SubjectKind kind, const std::string& reason);

}  // namespace pp::engine
