#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pp::cert {

/// The identifiers a certificate presents, as raw bytes from the DER (not yet escaped): a
/// hostile certificate may embed NUL or non-ASCII bytes, and those must simply never match.
struct PresentedNames {
  std::vector<std::string> dns;  ///< subjectAltName dNSName entries
  std::vector<std::string> ips;  ///< subjectAltName iPAddress entries: 4 or 16 raw octets
  std::vector<std::string> cns;  ///< subject commonName values: reported, never matched
};

/// Parses an IPv4 or IPv6 literal ("[::1]" brackets allowed) into its 4 or 16 octets.
std::optional<std::string> parse_ip(std::string_view text);
/// Canonical text of 4 or 16 raw octets ("192.0.2.1", "2001:db8::1"); other lengths as hex.
std::string format_ip(std::string_view octets);

/// RFC 6125 DNS-ID matching of one presented name (maybe a wildcard) against a host name:
/// ASCII case-insensitive, one trailing dot ignored on either side; a wildcard only as the whole
/// left-most label, matching exactly one non-empty label, and never over fewer than two labels
/// ("*.com", "*" and "w*.example.com" never match). Names with bytes outside letters, digits,
/// '-', '_' and '.' (NUL, spaces, U-labels) never match: compare IDNs as A-labels (xn--).
bool dns_name_matches(std::string_view presented, std::string_view host);

/// True when `expected` (host name or IP literal) is covered: IP literals only by an IP SAN
/// (octet comparison, so "::1" and "0:0::1" are equal); host names only by a DNS SAN. The CN
/// never covers a name, even without SANs: RFC 9525 dropped the CN fallback and browsers and
/// current mail clients reject a certificate that names the host only there.
bool name_covered(const PresentedNames& names, std::string_view expected);

}  // namespace pp::cert
