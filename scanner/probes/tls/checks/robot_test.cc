#include "probes/tls/checks/robot.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "probes/tls/checks/run_check.h"
#include "probes/tls/checks/table.h"

using namespace pp;
using namespace pp::tls;
using namespace pp::tls::checks;

namespace {

/// A self-signed certificate with a 1024-bit RSA key (DER), made once with the openssl CLI.
const std::string kCertHex =
    "308202063082016fa003020102021445e12e122307a2b0ced3eda57604c79efea10c14300d06092a864886f70d01010b0500"
    "30153113301106035504030c0a726f626f742e74657374301e170d3236313230373032333933355a170d3336313230343032"
    "333933355a30153113301106035504030c0a726f626f742e7465737430819f300d06092a864886f70d010101050003818d00"
    "30818902818100f3937cd0913a443d5dbc0e40dfcd64a6bfe80535adec024afe99bf1a83b8952b3acd3bd44e7ef0c2d37280"
    "06c9237725cd1f7c2525c2e83a55c9cd6a96c18ce97b65a5e7035d85f8c7da1c8dc55e76b837b96d5afb2510a64a81cb4507"
    "c784b03bf67fd6a8aba64ef2fc2ab6f65bea455f255ba3ac63e4a0fc8fc7b853e8e3810203010001a3533051301d0603551d"
    "0e041604142d97d12d36494d573fb1900a16b6092bedbdb338301f0603551d230418301680142d97d12d36494d573fb1900a"
    "16b6092bedbdb338300f0603551d130101ff040530030101ff300d06092a864886f70d01010b050003818100c44a88eb4657"
    "8a2b35a4275378fb99e1e8caf03ab791ed0ab26500c8d3722d272618e66d29cba617705af5aa9a03e7240023b703c8355b77"
    "67dff87c638cf6c60c988d8ca617f634e2ba830435ceea59247b7804296e25b3503b8f33d7822f56db968ada500a50ed5322"
    "2e87a01ddd1e1b279a2aa170704aef898b139c48c2c0"
    ;

std::string unhex(const std::string& h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) out += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
  return out;
}

std::string u24(size_t n) { return {static_cast<char>(n >> 16), static_cast<char>(n >> 8 & 0xFF), static_cast<char>(n & 0xFF)}; }

std::string record(char type, const std::string& body) {
  return std::string{type, 3, 3, static_cast<char>(body.size() >> 8), static_cast<char>(body.size() & 0xFF)} + body;
}

/// ServerHello (TLS 1.2, suite 0x002F, empty session ID), Certificate, ServerHelloDone.
std::string rsa_flight() {
  const std::string hello = std::string{3, 3} + std::string(32, 'r') + std::string{0, 0x00, 0x2F, 0};
  const std::string der = unhex(kCertHex);
  const std::string certs = u24(der.size()) + der;
  const std::string hs = std::string{2} + u24(hello.size()) + hello + std::string{11} + u24(certs.size() + 3) + u24(certs.size()) +
                         certs + std::string{14, 0, 0, 0};
  return record(22, hs);
}

std::string alert(int description) { return record(21, std::string{2, static_cast<char>(description)}); }

const Check& robot() {
  for (const auto& c : check_table())
    if (c.name == "robot") return c;
  FAIL("no robot check in the table");
  throw;
}

Observation accepting(Version v, std::vector<uint16_t> suites) {
  Observation o;
  o.at(v).state = VState::Supported;
  o.at(v).suites = std::move(suites);
  return o;
}

/// A connector whose n-th connection replays the RSA flight and then `answers[n]` (empty: a
/// close without a byte).
net::Connector scripted(std::vector<std::string> answers) {
  auto n = std::make_shared<size_t>(0);
  return [answers, n](net::NetError&) -> std::unique_ptr<net::Transport> {
    auto t = std::make_unique<net::ScriptedTransport>();
    t->reply(rsa_flight());
    const std::string& a = answers.at(std::min(*n, answers.size() - 1));
    if (!a.empty()) t->reply(a);
    ++*n;
    return t;
  };
}

const Fact& robot_fact(const CheckRun& r) {
  const Fact* f = r.facts.find("tls.robot");
  REQUIRE(f);
  return *f;
}

}  // namespace

TEST_CASE("ROBOT test blocks: the modulus size, with the defect each one names") {
  const size_t k = 128;
  for (RobotPadding p : kRobotPaddings) CHECK(robot_block(p, k, 0x0303).size() == k);
  const std::string ok = robot_block(RobotPadding::Correct, k, 0x0303);
  CHECK(ok.substr(0, 2) == std::string("\x00\x02", 2));
  CHECK(ok.find('\0', 2) == k - 49);  // the separator before a 48-byte premaster secret
  CHECK(ok.substr(k - 48, 2) == "\x03\x03");
  CHECK(robot_block(RobotPadding::WrongFirstBytes, k, 0x0303).substr(0, 2) == "\x41\x17");
  CHECK(robot_block(RobotPadding::ZeroMisplaced, k, 0x0303).find('\0', 2) == k - 2);
  CHECK(robot_block(RobotPadding::NoZero, k, 0x0303).find('\0', 2) == std::string::npos);
  CHECK(robot_block(RobotPadding::WrongVersion, k, 0x0303).substr(k - 48, 2) == "\x02\x02");
  CHECK(robot_block(RobotPadding::Correct, 32, 0x0303).empty());
}

TEST_CASE("the RSA flight reader takes the suite and the leaf, and stops at an alert") {
  RsaFlightReader r;
  const std::string f = rsa_flight();
  CHECK(r.feed(f.substr(0, 100)) == RsaFlightReader::Status::NeedMore);
  CHECK(r.feed(f.substr(100)) == RsaFlightReader::Status::Done);
  CHECK(r.suite() == 0x002F);
  CHECK(r.leaf() == unhex(kCertHex));
  RsaFlightReader a;
  CHECK(a.feed(alert(40)) == RsaFlightReader::Status::Error);
  CHECK(a.why() == "alert handshake_failure");
}

TEST_CASE("answers in words") {
  CHECK(robot_answer(alert(20), false, std::nullopt) == "alert bad_record_mac");
  CHECK(robot_answer("", true, std::nullopt) == "close");
  CHECK(robot_answer("", false, std::string("no answer within 1 s")) == "no answer within 1 s");
}

TEST_CASE("ROBOT applies with an RSA key-exchange suite only") {
  const Check& c = robot();
  CHECK(c.applies(accepting(Version::Tls12, {0x002F})).yes);
  CHECK(c.applies(accepting(Version::Ssl3, {0x000A})).yes);
  const Applies ecdhe = c.applies(accepting(Version::Tls12, {0xC02F}));
  CHECK_FALSE(ecdhe.yes);
  CHECK(ecdhe.why_not.find("no RSA key-exchange suite") != std::string::npos);
  CHECK_FALSE(c.applies(accepting(Version::Ssl3, {0x0003})).yes);  // RSA EXPORT: a temporary key
}

TEST_CASE("ROBOT over scripted servers: one answer for all is no oracle, two answers are") {
  const Check& c = robot();
  const Observation o = accepting(Version::Tls12, {0x002F});
  SECTION("the same alert five times") {
    const CheckRun r = run_check(c, scripted({alert(20)}), "", net::Millis(200), o);
    CHECK(r.connections == 5);
    const Fact& f = robot_fact(r);
    REQUIRE(f.state == FactState::Known);
    CHECK(std::get<bool>(f.value) == false);
    CHECK(f.evidence.find("TLSv1.2 TLS_RSA_WITH_AES_128_CBC_SHA, 1024-bit key") != std::string::npos);
    CHECK(f.evidence.find("wrong version -> alert bad_record_mac") != std::string::npos);
  }
  SECTION("an alert for the correct padding, a close for the others") {
    const CheckRun r = run_check(c, scripted({alert(20), ""}), "", net::Millis(200), o);
    const Fact& f = robot_fact(r);
    REQUIRE(f.state == FactState::Known);
    CHECK(std::get<bool>(f.value) == true);
    CHECK(f.evidence.find("wrong first bytes -> close") != std::string::npos);
  }
  SECTION("a refused connection is unknown, never a pass") {
    const CheckRun r = run_check(
        c,
        [](net::NetError& e) -> std::unique_ptr<net::Transport> {
          e = net::NetError::make(net::NetErrorKind::Refused, "connection refused");
          return nullptr;
        },
        "", net::Millis(200), o);
    const Fact& f = robot_fact(r);
    CHECK(f.state == FactState::Unknown);
    CHECK(f.reason.find("connection refused") != std::string::npos);
  }
}
