#include "probes/tls/checks/openssl_pump.h"

#include <openssl/err.h>

#include <algorithm>

namespace pp::tls::checks {

namespace {

std::string seconds(net::Millis t) {
  const auto ms = t.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

}  // namespace

SslPtr memory_client(SSL_CTX* ctx, const std::string& sni) {
  SslPtr ssl(SSL_new(ctx));
  if (!ssl) return nullptr;
  BIO* rbio = BIO_new(BIO_s_mem());
  BIO* wbio = BIO_new(BIO_s_mem());
  if (!rbio || !wbio) {
    BIO_free(rbio);
    BIO_free(wbio);
    return nullptr;
  }
  SSL_set_bio(ssl.get(), rbio, wbio);  // owned by the SSL from here on
  SSL_set_connect_state(ssl.get());
  if (!sni.empty()) SSL_set_tlsext_host_name(ssl.get(), sni.c_str());
  return ssl;
}

std::string openssl_error_text() {
  const unsigned long e = ERR_peek_last_error();
  if (e == 0) return "";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

bool Pump::wanted_more(int r) {
  const int err = SSL_get_error(ssl_, r);
  if (err == SSL_ERROR_WANT_READ) return true;
  why = err == SSL_ERROR_ZERO_RETURN ? "the server sent close_notify" : "TLS error";
  const std::string o = openssl_error_text();
  if (!o.empty()) why += " (OpenSSL: " + o + ")";
  return false;
}

bool Pump::read_more() {
  const auto left = std::chrono::duration_cast<net::Millis>(deadline_ - Clock::now());
  if (left.count() <= 0) {
    net_error = net::NetError::make(net::NetErrorKind::Timeout, "check took longer than its overall limit");
    return false;
  }
  const net::Millis wait = std::min(timeout_, left);
  std::string chunk;
  if (auto e = t_.read_some(chunk, 16384, wait)) {
    net_error = e;
    if (e.kind == net::NetErrorKind::Timeout && e.message.rfind("no answer within", 0) == 0)
      net_error.message = "no answer within " + seconds(wait);
    return false;
  }
  read_ += chunk.size();
  if (read_ > kMaxBytes) {
    why = "more than " + std::to_string(kMaxBytes) + " bytes without finishing the handshake";
    return false;
  }
  BIO_write(SSL_get_rbio(ssl_), chunk.data(), static_cast<int>(chunk.size()));
  return true;
}

bool Pump::flush() {
  char buf[16384];
  for (;;) {
    const int n = BIO_read(SSL_get_wbio(ssl_), buf, sizeof buf);
    if (n <= 0) return true;
    const auto left = std::chrono::duration_cast<net::Millis>(deadline_ - Clock::now());
    if (auto e = t_.write_all(std::string_view(buf, static_cast<size_t>(n)), std::max(net::Millis(1), std::min(timeout_, left)))) {
      net_error = e;
      return false;
    }
  }
}

}  // namespace pp::tls::checks
