#include "probes/net/host_limiter.h"

#include <algorithm>

namespace pp::net {

void HostLimiter::acquire(const std::string& host) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return total_ < overall_ && in_use_[host] < per_host_; });
  ++total_;
  int now = ++in_use_[host];
  peak_[host] = std::max(peak_[host], now);
}

void HostLimiter::release(const std::string& host) {
  {
    std::lock_guard lock(mu_);
    --total_;
    if (--in_use_[host] == 0) in_use_.erase(host);
  }
  cv_.notify_all();
}

int HostLimiter::peak(const std::string& host) const {
  std::lock_guard lock(mu_);
  auto it = peak_.find(host);
  return it == peak_.end() ? 0 : it->second;
}

}  // namespace pp::net
