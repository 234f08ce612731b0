// Check "fallback_scsv": does the server refuse a downgraded hello that carries
// TLS_FALLBACK_SCSV (RFC 7507)? One connection, raw hello (no TLS library).
#include "probes/tls/checks/check.h"
#include "probes/tls/handshake.h"

namespace pp::tls::checks {

namespace {

constexpr std::string_view kFact = "tls.fallback_scsv";

Applies applies(const Observation& o) {
  if (o.accepted_versions().size() < 2)
    return Applies::no("fewer than two protocol versions accepted: no downgrade possible");
  return Applies::always();
}

FactSet run(const CheckContext& ctx) {
  const Observation& o = ctx.observed;
  const std::vector<Version> sup = o.accepted_versions();  // highest first
  // The suites this version is known to accept: a refusal can then only be for the SCSV.
  HelloSpec spec = base_spec(sup[1], ctx.sni);
  if (!o.at(sup[1]).suites.empty()) spec.suites = o.at(sup[1]).suites;
  spec.fallback_scsv = true;
  spec.alpn.clear();
  int connections = 0;  // counted by the context's connector
  const Attempt a = exchange_hello(ctx.connect, spec, ReadUntil::Hello, ctx.timeout, connections);
  const std::string what = std::string(version_name(sup[1])) + " hello with TLS_FALLBACK_SCSV (server max " +
                           std::string(version_name(sup[0])) + "): ";
  const std::string name(kFact);
  FactSet fs;
  if (a.flight.alert && a.flight.alert->description == 86)
    fs.put(Fact::known(name, true, what + "inappropriate_fallback alert"));
  else if (a.outcome == Outcome::Hello)
    fs.put(Fact::known(name, false, what + "ServerHello accepted the downgrade"));
  else if (a.outcome == Outcome::Refused && !a.flight.alert)
    // Servers that drop every refused handshake without an alert (dovecot, slapd) close here;
    // the same hello without the SCSV gets a ServerHello, so the SCSV is what was refused.
    fs.put(Fact::known(name, true,
                       what + "connection closed without a ServerHello, while the same suites without the SCSV are "
                              "accepted"));
  else
    fs.put(Fact::unknown(name, what + a.why));
  return fs;
}

}  // namespace

Check fallback_scsv_check() {
  return {"fallback_scsv",
          {{kFact, ValueType::Bool, SubjectKind::Endpoint, "tls",
            "the server rejects TLS_FALLBACK_SCSV on a downgraded handshake (RFC 7507)"}},
          applies,
          run};
}

}  // namespace pp::tls::checks
