#include "probes/tls/handshake.h"

#include <chrono>
#include <cstdio>

#include "core/text.h"
#include "probes/tls/cipher_suites.h"

namespace pp::tls {

namespace {

using Clock = std::chrono::steady_clock;

/// A fatal alert straight after a well-formed hello is the server declining it (handshake_failure,
/// protocol_version, insufficient_security; OpenSSL 3 even answers internal_error to a version
/// its security level forbids). Only the alerts that say our hello itself was bad mean we could
/// not observe.
bool clean_no(uint8_t d) { return !(d == 10 || d == 47 || d == 50 || d == 109 || d == 110); }

/// A timeout of our own wait: the read was given the rest of it and found nothing ("no answer
/// within" is the transport's word for an expired read), or the deadline has come. A wait cut
/// short by someone else (the endpoint budget) keeps that one's words.
bool own_timeout(const net::NetError& e, Clock::time_point deadline) {
  return e.kind == net::NetErrorKind::Timeout &&
         (e.message.rfind("no answer within", 0) == 0 || Clock::now() + net::Millis(20) >= deadline);
}

/// The wait made since the ClientHello: the whole timeout once its deadline has come (the
/// usual case), else what was measured (a wait cut short by someone else). Never the remainder
/// that the last read was given.
net::Millis waited(Clock::time_point sent, Clock::time_point deadline, net::Millis timeout) {
  const auto now = Clock::now();
  if (now + net::Millis(20) >= deadline) return timeout;
  return std::chrono::duration_cast<net::Millis>(now - sent);
}

/// Timeouts in words naming the wait made. Other errors (the endpoint budget, a reset) keep
/// their own words.
std::string waited_text(const net::NetError& e, net::Millis wait, Clock::time_point deadline) {
  if (!own_timeout(e, deadline)) return e.message;
  return "nothing more within " + duration_text(wait) + " of the ClientHello";
}

std::string no_hello_within(const FlightParser& p, net::Millis wait) {
  if (!p.started()) return "no answer within " + duration_text(wait) + " of the ClientHello";
  return "the server sent " + p.received_summary() + " and no ServerHello within " + duration_text(wait) +
         " of the ClientHello";
}

/// Reads the first flight into `p` until it is complete, fails, or the wait is over. False with
/// `a.why` set when no usable flight came; true with the parser's final status otherwise.
bool read_flight(net::Transport& t, FlightParser& p, ReadUntil until, net::Millis timeout, Attempt& a,
                 FlightParser::Status& st) {
  const auto sent = Clock::now();
  const auto deadline = sent + timeout;
  while (st == FlightParser::Status::NeedMore) {
    auto left = std::chrono::duration_cast<net::Millis>(deadline - Clock::now());
    std::string chunk;
    net::NetError e;
    if (left.count() <= 0)
      e = net::NetError::make(net::NetErrorKind::Timeout, "deadline reached");
    else
      e = t.read_some(chunk, 16384, left);
    if (!e) {
      st = p.feed(chunk);
      if (st == FlightParser::Status::NeedMore && p.bytes_seen() > kMaxFlightBytes) {
        if (p.flight().hello) {
          st = p.finish();  // enough: the hello is in, the rest was optional
          return true;
        }
        a.why = "the server sent " + p.received_summary() + " and no ServerHello: stopped reading";
        return false;
      }
      continue;
    }
    if (e.kind == net::NetErrorKind::Closed || p.flight().hello) {
      st = p.finish();  // after a ServerHello, a stall or close only costs us optional data
      if (st == FlightParser::Status::Done && e.kind != net::NetErrorKind::Closed && !p.flight().hello_done &&
          !p.flight().key_exchange && until == ReadUntil::KeyExchange)
        a.kex_missing = "ServerKeyExchange not received: " + waited_text(e, waited(sent, deadline, timeout), deadline);
      return true;
    }
    a.why = own_timeout(e, deadline) ? no_hello_within(p, waited(sent, deadline, timeout)) : e.message;
    return false;
  }
  return true;
}

/// What a complete (or ended) flight means.
void classify(const FlightParser& p, FlightParser::Status st, Attempt& a) {
  a.flight = p.flight();
  if (st == FlightParser::Status::Error) {
    if (p.error().kind == net::NetErrorKind::Closed && !p.started()) {
      a.outcome = Outcome::Refused;
      a.why = "connection closed after the ClientHello";
    } else {
      a.why = p.error().message;
    }
    return;
  }
  if (a.flight.hello || a.flight.ssl2) {
    a.outcome = Outcome::Hello;
    return;
  }
  const Alert al = a.flight.alert.value_or(Alert{2, 0});
  a.why = "alert " + std::to_string(al.description) + " (" + alert_name(al.description) + ")";
  a.outcome = clean_no(al.description) ? Outcome::Refused : Outcome::Failed;
}

}  // namespace

std::string duration_text(net::Millis d) {
  const auto ms = d.count();
  if (ms >= 10000 || ms % 1000 == 0) return std::to_string((ms + 500) / 1000) + " s";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f s", static_cast<double>(ms) / 1000.0);
  return b;
}

std::string suite_name(uint16_t code) {
  const CipherSuite* s = find_suite(code);
  return s ? std::string(s->iana) : text::hex16(code);
}

Attempt exchange_hello(const net::Connector& connect, const HelloSpec& spec, ReadUntil until, net::Millis timeout,
                       int& connections, const std::vector<uint32_t>& ssl2) {
  Attempt a;
  net::NetError err;
  auto t = connect(err);
  if (!t) {
    a.why = err ? err.message : "could not connect";
    return a;
  }
  ++connections;
  const std::string hello = ssl2.empty() ? build_client_hello(spec) : build_ssl2_client_hello(ssl2);
  if (auto e = t->write_all(hello, timeout)) {
    a.why = "sending ClientHello: " + e.message;
    return a;
  }
  FlightParser p(spec, until, ssl2);
  auto st = FlightParser::Status::NeedMore;
  if (!read_flight(*t, p, until, timeout, a, st)) return a;
  t->close();
  classify(p, st, a);
  return a;
}

HelloSpec base_spec(Version v, const std::string& sni) {
  HelloSpec s;
  s.version = v;
  s.suites = suites_for(v);
  s.sni = sni;
  s.groups = groups_to_offer();
  s.extensions = v != Version::Ssl3;
  s.status_request = v >= Version::Tls10;
  s.offer_deflate = v != Version::Tls13;
  if (v >= Version::Tls10) s.alpn = {"h2", "http/1.1"};
  return s;
}

}  // namespace pp::tls
