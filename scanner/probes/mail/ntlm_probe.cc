#include "probes/mail/ntlm_probe.h"

#include <algorithm>

#include "probes/connect/dialogue.h"
#include "probes/connect/sasl_ntlm.h"
#include "probes/mail/tls_session.h"
#include "probes/ntlm/challenge_facts.h"

namespace pp::mail {

using connect::Context;
using connect::LineReader;
using connect::NtlmExchange;
using connect::Session;
using net::NetError;
using net::NetErrorKind;

namespace {

constexpr const char* kPrefix = "mail.ntlm.";
constexpr const char* kOffered = "mail.ntlm.offered";

/// Where NTLM is advertised: before TLS, inside TLS, nowhere, or not known.
enum class Where { Plain, Tls, Nowhere, Unknown };

bool lists_ntlm(const Fact* f) {
  if (!f || f->state != FactState::Known || !std::holds_alternative<StringList>(f->value)) return false;
  const auto& l = std::get<StringList>(f->value);
  return std::find(l.begin(), l.end(), "NTLM") != l.end();
}

Where where_offered(const FactSet& d, std::string& evidence) {
  const Fact* plain = d.find("mail.auth_mechs.plain");
  const Fact* tls = d.find("mail.auth_mechs.tls");
  if (lists_ntlm(plain)) {
    evidence = "NTLM advertised before TLS: " + plain->evidence;
    return Where::Plain;
  }
  if (lists_ntlm(tls)) {
    evidence = "NTLM advertised inside TLS: " + tls->evidence;
    return Where::Tls;
  }
  const bool plain_known = plain && plain->state != FactState::Unknown;
  const bool tls_known = tls && tls->state != FactState::Unknown;
  if (plain_known && tls_known) {
    evidence = "no NTLM among the mechanisms advertised before or inside TLS";
    return Where::Nowhere;
  }
  evidence = "the mechanisms could not be read: " + (!tls_known && tls ? tls->reason : plain ? plain->reason : "");
  return Where::Unknown;
}

/// A fresh connection brought to where NTLM is offered; null with `err` when it could not be.
std::unique_ptr<net::Transport> reach(const net::Connector& tcp, const connect::Dialogue& d, TlsMode mode, Where w,
                                      const MailProbeOptions& opt, int& connections, int& next_id, NetError& err) {
  ++connections;
  std::unique_ptr<net::Transport> conn = tcp(err);
  if (!conn) return nullptr;
  if (mode == TlsMode::Implicit) {
    conn = TlsTransport::handshake(std::move(conn), opt.sni, opt.timeout, err);
    if (!conn) return nullptr;
  }
  LineReader reader(*conn);
  Context ctx{*conn, reader, opt.timeout, opt.client_name};
  Session s;
  if ((err = d.greet(ctx, s))) return nullptr;
  if (mode == TlsMode::Implicit || w == Where::Plain) {
    next_id = ctx.next_id;
    return conn;
  }
  connect::UpgradeReply up;
  if ((err = d.starttls(ctx, {}, up))) return nullptr;
  if (!up.accepted) {
    err = NetError::make(NetErrorKind::Other, "STARTTLS refused: " + up.text);
    return nullptr;
  }
  auto tls = TlsTransport::handshake(std::move(conn), opt.sni, opt.timeout, err);
  if (!tls) return nullptr;
  LineReader tls_reader(*tls);
  Context tls_ctx{*tls, tls_reader, opt.timeout, opt.client_name, ctx.next_id};
  if ((err = d.after_tls(tls_ctx, s))) return nullptr;
  next_id = tls_ctx.next_id;
  return tls;
}

}  // namespace

FactSet probe_ntlm(const net::Connector& tcp, Protocol protocol, TlsMode mode, const FactSet& dialogue,
                   const MailProbeOptions& opt, int& connections) {
  FactSet f;
  const connect::Dialogue* d = connect::find_dialogue(protocol);
  if (!d || (protocol != Protocol::Smtp && protocol != Protocol::Imap && protocol != Protocol::Pop3)) {
    const std::string why = "no NTLM SASL exchange on " + std::string(to_string(protocol));
    f.put(Fact::absent(kOffered, why));
    ntlm::put_challenge_facts_all(f, kPrefix, FactState::Absent, why);
    return f;
  }
  std::string evidence;
  const Where w = where_offered(dialogue, evidence);
  if (w == Where::Unknown || w == Where::Nowhere) {
    f.put(w == Where::Unknown ? Fact::unknown(kOffered, evidence) : Fact::known(kOffered, false, evidence));
    ntlm::put_challenge_facts_all(f, kPrefix, w == Where::Unknown ? FactState::Unknown : FactState::Absent,
                                  w == Where::Unknown ? evidence : "NTLM is not offered");
    return f;
  }
  f.put(Fact::known(kOffered, true, evidence));
  NetError err;
  int next_id = 1;
  auto conn = reach(tcp, *d, mode, w, opt, connections, next_id, err);
  if (!conn) {
    ntlm::put_challenge_facts_all(f, kPrefix, FactState::Unknown, "NTLM exchange connection: " + err.message);
    return f;
  }
  LineReader reader(*conn);
  Context ctx{*conn, reader, opt.timeout, opt.client_name, next_id};
  NtlmExchange ex;
  if ((err = connect::sasl_ntlm(ctx, protocol, ex))) {
    ntlm::put_challenge_facts_all(f, kPrefix, FactState::Unknown, "NTLM exchange: " + err.message);
    return f;
  }
  connect::say_goodbye(ctx, protocol);
  ntlm::put_challenge_facts(f, kPrefix, ex.challenged ? ex.token : std::string(), ex.evidence + ": ",
                            "the NEGOTIATE got no CHALLENGE (" + ex.refusal + ")");
  return f;
}

}  // namespace pp::mail
