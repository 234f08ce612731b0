#pragma once
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

namespace pp::net {

/// Caps connections in flight per host and overall, across threads. Every probe that opens a
/// socket holds a Slot for as long as the socket is open: "never flood a server".
class HostLimiter {
 public:
  HostLimiter(int per_host, int overall) : per_host_(per_host < 1 ? 1 : per_host), overall_(overall < 1 ? 1 : overall) {}

  class Slot {
   public:
    Slot(HostLimiter& l, std::string host) : l_(&l), host_(std::move(host)) { l_->acquire(host_); }
    ~Slot() { if (l_) l_->release(host_); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    HostLimiter* l_;
    std::string host_;
  };

  void acquire(const std::string& host);
  void release(const std::string& host);
  /// The most connections ever held at once for `host` (tests check the limit held).
  int peak(const std::string& host) const;
  int per_host() const { return per_host_; }

 private:
  int per_host_;
  int overall_;
  int total_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, int> in_use_;
  std::map<std::string, int> peak_;
};

}  // namespace pp::net
