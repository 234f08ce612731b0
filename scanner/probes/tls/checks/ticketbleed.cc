// Ticketbleed (CVE-2016-9244, F5 BIG-IP): does the server echo a short session ID padded with
// bytes of its own when a client resumes with a session ticket? Two connections at most, as
// testssl.sh's run_ticketbleed does. First, a finished TLS 1.0-1.2 handshake offering an empty
// SessionTicket extension (OpenSSL over memory BIOs, checks/openssl_pump.h: the ticket comes in
// a NewSessionTicket after the client's Finished). No ticket -> false, nothing more sent.
// Second, a raw ClientHello resuming with that ticket and a 16-byte session ID (0x01..0x10);
// RFC 5077 has the server echo the client's session ID when it accepts the ticket, and BIG-IP
// echoed 32 bytes whatever the length sent: ours, then 16 bytes of its memory. Vulnerable = the
// echoed ID is longer than ours and starts with it. Only lengths are kept: the ServerHello is
// dropped once its session ID is compared, and nothing read is printed.
#include <openssl/ssl.h>

#include <string>
#include <utility>
#include <vector>

#include "probes/tls/checks/check.h"
#include "probes/tls/checks/early_records.h"
#include "probes/tls/checks/openssl_pump.h"

namespace pp::tls::checks {

namespace {

constexpr std::string_view kFact = "tls.ticketbleed";
constexpr uint16_t kSessionTicketExtension = 0x0023;
constexpr uint16_t kExtendedMasterSecret = 0x0017;
constexpr uint8_t kServerHello = 2;
constexpr uint8_t kHelloRequest = 0;
/// Our session ID: shorter than 32 bytes, recognisable at the start of an echo.
constexpr size_t kOurIdLength = 16;
/// Longest ticket sent back: the resumption hello stays one record (tickets run to hundreds of
/// bytes; BIG-IP's were 194).
constexpr size_t kMaxTicket = 8192;
/// Most bytes and records read on the second connection waiting for the ServerHello.
constexpr size_t kMaxBytes = size_t{1} << 16;
constexpr int kMaxRecords = 16;

std::string our_session_id() {
  std::string id;
  for (size_t i = 1; i <= kOurIdLength; ++i) id.push_back(static_cast<char>(i));
  return id;
}

/// What the first handshake gave: a session (version, suite) and its ticket, or why not.
struct Session {
  bool done = false;
  uint16_t version = 0;
  uint16_t suite = 0;
  bool extended_master_secret = false;  ///< negotiated: a resumption must offer it again
  std::string ticket;  ///< empty: the server issued none
  std::string why;     ///< when not done
};

SslCtxPtr client_context() {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return ctx;
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_VERSION);
  SSL_CTX_set_max_proto_version(ctx.get(), TLS1_2_VERSION);  // TLS 1.3 tickets are another thing
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_cipher_list(ctx.get(), "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  // Session tickets stay on (OpenSSL's default): the hello offers an empty SessionTicket extension.
  SSL_CTX_set_options(ctx.get(), SSL_OP_LEGACY_SERVER_CONNECT);
  return ctx;
}

/// One connection: a finished handshake, then the session OpenSSL kept.
Session first_handshake(const CheckContext& cx) {
  Session out;
  SslCtxPtr ctx = client_context();
  SslPtr ssl = ctx ? memory_client(ctx.get(), cx.sni) : nullptr;
  if (!ssl) {
    out.why = "cannot create a TLS session";
    return out;
  }
  net::NetError err;
  auto t = cx.connect(err);
  if (!t) {
    out.why = err ? err.message : std::string("could not connect");
    return out;
  }
  Pump pump(ssl.get(), *t, cx.timeout, Pump::Clock::now() + 3 * cx.timeout);
  const bool finished = pump.run([&] { return SSL_do_handshake(ssl.get()); });
  t->close();
  if (!finished) {
    out.why = "the first handshake did not complete: " + (pump.net_error ? pump.net_error.message : pump.why);
    return out;
  }
  const SSL_SESSION* s = SSL_get_session(ssl.get());
  if (!s) {
    out.why = "the first handshake left no session";
    return out;
  }
  out.done = true;
  out.extended_master_secret = SSL_get_extms_support(ssl.get()) == 1;
  out.version = static_cast<uint16_t>(SSL_SESSION_get_protocol_version(s));
  const SSL_CIPHER* c = SSL_SESSION_get0_cipher(s);
  out.suite = c ? SSL_CIPHER_get_protocol_id(c) : 0;
  const unsigned char* ticket = nullptr;
  size_t len = 0;
  SSL_SESSION_get0_ticket(s, &ticket, &len);
  if (ticket && len > 0) out.ticket.assign(reinterpret_cast<const char*>(ticket), len);
  return out;
}

/// The resumption hello: the session's suite first (then the others the enumeration saw
/// accepted at its version), the ticket in the SessionTicket extension, our session ID.
std::string resumption_hello(const CheckContext& cx, const Session& s) {
  std::vector<uint16_t> suites{s.suite};
  for (uint16_t x : cx.observed.at(static_cast<Version>(s.version)).suites)
    if (x != s.suite) suites.push_back(x);
  // A session with the extended master secret resumes only when the hello offers it again
  // (RFC 7627 section 5.3: OpenSSL refuses with handshake_failure otherwise).
  std::vector<std::pair<uint16_t, std::string>> extra;
  if (s.extended_master_secret) extra.emplace_back(kExtendedMasterSecret, std::string());
  extra.emplace_back(kSessionTicketExtension, s.ticket);
  std::string rec = early_client_hello(static_cast<Version>(s.version), suites, cx.sni, extra);
  // Record header 5, message header 4, version 2, random 32: the session ID length, empty in
  // our hellos below TLS 1.3. Ours goes there, and the record and message lengths grow by it.
  constexpr size_t kIdAt = 5 + 4 + 2 + 32;
  if (rec.size() <= kIdAt || rec[kIdAt] != 0) return {};
  rec[kIdAt] = static_cast<char>(kOurIdLength);
  rec.insert(kIdAt + 1, our_session_id());
  const size_t msg = rec.size() - 9;
  rec[6] = static_cast<char>(msg >> 16);
  rec[7] = static_cast<char>((msg >> 8) & 0xFF);
  rec[8] = static_cast<char>(msg & 0xFF);
  const size_t body = rec.size() - 5;
  rec[3] = static_cast<char>(body >> 8);
  rec[4] = static_cast<char>(body & 0xFF);
  return rec;
}

/// The session ID a ServerHello body carries; false when the body is too short to hold one.
bool session_id_of(std::string_view hello, std::string& id) {
  constexpr size_t kLenAt = 2 + 32;  // version, random
  if (hello.size() <= kLenAt) return false;
  const size_t n = static_cast<unsigned char>(hello[kLenAt]);
  if (n > 32 || hello.size() < kLenAt + 1 + n) return false;
  id.assign(hello.substr(kLenAt + 1, n));
  return true;
}

/// The verdict on the echoed session ID, in lengths only.
Fact judge_echo(const std::string& echoed, const std::string& asked) {
  const std::string name(kFact);
  const std::string ours = our_session_id();
  const std::string got = "the ServerHello carries a " + std::to_string(echoed.size()) + "-byte session ID";
  if (echoed.size() > ours.size() && echoed.compare(0, ours.size(), ours) == 0)
    return Fact::known(name, true, asked + got + " starting with ours: " + std::to_string(echoed.size() - ours.size()) +
                                       " bytes beyond it came from the server (not kept)");
  if (echoed == ours) return Fact::known(name, false, asked + got + ", ours as sent");
  if (echoed.empty()) return Fact::known(name, false, asked + "the ServerHello carries no session ID");
  return Fact::known(name, false, asked + got + " of its own (not ours)");
}

/// Reads the answer to the resumption hello up to its ServerHello and judges it.
Fact read_answer(net::Transport& t, net::Millis timeout, const std::string& asked) {
  const std::string name(kFact);
  RecordReader reader(t, timeout, kMaxBytes);
  std::string hs;  // handshake bytes awaiting a whole message
  for (int i = 0; i < kMaxRecords; ++i) {
    Record rec;
    if (net::NetError e = reader.next(rec)) {
      if (e.kind == net::NetErrorKind::Closed || e.kind == net::NetErrorKind::Reset)
        return Fact::known(name, false, asked + "the server " + (e.kind == net::NetErrorKind::Closed ? "closed" : "reset") +
                                            " the connection instead of a ServerHello");
      return Fact::unknown(name, "ticketbleed check: " + asked + e.message);
    }
    if (rec.type == kAlertRecord && rec.body.size() >= 2)
      return Fact::known(name, false, asked + "the server refused it with a " +
                                          alert_text({static_cast<uint8_t>(rec.body[0]), static_cast<uint8_t>(rec.body[1])}));
    if (rec.type != kHandshakeRecord)
      return Fact::unknown(name, "ticketbleed check: " + asked + "a record of type " + std::to_string(rec.type) + " before the ServerHello");
    hs += rec.body;
    while (hs.size() >= 4) {
      const size_t len = (static_cast<size_t>(static_cast<unsigned char>(hs[1])) << 16) |
                         (static_cast<size_t>(static_cast<unsigned char>(hs[2])) << 8) | static_cast<unsigned char>(hs[3]);
      if (hs.size() < 4 + len) break;
      const auto type = static_cast<uint8_t>(hs[0]);
      if (type == kHelloRequest) {
        hs.erase(0, 4 + len);
        continue;
      }
      std::string echoed;
      if (type != kServerHello || !session_id_of(std::string_view(hs).substr(4, len), echoed))
        return Fact::unknown(name, "ticketbleed check: " + asked + "a handshake message of type " + std::to_string(type) +
                                       " where a ServerHello was expected");
      hs.clear();  // never kept: past our bytes, an echo is the server's memory
      return judge_echo(echoed, asked);
    }
  }
  return Fact::unknown(name, "ticketbleed check: " + asked + std::to_string(kMaxRecords) + " records and no ServerHello");
}

Applies applies(const Observation& o) {
  if (!o.highest_legacy || *o.highest_legacy < Version::Tls10)
    return Applies::no("no TLS 1.0-1.2 accepted: Ticketbleed is a TLS 1.0-1.2 session-ticket resumption bug");
  return Applies::always();
}

FactSet run(const CheckContext& cx) {
  const std::string name(kFact);
  FactSet fs;
  const Session s = first_handshake(cx);
  if (!s.done) {
    fs.put(Fact::unknown(name, "ticketbleed check: " + s.why));
    return fs;
  }
  const std::string version = version_text(s.version);
  if (s.ticket.empty()) {
    fs.put(Fact::known(name, false, version + " handshake offering the SessionTicket extension: no session tickets (none issued)"));
    return fs;
  }
  if (s.ticket.size() > kMaxTicket) {
    fs.put(Fact::unknown(name, "ticketbleed check: a session ticket of " + std::to_string(s.ticket.size()) +
                                   " bytes, longer than the check sends back (" + std::to_string(kMaxTicket) + ")"));
    return fs;
  }
  const std::string hello = resumption_hello(cx, s);
  const std::string asked = version + " resumption with the server's " + std::to_string(s.ticket.size()) + "-byte session ticket and a " +
                            std::to_string(kOurIdLength) + "-byte session ID: ";
  net::NetError err;
  auto t = hello.empty() ? nullptr : cx.connect(err);
  if (!t) {
    fs.put(Fact::unknown(name, "ticketbleed check: " + (hello.empty() ? std::string("cannot build the resumption hello")
                                                                      : err ? err.message : std::string("could not connect"))));
    return fs;
  }
  if (net::NetError e = t->write_all(hello, cx.timeout)) {
    fs.put(Fact::unknown(name, "ticketbleed check: sending the resumption hello: " + e.message));
    return fs;
  }
  fs.put(read_answer(*t, cx.timeout, asked));
  t->close();
  return fs;
}

}  // namespace

Check ticketbleed_check() {
  // Costs two connections (one when the server issues no ticket), none when no TLS 1.0-1.2 was accepted.
  return {"ticketbleed",
          {{kFact, ValueType::Bool, SubjectKind::Endpoint, "tls",
            "resuming with a session ticket and a session ID shorter than 32 bytes, the server echoes a longer ID "
            "starting with the client's: the rest is its memory (Ticketbleed, CVE-2016-9244; false when it issues no "
            "tickets; absent: no TLS 1.0-1.2)"}},
          applies,
          run};
}

}  // namespace pp::tls::checks
