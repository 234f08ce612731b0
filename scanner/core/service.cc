#include "core/service.h"

namespace pp {

const std::vector<ServiceInfo>& service_table() {
  static const std::vector<ServiceInfo> table = {
      {"https", Protocol::Http, TlsMode::Implicit, 443},
      {"http", Protocol::Http, TlsMode::None, 80},
      {"smtp", Protocol::Smtp, TlsMode::StartTls, 25},
      {"submission", Protocol::Smtp, TlsMode::StartTls, 587},
      {"smtps", Protocol::Smtp, TlsMode::Implicit, 465},
      {"imap", Protocol::Imap, TlsMode::StartTls, 143},
      {"imaps", Protocol::Imap, TlsMode::Implicit, 993},
      {"pop3", Protocol::Pop3, TlsMode::StartTls, 110},
      {"pop3s", Protocol::Pop3, TlsMode::Implicit, 995},
      {"ldap", Protocol::Ldap, TlsMode::StartTls, 389},
      {"ldaps", Protocol::Ldap, TlsMode::Implicit, 636},
      {"nntp", Protocol::Nntp, TlsMode::StartTls, 119},
      {"nntps", Protocol::Nntp, TlsMode::Implicit, 563},
  };
  return table;
}

const ServiceInfo* find_service(std::string_view scheme) {
  for (const auto& s : service_table())
    if (s.scheme == scheme) return &s;
  return nullptr;
}

std::string_view to_string(Protocol p) {
  switch (p) {
    case Protocol::Http: return "http";
    case Protocol::Smtp: return "smtp";
    case Protocol::Imap: return "imap";
    case Protocol::Pop3: return "pop3";
    case Protocol::Ldap: return "ldap";
    case Protocol::Nntp: return "nntp";
  }
  return "?";
}

std::string_view to_string(TlsMode m) {
  switch (m) {
    case TlsMode::None: return "none";
    case TlsMode::Implicit: return "implicit";
    case TlsMode::StartTls: return "starttls";
  }
  return "?";
}

}  // namespace pp
