#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/exchange_table.h"
#include "core/result.h"
#include "engine/budget.h"
#include "engine/planner.h"
#include "probes/net/transport.h"

namespace pp::engine {

struct RunOptions {
  long timeout_ms = 5000;   ///< every single network wait
  int concurrency = 32;     ///< connections in flight overall
  int per_host = 4;         ///< connections in flight per host
  std::string ca_file;
  /// The Exchange build table the HTTP probe judges exchange.* facts with (null: Unknown).
  const ExchangeTable* exchange_table = nullptr;
  /// Time and connections one endpoint may cost (all its probes together).
  EndpointBudget budget;
  /// List every accepted key-exchange group (a few more TLS connections per endpoint). Set
  /// when a rule of the scan reads tls.groups; otherwise that fact is unknown, saying why.
  bool enumerate_groups = true;
  /// Likewise tls.server_order and tls.alpn: each can cost one more connection per endpoint.
  bool test_server_order = true;
  bool test_alpn = true;
  /// Set by run_plan for its progress: the HTTP batch calls it as each vdir request finishes
  /// (vdir index, TLS or plain, whether that vdir's walk on that scheme is complete).
  std::function<void(size_t vdir, bool tls, bool walk_done)> on_vdir_request;
};

/// Opens a plain TCP connection to host:port: the seam the whole run goes through, so tests
/// drive it with scripted transports.
using ConnectorFactory = std::function<net::Connector(const std::string& host, uint16_t port, net::Millis timeout)>;
/// Observes every vdir subject at once (libcurl multi in production).
using HttpBatch = std::function<std::vector<FactSet>(const std::vector<Subject>& vdirs, const RunOptions& opt)>;

/// The real network: TcpTransport and the libcurl HTTP probe.
ConnectorFactory tcp_connector_factory();
HttpBatch curl_http_batch();

struct Network {
  ConnectorFactory connect = tcp_connector_factory();
  HttpBatch http = curl_http_batch();
};

/// Progress of a run, counted in two units: endpoint jobs (each endpoint's per-endpoint
/// families), and vdir requests. A vdir's walk on one scheme counts kRequestsPerWalk requests
/// — its GET and the four method probes — whatever it takes: a redirect followed is not
/// counted again, a 404 (no method probes) counts the rest when it ends; so the totals are
/// known from the start and never move.
struct ProgressEvent {
  enum class Kind { Endpoint, VdirRequest, VdirBatch };
  static constexpr size_t kRequestsPerWalk = 5;
  Kind kind = Kind::Endpoint;
  size_t endpoints_done = 0, endpoints_total = 0;
  size_t requests_done = 0, requests_total = 0;
  std::string target;   ///< the inventory target's name ("" for the whole batch)
  std::string subject;  ///< what just finished: an endpoint id, a vdir URL
  /// Endpoint and VdirBatch: the subjects just observed, so the console can count findings
  /// while the scan runs; valid during the call only. Null for a single request.
  const std::vector<SubjectFacts>* finished = nullptr;
};
/// Called (never two at once) after each endpoint job, each vdir request, and the vdir batch.
using ProgressFn = std::function<void(const ProgressEvent&)>;

/// Runs the planned probe families. Per endpoint, on worker threads under the per-host and
/// overall limits, the table's per-endpoint families in order — each wanted one, and whatever
/// a wanted one needs first on that service (the STARTTLS dialogue before TLS) — all drawing
/// on the endpoint's budget; then every vdir in one batch. An endpoint that cannot be reached
/// gives every fact unknown with the one reason. Certificate subjects come from the
/// certificate family (one per certificate the endpoint serves).
std::vector<SubjectFacts> run_plan(const Plan& plan, const RunOptions& opt, const ProgressFn& progress,
                                   const Network& network = Network{});

/// What bare-host discovery found for one target.
struct Discovery {
  std::string target;
  std::vector<uint16_t> tried;
  std::vector<uint16_t> open;
  std::string failure;  ///< non-empty when nothing can be scanned: the name or every port failed
};

/// For bare-host targets: keeps the services whose port accepts a TCP connection and says, per
/// target, which ports were tried and what failed. Other targets pass through unchanged.
std::vector<Target> discover_services(const std::vector<Target>& targets, const RunOptions& opt,
                                      std::vector<Discovery>& found, const Network& network = Network{});

}  // namespace pp::engine
