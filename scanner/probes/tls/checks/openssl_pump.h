#pragma once
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <string>

#include "probes/net/transport.h"

namespace pp::tls::checks {

/// OpenSSL for the checks that need a finished handshake (renegotiation, Ticketbleed): a client
/// SSL over memory BIOs, driven through the `net::Transport`, so it works after a STARTTLS
/// preamble and every wait is the check's own (per-read timeout, overall deadline, byte cap).

struct CtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, CtxFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;

/// A client SSL of `ctx` reading and writing two memory BIOs (owned by it), sending `sni` when
/// not empty; null when OpenSSL is out of memory.
SslPtr memory_client(SSL_CTX* ctx, const std::string& sni);

/// The last OpenSSL error queued, in words; empty when none.
std::string openssl_error_text();

/// Drives an OpenSSL operation on a `memory_client` over the transport until it succeeds or
/// fails; every wait is bounded by the per-read timeout and the overall deadline, and at most
/// `kMaxBytes` are read.
class Pump {
 public:
  using Clock = std::chrono::steady_clock;
  /// At most this much is read on the connection (certificate chains run to tens of KB).
  static constexpr size_t kMaxBytes = size_t{1} << 18;

  Pump(SSL* ssl, net::Transport& t, net::Millis timeout, Clock::time_point deadline)
      : ssl_(ssl), t_(t), timeout_(timeout), deadline_(deadline) {}

  /// True when `op` returned 1; 2 means progress, call again. Otherwise `net_error` (the
  /// transport's failure) or `why`.
  template <class Op>
  bool run(Op op) {
    for (;;) {
      ERR_clear_error();
      const int r = op();
      if (!flush()) return false;
      if (r == 1) return true;
      if (r == 2) continue;
      if (!wanted_more(r)) return false;
      if (!read_more()) return false;
    }
  }

  net::NetError net_error;
  std::string why;

 private:
  /// True when OpenSSL only waits for bytes; otherwise sets `why`.
  bool wanted_more(int r);
  /// One read (at most the timeout, within the deadline) into OpenSSL's read BIO.
  bool read_more();
  /// Sends what OpenSSL wrote.
  bool flush();

  SSL* ssl_;
  net::Transport& t_;
  net::Millis timeout_;
  Clock::time_point deadline_;
  size_t read_ = 0;
};

}  // namespace pp::tls::checks
