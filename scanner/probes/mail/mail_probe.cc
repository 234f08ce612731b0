#include "probes/mail/mail_probe.h"

#include "probes/connect/dialogue.h"
#include "probes/connect/ldap.h"
#include "probes/mail/ntlm_probe.h"
#include "probes/mail/tls_session.h"

namespace pp::mail {

using connect::Context;
using connect::Dialogue;
using connect::find_dialogue;
using connect::LineReader;
using connect::printable;
using connect::Session;
using connect::UpgradeReply;
using net::NetError;
using net::NetErrorKind;
namespace ldap = connect::ldap;

namespace {

constexpr const char* kBanner = "mail.banner";
constexpr const char* kCaps = "mail.capabilities";
constexpr const char* kOffered = "mail.starttls.offered";
constexpr const char* kUpgrade = "mail.starttls.upgrade_ok";
constexpr const char* kInjection = "mail.starttls.injection";
constexpr const char* kAuthBefore = "mail.auth_before_tls";
constexpr const char* kMechsPlain = "mail.auth_mechs.plain";
constexpr const char* kMechsTls = "mail.auth_mechs.tls";
constexpr const char* kImplicit = "mail.implicit_tls";
constexpr const char* kBindRefused = "mail.ldap.plaintext_bind_refused";

void all_unknown(FactSet& f, const std::string& reason) {
  for (const char* n : {kBanner, kCaps, kOffered, kUpgrade, kInjection, kAuthBefore, kMechsPlain, kMechsTls, kImplicit,
                        kBindRefused})
    f.put(Fact::unknown(n, reason));
}

std::unique_ptr<net::Transport> open(const net::Connector& tcp, int& connections, NetError& err) {
  err = {};
  ++connections;
  auto conn = tcp(err);
  if (!conn && !err) err = NetError::make(NetErrorKind::Other, "connection failed");
  return conn;
}

/// Facts from the capability exchange in plaintext.
void put_plain_session(FactSet& f, Protocol p, const Session& s) {
  if (p == Protocol::Ldap)
    f.put(Fact::absent(kBanner, "LDAP has no greeting: the client speaks first"));
  else
    f.put(Fact::known(kBanner, s.banner, s.banner));
  if (s.capabilities_known) {
    f.put(Fact::known(kCaps, s.capabilities, s.capability_evidence));
    f.put(Fact::known(kMechsPlain, s.auth_mechs, s.capability_evidence));
  } else {
    f.put(Fact::unknown(kCaps, s.capability_evidence));
    f.put(Fact::unknown(kMechsPlain, s.capability_evidence));
  }
  switch (s.auth_state) {
    case FactState::Known: f.put(Fact::known(kAuthBefore, s.auth_before_tls, s.auth_note)); break;
    case FactState::Absent: f.put(Fact::absent(kAuthBefore, s.auth_note)); break;
    case FactState::Unknown: f.put(Fact::unknown(kAuthBefore, s.auth_note)); break;
  }
}

/// Implicit TLS: handshake first, then the greeting and capabilities inside TLS.
FactSet probe_implicit(const net::Connector& tcp, const Dialogue& d, const MailProbeOptions& opt, int& connections) {
  FactSet f;
  const std::string absent = "implicit TLS port";
  for (const char* n : {kOffered, kUpgrade, kInjection}) f.put(Fact::absent(n, absent));
  f.put(Fact::absent(kBindRefused, absent + ": a bind here travels inside TLS"));
  f.put(Fact::absent(kCaps, absent + ": nothing is advertised before TLS"));
  f.put(Fact::absent(kMechsPlain, absent + ": nothing is advertised before TLS"));
  f.put(Fact::absent(kAuthBefore, absent + ": no byte is exchanged before TLS"));
  NetError err;
  auto conn = open(tcp, connections, err);
  if (!conn) {
    for (const char* n : {kImplicit, kBanner, kMechsTls}) f.put(Fact::unknown(n, err.message));
    return f;
  }
  auto tls = TlsTransport::handshake(std::move(conn), opt.sni, opt.timeout, err);
  if (!tls) {
    for (const char* n : {kImplicit, kBanner, kMechsTls}) f.put(Fact::unknown(n, "TLS handshake: " + err.message));
    return f;
  }
  f.put(Fact::known(kImplicit, true, "TLS handshake on connect: " + tls->description()));
  LineReader reader(*tls);
  Context ctx{*tls, reader, opt.timeout, opt.client_name};
  Session s;
  if ((err = d.greet(ctx, s))) {
    if (d.protocol == Protocol::Ldap || s.banner.empty())
      f.put(d.protocol == Protocol::Ldap ? Fact::absent(kBanner, "LDAP has no greeting: the client speaks first")
                                         : Fact::unknown(kBanner, err.message));
    else
      f.put(Fact::known(kBanner, s.banner, s.banner));
    f.put(Fact::unknown(kMechsTls, err.message));
    return f;
  }
  if (d.protocol == Protocol::Ldap)
    f.put(Fact::absent(kBanner, "LDAP has no greeting: the client speaks first"));
  else
    f.put(Fact::known(kBanner, s.banner, s.banner));
  if (s.capabilities_known)
    f.put(Fact::known(kMechsTls, s.auth_mechs, s.capability_evidence));
  else
    f.put(Fact::unknown(kMechsTls, s.capability_evidence));
  return f;
}

/// The injection test on a fresh connection: STARTTLS and a harmless command in one write.
/// A server that answers the command, in plaintext or later inside TLS, processed bytes that
/// arrived before the TLS handshake (CVE-2011-0411 class).
Fact injection_test(const net::Connector& tcp, const Dialogue& d, const MailProbeOptions& opt, int& connections) {
  NetError err;
  auto conn = open(tcp, connections, err);
  if (!conn) return Fact::unknown(kInjection, err.message);
  LineReader reader(*conn);
  Context ctx{*conn, reader, opt.timeout, opt.client_name};
  Session s;
  if ((err = d.preamble(ctx, s))) return Fact::unknown(kInjection, "second connection: " + err.message);
  UpgradeReply up;
  const std::string injected = d.injected_command();
  if ((err = d.starttls(ctx, injected, up))) return Fact::unknown(kInjection, "STARTTLS: " + err.message);
  /// STARTTLS was accepted on the first connection, so a refusal now is the server rejecting
  /// the pipelined command (slapd: operationsError, RFC 4511 §4.14.1): TLS never starts, so
  /// nothing can be injected into it.
  if (!up.accepted)
    return Fact::known(kInjection, false, "STARTTLS refused when a command was pipelined behind it: " + up.text);
  if (reader.pending().empty()) {
    err = reader.poll_more(opt.injection_wait);
    if (err && reader.pending().empty())
      return Fact::known(kInjection, false,
                         "the server " + err.message + " after STARTTLS instead of answering the pipelined command");
  }
  const std::string what = printable(injected, 60);
  if (!reader.pending().empty()) {
    const std::string& extra = reader.pending();
    if (d.looks_like_reply(extra))
      return Fact::known(kInjection, true, "answered the command pipelined after STARTTLS (" + what +
                                               ") in plaintext: " + printable(extra, 120));
    auto first = static_cast<unsigned char>(extra[0]);
    if (first == 0x15 || first == 0x16)
      return Fact::known(kInjection, false, "the pipelined command was read as TLS (server sent a TLS record)");
    return Fact::unknown(kInjection, "unexpected bytes after the STARTTLS reply: " + printable(extra, 120));
  }
  if (conn->fd() < 0)
    return Fact::known(kInjection, false, "no plaintext answer to the pipelined command (" + what + ") within " +
                                              std::to_string(opt.injection_wait.count()) +
                                              " ms; TLS side not checked (no socket)");
  auto tls = TlsTransport::handshake(std::move(conn), opt.sni, opt.timeout, err);
  if (!tls)
    return Fact::known(kInjection, false,
                       "the pipelined command was not processed: it broke the TLS handshake (" + err.message + ")");
  LineReader inside(*tls);
  err = inside.poll_more(opt.injection_wait);
  if (!inside.pending().empty() && d.looks_like_reply(inside.pending()))
    return Fact::known(kInjection, true, "answered the command pipelined before TLS (" + what +
                                             ") inside TLS: " + printable(inside.pending(), 120));
  if (!inside.pending().empty())
    return Fact::unknown(kInjection, "unexpected unsolicited bytes inside TLS: " + printable(inside.pending(), 120));
  return Fact::known(kInjection, false,
                     "no answer to the pipelined command (" + what + ") in plaintext nor inside TLS within " +
                         std::to_string(opt.injection_wait.count()) + " ms");
}

FactSet probe_dialogue(const net::Connector& tcp, Protocol protocol, TlsMode mode, const MailProbeOptions& opt,
                       int& connections) {
  FactSet f;
  const Dialogue* d = find_dialogue(protocol);
  if (!d) {
    all_unknown(f, std::string(to_string(protocol)) + " is not a mail or directory protocol");
    return f;
  }
  if (mode == TlsMode::Implicit) return probe_implicit(tcp, *d, opt, connections);

  NetError err;
  auto conn = open(tcp, connections, err);
  if (!conn) {
    all_unknown(f, err.message);
    return f;
  }
  LineReader reader(*conn);
  Context ctx{*conn, reader, opt.timeout, opt.client_name};
  Session plain;
  if ((err = d->greet(ctx, plain))) {
    all_unknown(f, err.message);
    if (!plain.banner.empty()) f.put(Fact::known(kBanner, plain.banner, plain.banner));
    return f;
  }
  f.put(Fact::known(kImplicit, false, "plaintext dialogue on connect"));
  put_plain_session(f, protocol, plain);
  /// LDAP: a simple bind with a made-up DN and password, before STARTTLS on the same
  /// connection (a failed bind leaves it anonymous, which StartTLS accepts).
  if (protocol == Protocol::Ldap) f.put(ldap::plaintext_bind(ctx, plain.naming_contexts, err));

  /// STARTTLS is tried even when not advertised: what the server does is the fact.
  UpgradeReply up;
  if ((err = d->starttls(ctx, {}, up))) {
    const std::string why = "STARTTLS: " + err.message;
    f.put(plain.capabilities_known ? Fact::known(kOffered, plain.starttls_offered, plain.capability_evidence)
                                   : Fact::unknown(kOffered, why));
    for (const char* n : {kUpgrade, kInjection, kMechsTls}) f.put(Fact::unknown(n, why));
    return f;
  }
  if (plain.capabilities_known)
    f.put(Fact::known(kOffered, plain.starttls_offered, plain.capability_evidence));
  else  // no capability list (old POP3/NNTP, unreadable RootDSE): the attempt is the evidence
    f.put(Fact::known(kOffered, up.accepted, "not advertised (no capability list); STARTTLS answered: " + up.text));
  if (!up.accepted) {
    f.put(Fact::known(kUpgrade, false, "STARTTLS refused: " + up.text));
    f.put(Fact::absent(kInjection, "STARTTLS refused: " + up.text));
    f.put(Fact::absent(kMechsTls, "STARTTLS refused: " + up.text));
    return f;
  }
  if (!reader.pending().empty()) {
    const std::string why = "server sent " + std::to_string(reader.pending().size()) +
                            " unexpected bytes after STARTTLS reply: " + printable(reader.pending(), 60);
    f.put(Fact::known(kUpgrade, false, why));
    f.put(Fact::unknown(kMechsTls, why));
  } else if (conn->fd() < 0) {
    /// Only scripted transports have no socket; documented: upgrade_ok then means "accepted".
    f.put(Fact::known(kUpgrade, true, "STARTTLS accepted: " + up.text + " (no socket: TLS handshake not attempted)"));
    f.put(Fact::unknown(kMechsTls, "no socket to run TLS over"));
  } else {
    auto tls = TlsTransport::handshake(std::move(conn), opt.sni, opt.timeout, err);
    if (!tls) {
      if (err.kind == NetErrorKind::Timeout)
        f.put(Fact::unknown(kUpgrade, "STARTTLS accepted (" + up.text + ") but TLS handshake: " + err.message));
      else
        f.put(Fact::known(kUpgrade, false, "STARTTLS accepted (" + up.text + ") but TLS handshake failed: " +
                                               err.message));
      f.put(Fact::unknown(kMechsTls, "no TLS session: " + err.message));
    } else {
      f.put(Fact::known(kUpgrade, true, "STARTTLS accepted: " + up.text + "; TLS " + tls->description()));
      LineReader tls_reader(*tls);
      Context tls_ctx{*tls, tls_reader, opt.timeout, opt.client_name, ctx.next_id};
      Session after;
      if ((err = d->after_tls(tls_ctx, after)))
        f.put(Fact::unknown(kMechsTls, "capabilities after TLS: " + err.message));
      else
        f.put(Fact::known(kMechsTls, after.auth_mechs, after.capability_evidence));
    }
  }
  f.put(injection_test(tcp, *d, opt, connections));
  return f;
}

}  // namespace

FactSet probe_mail(const net::Connector& tcp, Protocol protocol, TlsMode mode, const MailProbeOptions& opt,
                   int& connections) {
  FactSet f = probe_dialogue(tcp, protocol, mode, opt, connections);
  if (protocol != Protocol::Ldap) f.put(Fact::absent(kBindRefused, "LDAP only: not a directory port"));
  f.merge(probe_ntlm(tcp, protocol, mode, f, opt, connections));
  return f;
}

}  // namespace pp::mail
