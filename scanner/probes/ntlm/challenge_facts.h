#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/fact.h"

/// The facts a server's answer to the NTLM NEGOTIATE gives, shared by the HTTP probe
/// (`ntlm.*`, vdirs) and the mail probe (`mail.ntlm.*`, endpoints): one name per field of the
/// CHALLENGE plus the list of every name it discloses.
namespace pp::ntlm {

/// The fact names after the prefix, in catalogue order: target_name, netbios_computer,
/// netbios_domain, dns_computer, dns_domain, dns_tree, os_version, internal_names.
const std::vector<std::string>& challenge_fact_suffixes();

/// Puts every prefix+suffix fact from the base64 `token` of the answer (`where` starts each
/// evidence and reason: the URL or the dialogue). An empty token (the server answered without
/// a CHALLENGE) gives internal_names = [] and the names Absent; a token that is not base64 or
/// not a CHALLENGE gives them all Unknown with the decoder's reason; a name the CHALLENGE
/// lacks is Absent.
void put_challenge_facts(FactSet& out, std::string_view prefix, const std::string& token, const std::string& where,
                         const std::string& no_challenge_reason);

/// Every name fact (not internal_names) in one state with one reason.
void put_challenge_facts_all(FactSet& out, std::string_view prefix, FactState state, const std::string& reason,
                             bool include_internal_names = true);

}  // namespace pp::ntlm
