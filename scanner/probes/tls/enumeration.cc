#include "probes/tls/enumeration.h"

#include <algorithm>

#include "probes/tls/extras.h"
#include "probes/tls/groups.h"
#include "probes/tls/note_hello.h"

namespace pp::tls {

namespace {

bool has(const std::vector<uint16_t>& v, uint16_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }
void erase(std::vector<uint16_t>& v, uint16_t x) { v.erase(std::remove(v.begin(), v.end(), x), v.end()); }

/// A no in the middle of the enumeration may come from the suite the server picked rather than
/// from having none left: dovecot without ssl_dh picks a DHE suite and then fails the
/// handshake, closing without an alert. DHE comes right after ECDHE in our offer, so when a
/// hello that still holds DHE suites is refused without an alert, offer the rest once more
/// without DHE: one connection, and the RSA and other suites behind DHE are still found.
/// True when `spec` lost its DHE suites and is worth asking again.
bool drop_dhe(Observation& o, Version v, const VersionResult& vr, HelloSpec& spec, const Attempt& a) {
  if (a.outcome == Outcome::Hello || vr.suites.empty() || spec.suites.empty()) return false;
  const CipherSuite* first = find_suite(spec.suites.front());
  std::vector<uint16_t> others;
  for (auto c : spec.suites) {
    const CipherSuite* cs = find_suite(c);
    if (!cs || cs->kx != Kx::DHE) others.push_back(c);
  }
  // Only a refusal without an alert: a server that has no suite left says handshake_failure.
  if (!first || a.flight.alert || others.empty() || others.size() >= spec.suites.size()) return false;
  o.skipped_kx.push_back(std::string(version_name(v)) + ": a hello led by " + suite_name(spec.suites.front()) +
                         " was refused (" + a.why + "); DHE left out after that");
  spec.suites = std::move(others);
  return true;
}

/// The first hello at `v` accepted: the version is supported.
void first_accept(Observation& o, VersionResult& vr, Version v, const ServerHello& h) {
  vr.state = VState::Supported;
  vr.why = std::string(version_name(v)) + " ServerHello, suite " + suite_name(h.suite);
  if (!o.highest_legacy) o.highest_legacy = v;
}

/// A clean no, or an answer at a lower version: nothing (more) at this version.
void finish_version(VersionResult& vr, Version v, const Attempt& a) {
  const std::string why =
      a.outcome == Outcome::Hello ? "server answered with " + std::string(version_name(a.flight.hello->version)) : a.why;
  if (vr.suites.empty()) {
    vr.state = VState::NotSupported;
    vr.why = std::string(version_name(v)) + " hello answered: " + why;
  }
  vr.complete = true;
}

}  // namespace

void enumerate_legacy(Session& s, Version v) {
  Observation& o = s.obs;
  VersionResult& vr = o.at(v);
  HelloSpec spec = s.spec(v);
  const bool alpn_version = v >= Version::Tls10 && !o.highest_legacy;  // first supported <= 1.2 version
  while (!spec.suites.empty()) {
    HelloSpec this_spec = spec;
    // Every group, unseen ones first: the ServerKeyExchange of an ECDHE answer names a new curve.
    if (s.opt.enumerate_groups && v >= Version::Tls10) this_spec.groups = groups_unseen_first(o);
    const Ride ride = plan_ride(o, s.opt, v, alpn_version, this_spec);
    const Attempt a = s.attempt(this_spec, ReadUntil::KeyExchange);
    const RideNext next = note_ride(o, s.opt, v, alpn_version, ride, vr, a);
    if (next == RideNext::Retry) continue;
    if (a.outcome == Outcome::Hello && a.flight.hello->version == v) {
      const ServerHello& h = *a.flight.hello;
      if (vr.suites.empty()) first_accept(o, vr, v, h);
      note_hello(o, vr, a.flight);
      if (next == RideNext::Skip) continue;
      if (has(vr.suites, h.suite)) {  // chosen although withdrawn: the parser lets none through
        vr.state = VState::Unknown;
        vr.why = std::string(version_name(v)) + ": server chose " + suite_name(h.suite) + " again after it was withdrawn";
        return;
      }
      vr.suites.push_back(h.suite);
      erase(spec.suites, h.suite);
      continue;
    }
    if (a.outcome == Outcome::Failed) {
      vr.state = VState::Unknown;
      vr.why = std::string(version_name(v)) + ": " + a.why +
               (vr.suites.empty() ? "" : " (after " + std::to_string(vr.suites.size()) + " suites)");
      return;
    }
    if (drop_dhe(o, v, vr, spec, a)) continue;
    finish_version(vr, v, a);
    return;
  }
  vr.complete = true;
}

namespace {

/// TLS 1.3 with the unseen groups only was refused: either the suites or the unseen groups ran
/// out. True when the enumeration should go on (with every group), false when it is done.
bool restricted_no(Session& s, VersionResult& vr, const std::vector<uint16_t>& unseen) {
  Observation& o = s.obs;
  // Every suite was offered: if the same hello with every group gets a yes, the unseen groups
  // are exhausted; if not, TLS 1.3 is not spoken at all.
  if (vr.suites.empty()) {
    o.groups13_done = true;
    return true;
  }
  // Ask with the suites already accepted and the unseen groups: a yes names one more group (and
  // means the suites are done); a no means the groups are done, and the remaining suites get one
  // more try with every group.
  HelloSpec g = s.spec(Version::Tls13);
  g.suites = vr.suites;
  g.groups = unseen;
  g.x25519_share = unseen.front() == 0x001D;
  const Attempt b = s.attempt(g, ReadUntil::Hello);
  if (b.outcome == Outcome::Hello && b.flight.hello->version == Version::Tls13) {
    if (b.flight.hello->key_share_group) take_group(o, *b.flight.hello->key_share_group);
    return false;  // the remaining groups are for groups_tls13
  }
  // A downgrade to TLS <= 1.2 is the same "no" as an alert.
  if (b.outcome == Outcome::Failed) o.groups_unknown = "TLSv1.3 group enumeration: " + b.why;
  o.groups13_done = true;
  return true;
}

}  // namespace

void enumerate_tls13(Session& s) {
  Observation& o = s.obs;
  VersionResult& vr = o.at(Version::Tls13);
  std::vector<uint16_t> suites = suites_for(Version::Tls13);
  o.groups13_done = !s.opt.enumerate_groups;
  // Suites and groups together: each answer (ServerHello or HelloRetryRequest) names one of
  // each. A HelloRetryRequest names the server's favourite among the groups offered, so only
  // groups not seen yet (here or in a TLS <= 1.2 ServerKeyExchange) are offered.
  while (!suites.empty()) {
    const std::vector<uint16_t> unseen = unseen_groups(o);
    const bool restricted = !o.groups13_done && !unseen.empty() && !o.seen_groups.empty();
    HelloSpec spec = s.spec(Version::Tls13);
    spec.suites = suites;
    if (restricted) spec.groups = unseen;
    spec.x25519_share = spec.groups.front() == 0x001D;  // else the HelloRetryRequest names a group
    const Attempt a = s.attempt(spec, ReadUntil::Hello);
    if (a.outcome == Outcome::Hello && a.flight.hello->version == Version::Tls13) {
      const ServerHello& h = *a.flight.hello;
      if (vr.suites.empty()) {
        vr.state = VState::Supported;
        vr.why = std::string("TLSv1.3 ") + (h.hello_retry ? "HelloRetryRequest" : "ServerHello") + ", suite " +
                 suite_name(h.suite);
      }
      vr.suites.push_back(h.suite);
      erase(suites, h.suite);
      if (h.key_share_group) take_group(o, *h.key_share_group);
      continue;
    }
    if (a.outcome == Outcome::Failed) {
      vr.state = VState::Unknown;
      vr.why = "TLSv1.3: " + a.why;
      return;
    }
    if (restricted) {
      if (restricted_no(s, vr, unseen)) continue;
      break;
    }
    if (vr.suites.empty()) {
      vr.state = VState::NotSupported;
      vr.why = "TLSv1.3 hello answered: " + (a.outcome == Outcome::Hello
                                                 ? "server answered with " + std::string(version_name(a.flight.hello->version))
                                                 : a.why);
    }
    break;
  }
  vr.complete = true;
}

void probe_ssl2(Session& s) {
  VersionResult& vr = s.obs.at(Version::Ssl2);
  std::vector<uint32_t> kinds;
  for (const auto& c : ssl2_ciphers()) kinds.push_back(c.code);
  HelloSpec dummy;
  dummy.version = Version::Ssl3;
  const Attempt a = s.attempt(dummy, ReadUntil::Hello, kinds);
  vr.complete = true;
  if (a.outcome == Outcome::Hello && a.flight.ssl2) {
    vr.state = VState::Supported;
    vr.ssl2_kinds = a.flight.ssl2->ciphers;
    vr.why = "SSLv2 SERVER-HELLO with " + std::to_string(vr.ssl2_kinds.size()) + " cipher kinds";
  } else if (a.outcome == Outcome::Hello) {
    vr.state = VState::NotSupported;
    vr.why = "SSLv2 CLIENT-HELLO answered with a " + std::string(version_name(a.flight.hello->version)) + " ServerHello";
  } else if (a.outcome == Outcome::Refused) {
    vr.state = VState::NotSupported;
    vr.why = "SSLv2 CLIENT-HELLO answered: " + a.why;
  } else {
    vr.state = VState::Unknown;
    vr.why = "SSLv2: " + a.why;
  }
}

void enumerate(Session& s) {
  s.obs.ssl2_probed = s.opt.ssl2;
  s.obs.groups_enumerated = s.opt.enumerate_groups;
  s.obs.alpn_tested = s.opt.test_alpn;
  for (Version v : kTlsVersions)
    if (v != Version::Tls13) enumerate_legacy(s, v);
  enumerate_tls13(s);
  if (s.opt.ssl2) probe_ssl2(s);
  groups_tls13(s);
  groups_legacy(s);
  alpn_finish(s);
  server_order(s);
}

}  // namespace pp::tls
