#include "probes/tls/tls_probe.h"

#include "probes/tls/checks/run_check.h"
#include "probes/tls/checks/table.h"
#include "probes/tls/enumeration.h"
#include "probes/tls/facts.h"
#include "probes/tls/session.h"

namespace pp::tls {

namespace {

/// Each check of the table, after the enumeration: not run when there is no handshake to build
/// on or the options skip it.
checks::CheckRun run_one(const checks::Check& check, const net::Connector& connect, const TlsProbeOptions& opt,
                         const Observation& obs, const std::optional<NoHandshake>& none) {
  if (none) return checks::not_run(check, none->state, none->reason);
  if (opt.skip_checks.count(std::string(check.name)))
    return checks::not_run(check, FactState::Unknown, "not tested (disabled by option)");
  return checks::run_check(check, connect, opt.sni, opt.timeout, obs);
}

}  // namespace

FactSet probe_tls(const net::Connector& connect, const TlsProbeOptions& opt, int& connections) {
  int used = 0;
  Observation obs;
  Session session{connect, opt, used, obs};
  enumerate(session);
  FactSet fs = observation_facts(obs);
  StringList by_step = {"enumeration " + std::to_string(used)};
  const std::optional<NoHandshake> none = no_handshake(obs);
  for (const auto& check : checks::check_table()) {
    const checks::CheckRun run = run_one(check, connect, opt, obs, none);
    used += run.connections;
    by_step.push_back(std::string(check.name) + " " + std::to_string(run.connections));
    fs.merge(run.facts);
  }
  std::string steps;
  for (const auto& s : by_step) steps += (steps.empty() ? "" : ", ") + s;
  fs.put(Fact::known("tls.connections", int64_t{used}, steps));
  fs.put(Fact::known("tls.connections.by_step", by_step));
  connections += used;
  return fs;
}

}  // namespace pp::tls
