#include "probes/http/ntlm_facts.h"

#include "probes/http/http_analysis.h"
#include "probes/http/www_authenticate.h"
#include "probes/ntlm/challenge_facts.h"

namespace pp::http {

namespace {

bool reached(const SchemeObservation& o) { return o.port != 0 && !o.chain.empty(); }
bool exists(const SchemeObservation& o) { return reached(o) && o.chain.back().status != 404; }
bool offered_on(const SchemeObservation& o) { return exists(o) && offers_ntlm(o.chain.back()); }

/// The NTLM token of a `WWW-Authenticate: NTLM <token>` (or Negotiate with an NTLMSSP token).
std::string challenge_token(const HttpResponse& r) {
  for (const auto& c : parse_www_authenticate(r.values("WWW-Authenticate")).challenges)
    if ((c.scheme == "NTLM" || c.scheme == "Negotiate") && !c.token68.empty()) return c.token68;
  return {};
}

/// Every fact except ntlm.offered set to one state with one reason.
void put_all(FactSet& out, FactState state, const std::string& reason) {
  ntlm::put_challenge_facts_all(out, "ntlm.", state, reason);
}

/// What the answer to the negotiate showed, on the scheme chosen.
void put_answer(FactSet& out, const HttpResponse& r) {
  if (!r.answered()) {
    put_all(out, FactState::Unknown, redact_userinfo(r.url) + ": the NTLM negotiate got no answer: " + r.reason);
    return;
  }
  ntlm::put_challenge_facts(out, "ntlm.", challenge_token(r), redact_userinfo(r.url) + ": ",
                            "the answer to the NTLM negotiate carries no CHALLENGE (" + r.status_line + ")");
}

/// Neither scheme offered NTLM: say why, from the scheme that says most.
void put_not_offered(FactSet& out, const SchemeObservation& plain, const SchemeObservation& tls) {
  const SchemeObservation* seen = exists(tls) ? &tls : exists(plain) ? &plain : nullptr;
  if (seen) {
    const HttpResponse& last = seen->chain.back();
    const std::string evidence = redact_userinfo(last.url) + ": " + last.status_line +
                                 (last.status == 401 ? ", no NTLM or Negotiate challenge" : ", no challenge");
    out.put(Fact::known("ntlm.offered", false, evidence));
    put_all(out, FactState::Absent, "NTLM is not offered (" + evidence + ")");
    return;
  }
  if (reached(tls) || reached(plain)) {
    out.put(Fact::absent("ntlm.offered", "404 Not Found"));
    put_all(out, FactState::Absent, "404 Not Found");
    return;
  }
  const std::string reason = tls.failure ? tls.failure->reason : plain.failure ? plain.failure->reason : "no answer";
  out.put(Fact::unknown("ntlm.offered", redact_userinfo(reason)));
  put_all(out, FactState::Unknown, redact_userinfo(reason));
}

}  // namespace

bool offers_ntlm(const HttpResponse& r) {
  if (r.status != 401) return false;
  for (const auto& c : parse_www_authenticate(r.values("WWW-Authenticate")).challenges)
    if (c.scheme == "NTLM" || c.scheme == "Negotiate") return true;
  return false;
}

const std::vector<std::string>& ntlm_fact_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v = {"ntlm.offered"};
    for (const auto& s : ntlm::challenge_fact_suffixes()) v.push_back("ntlm." + s);
    return v;
  }();
  return names;
}

FactSet ntlm_facts(const SchemeObservation& plain, const SchemeObservation& tls) {
  FactSet out;
  // TLS first; plain HTTP when TLS did not offer NTLM, or offered it but its negotiate
  // failed where plain HTTP's did not.
  const SchemeObservation* use = offered_on(tls) ? &tls : offered_on(plain) ? &plain : nullptr;
  if (use == &tls && offered_on(plain) && (!tls.ntlm || !tls.ntlm->answered()) && plain.ntlm && plain.ntlm->answered())
    use = &plain;
  if (!use) {
    put_not_offered(out, plain, tls);
    return out;
  }
  const HttpResponse& last = use->chain.back();
  out.put(Fact::known("ntlm.offered", true, redact_userinfo(last.url) + ": " + last.status_line + " offering NTLM"));
  if (!use->ntlm) {
    put_all(out, FactState::Unknown, "the NTLM negotiate was not sent");
    return out;
  }
  put_answer(out, *use->ntlm);
  return out;
}

}  // namespace pp::http
