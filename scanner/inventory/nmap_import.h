#pragma once
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/target.h"

namespace pp::inventory {

/// Imports nmap's XML output (`nmap -sV -oX`): every host that is up becomes a target, and each
/// open TCP port whose service policyprobe recognises (http, https, ssl/http, smtp, submission,
/// smtps, imap(s), pop3(s), ldap(s), nntp(s)) becomes one of its services. Ports nmap could
/// not name are matched by their well-known number. Malformed XML is a positioned error.
bool load_nmap_xml(const std::string& path, std::vector<Target>& out, Diagnostics& diags);
bool parse_nmap_xml(const std::string& text, const std::string& path, std::vector<Target>& out, Diagnostics& diags);

}  // namespace pp::inventory
