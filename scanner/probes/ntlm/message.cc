#include "probes/ntlm/message.h"

#include <cctype>

#include "core/text.h"

namespace pp::ntlm {

namespace {

constexpr std::string_view kSignature("NTLMSSP\0", 8);
constexpr size_t kChallengeMinSize = 32;  ///< through Reserved: the oldest servers stop there
constexpr size_t kTargetInfoFieldsEnd = 48;
constexpr size_t kVersionEnd = 56;

uint16_t le16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) | (static_cast<unsigned char>(b[at + 1]) << 8));
}

uint32_t le32(std::string_view b, size_t at) { return le16(b, at) | (static_cast<uint32_t>(le16(b, at + 2)) << 16); }

uint64_t le64(std::string_view b, size_t at) { return le32(b, at) | (static_cast<uint64_t>(le32(b, at + 4)) << 32); }

void put16(std::string& out, uint16_t v) {
  out += static_cast<char>(v & 0xff);
  out += static_cast<char>(v >> 8);
}

void put32(std::string& out, uint32_t v) {
  put16(out, static_cast<uint16_t>(v & 0xffff));
  put16(out, static_cast<uint16_t>(v >> 16));
}

/// UTF-16LE to UTF-8; an unpaired surrogate becomes U+FFFD (a name is shown, never trusted).
bool utf16le_to_utf8(std::string_view b, std::string& out, std::string& err) {
  if (b.size() % 2 != 0) {
    err = "a UTF-16 name has an odd length (" + std::to_string(b.size()) + " bytes)";
    return false;
  }
  out = text::utf16_to_utf8(b);
  return true;
}

/// OEM bytes as Latin-1 (the code page is the server's and unknown to us).
std::string latin1_to_utf8(std::string_view b) {
  std::string out;
  for (char c : b) text::append_utf8(out, static_cast<unsigned char>(c));
  return out;
}

/// A security buffer (Len, MaxLen, Offset) at `at`: the bytes it names, checked to lie inside
/// the message.
bool field(std::string_view msg, size_t at, const char* what, std::string_view& value, std::string& err) {
  const uint16_t len = le16(msg, at);
  const uint32_t offset = le32(msg, at + 4);
  if (len == 0) {
    value = {};
    return true;
  }
  if (offset > msg.size() || len > msg.size() - offset) {
    err = std::string(what) + " (" + std::to_string(len) + " bytes at offset " + std::to_string(offset) +
          ") lies outside the " + std::to_string(msg.size()) + "-byte message";
    return false;
  }
  value = msg.substr(offset, len);
  return true;
}

std::string* name_slot(Challenge& c, AvId id) {
  switch (id) {
    case AvId::NbComputerName: return &c.netbios_computer;
    case AvId::NbDomainName: return &c.netbios_domain;
    case AvId::DnsComputerName: return &c.dns_computer;
    case AvId::DnsDomainName: return &c.dns_domain;
    case AvId::DnsTreeName: return &c.dns_tree;
    default: return nullptr;
  }
}

/// One AV_PAIR's value into the challenge (names and the timestamp; the rest is skipped).
bool take_av_pair(Challenge& c, AvId id, std::string_view value, std::string& err) {
  if (std::string* slot = name_slot(c, id)) {
    if (!utf16le_to_utf8(value, *slot, err)) {
      err = "AV_PAIR " + std::to_string(static_cast<int>(id)) + ": " + err;
      return false;
    }
    return true;
  }
  if (id == AvId::Timestamp) {
    if (value.size() != 8) {
      err = "MsvAvTimestamp is " + std::to_string(value.size()) + " bytes, not 8";
      return false;
    }
    c.timestamp = le64(value, 0);
  }
  return true;
}

/// The AV_PAIR list (MS-NLMP 2.2.2.1), which must end with MsvAvEOL inside its buffer.
bool decode_target_info(std::string_view info, Challenge& c, std::string& err) {
  size_t at = 0;
  while (true) {
    if (info.size() - at < 4) {
      err = "the target information ends without MsvAvEOL";
      return false;
    }
    const auto id = static_cast<AvId>(le16(info, at));
    const uint16_t len = le16(info, at + 2);
    at += 4;
    if (id == AvId::Eol) return true;
    if (len > info.size() - at) {
      err = "AV_PAIR " + std::to_string(static_cast<int>(id)) + " claims " + std::to_string(len) +
            " bytes, only " + std::to_string(info.size() - at) + " remain";
      return false;
    }
    if (!take_av_pair(c, id, info.substr(at, len), err)) return false;
    at += len;
  }
}

bool decode_header(std::string_view msg, std::string& err) {
  if (msg.size() < kChallengeMinSize) {
    err = "an NTLM CHALLENGE_MESSAGE has at least 32 bytes, got " + std::to_string(msg.size());
    return false;
  }
  if (msg.substr(0, 8) != kSignature) {
    err = "no NTLMSSP signature";
    return false;
  }
  const uint32_t type = le32(msg, 8);
  if (type != 2) {
    err = "NTLM message type " + std::to_string(type) + ", expected 2 (CHALLENGE)";
    return false;
  }
  return true;
}

bool decode_target_name(std::string_view msg, Challenge& c, std::string& err) {
  std::string_view name;
  if (!field(msg, 12, "the target name", name, err)) return false;
  if (!(c.flags & kNegotiateUnicode)) {
    c.target_name = latin1_to_utf8(name);
    return true;
  }
  if (!utf16le_to_utf8(name, c.target_name, err)) {
    err = "the target name: " + err;
    return false;
  }
  return true;
}

bool decode_optional_parts(std::string_view msg, Challenge& c, std::string& err) {
  if ((c.flags & kNegotiateTargetInfo) && msg.size() >= kTargetInfoFieldsEnd) {
    std::string_view info;
    if (!field(msg, 40, "the target information", info, err)) return false;
    if (!info.empty() && !decode_target_info(info, c, err)) return false;
  }
  if ((c.flags & kNegotiateVersion) && msg.size() >= kVersionEnd) {
    Version v;
    v.major = static_cast<uint8_t>(msg[48]);
    v.minor = static_cast<uint8_t>(msg[49]);
    v.build = le16(msg, 50);
    v.ntlm_revision = static_cast<uint8_t>(msg[55]);
    c.version = v;
  }
  return true;
}

bool same_name(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

std::string Version::text() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(build);
}

std::vector<std::string> Challenge::names() const {
  std::vector<std::string> out;
  for (const std::string* n : {&target_name, &netbios_computer, &netbios_domain, &dns_computer, &dns_domain, &dns_tree}) {
    if (n->empty()) continue;
    bool seen = false;
    for (const auto& o : out) seen = seen || same_name(o, *n);
    if (!seen) out.push_back(*n);
  }
  return out;
}

std::string negotiate_message() {
  constexpr uint32_t kFlags = kNegotiateUnicode | kNegotiateOem | kRequestTarget | kNegotiateNtlm |
                              kNegotiateAlwaysSign | kExtendedSessionSecurity | kNegotiateVersion |
                              kNegotiate128 | kNegotiate56;
  constexpr uint32_t kPayloadOffset = 40;
  std::string m(kSignature);
  put32(m, 1);
  put32(m, kFlags);
  for (int i = 0; i < 2; ++i) {  // DomainNameFields, WorkstationFields: empty
    put16(m, 0);
    put16(m, 0);
    put32(m, kPayloadOffset);
  }
  m += std::string(7, '\0');  // VERSION: ProductMajor, Minor, Build, Reserved[3] all zero
  m += static_cast<char>(0x0f);  // NTLMSSP_REVISION_W2K3
  return m;
}

Decoded decode_challenge(std::string_view bytes) {
  Decoded out;
  Challenge c;
  if (!decode_header(bytes, out.error)) return out;
  c.flags = le32(bytes, 20);
  for (size_t i = 0; i < 8; ++i) c.server_challenge[i] = static_cast<uint8_t>(bytes[24 + i]);
  if (!decode_target_name(bytes, c, out.error) || !decode_optional_parts(bytes, c, out.error)) return out;
  out.challenge = std::move(c);
  return out;
}

int64_t filetime_to_unix(uint64_t filetime) {
  constexpr int64_t kEpochDelta = 11644473600LL;  // seconds from 1601-01-01 to 1970-01-01
  return static_cast<int64_t>(filetime / 10000000ULL) - kEpochDelta;
}

}  // namespace pp::ntlm
