#pragma once
#include "probes/connect/dialogue.h"

/// POP3 (RFC 1939) with CAPA and STLS (RFC 2449, RFC 2595): "+OK" greeting, CAPA (multi-line
/// up to "."; a server answering -ERR simply has no capability list), STLS -> +OK.
namespace pp::connect::pop3 {

/// CAPA lines: keywords (first words, upper-cased), STLS, USER and the SASL mechanisms.
void parse_capa(const std::vector<std::string>& lines, Session& s);

net::NetError greet(Context& c, Session& s);
net::NetError preamble(Context& c, Session& s);
net::NetError starttls(Context& c, std::string_view pipelined, UpgradeReply& up);
net::NetError after_tls(Context& c, Session& s);
std::string injected_command();
bool looks_like_reply(std::string_view bytes);

}  // namespace pp::connect::pop3
