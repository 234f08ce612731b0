#include "probes/cert/cert_probe.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <mutex>

#include "core/ip_literal.h"
#include "probes/cert/chain_analysis.h"
#include "probes/cert/legacy_hello.h"
#include "probes/cert/name_match.h"
#include "probes/cert/ossl.h"
#include "probes/cert/tls_handshake.h"
#include "probes/cert/trust_store.h"

namespace pp::cert {

namespace {

std::vector<X509Ptr> load_pem_bundle(const std::string& path) {
  std::vector<X509Ptr> out;
  if (path.empty()) return out;
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  while (bio) {
    X509Ptr x(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!x) break;
    out.push_back(std::move(x));
  }
  ERR_clear_error();  // the read that ends the loop leaves "no start line" behind
  return out;
}

/// One connection, one handshake (OpenSSL, or a raw legacy hello when `legacy` is set).
PeerChain fetch_once(const net::Connector& connect, const std::string& sni, net::Millis timeout, KeyAuth auth,
                     const LegacyProtocol* legacy, int& connections) {
  net::NetError err;
  ++connections;
  std::unique_ptr<net::Transport> t = connect(err);
  if (!t || err) {
    PeerChain p;
    p.error = err ? err.kind : net::NetErrorKind::Other;
    p.reason = "cannot connect: " + (err.message.empty() ? std::string("no connection") : err.message);
    return p;
  }
  PeerChain p = legacy ? fetch_legacy_chain(*t, *legacy, timeout) : fetch_peer_chain(*t, sni, timeout, kMaxHandshakeBytes, auth);
  t->close();
  return p;
}

/// What a default client gets; when OpenSSL shares no version with the server, what a raw
/// SSLv3 hello (unless the server already answered in SSLv2) and then an SSLv2 hello get.
PeerChain fetch_default(const net::Connector& connect, const std::string& sni, net::Millis timeout, int& connections) {
  PeerChain first = fetch_once(connect, sni, timeout, KeyAuth::Any, nullptr, connections);
  if (!first.certs.empty() || !first.version_refused) return first;
  std::string tried;
  if (!first.sslv2_reply) {
    const LegacyProtocol v3 = LegacyProtocol::Ssl3;
    PeerChain p = fetch_once(connect, sni, timeout, KeyAuth::Any, &v3, connections);
    if (!p.certs.empty()) return p;
    tried += "; a raw SSLv3 hello: " + p.reason;
  }
  const LegacyProtocol v2 = LegacyProtocol::Ssl2;
  PeerChain p = fetch_once(connect, sni, timeout, KeyAuth::Any, &v2, connections);
  if (!p.certs.empty()) return p;
  first.reason += tried + "; a raw SSLv2 hello: " + p.reason;
  return first;
}

std::string key_type_of(X509* leaf) {
  const EVP_PKEY* k = X509_get0_pubkey(leaf);
  switch (k ? EVP_PKEY_get_base_id(k) : EVP_PKEY_NONE) {
    case EVP_PKEY_RSA: return "rsa";
    case EVP_PKEY_RSA_PSS: return "rsa-pss";
    case EVP_PKEY_EC: return "ecdsa";
    case EVP_PKEY_ED25519: return "ed25519";
    case EVP_PKEY_ED448: return "ed448";
    case EVP_PKEY_DSA: return "dsa";
    default: return "unknown";
  }
}

std::string fingerprint_of(X509* x) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (X509_digest(x, EVP_sha256(), md, &n) != 1) return {};
  return std::string(reinterpret_cast<char*>(md), n);
}

/// Every fact from one handshake's chain, unknown with its reason when there is none.
FactSet analyse(const PeerChain& peer, const CertProbeOptions& opt) {
  if (peer.certs.empty()) {
    FactSet unknown = all_cert_facts_unknown(peer.reason);
    if (peer.detail.empty()) return unknown;
    FactSet out;  // OpenSSL's own words stay available as evidence, not as the reason
    for (const Fact& f : unknown.all()) {
      Fact copy = f;
      copy.evidence = "OpenSSL: " + peer.detail;
      out.put(std::move(copy));
    }
    return out;
  }
  ChainInput in;
  for (const auto& x : peer.certs) in.sent.push_back(x.get());
  in.store = shared_trust_store(opt.ca_file, in.store_error);
  const std::vector<X509Ptr> pool = load_pem_bundle(opt.intermediates_file);
  for (const auto& x : pool) in.known_intermediates.push_back(x.get());
  in.expected_names = opt.expected_names;
  if (in.expected_names.empty() && !opt.sni.empty()) in.expected_names.push_back(opt.sni);
  in.now = std::time(nullptr);
  FactSet facts = analyse_chain(in);
  if (!peer.raw_hello) return facts;
  FactSet out;
  const std::string note = "certificate read from an " + peer.protocol + " handshake (a raw " + peer.protocol +
                           " hello: OpenSSL cannot speak it; the handshake was not completed)";
  for (const Fact& f : facts.all()) {
    Fact copy = f;
    if (copy.state == FactState::Known) copy.evidence = copy.evidence.empty() ? note : copy.evidence + "; " + note;
    out.put(std::move(copy));
  }
  return out;
}

std::string sni_for(const CertProbeOptions& opt) {
  // Never send an IP literal as SNI (RFC 6066).
  return is_ip_literal(opt.sni) ? std::string() : opt.sni;
}

}  // namespace

FactSet probe_certificate(const net::Connector& connect, const CertProbeOptions& opt, int& connections) {
  return analyse(fetch_default(connect, sni_for(opt), opt.timeout, connections), opt);
}

std::vector<CertObservation> probe_certificates(const net::Connector& connect, const CertProbeOptions& opt,
                                                int& connections) {
  const std::string sni = sni_for(opt);
  const PeerChain first = fetch_default(connect, sni, opt.timeout, connections);
  std::vector<CertObservation> out;
  out.push_back({first.certs.empty() ? std::string() : key_type_of(first.certs.front().get()), analyse(first, opt)});
  if (first.certs.empty() || first.raw_hello) return out;
  std::vector<std::string> seen = {fingerprint_of(first.certs.front().get())};
  for (const auto& [auth, type] : {std::pair{KeyAuth::Rsa, "rsa"}, std::pair{KeyAuth::Ecdsa, "ecdsa"}}) {
    if (out.front().key_type == type) continue;
    const PeerChain p = fetch_once(connect, sni, opt.timeout, auth, nullptr, connections);
    if (p.certs.empty()) continue;  // the server holds no certificate of that type
    const std::string fp = fingerprint_of(p.certs.front().get());
    if (std::find(seen.begin(), seen.end(), fp) != seen.end()) continue;
    seen.push_back(fp);
    out.push_back({key_type_of(p.certs.front().get()), analyse(p, opt)});
  }
  return out;
}

}  // namespace pp::cert
