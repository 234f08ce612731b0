// CCS injection (CVE-2014-0224): does the server take a ChangeCipherSpec before the key
// exchange? One connection: a ClientHello at the highest SSLv3-TLS 1.2 version accepted, then
// right after ServerHelloDone a ChangeCipherSpec. A patched server refuses it at once (fatal
// unexpected_message) or hangs up. When nothing comes within the timeout, a second
// ChangeCipherSpec forces the question, as nmap's ssl-ccs-injection does: an unpatched OpenSSL
// took the first one and switched to keys made from an empty master secret, so it cannot read
// the second and says so (bad_record_mac, decryption_failed), or proceeds; a patched one says
// unexpected_message; silence or a close says nothing took the bait (nmap: not vulnerable).
#include <string>

#include "probes/tls/checks/check.h"
#include "probes/tls/checks/early_records.h"

namespace pp::tls::checks {

namespace {

constexpr std::string_view kFact = "tls.ccs_injection";
constexpr uint8_t kUnexpectedMessage = 10;
/// Most bytes read on the connection (a first flight with its certificate chain, two answers).
constexpr size_t kMaxBytes = size_t{1} << 18;

Alert alert_of(const Record& rec) {
  return {static_cast<uint8_t>(rec.body.size() >= 2 ? rec.body[0] : 0), static_cast<uint8_t>(rec.body.size() >= 2 ? rec.body[1] : 0)};
}

std::string record_text(const Record& rec) {
  if (rec.type == kAlertRecord) return "a " + alert_text(alert_of(rec));
  return "a record of type " + std::to_string(rec.type) + " (" + std::to_string(rec.body.size()) + " bytes)";
}

bool is_close(const net::NetError& e) {
  return e.kind == net::NetErrorKind::Closed || e.kind == net::NetErrorKind::Reset;
}

/// The answer to the second ChangeCipherSpec, sent after the first met silence.
Fact second_answer(EarlySession& s, const std::string& asked) {
  const std::string name(kFact);
  const std::string second = asked + "no answer within the timeout; a second ChangeCipherSpec: ";
  if (net::NetError e = s.send(kChangeCipherSpec, std::string(1, '\x01')))
    return is_close(e) ? Fact::known(name, false, second + "the connection was gone (" + e.message + ")")
                       : Fact::unknown(name, "ccs_injection check: sending the second ChangeCipherSpec: " + e.message);
  Record rec;
  if (net::NetError e = s.next(rec)) {
    if (is_close(e) || e.kind == net::NetErrorKind::Timeout)
      return Fact::known(name, false, second + "no answer either (" + e.message + "): neither was taken");
    return Fact::unknown(name, "ccs_injection check: " + second + e.message);
  }
  if (rec.type == kAlertRecord && alert_of(rec).description == kUnexpectedMessage)
    return Fact::known(name, false, second + "refused with " + record_text(rec));
  return Fact::known(name, true, second + "answered with " + record_text(rec) +
                                     ": the first was taken (keys from an empty master secret)");
}

Applies applies(const Observation& o) {
  if (!o.highest_legacy) return Applies::no("no SSLv3-TLS 1.2 accepted: TLS 1.3 and SSLv2 have no such ChangeCipherSpec");
  return Applies::always();
}

FactSet run(const CheckContext& ctx) {
  const std::string name(kFact);
  const Version v = *ctx.observed.highest_legacy;
  EarlySession s = EarlySession::open(ctx.connect, early_client_hello(v, ctx.observed.at(v).suites, ctx.sni),
                                      ctx.timeout, kMaxBytes);
  FactSet fs;
  if (!s.held()) {
    fs.put(Fact::unknown(name, "ccs_injection check: " + s.why()));
    return fs;
  }
  const std::string asked = version_text(s.flight().version) + " handshake, a ChangeCipherSpec sent right after "
                                                               "ServerHelloDone: ";
  if (net::NetError e = s.send(kChangeCipherSpec, std::string(1, '\x01'))) {
    fs.put(Fact::unknown(name, "ccs_injection check: sending the ChangeCipherSpec: " + e.message));
    return fs;
  }
  Record rec;
  const net::NetError e = s.next(rec);
  if (!e && rec.type == kAlertRecord && alert_of(rec).level == 2)
    fs.put(Fact::known(name, false, asked + "refused with " + record_text(rec)));
  else if (!e && rec.type != kAlertRecord)
    fs.put(Fact::known(name, true, asked + "the server went on with " + record_text(rec)));
  else if (is_close(e))
    fs.put(Fact::known(name, false, asked + "the server " + (e.kind == net::NetErrorKind::Closed ? "closed" : "reset") +
                                        " the connection"));
  else if (!e || e.kind == net::NetErrorKind::Timeout)  // silence (or a warning alert): ask again
    fs.put(second_answer(s, asked));
  else
    fs.put(Fact::unknown(name, "ccs_injection check: " + asked + e.message));
  s.close();
  return fs;
}

}  // namespace

Check ccs_injection_check() {
  // Costs one connection (none when no SSLv3-TLS 1.2 was accepted); at most two timeouts of
  // waiting after the hello, the second only when the first ChangeCipherSpec met silence.
  return {"ccs_injection",
          {{kFact, ValueType::Bool, SubjectKind::Endpoint, "tls",
            "the server takes a ChangeCipherSpec sent before the key exchange (CCS injection, CVE-2014-0224; absent: "
            "no SSLv3-TLS 1.2)"}},
          applies,
          run};
}

}  // namespace pp::tls::checks
