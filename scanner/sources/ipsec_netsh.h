#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sources/ipsec_json.h"

namespace pp::sources {

/// Reads the text `netsh advfirewall consec show rule name=all` prints (English; UTF-8,
/// ASCII or UTF-16 with its byte order mark; `file` names it in positions) into the same
/// records as the JSON export, so one judgement serves both. A rule is a block: "Rule Name:"
/// and a dashed line, then one "Field: value" line per property, up to a blank line or the
/// next "Rule Name:". Fields become the properties the JSON export names: Enabled (Yes/No ->
/// True/False), Mode, Endpoint1 -> LocalAddress, Endpoint2 -> RemoteAddress (comma-separated
/// lists), Protocol, Port1 or LocalPort -> LocalPort, Port2 or RemotePort -> RemotePort,
/// Action -> InboundSecurity and OutboundSecurity (RequireInRequireOut: Require both ways;
/// RequestInRequestOut, RequireInRequestOut, RequestInRequireOut, RequireInClearOut;
/// NoAuthentication: an exemption, None both ways); others are kept as written. Evidence
/// quotes the field as the file wrote it. "No rules match the specified criteria." is a file
/// with no rule. Returns "" or the one positioned error "file:line:column: reason" (a line
/// that is no field, a field before any rule, a repeated field, a rule without Action, an
/// Action or Enabled that is none of the above, no rule and no such sentence); on error `out`
/// is left as it was.
std::string read_ipsec_netsh(std::string_view text, const std::string& file, std::vector<IpsecRule>& out);

/// True when the text looks like that output: past blank lines its first line starts with
/// "Rule Name:" (or it is the no-rule sentence). Judged on the head only.
bool looks_like_ipsec_netsh(std::string_view text);

}  // namespace pp::sources
