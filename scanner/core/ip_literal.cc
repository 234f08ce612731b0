#include "core/ip_literal.h"

#include <arpa/inet.h>

namespace pp {

namespace {

bool zone_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.';
}

bool pton(int family, std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  const std::string s(text);  // inet_pton wants a NUL-terminated string, and no embedded NUL
  if (s.find('\0') != std::string::npos) return false;
  unsigned char buf[16];
  return inet_pton(family, s.c_str(), buf) == 1;
}

bool ipv6(std::string_view h) {
  const size_t pct = h.find('%');
  if (pct != std::string_view::npos) {
    const std::string_view zone = h.substr(pct + 1);
    if (zone.empty()) return false;
    for (char c : zone)
      if (!zone_char(c)) return false;
    h = h.substr(0, pct);
  }
  return pton(AF_INET6, h);
}

}  // namespace

IpLiteral ip_literal(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    return ipv6(host.substr(1, host.size() - 2)) ? IpLiteral::V6 : IpLiteral::None;
  if (pton(AF_INET, host)) return IpLiteral::V4;
  if (ipv6(host)) return IpLiteral::V6;
  return IpLiteral::None;
}

bool numeric_non_ip(std::string_view host) {
  if (is_ip_literal(host)) return false;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  const size_t dot = host.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty()) return false;
  for (char c : last)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string url_host(std::string_view host) {
  if (ip_literal(host) == IpLiteral::V6 && host.front() != '[') return "[" + std::string(host) + "]";
  return std::string(host);
}

}  // namespace pp
