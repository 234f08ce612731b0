#pragma once
// Test support for the pre-key-exchange checks: a fake server that answers each record the
// client writes (a first flight to the ClientHello, then whatever the test scripts), and the
// bytes of a server's first flight. Header-only, used by the *_test.cc files of this folder.
#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "probes/net/transport.h"
#include "probes/tls/checks/early_records.h"
#include "probes/tls/checks/table.h"

namespace pp::tls::checks::testing {

/// ServerHello (with the given extension types, empty bodies except heartbeat's mode byte),
/// an empty Certificate and ServerHelloDone, in one handshake record.
inline std::string server_flight(uint16_t version, uint16_t suite, const std::vector<uint16_t>& extensions) {
  std::string exts;
  for (uint16_t t : extensions) {
    const std::string body = t == 0x000F ? std::string(1, '\x01') : std::string(t == 0xFF01 ? 1 : 0, '\0');
    exts += {static_cast<char>(t >> 8), static_cast<char>(t & 0xFF), 0, static_cast<char>(body.size())};
    exts += body;
  }
  std::string hello = {static_cast<char>(version >> 8), static_cast<char>(version & 0xFF)};
  hello += std::string(32, 'r');
  hello += std::string(1, '\0');  // session id
  hello += {static_cast<char>(suite >> 8), static_cast<char>(suite & 0xFF), 0};
  if (!extensions.empty()) hello += {static_cast<char>(exts.size() >> 8), static_cast<char>(exts.size() & 0xFF)};
  hello += exts;
  const auto msg = [](char type, const std::string& body) {
    return std::string{type, 0, static_cast<char>(body.size() >> 8), static_cast<char>(body.size() & 0xFF)} + body;
  };
  return make_record(kHandshakeRecord, version, msg(2, hello) + msg(11, std::string(3, '\0')) + msg(14, ""));
}

inline std::string alert_record(uint16_t version, uint8_t description) {
  return make_record(kAlertRecord, version, std::string{2, static_cast<char>(description)});
}

/// A server in a script, owned by the test: `answer(record_index, record)` is what it sends back
/// to each record the client writes (the ClientHello is record 0). Reads return what is queued,
/// then Timeout, or Closed once an answer set `hang_up`. Every written byte is kept.
struct Script {
  std::function<std::string(int, const Record&)> answer;
  bool refuse = false;  ///< the connector fails: "connection refused"
  std::string written;
  std::deque<std::string> queued;
  bool hang_up = false;
  int records = 0;
  int connections = 0;

  /// Client records written, parsed back.
  std::vector<Record> written_records() const {
    std::vector<Record> out;
    for (size_t i = 0; i + 5 <= written.size();) {
      const size_t len = (static_cast<unsigned char>(written[i + 3]) << 8) | static_cast<unsigned char>(written[i + 4]);
      out.push_back({static_cast<uint8_t>(written[i]), 0, written.substr(i + 5, len)});
      i += 5 + len;
    }
    return out;
  }
};

struct FakeEarlyServer final : net::Transport {
  explicit FakeEarlyServer(Script& s) : script(s) {}
  Script& script;

  net::NetError write_all(std::string_view data, net::Millis) override {
    script.written.append(data);
    Record r;
    r.type = static_cast<uint8_t>(data[0]);
    r.body = std::string(data.substr(5));
    const std::string back = script.answer(script.records++, r);
    if (!back.empty()) script.queued.push_back(back);
    return {};
  }
  net::NetError read_some(std::string& out, size_t max, net::Millis) override {
    auto& q = script.queued;
    if (q.empty()) {
      if (script.hang_up) return net::NetError::make(net::NetErrorKind::Closed, "connection closed by peer");
      return net::NetError::make(net::NetErrorKind::Timeout, "no answer within 0.1 s");
    }
    std::string& f = q.front();
    const size_t n = std::min(max, f.size());
    out.append(f, 0, n);
    f.erase(0, n);
    if (f.empty()) q.pop_front();
    return {};
  }
  void close() override {}
};

/// A connector to the scripted server (one fresh connection per call).
inline net::Connector connector_for(Script& script) {
  return [&script](net::NetError& err) -> std::unique_ptr<net::Transport> {
    if (script.refuse) {
      err = net::NetError::make(net::NetErrorKind::Refused, "connection refused");
      return nullptr;
    }
    ++script.connections;
    return std::make_unique<FakeEarlyServer>(script);
  };
}

/// An enumeration that accepted `versions`, each with AES128-SHA (0x002F).
inline Observation accepting(std::initializer_list<Version> versions) {
  Observation o;
  for (Version v : versions) {
    o.at(v).state = VState::Supported;
    o.at(v).suites = {0x002F};
    if (v != Version::Tls13 && v != Version::Ssl2 && (!o.highest_legacy || *o.highest_legacy < v)) o.highest_legacy = v;
  }
  return o;
}

/// The check of that name in the table.
inline const Check& table_check(std::string_view name) {
  for (const auto& c : check_table())
    if (c.name == name) return c;
  throw std::logic_error("no such check");
}

}  // namespace pp::tls::checks::testing
