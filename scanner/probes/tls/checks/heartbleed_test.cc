#include <catch2/catch.hpp>

#include "probes/tls/checks/fake_early_server.h"
#include "probes/tls/checks/run_check.h"

using namespace pp;
using namespace pp::tls;
using namespace pp::tls::checks;
using namespace pp::tls::checks::testing;

namespace {

const net::Millis kWait(100);

Fact heartbleed_fact(const CheckRun& r) {
  const Fact* f = r.facts.find("tls.heartbleed");
  REQUIRE(f);
  return *f;
}

/// A heartbeat response claiming `claimed` payload bytes: 3 + claimed + 16 padding, of `fill`.
std::string response(uint16_t claimed, char fill) {
  std::string m = {2, static_cast<char>(claimed >> 8), static_cast<char>(claimed & 0xFF)};
  m.append(claimed + 16u, fill);
  return make_record(kHeartbeatRecord, 0x0303, m);
}

}  // namespace

TEST_CASE("heartbleed applies with TLS 1.0-1.2 only; otherwise absent, nothing sent") {
  const Check& c = table_check("heartbleed");
  CHECK(c.applies(accepting({Version::Tls10})).yes);
  CHECK(c.applies(accepting({Version::Tls12, Version::Tls13})).yes);
  CHECK_FALSE(c.applies(accepting({Version::Tls13})).yes);
  CHECK_FALSE(c.applies(accepting({Version::Ssl3})).yes);
  Script s;
  s.answer = [](int, const Record&) { return std::string(); };
  const CheckRun r = run_check(c, connector_for(s), "", kWait, accepting({Version::Tls13}));
  CHECK(heartbleed_fact(r).state == FactState::Absent);
  CHECK(heartbleed_fact(r).reason.find("no TLS 1.0-1.2") != std::string::npos);
  CHECK(r.connections == 0);
  CHECK(s.written.empty());
}

TEST_CASE("heartbleed over a scripted server") {
  const Check& c = table_check("heartbleed");
  const Observation o = accepting({Version::Tls12});
  Script s;

  SECTION("no heartbeat extension in the ServerHello: not vulnerable, no heartbeat sent") {
    s.answer = [](int i, const Record&) { return i == 0 ? server_flight(0x0303, 0x002F, {0xFF01}) : std::string(); };
    const CheckRun r = run_check(c, connector_for(s), "www.example.com", kWait, o);
    const Fact f = heartbleed_fact(r);
    REQUIRE(f.state == FactState::Known);
    CHECK(f.value == Value(false));
    CHECK(f.evidence.find("without the heartbeat extension") != std::string::npos);
    CHECK(r.connections == 1);
    const auto sent = s.written_records();
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].type == kHandshakeRecord);
    // The hello offers the heartbeat extension (type 15, peer_allowed_to_send) and the SNI.
    CHECK(sent[0].body.find(std::string("\x00\x0F\x00\x01\x01", 5)) != std::string::npos);
    CHECK(sent[0].body.find("www.example.com") != std::string::npos);
  }
  SECTION("answered with the claimed length: vulnerable; lengths kept, bytes not") {
    s.answer = [](int i, const Record& rec) {
      if (i == 0) return server_flight(0x0303, 0x002F, {0xFF01, 0x000F});
      if (rec.type == kHeartbeatRecord) return response(48, 'S');  // 32 bytes past the 16 sent
      return std::string();
    };
    const CheckRun r = run_check(c, connector_for(s), "", kWait, o);
    const Fact f = heartbleed_fact(r);
    REQUIRE(f.state == FactState::Known);
    CHECK(f.value == Value(true));
    CHECK(f.evidence.find("67 bytes") != std::string::npos);
    CHECK(f.evidence.find("says 48") != std::string::npos);
    CHECK(f.evidence.find("32 bytes more than were sent") != std::string::npos);
    CHECK(f.evidence.find("SSSS") == std::string::npos);
    const auto sent = s.written_records();
    REQUIRE(sent.size() == 2);
    // The request: heartbeat_request, claiming 48, carrying 16 bytes.
    CHECK(sent[1].type == kHeartbeatRecord);
    CHECK(sent[1].body.size() == 3 + 16);
    CHECK(sent[1].body.substr(0, 3) == std::string("\x01\x00\x30", 3));
    CHECK(r.connections == 1);
  }
  SECTION("the malformed request discarded (silence): not vulnerable") {
    s.answer = [](int i, const Record&) { return i == 0 ? server_flight(0x0302, 0x002F, {0x000F}) : std::string(); };
    const Fact f = heartbleed_fact(run_check(c, connector_for(s), "", kWait, o));
    REQUIRE(f.state == FactState::Known);
    CHECK(f.value == Value(false));
    CHECK(f.evidence.find("TLSv1.1 ServerHello with the heartbeat extension") != std::string::npos);
    CHECK(f.evidence.find("the request was discarded") != std::string::npos);
  }
  SECTION("an alert or a close: not vulnerable") {
    s.answer = [&s](int i, const Record&) {
      if (i == 0) return server_flight(0x0303, 0x002F, {0x000F});
      s.hang_up = true;
      return alert_record(0x0303, 10);
    };
    const Fact f = heartbleed_fact(run_check(c, connector_for(s), "", kWait, o));
    CHECK(f.value == Value(false));
    CHECK(f.evidence.find("fatal alert 10 (unexpected_message)") != std::string::npos);
  }
  SECTION("a response no longer than the payload sent: not vulnerable") {
    s.answer = [](int i, const Record&) {
      return i == 0 ? server_flight(0x0303, 0x002F, {0x000F}) : response(16, 'P');
    };
    const Fact f = heartbleed_fact(run_check(c, connector_for(s), "", kWait, o));
    CHECK(f.value == Value(false));
    CHECK(f.evidence.find("no more than was sent") != std::string::npos);
  }
  SECTION("not observed: refused connection, hello refused, garbage: unknown with the reason") {
    s.refuse = true;
    const Fact refused = heartbleed_fact(run_check(c, connector_for(s), "", kWait, o));
    CHECK(refused.state == FactState::Unknown);
    CHECK(refused.reason == "heartbleed check: connection refused");
    s.refuse = false;
    s.answer = [](int, const Record&) { return alert_record(0x0303, 40); };
    const Fact alerted = heartbleed_fact(run_check(c, connector_for(s), "", kWait, o));
    CHECK(alerted.state == FactState::Unknown);
    CHECK(alerted.reason.find("refused the ClientHello with a fatal alert 40 (handshake_failure)") != std::string::npos);
    s.answer = [](int, const Record&) { return std::string("HTTP/1.1 400 Bad Request\r\n\r\n"); };
    const Fact garbage = heartbleed_fact(run_check(c, connector_for(s), "", kWait, o));
    CHECK(garbage.state == FactState::Unknown);
    CHECK(garbage.reason.find("not a TLS record") != std::string::npos);
  }
}
