#include "probes/cert/trust_store.h"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include <map>
#include <mutex>

namespace pp::cert {

namespace {

/// The system's trust as X509_STORE_set_default_paths gives it, without the OSSL_STORE lookup
/// OpenSSL 3 adds there: that one lists the whole certificate directory for every issuer it
/// does not hold in memory, which on a fleet signed by a private CA is every verification.
/// The bundle and the hashed directory hold the same anchors.
bool add_system_trust(X509_STORE* store) {
  X509_LOOKUP* by_file = X509_STORE_add_lookup(store, X509_LOOKUP_file());
  X509_LOOKUP* by_dir = X509_STORE_add_lookup(store, X509_LOOKUP_hash_dir());
  if (!by_file || !by_dir) return false;
  // X509_FILETYPE_DEFAULT: the default path or its environment override, as set_default_paths
  // loads them; a missing bundle or directory is no error there either.
  X509_LOOKUP_load_file(by_file, nullptr, X509_FILETYPE_DEFAULT);
  X509_LOOKUP_add_dir(by_dir, nullptr, X509_FILETYPE_DEFAULT);
  ERR_clear_error();
  return true;
}

}  // namespace

X509StorePtr build_trust_store(const std::string& ca_file, std::string& error) {
  X509StorePtr store(X509_STORE_new());
  if (!store) {
    error = "cannot allocate an X509 store";
    return nullptr;
  }
  if (ca_file.empty()) {
    if (!add_system_trust(store.get())) {
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

X509_STORE* shared_trust_store(const std::string& ca_file, std::string& error) {
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
    e.store = build_trust_store(ca_file, e.error);
    it = cache.emplace(ca_file, std::move(e)).first;
  }
  error = it->second.error;
  return it->second.store.get();
}

}  // namespace pp::cert
