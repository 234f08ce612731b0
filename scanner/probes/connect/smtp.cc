#include "probes/connect/smtp.h"

#include <cctype>

#include "core/text.h"

namespace pp::connect::smtp {

using net::NetError;
using net::NetErrorKind;

namespace {

bool three_digits(std::string_view l) {
  return l.size() >= 3 && std::isdigit(static_cast<unsigned char>(l[0])) &&
         std::isdigit(static_cast<unsigned char>(l[1])) && std::isdigit(static_cast<unsigned char>(l[2]));
}

NetError ehlo(Context& c, Reply& r) {
  if (auto err = c.send("EHLO " + c.client_name + "\r\n")) return err;
  return read_reply(c, r);
}

}  // namespace

NetError read_reply(Context& c, Reply& out) {
  out = {};
  auto is_last = [](const std::string& l) { return !(l.size() >= 4 && three_digits(l) && l[3] == '-'); };
  if (auto err = c.r.read_reply(out.lines, is_last, c.timeout)) return err;
  for (const auto& l : out.lines) {
    if (!three_digits(l) || (l.size() > 3 && l[3] != ' ' && l[3] != '-'))
      return NetError::make(NetErrorKind::Malformed, "not an SMTP reply: " + printable(l, 80));
    int code = std::stoi(l.substr(0, 3));
    if (out.code != 0 && code != out.code)
      return NetError::make(NetErrorKind::Malformed, "SMTP reply mixes codes " + std::to_string(out.code) + " and " +
                                                         std::to_string(code));
    out.code = code;
    out.texts.push_back(l.size() > 4 ? l.substr(4) : std::string());
  }
  return {};
}

void parse_ehlo(const Reply& ehlo, Session& s) {
  for (size_t i = 1; i < ehlo.texts.size(); ++i) {
    const std::string& text = ehlo.texts[i];
    auto words = split_words(text);
    if (words.empty()) continue;
    std::string kw = text::to_upper(words[0]);
    StringList mechs;
    if (kw.rfind("AUTH=", 0) == 0) {  // pre-RFC 4954 form still sent for old Outlook clients
      mechs.push_back(kw.substr(5));
      kw = "AUTH";
      for (size_t w = 1; w < words.size(); ++w) mechs.push_back(text::to_upper(words[w]));
    } else if (kw == "AUTH") {
      for (size_t w = 1; w < words.size(); ++w) mechs.push_back(text::to_upper(words[w]));
    }
    add_unique(s.capabilities, kw);
    if (kw == "STARTTLS") s.starttls_offered = true;
    for (const auto& m : mechs)
      if (!m.empty()) add_unique(s.auth_mechs, m);
  }
  s.capabilities_known = true;
  s.capability_evidence = join_lines(ehlo.lines);
}

NetError greet(Context& c, Session& s) {
  Reply g;
  if (auto err = read_reply(c, g)) {
    if (err.kind == NetErrorKind::Malformed) err.message = "garbage greeting: " + err.message;
    return err;
  }
  s.banner = join_lines(g.lines);
  if (g.code != 220) return NetError::make(NetErrorKind::Other, "server refused the session: " + s.banner);
  Reply e;
  if (auto err = ehlo(c, e)) return err;
  if (e.code != 250) {
    /// A server without ESMTP has no STARTTLS and no AUTH; say so rather than fail.
    s.capabilities_known = true;
    s.capability_evidence = "EHLO refused: " + join_lines(e.lines);
    s.auth_state = FactState::Known;
    s.auth_before_tls = false;
    s.auth_note = s.capability_evidence;
    return {};
  }
  parse_ehlo(e, s);
  s.auth_state = FactState::Known;
  s.auth_before_tls = !s.auth_mechs.empty();
  s.auth_note = s.auth_before_tls ? "AUTH advertised before STARTTLS: " + s.capability_evidence
                                  : "no AUTH keyword before STARTTLS";
  return {};
}

NetError starttls(Context& c, std::string_view pipelined, UpgradeReply& up) {
  if (auto err = c.send("STARTTLS\r\n" + std::string(pipelined))) return err;
  Reply r;
  if (auto err = read_reply(c, r)) return err;
  up.text = join_lines(r.lines);
  up.accepted = r.code == 220;
  return {};
}

NetError after_tls(Context& c, Session& s) {
  Reply e;
  if (auto err = ehlo(c, e)) return err;
  if (e.code != 250) return NetError::make(NetErrorKind::Other, "EHLO after TLS refused: " + join_lines(e.lines));
  parse_ehlo(e, s);
  return {};
}

std::string injected_command() { return "NOOP\r\n"; }

bool looks_like_reply(std::string_view bytes) {
  return three_digits(bytes) && (bytes.size() == 3 || bytes[3] == ' ' || bytes[3] == '-' || bytes[3] == '\r');
}

}  // namespace pp::connect::smtp
