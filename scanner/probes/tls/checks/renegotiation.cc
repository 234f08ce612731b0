#include "probes/tls/checks/renegotiation.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

#include "probes/tls/checks/check.h"
#include "probes/tls/checks/openssl_pump.h"
#include "probes/tls/server_hello.h"

namespace pp::tls {

namespace {

using checks::Pump;

/// At most this much is read on the connection, application data included.
constexpr size_t kMaxBytes = Pump::kMaxBytes;

/// What the server sent, seen by OpenSSL's message callback.
struct Seen {
  bool renegotiating = false;
  int hellos_after = 0;          ///< ServerHello messages after the renegotiation request
  std::optional<Alert> alert;    ///< first alert received (before or after the request)
  std::optional<Alert> alert_after;
};

void on_message(int write_p, int, int content_type, const void* buf, size_t len, SSL*, void* arg) {
  auto* seen = static_cast<Seen*>(arg);
  if (write_p) return;
  const auto* b = static_cast<const unsigned char*>(buf);
  if (content_type == SSL3_RT_ALERT && len >= 2) {
    const Alert a{b[0], b[1]};
    if (!seen->alert) seen->alert = a;
    if (seen->renegotiating && !seen->alert_after) seen->alert_after = a;
  } else if (content_type == SSL3_RT_HANDSHAKE && len >= 1 && b[0] == SSL3_MT_SERVER_HELLO && seen->renegotiating) {
    ++seen->hellos_after;
  }
}

std::string alert_text(const Alert& a) {
  return std::string(a.level == 1 ? "warning" : "fatal") + " alert " + std::to_string(a.description) + " (" +
         alert_name(a.description) + ")";
}

/// One context for every endpoint's check, made on first use (a context per connection was a
/// good part of a fleet scan's CPU); nothing changes it afterwards, and OpenSSL lets SSL objects
/// of one context run on many threads. No session is cached or offered.
SSL_CTX* renegotiation_context() {
  static const checks::SslCtxPtr ctx = [] {
    checks::SslCtxPtr c(SSL_CTX_new(TLS_client_method()));
    if (!c) return c;
    SSL_CTX_set_min_proto_version(c.get(), TLS1_VERSION);
    SSL_CTX_set_max_proto_version(c.get(), TLS1_2_VERSION);  // TLS 1.3 has no renegotiation
    SSL_CTX_set_security_level(c.get(), 0);
    SSL_CTX_set_cipher_list(c.get(), "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
    SSL_CTX_set_verify(c.get(), SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_session_cache_mode(c.get(), SSL_SESS_CACHE_OFF);
    // Ask even a server without RFC 5746: the question is whether it goes along.
    SSL_CTX_set_options(c.get(), SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION |
                                     SSL_OP_NO_TICKET);
    return c;
  }();
  return ctx.get();
}

}  // namespace

RenegotiationCheck check_client_renegotiation(const net::Connector& connect, const std::string& sni,
                                              net::Millis timeout, int& connections) {
  using V = RenegotiationCheck::Verdict;
  RenegotiationCheck out;
  SSL_CTX* ctx = renegotiation_context();
  if (!ctx) {
    out.evidence = "renegotiation check: cannot create a TLS context";
    return out;
  }
  checks::SslPtr ssl = checks::memory_client(ctx, sni);
  if (!ssl) {
    out.evidence = "renegotiation check: cannot create a TLS session";
    return out;
  }
  Seen seen;
  SSL_set_msg_callback(ssl.get(), on_message);
  SSL_set_msg_callback_arg(ssl.get(), &seen);

  net::NetError err;
  auto t = connect(err);
  if (!t) {
    out.evidence = "renegotiation check: " + (err ? err.message : std::string("could not connect"));
    return out;
  }
  ++connections;
  Pump pump(ssl.get(), *t, timeout, Pump::Clock::now() + 3 * timeout);
  if (!pump.run([&] { return SSL_do_handshake(ssl.get()); })) {
    std::string why = pump.net_error ? pump.net_error.message : pump.why;
    if (seen.alert) why = alert_text(*seen.alert) + ": " + why;
    out.evidence = "renegotiation check: the first handshake did not complete: " + why;
    return out;
  }
  const std::string version = SSL_get_version(ssl.get());
  if (SSL_renegotiate(ssl.get()) != 1) {
    out.evidence = "renegotiation check: the local TLS library would not renegotiate a " + version + " session";
    return out;
  }
  seen.renegotiating = true;
  // SSL_read drives the new handshake and takes the application data a server may send
  // meanwhile (the greeting of an IMAP, POP3 or SMTP server over implicit TLS); the
  // renegotiation is done when OpenSSL no longer has it pending.
  size_t app_bytes = 0;
  const bool done = pump.run([&] {
    char buf[4096];
    const int n = SSL_read(ssl.get(), buf, sizeof buf);
    if (n > 0) {
      app_bytes += static_cast<size_t>(n);
      if (app_bytes > kMaxBytes) return -1;
      return SSL_renegotiate_pending(ssl.get()) ? 2 : 1;
    }
    return SSL_renegotiate_pending(ssl.get()) ? n : 1;
  });
  t->close();
  const std::string asked = version + " session, client asked to renegotiate: ";
  if (done || seen.hellos_after > 0) {
    out.verdict = V::Accepted;
    out.evidence = asked + "the server answered with a ServerHello" +
                   (done ? " and the new handshake completed" : " (the new handshake then failed: " +
                                                                  (pump.net_error ? pump.net_error.message : pump.why) + ")");
    return out;
  }
  if (seen.alert_after) {
    out.verdict = V::Refused;
    out.evidence = asked + "the server refused with a " + alert_text(*seen.alert_after);
    return out;
  }
  const net::NetError& e = pump.net_error;
  if (e.kind == net::NetErrorKind::Closed || e.kind == net::NetErrorKind::Reset) {
    out.verdict = V::Refused;
    out.evidence = asked + "the server " + (e.kind == net::NetErrorKind::Closed ? "closed" : "reset") +
                   " the connection instead of a ServerHello";
    return out;
  }
  if (e.kind == net::NetErrorKind::Timeout && e.message.rfind("no answer within", 0) == 0) {
    out.verdict = V::Refused;
    out.evidence = asked + "the server ignored it (" + e.message + ")";
    return out;
  }
  out.evidence = "renegotiation check: " + asked + (e ? e.message : pump.why);
  return out;
}

namespace checks {

namespace {

constexpr std::string_view kFact = "tls.renegotiation.client_initiated";

Applies applies(const Observation& o) {
  if (!o.highest_legacy)
    return Applies::no(o.accepted(Version::Tls13) ? "only TLS 1.3 accepted: renegotiation does not exist there"
                                                  : "only SSLv2 accepted: it has no renegotiation");
  // Not observable (OpenSSL 3 cannot finish an SSLv3 handshake), and moot: SSLv3 alone fails
  // TLS-001 outright. Absent rather than unknown, so the one real finding is not buried under
  // an error that no scan can ever resolve.
  if (*o.highest_legacy < Version::Tls10)
    return Applies::no("no TLS 1.0-1.2: not asked (the local TLS library cannot finish an SSLv3 handshake)");
  return Applies::always();
}

FactSet run(const CheckContext& ctx) {
  int connections = 0;  // counted by the context's connector
  const RenegotiationCheck c = check_client_renegotiation(ctx.connect, ctx.sni, ctx.timeout, connections);
  const std::string name(kFact);
  FactSet fs;
  switch (c.verdict) {
    case RenegotiationCheck::Verdict::Accepted: fs.put(Fact::known(name, true, c.evidence)); break;
    case RenegotiationCheck::Verdict::Refused: fs.put(Fact::known(name, false, c.evidence)); break;
    case RenegotiationCheck::Verdict::Unknown: fs.put(Fact::unknown(name, c.evidence)); break;
  }
  return fs;
}

}  // namespace

Check renegotiation_check() {
  return {"renegotiation",
          {{kFact, ValueType::Bool, SubjectKind::Endpoint, "tls",
            "the server renegotiates when the client asks on a finished TLS 1.0-1.2 handshake (absent: TLS 1.3 or "
            "SSLv2 only)"}},
          applies,
          run};
}

}  // namespace checks

}  // namespace pp::tls
