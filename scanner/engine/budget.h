#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "probes/net/transport.h"

namespace pp::engine {

/// What one endpoint may cost before the scan moves on: wall time across all of its probes
/// and TCP connections opened. Derived from --timeout unless --endpoint-budget is given.
struct EndpointBudget {
  net::Millis time{60000};
  int connections = 400;
};

/// The default budget for a per-wait timeout: twelve waits' worth of time, at least 10 s.
EndpointBudget default_budget(net::Millis timeout);

/// Shares one endpoint's budget among every connection its probes open, and remembers a
/// connection failure that no retry can change (the name does not resolve, the port refuses),
/// so later probes fail at once with the same reason instead of waiting out their timeouts.
///
/// Each transport it opens clamps every wait to what is left of the time budget; once the
/// budget is spent, reads and writes fail with "endpoint budget spent after N connections /
/// S seconds", which becomes the reason of every fact not yet observed.
class EndpointGuard {
 public:
  using Clock = std::chrono::steady_clock;
  EndpointGuard(net::Connector inner, EndpointBudget budget);

  /// A Connector drawing on this guard; valid while the guard lives.
  net::Connector connector();

  int connections() const;
  /// Non-empty once the budget is spent: the reason given to everything not yet observed.
  std::string spent_reason() const;
  /// The latched failure of the first connection attempt that could not succeed on retry.
  net::NetError unreachable() const;
  /// Time left before the deadline (zero when spent).
  net::Millis remaining() const;

 private:
  friend class GuardedTransport;
  net::NetError spend_check();
  net::Connector inner_;
  EndpointBudget budget_;
  Clock::time_point start_;
  mutable std::mutex mu_;
  int connections_ = 0;
  bool ever_connected_ = false;
  net::NetError unreachable_;
  std::string spent_;
};

}  // namespace pp::engine
