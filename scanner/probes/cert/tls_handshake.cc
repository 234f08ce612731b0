#include "probes/cert/tls_handshake.h"

#include <openssl/err.h>

#include <chrono>

namespace pp::cert {

namespace {

using Clock = std::chrono::steady_clock;

/// The alert the server sent, recorded by the info callback (the error queue only has text).
struct AlertSeen {
  int code = -1;
  std::string text;
};

void info_callback(const SSL* ssl, int where, int ret) {
  if ((where & SSL_CB_READ_ALERT) != SSL_CB_READ_ALERT) return;
  auto* seen = static_cast<AlertSeen*>(SSL_get_app_data(ssl));
  if (!seen || seen->code >= 0) return;
  seen->code = ret & 0xff;
  seen->text = SSL_alert_desc_string_long(ret);
}

/// Drains OpenSSL's error queue into one line; `too_large` says whether a handshake message
/// (in practice the Certificate) exceeded SSL_CTX_set_max_cert_list.
std::string openssl_errors(bool* too_large = nullptr) {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
    if (too_large && ERR_GET_REASON(e) == SSL_R_EXCESSIVE_MESSAGE_SIZE) *too_large = true;
  }
  return out;
}

PeerChain fail(net::NetErrorKind kind, std::string reason) {
  ERR_clear_error();
  PeerChain p;
  p.error = kind;
  p.reason = std::move(reason);
  return p;
}

/// Hands whatever OpenSSL queued for the server to the transport.
net::NetError flush(BIO* wbio, net::Transport& t, net::Millis timeout) {
  char buf[16384];
  for (;;) {
    int n = BIO_read(wbio, buf, sizeof buf);
    if (n <= 0) return {};
    if (auto err = t.write_all(std::string_view(buf, static_cast<size_t>(n)), timeout)) return err;
  }
}

}  // namespace

PeerChain fetch_peer_chain(net::Transport& t, const std::string& sni, net::Millis timeout, size_t max_bytes) {
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return fail(net::NetErrorKind::Other, "cannot create an OpenSSL context: " + openssl_errors());
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_VERSION);
  SSL_CTX_set_max_proto_version(ctx.get(), 0);
  // aNULL would let a server answer without any certificate; everything else is welcome.
  SSL_CTX_set_cipher_list(ctx.get(), "ALL:!aNULL:@SECLEVEL=0");
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_options(ctx.get(), SSL_OP_LEGACY_SERVER_CONNECT);
  SSL_CTX_set_max_cert_list(ctx.get(), static_cast<long>(max_bytes));
  SslPtr ssl(SSL_new(ctx.get()));
  BIO* rbio = BIO_new(BIO_s_mem());
  BIO* wbio = BIO_new(BIO_s_mem());
  if (!ssl || !rbio || !wbio) {
    BIO_free(rbio);
    BIO_free(wbio);
    return fail(net::NetErrorKind::Other, "cannot create an OpenSSL connection: " + openssl_errors());
  }
  SSL_set_bio(ssl.get(), rbio, wbio);  // ssl owns both from here
  BIO_set_mem_eof_return(rbio, -1);    // empty read BIO means "want more", not EOF
  AlertSeen alert;
  SSL_set_app_data(ssl.get(), &alert);
  SSL_set_info_callback(ssl.get(), info_callback);
  if (!sni.empty() && SSL_set_tlsext_host_name(ssl.get(), sni.c_str()) != 1)
    return fail(net::NetErrorKind::Other, "cannot set SNI " + sni);
  SSL_set_connect_state(ssl.get());

  const auto deadline = Clock::now() + 3 * timeout;
  size_t received = 0;
  std::string inbuf;
  for (;;) {
    const int rc = SSL_do_handshake(ssl.get());
    const int ssl_err = rc == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl.get(), rc);
    if (auto err = flush(wbio, t, timeout))
      return fail(err.kind, "sending the TLS handshake failed: " + err.message);
    if (rc == 1) break;
    if (ssl_err != SSL_ERROR_WANT_READ) {
      if (alert.code >= 0)
        return fail(net::NetErrorKind::Malformed, "server sent TLS alert " + std::to_string(alert.code) + " (" +
                                                      alert.text + ") during the handshake");
      bool too_large = false;
      std::string why = openssl_errors(&too_large);
      if (too_large)
        return fail(net::NetErrorKind::TooLarge, "certificate too large: a handshake message exceeds " +
                                                     std::to_string(max_bytes / 1024) + " KiB (" + why + ")");
      return fail(net::NetErrorKind::Malformed, "TLS handshake failed: " + (why.empty() ? "no error detail" : why));
    }
    const auto left = std::chrono::duration_cast<net::Millis>(deadline - Clock::now());
    if (left.count() <= 0)
      return fail(net::NetErrorKind::Timeout, "the TLS handshake did not finish within " +
                                                  std::to_string((3 * timeout).count()) + " ms");
    inbuf.clear();
    if (auto err = t.read_some(inbuf, 16384, std::min(left, timeout))) {
      if (err.kind == net::NetErrorKind::Closed)
        return fail(err.kind, "the server closed the connection during the TLS handshake");
      if (err.kind == net::NetErrorKind::Timeout)
        return fail(err.kind, "timeout waiting for the server's TLS handshake: " + err.message);
      return fail(err.kind, "reading the TLS handshake failed: " + err.message);
    }
    received += inbuf.size();
    if (received > max_bytes)
      return fail(net::NetErrorKind::TooLarge, "certificate too large: the server sent more than " +
                                                   std::to_string(max_bytes / 1024) + " KiB during the handshake");
    if (BIO_write(rbio, inbuf.data(), static_cast<int>(inbuf.size())) != static_cast<int>(inbuf.size()))
      return fail(net::NetErrorKind::Other, "OpenSSL did not accept the server's bytes");
  }

  PeerChain out;
  out.protocol = SSL_get_version(ssl.get());
  if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get()))
    for (int i = 0; i < sk_X509_num(chain); ++i) out.certs.push_back(x509_ref(sk_X509_value(chain, i)));
  if (out.certs.empty()) {
    out.error = net::NetErrorKind::Malformed;
    out.reason = "the handshake finished but the server sent no certificate";
  }
  // Polite close: a close_notify, best effort and short.
  SSL_shutdown(ssl.get());
  (void)flush(wbio, t, std::min(timeout, net::Millis{1000}));
  ERR_clear_error();
  return out;
}

}  // namespace pp::cert
