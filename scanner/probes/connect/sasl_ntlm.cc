#include "probes/connect/sasl_ntlm.h"

#include "core/text.h"
#include "probes/connect/smtp.h"
#include "probes/ntlm/base64.h"
#include "probes/ntlm/message.h"

namespace pp::connect {

using net::NetError;
using net::NetErrorKind;

namespace {

/// One server step of the exchange: a continuation (with the text after "334 " / "+ ") or
/// the final reply that refuses or ends it.
struct Step {
  bool continuation = false;
  std::string text;  ///< continuation: the token part; otherwise the whole reply
};

NetError smtp_step(Context& c, Step& s) {
  smtp::Reply r;
  if (auto err = smtp::read_reply(c, r)) return err;
  s.continuation = r.code == 334;
  s.text = s.continuation ? (r.texts.empty() ? std::string() : r.texts.back()) : join_lines(r.lines);
  return {};
}

/// IMAP: "+ ..." is a continuation; untagged "* ..." lines are skipped; the tagged line ends it.
NetError imap_step(Context& c, const std::string& tag, Step& s) {
  for (int skipped = 0; skipped < 64; ++skipped) {
    std::string line;
    if (auto err = c.r.read_line(line, c.timeout)) return err;
    if (line.rfind("* ", 0) == 0) continue;
    if (line == "+" || line.rfind("+ ", 0) == 0) {
      s = {true, line.size() > 2 ? line.substr(2) : std::string()};
      return {};
    }
    if (line.rfind(tag + " ", 0) == 0) {
      s = {false, line};
      return {};
    }
    return NetError::make(NetErrorKind::Malformed, "not an IMAP reply to AUTHENTICATE: " + printable(line, 80));
  }
  return NetError::make(NetErrorKind::Malformed, "more than 64 untagged lines during AUTHENTICATE");
}

NetError pop3_step(Context& c, Step& s) {
  std::string line;
  if (auto err = c.r.read_line(line, c.timeout)) return err;
  if (line == "+" || line.rfind("+ ", 0) == 0) {
    s = {true, line.size() > 2 ? line.substr(2) : std::string()};
    return {};
  }
  if (line.rfind("-ERR", 0) == 0 || line.rfind("+OK", 0) == 0) {
    s = {false, line};
    return {};
  }
  return NetError::make(NetErrorKind::Malformed, "not a POP3 reply to AUTH: " + printable(line, 80));
}

/// Trims a token of surrounding blanks (some servers pad the continuation).
}  // namespace

NetError sasl_ntlm(Context& c, Protocol p, NtlmExchange& out) {
  out = {};
  if (p != Protocol::Smtp && p != Protocol::Imap && p != Protocol::Pop3)
    return NetError::make(NetErrorKind::Other, "no NTLM SASL exchange for this protocol");
  const std::string tag = p == Protocol::Imap ? "a" + std::to_string(c.next_id++) : std::string();
  auto step = [&](Step& s) {
    return p == Protocol::Smtp ? smtp_step(c, s) : p == Protocol::Imap ? imap_step(c, tag, s) : pop3_step(c, s);
  };
  const std::string start = p == Protocol::Imap ? tag + " AUTHENTICATE NTLM\r\n" : "AUTH NTLM\r\n";
  Step s;
  if (auto err = c.send(start)) return err;
  if (auto err = step(s)) return err;
  out.evidence = printable(start.substr(0, start.size() - 2)) + " -> " + printable(s.continuation ? "+ " + s.text : s.text);
  if (!s.continuation) {
    out.refusal = printable(s.text);
    return {};
  }
  // The NEGOTIATE: flags only, no user, domain or workstation.
  if (auto err = c.send(ntlm::base64_encode(ntlm::negotiate_message()) + "\r\n")) return err;
  if (auto err = step(s)) return err;
  // The token itself is in the facts' evidence; here only its size.
  out.evidence += "; NEGOTIATE -> " + (s.continuation ? "+ (" + std::to_string(text::trim_blanks(s.text).size()) + " base64 characters)"
                                                      : printable(s.text, 120));
  if (!s.continuation || text::trim_blanks(s.text).empty()) {
    out.refusal = printable(s.text);
    if (!s.continuation) return {};
  } else {
    out.challenged = true;
    out.token = std::string(text::trim_blanks(s.text));
  }
  // Cancel (RFC 4954 4, RFC 3501 6.2.2, RFC 5034 4): the server answers with a refusal.
  if (auto err = c.send("*\r\n")) return err;
  Step end;
  if (auto err = step(end)) return err;
  out.evidence += "; * -> " + printable(end.text, 80);
  return {};
}

void say_goodbye(Context& c, Protocol p) {
  const std::string bye = p == Protocol::Imap ? "a" + std::to_string(c.next_id++) + " LOGOUT\r\n" : "QUIT\r\n";
  if (c.send(bye)) return;
  std::string line;
  (void)c.r.read_line(line, c.timeout);
}

}  // namespace pp::connect
