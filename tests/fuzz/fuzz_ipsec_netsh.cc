/// libFuzzer target: the text of `netsh advfirewall consec show rule name=all`, then the facts
/// of its rules against a fixed set of peers (an address, a subnet, an IPv6 range), and the
/// content guess.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sources/ipsec_facts.h"
#include "sources/ipsec_netsh.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<pp::sources::IpsecRule> rules;
  const std::string err = pp::sources::read_ipsec_netsh(text, "fuzz.txt", rules);
  if (!err.empty() && (err.rfind("fuzz.txt:", 0) != 0 || !rules.empty())) __builtin_trap();  // positioned, nothing kept
  static const std::vector<std::string> peers = {"10.0.1.10", "10.0.1.0/255.255.255.128", "fd00::1-fd00::9"};
  if (err.empty()) {
    (void)pp::sources::ipsec_facts(rules, peers);
    (void)pp::sources::ipsec_facts(rules, {});
  }
  for (const auto& r : rules)
    for (const auto& p : r.properties)
      for (const auto& v : p.list) (void)pp::sources::valid_ipsec_peer(v);
  (void)pp::sources::looks_like_ipsec_netsh(text);
  return 0;
}
