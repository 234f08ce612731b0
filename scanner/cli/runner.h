#pragma once
#include <functional>
#include <string>
#include <vector>

#include "cli/planner.h"
#include "core/result.h"

namespace pp::cli {

struct RunOptions {
  long timeout_ms = 5000;   ///< every single network wait
  int concurrency = 32;     ///< connections in flight overall
  int per_host = 4;         ///< connections in flight per host
  std::string ca_file;
  /// List every accepted key-exchange group (a few more TLS connections per endpoint). Set
  /// when a rule of the scan reads tls.groups; otherwise that fact is unknown, saying why.
  bool enumerate_groups = true;
  /// Likewise tls.server_order and tls.alpn: each can cost one more connection per endpoint.
  bool test_server_order = true;
  bool test_alpn = true;
};

/// Called after each endpoint or the vdir batch finishes: (done, total, label, the subjects
/// just observed), so the console can count findings while the scan runs.
using ProgressFn =
    std::function<void(size_t done, size_t total, const std::string& label, const std::vector<SubjectFacts>& finished)>;

/// Runs the planned probes: mail, TLS and certificate probes per endpoint on worker threads
/// (mail first, so a port without STARTTLS gets "absent" TLS facts rather than errors), then
/// every vdir on one libcurl multi handle. Per-host and overall limits hold throughout.
std::vector<SubjectFacts> run_plan(const Plan& plan, const RunOptions& opt, const ProgressFn& progress);

/// For a bare-host target: keeps the services whose port accepts a TCP connection.
std::vector<Target> discover_services(const std::vector<Target>& targets, const RunOptions& opt);

}  // namespace pp::cli
