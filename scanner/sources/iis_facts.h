#pragma once
#include <vector>

#include "core/fact.h"
#include "sources/iis_effective.h"
#include "sources/iis_layers.h"

namespace pp::sources {

/// The facts of one virtual directory from its effective settings and its site's bindings:
/// every iis.* fact, and the http.* vdir facts whose meaning the configuration fixes, the
/// same names a network scan sets so one rule judges both:
///   http.plain.ssl_required      Require SSL (an http binding exists)
///   http.plain.basic_offered     Basic enabled and SSL not required (an http binding exists)
///   http.tls.basic_offered       Basic enabled (an https binding exists)
///   http.plain.redirects_to_https  an enabled HTTP redirect to https:// and SSL not required
///   http.tls.hsts, http.tls.hsts_max_age   a Strict-Transport-Security custom header
/// An http.plain.* fact is absent when the site has no http binding, an http.tls.* one when
/// it has no https binding, as a network scan has them. Every other http.* vdir fact is for
/// the caller to mark absent: only the network shows it.
FactSet iis_facts(const Effective& e, const std::vector<Binding>& bindings);

}  // namespace pp::sources
