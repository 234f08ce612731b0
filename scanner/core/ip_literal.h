#pragma once
#include <string>
#include <string_view>

/// Whether a host is an IP literal, decided in one place by inet_pton (AF_INET, AF_INET6), not
/// by looking for digits and colons. Used wherever the answer matters: SNI (never an IP
/// literal, RFC 6066), URL and inventory parsing, nmap import, brackets in ids and URLs.
namespace pp {

enum class IpLiteral { None, V4, V6 };

/// V4 for a dotted quad inet_pton(AF_INET) accepts (four decimal numbers 0-255, no leading
/// zeros: not "1.2.3", "01.2.3.4" or "999.1.1.1"); V6 for an address inet_pton(AF_INET6)
/// accepts ("::1", "::ffff:1.2.3.4"), bare or in brackets ("[::1]"), optionally with a zone
/// ("fe80::1%eth0"); None otherwise.
IpLiteral ip_literal(std::string_view host);
inline bool is_ip_literal(std::string_view host) { return ip_literal(host) != IpLiteral::None; }

/// True for a host that is no IP literal yet reads as a number: its last label is all digits
/// ("1.2.3", "01.2.3.4", "999.1.1.1", "10"). No DNS name ends so (top-level labels are never
/// numeric), while a resolver may take some of them for an address in another notation
/// ("01.2.3.4" as octal): such a host is refused rather than guessed at.
bool numeric_non_ip(std::string_view host);

/// The host as a URL authority spells it: an IPv6 literal in brackets, anything else as is.
std::string url_host(std::string_view host);

}  // namespace pp
