#pragma once
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace pp::net {

using Millis = std::chrono::milliseconds;

/// Why a network operation did not complete. Becomes the reason of an unknown fact.
enum class NetErrorKind { None, Resolve, Refused, Timeout, Reset, Closed, TooLarge, Malformed, Other };

struct NetError {
  NetErrorKind kind = NetErrorKind::None;
  std::string message;  ///< for a person: "connection refused", "timeout after 5 s waiting for ServerHello"
  explicit operator bool() const { return kind != NetErrorKind::None; }
  static NetError make(NetErrorKind k, std::string msg) { return {k, std::move(msg)}; }
};

std::string_view to_string(NetErrorKind k);

/// The seam between probes and the network (ninja's DiskInterface, for sockets): a real TCP
/// connection, or a scripted one that replays recorded server bytes in tests.
class Transport {
 public:
  virtual ~Transport() = default;
  /// Writes every byte or fails; waits at most `timeout`.
  virtual NetError write_all(std::string_view data, Millis timeout) = 0;
  /// Appends between 1 and `max` bytes to `out`; Closed on orderly EOF; Timeout after `timeout`.
  virtual NetError read_some(std::string& out, size_t max, Millis timeout) = 0;
  virtual void close() = 0;
  /// The socket, for handing to OpenSSL; -1 when there is none (scripted transport).
  virtual int fd() const { return -1; }
};

/// Reads until `out` holds at least `n` bytes, or fails. Overall deadline is `timeout`.
NetError read_exactly(Transport& t, std::string& out, size_t n, Millis timeout);

/// Non-blocking connect with a timeout, then blocking-free I/O through poll().
class TcpTransport final : public Transport {
 public:
  /// Resolves `host` (name, IPv4 or IPv6 literal, brackets allowed) and connects.
  static std::unique_ptr<TcpTransport> connect(const std::string& host, uint16_t port, Millis timeout,
                                               NetError& err);
  ~TcpTransport() override;
  TcpTransport(const TcpTransport&) = delete;
  TcpTransport& operator=(const TcpTransport&) = delete;

  NetError write_all(std::string_view data, Millis timeout) override;
  NetError read_some(std::string& out, size_t max, Millis timeout) override;
  void close() override;
  int fd() const override { return fd_; }

 private:
  explicit TcpTransport(int fd) : fd_(fd) {}
  int fd_ = -1;
};

/// A fake server for unit tests: a queue of steps. Each "reply" step delivers bytes to the
/// next reads; "close" makes reads return Closed; "reset" returns Reset; "stall" returns
/// Timeout. Everything the client writes is recorded in `written()`.
class ScriptedTransport final : public Transport {
 public:
  ScriptedTransport& reply(std::string bytes);
  ScriptedTransport& close_after();
  ScriptedTransport& reset_after();
  ScriptedTransport& stall_after();

  NetError write_all(std::string_view data, Millis timeout) override;
  NetError read_some(std::string& out, size_t max, Millis timeout) override;
  void close() override { closed_ = true; }
  const std::string& written() const { return written_; }
  bool closed() const { return closed_; }

 private:
  enum class End { Close, Reset, Stall };
  std::deque<std::string> pending_;
  End end_ = End::Close;
  std::string written_;
  bool closed_ = false;
};

/// Opens a fresh, ready-to-use connection to one endpoint: TCP plus any STARTTLS preamble.
/// Probes that need N connections call it N times; the caller counts them.
using Connector = std::function<std::unique_ptr<Transport>(NetError& err)>;

}  // namespace pp::net
