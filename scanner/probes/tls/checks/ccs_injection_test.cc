#include <catch2/catch.hpp>

#include "probes/tls/checks/fake_early_server.h"
#include "probes/tls/checks/run_check.h"

using namespace pp;
using namespace pp::tls;
using namespace pp::tls::checks;
using namespace pp::tls::checks::testing;

namespace {

const net::Millis kWait(100);

Fact ccs_fact(const CheckRun& r) {
  const Fact* f = r.facts.find("tls.ccs_injection");
  REQUIRE(f);
  return *f;
}

}  // namespace

TEST_CASE("ccs_injection applies with SSLv3-TLS 1.2; TLS 1.3 or SSLv2 only: absent") {
  const Check& c = table_check("ccs_injection");
  CHECK(c.applies(accepting({Version::Ssl3})).yes);
  CHECK(c.applies(accepting({Version::Tls12, Version::Tls13})).yes);
  CHECK_FALSE(c.applies(accepting({Version::Tls13})).yes);
  CHECK_FALSE(c.applies(accepting({Version::Ssl2})).yes);
}

TEST_CASE("ccs_injection over a scripted server") {
  const Check& c = table_check("ccs_injection");
  const Observation o = accepting({Version::Tls12});
  Script s;

  SECTION("a patched server: unexpected_message at once, one ChangeCipherSpec sent") {
    s.answer = [](int i, const Record&) {
      return i == 0 ? server_flight(0x0303, 0x002F, {}) : alert_record(0x0303, 10);
    };
    const CheckRun r = run_check(c, connector_for(s), "", kWait, o);
    const Fact f = ccs_fact(r);
    REQUIRE(f.state == FactState::Known);
    CHECK(f.value == Value(false));
    CHECK(f.evidence.find("refused with a fatal alert 10 (unexpected_message)") != std::string::npos);
    CHECK(r.connections == 1);
    const auto sent = s.written_records();
    REQUIRE(sent.size() == 2);
    CHECK(sent[1].type == kChangeCipherSpec);
    CHECK(sent[1].body == std::string(1, '\x01'));
  }
  SECTION("an unpatched server: silence, then bad_record_mac to the second: vulnerable") {
    s.answer = [](int i, const Record&) {
      if (i == 0) return server_flight(0x0303, 0x002F, {});
      if (i == 1) return std::string();  // took it
      return alert_record(0x0303, 20);
    };
    const Fact f = ccs_fact(run_check(c, connector_for(s), "", kWait, o));
    REQUIRE(f.state == FactState::Known);
    CHECK(f.value == Value(true));
    CHECK(f.evidence.find("bad_record_mac") != std::string::npos);
    REQUIRE(s.written_records().size() == 3);
    CHECK(s.written_records()[2].type == kChangeCipherSpec);
  }
  SECTION("silence to both (nothing took the bait, as nmap decides): not vulnerable") {
    s.answer = [](int i, const Record&) { return i == 0 ? server_flight(0x0303, 0x002F, {}) : std::string(); };
    const Fact f = ccs_fact(run_check(c, connector_for(s), "", kWait, o));
    CHECK(f.value == Value(false));
    CHECK(f.evidence.find("no answer either") != std::string::npos);
  }
  SECTION("silence, then unexpected_message to the second: not vulnerable") {
    s.answer = [](int i, const Record&) {
      return i == 0 ? server_flight(0x0303, 0x002F, {}) : i == 1 ? std::string() : alert_record(0x0303, 10);
    };
    CHECK(ccs_fact(run_check(c, connector_for(s), "", kWait, o)).value == Value(false));
  }
  SECTION("a close after the ChangeCipherSpec: not vulnerable") {
    s.answer = [&s](int i, const Record&) {
      if (i > 0) s.hang_up = true;
      return i == 0 ? server_flight(0x0300, 0x002F, {}) : std::string();
    };
    const Fact f = ccs_fact(run_check(c, connector_for(s), "", kWait, accepting({Version::Ssl3})));
    CHECK(f.value == Value(false));
    CHECK(f.evidence.find("SSLv3 handshake") != std::string::npos);
    CHECK(f.evidence.find("closed the connection") != std::string::npos);
  }
  SECTION("the server goes on with a handshake record: vulnerable") {
    s.answer = [](int i, const Record&) {
      return i == 0 ? server_flight(0x0303, 0x002F, {}) : make_record(kHandshakeRecord, 0x0303, std::string(4, '\0'));
    };
    CHECK(ccs_fact(run_check(c, connector_for(s), "", kWait, o)).value == Value(true));
  }
  SECTION("no first flight: unknown with the reason") {
    s.answer = [](int, const Record&) { return std::string(); };
    const Fact f = ccs_fact(run_check(c, connector_for(s), "", kWait, o));
    CHECK(f.state == FactState::Unknown);
    CHECK(f.reason.find("ccs_injection check: reading the answer to the ClientHello: no answer within") == 0);
  }
}
