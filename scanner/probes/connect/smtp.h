#pragma once
#include "probes/connect/dialogue.h"

/// SMTP (RFC 5321) with STARTTLS (RFC 3207) and AUTH (RFC 4954): greeting 220 (multi-line
/// allowed), EHLO keywords, STARTTLS -> 220, EHLO again inside TLS.
namespace pp::connect::smtp {

/// One SMTP reply: the code shared by all lines and the text after "ddd-" / "ddd ".
struct Reply {
  int code = 0;
  std::vector<std::string> lines;  ///< raw lines
  std::vector<std::string> texts;  ///< each line without its code and separator
};

/// Reads one (multi-line) reply; Malformed when a line does not start with the same 3 digits.
net::NetError read_reply(Context& c, Reply& out);

/// EHLO keywords (upper-cased first words), STARTTLS and AUTH mechanisms (both "AUTH a b"
/// and the old "AUTH=a b" form) from the texts of a 250 EHLO reply, skipping the first line.
void parse_ehlo(const Reply& ehlo, Session& s);

net::NetError greet(Context& c, Session& s);
net::NetError starttls(Context& c, std::string_view pipelined, UpgradeReply& up);
net::NetError after_tls(Context& c, Session& s);
std::string injected_command();
bool looks_like_reply(std::string_view bytes);

}  // namespace pp::connect::smtp
