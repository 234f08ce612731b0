#include "probes/tls/facts.h"

#include <algorithm>
#include <set>
#include <vector>

#include "probes/tls/groups.h"
#include "probes/tls/handshake.h"
#include "probes/tls/suite_families.h"

namespace pp::tls {

namespace {

bool has(const StringList& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

/// The versions in report order (SSLv2 .. TLS 1.3), SSLv2 only when its hello was sent.
std::vector<Version> report_order(const Observation& o) {
  std::vector<Version> out = {Version::Ssl2, Version::Ssl3, Version::Tls10, Version::Tls11, Version::Tls12, Version::Tls13};
  if (!o.ssl2_probed) out.erase(out.begin());
  return out;
}

/// What every derived fact hangs on: was anything accepted, and could every version be told.
struct Summary {
  bool any_supported = false;
  std::string unknown_why;  ///< empty: every version probed was told
  bool all_known() const { return unknown_why.empty(); }
};

Summary summarize(const Observation& o) {
  Summary s;
  for (Version v : report_order(o)) {
    const VersionResult& vr = o.at(v);
    if (vr.state == VState::Unknown) s.unknown_why += (s.unknown_why.empty() ? "" : "; ") + vr.why;
    if (vr.state == VState::Supported) s.any_supported = true;
  }
  return s;
}

void protocol_facts(const Observation& o, const Summary& sum, FactSet& fs) {
  std::string evidence;
  StringList protocols;
  for (Version v : report_order(o)) {
    const VersionResult& vr = o.at(v);
    if (vr.state == VState::Supported) protocols.push_back(std::string(version_name(v)));
    evidence += (evidence.empty() ? "" : "; ") + vr.why;
  }
  if (sum.any_supported)
    fs.put(Fact::known("tls.offered", true, evidence));
  else if (sum.all_known())
    fs.put(Fact::known("tls.offered", false, evidence));
  else
    fs.put(Fact::unknown("tls.offered", sum.unknown_why));
  fs.put(sum.all_known() ? Fact::known("tls.protocols", protocols, evidence) : Fact::unknown("tls.protocols", sum.unknown_why));
}

/// Every suite (and SSLv2 cipher kind) accepted, over all versions.
struct Accepted {
  StringList names;  ///< in version order, each once
  std::vector<const CipherSuite*> suites;
  std::vector<const Ssl2Cipher*> kinds;
};

StringList version_list(const VersionResult& vr, Version v, Accepted& acc) {
  StringList list;
  if (v == Version::Ssl2) {
    for (auto k : vr.ssl2_kinds)
      if (const Ssl2Cipher* c = find_ssl2_cipher(k)) {
        list.push_back(std::string(c->name));
        acc.kinds.push_back(c);
      }
    return list;
  }
  for (auto code : vr.suites) {
    list.push_back(suite_name(code));
    if (const CipherSuite* cs = find_suite(code)) acc.suites.push_back(cs);
  }
  return list;
}

/// tls.ciphers.<version>: the suites each version accepted, in the server's order.
Accepted per_version_facts(const Observation& o, FactSet& fs) {
  Accepted acc;
  for (Version v : {Version::Ssl2, Version::Ssl3, Version::Tls10, Version::Tls11, Version::Tls12, Version::Tls13}) {
    const VersionResult& vr = o.at(v);
    const std::string name = "tls.ciphers." + std::string(version_key(v));
    if (vr.state == VState::NotProbed) {
      fs.put(Fact::unknown(name, "not probed (disabled by option)"));
      continue;
    }
    if (vr.state == VState::Unknown) {
      fs.put(Fact::unknown(name, vr.why));
      continue;
    }
    StringList list = version_list(vr, v, acc);
    for (const auto& n : list)
      if (!has(acc.names, n)) acc.names.push_back(n);
    std::string evidence = vr.why;
    const std::string prefix = std::string(version_name(v)) + ":";
    for (const auto& note : o.skipped_kx)
      if (note.rfind(prefix, 0) == 0) evidence += "; " + note;
    fs.put(Fact::known(name, std::move(list), evidence));
  }
  return acc;
}

/// Strength classes, weak and non-forward-secret suites, the smallest key: over every version.
void derived_cipher_facts(const Accepted& acc, const Summary& sum, FactSet& fs) {
  std::set<Strength> classes;
  StringList weak, no_fs;
  int min_bits = -1;
  for (const auto* s : acc.suites) {
    const std::string iana(s->iana);
    classes.insert(s->strength);
    if (is_weak(s->strength) && !has(weak, iana)) weak.push_back(iana);
    if (!s->forward_secrecy && !has(no_fs, iana)) no_fs.push_back(iana);
    if (min_bits < 0 || s->bits < min_bits) min_bits = s->bits;
  }
  for (const auto* k : acc.kinds) {
    classes.insert(k->strength);
    if (is_weak(k->strength)) weak.push_back(std::string(k->name));
    no_fs.push_back(std::string(k->name));  // SSLv2 is RSA key transport only
    if (min_bits < 0 || k->bits < min_bits) min_bits = k->bits;
  }
  StringList class_names;
  for (auto c : classes) class_names.push_back(std::string(to_string(c)));
  if (!sum.all_known()) {
    for (const char* n : {"tls.ciphers", "tls.ciphers.classes", "tls.ciphers.weak", "tls.ciphers.no_fs",
                          "tls.ciphers.min_bits", "tls.forward_secrecy"})
      fs.put(Fact::unknown(n, sum.unknown_why));
    return;
  }
  fs.put(Fact::known("tls.ciphers", acc.names, std::to_string(acc.names.size()) + " suites"));
  fs.put(Fact::known("tls.ciphers.classes", class_names));
  fs.put(Fact::known("tls.ciphers.weak", weak));
  fs.put(Fact::known("tls.ciphers.no_fs", no_fs));
  fs.put(min_bits < 0 ? Fact::absent("tls.ciphers.min_bits", "no suite accepted")
                      : Fact::known("tls.ciphers.min_bits", int64_t{min_bits}));
  fs.put(acc.names.empty() ? Fact::absent("tls.forward_secrecy", "no suite accepted")
                           : Fact::known("tls.forward_secrecy", no_fs.empty(),
                                         no_fs.empty() ? "every accepted suite is ephemeral" : "without: " + no_fs.front()));
}

Fact groups_fact(const Observation& o) {
  const StringList g = accepted_groups(o);
  if (!o.groups_enumerated) {
    std::string seen;
    for (const auto& n : g) seen += (seen.empty() ? "" : ", ") + n;
    return Fact::unknown("tls.groups", "not enumerated (no rule in this scan asks for tls.groups); seen in passing: " +
                                           (seen.empty() ? std::string("none") : seen));
  }
  return o.groups_unknown ? Fact::unknown("tls.groups", *o.groups_unknown) : Fact::known("tls.groups", g);
}

void key_exchange_facts(const Observation& o, FactSet& fs) {
  fs.put(groups_fact(o));
  const auto min_of = [](const std::vector<int>& v) { return int64_t{*std::min_element(v.begin(), v.end())}; };
  if (!o.dh_bits.empty())
    fs.put(Fact::known("tls.min_dh_bits", min_of(o.dh_bits), o.min_dh_evidence));
  else if (o.kex_unknown)
    fs.put(Fact::unknown("tls.min_dh_bits", *o.kex_unknown));
  else
    fs.put(Fact::absent("tls.min_dh_bits", "no finite-field DH key exchange accepted"));
  if (!o.ecdh_bits.empty())
    fs.put(Fact::known("tls.min_ecdh_bits", min_of(o.ecdh_bits)));
  else if (o.kex_unknown)
    fs.put(Fact::unknown("tls.min_ecdh_bits", *o.kex_unknown));
  else
    fs.put(Fact::absent("tls.min_ecdh_bits", "no elliptic-curve key exchange accepted"));
}

/// The highest SSLv3 .. TLS 1.2 handshake, whose ServerHello shows the extensions; absent
/// when only TLS 1.3 or only SSLv2 was accepted.
struct Legacy {
  const ServerHello* hello = nullptr;
  std::string name;
  bool only_ssl2 = false;  ///< no legacy handshake and no TLS 1.3 either: only SSLv2
};

Legacy legacy_of(const Observation& o) {
  Legacy l;
  if (o.highest_legacy && o.at(*o.highest_legacy).first_hello) {
    l.hello = &*o.at(*o.highest_legacy).first_hello;
    l.name = std::string(version_name(*o.highest_legacy));
  }
  l.only_ssl2 = !o.accepted(Version::Tls13);
  return l;
}

Fact secure_renegotiation_fact(const Legacy& l) {
  if (!l.hello)
    return Fact::absent("tls.secure_renegotiation", l.only_ssl2 ? "only SSLv2 accepted: it has no renegotiation_info extension"
                                                                : "only TLS 1.3 accepted: renegotiation does not exist there");
  return Fact::known("tls.secure_renegotiation", l.hello->renegotiation_info,
                     l.name + " ServerHello " + (l.hello->renegotiation_info ? "has" : "lacks") + " renegotiation_info");
}

Fact compression_fact(const Observation& o, const Legacy& l) {
  if (o.compression_seen) return Fact::known("tls.compression", true, o.compression_evidence);
  return Fact::known("tls.compression", false,
                     l.hello       ? "DEFLATE offered on every hello up to TLS 1.2, never chosen"
                     : l.only_ssl2 ? "only SSLv2 accepted: it negotiates no compression"
                                   : "only TLS 1.3 accepted: no compression there");
}

Fact stapling_fact(const Observation& o, const Legacy& l) {
  if ((l.hello && *o.highest_legacy < Version::Tls10) || (!l.hello && l.only_ssl2))
    return Fact::absent("tls.ocsp_stapling", (l.hello ? l.name : std::string("SSLv2")) + " only: no extensions, so no stapling");
  if (!l.hello)
    return Fact::unknown("tls.ocsp_stapling", "no TLS 1.0-1.2 handshake: stapling is only visible there (TLS 1.3 encrypts it)");
  return Fact::known("tls.ocsp_stapling", l.hello->status_request,
                     l.name + " ServerHello " + (l.hello->status_request ? "echoes" : "does not echo") + " status_request");
}

Fact alpn_fact(const Observation& o, const Legacy& l) {
  if (!l.hello || *o.highest_legacy < Version::Tls10)
    return Fact::unknown("tls.alpn", "no TLS 1.0-1.2 handshake: ALPN is only visible there (TLS 1.3 encrypts it)");
  if (o.alpn_unknown) return Fact::unknown("tls.alpn", *o.alpn_unknown);
  const bool picked = o.alpn_first && !o.alpn_first->empty();
  if (!o.alpn_tested && picked)
    return Fact::unknown("tls.alpn", "not fully tested (no rule in this scan reads tls.alpn; it can cost a connection): "
                                     "offered h2,http/1.1, the server chose " + *o.alpn_first);
  StringList list;
  if (picked) list.push_back(*o.alpn_first);
  if (o.alpn_other && o.alpn_other_ok.value_or(false)) list.push_back(*o.alpn_other);
  return Fact::known("tls.alpn", list, picked ? "offered h2,http/1.1: server chose " + *o.alpn_first : "server ignored ALPN");
}

/// Facts that need at least one handshake to have happened.
void handshake_facts(const Observation& o, FactSet& fs) {
  fs.put(*o.server_order);
  key_exchange_facts(o, fs);
  const Legacy l = legacy_of(o);
  fs.put(secure_renegotiation_fact(l));
  fs.put(compression_fact(o, l));
  fs.put(stapling_fact(o, l));
  fs.put(alpn_fact(o, l));
}

constexpr const char* kHandshakeFacts[] = {"tls.server_order", "tls.groups",      "tls.min_dh_bits",
                                           "tls.min_ecdh_bits", "tls.secure_renegotiation", "tls.compression",
                                           "tls.ocsp_stapling", "tls.alpn"};

/// The suite families attacks need (suite_families.h): over SSLv3 .. TLS 1.3, unknown when a
/// version could not be told.
void family_facts(const Observation& o, const Summary& sum, FactSet& fs) {
  std::vector<AcceptedSuites> accepted;
  for (Version v : kTlsVersions)
    if (o.accepted(v)) accepted.push_back({v, o.at(v).suites});
  for (Fact& f : suite_family_facts(accepted)) fs.put(sum.all_known() ? std::move(f) : Fact::unknown(f.name, sum.unknown_why));
}

}  // namespace

std::optional<NoHandshake> no_handshake(const Observation& o) {
  const Summary sum = summarize(o);
  if (sum.any_supported) return std::nullopt;
  if (sum.all_known()) return NoHandshake{FactState::Absent, "no protocol version accepted"};
  return NoHandshake{FactState::Unknown, sum.unknown_why};
}

FactSet observation_facts(const Observation& o) {
  FactSet fs;
  const Summary sum = summarize(o);
  protocol_facts(o, sum, fs);
  derived_cipher_facts(per_version_facts(o, fs), sum, fs);
  family_facts(o, sum, fs);
  if (const auto none = no_handshake(o)) {
    for (const char* n : kHandshakeFacts)
      fs.put(none->state == FactState::Absent ? Fact::absent(n, none->reason) : Fact::unknown(n, none->reason));
    return fs;
  }
  handshake_facts(o, fs);
  return fs;
}

}  // namespace pp::tls
