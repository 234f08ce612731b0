#include "sources/ipsec_facts.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "core/text.h"

namespace pp::sources {

namespace {

using Shape = IpsecProperty::Shape;
using Bytes = std::array<uint8_t, 16>;

/// A contiguous block of addresses of one family, bounds included (IPv4 in the first 4 bytes).
struct Range {
  bool v6 = false;
  Bytes lo{};
  Bytes hi{};
};

bool parse_ip(const std::string& s, bool& v6, Bytes& out) {
  out.fill(0);
  if (inet_pton(AF_INET, s.c_str(), out.data()) == 1) {
    v6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), out.data()) == 1) {
    v6 = true;
    return true;
  }
  return false;
}

/// The prefix length of a dotted IPv4 mask ("255.255.255.0" -> 24), or -1 when not contiguous.
int mask_bits(const Bytes& mask) {
  int bits = 0;
  bool ended = false;
  for (size_t i = 0; i < 4; ++i)
    for (int b = 7; b >= 0; --b) {
      const bool set = ((mask[i] >> b) & 1) != 0;
      if (set && ended) return -1;
      if (set) ++bits;
      else ended = true;
    }
  return bits;
}

/// "a", "a/len", "a/mask" (IPv4) or "a-b" as a range; nullopt for anything else (keywords).
std::optional<Range> parse_range(const std::string& text) {
  const std::string s(text::trim_blanks(text));
  Range r;
  if (const size_t dash = s.find('-'); dash != std::string::npos) {
    bool v6b = false;
    if (!parse_ip(s.substr(0, dash), r.v6, r.lo) || !parse_ip(s.substr(dash + 1), v6b, r.hi) || v6b != r.v6) return std::nullopt;
    if (r.hi < r.lo) return std::nullopt;
    return r;
  }
  const size_t slash = s.find('/');
  if (!parse_ip(s.substr(0, slash), r.v6, r.lo)) return std::nullopt;
  int bits = r.v6 ? 128 : 32;
  if (slash != std::string::npos) {
    const std::string len = s.substr(slash + 1);
    Bytes mask{};
    bool mask_v6 = false;
    if (!r.v6 && parse_ip(len, mask_v6, mask) && !mask_v6) {
      bits = mask_bits(mask);
    } else {
      if (len.empty() || len.size() > 3 || len.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
      bits = std::stoi(len);
    }
    if (bits < 0 || bits > (r.v6 ? 128 : 32)) return std::nullopt;
  }
  r.hi = r.lo;
  const size_t width = r.v6 ? 16 : 4;
  for (size_t i = 0; i < width; ++i) {
    const int keep = std::max(0, std::min(8, bits - static_cast<int>(i) * 8));
    const auto host = static_cast<uint8_t>(0xFFu >> keep);
    r.lo[i] = static_cast<uint8_t>(r.lo[i] & ~host);
    r.hi[i] = static_cast<uint8_t>(r.lo[i] | host);
  }
  return r;
}

bool contains(const Range& outer, const Range& inner) {
  return outer.v6 == inner.v6 && outer.lo <= inner.lo && inner.hi <= outer.hi;
}

enum class Tri { No, Yes, Unknown };

std::vector<std::string> values(const IpsecProperty& p) {
  if (p.shape == Shape::List) return p.list;
  if (p.shape == Shape::Scalar) return {p.value};
  return {};
}

/// "InboundSecurity=Require at ipsec.json:14"; a property read from netsh text is named as the
/// file wrote it ("Action=RequireInRequireOut at consec.txt:12").
std::string evidence(const IpsecProperty& p) {
  if (!p.said.empty()) return p.said + " at " + p.at.where();
  const std::string v = p.shape == Shape::List ? "[" + text::join(p.list, ", ") + "]" : p.shape == Shape::Scalar ? p.value : "null";
  return p.name + "=" + v + " at " + p.at.where();
}

/// Enabled: the NetSecurity Enabled enum (True = 1, False = 2), its names, or a JSON boolean.
Tri enabled(const IpsecRule& r) {
  const IpsecProperty* p = r.find("Enabled");
  if (!p || p->shape != Shape::Scalar) return Tri::Unknown;
  const std::string v = text::to_lower(p->value);
  if (v == "true" || v == "1") return Tri::Yes;
  if (v == "false" || v == "2") return Tri::No;
  return Tri::Unknown;
}

/// SecurityPolicy: None = 0, Request = 1, Require = 2, by number or name.
enum class Security { None, Request, Require, Unknown };
Security security(const IpsecProperty* p) {
  if (!p || p->shape != Shape::Scalar) return Security::Unknown;
  const std::string v = text::to_lower(p->value);
  if (v == "none" || v == "0") return Security::None;
  if (v == "request" || v == "1") return Security::Request;
  if (v == "require" || v == "2") return Security::Require;
  return Security::Unknown;
}

/// IPsecMode by name; as a number Transport = 1, Tunnel = 2 (the numbering the cmdlet's
/// enum is documented with is not certain here, so a number outside these is Unknown).
Tri transport(const IpsecRule& r) {
  const IpsecProperty* p = r.find("Mode");
  if (!p || p->shape != Shape::Scalar) return Tri::Unknown;
  const std::string v = text::to_lower(p->value);
  if (v == "transport" || v == "1") return Tri::Yes;
  if (v == "tunnel" || v == "2") return Tri::No;
  return Tri::Unknown;
}

/// Whether the rule's RemoteAddress covers the whole peer. "Any" (or "*") covers every peer;
/// a keyword (LocalSubnet, DNS, DefaultGateway, Intranet, ...) cannot be judged from the file.
/// LocalAddress restricts this host's own addresses and is not judged.
Tri covers(const IpsecRule& r, const Range& peer) {
  const IpsecProperty* p = r.find("RemoteAddress");
  if (!p) return Tri::Unknown;
  const std::vector<std::string> list = values(*p);
  if (list.empty()) return Tri::Unknown;  // null or []: the filter's addresses were not exported
  bool unsure = false;
  for (const auto& a : list) {
    if (text::iequals(a, "Any") || a == "*") return Tri::Yes;
    const std::optional<Range> range = parse_range(a);
    if (!range) unsure = true;
    else if (contains(*range, peer)) return Tri::Yes;
  }
  return unsure ? Tri::Unknown : Tri::No;
}

/// Whether the rule's filter takes in all traffic between the hosts: Protocol Any, and no
/// LocalPort or RemotePort other than Any. The front end speaks HTTP, POP3, IMAP4, RPC (on
/// ports the endpoint mapper hands out) and LDAP to the servers behind it, so no fixed port
/// list is the hop: a rule narrowed to some protocols or ports leaves the rest in clear text.
/// Without the port filter's Protocol in the export the rule cannot be judged. `narrowed`
/// receives the properties that narrow it.
Tri all_traffic(const IpsecRule& r, std::vector<std::string>& narrowed) {
  const IpsecProperty* protocol = r.find("Protocol");
  if (!protocol || values(*protocol).empty()) return Tri::Unknown;
  for (const char* name : {"Protocol", "LocalPort", "RemotePort"}) {
    const IpsecProperty* p = r.find(name);
    if (!p) continue;
    for (const auto& v : values(*p))
      if (!text::iequals(text::trim_blanks(v), "Any")) {
        narrowed.push_back(evidence(*p));
        break;
      }
  }
  return narrowed.empty() ? Tri::Yes : Tri::No;
}

constexpr const char* kNoPortFilter =
    "the export has no Protocol, so whether the rule takes in all traffic cannot be told (add Protocol, LocalPort and "
    "RemotePort from Get-NetFirewallPortFilter)";

std::string where_rule(const IpsecRule& r) { return "rule '" + r.name + "' (" + r.at.where() + ")"; }

/// Why a rule that may cover a peer cannot be judged.
std::string why_unsure(Tri on, Tri cover, const IpsecProperty* remote) {
  if (on == Tri::Unknown) return "its Enabled cannot be read";
  if (!remote || values(*remote).empty()) return "the export has no RemoteAddress (add it from Get-NetFirewallAddressFilter)";
  if (cover == Tri::Unknown) return "its " + evidence(*remote) + " cannot be judged";
  return "its security cannot be read";
}

/// One peer judged against every rule.
struct PeerVerdict {
  Tri protected_ = Tri::No;
  std::string evidence;
  std::vector<const IpsecRule*> protecting;
};

PeerVerdict judge_peer(const std::vector<IpsecRule>& rules, const std::string& peer, const Range& range) {
  PeerVerdict v;
  std::vector<std::string> weak;
  std::vector<std::string> unsure;
  std::vector<std::string> good;
  for (const auto& r : rules) {
    const Tri on = enabled(r);
    if (on == Tri::No) continue;
    const Tri cover = covers(r, range);
    if (cover == Tri::No) continue;
    const IpsecProperty* in = r.find("InboundSecurity");
    const IpsecProperty* out = r.find("OutboundSecurity");
    const Security si = security(in);
    const Security so = security(out);
    const IpsecProperty* remote = r.find("RemoteAddress");
    if (on == Tri::Unknown || cover == Tri::Unknown || si == Security::Unknown || so == Security::Unknown) {
      unsure.push_back(where_rule(r) + ": " + why_unsure(on, cover, remote));
      continue;
    }
    if (si == Security::None && so == Security::None) {
      // An exemption ("do not secure") takes precedence over the rules that require IPsec.
      v.protected_ = Tri::No;
      v.evidence = peer + " exempted from IPsec by " + where_rule(r) + ": " + evidence(*in) + ", " + evidence(*out);
      v.protecting.clear();
      return v;
    }
    const std::string said = where_rule(r) + " covers " + peer + (remote ? " (" + evidence(*remote) + ")" : "") + " with " +
                             evidence(*in) + ", " + evidence(*out);
    if (si != Security::Require || so != Security::Require) {
      weak.push_back(said);
      continue;
    }
    std::vector<std::string> narrowed;
    const Tri all = all_traffic(r, narrowed);
    if (all == Tri::Unknown) {
      unsure.push_back(where_rule(r) + ": " + kNoPortFilter);
    } else if (all == Tri::No) {
      weak.push_back(said + " but only for " + text::join(narrowed, ", "));
    } else {
      good.push_back(said);
      v.protecting.push_back(&r);
    }
  }
  if (!good.empty()) {
    v.protected_ = Tri::Yes;
    v.evidence = good.front();
  } else if (!unsure.empty()) {
    v.protected_ = Tri::Unknown;
    v.evidence = "whether " + peer + " is protected cannot be told: " + text::join(unsure, "; ");
  } else {
    v.protected_ = Tri::No;
    v.evidence = weak.empty() ? "no enabled rule's RemoteAddress covers " + peer
                              : "IPsec not required for all traffic to " + peer + ": " + text::join(weak, "; ");
  }
  return v;
}

constexpr const char* kNamePeers =
    "no peers named: name the addresses at the other end of the hop (the back-end servers) with peers = [\"10.0.0.5\", "
    "\"10.0.1.0/24\"] in the [[config]] entry";

}  // namespace

bool valid_ipsec_peer(const std::string& text) { return parse_range(text).has_value(); }

FactSet ipsec_facts(const std::vector<IpsecRule>& rules, const std::vector<std::string>& peers) {
  FactSet f;
  StringList names;
  std::vector<std::string> where_enabled;
  for (const auto& r : rules)
    if (enabled(r) == Tri::Yes) {
      names.push_back(r.name);
      where_enabled.push_back(r.name + ": " + evidence(*r.find("Enabled")));
    }
  f.put(Fact::known("ipsec.rules_enabled", names, where_enabled.empty() ? "no rule has Enabled=True" : text::join(where_enabled, "; ")));

  if (peers.empty()) {
    for (const char* n : {"ipsec.peers_protected", "ipsec.peers_unprotected", "ipsec.transport_mode"}) f.put(Fact::unknown(n, kNamePeers));
    return f;
  }
  StringList unprotected;
  std::vector<std::string> said;
  std::vector<std::string> unsure;
  std::vector<const IpsecRule*> protecting;
  for (const auto& peer : peers) {
    const std::optional<Range> range = parse_range(peer);
    if (!range) {
      unsure.push_back("peer '" + peer + "' is not an IP address, subnet or range");
      continue;
    }
    PeerVerdict v = judge_peer(rules, peer, *range);
    if (v.protected_ == Tri::Unknown) unsure.push_back(v.evidence);
    if (v.protected_ == Tri::No) unprotected.push_back(peer);
    said.push_back(v.evidence);
    for (const IpsecRule* r : v.protecting) protecting.push_back(r);
  }
  const std::string ev = text::join(said, "; ");
  if (!unprotected.empty()) {
    f.put(Fact::known("ipsec.peers_protected", false, ev));
  } else if (!unsure.empty()) {
    f.put(Fact::unknown("ipsec.peers_protected", text::join(unsure, "; ")));
  } else {
    f.put(Fact::known("ipsec.peers_protected", true, ev));
  }
  if (unsure.empty()) f.put(Fact::known("ipsec.peers_unprotected", unprotected, ev));
  else f.put(Fact::unknown("ipsec.peers_unprotected", text::join(unsure, "; ")));

  if (protecting.empty()) {
    // Nothing protects the peers (ipsec.peers_protected says so): no mode to judge.
    f.put(Fact::absent("ipsec.transport_mode", "no enabled rule requires IPsec both ways for the named peers"));
    return f;
  }
  std::vector<std::string> modes;
  Tri all = Tri::Yes;
  for (const IpsecRule* r : protecting) {
    const Tri t = transport(*r);
    const IpsecProperty* mode = r->find("Mode");
    modes.push_back(where_rule(*r) + ": " + (mode ? evidence(*mode) : std::string("no Mode")));
    if (t == Tri::No) all = Tri::No;
    else if (t == Tri::Unknown && all == Tri::Yes) all = Tri::Unknown;
  }
  if (all == Tri::Unknown) f.put(Fact::unknown("ipsec.transport_mode", "the mode cannot be read: " + text::join(modes, "; ")));
  else f.put(Fact::known("ipsec.transport_mode", all == Tri::Yes, text::join(modes, "; ")));
  return f;
}

}  // namespace pp::sources
