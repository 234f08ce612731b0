#include "probes/tls/server_hello.h"

#include <catch2/catch.hpp>

using namespace pp;
using namespace pp::tls;

namespace {

// Handshake messages recorded from Debian 12's `openssl s_server` (OpenSSL 3.0) with
// `openssl s_client -msg`, then wrapped in records by the helpers below.
const char* const kEcdhe =
    "0200003d03032a2f39baad020141742a1d6c17e61ab728edaeb1dc360d2b444f574e4752440100c02f000015ff010001"
    "00000b00040300010200230000001700000c00012803001d2047903f6c971dc1502d261e1f9d09763123420b3060f139"
    "fed35a895f12cb0c6c080401004952191391c3de850c9bd5bd04f61b6c29feeb15c4658e74682521a24fc27232f48be9"
    "8572999772b9e6a26181b218fd50d2dd0013c9790759a31c538296da1529fca610c30a2838713da624ce018810ca6490"
    "217c5ad4db6e7b0acae3621004820c470265a2f96aa583bd4ec50da9cac8b7310c0f3d29356d43867cc6a6ee51e7f384"
    "bee0405d02deda3258622f6111a409abfe29fea337496b0e5704d064f04d849fac19429d2cfa076e0c98253a23c4e4a5"
    "1860ce45287019034c3c9c686e58f65de6780d6247698f418e9aa2ce31f24e241b752b087630fe1e8d0719a53f3ec305"
    "389fa1f2afb81a0556aa25019b0c11f48dc4f776b87bd3a519e17ff2750e000000";
const char* const kDhe =
    "020000390303f09bd54974cd190034a5f3559b350d61b1eaea9da44ddac4444f574e47524401000033000011ff010001"
    "000023000000160000001700000c00020b0080f0ed2e22cfb62c1296db0cb75079a838f10780ec350fae4255337192c7"
    "30c067510c5171eafd2c2b833b28580c222e1b0e48ac19663a4140928df5b7692361001bc94c9c94adba1fe06234d8e1"
    "cae2db45614a4891d7df2e110853293d2eb363989b4928948ce064ac1fd637e0f727cb1e297fddc9f06fd5a18a72b55f"
    "a765870001020080750aebd31d559705f7508e897b3fec0fd61deeabca5a28b186a59c9b6ce84e974121e5f2a18c8704"
    "bf61036bbbebd1a4d3e5699f85ae50fc9e6eec7fe6efdee7f4cf66e60adb02b5d5bb4d2099ebf51bb951b5c5d4be1bab"
    "5343051ee16ceeea7d0b1f96959bc04e438bf9e26eb8b41167606ab6e162bf7086cf661dc363f876080401002d9f3ae5"
    "fad5b9f9b6dc39d6f8b1646ddf5661d29931bf5b6d24ce6cbafd737ee973326abffcf4d55343ee2ad46629e0c8ce6d02"
    "246c9a7fe2ba959611e6cf1b6b30e5ae8173776f78ec495eb60b394b93a009f01201baa97af3d8d0c728a89c953ba85f"
    "ad70bf2a803e199ded9485b9a418759a1f1d3e7d28d2fd6eb47f62dd6dc0fdb3dd0cdb1b23c77107e80b9b0cc31389a9"
    "fa3f606f12073c41f41d4711df0c812c2652f2d5e50c3c84a135be430d7d6ee7813bd339bc6260ab3eb694c9f1f052bd"
    "ced1c5671c86fe3a3caee0e06c9961d282899a1cc554edbb1691c1cabb0e427734b428d81b0fd8d291cd40674520cc70"
    "bcd5c1effe9b76f295d10c91";
const char* const kTls10 =
    "020000390301fc0f77e463342247c6708cdd7f0a13467dfaacb70feab537444f574e4752440000002f000011ff010001"
    "000023000000160000001700000e000000";
const char* const kTls13 =
    "020000760303e4b3b155a1997e4c7fe273d0f79b822e89e71ef4aaee24748d1b5517815130e72043ba2ac7593d1d6918"
    "daed34ad9a380bd28916b939f40ecaca031e06b5e06427130200002e002b0002030400330024001d00204603b26a4f3b"
    "b28f18e0df65581446b375bfcae8e8991733909677d1a2e07366";
const char* const kHrr =
    "020000540303cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c20e4a5709190bc9b983b"
    "f6abc7ba50c065fcfe9e100e6a075881c5fac0914f786a130200000c002b00020304003300020018";

std::string unhex(std::string_view h) {
  std::string o;
  for (size_t i = 0; i + 1 < h.size(); i += 2) o.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return o;
}

std::string record(uint8_t type, uint16_t version, const std::string& body) {
  std::string r;
  r.push_back(static_cast<char>(type));
  r.push_back(static_cast<char>(version >> 8));
  r.push_back(static_cast<char>(version & 0xFF));
  r.push_back(static_cast<char>(body.size() >> 8));
  r.push_back(static_cast<char>(body.size() & 0xFF));
  return r + body;
}

HelloSpec offer(Version v) {
  HelloSpec s;
  s.version = v;
  s.suites = suites_for(v);
  s.groups = groups_to_offer();
  return s;
}

}  // namespace

TEST_CASE("recorded TLS 1.2 ECDHE flight: hello, extensions and curve") {
  FlightParser p(offer(Version::Tls12), ReadUntil::KeyExchange);
  const std::string bytes = record(22, 0x0303, unhex(kEcdhe));
  // Fed one byte at a time: the parser must not care where reads split.
  FlightParser::Status st = FlightParser::Status::NeedMore;
  for (char ch : bytes) st = p.feed(std::string_view(&ch, 1));
  REQUIRE(st == FlightParser::Status::Done);
  const auto& h = *p.flight().hello;
  CHECK(h.version == Version::Tls12);
  CHECK(h.suite == 0xC02F);
  CHECK(h.renegotiation_info);
  CHECK(h.ec_point_formats);
  CHECK_FALSE(h.status_request);
  CHECK_FALSE(h.hello_retry);
  REQUIRE(p.flight().key_exchange);
  CHECK_FALSE(p.flight().key_exchange->finite_field);
  CHECK(p.flight().key_exchange->curve == 0x001D);
}

TEST_CASE("recorded DHE flight gives the prime size; RSA flight stops after the hello") {
  FlightParser p(offer(Version::Tls12), ReadUntil::KeyExchange);
  std::string msgs = unhex(kDhe);
  // Split the handshake over two records, as servers do with long certificate chains.
  REQUIRE(p.feed(record(22, 0x0303, msgs.substr(0, 100))) == FlightParser::Status::NeedMore);
  REQUIRE(p.feed(record(22, 0x0303, msgs.substr(100))) == FlightParser::Status::Done);
  CHECK(p.flight().hello->suite == 0x0033);
  REQUIRE(p.flight().key_exchange);
  CHECK(p.flight().key_exchange->dh_bits == 1024);

  FlightParser q(offer(Version::Tls10), ReadUntil::KeyExchange);
  REQUIRE(q.feed(record(22, 0x0301, unhex(kTls10))) == FlightParser::Status::Done);
  CHECK(q.flight().hello->version == Version::Tls10);
  CHECK(q.flight().hello->suite == 0x002F);
}

TEST_CASE("recorded TLS 1.3 ServerHello and HelloRetryRequest") {
  FlightParser p(offer(Version::Tls13), ReadUntil::Hello);
  REQUIRE(p.feed(record(22, 0x0303, unhex(kTls13))) == FlightParser::Status::Done);
  CHECK(p.flight().hello->version == Version::Tls13);
  CHECK(p.flight().hello->legacy_version == 0x0303);
  CHECK(p.flight().hello->suite == 0x1302);
  CHECK(*p.flight().hello->key_share_group == 0x001D);

  FlightParser r(offer(Version::Tls13), ReadUntil::Hello);
  REQUIRE(r.feed(record(22, 0x0303, unhex(kHrr))) == FlightParser::Status::Done);
  CHECK(r.flight().hello->hello_retry);
  CHECK(*r.flight().hello->key_share_group == 0x0018);
  CHECK(r.flight().hello->suite == 0x1302);

  // The same TLS 1.3 hello in answer to a TLS 1.2 offer is contradictory.
  FlightParser c(offer(Version::Tls12), ReadUntil::Hello);
  CHECK(c.feed(record(22, 0x0303, unhex(kTls13))) == FlightParser::Status::Error);
  CHECK(c.error().kind == net::NetErrorKind::Malformed);
}

TEST_CASE("alerts: fatal ends the flight, warnings are skipped") {
  FlightParser p(offer(Version::Tls10), ReadUntil::Hello);
  std::string in = record(21, 0x0301, std::string("\x01\x70", 2)) + record(21, 0x0301, std::string("\x02\x46", 2));
  REQUIRE(p.feed(in) == FlightParser::Status::Done);
  CHECK_FALSE(p.flight().hello);
  REQUIRE(p.flight().alert);
  CHECK(p.flight().alert->description == 70);
  CHECK(p.flight().warnings.size() == 1);
  CHECK(alert_name(70) == "protocol_version");
  CHECK(alert_name(200) == "alert 200");
}

TEST_CASE("truncated, oversized and contradictory input is an error, never a hello") {
  const std::string good = record(22, 0x0303, unhex(kEcdhe));
  SECTION("closed mid-record") {
    FlightParser p(offer(Version::Tls12), ReadUntil::Hello);
    REQUIRE(p.feed(good.substr(0, 30)) == FlightParser::Status::NeedMore);
    CHECK(p.finish() == FlightParser::Status::Error);
    CHECK(p.error().kind == net::NetErrorKind::Malformed);
  }
  SECTION("ServerHello shorter than its fields") {
    std::string msg = unhex(kTls10).substr(0, 4 + 20);
    msg[3] = 20;  // message length says 20: version, part of the random
    msg[1] = msg[2] = 0;
    FlightParser p(offer(Version::Tls10), ReadUntil::Hello);
    CHECK(p.feed(record(22, 0x0301, msg)) == FlightParser::Status::Error);
  }
  SECTION("record longer than 2^14+2048") {
    FlightParser p(offer(Version::Tls12), ReadUntil::Hello);
    std::string hdr("\x16\x03\x03\x48\x01", 5);
    CHECK(p.feed(hdr) == FlightParser::Status::Error);
    CHECK(p.error().kind == net::NetErrorKind::TooLarge);
  }
  SECTION("suite never offered") {
    HelloSpec o = offer(Version::Tls12);
    o.suites = {0x002F, 0x0035};
    FlightParser p(o, ReadUntil::Hello);
    CHECK(p.feed(good) == FlightParser::Status::Error);
    CHECK(p.error().message.find("never offered") != std::string::npos);
  }
  SECTION("version above the one offered") {
    FlightParser p(offer(Version::Tls10), ReadUntil::Hello);
    CHECK(p.feed(good) == FlightParser::Status::Error);
  }
  SECTION("compression never offered") {
    std::string msg = unhex(kTls10);
    REQUIRE(msg[4 + 2 + 32] == 0);        // empty session id
    msg[4 + 2 + 32 + 1 + 2] = 1;          // DEFLATE, though the offer had only null
    FlightParser p(offer(Version::Tls10), ReadUntil::Hello);
    CHECK(p.feed(record(22, 0x0301, msg)) == FlightParser::Status::Error);
  }
  SECTION("not TLS at all") {
    FlightParser p(offer(Version::Tls12), ReadUntil::Hello);
    CHECK(p.feed("HTTP/1.1 400 Bad Request\r\n") == FlightParser::Status::Error);
    CHECK(p.error().message.find("not a TLS record") != std::string::npos);
  }
  SECTION("close before any byte") {
    FlightParser p(offer(Version::Tls12), ReadUntil::Hello);
    CHECK(p.finish() == FlightParser::Status::Error);
    CHECK(p.error().kind == net::NetErrorKind::Closed);
    CHECK_FALSE(p.started());
  }
}

TEST_CASE("SSLv2 SERVER-HELLO") {
  const std::vector<uint32_t> offered = {0x010080, 0x0700C0};
  std::string msg("\x04\x00\x01\x00\x02\x00\x03\x00\x03\x00\x02", 11);
  msg += std::string("\x30\x01\x00", 3) + std::string("\x07\x00\xc0", 3) + "ab";
  std::string rec;
  rec.push_back(static_cast<char>(0x80));
  rec.push_back(static_cast<char>(msg.size()));
  FlightParser p(HelloSpec{}, ReadUntil::Hello, offered);
  REQUIRE(p.feed(rec + msg) == FlightParser::Status::Done);
  REQUIRE(p.flight().ssl2);
  CHECK(p.flight().ssl2->ciphers == std::vector<uint32_t>{0x0700C0});
  CHECK(p.flight().ssl2->certificate);

  std::string bad = msg;
  bad[11 + 3] = 0x05;  // IDEA: never offered
  FlightParser q(HelloSpec{}, ReadUntil::Hello, offered);
  CHECK(q.feed(rec + bad) == FlightParser::Status::Error);
}
