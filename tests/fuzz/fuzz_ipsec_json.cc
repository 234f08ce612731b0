/// libFuzzer target: the Windows IPsec rule export on top of the strict JSON reader, then the
/// facts of its rules against a fixed set of peers (an address, a subnet, an IPv6 range), and
/// the content guess.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sources/ipsec_facts.h"
#include "sources/ipsec_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<pp::sources::IpsecRule> rules;
  const std::string err = pp::sources::read_ipsec_json(text, "fuzz.json", rules);
  if (!err.empty() && (err.rfind("fuzz.json:", 0) != 0 || !rules.empty())) __builtin_trap();  // positioned, nothing kept
  static const std::vector<std::string> peers = {"10.0.1.10", "10.0.1.0/255.255.255.128", "fd00::1-fd00::9"};
  if (!rules.empty()) {
    (void)pp::sources::ipsec_facts(rules, peers);
    (void)pp::sources::ipsec_facts(rules, {});
  }
  for (const auto& r : rules)
    for (const auto& p : r.properties) (void)pp::sources::valid_ipsec_peer(p.value);
  (void)pp::sources::looks_like_ipsec_json(text);
  return 0;
}
