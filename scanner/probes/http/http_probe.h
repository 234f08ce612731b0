#pragma once
#include <string>
#include <vector>

#include "core/fact.h"
#include "core/subject.h"

namespace pp::http {

struct HttpOptions {
  long connect_timeout_ms = 5000;
  long total_timeout_ms = 15000;   ///< per request
  size_t max_body_bytes = 64 * 1024;
  int concurrency = 32;            ///< requests in flight overall
  int per_host = 4;                ///< connections per host
  int max_redirects = 5;
  std::string ca_file;             ///< for verifying, though facts never depend on trust
};

/// Probes every vdir subject (host, sni, port = TLS port, plain_port, path), over plain HTTP
/// and over TLS, on one libcurl multi handle. Never sends credentials; follows redirects on
/// the same host only. Returns one FactSet per input subject, in the same order, with every
/// fact family "http" of the catalogue set (known, absent or unknown with the reason).
std::vector<FactSet> probe_http(const std::vector<Subject>& vdirs, const HttpOptions& opt);

}  // namespace pp::http
