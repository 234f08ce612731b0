#include "probes/cert/cert_probe.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <ctime>
#include <map>
#include <mutex>

#include "probes/cert/chain_analysis.h"
#include "probes/cert/name_match.h"
#include "probes/cert/ossl.h"
#include "probes/cert/tls_handshake.h"

namespace pp::cert {

namespace {

/// The trust store: --ca-file if given, else the system default paths.
X509StorePtr build_store(const std::string& ca_file, std::string& error) {
  X509StorePtr store(X509_STORE_new());
  if (!store) {
    error = "cannot allocate an X509 store";
    return nullptr;
  }
  if (ca_file.empty()) {
    if (X509_STORE_set_default_paths(store.get()) != 1) {
      error = "cannot load the system certificate store";
      return nullptr;
    }
  } else if (X509_STORE_load_file(store.get(), ca_file.c_str()) != 1) {
    error = "cannot load CA file " + ca_file;
    ERR_clear_error();
    return nullptr;
  }
  return store;
}

/// One store per CA file for the whole process, built on first use: the system bundle is ~140
/// certificates, parsed once instead of once per endpoint (CPU and, with many endpoints in
/// flight, memory). Verification only reads the store; OpenSSL locks its lookups.
X509_STORE* shared_store(const std::string& ca_file, std::string& error) {
  struct Entry {
    X509StorePtr store;
    std::string error;
  };
  static std::mutex mu;
  static std::map<std::string, Entry> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(ca_file);
  if (it == cache.end()) {
    Entry e;
    e.store = build_store(ca_file, e.error);
    it = cache.emplace(ca_file, std::move(e)).first;
  }
  error = it->second.error;
  return it->second.store.get();
}

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

}  // namespace

FactSet probe_certificate(const net::Connector& connect, const CertProbeOptions& opt, int& connections) {
  net::NetError err;
  ++connections;
  std::unique_ptr<net::Transport> t = connect(err);
  if (!t || err)
    return all_cert_facts_unknown("cannot connect: " + (err.message.empty() ? std::string("no connection") : err.message));

  // Never send an IP literal as SNI (RFC 6066).
  const std::string sni = parse_ip(opt.sni) ? std::string() : opt.sni;
  PeerChain peer = fetch_peer_chain(*t, sni, opt.timeout);
  t->close();
  if (peer.certs.empty()) return all_cert_facts_unknown(peer.reason);

  ChainInput in;
  for (const auto& x : peer.certs) in.sent.push_back(x.get());
  in.store = shared_store(opt.ca_file, in.store_error);
  const std::vector<X509Ptr> pool = load_pem_bundle(opt.intermediates_file);
  for (const auto& x : pool) in.known_intermediates.push_back(x.get());
  in.expected_names = opt.expected_names;
  if (in.expected_names.empty() && !opt.sni.empty()) in.expected_names.push_back(opt.sni);
  in.now = std::time(nullptr);
  return analyse_chain(in);
}

}  // namespace pp::cert
