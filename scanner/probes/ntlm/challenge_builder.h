#pragma once
#include <cstdint>
#include <optional>
#include <string>

/// Builds a CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2) the way a Windows server does: for the tests of
/// the decoder and of the probes that read one. Not part of the scanner: it never answers NTLM.
namespace pp::ntlm {

struct ChallengeSpec {
  std::string target_name = "CORP";  ///< UTF-8; sent as UTF-16LE
  std::string netbios_computer = "EXCH01";
  std::string netbios_domain = "CORP";
  std::string dns_computer = "exch01.corp.example.local";
  std::string dns_domain = "corp.example.local";
  std::string dns_tree = "corp.example.local";
  std::optional<uint64_t> timestamp;  ///< FILETIME
  uint8_t major = 10, minor = 0;
  uint16_t build = 17763;
};

/// The message, with Unicode, target-info and version flags set; empty names are left out.
std::string build_challenge(const ChallengeSpec& spec);

}  // namespace pp::ntlm
