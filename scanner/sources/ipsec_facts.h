#pragma once
#include <string>
#include <vector>

#include "core/fact.h"
#include "sources/ipsec_json.h"

namespace pp::sources {

/// The facts one IPsec rule export fixes, for one endpoint subject (the host it was taken
/// from), judged against `peers` (IP addresses or subnets "10.0.0.0/24" of the other end of
/// the hop to protect):
///   ipsec.rules_enabled      enabled rules by name
///   ipsec.peers_protected    every peer covered by an enabled rule requiring IPsec both ways
///   ipsec.peers_unprotected  the peers that are not
///   ipsec.transport_mode     the protecting rules use transport mode
/// Evidence names the rule and the file:line of the deciding property. With no peers named,
/// the peer facts are Unknown and say to name them; a rule whose addresses cannot be judged
/// (no RemoteAddress in the export, a keyword such as LocalSubnet) makes them Unknown where it
/// could decide, never a pass.
FactSet ipsec_facts(const std::vector<IpsecRule>& rules, const std::vector<std::string>& peers);

/// True when `text` is an IPv4 or IPv6 address, a subnet ("10.0.0.0/24",
/// "10.0.0.0/255.255.255.0") or a range ("10.0.0.1-10.0.0.9"): a peer that can be judged.
bool valid_ipsec_peer(const std::string& text);

}  // namespace pp::sources
