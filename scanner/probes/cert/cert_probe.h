#pragma once
#include <string>
#include <vector>

#include "core/fact.h"
#include "probes/net/transport.h"

namespace pp::cert {

struct CertProbeOptions {
  net::Millis timeout{5000};
  std::string sni;                          ///< SNI to send (empty: none; never an IP literal)
  std::string ca_file;                      ///< PEM bundle; empty = the system store
  std::vector<std::string> expected_names;  ///< names the SAN must cover (empty: the SNI/host)
  /// Optional PEM bundle of known intermediates (like a browser's preloaded set). Only used to
  /// tell "the server forgot an intermediate" (incomplete_chain) from "nobody knows this issuer"
  /// (unknown_issuer); it never makes a chain trusted.
  std::string intermediates_file;
};

/// One real OpenSSL handshake over a connection from `connect` (so it works after a STARTTLS
/// preamble): the chain as sent, its verification and the reason when it fails, name coverage,
/// validity, key, signature, extensions. Sets every fact family "cert" of the catalogue.
/// When OpenSSL shares no protocol version with the server (SSLv3- or SSLv2-only), the
/// certificate is read from a raw SSLv3 hello, then a raw SSLv2 hello (one connection each),
/// and the evidence says so.
FactSet probe_certificate(const net::Connector& connect, const CertProbeOptions& opt, int& connections);

/// One certificate a server serves, and every "cert" fact about it.
struct CertObservation {
  std::string key_type;  ///< the leaf's key: "rsa", "ecdsa", "ed25519", "ed448", "dsa", "rsa-pss";
                         ///< empty when no certificate was seen
  FactSet facts;
};

/// Every certificate the server may serve, for servers that hold one per key type (nginx with
/// two ssl_certificate lines, IIS with RSA and ECDSA bindings). The first element is exactly
/// what probe_certificate returns: what a default client gets. Then one handshake per other key
/// type (RSA-only, then ECDSA-only authentication offered), each added only when it brings a
/// leaf with a different SHA-256 fingerprint. No extra handshake when the first one saw no
/// certificate or read it from a raw SSLv3/SSLv2 hello.
std::vector<CertObservation> probe_certificates(const net::Connector& connect, const CertProbeOptions& opt,
                                                int& connections);

}  // namespace pp::cert
