#include "probes/connect/dialogue.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "probes/connect/imap.h"
#include "probes/connect/ldap.h"
#include "probes/connect/nntp.h"
#include "probes/connect/pop3.h"
#include "probes/connect/smtp.h"

namespace pp::connect {

const Dialogue* find_dialogue(Protocol p) {
  /// The pre-TLS dialogues by protocol: one row per dialogue file (see Dialogue in dialogue.h).
  static const Dialogue table[] = {
      {Protocol::Smtp, smtp::greet, smtp::greet, smtp::starttls, smtp::after_tls, smtp::injected_command, smtp::looks_like_reply},
      {Protocol::Imap, imap::greet, imap::preamble, imap::starttls, imap::after_tls, imap::injected_command, imap::looks_like_reply},
      {Protocol::Pop3, pop3::greet, pop3::preamble, pop3::starttls, pop3::after_tls, pop3::injected_command, pop3::looks_like_reply},
      {Protocol::Nntp, nntp::greet, nntp::preamble, nntp::starttls, nntp::after_tls, nntp::injected_command, nntp::looks_like_reply},
      {Protocol::Ldap, ldap::greet, ldap::preamble, ldap::starttls, ldap::after_tls, ldap::injected_command, ldap::looks_like_reply},
  };
  for (const auto& d : table)
    if (d.protocol == p) return &d;
  return nullptr;
}

net::NetError read_dot_terminated(Context& c, std::vector<std::string>& lines) {
  auto is_last = [](const std::string& l) { return l == "."; };
  if (auto err = c.r.read_reply(lines, is_last, c.timeout)) return err;
  lines.pop_back();
  for (auto& l : lines)
    if (l.rfind("..", 0) == 0) l.erase(0, 1);
  return {};
}

StringList split_words(std::string_view s) {
  StringList out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

void add_unique(StringList& list, const std::string& v) {
  if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(v);
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += " | ";
    out += printable(l);
  }
  return printable(out, 2000);
}

void judge_plaintext_login(Session& s, std::string_view password_command, std::string_view upgrade) {
  StringList plain_like;
  for (const auto& m : s.auth_mechs)
    if (m == password_command || m == "PLAIN" || m == "LOGIN") plain_like.push_back(m);
  const std::string what = std::string(password_command) + " or SASL PLAIN/LOGIN before " + std::string(upgrade);
  s.auth_state = FactState::Known;
  s.auth_before_tls = !plain_like.empty();
  s.auth_note = (s.auth_before_tls ? what : "no " + what) + ": " + s.capability_evidence;
}

void no_capability_command(Session& s, std::string_view command, std::string_view first_line,
                           const std::string& reply_text, std::string_view password_command) {
  s.capabilities_known = false;
  s.capability_evidence = std::string(command) + " refused: " + reply_text;
  s.auth_state = FactState::Unknown;
  s.auth_note = "server has no " + std::string(command) + " (" + std::string(first_line) + "); " +
                std::string(password_command) + " before TLS cannot be ruled out without sending credentials";
}

}  // namespace pp::connect
