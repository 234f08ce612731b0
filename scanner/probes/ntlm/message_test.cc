#include "probes/ntlm/message.h"

#include <catch2/catch.hpp>

#include "probes/ntlm/base64.h"
#include "probes/ntlm/challenge_builder.h"

using namespace pp::ntlm;

namespace {

std::string hex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) {
    if (h[i] == ' ') {
      --i;
      continue;
    }
    out += static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16));
  }
  return out;
}

/// The CHALLENGE_MESSAGE of MS-NLMP section 4.2.4.3 (NTLMv2 example): target "Server", domain
/// "Domain", version 6.0.6000.
const std::string kSpecExample = hex(
    "4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef"
    "00000000000000002400240044000000060070170000000f5300650072007600"
    "6500720002000c0044006f006d00610069006e0001000c005300650072007600"
    "6500720000000000");

uint32_t flags_of(const std::string& m) {
  return static_cast<uint32_t>(static_cast<unsigned char>(m[12]) | (static_cast<unsigned char>(m[13]) << 8) |
                               (static_cast<unsigned char>(m[14]) << 16) | (static_cast<unsigned char>(m[15]) << 24));
}

}  // namespace

TEST_CASE("ntlm: the NEGOTIATE message carries no domain, workstation or credential") {
  const std::string m = negotiate_message();
  REQUIRE(m.size() == 40);
  CHECK(m.substr(0, 8) == std::string("NTLMSSP\0", 8));
  CHECK(m[8] == 1);
  const uint32_t f = flags_of(m);
  CHECK((f & kNegotiateUnicode));
  CHECK((f & kRequestTarget));
  CHECK((f & kNegotiateNtlm));
  CHECK((f & kNegotiateVersion));
  // Domain and workstation fields: length 0 (bytes 16-17 and 24-25), no payload after them.
  CHECK(m[16] == 0);
  CHECK(m[17] == 0);
  CHECK(m[24] == 0);
  CHECK(m[25] == 0);
  CHECK(m[39] == 0x0f);
}

TEST_CASE("ntlm: the MS-NLMP example challenge decodes") {
  const Decoded d = decode_challenge(kSpecExample);
  REQUIRE(d.challenge.has_value());
  CHECK(d.error.empty());
  const Challenge& c = *d.challenge;
  CHECK(c.flags == 0xe28a8233);
  CHECK(c.target_name == "Server");
  CHECK(c.netbios_domain == "Domain");
  CHECK(c.netbios_computer == "Server");
  CHECK(c.dns_computer.empty());
  CHECK(c.server_challenge[0] == 0x01);
  CHECK(c.server_challenge[7] == 0xef);
  REQUIRE(c.version.has_value());
  CHECK(c.version->text() == "6.0.6000");
  CHECK(c.version->ntlm_revision == 15);
  CHECK(c.names() == std::vector<std::string>{"Server", "Domain"});
}

TEST_CASE("ntlm: every name, the timestamp and the version of a built challenge") {
  ChallengeSpec spec;
  spec.target_name = "CORP";
  spec.netbios_computer = "EXCH01";
  spec.netbios_domain = "CORP";
  spec.dns_computer = "exch01.corp.example.local";
  spec.dns_domain = "corp.example.local";
  spec.dns_tree = "example.local";
  spec.timestamp = 133000000000000000ULL;
  const Decoded d = decode_challenge(build_challenge(spec));
  REQUIRE(d.challenge.has_value());
  const Challenge& c = *d.challenge;
  CHECK(c.target_name == "CORP");
  CHECK(c.netbios_computer == "EXCH01");
  CHECK(c.dns_computer == "exch01.corp.example.local");
  CHECK(c.dns_domain == "corp.example.local");
  CHECK(c.dns_tree == "example.local");
  REQUIRE(c.timestamp.has_value());
  CHECK(filetime_to_unix(*c.timestamp) == 1655526400);
  REQUIRE(c.version.has_value());
  CHECK(c.version->text() == "10.0.17763");
  CHECK(c.names() ==
        std::vector<std::string>{"CORP", "EXCH01", "exch01.corp.example.local", "corp.example.local", "example.local"});
}

TEST_CASE("ntlm: non-ASCII names convert from UTF-16, an OEM target name from Latin-1") {
  ChallengeSpec spec;
  spec.netbios_computer = "M\xc3\x9cNCHEN";   // MÜNCHEN
  spec.dns_domain = "\xf0\x9f\x93\xa7.test";   // a surrogate pair
  Decoded d = decode_challenge(build_challenge(spec));
  REQUIRE(d.challenge.has_value());
  CHECK(d.challenge->netbios_computer == "M\xc3\x9cNCHEN");
  CHECK(d.challenge->dns_domain == "\xf0\x9f\x93\xa7.test");

  std::string oem = kSpecExample;
  oem[20] = static_cast<char>(oem[20] & ~kNegotiateUnicode);  // OEM: the target name bytes as Latin-1
  d = decode_challenge(oem);
  REQUIRE(d.challenge.has_value());
  CHECK(d.challenge->target_name == std::string("S\0e\0r\0v\0e\0r\0", 12));
}

TEST_CASE("ntlm: an old 32-byte challenge without target information") {
  Decoded d = decode_challenge(kSpecExample.substr(0, 32).replace(12, 8, std::string("\0\0\0\0\0\0\0\0", 8)));
  // The target name field now is empty; flags read from bytes 20-23 are the example's.
  REQUIRE(d.challenge.has_value());
  CHECK(d.challenge->target_name.empty());
  CHECK(d.challenge->names().empty());
  CHECK_FALSE(d.challenge->version.has_value());  // no bytes for it
}

TEST_CASE("ntlm: broken challenges are error values") {
  CHECK(decode_challenge("").error == "an NTLM CHALLENGE_MESSAGE has at least 32 bytes, got 0");
  CHECK(decode_challenge(kSpecExample.substr(0, 31)).error.find("at least 32") != std::string::npos);

  std::string bad = kSpecExample;
  bad[0] = 'X';
  CHECK(decode_challenge(bad).error == "no NTLMSSP signature");

  bad = kSpecExample;
  bad[8] = 3;
  CHECK(decode_challenge(bad).error == "NTLM message type 3, expected 2 (CHALLENGE)");

  bad = kSpecExample;
  bad[16] = static_cast<char>(0xff);  // target name offset far past the end
  CHECK(decode_challenge(bad).error.find("the target name (12 bytes at offset 255) lies outside") == 0);

  bad = kSpecExample;
  bad[12] = 11;  // odd UTF-16 length
  CHECK(decode_challenge(bad).error == "the target name: a UTF-16 name has an odd length (11 bytes)");

  bad = kSpecExample;
  bad[40] = 0x30;  // target info longer than what is left
  CHECK(decode_challenge(bad).error.find("the target information (48 bytes at offset 68) lies outside") == 0);

  bad = kSpecExample.substr(0, kSpecExample.size() - 4);  // no MsvAvEOL
  bad[40] = 0x20;
  CHECK(decode_challenge(bad).error == "the target information ends without MsvAvEOL");

  bad = kSpecExample;
  bad[70] = 0x30;  // the first AV_PAIR claims more than the list holds
  CHECK(decode_challenge(bad).error == "AV_PAIR 2 claims 48 bytes, only 32 remain");

  bad = kSpecExample;
  bad[70] = 0x0b;  // odd-length name inside the list
  CHECK(decode_challenge(bad).error.find("AV_PAIR 2: a UTF-16 name has an odd length") == 0);
}

TEST_CASE("ntlm: every truncation of a full challenge decodes or fails cleanly") {
  ChallengeSpec spec;
  spec.netbios_computer = "EXCH01";
  spec.dns_tree = "example.local";
  spec.timestamp = 1;
  const std::string full = build_challenge(spec);
  for (size_t n = 0; n < full.size(); ++n) {
    const Decoded d = decode_challenge(std::string_view(full).substr(0, n));
    CHECK(d.challenge.has_value() != !d.error.empty());
  }
}

TEST_CASE("ntlm: the lab stand-ins' challenge (ci/lab/ntlm_challenge.py) decodes from base64") {
  const auto raw = pp::ntlm::base64_decode(
      "TlRMTVNTUAACAAAADgAOADgAAAAFgomiASNFZ4mrze8AAAAAAAAAAMIAwgBGAAAACgA5OAAAAA9MAEEAQgBDAE8AUgBQAAIADgBMAEEAQgBDAE8AUgBQAAEAFgBFAFgAQwBIADIAMAAxADYALQAwADEABAAkAGMAbwByAHAALgBsAGEAYgBjAG8AcgBwAC4AbABvAGMAYQBsAAMAPABlAHgAYwBoADIAMAAxADYALQAwADEALgBjAG8AcgBwAC4AbABhAGIAYwBvAHIAcAAuAGwAbwBjAGEAbAAFABoAbABhAGIAYwBvAHIAcAAuAGwAbwBjAGEAbAAHAAgAAIA+1d6xnQEAAAAA");
  REQUIRE(raw.has_value());
  const Decoded d = decode_challenge(*raw);
  REQUIRE(d.challenge.has_value());
  CHECK(d.challenge->target_name == "LABCORP");
  CHECK(d.challenge->netbios_computer == "EXCH2016-01");
  CHECK(d.challenge->dns_computer == "exch2016-01.corp.labcorp.local");
  CHECK(d.challenge->dns_tree == "labcorp.local");
  REQUIRE(d.challenge->timestamp.has_value());
  CHECK(filetime_to_unix(*d.challenge->timestamp) == 0);
  CHECK(d.challenge->version->text() == "10.0.14393");
}
