#include "inventory/target_url.h"

#include <algorithm>
#include <cctype>

#include "core/ip_literal.h"
#include "core/service.h"
#include "core/text.h"

namespace pp::inventory {

namespace {

/// A DNS name or an IPv4 literal (IPv6 literals come in brackets).
bool valid_hostname(const std::string& h) {
  if (ip_literal(h) == IpLiteral::V4) return true;
  if (h.empty() || h.size() > 253 || numeric_non_ip(h)) return false;
  for (char c : h) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '-' || c == '.' || c == '_')) return false;
  }
  return h.front() != '.' && h.front() != '-';
}

bool parse_port(const std::string& s, uint16_t& port) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  long v = std::stol(s);
  if (v < 1 || v > 65535) return false;
  port = static_cast<uint16_t>(v);
  return true;
}

/// Splits "host[:port]" / "[v6][:port]". Returns false on malformed input.
bool split_authority(const std::string& auth, std::string& host, std::string& port_text, std::string& error) {
  if (auth.empty()) {
    error = "no host";
    return false;
  }
  if (auth.front() == '[') {
    auto close = auth.find(']');
    if (close == std::string::npos) {
      error = "unclosed '[' in IPv6 literal";
      return false;
    }
    host = auth.substr(1, close - 1);
    std::string rest = auth.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        error = "unexpected text after IPv6 literal";
        return false;
      }
      port_text = rest.substr(1);
      if (port_text.empty()) {
        error = "empty port";
        return false;
      }
    }
    if (ip_literal(host) != IpLiteral::V6) {
      error = "invalid IPv6 literal '" + host + "'";
      return false;
    }
    return true;
  }
  auto colon = auth.find(':');
  if (colon != std::string::npos) {
    if (auth.find(':', colon + 1) != std::string::npos) {
      error = "IPv6 literals must be in brackets, e.g. [::1]:443";
      return false;
    }
    host = auth.substr(0, colon);
    port_text = auth.substr(colon + 1);
    if (port_text.empty()) {
      error = "empty port";
      return false;
    }
  } else {
    host = auth;
  }
  if (!valid_hostname(host)) {
    error = numeric_non_ip(host) ? "'" + host + "' is neither an IPv4 address (four numbers 0-255, no leading zeros) "
                                                "nor a host name"
                                 : "invalid host name '" + host + "'";
    return false;
  }
  return true;
}

}  // namespace

std::vector<ServiceEndpoint> discovery_services() {
  std::vector<ServiceEndpoint> out;
  for (const char* s : {"https", "http", "smtp", "submission", "smtps", "imap", "imaps", "pop3", "pop3s", "ldap",
                        "ldaps"})
    out.push_back({s, find_service(s)->default_port});
  return out;
}

bool parse_target_url(const std::string& text, Target& out, std::string& error) {
  out = Target{};
  auto fail = [&](const std::string& why) {
    error = "bad target '" + text + "': " + why;
    return false;
  };
  if (text.empty()) return fail("empty");
  for (char c : text)
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)))
      return fail("contains whitespace or control characters");

  auto sep = text.find("://");
  std::string scheme, rest;
  if (sep == std::string::npos) {
    rest = text;
  } else {
    scheme = text::to_lower(text.substr(0, sep));
    rest = text.substr(sep + 3);
  }
  std::string path;
  auto slash = rest.find('/');
  if (slash != std::string::npos) {
    path = rest.substr(slash);
    rest = rest.substr(0, slash);
  }
  if (rest.find('@') != std::string::npos) return fail("credentials in URLs are refused (policyprobe never sends any)");
  if (path.find_first_of("?#") != std::string::npos) return fail("query strings and fragments are not allowed");

  std::string host, port_text, why;
  if (!split_authority(rest, host, port_text, why)) return fail(why);
  out.host = host;
  out.name = host;

  if (scheme.empty()) {
    if (!path.empty()) return fail("a path needs a scheme, e.g. https://" + host + path);
    if (!port_text.empty()) return fail("a port needs a scheme, e.g. https://" + rest);
    out.discover = true;
    out.services = discovery_services();
    return true;
  }
  const ServiceInfo* svc = find_service(scheme);
  if (!svc) return fail("unknown scheme '" + scheme + "'");
  uint16_t port = svc->default_port;
  if (!port_text.empty() && !parse_port(port_text, port)) return fail("port must be 1-65535, got '" + port_text + "'");
  out.services.push_back({std::string(svc->scheme), port});
  if (svc->protocol == Protocol::Http) {
    if (scheme == "https" && port == 443) out.services.push_back({"http", 80, true});
    if (!path.empty() && path != "/") {
      while (path.size() > 1 && path.back() == '/') path.pop_back();
      out.vdirs.push_back(path);
    }
  } else if (!path.empty() && path != "/") {
    return fail("a path is only meaningful for http and https");
  }
  if (port != svc->default_port) out.name = host + ":" + std::to_string(port);
  return true;
}

bool parse_target_urls(const std::vector<std::string>& args, std::vector<Target>& out, std::string& error) {
  for (const auto& a : args) {
    Target t;
    if (!parse_target_url(a, t, error)) return false;
    // URLs merge only when they name the same target: the same host on default ports (an
    // https URL on 443 brings http on 80 with it), or the same host:port. Any other URL is its
    // own target, so its facts are never reported under another port.
    auto same = std::find_if(out.begin(), out.end(), [&](const Target& o) { return o.name == t.name; });
    if (same == out.end()) {
      out.push_back(std::move(t));
      continue;
    }
    for (const auto& s : t.services) {
      auto dup = std::find_if(same->services.begin(), same->services.end(),
                              [&](const ServiceEndpoint& o) { return o.scheme == s.scheme && o.port == s.port; });
      if (dup == same->services.end()) same->services.push_back(s);
      else dup->implied = dup->implied && s.implied;  // named once explicitly: explicit
    }
    for (const auto& v : t.vdirs)
      if (std::find(same->vdirs.begin(), same->vdirs.end(), v) == same->vdirs.end()) same->vdirs.push_back(v);
    same->discover = same->discover || t.discover;
  }
  return true;
}

}  // namespace pp::inventory
