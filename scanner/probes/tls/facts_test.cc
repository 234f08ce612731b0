#include "probes/tls/facts.h"

#include <catch2/catch.hpp>

using namespace pp;
using namespace pp::tls;

namespace {

const Fact& get(const FactSet& fs, const char* n) {
  const Fact* f = fs.find(n);
  INFO(n);
  REQUIRE(f);
  return *f;
}

ServerHello hello(Version v, uint16_t suite) {
  ServerHello h;
  h.version = v;
  h.suite = suite;
  h.renegotiation_info = true;
  return h;
}

/// Every version told: `accepted` supported with `suites`, the others not.
Observation observed(std::initializer_list<std::pair<Version, std::vector<uint16_t>>> accepted) {
  Observation o;
  for (Version v : {Version::Ssl2, Version::Ssl3, Version::Tls10, Version::Tls11, Version::Tls12, Version::Tls13}) {
    o.at(v).state = VState::NotSupported;
    o.at(v).why = std::string(version_name(v)) + " hello answered: alert 70 (protocol_version)";
    o.at(v).complete = true;
  }
  for (const auto& [v, suites] : accepted) {
    VersionResult& vr = o.at(v);
    vr.state = VState::Supported;
    vr.suites = suites;
    vr.why = std::string(version_name(v)) + " ServerHello";
    vr.first_hello = hello(v, suites.front());
    if (v != Version::Tls13 && (!o.highest_legacy || *o.highest_legacy < v)) o.highest_legacy = v;
  }
  o.server_order = Fact::known("tls.server_order", true);
  o.alpn_first = "";
  return o;
}

}  // namespace

TEST_CASE("reduction: versions and suites become protocol, cipher and derived facts") {
  Observation o = observed({{Version::Tls12, {0xC02F, 0x002F}}, {Version::Tls13, {0x1301}}});
  const FactSet fs = observation_facts(o);
  CHECK(std::get<bool>(get(fs, "tls.offered").value));
  CHECK(std::get<StringList>(get(fs, "tls.protocols").value) == StringList{"TLSv1.2", "TLSv1.3"});
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.tls12").value) ==
        StringList{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA"});
  CHECK(std::get<StringList>(get(fs, "tls.ciphers").value).size() == 3);
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.no_fs").value) == StringList{"TLS_RSA_WITH_AES_128_CBC_SHA"});
  CHECK_FALSE(std::get<bool>(get(fs, "tls.forward_secrecy").value));
  CHECK(std::get<int64_t>(get(fs, "tls.ciphers.min_bits").value) == 128);
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.classes").value) == StringList{"cbc", "aead"});
  CHECK(std::get<bool>(get(fs, "tls.secure_renegotiation").value));
  CHECK(get(fs, "tls.secure_renegotiation").evidence == "TLSv1.2 ServerHello has renegotiation_info");
  CHECK_FALSE(std::get<bool>(get(fs, "tls.compression").value));
  CHECK(std::get<StringList>(get(fs, "tls.alpn").value).empty());
  CHECK(get(fs, "tls.min_dh_bits").state == FactState::Absent);
  CHECK(fs.find("tls.connections") == nullptr);  // the probe's, not the reduction's
}

TEST_CASE("reduction: a version that could not be told makes every derived fact unknown, with its reason") {
  Observation o = observed({{Version::Tls12, {0x002F}}});
  o.at(Version::Tls11).state = VState::Unknown;
  o.at(Version::Tls11).why = "TLSv1.1: no answer within 2 s of the ClientHello";
  const FactSet fs = observation_facts(o);
  CHECK(std::get<bool>(get(fs, "tls.offered").value));  // one version accepted is enough
  for (const char* n : {"tls.protocols", "tls.ciphers", "tls.ciphers.weak", "tls.forward_secrecy", "tls.ciphers.tls11"}) {
    INFO(n);
    CHECK(get(fs, n).state == FactState::Unknown);
    CHECK(get(fs, n).reason == "TLSv1.1: no answer within 2 s of the ClientHello");
  }
  CHECK(std::get<StringList>(get(fs, "tls.ciphers.tls12").value) == StringList{"TLS_RSA_WITH_AES_128_CBC_SHA"});
}

TEST_CASE("reduction: nothing accepted — handshake facts absent; nothing told — unknown") {
  Observation none = observed({});
  FactSet fs = observation_facts(none);
  CHECK_FALSE(std::get<bool>(get(fs, "tls.offered").value));
  CHECK(get(fs, "tls.ocsp_stapling").state == FactState::Absent);
  CHECK(get(fs, "tls.ocsp_stapling").reason == "no protocol version accepted");
  REQUIRE(no_handshake(none));
  CHECK(no_handshake(none)->state == FactState::Absent);

  Observation silent = observed({});
  silent.at(Version::Tls12).state = VState::Unknown;
  silent.at(Version::Tls12).why = "TLSv1.2: connection refused";
  fs = observation_facts(silent);
  CHECK(get(fs, "tls.offered").state == FactState::Unknown);
  CHECK(get(fs, "tls.groups").state == FactState::Unknown);
  CHECK(get(fs, "tls.groups").reason == "TLSv1.2: connection refused");
  REQUIRE(no_handshake(silent));
  CHECK(no_handshake(silent)->state == FactState::Unknown);
  CHECK_FALSE(no_handshake(observed({{Version::Tls13, {0x1301}}})));
}

TEST_CASE("reduction: TLS 1.3 only — extensions unknown or absent, saying why") {
  const FactSet fs = observation_facts(observed({{Version::Tls13, {0x1301}}}));
  CHECK(get(fs, "tls.secure_renegotiation").state == FactState::Absent);
  CHECK(get(fs, "tls.secure_renegotiation").reason.find("only TLS 1.3") != std::string::npos);
  CHECK(get(fs, "tls.ocsp_stapling").state == FactState::Unknown);
  CHECK(get(fs, "tls.alpn").state == FactState::Unknown);
  CHECK(get(fs, "tls.compression").evidence == "only TLS 1.3 accepted: no compression there");
}

TEST_CASE("reduction: key exchange sizes, groups in offer order, compression and ALPN as observed") {
  Observation o = observed({{Version::Tls12, {0xC02F}}});
  o.groups = {"secp384r1", "x25519"};  // discovery order
  o.ecdh_bits = {384, 253};
  o.dh_bits = {1024};
  o.min_dh_evidence = "1024-bit DH group";
  o.compression_seen = true;
  o.compression_evidence = "TLSv1.2 ServerHello chose DEFLATE";
  o.alpn_first = "h2";
  o.alpn_other = "http/1.1";
  o.alpn_other_ok = true;
  const FactSet fs = observation_facts(o);
  CHECK(std::get<StringList>(get(fs, "tls.groups").value) == StringList{"x25519", "secp384r1"});
  CHECK(std::get<int64_t>(get(fs, "tls.min_ecdh_bits").value) == 253);
  CHECK(std::get<int64_t>(get(fs, "tls.min_dh_bits").value) == 1024);
  CHECK(get(fs, "tls.min_dh_bits").evidence == "1024-bit DH group");
  CHECK(std::get<bool>(get(fs, "tls.compression").value));
  CHECK(std::get<StringList>(get(fs, "tls.alpn").value) == StringList{"h2", "http/1.1"});

  o.groups_enumerated = false;
  o.alpn_tested = false;
  const FactSet off = observation_facts(o);
  CHECK(get(off, "tls.groups").state == FactState::Unknown);
  CHECK(get(off, "tls.groups").reason.find("seen in passing: x25519, secp384r1") != std::string::npos);
  CHECK(get(off, "tls.alpn").state == FactState::Unknown);
  CHECK(get(off, "tls.alpn").reason.find("the server chose h2") != std::string::npos);
}
