#include "probes/mail/tls_session.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "core/ip_literal.h"

namespace pp::mail {

using net::NetError;
using net::NetErrorKind;

namespace {

using Clock = std::chrono::steady_clock;

struct CtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "no detail from OpenSSL";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

/// Waits for the socket as OpenSSL asked (WANT_READ / WANT_WRITE) until the deadline.
NetError wait_for(int fd, int ssl_error, Clock::time_point deadline, const char* what) {
  for (;;) {
    auto left = std::chrono::duration_cast<net::Millis>(deadline - Clock::now()).count();
    if (left <= 0) return NetError::make(NetErrorKind::Timeout, std::string("timeout during TLS ") + what);
    pollfd p{fd, static_cast<short>(ssl_error == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN), 0};
    int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return NetError::make(NetErrorKind::Other, "poll failed during TLS");
    if (r == 0) return NetError::make(NetErrorKind::Timeout, std::string("timeout during TLS ") + what);
    return {};
  }
}

}  // namespace

struct TlsTransport::Impl {
  std::unique_ptr<net::Transport> inner;
  std::unique_ptr<SSL_CTX, CtxFree> ctx;
  std::unique_ptr<SSL, SslFree> ssl;
  int fd = -1;
};

TlsTransport::TlsTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsTransport::~TlsTransport() { close(); }

std::unique_ptr<TlsTransport> TlsTransport::handshake(std::unique_ptr<net::Transport> inner, const std::string& sni,
                                                      net::Millis timeout, NetError& err) {
  err = {};
  if (!inner || inner->fd() < 0) {
    err = NetError::make(NetErrorKind::Other, "no socket to run TLS over");
    return nullptr;
  }
  auto impl = std::make_unique<Impl>();
  impl->fd = inner->fd();
  impl->inner = std::move(inner);
  impl->ctx.reset(SSL_CTX_new(TLS_client_method()));
  if (!impl->ctx) {
    err = NetError::make(NetErrorKind::Other, "SSL_CTX_new: " + openssl_error());
    return nullptr;
  }
  SSL_CTX_set_security_level(impl->ctx.get(), 0);
  SSL_CTX_set_min_proto_version(impl->ctx.get(), 0);
  SSL_CTX_set_cipher_list(impl->ctx.get(), "ALL:@SECLEVEL=0");
  SSL_CTX_set_verify(impl->ctx.get(), SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_options(impl->ctx.get(), SSL_OP_LEGACY_SERVER_CONNECT);
  impl->ssl.reset(SSL_new(impl->ctx.get()));
  if (!impl->ssl || SSL_set_fd(impl->ssl.get(), impl->fd) != 1) {
    err = NetError::make(NetErrorKind::Other, "SSL_new: " + openssl_error());
    return nullptr;
  }
  if (!sni.empty() && !is_ip_literal(sni)) SSL_set_tlsext_host_name(impl->ssl.get(), sni.c_str());
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    ERR_clear_error();
    int r = SSL_connect(impl->ssl.get());
    if (r == 1) break;
    int e = SSL_get_error(impl->ssl.get(), r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      if ((err = wait_for(impl->fd, e, deadline, "handshake"))) return nullptr;
      continue;
    }
    if (e == SSL_ERROR_SYSCALL || (e == SSL_ERROR_SSL && ERR_peek_error() == 0))
      err = NetError::make(NetErrorKind::Closed, "connection closed during the TLS handshake");
    else
      err = NetError::make(NetErrorKind::Malformed, "TLS handshake failed: " + openssl_error());
    return nullptr;
  }
  return std::unique_ptr<TlsTransport>(new TlsTransport(std::move(impl)));
}

NetError TlsTransport::write_all(std::string_view data, net::Millis timeout) {
  if (!impl_->ssl) return NetError::make(NetErrorKind::Closed, "connection already closed");
  const auto deadline = Clock::now() + timeout;
  while (!data.empty()) {
    size_t n = 0;
    ERR_clear_error();
    int r = SSL_write_ex(impl_->ssl.get(), data.data(), data.size(), &n);
    if (r == 1) {
      data.remove_prefix(n);
      continue;
    }
    int e = SSL_get_error(impl_->ssl.get(), r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      if (auto err = wait_for(impl_->fd, e, deadline, "write")) return err;
      continue;
    }
    return NetError::make(NetErrorKind::Reset, "TLS write failed: " + openssl_error());
  }
  return {};
}

NetError TlsTransport::read_some(std::string& out, size_t max, net::Millis timeout) {
  if (!impl_->ssl) return NetError::make(NetErrorKind::Closed, "connection already closed");
  if (max == 0) return {};
  const auto deadline = Clock::now() + timeout;
  char buf[16384];
  for (;;) {
    size_t n = 0;
    ERR_clear_error();
    int r = SSL_read_ex(impl_->ssl.get(), buf, std::min(max, sizeof buf), &n);
    if (r == 1) {
      out.append(buf, n);
      return {};
    }
    int e = SSL_get_error(impl_->ssl.get(), r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      if (auto err = wait_for(impl_->fd, e, deadline, "read")) {
        if (err.kind == NetErrorKind::Timeout) err.message = "no answer inside TLS in time";
        return err;
      }
      continue;
    }
    if (e == SSL_ERROR_ZERO_RETURN) return NetError::make(NetErrorKind::Closed, "TLS session closed by peer");
    return NetError::make(NetErrorKind::Reset, "TLS read failed: " + openssl_error());
  }
}

void TlsTransport::close() {
  if (impl_->ssl) SSL_shutdown(impl_->ssl.get());  // best effort close_notify; never waits
  impl_->ssl.reset();
  if (impl_->inner) impl_->inner->close();
}

std::string TlsTransport::description() const {
  if (!impl_->ssl) return "closed";
  const SSL_CIPHER* c = SSL_get_current_cipher(impl_->ssl.get());
  return std::string(SSL_get_version(impl_->ssl.get())) + " " + (c ? SSL_CIPHER_get_name(c) : "?");
}

}  // namespace pp::mail
