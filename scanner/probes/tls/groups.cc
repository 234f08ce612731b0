#include "probes/tls/groups.h"

#include <algorithm>

#include "core/text.h"
#include "probes/tls/note_hello.h"

namespace pp::tls {

namespace {

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

bool smaller_than_all(const std::vector<int>& v, int bits) {
  return v.empty() || bits < *std::min_element(v.begin(), v.end());
}

}  // namespace

void note_key_exchange(Observation& o, const ServerHello& h, const KeyExchange& kx) {
  if (kx.finite_field) {
    const int bits = kx.dh_bits;
    if (bits > 0 && smaller_than_all(o.dh_bits, bits))
      o.min_dh_evidence = std::to_string(bits) + "-bit DH group in the ServerKeyExchange of " +
                          std::string(version_name(h.version)) + " " + suite_name(h.suite);
    if (bits > 0) o.dh_bits.push_back(bits);
  } else if (const NamedGroup* g = find_group(kx.curve)) {
    o.ecdh_bits.push_back(g->bits);
    if (!has(o.groups, std::string(g->name))) o.groups.push_back(std::string(g->name));
    o.seen_groups.insert(g->code);
  } else {
    o.kex_unknown = "ServerKeyExchange with an explicit or unknown curve " + text::hex16(kx.curve);
  }
}

void take_group(Observation& o, uint16_t group) {
  if (!o.seen_groups.insert(group).second) return;
  const NamedGroup* ng = find_group(group);
  if (!ng) return;
  if (!has(o.groups, std::string(ng->name))) o.groups.push_back(std::string(ng->name));
  if (ng->finite_field && smaller_than_all(o.dh_bits, ng->bits))
    o.min_dh_evidence = std::string(ng->name) + " accepted in TLS 1.3";
  (ng->finite_field ? o.dh_bits : o.ecdh_bits).push_back(ng->bits);
}

std::vector<uint16_t> unseen_groups(const Observation& o) {
  std::vector<uint16_t> out;
  for (auto g : groups_to_offer())
    if (!o.seen_groups.count(g)) out.push_back(g);
  return out;
}

std::vector<uint16_t> groups_unseen_first(const Observation& o) {
  std::vector<uint16_t> out = unseen_groups(o);
  for (auto g : groups_to_offer())
    if (o.seen_groups.count(g)) out.push_back(g);
  return out;
}

void groups_tls13(Session& s) {
  // The groups the suite connections did not reveal: accepted suites, unseen groups only, one
  // more group per connection until a "no".
  if (s.obs.groups13_done || !s.obs.accepted(Version::Tls13)) return;
  for (std::vector<uint16_t> left = unseen_groups(s.obs); !left.empty(); left = unseen_groups(s.obs)) {
    HelloSpec spec = s.spec(Version::Tls13);
    spec.suites = s.obs.at(Version::Tls13).suites;
    spec.groups = left;
    spec.x25519_share = left.front() == 0x001D;
    Attempt a = s.attempt(spec, ReadUntil::Hello);
    if (a.outcome == Outcome::Hello && a.flight.hello->version == Version::Tls13 && a.flight.hello->key_share_group) {
      take_group(s.obs, *a.flight.hello->key_share_group);
      continue;
    }
    if (a.outcome == Outcome::Failed) s.obs.groups_unknown = "TLSv1.3 group enumeration: " + a.why;
    break;  // a clean no (or a downgrade): every group the server takes in TLS 1.3 is known
  }
}

void groups_legacy(Session& s) {
  // Only needed without TLS 1.3 (whose enumeration lists groups); costs one connection per
  // curve the enumeration connections did not reveal, plus one.
  Observation& o = s.obs;
  if (!s.opt.enumerate_groups || !o.highest_legacy || o.accepted(Version::Tls13)) return;
  const Version v = *o.highest_legacy;
  std::vector<uint16_t> ecdhe;
  for (auto c : o.at(v).suites)
    if (const CipherSuite* cs = find_suite(c); cs && cs->kx == Kx::ECDHE) ecdhe.push_back(c);
  if (ecdhe.empty()) return;
  std::vector<uint16_t> left;
  for (auto g : groups_to_offer()) {
    const NamedGroup* ng = find_group(g);
    if (ng && !ng->finite_field && !has(o.groups, std::string(ng->name))) left.push_back(g);
  }
  while (!left.empty()) {
    HelloSpec spec = s.spec(v);
    spec.suites = ecdhe;
    spec.groups = left;
    spec.alpn.clear();
    Attempt a = s.attempt(spec, ReadUntil::KeyExchange);
    const auto& kx = a.flight.key_exchange;
    if (a.outcome == Outcome::Hello && kx && !kx->finite_field &&
        std::find(left.begin(), left.end(), kx->curve) != left.end()) {
      left.erase(std::remove(left.begin(), left.end(), kx->curve), left.end());
      note_hello(o, o.at(v), a.flight);
      continue;
    }
    if (a.outcome == Outcome::Refused) break;
    o.groups_unknown = std::string(version_name(v)) + " group enumeration: " +
                       (a.outcome == Outcome::Hello ? "server ignored supported_groups" : a.why);
    break;
  }
}

StringList accepted_groups(const Observation& o) {
  StringList g;
  for (auto code : groups_to_offer())
    if (const NamedGroup* ng = find_group(code); ng && has(o.groups, std::string(ng->name)))
      g.push_back(std::string(ng->name));
  return g;
}

}  // namespace pp::tls
