#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/exchange_table.h"
#include "core/fact.h"
#include "core/subject.h"

namespace pp::http {

/// What one probe_http call did on the wire.
struct HttpStats {
  int requests = 0;        ///< requests started, redirects and method probes included
  int peak_in_flight = 0;  ///< the most requests in flight at once
  int connections = 0;     ///< TCP connections opened (the rest of the requests reused one)
};

struct HttpOptions {
  long connect_timeout_ms = 5000;
  long total_timeout_ms = 15000;   ///< per request
  size_t max_body_bytes = 64 * 1024;
  int concurrency = 32;            ///< requests in flight overall
  int per_host = 4;                ///< connections per host
  int max_redirects = 5;
  size_t max_header_bytes = 64 * 1024;  ///< more header bytes than this: the scheme is Unknown
  HttpStats* stats = nullptr;          ///< optional: filled with request counters (tests, progress)
  /// Optional, for progress: called as each request finishes, from the worker running its host
  /// (several at once): the vdir's index in the input, its scheme (TLS or plain), and whether
  /// that (vdir, scheme) walk is now complete — its last request answered, none left to send.
  std::function<void(size_t vdir, bool tls, bool walk_done)> on_request;
  /// Optional: the Exchange build table the exchange.* facts are judged with (Unknown without).
  const ExchangeTable* exchange_table = nullptr;
  /// The day those facts are judged on (YYYY-MM-DD); empty: today (UTC).
  std::string today;
};

/// Probes every vdir subject (host, sni, port = TLS port, plain_port, path), over plain HTTP
/// and over TLS, one libcurl multi handle per host (at most per_host connections to a host,
/// idle ones included), hosts side by side up to `concurrency` requests in flight. Never sends credentials; follows redirects on
/// the same host only. Returns one FactSet per input subject, in the same order, with every
/// fact family "http" of the catalogue set (known, absent or unknown with the reason). The
/// exchange.* facts describe a web endpoint: they are set on the first vdir of it that was
/// answered (from what all its vdirs' answers showed) and Absent on its other vdirs.
std::vector<FactSet> probe_http(const std::vector<Subject>& vdirs, const HttpOptions& opt);

}  // namespace pp::http
