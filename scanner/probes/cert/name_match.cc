#include "probes/cert/name_match.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>

#include "core/text.h"

namespace pp::cert {

namespace {

bool label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/// Splits a host name into labels after dropping one trailing dot. Empty on any empty label or
/// any byte outside the label alphabet (`allow_star` admits '*' for presented patterns).
std::vector<std::string_view> labels_of(std::string_view name, bool allow_star) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::vector<std::string_view> out;
  if (name.empty()) return out;
  size_t start = 0;
  for (;;) {
    size_t dot = name.find('.', start);
    std::string_view label = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63) return {};
    for (char c : label)
      if (!label_char(c) && !(allow_star && c == '*')) return {};
    out.push_back(label);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

}  // namespace

std::optional<std::string> parse_ip(std::string_view text) {
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::string s(text);
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 4);
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 16);
  return std::nullopt;
}

std::string format_ip(std::string_view octets) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (octets.size() == 4 && inet_ntop(AF_INET, octets.data(), buf, sizeof buf)) return buf;
  if (octets.size() == 16 && inet_ntop(AF_INET6, octets.data(), buf, sizeof buf)) return buf;
  std::string hex = "invalid-ip:";
  for (unsigned char c : octets) {
    char b[3];
    std::snprintf(b, sizeof b, "%02x", c);
    hex += b;
  }
  return hex;
}

bool dns_name_matches(std::string_view presented, std::string_view host) {
  const auto want = labels_of(host, false);
  const auto have = labels_of(presented, true);
  if (want.empty() || have.empty() || want.size() != have.size()) return false;
  // A host name must not itself be an IP literal: those match only iPAddress SANs.
  if (parse_ip(host)) return false;
  for (size_t i = 0; i < have.size(); ++i) {
    const std::string_view p = have[i];
    if (p.find('*') == std::string_view::npos) {
      if (!text::iequals(p, want[i])) return false;
      continue;
    }
    // Only the complete left-most label may be a wildcard, over at least two fixed labels, so
    // "*.com" (a public-suffix-like single label), "w*.example.com", "xn--*.example.com" and a
    // "*" in any later label are all refused.
    if (i != 0 || p != "*" || have.size() < 3) return false;
  }
  return true;
}

bool name_covered(const PresentedNames& names, std::string_view expected) {
  if (auto ip = parse_ip(expected))
    return std::any_of(names.ips.begin(), names.ips.end(), [&](const std::string& o) { return o == *ip; });
  return std::any_of(names.dns.begin(), names.dns.end(), [&](const std::string& d) { return dns_name_matches(d, expected); });
}

}  // namespace pp::cert
