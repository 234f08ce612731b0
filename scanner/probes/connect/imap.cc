#include "probes/connect/imap.h"

#include "core/text.h"

namespace pp::connect::imap {

using net::NetError;
using net::NetErrorKind;

namespace {

/// The text after "CAPABILITY" in "* CAPABILITY a b" or "[CAPABILITY a b] text".
bool capability_text(std::string_view line, std::string& atoms) {
  std::string up = text::to_upper(line);
  size_t p = up.find("CAPABILITY ");
  if (p == std::string::npos) return false;
  size_t end = up.find(']', p);
  atoms = std::string(line.substr(p + 11, end == std::string::npos ? std::string::npos : end - p - 11));
  return true;
}

void finish_auth(Session& s) {
  bool login_disabled = false;
  for (const auto& a : s.capabilities)
    if (a == "LOGINDISABLED") login_disabled = true;
  StringList plain_like;
  if (!login_disabled) plain_like.push_back("LOGIN command (no LOGINDISABLED)");
  for (const auto& m : s.auth_mechs)
    if (m == "PLAIN" || m == "LOGIN") plain_like.push_back("AUTH=" + m);
  s.auth_state = FactState::Known;
  s.auth_before_tls = !plain_like.empty();
  std::string what;
  for (const auto& p : plain_like) what += (what.empty() ? "" : ", ") + p;
  s.auth_note = s.auth_before_tls ? "plaintext login before STARTTLS: " + what + "; " + s.capability_evidence
                                  : "LOGINDISABLED and no AUTH=PLAIN/LOGIN before STARTTLS: " + s.capability_evidence;
}

}  // namespace

void parse_capabilities(std::string_view atoms, Session& s) {
  s.capabilities.clear();
  s.auth_mechs.clear();
  s.starttls_offered = false;
  bool login_disabled = false;
  for (const auto& w : split_words(atoms)) {
    std::string a = text::to_upper(w);
    add_unique(s.capabilities, a);
    if (a == "STARTTLS") s.starttls_offered = true;
    if (a == "LOGINDISABLED") login_disabled = true;
    if (a.rfind("AUTH=", 0) == 0 && a.size() > 5) add_unique(s.auth_mechs, a.substr(5));
  }
  if (!login_disabled) add_unique(s.auth_mechs, "LOGIN-COMMAND");
  s.capabilities_known = true;
}

NetError command(Context& c, std::string_view cmd, std::vector<std::string>& lines, std::string& status,
                 std::string_view pipelined) {
  const std::string tag = "a" + std::to_string(c.next_id++);
  if (auto err = c.send(tag + " " + std::string(cmd) + "\r\n" + std::string(pipelined))) return err;
  const std::string prefix = tag + " ";
  auto is_last = [&](const std::string& l) { return l.rfind(prefix, 0) == 0; };
  if (auto err = c.r.read_reply(lines, is_last, c.timeout)) return err;
  for (size_t i = 0; i + 1 < lines.size(); ++i)
    if (lines[i].rfind("* ", 0) != 0 && lines[i].rfind("+ ", 0) != 0)
      return NetError::make(NetErrorKind::Malformed, "not an IMAP response: " + printable(lines[i], 80));
  auto words = split_words(lines.back());
  status = words.size() >= 2 ? text::to_upper(words[1]) : "";
  if (status != "OK" && status != "NO" && status != "BAD")
    return NetError::make(NetErrorKind::Malformed, "not an IMAP completion: " + printable(lines.back(), 80));
  return {};
}

NetError preamble(Context& c, Session& s) {
  std::string g;
  if (auto err = c.r.read_line(g, c.timeout)) return err;
  s.banner = printable(g);
  std::string up = text::to_upper(g);
  if (up.rfind("* BYE", 0) == 0) return NetError::make(NetErrorKind::Other, "server refused the session: " + s.banner);
  if (up.rfind("* OK", 0) != 0 && up.rfind("* PREAUTH", 0) != 0)
    return NetError::make(NetErrorKind::Malformed, "garbage greeting: " + printable(g, 80));
  return {};
}

NetError greet(Context& c, Session& s) {
  if (auto err = preamble(c, s)) return err;
  const std::string g = s.banner;
  std::string atoms;
  bool from_greeting = capability_text(g, atoms);
  if (from_greeting) {
    parse_capabilities(atoms, s);
    s.capability_evidence = printable(g);
  }
  std::vector<std::string> lines;
  std::string status;
  if (auto err = command(c, "CAPABILITY", lines, status)) return err;
  bool found = false;
  for (const auto& l : lines)
    if (l.rfind("* ", 0) == 0 && capability_text(l, atoms)) {
      parse_capabilities(atoms, s);
      s.capability_evidence = printable(l);
      found = true;
    }
  if (!found && !from_greeting)
    return NetError::make(NetErrorKind::Malformed, "no CAPABILITY in the greeting nor in reply to CAPABILITY: " +
                                                       join_lines(lines));
  finish_auth(s);
  return {};
}

NetError starttls(Context& c, std::string_view pipelined, UpgradeReply& up) {
  std::vector<std::string> lines;
  std::string status;
  if (auto err = command(c, "STARTTLS", lines, status, pipelined)) return err;
  up.text = printable(lines.back());
  up.accepted = status == "OK";
  return {};
}

NetError after_tls(Context& c, Session& s) {
  std::vector<std::string> lines;
  std::string status;
  if (auto err = command(c, "CAPABILITY", lines, status)) return err;
  std::string atoms;
  for (const auto& l : lines)
    if (l.rfind("* ", 0) == 0 && capability_text(l, atoms)) {
      parse_capabilities(atoms, s);
      s.capability_evidence = printable(l);
      return {};
    }
  return NetError::make(NetErrorKind::Malformed, "no CAPABILITY after TLS: " + join_lines(lines));
}

/// A tag the dialogue never uses, so its completion cannot be confused with ours.
std::string injected_command() { return "z9 NOOP\r\n"; }

bool looks_like_reply(std::string_view bytes) { return bytes.rfind("z9 ", 0) == 0 || bytes.rfind("* ", 0) == 0; }

}  // namespace pp::connect::imap
