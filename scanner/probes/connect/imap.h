#pragma once
#include "probes/connect/dialogue.h"

/// IMAP4 (RFC 3501 / 9051) with STARTTLS (RFC 2595): "* OK [CAPABILITY ...]" greeting,
/// "aN CAPABILITY", LOGINDISABLED, AUTH=mechanisms, "aN STARTTLS" -> "aN OK".
namespace pp::connect::imap {

/// Capability atoms (upper-cased) from the text after "CAPABILITY": sets STARTTLS, the AUTH=
/// mechanisms and LOGIN-COMMAND (the LOGIN command is usable: no LOGINDISABLED).
void parse_capabilities(std::string_view atoms, Session& s);

/// Sends "aN <command>" and reads untagged lines up to the tagged completion; `status` gets
/// OK, NO or BAD.
net::NetError command(Context& c, std::string_view cmd, std::vector<std::string>& lines, std::string& status,
                      std::string_view pipelined = {});

net::NetError greet(Context& c, Session& s);
net::NetError preamble(Context& c, Session& s);
net::NetError starttls(Context& c, std::string_view pipelined, UpgradeReply& up);
net::NetError after_tls(Context& c, Session& s);
std::string injected_command();
bool looks_like_reply(std::string_view bytes);

}  // namespace pp::connect::imap
