#pragma once
// Test support: scripted servers handed to a probe through a connector, one per connection it
// opens. For the probe tests of this folder only.
#include <deque>
#include <memory>
#include <string_view>
#include <vector>

#include "probes/net/transport.h"

namespace pp::mail::testing {

/// Lends a scripted server to the probe; the test keeps it to read what was written.
struct Lent final : net::Transport {
  net::ScriptedTransport& t;
  explicit Lent(net::ScriptedTransport& s) : t(s) {}
  net::NetError write_all(std::string_view d, net::Millis w) override { return t.write_all(d, w); }
  net::NetError read_some(std::string& o, size_t m, net::Millis w) override { return t.read_some(o, m, w); }
  void close() override { t.close(); }
};

/// A queue of scripted servers, one per connection the probe opens; none left is a refusal.
struct Servers {
  std::vector<std::unique_ptr<net::ScriptedTransport>> owned;
  std::deque<std::unique_ptr<net::ScriptedTransport>> queue;
  std::vector<net::ScriptedTransport*> used;
  net::ScriptedTransport& add() {
    queue.push_back(std::make_unique<net::ScriptedTransport>());
    return *queue.back();
  }
  net::Connector connector() {
    return [this](net::NetError& err) -> std::unique_ptr<net::Transport> {
      if (queue.empty()) {
        err = net::NetError::make(net::NetErrorKind::Refused, "connection refused");
        return nullptr;
      }
      owned.push_back(std::move(queue.front()));
      queue.pop_front();
      used.push_back(owned.back().get());
      return std::make_unique<Lent>(*used.back());
    };
  }
};

}  // namespace pp::mail::testing
