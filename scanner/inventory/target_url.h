#pragma once
#include <string>
#include <vector>

#include "core/target.h"

namespace pp::inventory {

/// Parses one command-line target:
///   https://host[:port][/vdir]  http://...  smtp:// submission:// smtps:// imap:// imaps://
///   pop3:// pop3s:// ldap:// ldaps:// nntp:// nntps://   (IPv6 literals in brackets)
///   host | [v6] | v4       a bare host: the usual web, mail and directory ports are tried
/// An https URL on the default port also gets its plain http:80 companion, so the
/// plaintext-fallback rules can run; a vdir applies to the web services only.
/// Returns false and sets `error` (one line, naming the input) on bad input.
bool parse_target_url(const std::string& text, Target& out, std::string& error);

/// Parses every argument and merges those naming the same host (services and vdirs united).
bool parse_target_urls(const std::vector<std::string>& args, std::vector<Target>& out, std::string& error);

/// The services tried for a bare host, in order.
std::vector<ServiceEndpoint> discovery_services();

}  // namespace pp::inventory
