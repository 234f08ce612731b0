#pragma once
#include "core/fact.h"
#include "probes/http/http_facts.h"

namespace pp::http {

/// True when `r` is a 401 whose WWW-Authenticate offers NTLM or Negotiate (Negotiate falls
/// back to NTLM for a client outside the domain, so it answers an NTLM negotiate too).
bool offers_ntlm(const HttpResponse& r);

/// The ntlm.* facts of one vdir from its two scheme walks. The CHALLENGE read over TLS is
/// preferred, plain HTTP when TLS did not offer NTLM. ntlm.offered is false when an answered,
/// existing vdir challenges without NTLM/Negotiate; the names are Absent then, Unknown when the
/// negotiate got no answer or a CHALLENGE that does not decode (the reason says which), and
/// internal_names is [] when the server answered the negotiate without a CHALLENGE.
FactSet ntlm_facts(const SchemeObservation& plain, const SchemeObservation& tls);

/// The fact names of ntlm_facts, in catalogue order.
const std::vector<std::string>& ntlm_fact_names();

}  // namespace pp::http
