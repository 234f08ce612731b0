#include "probes/cert/legacy_hello.h"

#include <catch2/catch.hpp>

#include "probes/cert/test_certs.h"

using namespace pp;
using namespace pp::cert;
using namespace pp::cert::testing;
using namespace std::string_literals;

namespace {

std::string be(size_t v, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
  return out;
}
std::string record(char type, const std::string& payload, size_t version = 0x0300) {
  return std::string(1, type) + be(version, 2) + be(payload.size(), 2) + payload;
}
std::string message(int type, const std::string& body) { return std::string(1, static_cast<char>(type)) + be(body.size(), 3) + body; }

std::string server_hello_ssl3() { return message(2, be(0x0300, 2) + std::string(32, 'r') + "\0"s + be(0x000a, 2) + "\0"s); }
std::string certificate_msg(const std::vector<std::string>& ders) {
  std::string list;
  for (const auto& d : ders) list += be(d.size(), 3) + d;
  return message(11, be(list.size(), 3) + list);
}

/// A self-signed leaf and its issuer-less sibling, as DER.
struct Ders {
  EvpPkeyPtr key = make_ec_key();
  X509Ptr leaf, other;
  std::string leaf_der, other_der;
  Ders() {
    CertSpec s;
    s.cn = "legacy.example.com";
    s.dns = {"legacy.example.com"};
    leaf = make_cert(s, key.get(), nullptr, key.get(), std::time(nullptr));
    s.cn = "Legacy CA";
    other = make_cert(s, key.get(), nullptr, key.get(), std::time(nullptr));
    leaf_der = cert_der(leaf.get());
    other_der = cert_der(other.get());
  }
};

Ders& ders() {
  static Ders d;
  return d;
}

std::string ssl3_flight() {
  return record('\x16', server_hello_ssl3() + certificate_msg({ders().leaf_der, ders().other_der}) + message(14, ""));
}

std::string ssl2_server_hello(const std::string& cert) {
  const std::string specs = "\x01\x00\x80"s, conn_id(16, 'c');
  std::string msg = "\x04\x00\x01"s + be(0x0002, 2) + be(cert.size(), 2) + be(specs.size(), 2) + be(conn_id.size(), 2) +
                    cert + specs + conn_id;
  return be(0x8000 | msg.size(), 2) + msg;
}

}  // namespace

TEST_CASE("the SSLv3 ClientHello is an SSL 3.0 record offering SSLv3 suites") {
  const std::string random(32, 'R');
  const std::string h = ssl3_client_hello(random);
  REQUIRE(h.size() > 50);
  CHECK(h.substr(0, 3) == "\x16\x03\x00"s);
  CHECK(static_cast<size_t>((static_cast<unsigned char>(h[3]) << 8) | static_cast<unsigned char>(h[4])) == h.size() - 5);
  CHECK(h[5] == '\x01');                       // ClientHello
  CHECK(h.substr(9, 2) == "\x03\x00"s);        // client_version 3.0
  CHECK(h.substr(11, 32) == random);
  CHECK(h[43] == '\0');                        // no session id
  const std::string suites = h.substr(46, static_cast<unsigned char>(h[45]));
  CHECK(suites.find("\x00\x0a"s) != std::string::npos);  // RSA 3DES
  CHECK(suites.find("\x00\x05"s) != std::string::npos);  // RSA RC4
  CHECK(suites.find("\x00\x03"s) != std::string::npos);  // EXPORT RC4-40
  CHECK(h.substr(h.size() - 2) == "\x01\x00"s);          // null compression, no extensions
}

TEST_CASE("the SSLv2 CLIENT-HELLO has a 2-byte header, version 2 and 3-byte cipher kinds") {
  const std::string h = ssl2_client_hello(std::string(16, 'C'));
  REQUIRE(h.size() == 2 + 9 + 7 * 3 + 16);
  CHECK((static_cast<unsigned char>(h[0]) & 0x80) != 0);
  CHECK(static_cast<size_t>(((static_cast<unsigned char>(h[0]) & 0x7f) << 8) | static_cast<unsigned char>(h[1])) == h.size() - 2);
  CHECK(h.substr(2, 3) == "\x01\x00\x02"s);
  CHECK(h.substr(5, 2) == "\x00\x15"s);  // 21 bytes of cipher kinds
  CHECK(h.find("\x01\x00\x80"s) != std::string::npos);
  CHECK(h.substr(h.size() - 16) == std::string(16, 'C'));
}

TEST_CASE("an SSLv3 flight yields its certificates, also across records and reads") {
  const std::string flight = ssl3_flight();
  for (size_t cut = 0; cut < flight.size(); cut += 97) {
    INFO("cut at " << cut);
    CHECK(parse_ssl3_flight(flight.substr(0, cut)).state == LegacyFlight::State::NeedMore);
  }
  LegacyFlight f = parse_ssl3_flight(flight);
  REQUIRE(f.state == LegacyFlight::State::Done);
  CHECK(f.version == "SSLv3");
  CHECK(f.certs == std::vector<std::string>{ders().leaf_der, ders().other_der});

  // The same messages spread over three records, the Certificate split in the middle.
  const std::string msgs = server_hello_ssl3() + certificate_msg({ders().leaf_der}) + message(14, "");
  const size_t half = msgs.size() / 2;
  const std::string split = record('\x16', msgs.substr(0, 10)) + record('\x16', msgs.substr(10, half - 10)) +
                            record('\x16', msgs.substr(half));
  f = parse_ssl3_flight(split);
  REQUIRE(f.state == LegacyFlight::State::Done);
  CHECK(f.certs == std::vector<std::string>{ders().leaf_der});
}

TEST_CASE("SSLv3 failures: alerts, no certificate, malformed lists, huge length fields") {
  LegacyFlight f = parse_ssl3_flight(record('\x15', "\x02\x46"s));
  CHECK(f.state == LegacyFlight::State::Failed);
  CHECK(f.reason.find("alert 70 (protocol version)") != std::string::npos);

  f = parse_ssl3_flight(record('\x16', server_hello_ssl3() + message(14, "")));
  CHECK(f.state == LegacyFlight::State::Failed);
  CHECK(f.reason.find("without a certificate") != std::string::npos);

  f = parse_ssl3_flight(record('\x16', server_hello_ssl3() + message(11, be(99, 3) + be(1, 3) + "x")));
  CHECK(f.state == LegacyFlight::State::Failed);
  CHECK(f.reason.find("malformed") != std::string::npos);

  // A 16 MB length field: the reason names the message, and says "certificate" only for one.
  f = parse_ssl3_flight(record('\x16', "\x02\xff\xff\xff"s));
  CHECK(f.state == LegacyFlight::State::Failed);
  CHECK(f.error == net::NetErrorKind::TooLarge);
  CHECK(f.reason.find("handshake message too large (16777215 bytes announced)") != std::string::npos);
  CHECK(f.reason.find("ServerHello") != std::string::npos);
  f = parse_ssl3_flight(record('\x16', server_hello_ssl3() + "\x0b\xff\xff\xff"s));
  CHECK(f.error == net::NetErrorKind::TooLarge);
  CHECK(f.reason.find("certificate too large (16777215 bytes announced)") != std::string::npos);

  f = parse_ssl3_flight("HTTP/1.0 400 Bad Request\r\n\r\n");
  CHECK(f.state == LegacyFlight::State::Failed);
  CHECK(f.reason.find("not an SSL record") != std::string::npos);
}

TEST_CASE("an SSLv2 SERVER-HELLO carries one certificate; ERROR and alerts are failures") {
  const std::string hello = ssl2_server_hello(ders().leaf_der);
  CHECK(parse_ssl2_server_hello(hello.substr(0, hello.size() - 1)).state == LegacyFlight::State::NeedMore);
  LegacyFlight f = parse_ssl2_server_hello(hello);
  REQUIRE(f.state == LegacyFlight::State::Done);
  CHECK(f.version == "SSLv2");
  CHECK(f.certs == std::vector<std::string>{ders().leaf_der});

  f = parse_ssl2_server_hello("\x80\x03\x00\x00\x01"s);
  CHECK(f.state == LegacyFlight::State::Failed);
  CHECK(f.reason.find("no cipher in common") != std::string::npos);
  f = parse_ssl2_server_hello(record('\x15', "\x02\x46"s));
  CHECK(f.reason.find("alert 70") != std::string::npos);
  f = parse_ssl2_server_hello("\x80\x0b\x04\x00\x01\x00\x02\x00\x40\x00\x00\x00\x00"s);  // 64-byte cert in 0
  CHECK(f.state == LegacyFlight::State::Failed);
  CHECK(f.reason.find("malformed") != std::string::npos);
}

TEST_CASE("fetch_legacy_chain sends the hello and parses the certificates it reads") {
  SECTION("SSLv3, the flight trickling in") {
    net::ScriptedTransport t;
    const std::string flight = ssl3_flight();
    for (size_t i = 0; i < flight.size(); i += 300) t.reply(flight.substr(i, 300));
    t.stall_after();
    PeerChain p = fetch_legacy_chain(t, LegacyProtocol::Ssl3, net::Millis{200});
    INFO(p.reason);
    REQUIRE(p.certs.size() == 2);
    CHECK(X509_cmp(p.certs[0].get(), ders().leaf.get()) == 0);
    CHECK(p.protocol == "SSLv3");
    CHECK(p.raw_hello);
    CHECK(t.written().substr(0, 3) == "\x16\x03\x00"s);
  }
  SECTION("SSLv2") {
    net::ScriptedTransport t;
    t.reply(ssl2_server_hello(ders().leaf_der)).stall_after();
    PeerChain p = fetch_legacy_chain(t, LegacyProtocol::Ssl2, net::Millis{200});
    REQUIRE(p.certs.size() == 1);
    CHECK(p.protocol == "SSLv2");
    CHECK((static_cast<unsigned char>(t.written()[0]) & 0x80) != 0);
  }
  SECTION("bytes that are no certificate") {
    net::ScriptedTransport t;
    t.reply(ssl2_server_hello("\x30\x03\x02\x01\x00"s)).stall_after();
    PeerChain p = fetch_legacy_chain(t, LegacyProtocol::Ssl2, net::Millis{200});
    CHECK(p.certs.empty());
    CHECK(p.reason.find("does not parse as X.509") != std::string::npos);
  }
  SECTION("a silent server times out, a flood is cut off") {
    net::ScriptedTransport t;
    t.stall_after();
    PeerChain p = fetch_legacy_chain(t, LegacyProtocol::Ssl3, net::Millis{100});
    CHECK(p.error == net::NetErrorKind::Timeout);
    net::ScriptedTransport flood;
    for (int i = 0; i < 10; ++i) flood.reply(record('\x16', message(12, std::string(1000, 'k'))));
    flood.stall_after();
    p = fetch_legacy_chain(flood, LegacyProtocol::Ssl3, net::Millis{200}, 4096);
    CHECK(p.error == net::NetErrorKind::TooLarge);
    CHECK(p.reason.find("too large") != std::string::npos);
  }
}
