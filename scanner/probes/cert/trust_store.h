#pragma once
#include <string>

#include "probes/cert/ossl.h"

namespace pp::cert {

/// The trust anchors a chain is verified against: the PEM bundle `ca_file` if given, else the
/// system's (the default bundle file and the hashed certificate directory, or SSL_CERT_FILE and
/// SSL_CERT_DIR when set). Null with `error` set when the file cannot be loaded.
X509StorePtr build_trust_store(const std::string& ca_file, std::string& error);

/// One store per `ca_file` for the whole process, built on first use and never freed.
/// Verification only reads it; OpenSSL locks its lookups.
X509_STORE* shared_trust_store(const std::string& ca_file, std::string& error);

}  // namespace pp::cert
