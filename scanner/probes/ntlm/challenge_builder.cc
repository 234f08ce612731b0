#include "probes/ntlm/challenge_builder.h"

#include "probes/ntlm/message.h"

namespace pp::ntlm {

namespace {

void put16(std::string& out, uint32_t v) {
  out += static_cast<char>(v & 0xff);
  out += static_cast<char>((v >> 8) & 0xff);
}

void put32(std::string& out, uint32_t v) {
  put16(out, v & 0xffff);
  put16(out, v >> 16);
}

/// UTF-8 to UTF-16LE (well-formed input assumed: the tests write it).
std::string utf16le(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int n = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    uint32_t cp = n == 1 ? b : b & (0xff >> (n + 1));
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put16(out, 0xd800 + (cp >> 10));
      put16(out, 0xdc00 + (cp & 0x3ff));
    } else {
      put16(out, cp);
    }
  }
  return out;
}

void av_pair(std::string& out, AvId id, const std::string& value) {
  put16(out, static_cast<uint16_t>(id));
  put16(out, static_cast<uint32_t>(value.size()));
  out += value;
}

}  // namespace

std::string build_challenge(const ChallengeSpec& spec) {
  std::string info;
  const std::pair<AvId, const std::string*> names[] = {
      {AvId::NbDomainName, &spec.netbios_domain}, {AvId::NbComputerName, &spec.netbios_computer},
      {AvId::DnsDomainName, &spec.dns_domain},    {AvId::DnsComputerName, &spec.dns_computer},
      {AvId::DnsTreeName, &spec.dns_tree},
  };
  for (const auto& [id, value] : names)
    if (!value->empty()) av_pair(info, id, utf16le(*value));
  if (spec.timestamp) {
    std::string ts;
    put32(ts, static_cast<uint32_t>(*spec.timestamp & 0xffffffff));
    put32(ts, static_cast<uint32_t>(*spec.timestamp >> 32));
    av_pair(info, AvId::Timestamp, ts);
  }
  av_pair(info, AvId::Eol, "");
  const std::string target = utf16le(spec.target_name);
  constexpr uint32_t kHeader = 56;
  std::string m("NTLMSSP\0", 8);
  put32(m, 2);
  put16(m, static_cast<uint32_t>(target.size()));
  put16(m, static_cast<uint32_t>(target.size()));
  put32(m, kHeader);
  put32(m, kNegotiateUnicode | kRequestTarget | kNegotiateNtlm | kNegotiateAlwaysSign | kTargetTypeDomain |
               kExtendedSessionSecurity | kNegotiateTargetInfo | kNegotiateVersion | kNegotiate128 | kNegotiate56);
  m += "\x01\x23\x45\x67\x89\xab\xcd\xef";
  m += std::string(8, '\0');
  put16(m, static_cast<uint32_t>(info.size()));
  put16(m, static_cast<uint32_t>(info.size()));
  put32(m, kHeader + static_cast<uint32_t>(target.size()));
  m += static_cast<char>(spec.major);
  m += static_cast<char>(spec.minor);
  put16(m, spec.build);
  m += std::string(3, '\0');
  m += static_cast<char>(0x0f);
  return m + target + info;
}

}  // namespace pp::ntlm
