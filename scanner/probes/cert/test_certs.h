#pragma once
/// Test-only: builds keys and certificates in memory with the OpenSSL API, so unit tests get
/// real chains (a CA, intermediates, good and broken leaves) without files or the CLI.
#include <ctime>
#include <string>
#include <vector>

#include "probes/cert/ossl.h"

namespace pp::cert::testing {

EvpPkeyPtr make_ec_key();
EvpPkeyPtr make_rsa_key(int bits);

struct CertSpec {
  std::string cn = "test";
  std::vector<std::string> dns;  ///< raw bytes allowed (NUL, invalid UTF-8) for hostile cases
  std::vector<std::string> ips;  ///< IP literals
  long not_before = -86400;      ///< seconds relative to `now`
  long not_after = 365L * 86400;
  bool ca = false;
  std::string md = "SHA256";     ///< digest name for the signature: SHA256, SHA1, MD5
  std::string aia_ca_issuers;    ///< caIssuers URI, empty for none
  std::string eku;               ///< e.g. "serverAuth" or "clientAuth"; empty for no EKU
  bool sct = false;              ///< add an (empty) embedded SCT list extension
  size_t padding = 0;            ///< bytes of a private extension, for oversized certificates
};

/// Signs `spec` for `key` with `issuer_key`; `issuer` null means self-signed.
X509Ptr make_cert(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, std::time_t now);

std::string cert_pem(X509* x);
std::string cert_der(X509* x);
std::string key_pem(EVP_PKEY* k);
X509StorePtr store_of(const std::vector<X509*>& anchors);

}  // namespace pp::cert::testing
