#include "probes/tls/extras.h"

#include <catch2/catch.hpp>

using namespace pp;
using namespace pp::tls;

namespace {

Attempt hello_with(Version v, uint16_t suite, std::string alpn = {}) {
  Attempt a;
  a.outcome = Outcome::Hello;
  a.flight.hello = ServerHello{};
  a.flight.hello->version = v;
  a.flight.hello->suite = suite;
  a.flight.hello->alpn = std::move(alpn);
  return a;
}

Attempt alert(uint8_t d) {
  Attempt a;
  a.outcome = d == 120 ? Outcome::Failed : Outcome::Refused;
  a.flight.alert = Alert{2, d};
  return a;
}

}  // namespace

TEST_CASE("server order rides on the third TLS 1.2 connection: the two known suites appended, reversed") {
  Observation o;
  TlsProbeOptions opt;
  o.at(Version::Tls12).suites = {0xC02F, 0xC030};
  HelloSpec spec;
  spec.suites = {0x002F};
  const Ride r = plan_ride(o, opt, Version::Tls12, false, spec);
  CHECK(r.order);
  CHECK_FALSE(r.alpn);
  CHECK(spec.suites == std::vector<uint16_t>{0x002F, 0xC030, 0xC02F});
  // The server picks the first suite it chose again: server order, and nothing new learnt.
  CHECK(note_ride(o, opt, Version::Tls12, false, r, o.at(Version::Tls12), hello_with(Version::Tls12, 0xC02F)) ==
        RideNext::Skip);
  REQUIRE(o.server_order);
  CHECK(std::get<bool>(o.server_order->value));
  CHECK(o.order_tried);
  // Settled: no further connection carries it.
  HelloSpec next;
  CHECK_FALSE(plan_ride(o, opt, Version::Tls12, false, next).order);
}

TEST_CASE("ALPN rides on the second connection; no_application_protocol retries without it") {
  Observation o;
  TlsProbeOptions opt;
  VersionResult before;  // first connection: nothing accepted yet
  HelloSpec first;
  first.alpn = {"h2", "http/1.1"};
  const Ride r1 = plan_ride(o, opt, Version::Tls12, true, first);
  CHECK_FALSE(r1.alpn);
  CHECK(note_ride(o, opt, Version::Tls12, true, r1, before, hello_with(Version::Tls12, 0xC02F, "h2")) == RideNext::Count);
  CHECK(o.alpn_first == "h2");
  CHECK(o.alpn_other == "http/1.1");
  o.at(Version::Tls12).suites = {0xC02F};
  HelloSpec second;
  second.alpn = {"h2", "http/1.1"};
  const Ride r2 = plan_ride(o, opt, Version::Tls12, true, second);
  CHECK(r2.alpn);
  CHECK(second.alpn == std::vector<std::string>{"http/1.1"});
  CHECK(note_ride(o, opt, Version::Tls12, true, r2, o.at(Version::Tls12), alert(120)) == RideNext::Retry);
  REQUIRE(o.alpn_other_ok);
  CHECK_FALSE(*o.alpn_other_ok);
}
