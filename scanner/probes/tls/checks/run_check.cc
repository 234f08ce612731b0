#include "probes/tls/checks/run_check.h"

namespace pp::tls::checks {

namespace {

/// Sets every fact of `check` not yet in `facts`, as absent or unknown for `reason`.
void fill(const Check& check, FactSet& facts, FactState state, const std::string& reason) {
  for (const auto& spec : check.facts) {
    const std::string name(spec.name);
    if (facts.find(name)) continue;
    facts.put(state == FactState::Absent ? Fact::absent(name, reason) : Fact::unknown(name, reason));
  }
}

}  // namespace

CheckRun not_run(const Check& check, FactState state, const std::string& reason) {
  CheckRun out;
  out.name = check.name;
  fill(check, out.facts, state, reason);
  return out;
}

CheckRun run_check(const Check& check, const net::Connector& connect, const std::string& sni, net::Millis timeout,
                   const Observation& observed) {
  const Applies a = check.applies(observed);
  if (!a.yes) return not_run(check, FactState::Absent, a.why_not);
  CheckRun out;
  out.name = check.name;
  int opened = 0;
  const CheckContext ctx{[&connect, &opened](net::NetError& err) {
                           auto t = connect(err);
                           if (t) ++opened;
                           return t;
                         },
                         sni, timeout, observed};
  out.facts = check.run(ctx);
  out.connections = opened;
  fill(check, out.facts, FactState::Unknown, std::string(check.name) + " check: it did not report this fact");
  return out;
}

}  // namespace pp::tls::checks
