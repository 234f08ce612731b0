#include "engine/budget.h"

#include <algorithm>
#include <cstdio>

namespace pp::engine {

EndpointBudget default_budget(net::Millis timeout) {
  EndpointBudget b;
  b.time = std::max(net::Millis(10000), timeout * 12);
  return b;
}

/// A transport whose every wait ends by the endpoint's deadline.
class GuardedTransport final : public net::Transport {
 public:
  GuardedTransport(std::unique_ptr<net::Transport> inner, EndpointGuard& guard)
      : inner_(std::move(inner)), guard_(guard) {}
  net::NetError write_all(std::string_view data, net::Millis timeout) override {
    net::Millis t;
    if (auto err = clamp(timeout, t)) return err;
    return inner_->write_all(data, t);
  }
  net::NetError read_some(std::string& out, size_t max, net::Millis timeout) override {
    net::Millis t;
    if (auto err = clamp(timeout, t)) return err;
    net::NetError err = inner_->read_some(out, max, t);
    // A wait cut short by the deadline says so, not "no answer within <the shortened wait>".
    if (err.kind == net::NetErrorKind::Timeout && t < timeout && guard_.remaining().count() <= 0)
      return guard_.spend_check();
    return err;
  }
  void close() override { inner_->close(); }
  int fd() const override { return inner_->fd(); }

 private:
  net::NetError clamp(net::Millis want, net::Millis& got) {
    if (auto err = guard_.spend_check()) return err;
    got = std::min(want, guard_.remaining());
    return {};
  }
  std::unique_ptr<net::Transport> inner_;
  EndpointGuard& guard_;
};

EndpointGuard::EndpointGuard(net::Connector inner, EndpointBudget budget)
    : inner_(std::move(inner)), budget_(budget), start_(Clock::now()) {}

net::Millis EndpointGuard::remaining() const {
  auto used = std::chrono::duration_cast<net::Millis>(Clock::now() - start_);
  return std::max(net::Millis(0), budget_.time - used);
}

net::NetError EndpointGuard::spend_check() {
  std::lock_guard lock(mu_);
  if (spent_.empty() && remaining().count() <= 0) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "endpoint budget spent after %d connection%s / %.0f s", connections_,
                  connections_ == 1 ? "" : "s", budget_.time.count() / 1000.0);
    spent_ = buf;
  }
  if (!spent_.empty()) return net::NetError::make(net::NetErrorKind::Timeout, spent_);
  return {};
}

net::Connector EndpointGuard::connector() {
  return [this](net::NetError& err) -> std::unique_ptr<net::Transport> {
    {
      std::lock_guard lock(mu_);
      if (unreachable_) {
        err = unreachable_;
        return nullptr;
      }
      if (spent_.empty() && connections_ >= budget_.connections) {
        spent_ = "endpoint budget spent after " + std::to_string(connections_) + " connections";
      }
    }
    if ((err = spend_check())) return nullptr;
    std::unique_ptr<net::Transport> t = inner_(err);
    std::lock_guard lock(mu_);
    ++connections_;
    if (!t) {
      // Resolution and refusal do not change on retry; neither does a first connection that
      // timed out (a filtered port). A later timeout on a port that answered before is left
      // to the probe that met it.
      const bool final = err.kind == net::NetErrorKind::Resolve || err.kind == net::NetErrorKind::Refused ||
                         (err.kind == net::NetErrorKind::Timeout && !ever_connected_);
      if (final && !unreachable_) unreachable_ = err;
      return nullptr;
    }
    ever_connected_ = true;
    return std::make_unique<GuardedTransport>(std::move(t), *this);
  };
}

int EndpointGuard::connections() const {
  std::lock_guard lock(mu_);
  return connections_;
}

std::string EndpointGuard::spent_reason() const {
  std::lock_guard lock(mu_);
  return spent_;
}

net::NetError EndpointGuard::unreachable() const {
  std::lock_guard lock(mu_);
  return unreachable_;
}

}  // namespace pp::engine
