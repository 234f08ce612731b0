#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pp {

/// How TLS is reached on an endpoint.
enum class TlsMode { None, Implicit, StartTls };

/// The application protocol spoken before (or inside) TLS.
enum class Protocol { Http, Smtp, Imap, Pop3, Ldap, Nntp };

/// One URL scheme policyprobe knows: https, smtp, imaps, ldap, ...
struct ServiceInfo {
  std::string_view scheme;
  Protocol protocol;
  TlsMode tls;
  uint16_t default_port;
};

/// The explicit table of every scheme (no registration by static initialisers).
const std::vector<ServiceInfo>& service_table();
const ServiceInfo* find_service(std::string_view scheme);
std::string_view to_string(Protocol p);
std::string_view to_string(TlsMode m);

}  // namespace pp
