#include "probes/cert/tls_handshake.h"

#include <openssl/err.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

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

/// OpenSSL's error queue, drained: one line of text and the reason codes.
struct OsslErrors {
  std::string text;
  std::vector<int> reasons;
  bool has(int r) const { return std::find(reasons.begin(), reasons.end(), r) != reasons.end(); }
};

OsslErrors drain_errors() {
  OsslErrors out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.text.empty()) out.text += "; ";
    out.text += buf;
    out.reasons.push_back(ERR_GET_REASON(e));
  }
  return out;
}

std::string openssl_errors() { return drain_errors().text; }

PeerChain fail(net::NetErrorKind kind, std::string reason, std::string detail = {}) {
  ERR_clear_error();
  PeerChain p;
  p.error = kind;
  p.reason = std::move(reason);
  p.detail = std::move(detail);
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

/// The first bytes of the server's answer, printable, for a reason that says what came back.
std::string quote_start(std::string_view head) {
  std::string out;
  for (char c : head.substr(0, 24)) out += (c >= 0x20 && c < 0x7f) ? c : '.';
  return "\"" + out + "\"";
}

bool tls_framed(std::string_view head) {
  return head.size() >= 2 && (head[0] == '\x15' || head[0] == '\x16') && head[1] == '\x03';
}

/// An SSLv2 record: 2-byte header with the top bit set, then SERVER-HELLO (4) or ERROR (0).
bool sslv2_framed(std::string_view head) {
  return head.size() >= 3 && (static_cast<unsigned char>(head[0]) & 0x80) && (head[2] == '\x04' || head[2] == '\x00');
}

/// A failed handshake in words. `head` is the start of what the server sent.
PeerChain explain_failure(const AlertSeen& alert, const OsslErrors& e, std::string_view head) {
  using K = net::NetErrorKind;
  if (alert.code == 70) {
    PeerChain p = fail(K::Malformed, "server sent TLS alert 70 (protocol version): it accepts none of the "
                                     "protocol versions offered, TLS 1.0 to 1.3", e.text);
    p.version_refused = true;
    return p;
  }
  if (alert.code >= 0 && tls_framed(head) && head.size() >= 3 && head[2] == '\x00') {
    // An alert in an SSL 3.0 record: the server speaks SSLv3 and chose none of the TLS offer.
    PeerChain p = fail(K::Malformed, "the server answered in SSLv3 (TLS alert " + std::to_string(alert.code) + ", " +
                                         alert.text + ", in an SSL 3.0 record): it speaks no protocol version "
                                         "OpenSSL offers, TLS 1.0 to 1.3", e.text);
    p.version_refused = true;
    return p;
  }
  if (alert.code == 40)
    return fail(K::Malformed, "server sent TLS alert 40 (handshake failure) during the handshake: it accepts "
                              "none of the cipher suites or signature algorithms offered", e.text);
  if (alert.code >= 0)
    return fail(K::Malformed, "server sent TLS alert " + std::to_string(alert.code) + " (" + alert.text +
                                  ") during the handshake", e.text);
  if (sslv2_framed(head)) {
    PeerChain p = fail(K::Malformed, "the server answered in SSLv2, which OpenSSL cannot speak", e.text);
    p.version_refused = p.sslv2_reply = true;
    return p;
  }
  const bool version_error = e.has(SSL_R_UNSUPPORTED_PROTOCOL) || e.has(SSL_R_VERSION_TOO_LOW) ||
                             e.has(SSL_R_WRONG_VERSION_NUMBER) || e.has(SSL_R_UNSUPPORTED_SSL_VERSION) ||
                             e.has(SSL_R_TLSV1_ALERT_PROTOCOL_VERSION);
  if (version_error && tls_framed(head)) {
    PeerChain p = fail(K::Malformed, "no protocol version in common: the server chose a version older than "
                                     "TLS 1.0 (SSLv3 or below), which OpenSSL cannot speak", e.text);
    p.version_refused = true;
    return p;
  }
  if (!head.empty() && !tls_framed(head))
    return fail(K::Malformed, "TLS handshake failed: the server's answer is not TLS (it begins " + quote_start(head) +
                                  "); is this a plaintext service?", e.text);
  if (e.has(SSL_R_NO_SHARED_CIPHER) || e.has(SSL_R_NO_CIPHERS_AVAILABLE) || e.has(SSL_R_WRONG_CIPHER_RETURNED) ||
      e.has(SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE))
    return fail(K::Malformed, "TLS handshake failed: no cipher suite in common with the server", e.text);
  if (e.has(SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM) || e.has(SSL_R_WRONG_SIGNATURE_TYPE))
    return fail(K::Malformed, "TLS handshake failed: no signature algorithm in common with the server", e.text);
  if (e.has(SSL_R_PACKET_LENGTH_TOO_LONG) || e.has(SSL_R_RECORD_LENGTH_MISMATCH))
    return fail(K::Malformed, "TLS handshake failed: the server sent a malformed TLS record", e.text);
  return fail(K::Malformed, "TLS handshake failed: " +
                                (e.text.empty() ? std::string("no error detail") : "OpenSSL says " + e.text),
              e.text);
}

/// Restricts the offer to one kind of server key (see KeyAuth).
bool restrict_auth(SSL_CTX* ctx, KeyAuth auth) {
  switch (auth) {
    case KeyAuth::Any: return true;
    case KeyAuth::Rsa:
      return SSL_CTX_set_cipher_list(ctx, "aRSA:!aNULL:@SECLEVEL=0") == 1 &&
             SSL_CTX_set1_sigalgs_list(ctx,
                                       "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:"
                                       "rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512:"
                                       "rsa_pkcs1_sha256:rsa_pkcs1_sha384:rsa_pkcs1_sha512:RSA+SHA224:rsa_pkcs1_sha1") == 1;
    case KeyAuth::Ecdsa:
      return SSL_CTX_set_cipher_list(ctx, "aECDSA:!aNULL:@SECLEVEL=0") == 1 &&
             SSL_CTX_set1_sigalgs_list(ctx,
                                       "ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384:ecdsa_secp521r1_sha512:"
                                       "ECDSA+SHA224:ECDSA+SHA1") == 1;
  }
  return false;
}

const char* handshake_message_name(int type) {
  switch (type) {
    case 1: return "ClientHello";
    case 2: return "ServerHello";
    case 4: return "NewSessionTicket";
    case 8: return "EncryptedExtensions";
    case 11: return "Certificate";
    case 12: return "ServerKeyExchange";
    case 13: return "CertificateRequest";
    case 14: return "ServerHelloDone";
    case 15: return "CertificateVerify";
    case 20: return "Finished";
    default: return nullptr;
  }
}

}  // namespace

void HandshakeSniffer::feed(std::string_view b) {
  while (active_ && !b.empty()) {
    if (rec_left_ == 0) {
      const size_t take = std::min(5 - rec_hdr_.size(), b.size());
      rec_hdr_.append(b.substr(0, take));
      b.remove_prefix(take);
      if (rec_hdr_.size() < 5) return;
      if (rec_hdr_[0] != '\x16') {  // ChangeCipherSpec, encrypted or alert: plaintext handshake over
        active_ = false;
        return;
      }
      rec_left_ = (static_cast<size_t>(static_cast<unsigned char>(rec_hdr_[3])) << 8) | static_cast<unsigned char>(rec_hdr_[4]);
      rec_hdr_.clear();
      continue;
    }
    const size_t take = std::min(rec_left_, b.size());
    std::string_view body = b.substr(0, take);
    b.remove_prefix(take);
    rec_left_ -= take;
    while (!body.empty()) {
      if (msg_left_ > 0) {
        const size_t k = std::min(msg_left_, body.size());
        body.remove_prefix(k);
        msg_left_ -= k;
        continue;
      }
      const size_t k = std::min(4 - msg_hdr_.size(), body.size());
      msg_hdr_.append(body.substr(0, k));
      body.remove_prefix(k);
      if (msg_hdr_.size() < 4) break;
      const auto* h = reinterpret_cast<const unsigned char*>(msg_hdr_.data());
      last_type_ = h[0];
      last_len_ = (size_t{h[1]} << 16) | (size_t{h[2]} << 8) | h[3];
      msg_left_ = last_len_;
      msg_hdr_.clear();
    }
  }
}

std::string too_large_reason(int msg_type, size_t announced, size_t max_bytes) {
  const std::string limit = std::to_string(max_bytes / 1024) + " KiB";
  if (msg_type == 11)
    return "certificate too large (" + std::to_string(announced) + " bytes announced): the server's Certificate "
           "message exceeds the " + limit + " limit";
  const char* name = handshake_message_name(msg_type);
  return "handshake message too large (" + std::to_string(announced) + " bytes announced): the server's " +
         (name ? std::string(name) : "handshake message of type " + std::to_string(msg_type)) + " exceeds the " +
         limit + " limit";
}

namespace {

/// Every version from TLS 1.0 and every suite with a certificate, no verification: a weak
/// server still shows its certificate. A failure comes back in words.
std::optional<PeerChain> make_client_context(KeyAuth auth, size_t max_bytes, SslCtxPtr& ctx) {
  ctx.reset(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return fail(net::NetErrorKind::Other, "cannot create an OpenSSL context", openssl_errors());
  // Shared by every handshake of the process: no session is kept or offered, each endpoint
  // gets a full handshake and shows its certificate.
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_VERSION);
  SSL_CTX_set_max_proto_version(ctx.get(), 0);
  // aNULL would let a server answer without any certificate; everything else is welcome.
  SSL_CTX_set_cipher_list(ctx.get(), "ALL:!aNULL:@SECLEVEL=0");
  if (!restrict_auth(ctx.get(), auth))
    return fail(net::NetErrorKind::Other, "cannot restrict the offer to one key type", openssl_errors());
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_options(ctx.get(), SSL_OP_LEGACY_SERVER_CONNECT);
  SSL_CTX_set_max_cert_list(ctx.get(), static_cast<long>(max_bytes));
  return std::nullopt;
}

/// The context for (auth, max_bytes), made once per process and shared (OpenSSL allows SSL
/// objects of one configured context on many threads): creating one per handshake was a tenth
/// of a fleet scan's CPU. Nothing changes a context after it is made.
std::optional<PeerChain> client_context(KeyAuth auth, size_t max_bytes, SslCtxPtr& ctx) {
  static std::mutex mu;
  static std::map<std::pair<KeyAuth, size_t>, SslCtxPtr> made;
  std::lock_guard lock(mu);
  auto it = made.find({auth, max_bytes});
  if (it == made.end()) {
    SslCtxPtr fresh;
    if (auto failed = make_client_context(auth, max_bytes, fresh)) return failed;
    it = made.emplace(std::make_pair(auth, max_bytes), std::move(fresh)).first;
  }
  if (SSL_CTX_up_ref(it->second.get()) != 1)
    return fail(net::NetErrorKind::Other, "cannot share the OpenSSL context", openssl_errors());
  ctx.reset(it->second.get());
  return std::nullopt;
}

/// What the handshake loop keeps between reads.
struct HandshakeState {
  size_t received = 0;
  std::string inbuf, head;  ///< head: the first bytes the server sent, to tell what it speaks
  HandshakeSniffer sniffer;
};

/// The handshake stopped for another reason than wanting more bytes: say why.
PeerChain handshake_stopped(SSL* ssl, const AlertSeen& alert, const HandshakeState& st, size_t max_bytes) {
  OsslErrors e = drain_errors();
  if (alert.code >= 0 || !e.has(SSL_R_EXCESSIVE_MESSAGE_SIZE)) return explain_failure(alert, e, st.head);
  // The plaintext records show the announced length; an encrypted (TLS 1.3) message is named
  // by the state OpenSSL was in when it refused it.
  if (st.sniffer.open_type() >= 0)
    return fail(net::NetErrorKind::TooLarge, too_large_reason(st.sniffer.open_type(), st.sniffer.open_length(), max_bytes),
                e.text);
  const bool cert = SSL_get_state(ssl) == TLS_ST_CR_CERT;
  return fail(net::NetErrorKind::TooLarge,
              std::string(cert ? "certificate too large: the server's encrypted Certificate message"
                               : "handshake message too large: an encrypted handshake message") +
                  " exceeds the " + std::to_string(max_bytes / 1024) + " KiB limit",
              e.text);
}

/// Reads the server's next bytes into `rbio` within the deadline and the size limit; a
/// failure comes back in words.
std::optional<PeerChain> read_more(net::Transport& t, BIO* rbio, Clock::time_point deadline, net::Millis timeout,
                                   size_t max_bytes, HandshakeState& st) {
  const auto left = std::chrono::duration_cast<net::Millis>(deadline - Clock::now());
  if (left.count() <= 0)
    return fail(net::NetErrorKind::Timeout,
                "the TLS handshake did not finish within " + std::to_string((3 * timeout).count()) + " ms");
  st.inbuf.clear();
  if (auto err = t.read_some(st.inbuf, 16384, std::min(left, timeout))) {
    if (err.kind == net::NetErrorKind::Closed)
      return fail(err.kind, "the server closed the connection during the TLS handshake");
    if (err.kind == net::NetErrorKind::Timeout)
      return fail(err.kind, "timeout waiting for the server's TLS handshake: " + err.message);
    return fail(err.kind, "reading the TLS handshake failed: " + err.message);
  }
  st.received += st.inbuf.size();
  if (st.head.size() < 32) st.head.append(st.inbuf, 0, 32 - st.head.size());
  st.sniffer.feed(st.inbuf);
  if (st.received > max_bytes) {
    if (st.sniffer.open_type() >= 0)
      return fail(net::NetErrorKind::TooLarge, too_large_reason(st.sniffer.open_type(), st.sniffer.open_length(), max_bytes));
    return fail(net::NetErrorKind::TooLarge, "handshake too large: the server sent more than " +
                                                 std::to_string(max_bytes / 1024) + " KiB during the handshake");
  }
  if (BIO_write(rbio, st.inbuf.data(), static_cast<int>(st.inbuf.size())) != static_cast<int>(st.inbuf.size()))
    return fail(net::NetErrorKind::Other, "OpenSSL did not accept the server's bytes");
  return std::nullopt;
}

}  // namespace

PeerChain fetch_peer_chain(net::Transport& t, const std::string& sni, net::Millis timeout, size_t max_bytes,
                           KeyAuth auth) {
  ERR_clear_error();
  SslCtxPtr ctx;
  if (auto failed = client_context(auth, max_bytes, ctx)) return std::move(*failed);
  SslPtr ssl(SSL_new(ctx.get()));
  BIO* rbio = BIO_new(BIO_s_mem());
  BIO* wbio = BIO_new(BIO_s_mem());
  if (!ssl || !rbio || !wbio) {
    BIO_free(rbio);
    BIO_free(wbio);
    return fail(net::NetErrorKind::Other, "cannot create an OpenSSL connection", openssl_errors());
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
  HandshakeState st;
  for (;;) {
    const int rc = SSL_do_handshake(ssl.get());
    const int ssl_err = rc == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl.get(), rc);
    if (auto err = flush(wbio, t, timeout))
      return fail(err.kind, "sending the TLS handshake failed: " + err.message);
    if (rc == 1) break;
    if (ssl_err != SSL_ERROR_WANT_READ) return handshake_stopped(ssl.get(), alert, st, max_bytes);
    if (auto failed = read_more(t, rbio, deadline, timeout, max_bytes, st)) return std::move(*failed);
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
