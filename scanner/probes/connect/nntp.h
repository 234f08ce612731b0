#pragma once
#include "probes/connect/dialogue.h"

/// NNTP (RFC 3977) with STARTTLS (RFC 4642) and AUTHINFO (RFC 4643): 200/201 greeting,
/// CAPABILITIES (101 + lines up to "."), STARTTLS -> 382.
namespace pp::connect::nntp {

/// CAPABILITIES lines: keywords, STARTTLS, AUTHINFO USER (as AUTHINFO-USER) and SASL mechanisms.
void parse_capabilities(const std::vector<std::string>& lines, Session& s);

net::NetError greet(Context& c, Session& s);
net::NetError preamble(Context& c, Session& s);
net::NetError starttls(Context& c, std::string_view pipelined, UpgradeReply& up);
net::NetError after_tls(Context& c, Session& s);
std::string injected_command();
bool looks_like_reply(std::string_view bytes);

}  // namespace pp::connect::nntp
