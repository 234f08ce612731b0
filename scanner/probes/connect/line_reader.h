#pragma once
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "probes/net/transport.h"

namespace pp::connect {

/// Bounds on what one server may make us hold in memory: a hostile or broken server can send
/// a 10 MB line or an endless multi-line reply, and the probe must fail, not grow.
struct ReaderLimits {
  size_t max_line = 8192;          ///< bytes in one line, terminator excluded
  size_t max_reply_bytes = 65536;  ///< bytes in one (multi-line) reply
  size_t max_reply_lines = 512;    ///< lines in one multi-line reply
};

/// Reads CRLF- or bare-LF-terminated lines (and, for LDAP, exact byte counts) from a
/// Transport. It buffers what the socket hands over in one read, so it can tell the caller
/// exactly which bytes arrived beyond the reply it asked for (`pending()`): that is how the
/// STARTTLS code sees bytes sent after the "go ahead" line without consuming them as TLS.
class LineReader {
 public:
  explicit LineReader(net::Transport& t, ReaderLimits lim = {}) : t_(t), lim_(lim) {}

  /// One line without its terminator. Waits at most `timeout` overall.
  net::NetError read_line(std::string& line, net::Millis timeout);

  /// Lines until `is_last(line)` says the reply is complete (the last line included), with
  /// one overall deadline of `timeout` and the reply caps of ReaderLimits.
  net::NetError read_reply(std::vector<std::string>& lines, const std::function<bool(const std::string&)>& is_last,
                           net::Millis timeout);

  /// Exactly `n` bytes (binary protocols); `n` above max_reply_bytes is refused.
  net::NetError read_bytes(std::string& out, size_t n, net::Millis timeout);

  /// Waits up to `wait` for more bytes to arrive into the buffer; no error when none came.
  /// Returns Closed/Reset when the peer went away.
  net::NetError poll_more(net::Millis wait);

  /// Bytes received but not yet handed out as a line or byte run.
  const std::string& pending() const { return buf_; }
  void drop_pending() { buf_.clear(); }

 private:
  using Clock = std::chrono::steady_clock;
  net::NetError fill(Clock::time_point deadline, net::Millis total);

  net::Transport& t_;
  ReaderLimits lim_;
  std::string buf_;
};

/// Everything in `s` that a person can safely read in a reason or evidence string: printable
/// ASCII kept, the rest as \xHH, cut at `max` bytes.
std::string printable(std::string_view s, size_t max = 200);

}  // namespace pp::connect
