#include "probes/tls/extras.h"

namespace pp::tls {

Ride plan_ride(const Observation& o, const TlsProbeOptions& opt, Version v, bool alpn_version, HelloSpec& spec) {
  const VersionResult& vr = o.at(v);
  Ride r;
  r.alpn = alpn_version && o.alpn_other && !o.alpn_other_ok && !vr.suites.empty();
  if (r.alpn) spec.alpn = {*o.alpn_other};
  // Server order on the third connection: every suite not yet seen, then the second and the
  // first suite chosen, in that order. Server order picks the first again (it did out of a
  // superset); client order picks a new suite, or the second one when none is left.
  r.order = opt.test_server_order && v == Version::Tls12 && !o.server_order && !o.order_tried && vr.suites.size() == 2;
  if (r.order) {
    spec.suites.push_back(vr.suites[1]);
    spec.suites.push_back(vr.suites[0]);
  }
  return r;
}

namespace {

void note_alpn(Observation& o, const TlsProbeOptions& opt, const Ride& ride, const VersionResult& vr,
               const ServerHello& h) {
  if (vr.suites.empty()) {
    o.alpn_first = h.alpn;
    if (opt.test_alpn && h.alpn == "h2")
      o.alpn_other = "http/1.1";
    else if (opt.test_alpn && h.alpn == "http/1.1")
      o.alpn_other = "h2";
  } else if (ride.alpn) {
    o.alpn_other_ok = h.alpn == *o.alpn_other;
  }
}

}  // namespace

RideNext note_ride(Observation& o, const TlsProbeOptions& opt, Version v, bool alpn_version, const Ride& ride,
                   const VersionResult& vr, const Attempt& a) {
  if (ride.order) o.order_tried = true;
  const bool hello = a.outcome == Outcome::Hello && a.flight.hello->version == v;
  if (ride.alpn && a.outcome != Outcome::Hello && a.flight.alert && a.flight.alert->description == 120) {
    o.alpn_other_ok = false;  // no_application_protocol: retry the same suites with both protocols
    if (ride.order) o.order_tried = false;
    return RideNext::Retry;
  }
  if (ride.order && !hello && a.outcome != Outcome::Failed)
    return RideNext::Retry;  // a "no" although an accepted suite was offered: contradictory, redo without it
  if (!hello) return RideNext::Count;
  const ServerHello& h = *a.flight.hello;
  if (alpn_version) note_alpn(o, opt, ride, vr, h);
  if (!ride.order) return RideNext::Count;
  o.server_order = Fact::known("tls.server_order", h.suite == vr.suites[0],
                               std::string(version_name(v)) + ": offered " + suite_name(vr.suites[1]) + " before " +
                                   suite_name(vr.suites[0]) + " (after every suite not yet seen), server chose " +
                                   suite_name(h.suite));
  // A known suite teaches no new one; the next connection offers the unseen ones alone.
  return h.suite == vr.suites[0] || h.suite == vr.suites[1] ? RideNext::Skip : RideNext::Count;
}

void alpn_finish(Session& s) {
  // The enumeration connections usually settle ALPN; one extra connection otherwise.
  Observation& o = s.obs;
  if (!o.highest_legacy || !o.alpn_other || o.alpn_other_ok) return;
  const Version v = *o.highest_legacy;
  if (v < Version::Tls10) return;
  HelloSpec spec = s.spec(v);
  spec.suites = o.at(v).suites;
  spec.alpn = {*o.alpn_other};
  Attempt a = s.attempt(spec, ReadUntil::Hello);
  if (a.outcome == Outcome::Hello)
    o.alpn_other_ok = a.flight.hello->alpn == *o.alpn_other;
  else if (a.flight.alert && a.flight.alert->description == 120)
    o.alpn_other_ok = false;
  else
    o.alpn_unknown = "ALPN check for " + *o.alpn_other + ": " + a.why;
}

void server_order(Session& s) {
  Observation& o = s.obs;
  if (o.server_order) return;  // settled on the TLS 1.2 enumeration connections
  if (!s.opt.test_server_order) {
    o.server_order = Fact::unknown("tls.server_order",
                                   "not tested (no rule in this scan reads tls.server_order; it can cost a connection)");
    return;
  }
  // One connection: two suites the server accepted, in the reverse of the order it chose them.
  std::optional<Version> pick;
  for (Version v : {Version::Tls12, Version::Tls13, Version::Tls11, Version::Tls10, Version::Ssl3})
    if (o.accepted(v) && o.at(v).suites.size() >= 2) {
      pick = v;
      break;
    }
  if (!pick) {
    o.server_order = Fact::absent("tls.server_order", "no protocol version accepts two suites: no order to test");
    return;
  }
  const auto& acc = o.at(*pick).suites;
  HelloSpec spec = s.spec(*pick);
  spec.suites = {acc[1], acc[0]};
  spec.alpn.clear();
  Attempt a = s.attempt(spec, ReadUntil::Hello);
  if (a.outcome == Outcome::Hello && a.flight.hello->version == *pick) {
    const bool server = a.flight.hello->suite == acc[0];
    o.server_order = Fact::known("tls.server_order", server,
                                 std::string(version_name(*pick)) + ": offered " + suite_name(acc[1]) +
                                     " first, server chose " + suite_name(a.flight.hello->suite));
  } else {
    o.server_order = Fact::unknown("tls.server_order",
                                   "server order check: " + (a.outcome == Outcome::Hello ? "version changed" : a.why));
  }
}

}  // namespace pp::tls
