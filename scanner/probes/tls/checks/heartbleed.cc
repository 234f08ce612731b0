// Heartbleed (CVE-2014-0160): does the server answer a heartbeat request with more payload
// than the request carried? One connection: a TLS 1.0-1.2 ClientHello offering the heartbeat
// extension; when the ServerHello accepts it, right after ServerHelloDone (no key exchange, as
// nmap's ssl-heartbleed does) one heartbeat request whose payload length field claims
// kClaimed bytes while kSent are sent. A patched server drops it silently (RFC 6520 section 4)
// or alerts; an unpatched OpenSSL 1.0.1 answers with kClaimed bytes, the rest read from its
// heap. Only lengths are kept: the bytes of the answer are dropped unread, and the request is
// small so that little of a vulnerable server's memory ever crosses the wire.
#include <string>

#include "probes/tls/checks/check.h"
#include "probes/tls/checks/early_records.h"

namespace pp::tls::checks {

namespace {

constexpr std::string_view kFact = "tls.heartbleed";
constexpr uint16_t kHeartbeatExtension = 0x000F;
constexpr size_t kSent = 16;     ///< payload bytes sent (OpenSSL 1.0.1 wants 1 + 2 + 16 at least)
constexpr size_t kClaimed = 48;  ///< what the payload length field claims
/// Most bytes read after the hello: a vulnerable answer to this request is 3 + 48 + 16 bytes
/// plus a record header; anything far beyond is not an answer to us.
constexpr size_t kMaxBytes = size_t{1} << 18;
/// Most records read while waiting for the heartbeat response (each read at most the timeout).
constexpr int kMaxRecords = 16;

std::string heartbeat_request() {
  std::string m;
  m.push_back(1);  // heartbeat_request
  m.push_back(static_cast<char>(kClaimed >> 8));
  m.push_back(static_cast<char>(kClaimed & 0xFF));
  m.append(kSent, 'P');
  return m;
}

/// What a heartbeat response record says, by lengths only.
std::string describe_response(const Record& rec, size_t& claimed) {
  claimed = rec.body.size() >= 3 ? (static_cast<unsigned char>(rec.body[1]) << 8) | static_cast<unsigned char>(rec.body[2]) : 0;
  return "a heartbeat response of " + std::to_string(rec.body.size()) + " bytes whose payload length field says " +
         std::to_string(claimed);
}

Fact await_response(EarlySession& s, const std::string& asked) {
  const std::string name(kFact);
  for (int i = 0; i < kMaxRecords; ++i) {
    Record rec;
    if (net::NetError e = s.next(rec)) {
      if (e.kind == net::NetErrorKind::Timeout) return Fact::known(name, false, asked + "no answer (" + e.message + "): the request was discarded");
      if (e.kind == net::NetErrorKind::Closed || e.kind == net::NetErrorKind::Reset)
        return Fact::known(name, false, asked + "the server " + (e.kind == net::NetErrorKind::Closed ? "closed" : "reset") + " the connection");
      return Fact::unknown(name, "heartbleed check: " + asked + e.message);
    }
    if (rec.type == kAlertRecord && rec.body.size() >= 2)
      return Fact::known(name, false, asked + "the server answered with a " +
                                          alert_text({static_cast<uint8_t>(rec.body[0]), static_cast<uint8_t>(rec.body[1])}));
    if (rec.type != kHeartbeatRecord || rec.body.empty() || rec.body[0] != 2) continue;
    size_t claimed = 0;
    const std::string what = describe_response(rec, claimed);
    rec.body.clear();  // never kept: past kSent it is the server's memory
    if (claimed > kSent)
      return Fact::known(name, true, asked + "the server answered with " + what + ": " + std::to_string(claimed - kSent) +
                                         " bytes more than were sent (read from its memory; not kept)");
    return Fact::known(name, false, asked + "the server answered with " + what + ", no more than was sent");
  }
  return Fact::unknown(name, "heartbleed check: " + asked + std::to_string(kMaxRecords) + " records and no heartbeat response or alert");
}

Applies applies(const Observation& o) {
  if (!o.highest_legacy || *o.highest_legacy < Version::Tls10)
    return Applies::no("no TLS 1.0-1.2 accepted: heartbeats (and Heartbleed) exist only there");
  return Applies::always();
}

FactSet run(const CheckContext& ctx) {
  const std::string name(kFact);
  const Version v = *ctx.observed.highest_legacy;
  const std::string hello = early_client_hello(v, ctx.observed.at(v).suites, ctx.sni, {{kHeartbeatExtension, std::string(1, '\x01')}});
  EarlySession s = EarlySession::open(ctx.connect, hello, ctx.timeout, kMaxBytes);
  FactSet fs;
  if (!s.held()) {
    fs.put(Fact::unknown(name, "heartbleed check: " + s.why()));
    return fs;
  }
  const std::string version = version_text(s.flight().version);
  if (!s.flight().has_extension(kHeartbeatExtension)) {
    s.close();
    fs.put(Fact::known(name, false, version + " ServerHello without the heartbeat extension: heartbeats not offered, none sent"));
    return fs;
  }
  const std::string asked = version + " ServerHello with the heartbeat extension; a heartbeat request sent after "
                            "ServerHelloDone with " + std::to_string(kSent) + " payload bytes claiming " +
                            std::to_string(kClaimed) + ": ";
  if (net::NetError e = s.send(kHeartbeatRecord, heartbeat_request())) {
    fs.put(Fact::unknown(name, "heartbleed check: sending the heartbeat request: " + e.message));
    return fs;
  }
  fs.put(await_response(s, asked));
  s.close();
  return fs;
}

}  // namespace

Check heartbleed_check() {
  // Costs one connection, and none when no TLS 1.0-1.2 was accepted.
  return {"heartbleed",
          {{kFact, ValueType::Bool, SubjectKind::Endpoint, "tls",
            "the server answers a heartbeat request with more payload than it carried (Heartbleed, CVE-2014-0160; "
            "absent: no TLS 1.0-1.2)"}},
          applies,
          run};
}

}  // namespace pp::tls::checks
