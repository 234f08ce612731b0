#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The two NTLM messages an anonymous client may exchange (MS-NLMP section 2.2.1): it builds
/// a NEGOTIATE_MESSAGE (type 1), which carries no user, domain, workstation or password, and
/// decodes the server's CHALLENGE_MESSAGE (type 2), whose target information names the server
/// and its domain. The AUTHENTICATE_MESSAGE (type 3), which would carry a credential, is never
/// built. Pure functions: no I/O, every length and offset checked against the buffer.
namespace pp::ntlm {

/// NegotiateFlags bits (MS-NLMP 2.2.2.5) this code sets or reads.
inline constexpr uint32_t kNegotiateUnicode = 0x00000001, kNegotiateOem = 0x00000002,
                          kRequestTarget = 0x00000004, kNegotiateNtlm = 0x00000200,
                          kNegotiateAlwaysSign = 0x00008000, kTargetTypeDomain = 0x00010000,
                          kTargetTypeServer = 0x00020000, kExtendedSessionSecurity = 0x00080000,
                          kNegotiateTargetInfo = 0x00800000, kNegotiateVersion = 0x02000000,
                          kNegotiate128 = 0x20000000, kNegotiate56 = 0x80000000;

/// AV_PAIR identifiers (MS-NLMP 2.2.2.1).
enum class AvId : uint16_t {
  Eol = 0,
  NbComputerName = 1,
  NbDomainName = 2,
  DnsComputerName = 3,
  DnsDomainName = 4,
  DnsTreeName = 5,
  Flags = 6,
  Timestamp = 7,
  SingleHost = 8,
  TargetName = 9,
  ChannelBindings = 10,
};

/// The VERSION structure (MS-NLMP 2.2.2.10): the server's Windows version.
struct Version {
  uint8_t major = 0;
  uint8_t minor = 0;
  uint16_t build = 0;
  uint8_t ntlm_revision = 0;
  /// "10.0.17763", as nmap's *-ntlm-info scripts print Product_Version.
  std::string text() const;
};

/// What a CHALLENGE_MESSAGE says about the server. Names are UTF-8 (converted from UTF-16LE, or
/// OEM bytes taken as Latin-1 when the server did not negotiate Unicode); empty when not sent.
struct Challenge {
  uint32_t flags = 0;
  std::string target_name;
  std::array<uint8_t, 8> server_challenge{};
  std::string netbios_computer;  ///< MsvAvNbComputerName
  std::string netbios_domain;    ///< MsvAvNbDomainName
  std::string dns_computer;      ///< MsvAvDnsComputerName
  std::string dns_domain;        ///< MsvAvDnsDomainName
  std::string dns_tree;          ///< MsvAvDnsTreeName (the forest)
  std::optional<uint64_t> timestamp;  ///< MsvAvTimestamp: FILETIME (100 ns since 1601-01-01 UTC)
  std::optional<Version> version;     ///< present when the server set NTLMSSP_NEGOTIATE_VERSION

  /// The distinct names the message discloses (target name and every name AV_PAIR), in
  /// message order, compared case-insensitively.
  std::vector<std::string> names() const;
};

/// A decoded challenge, or why the bytes are not one.
struct Decoded {
  std::optional<Challenge> challenge;
  std::string error;  ///< set exactly when challenge is empty
};

/// The NEGOTIATE_MESSAGE this scanner sends: Unicode and OEM, request target, NTLM, always
/// sign, extended session security, version, 128/56-bit; no domain and no workstation
/// (empty fields), our VERSION zero but for the NTLM revision (15). 40 bytes.
std::string negotiate_message();

/// Decodes a CHALLENGE_MESSAGE. A short buffer, a wrong signature or type, a field that points
/// outside the message, an AV_PAIR list without MsvAvEOL or an odd-length UTF-16 name is an
/// error value, never a crash or a read past `bytes`.
Decoded decode_challenge(std::string_view bytes);

/// FILETIME to seconds since the Unix epoch (may be negative for dates before 1970).
int64_t filetime_to_unix(uint64_t filetime);

}  // namespace pp::ntlm
