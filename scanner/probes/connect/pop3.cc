#include "probes/connect/pop3.h"

#include "core/text.h"

namespace pp::connect::pop3 {

using net::NetError;
using net::NetErrorKind;

namespace {

bool is_ok(std::string_view l) { return l.rfind("+OK", 0) == 0; }
bool is_err(std::string_view l) { return l.rfind("-ERR", 0) == 0; }

/// Sends CAPA and reads its answer; `supported` false when the server answered -ERR.
NetError capa(Context& c, std::vector<std::string>& lines, bool& supported) {
  if (auto err = c.send("CAPA\r\n")) return err;
  std::string first;
  if (auto err = c.r.read_line(first, c.timeout)) return err;
  if (is_err(first)) {
    supported = false;
    lines = {first};
    return {};
  }
  if (!is_ok(first)) return NetError::make(NetErrorKind::Malformed, "not a POP3 reply to CAPA: " + printable(first, 80));
  supported = true;
  return read_dot_terminated(c, lines);
}

}  // namespace

void parse_capa(const std::vector<std::string>& lines, Session& s) {
  s.capabilities.clear();
  s.auth_mechs.clear();
  s.starttls_offered = false;
  for (const auto& l : lines) {
    auto words = split_words(l);
    if (words.empty()) continue;
    std::string kw = text::to_upper(words[0]);
    add_unique(s.capabilities, kw);
    if (kw == "STLS") s.starttls_offered = true;
    if (kw == "USER") add_unique(s.auth_mechs, "USER");
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
  if (is_err(g)) return NetError::make(NetErrorKind::Other, "server refused the session: " + s.banner);
  if (!is_ok(g)) return NetError::make(NetErrorKind::Malformed, "garbage greeting: " + printable(g, 80));
  return {};
}

NetError greet(Context& c, Session& s) {
  if (auto err = preamble(c, s)) return err;
  std::vector<std::string> lines;
  bool supported = false;
  if (auto err = capa(c, lines, supported)) return err;
  if (!supported) {
    /// RFC 1939 servers without CAPA: STLS cannot be advertised (RFC 2595 needs CAPA) and
    /// whether USER/PASS works cannot be told without sending credentials.
    no_capability_command(s, "CAPA", printable(lines.front(), 80), join_lines(lines), "USER/PASS");
    return {};
  }
  parse_capa(lines, s);
  judge_plaintext_login(s, "USER", "STLS");
  return {};
}

NetError starttls(Context& c, std::string_view pipelined, UpgradeReply& up) {
  if (auto err = c.send("STLS\r\n" + std::string(pipelined))) return err;
  std::string l;
  if (auto err = c.r.read_line(l, c.timeout)) return err;
  if (!is_ok(l) && !is_err(l))
    return NetError::make(NetErrorKind::Malformed, "not a POP3 reply to STLS: " + printable(l, 80));
  up.text = printable(l);
  up.accepted = is_ok(l);
  return {};
}

NetError after_tls(Context& c, Session& s) {
  std::vector<std::string> lines;
  bool supported = false;
  if (auto err = capa(c, lines, supported)) return err;
  if (!supported) return NetError::make(NetErrorKind::Other, "CAPA refused after TLS: " + join_lines(lines));
  parse_capa(lines, s);
  return {};
}

std::string injected_command() { return "NOOP\r\n"; }

bool looks_like_reply(std::string_view bytes) { return is_ok(bytes) || is_err(bytes); }

}  // namespace pp::connect::pop3
