#include "probes/tls/tls_probe.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <set>

#include "core/text.h"
#include "probes/tls/cipher_suites.h"
#include "probes/tls/client_hello.h"
#include "probes/tls/renegotiation.h"
#include "probes/tls/server_hello.h"

namespace pp::tls {

namespace {

using Clock = std::chrono::steady_clock;

/// What one connection taught us. Refused = a clean "no" to a well-formed hello (an alert
/// meaning no version / no suite / fallback, or a close without a byte); Failed = we could not
/// observe (refused TCP, timeout, reset, malformed answer, any other alert).
enum class Outcome { Hello, Refused, Failed };

struct Attempt {
  Outcome outcome = Outcome::Failed;
  ServerFlight flight;
  std::string why;  ///< evidence for Refused, reason for Failed
};

/// A fatal alert straight after a well-formed hello is the server declining it (handshake_failure,
/// protocol_version, insufficient_security; OpenSSL 3 even answers internal_error to a version
/// its security level forbids). Only the alerts that say our hello itself was bad mean we could
/// not observe.
bool clean_no(uint8_t d) { return !(d == 10 || d == 47 || d == 50 || d == 109 || d == 110); }

/// Most bytes read while waiting for one ServerHello: far beyond any real first flight.
constexpr size_t kMaxFlightBytes = size_t{1} << 18;

std::string duration_text(net::Millis d) {
  const auto ms = d.count();
  if (ms >= 10000 || ms % 1000 == 0) return std::to_string((ms + 500) / 1000) + " s";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f s", static_cast<double>(ms) / 1000.0);
  return b;
}

/// A timeout of our own wait: the read was given the rest of it and found nothing ("no answer
/// within" is the transport's word for an expired read), or the deadline has come. A wait cut
/// short by someone else (the endpoint budget) keeps that one's words.
bool own_timeout(const net::NetError& e, Clock::time_point deadline) {
  return e.kind == net::NetErrorKind::Timeout &&
         (e.message.rfind("no answer within", 0) == 0 || Clock::now() + net::Millis(20) >= deadline);
}

/// The wait made since the ClientHello: the whole timeout once its deadline has come (the
/// usual case), else what was measured (a wait cut short by someone else). Never the remainder
/// that the last read was given.
net::Millis waited(Clock::time_point sent, Clock::time_point deadline, net::Millis timeout) {
  const auto now = Clock::now();
  if (now + net::Millis(20) >= deadline) return timeout;
  return std::chrono::duration_cast<net::Millis>(now - sent);
}

/// Timeouts in words naming the wait made. Other errors (the endpoint budget, a reset) keep
/// their own words.
std::string waited_text(const net::NetError& e, net::Millis wait, Clock::time_point deadline) {
  if (!own_timeout(e, deadline)) return e.message;
  return "nothing more within " + duration_text(wait) + " of the ClientHello";
}

std::string no_hello_within(const FlightParser& p, net::Millis wait) {
  if (!p.started()) return "no answer within " + duration_text(wait) + " of the ClientHello";
  return "the server sent " + p.received_summary() + " and no ServerHello within " + duration_text(wait) +
         " of the ClientHello";
}

std::string suite_name(uint16_t code) {
  const CipherSuite* s = find_suite(code);
  return s ? std::string(s->iana) : text::hex16(code);
}

template <class T>
void erase_value(std::vector<T>& v, T x) {
  v.erase(std::remove(v.begin(), v.end(), x), v.end());
}
template <class T>
bool contains(const std::vector<T>& v, T x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

enum class VState { NotProbed, Supported, NotSupported, Unknown };

struct VersionResult {
  VState state = VState::NotProbed;
  std::vector<uint16_t> suites;          ///< in the order the server chose them
  std::vector<uint32_t> ssl2_kinds;
  bool complete = false;                 ///< enumeration ran to a clean end
  std::string why;                       ///< evidence (supported / not) or reason (unknown)
  std::optional<ServerHello> first_hello;
};

constexpr Version kTlsVersions[] = {Version::Tls13, Version::Tls12, Version::Tls11, Version::Tls10, Version::Ssl3};

class Prober {
 public:
  Prober(const net::Connector& c, const TlsProbeOptions& o, int& n) : connect_(c), opt_(o), connections_(n) {}

  FactSet run();

 private:
  Attempt attempt(const HelloSpec& spec, ReadUntil until, const std::vector<uint32_t>& ssl2 = {});
  HelloSpec base_spec(Version v) const;
  void note_hello(VersionResult& vr, const ServerFlight& f);
  void enumerate_legacy(Version v);  // SSLv3 .. TLS 1.2
  void enumerate_tls13();
  void probe_ssl2();
  void groups_legacy();
  void groups_tls13();
  /// Every group we offer, the ones not yet seen first: the full set keeps each TLS <= 1.2
  /// answer unchanged, while a server that picks curves in client order names a new one in the
  /// ServerKeyExchange of every ECDHE connection the suite enumeration makes anyway.
  std::vector<uint16_t> groups_unseen_first() const;
  std::vector<uint16_t> unseen_groups() const;
  void take_group(uint16_t g);
  void server_order();
  void fallback();
  void renegotiation();
  void alpn_finish();
  FactSet facts();

  const net::Connector& connect_;
  const TlsProbeOptions& opt_;
  int& connections_;

  VersionResult res_[6];  // indexed by slot()
  static int slot(Version v) {
    switch (v) {
      case Version::Ssl2: return 0;
      case Version::Ssl3: return 1;
      case Version::Tls10: return 2;
      case Version::Tls11: return 3;
      case Version::Tls12: return 4;
      case Version::Tls13: return 5;
    }
    return 0;
  }
  VersionResult& r(Version v) { return res_[slot(v)]; }

  // Observations gathered along the way.
  std::vector<std::string> groups_;  ///< accepted group names, in discovery order
  std::vector<std::string> skipped_kx_;  ///< key exchanges left out after a refused hello (evidence)
  std::set<uint16_t> seen_groups_;   ///< code points of groups_
  bool groups13_done_ = true;        ///< TLS 1.3 groups exhausted (or not enumerated)
  std::optional<std::string> groups_unknown_;
  std::vector<int> dh_bits_, ecdh_bits_;
  std::string min_dh_evidence_;  ///< the suite and version that showed the smallest DH group
  std::optional<std::string> kex_unknown_;
  bool compression_seen_ = false;
  std::string compression_evidence_;
  std::optional<Version> highest_legacy_;  ///< highest supported version <= TLS 1.2
  // ALPN: the first selection, then whether the other protocol is accepted alone.
  std::optional<std::string> alpn_first_;
  std::optional<std::string> alpn_other_;  ///< protocol being tested alone
  std::optional<bool> alpn_other_ok_;
  std::optional<std::string> alpn_unknown_;
  // Extras.
  std::optional<Fact> server_order_, fallback_, client_reneg_;
  /// Server order rides on the third TLS 1.2 enumeration connection; set once it has.
  bool order_tried_ = false;
};

Attempt Prober::attempt(const HelloSpec& spec, ReadUntil until, const std::vector<uint32_t>& ssl2) {
  Attempt a;
  net::NetError err;
  auto t = connect_(err);
  if (!t) {
    a.why = err ? err.message : "could not connect";
    return a;
  }
  ++connections_;
  const std::string hello = ssl2.empty() ? build_client_hello(spec) : build_ssl2_client_hello(ssl2);
  if (auto e = t->write_all(hello, opt_.timeout)) {
    a.why = "sending ClientHello: " + e.message;
    return a;
  }
  FlightParser p(spec, until, ssl2);
  auto st = FlightParser::Status::NeedMore;
  const auto sent = Clock::now();
  const auto deadline = sent + opt_.timeout;
  while (st == FlightParser::Status::NeedMore) {
    auto left = std::chrono::duration_cast<net::Millis>(deadline - Clock::now());
    std::string chunk;
    net::NetError e;
    if (left.count() <= 0)
      e = net::NetError::make(net::NetErrorKind::Timeout, "deadline reached");
    else
      e = t->read_some(chunk, 16384, left);
    if (!e) {
      st = p.feed(chunk);
      if (st == FlightParser::Status::NeedMore && p.bytes_seen() > kMaxFlightBytes) {
        if (p.flight().hello) {
          st = p.finish();  // enough: the hello is in, the rest was optional
          break;
        }
        a.why = "the server sent " + p.received_summary() + " and no ServerHello: stopped reading";
        return a;
      }
      continue;
    }
    if (e.kind == net::NetErrorKind::Closed || p.flight().hello) {
      st = p.finish();  // after a ServerHello, a stall or close only costs us optional data
      if (st == FlightParser::Status::Done && e.kind != net::NetErrorKind::Closed && !p.flight().hello_done &&
          !p.flight().key_exchange && until == ReadUntil::KeyExchange)
        kex_unknown_ = "ServerKeyExchange not received: " + waited_text(e, waited(sent, deadline, opt_.timeout), deadline);
      break;
    }
    a.why = own_timeout(e, deadline) ? no_hello_within(p, waited(sent, deadline, opt_.timeout)) : e.message;
    return a;
  }
  t->close();
  a.flight = p.flight();
  if (st == FlightParser::Status::Error) {
    if (p.error().kind == net::NetErrorKind::Closed && !p.started()) {
      a.outcome = Outcome::Refused;
      a.why = "connection closed after the ClientHello";
    } else {
      a.why = p.error().message;
    }
    return a;
  }
  if (a.flight.hello || a.flight.ssl2) {
    a.outcome = Outcome::Hello;
    return a;
  }
  const Alert al = a.flight.alert.value_or(Alert{2, 0});
  a.why = "alert " + std::to_string(al.description) + " (" + alert_name(al.description) + ")";
  a.outcome = clean_no(al.description) ? Outcome::Refused : Outcome::Failed;
  return a;
}

HelloSpec Prober::base_spec(Version v) const {
  HelloSpec s;
  s.version = v;
  s.suites = suites_for(v);
  s.sni = opt_.sni;
  s.groups = groups_to_offer();
  s.extensions = v != Version::Ssl3;
  s.status_request = v >= Version::Tls10;
  s.offer_deflate = v != Version::Tls13;
  if (v >= Version::Tls10) s.alpn = {"h2", "http/1.1"};
  return s;
}

void Prober::note_hello(VersionResult& vr, const ServerFlight& f) {
  const ServerHello& h = *f.hello;
  if (!vr.first_hello) vr.first_hello = h;
  if (h.compression == 1) {
    compression_seen_ = true;
    compression_evidence_ = std::string(version_name(h.version)) + " ServerHello chose DEFLATE";
  }
  if (f.key_exchange) {
    if (f.key_exchange->finite_field) {
      const int bits = f.key_exchange->dh_bits;
      if (bits > 0 && (dh_bits_.empty() || bits < *std::min_element(dh_bits_.begin(), dh_bits_.end())))
        min_dh_evidence_ = std::to_string(bits) + "-bit DH group in the ServerKeyExchange of " +
                           std::string(version_name(h.version)) + " " + suite_name(h.suite);
      if (bits > 0) dh_bits_.push_back(bits);
    } else if (const NamedGroup* g = find_group(f.key_exchange->curve)) {
      ecdh_bits_.push_back(g->bits);
      if (!contains(groups_, std::string(g->name))) groups_.push_back(std::string(g->name));
      seen_groups_.insert(g->code);
    } else {
      kex_unknown_ = "ServerKeyExchange with an explicit or unknown curve " + text::hex16(f.key_exchange->curve);
    }
  }
}

std::vector<uint16_t> Prober::groups_unseen_first() const {
  std::vector<uint16_t> out = unseen_groups();
  for (auto g : groups_to_offer())
    if (seen_groups_.count(g)) out.push_back(g);
  return out;
}

void Prober::take_group(uint16_t g) {
  if (!seen_groups_.insert(g).second) return;
  if (const NamedGroup* ng = find_group(g)) {
    if (!contains(groups_, std::string(ng->name))) groups_.push_back(std::string(ng->name));
    if (ng->finite_field && (dh_bits_.empty() || ng->bits < *std::min_element(dh_bits_.begin(), dh_bits_.end())))
      min_dh_evidence_ = std::string(ng->name) + " accepted in TLS 1.3";
    (ng->finite_field ? dh_bits_ : ecdh_bits_).push_back(ng->bits);
  }
}

void Prober::enumerate_legacy(Version v) {
  VersionResult& vr = r(v);
  HelloSpec spec = base_spec(v);
  const bool alpn_probe = v >= Version::Tls10 && !highest_legacy_;  // first supported <= 1.2 version
  for (;;) {
    if (spec.suites.empty()) {
      vr.complete = true;
      break;
    }
    HelloSpec this_spec = spec;
    // Every group, unseen ones first: the ServerKeyExchange of an ECDHE answer names a new curve.
    if (opt_.enumerate_groups && v >= Version::Tls10) this_spec.groups = groups_unseen_first();
    const bool testing_alpn = alpn_probe && alpn_other_ && !alpn_other_ok_ && !vr.suites.empty();
    if (testing_alpn) this_spec.alpn = {*alpn_other_};
    // Server order on the third connection: every suite not yet seen, then the second and the
    // first suite chosen, in that order. Server order picks the first again (it did out of a
    // superset); client order picks a new suite, or the second one when none is left.
    const bool testing_order =
        opt_.test_server_order && v == Version::Tls12 && !server_order_ && !order_tried_ && vr.suites.size() == 2;
    if (testing_order) {
      this_spec.suites.push_back(vr.suites[1]);
      this_spec.suites.push_back(vr.suites[0]);
    }
    Attempt a = attempt(this_spec, ReadUntil::KeyExchange);
    if (testing_order) order_tried_ = true;
    if (testing_alpn && a.outcome != Outcome::Hello && a.flight.alert && a.flight.alert->description == 120) {
      alpn_other_ok_ = false;  // no_application_protocol: retry the same suites with both protocols
      if (testing_order) order_tried_ = false;
      continue;
    }
    if (testing_order && !(a.outcome == Outcome::Hello && a.flight.hello->version == v) && a.outcome != Outcome::Failed)
      continue;  // a "no" although an accepted suite was offered: contradictory, redo without it
    if (a.outcome == Outcome::Hello && a.flight.hello->version == v) {
      const ServerHello& h = *a.flight.hello;
      if (vr.suites.empty()) {
        vr.state = VState::Supported;
        vr.why = std::string(version_name(v)) + " ServerHello, suite " + suite_name(h.suite);
        if (!highest_legacy_) highest_legacy_ = v;
      }
      if (alpn_probe) {
        if (vr.suites.empty()) {
          alpn_first_ = h.alpn;
          if (opt_.test_alpn && h.alpn == "h2") alpn_other_ = "http/1.1";
          else if (opt_.test_alpn && h.alpn == "http/1.1") alpn_other_ = "h2";
        } else if (testing_alpn) {
          alpn_other_ok_ = h.alpn == *alpn_other_;
        }
      }
      note_hello(vr, a.flight);
      if (testing_order) {
        server_order_ = Fact::known("tls.server_order", h.suite == vr.suites[0],
                                    std::string(version_name(v)) + ": offered " + suite_name(vr.suites[1]) + " before " +
                                        suite_name(vr.suites[0]) + " (after every suite not yet seen), server chose " +
                                        suite_name(h.suite));
        // A known suite teaches no new one; the next connection offers the unseen ones alone.
        if (h.suite == vr.suites[0] || h.suite == vr.suites[1]) continue;
      }
      if (contains(vr.suites, h.suite)) {  // chosen although withdrawn: the parser lets none through
        vr.state = VState::Unknown;
        vr.why = std::string(version_name(v)) + ": server chose " + suite_name(h.suite) + " again after it was withdrawn";
        return;
      }
      vr.suites.push_back(h.suite);
      erase_value(spec.suites, h.suite);
      continue;
    }
    if (a.outcome == Outcome::Failed) {
      vr.state = VState::Unknown;
      vr.why = std::string(version_name(v)) + ": " + a.why +
               (vr.suites.empty() ? "" : " (after " + std::to_string(vr.suites.size()) + " suites)");
      return;
    }
    // A no in the middle of the enumeration may come from the suite the server picked rather
    // than from having none left: dovecot without ssl_dh picks a DHE suite and then fails the
    // handshake, closing without an alert. DHE comes right after ECDHE in our offer, so when a
    // hello that still holds DHE suites is refused without an alert, offer the rest once more
    // without DHE: one connection, and the RSA and other suites behind DHE are still found.
    if (a.outcome != Outcome::Hello && !vr.suites.empty() && !spec.suites.empty()) {
      const CipherSuite* first = find_suite(spec.suites.front());
      std::vector<uint16_t> others;
      for (auto c : spec.suites) {
        const CipherSuite* cs = find_suite(c);
        if (!cs || cs->kx != Kx::DHE) others.push_back(c);
      }
      // Only a refusal without an alert: a server that has no suite left says handshake_failure.
      if (first && !a.flight.alert && !others.empty() && others.size() < spec.suites.size()) {
        skipped_kx_.push_back(std::string(version_name(v)) + ": a hello led by " + suite_name(spec.suites.front()) +
                              " was refused (" + a.why + "); DHE left out after that");
        spec.suites = std::move(others);
        continue;
      }
    }
    // A clean no, or an answer at a lower version: nothing (more) at this version.
    const std::string why = a.outcome == Outcome::Hello
                                ? "server answered with " + std::string(version_name(a.flight.hello->version))
                                : a.why;
    if (vr.suites.empty()) {
      vr.state = VState::NotSupported;
      vr.why = std::string(version_name(v)) + " hello answered: " + why;
    }
    vr.complete = true;
    break;
  }
}

std::vector<uint16_t> Prober::unseen_groups() const {
  std::vector<uint16_t> out;
  for (auto g : groups_to_offer())
    if (!seen_groups_.count(g)) out.push_back(g);
  return out;
}

void Prober::enumerate_tls13() {
  VersionResult& vr = r(Version::Tls13);
  std::vector<uint16_t> suites = suites_for(Version::Tls13);
  groups13_done_ = !opt_.enumerate_groups;
  // Suites and groups together: each answer (ServerHello or HelloRetryRequest) names one of
  // each. A HelloRetryRequest names the server's favourite among the groups offered, so only
  // groups not seen yet (here or in a TLS <= 1.2 ServerKeyExchange) are offered.
  while (!suites.empty()) {
    const std::vector<uint16_t> unseen = unseen_groups();
    const bool restricted = !groups13_done_ && !unseen.empty() && !seen_groups_.empty();
    HelloSpec spec = base_spec(Version::Tls13);
    spec.suites = suites;
    if (restricted) spec.groups = unseen;
    spec.x25519_share = spec.groups.front() == 0x001D;  // else the HelloRetryRequest names a group
    Attempt a = attempt(spec, ReadUntil::Hello);
    if (a.outcome == Outcome::Hello && a.flight.hello->version == Version::Tls13) {
      const ServerHello& h = *a.flight.hello;
      if (vr.suites.empty()) {
        vr.state = VState::Supported;
        vr.why = std::string("TLSv1.3 ") + (h.hello_retry ? "HelloRetryRequest" : "ServerHello") + ", suite " + suite_name(h.suite);
      }
      vr.suites.push_back(h.suite);
      erase_value(suites, h.suite);
      if (h.key_share_group) take_group(*h.key_share_group);
      continue;
    }
    if (a.outcome == Outcome::Failed) {
      vr.state = VState::Unknown;
      vr.why = "TLSv1.3: " + a.why;
      return;
    }
    if (restricted) {
      // Either the suites or the unseen groups ran out.
      if (vr.suites.empty()) {
        // Every suite was offered: if the same hello with every group gets a yes, the unseen
        // groups are exhausted; if not, TLS 1.3 is not spoken at all.
        groups13_done_ = true;
        continue;
      }
      // Ask with the suites already accepted and the unseen groups: a yes names one more group
      // (and means the suites are done); a no means the groups are done, and the remaining
      // suites get one more try with every group.
      HelloSpec g = base_spec(Version::Tls13);
      g.suites = vr.suites;
      g.groups = unseen;
      g.x25519_share = unseen.front() == 0x001D;
      Attempt b = attempt(g, ReadUntil::Hello);
      if (b.outcome == Outcome::Hello && b.flight.hello->version == Version::Tls13) {
        if (b.flight.hello->key_share_group) take_group(*b.flight.hello->key_share_group);
        break;
      }
      // A downgrade to TLS <= 1.2 is the same "no" as an alert.
      if (b.outcome == Outcome::Failed) groups_unknown_ = "TLSv1.3 group enumeration: " + b.why;
      groups13_done_ = true;
      continue;
    }
    if (vr.suites.empty()) {
      vr.state = VState::NotSupported;
      vr.why = "TLSv1.3 hello answered: " +
               (a.outcome == Outcome::Hello ? "server answered with " + std::string(version_name(a.flight.hello->version)) : a.why);
    }
    break;
  }
  vr.complete = true;
}

void Prober::groups_tls13() {
  // The groups the suite connections did not reveal: accepted suites, unseen groups only, one
  // more group per connection until a "no".
  if (groups13_done_ || r(Version::Tls13).state != VState::Supported) return;
  for (std::vector<uint16_t> left = unseen_groups(); !left.empty(); left = unseen_groups()) {
    HelloSpec spec = base_spec(Version::Tls13);
    spec.suites = r(Version::Tls13).suites;
    spec.groups = left;
    spec.x25519_share = left.front() == 0x001D;
    Attempt a = attempt(spec, ReadUntil::Hello);
    if (a.outcome == Outcome::Hello && a.flight.hello->version == Version::Tls13 && a.flight.hello->key_share_group) {
      take_group(*a.flight.hello->key_share_group);
      continue;
    }
    if (a.outcome == Outcome::Failed) groups_unknown_ = "TLSv1.3 group enumeration: " + a.why;
    break;  // a clean no (or a downgrade): every group the server takes in TLS 1.3 is known
  }
}

void Prober::groups_legacy() {
  // Only needed without TLS 1.3 (whose enumeration lists groups); costs one connection per
  // curve the enumeration connections did not reveal, plus one.
  if (!opt_.enumerate_groups || !highest_legacy_ || r(Version::Tls13).state == VState::Supported) return;
  const Version v = *highest_legacy_;
  std::vector<uint16_t> ecdhe;
  for (auto s : r(v).suites)
    if (const CipherSuite* cs = find_suite(s); cs && cs->kx == Kx::ECDHE) ecdhe.push_back(s);
  if (ecdhe.empty()) return;
  std::vector<uint16_t> left;
  for (auto g : groups_to_offer()) {
    const NamedGroup* ng = find_group(g);
    if (ng && !ng->finite_field && !contains(groups_, std::string(ng->name))) left.push_back(g);
  }
  while (!left.empty()) {
    HelloSpec spec = base_spec(v);
    spec.suites = ecdhe;
    spec.groups = left;
    spec.alpn.clear();
    Attempt a = attempt(spec, ReadUntil::KeyExchange);
    if (a.outcome == Outcome::Hello && a.flight.key_exchange && !a.flight.key_exchange->finite_field &&
        contains(left, a.flight.key_exchange->curve)) {
      erase_value(left, a.flight.key_exchange->curve);
      note_hello(r(v), a.flight);
      continue;
    }
    if (a.outcome == Outcome::Refused) break;
    groups_unknown_ = std::string(version_name(v)) + " group enumeration: " +
                      (a.outcome == Outcome::Hello ? "server ignored supported_groups" : a.why);
    break;
  }
}

void Prober::probe_ssl2() {
  VersionResult& vr = r(Version::Ssl2);
  std::vector<uint32_t> kinds;
  for (const auto& c : ssl2_ciphers()) kinds.push_back(c.code);
  HelloSpec dummy;
  dummy.version = Version::Ssl3;
  Attempt a = attempt(dummy, ReadUntil::Hello, kinds);
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

void Prober::server_order() {
  if (server_order_) return;  // settled on the TLS 1.2 enumeration connections
  if (!opt_.test_server_order) {
    server_order_ = Fact::unknown("tls.server_order",
                                  "not tested (no rule in this scan reads tls.server_order; it can cost a connection)");
    return;
  }
  // One connection: two suites the server accepted, in the reverse of the order it chose them.
  std::optional<Version> pick;
  for (Version v : {Version::Tls12, Version::Tls13, Version::Tls11, Version::Tls10, Version::Ssl3})
    if (r(v).state == VState::Supported && r(v).suites.size() >= 2) {
      pick = v;
      break;
    }
  if (!pick) {
    server_order_ = Fact::absent("tls.server_order", "no protocol version accepts two suites: no order to test");
    return;
  }
  const auto& acc = r(*pick).suites;
  HelloSpec spec = base_spec(*pick);
  spec.suites = {acc[1], acc[0]};
  spec.alpn.clear();
  Attempt a = attempt(spec, ReadUntil::Hello);
  if (a.outcome == Outcome::Hello && a.flight.hello->version == *pick) {
    const bool server = a.flight.hello->suite == acc[0];
    server_order_ = Fact::known("tls.server_order", server,
                                std::string(version_name(*pick)) + ": offered " + suite_name(acc[1]) + " first, server chose " +
                                    suite_name(a.flight.hello->suite));
  } else {
    server_order_ = Fact::unknown("tls.server_order", "server order check: " + (a.outcome == Outcome::Hello ? "version changed" : a.why));
  }
}

void Prober::fallback() {
  std::vector<Version> sup;
  for (Version v : kTlsVersions)
    if (r(v).state == VState::Supported) sup.push_back(v);  // highest first
  if (sup.size() < 2) {
    fallback_ = Fact::absent("tls.fallback_scsv", "fewer than two protocol versions accepted: no downgrade possible");
    return;
  }
  // The suites this version is known to accept: a refusal can then only be for the SCSV.
  HelloSpec spec = base_spec(sup[1]);
  if (!r(sup[1]).suites.empty()) spec.suites = r(sup[1]).suites;
  spec.fallback_scsv = true;
  spec.alpn.clear();
  Attempt a = attempt(spec, ReadUntil::Hello);
  const std::string what = std::string(version_name(sup[1])) + " hello with TLS_FALLBACK_SCSV (server max " +
                           std::string(version_name(sup[0])) + "): ";
  if (a.flight.alert && a.flight.alert->description == 86)
    fallback_ = Fact::known("tls.fallback_scsv", true, what + "inappropriate_fallback alert");
  else if (a.outcome == Outcome::Hello)
    fallback_ = Fact::known("tls.fallback_scsv", false, what + "ServerHello accepted the downgrade");
  else if (a.outcome == Outcome::Refused && !a.flight.alert)
    // Servers that drop every refused handshake without an alert (dovecot, slapd) close here;
    // the same hello without the SCSV gets a ServerHello, so the SCSV is what was refused.
    fallback_ = Fact::known("tls.fallback_scsv", true,
                            what + "connection closed without a ServerHello, while the same suites without the "
                                   "SCSV are accepted");
  else
    fallback_ = Fact::unknown("tls.fallback_scsv", what + a.why);
}

void Prober::renegotiation() {
  if (!highest_legacy_) return;  // only TLS 1.3 or SSLv2: absent, see facts()
  if (*highest_legacy_ < Version::Tls10) {
    // Not observable (OpenSSL 3 cannot finish an SSLv3 handshake), and moot: SSLv3 alone
    // fails TLS-001 outright. Absent rather than unknown, so the one real finding is not
    // buried under an error that no scan can ever resolve.
    client_reneg_ = Fact::absent("tls.renegotiation.client_initiated",
                                 "no TLS 1.0-1.2: not asked (the local TLS library cannot finish an SSLv3 handshake)");
    return;
  }
  if (!opt_.test_renegotiation) {
    client_reneg_ = Fact::unknown("tls.renegotiation.client_initiated", "not tested (disabled by option)");
    return;
  }
  const RenegotiationCheck c = check_client_renegotiation(connect_, opt_.sni, opt_.timeout, connections_);
  switch (c.verdict) {
    case RenegotiationCheck::Verdict::Accepted:
      client_reneg_ = Fact::known("tls.renegotiation.client_initiated", true, c.evidence);
      break;
    case RenegotiationCheck::Verdict::Refused:
      client_reneg_ = Fact::known("tls.renegotiation.client_initiated", false, c.evidence);
      break;
    case RenegotiationCheck::Verdict::Unknown:
      client_reneg_ = Fact::unknown("tls.renegotiation.client_initiated", c.evidence);
      break;
  }
}

void Prober::alpn_finish() {
  // The enumeration connections usually settle ALPN; one extra connection otherwise.
  if (!highest_legacy_ || !alpn_other_ || alpn_other_ok_) return;
  const Version v = *highest_legacy_;
  if (v < Version::Tls10) return;
  HelloSpec spec = base_spec(v);
  spec.suites = r(v).suites;
  spec.alpn = {*alpn_other_};
  Attempt a = attempt(spec, ReadUntil::Hello);
  if (a.outcome == Outcome::Hello)
    alpn_other_ok_ = a.flight.hello->alpn == *alpn_other_;
  else if (a.flight.alert && a.flight.alert->description == 120)
    alpn_other_ok_ = false;
  else
    alpn_unknown_ = "ALPN check for " + *alpn_other_ + ": " + a.why;
}

FactSet Prober::run() {
  // TLS <= 1.2 first: their ECDHE connections reveal curves for free, so TLS 1.3 (where
  // each new group costs a HelloRetryRequest) only has the rest left to find.
  for (Version v : kTlsVersions)
    if (v != Version::Tls13) enumerate_legacy(v);
  enumerate_tls13();
  if (opt_.ssl2) probe_ssl2();
  groups_tls13();
  groups_legacy();
  alpn_finish();
  server_order();
  fallback();
  renegotiation();
  return facts();
}

FactSet Prober::facts() {
  FactSet fs;
  std::vector<Version> order = {Version::Ssl2, Version::Ssl3, Version::Tls10, Version::Tls11, Version::Tls12, Version::Tls13};
  if (!opt_.ssl2) order.erase(order.begin());
  std::string unknown_why, evidence;
  bool any_supported = false;
  StringList protocols;
  for (Version v : order) {
    const VersionResult& vr = r(v);
    if (vr.state == VState::Unknown) unknown_why += (unknown_why.empty() ? "" : "; ") + vr.why;
    if (vr.state == VState::Supported) {
      any_supported = true;
      protocols.push_back(std::string(version_name(v)));
    }
    evidence += (evidence.empty() ? "" : "; ") + vr.why;
  }
  const bool all_known = unknown_why.empty();
  if (any_supported)
    fs.put(Fact::known("tls.offered", true, evidence));
  else if (all_known)
    fs.put(Fact::known("tls.offered", false, evidence));
  else
    fs.put(Fact::unknown("tls.offered", unknown_why));
  if (all_known)
    fs.put(Fact::known("tls.protocols", protocols, evidence));
  else
    fs.put(Fact::unknown("tls.protocols", unknown_why));

  // Per-version suite lists, then everything derived from their union.
  StringList all;
  std::vector<const CipherSuite*> suites;
  std::vector<const Ssl2Cipher*> kinds;
  const Version per_version[] = {Version::Ssl2, Version::Ssl3, Version::Tls10, Version::Tls11, Version::Tls12, Version::Tls13};
  for (Version v : per_version) {
    const VersionResult& vr = r(v);
    const std::string name = "tls.ciphers." + std::string(version_key(v));
    if (vr.state == VState::NotProbed) {
      fs.put(Fact::unknown(name, "not probed (disabled by option)"));
      continue;
    }
    if (vr.state == VState::Unknown) {
      fs.put(Fact::unknown(name, vr.why));
      continue;
    }
    StringList list;
    if (v == Version::Ssl2) {
      for (auto k : vr.ssl2_kinds)
        if (const Ssl2Cipher* c = find_ssl2_cipher(k)) {
          list.push_back(std::string(c->name));
          kinds.push_back(c);
        }
    } else {
      for (auto s : vr.suites) {
        list.push_back(suite_name(s));
        if (const CipherSuite* cs = find_suite(s)) suites.push_back(cs);
      }
    }
    for (const auto& n : list)
      if (!contains(all, n)) all.push_back(n);
    std::string evidence = vr.why;
    const std::string prefix = std::string(version_name(v)) + ":";
    for (const auto& note : skipped_kx_)
      if (note.rfind(prefix, 0) == 0) evidence += "; " + note;
    fs.put(Fact::known(name, list, evidence));
  }
  const auto put_derived = [&](const std::string& name, auto make) {
    if (!all_known)
      fs.put(Fact::unknown(name, unknown_why));
    else
      fs.put(make());
  };
  put_derived("tls.ciphers", [&] { return Fact::known("tls.ciphers", all, std::to_string(all.size()) + " suites"); });
  std::set<Strength> classes;
  StringList weak, no_fs;
  int min_bits = -1;
  for (const auto* s : suites) {
    classes.insert(s->strength);
    if (is_weak(s->strength) && !contains(weak, std::string(s->iana))) weak.push_back(std::string(s->iana));
    if (!s->forward_secrecy && !contains(no_fs, std::string(s->iana))) no_fs.push_back(std::string(s->iana));
    if (min_bits < 0 || s->bits < min_bits) min_bits = s->bits;
  }
  for (const auto* k : kinds) {
    classes.insert(k->strength);
    if (is_weak(k->strength)) weak.push_back(std::string(k->name));
    no_fs.push_back(std::string(k->name));  // SSLv2 is RSA key transport only
    if (min_bits < 0 || k->bits < min_bits) min_bits = k->bits;
  }
  StringList class_names;
  for (auto c : classes) class_names.push_back(std::string(to_string(c)));
  put_derived("tls.ciphers.classes", [&] { return Fact::known("tls.ciphers.classes", class_names); });
  put_derived("tls.ciphers.weak", [&] { return Fact::known("tls.ciphers.weak", weak); });
  put_derived("tls.ciphers.no_fs", [&] { return Fact::known("tls.ciphers.no_fs", no_fs); });
  put_derived("tls.ciphers.min_bits", [&] {
    return min_bits < 0 ? Fact::absent("tls.ciphers.min_bits", "no suite accepted")
                        : Fact::known("tls.ciphers.min_bits", int64_t{min_bits});
  });
  put_derived("tls.forward_secrecy", [&] {
    return all.empty() ? Fact::absent("tls.forward_secrecy", "no suite accepted")
                       : Fact::known("tls.forward_secrecy", no_fs.empty(),
                                     no_fs.empty() ? "every accepted suite is ephemeral" : "without: " + no_fs.front());
  });

  // Facts that need at least one handshake to have happened.
  const std::string none_reason = all_known ? "no protocol version accepted" : unknown_why;
  const auto needs_tls = [&](const std::string& name, auto make) {
    if (!any_supported)
      fs.put(all_known ? Fact::absent(name, none_reason) : Fact::unknown(name, none_reason));
    else
      fs.put(make());
  };
  needs_tls("tls.server_order", [&] { return *server_order_; });
  needs_tls("tls.fallback_scsv", [&] { return *fallback_; });
  needs_tls("tls.groups", [&] {
    // Canonical order (our offer order): discovery order depends on which connection saw what.
    StringList g;
    for (auto code : groups_to_offer())
      if (const NamedGroup* ng = find_group(code); ng && contains(groups_, std::string(ng->name))) g.push_back(std::string(ng->name));
    if (!opt_.enumerate_groups) {
      std::string seen;
      for (const auto& n : g) seen += (seen.empty() ? "" : ", ") + n;
      return Fact::unknown("tls.groups", "not enumerated (no rule in this scan asks for tls.groups); seen in passing: " +
                                             (seen.empty() ? std::string("none") : seen));
    }
    return groups_unknown_ ? Fact::unknown("tls.groups", *groups_unknown_) : Fact::known("tls.groups", g);
  });
  const auto min_of = [](const std::vector<int>& v) { return int64_t{*std::min_element(v.begin(), v.end())}; };
  needs_tls("tls.min_dh_bits", [&] {
    if (!dh_bits_.empty())
      return Fact::known("tls.min_dh_bits", min_of(dh_bits_), min_dh_evidence_);
    if (kex_unknown_) return Fact::unknown("tls.min_dh_bits", *kex_unknown_);
    return Fact::absent("tls.min_dh_bits", "no finite-field DH key exchange accepted");
  });
  needs_tls("tls.min_ecdh_bits", [&] {
    if (!ecdh_bits_.empty()) return Fact::known("tls.min_ecdh_bits", min_of(ecdh_bits_));
    if (kex_unknown_) return Fact::unknown("tls.min_ecdh_bits", *kex_unknown_);
    return Fact::absent("tls.min_ecdh_bits", "no elliptic-curve key exchange accepted");
  });
  const ServerHello* legacy = highest_legacy_ ? &*r(*highest_legacy_).first_hello : nullptr;
  const std::string legacy_name = highest_legacy_ ? std::string(version_name(*highest_legacy_)) : "";
  // No SSLv3-TLS 1.2 handshake: only TLS 1.3, or only SSLv2 (which has neither extensions nor
  // compression), was accepted.
  const bool only_ssl2 = r(Version::Tls13).state != VState::Supported;
  needs_tls("tls.secure_renegotiation", [&] {
    if (!legacy)
      return Fact::absent("tls.secure_renegotiation",
                          only_ssl2 ? "only SSLv2 accepted: it has no renegotiation_info extension"
                                    : "only TLS 1.3 accepted: renegotiation does not exist there");
    return Fact::known("tls.secure_renegotiation", legacy->renegotiation_info,
                       legacy_name + " ServerHello " + (legacy->renegotiation_info ? "has" : "lacks") + " renegotiation_info");
  });
  needs_tls("tls.renegotiation.client_initiated", [&] {
    if (client_reneg_) return *client_reneg_;
    return Fact::absent("tls.renegotiation.client_initiated",
                        only_ssl2 ? "only SSLv2 accepted: it has no renegotiation"
                                  : "only TLS 1.3 accepted: renegotiation does not exist there");
  });
  needs_tls("tls.compression", [&] {
    if (compression_seen_) return Fact::known("tls.compression", true, compression_evidence_);
    return Fact::known("tls.compression", false,
                       legacy      ? "DEFLATE offered on every hello up to TLS 1.2, never chosen"
                       : only_ssl2 ? "only SSLv2 accepted: it negotiates no compression"
                                   : "only TLS 1.3 accepted: no compression there");
  });
  needs_tls("tls.ocsp_stapling", [&] {
    if ((legacy && *highest_legacy_ < Version::Tls10) || (!legacy && only_ssl2))
      return Fact::absent("tls.ocsp_stapling", (legacy ? legacy_name : std::string("SSLv2")) +
                                                   " only: no extensions, so no stapling");
    if (!legacy)
      return Fact::unknown("tls.ocsp_stapling", "no TLS 1.0-1.2 handshake: stapling is only visible there (TLS 1.3 encrypts it)");
    return Fact::known("tls.ocsp_stapling", legacy->status_request,
                       legacy_name + " ServerHello " + (legacy->status_request ? "echoes" : "does not echo") + " status_request");
  });
  needs_tls("tls.alpn", [&] {
    if (!legacy || *highest_legacy_ < Version::Tls10)
      return Fact::unknown("tls.alpn", "no TLS 1.0-1.2 handshake: ALPN is only visible there (TLS 1.3 encrypts it)");
    if (alpn_unknown_) return Fact::unknown("tls.alpn", *alpn_unknown_);
    if (!opt_.test_alpn && alpn_first_ && !alpn_first_->empty())
      return Fact::unknown("tls.alpn", "not fully tested (no rule in this scan reads tls.alpn; it can cost a connection): "
                                       "offered h2,http/1.1, the server chose " + *alpn_first_);
    StringList l;
    if (alpn_first_ && !alpn_first_->empty()) l.push_back(*alpn_first_);
    if (alpn_other_ && alpn_other_ok_.value_or(false)) l.push_back(*alpn_other_);
    return Fact::known("tls.alpn", l,
                       alpn_first_ && !alpn_first_->empty() ? "offered h2,http/1.1: server chose " + *alpn_first_
                                                            : "server ignored ALPN");
  });
  fs.put(Fact::known("tls.connections", int64_t{connections_}));
  return fs;
}

}  // namespace

FactSet probe_tls(const net::Connector& connect, const TlsProbeOptions& opt, int& connections) {
  int used = 0;
  Prober p(connect, opt, used);
  FactSet fs = p.run();
  connections += used;
  return fs;
}

}  // namespace pp::tls
