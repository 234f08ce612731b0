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
FactSet probe_certificate(const net::Connector& connect, const CertProbeOptions& opt, int& connections);

}  // namespace pp::cert
