#include "probes/connect/nntp.h"

#include <cctype>

#include "core/text.h"

namespace pp::connect::nntp {

using net::NetError;
using net::NetErrorKind;

namespace {

/// The 3-digit status of a response line, or -1.
int status_of(std::string_view l) {
  if (l.size() < 3) return -1;
  for (int i = 0; i < 3; ++i)
    if (!std::isdigit(static_cast<unsigned char>(l[i]))) return -1;
  if (l.size() > 3 && l[3] != ' ') return -1;
  return (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
}

NetError capabilities(Context& c, std::vector<std::string>& lines, bool& supported) {
  if (auto err = c.send("CAPABILITIES\r\n")) return err;
  std::string first;
  if (auto err = c.r.read_line(first, c.timeout)) return err;
  int st = status_of(first);
  if (st < 0) return NetError::make(NetErrorKind::Malformed, "not an NNTP response: " + printable(first, 80));
  if (st != 101) {
    supported = false;
    lines = {first};
    return {};
  }
  supported = true;
  return read_dot_terminated(c, lines);
}

}  // namespace

void parse_capabilities(const std::vector<std::string>& lines, Session& s) {
  s.capabilities.clear();
  s.auth_mechs.clear();
  s.starttls_offered = false;
  for (const auto& l : lines) {
    auto words = split_words(l);
    if (words.empty()) continue;
    std::string kw = text::to_upper(words[0]);
    add_unique(s.capabilities, kw);
    if (kw == "STARTTLS") s.starttls_offered = true;
    if (kw == "AUTHINFO")
      for (size_t i = 1; i < words.size(); ++i)
        if (text::to_upper(words[i]) == "USER") add_unique(s.auth_mechs, "AUTHINFO-USER");
    if (kw == "SASL")
      for (size_t i = 1; i < words.size(); ++i) add_unique(s.auth_mechs, text::to_upper(words[i]));
  }
  s.capabilities_known = true;
  s.capability_evidence = join_lines(lines);
}

NetError preamble(Context& c, Session& s) {
  std::string g;
  if (auto err = c.r.read_line(g, c.timeout)) return err;
  s.banner = printable(g);
  int st = status_of(g);
  if (st < 0) return NetError::make(NetErrorKind::Malformed, "garbage greeting: " + printable(g, 80));
  if (st != 200 && st != 201) return NetError::make(NetErrorKind::Other, "server refused the session: " + s.banner);
  return {};
}

NetError greet(Context& c, Session& s) {
  if (auto err = preamble(c, s)) return err;
  std::vector<std::string> lines;
  bool supported = false;
  if (auto err = capabilities(c, lines, supported)) return err;
  if (!supported) {
    no_capability_command(s, "CAPABILITIES", printable(lines.front(), 80), join_lines(lines), "AUTHINFO USER");
    return {};
  }
  parse_capabilities(lines, s);
  judge_plaintext_login(s, "AUTHINFO-USER", "STARTTLS");
  return {};
}

NetError starttls(Context& c, std::string_view pipelined, UpgradeReply& up) {
  if (auto err = c.send("STARTTLS\r\n" + std::string(pipelined))) return err;
  std::string l;
  if (auto err = c.r.read_line(l, c.timeout)) return err;
  int st = status_of(l);
  if (st < 0) return NetError::make(NetErrorKind::Malformed, "not an NNTP reply to STARTTLS: " + printable(l, 80));
  up.text = printable(l);
  up.accepted = st == 382;
  return {};
}

NetError after_tls(Context& c, Session& s) {
  std::vector<std::string> lines;
  bool supported = false;
  if (auto err = capabilities(c, lines, supported)) return err;
  if (!supported) return NetError::make(NetErrorKind::Other, "CAPABILITIES refused after TLS: " + join_lines(lines));
  parse_capabilities(lines, s);
  return {};
}

/// DATE (RFC 3977 §7.1) changes nothing on the server and always answers 111.
std::string injected_command() { return "DATE\r\n"; }

bool looks_like_reply(std::string_view bytes) { return status_of(bytes.substr(0, bytes.find_first_of("\r\n"))) >= 0; }

}  // namespace pp::connect::nntp
