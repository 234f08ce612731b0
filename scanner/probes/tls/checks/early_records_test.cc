#include <catch2/catch.hpp>

#include "probes/tls/checks/early_records.h"
#include "probes/tls/checks/fake_early_server.h"

using namespace pp;
using namespace pp::tls;
using namespace pp::tls::checks;
using namespace pp::tls::checks::testing;

namespace {
unsigned u16at(const std::string& s, size_t i) {
  return (static_cast<unsigned char>(s[i]) << 8) | static_cast<unsigned char>(s[i + 1]);
}
}  // namespace

TEST_CASE("early_client_hello appends extensions and keeps every length consistent") {
  const std::string plain = early_client_hello(Version::Tls12, {0x002F, 0x0035}, "a.example");
  const std::string more = early_client_hello(Version::Tls12, {0x002F, 0x0035}, "a.example", {{0x000F, "\x01"}});
  REQUIRE(more.size() == plain.size() + 5);
  CHECK(u16at(more, 3) == more.size() - 5);                             // record
  CHECK(((static_cast<unsigned char>(more[6]) << 16) | u16at(more, 7)) == more.size() - 9);  // message
  CHECK(more.substr(more.size() - 5) == std::string("\x00\x0F\x00\x01\x01", 5));
  // SSLv3 hellos carry no extensions at all, so nothing is appended.
  const std::string ssl3 = early_client_hello(Version::Ssl3, {0x000A}, "a.example", {{0x000F, "\x01"}});
  CHECK(ssl3.find(std::string("\x00\x0F\x00\x01\x01", 5)) == std::string::npos);
  CHECK(ssl3.find("a.example") == std::string::npos);
  CHECK(u16at(ssl3, 3) == ssl3.size() - 5);
}

TEST_CASE("read_first_flight reads to ServerHelloDone across records and reads") {
  const std::string flight = server_flight(0x0303, 0x002F, {0xFF01, 0x000F});
  // The same flight split into two records, the second one byte at a time.
  const size_t cut = 20;
  std::string two = make_record(kHandshakeRecord, 0x0303, flight.substr(5, cut)) +
                    make_record(kHandshakeRecord, 0x0303, flight.substr(5 + cut));
  net::ScriptedTransport t;
  t.reply(two.substr(0, 30));
  for (size_t i = 30; i < two.size(); ++i) t.reply(two.substr(i, 1));
  t.stall_after();
  RecordReader r(t, net::Millis(10), 4096);
  FirstFlight f;
  REQUIRE_FALSE(read_first_flight(r, f));
  CHECK(r.bytes_read() == two.size());
  CHECK(f.version == 0x0303);
  CHECK(f.suite == 0x002F);
  CHECK(f.has_extension(0x000F));
  CHECK(f.has_extension(0xFF01));
  CHECK_FALSE(f.alert);
}

TEST_CASE("read_first_flight: an alert is an answer, a close or garbage is an error") {
  SECTION("alert") {
    net::ScriptedTransport t;
    t.reply(alert_record(0x0301, 70));
    RecordReader r(t, net::Millis(10), 4096);
    FirstFlight f;
    REQUIRE_FALSE(read_first_flight(r, f));
    REQUIRE(f.alert);
    CHECK(alert_text(*f.alert) == "fatal alert 70 (protocol_version)");
  }
  SECTION("closed halfway") {
    net::ScriptedTransport t;
    t.reply(server_flight(0x0303, 0x002F, {}).substr(0, 20)).close_after();
    RecordReader r(t, net::Millis(10), 4096);
    FirstFlight f;
    CHECK(read_first_flight(r, f).kind == net::NetErrorKind::Closed);
  }
  SECTION("not TLS") {
    net::ScriptedTransport t;
    t.reply("SSH-2.0-OpenSSH_9.2\r\n");
    RecordReader r(t, net::Millis(10), 4096);
    FirstFlight f;
    CHECK(read_first_flight(r, f).kind == net::NetErrorKind::Malformed);
  }
  SECTION("a byte cap ends an endless stream of warnings") {
    std::string warnings;
    for (int i = 0; i < 1000; ++i) warnings += make_record(kAlertRecord, 0x0303, std::string("\x01\x5A", 2));
    net::ScriptedTransport t;
    t.reply(warnings);
    RecordReader r(t, net::Millis(10), 1024);
    FirstFlight f;
    CHECK(read_first_flight(r, f).kind == net::NetErrorKind::TooLarge);
    CHECK(r.bytes_read() <= 1024);
  }
}

TEST_CASE("version_text names known versions and shows others in hex") {
  CHECK(version_text(0x0303) == "TLSv1.2");
  CHECK(version_text(0x0300) == "SSLv3");
  CHECK(version_text(0x7F1C) == "version 0x7F1C");
}
