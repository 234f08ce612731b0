/// libFuzzer target: RFC 6125 name matching and IP literal parsing/formatting. The input is
/// split at the first NUL-NUL pair (or the middle) into a presented name and a host name;
/// presented names may themselves carry single NULs, as a hostile certificate's may.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "probes/cert/name_match.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t cut = in.find(std::string_view("\0\0", 2));
  std::string_view presented, host;
  if (cut == std::string_view::npos) {
    presented = in.substr(0, size / 2);
    host = in.substr(size / 2);
  } else {
    presented = in.substr(0, cut);
    host = in.substr(cut + 2);
  }
  bool m = pp::cert::dns_name_matches(presented, host);
  // Matching is symmetric in nothing, but it must be deterministic.
  if (m != pp::cert::dns_name_matches(presented, host)) __builtin_trap();

  auto ip = pp::cert::parse_ip(host);
  if (ip) {
    if (ip->size() != 4 && ip->size() != 16) __builtin_trap();
    // Round trip: the canonical text parses back to the same octets.
    auto again = pp::cert::parse_ip(pp::cert::format_ip(*ip));
    if (!again || *again != *ip) __builtin_trap();
  }
  (void)pp::cert::format_ip(presented);

  pp::cert::PresentedNames names;
  names.dns.emplace_back(presented);
  if (presented.size() == 4 || presented.size() == 16) names.ips.emplace_back(presented);
  names.cns.emplace_back(host);
  (void)pp::cert::name_covered(names, host);
  pp::cert::PresentedNames cn_only;
  cn_only.cns.emplace_back(presented);
  (void)pp::cert::name_covered(cn_only, host);
  return 0;
}
