#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/fact.h"
#include "core/service.h"
#include "probes/connect/line_reader.h"
#include "probes/net/transport.h"

namespace pp::connect {

/// The state one dialogue runs in: the connection, its line reader, the wait bound for every
/// exchange, the name we give in EHLO, and the next IMAP tag / LDAP message id.
struct Context {
  net::Transport& t;
  LineReader& r;
  net::Millis timeout;
  std::string client_name;
  int next_id = 1;

  net::NetError send(std::string_view bytes) { return t.write_all(bytes, timeout); }
};

/// What a greeting plus capability exchange (or the same exchange after TLS) showed.
struct Session {
  std::string banner;                     ///< greeting line(s); empty for LDAP
  StringList capabilities;                ///< keywords / atoms / RootDSE supportedExtension
  std::string capability_evidence;        ///< the raw capability reply, trimmed
  bool capabilities_known = false;        ///< false when the server had no capability command
  bool starttls_offered = false;
  StringList auth_mechs;                  ///< SASL mechanisms plus LOGIN-COMMAND / USER / AUTHINFO-USER
  /// mail.auth_before_tls as this protocol defines it; Unknown/Absent come with auth_note.
  FactState auth_state = FactState::Unknown;
  bool auth_before_tls = false;
  std::string auth_note;                  ///< evidence when Known, reason otherwise
  StringList naming_contexts;             ///< LDAP RootDSE namingContexts (where the bind check aims)
};

/// POP3 and NNTP judge plaintext login the same way: a password command (`password_command`:
/// USER, AUTHINFO-USER) or SASL PLAIN/LOGIN listed before the upgrade command (`upgrade`: STLS,
/// STARTTLS) means a password can cross the wire in clear text.
void judge_plaintext_login(Session& s, std::string_view password_command, std::string_view upgrade);

/// A server without a capability command (`command`: CAPA, CAPABILITIES): whether it takes a
/// password before TLS cannot be told without sending one, so the answer is Unknown.
void no_capability_command(Session& s, std::string_view command, std::string_view first_line,
                           const std::string& reply_text, std::string_view password_command);

/// The server's answer to STARTTLS: accepted (220, OK, +OK, 382, LDAP success) or refused.
struct UpgradeReply {
  bool accepted = false;
  std::string text;  ///< the reply line (LDAP: "resultCode N: message")
};

/// One protocol's pre-TLS dialogue, as plain function pointers in an explicit table
/// (dialogue.cc): greeting / preamble, capability request, STARTTLS request and its reply.
/// Adding a dialogue (RDP's X.224 request, PostgreSQL's SSLRequest, ...) is one file here,
/// `name.h` / `name.cc` with its `name_test.cc`, defining these functions in `pp::connect::name`,
/// plus one row in the table of dialogue.cc (and the Protocol value in core/service.h if the
/// service has none yet). starttls_connector and every TLS check then run over it unchanged.
struct Dialogue {
  Protocol protocol;
  /// Reads the greeting and asks for capabilities.
  net::NetError (*greet)(Context&, Session&);
  /// The least that must precede STARTTLS (SMTP: greeting and EHLO; IMAP, POP3, NNTP: the
  /// greeting; LDAP: nothing), for connections that only want to reach TLS.
  net::NetError (*preamble)(Context&, Session&);
  /// Sends the STARTTLS command followed by `pipelined` in the same write, reads exactly the
  /// reply to STARTTLS and nothing beyond it (extra bytes stay in the reader's pending()).
  net::NetError (*starttls)(Context&, std::string_view pipelined, UpgradeReply&);
  /// The capability exchange again, inside TLS, for the mechanisms offered there.
  net::NetError (*after_tls)(Context&, Session&);
  /// A harmless command to pipeline behind STARTTLS for the injection test.
  std::string (*injected_command)();
  /// Whether bytes received after the STARTTLS reply look like this protocol's answer to the
  /// injected command (as opposed to a TLS alert or nothing).
  bool (*looks_like_reply)(std::string_view bytes);
};

/// The row of the dialogue table for `p`, or nullptr when no pre-TLS dialogue is known for it.
const Dialogue* find_dialogue(Protocol p);

/// The body of a POP3 / NNTP multi-line response up to the "." line (excluded), with the
/// dot-stuffing undone; capped like every reply.
net::NetError read_dot_terminated(Context& c, std::vector<std::string>& lines);

/// Splits on spaces and tabs, dropping empty tokens.
StringList split_words(std::string_view s);
/// Appends `v` to `list` unless it is already there.
void add_unique(StringList& list, const std::string& v);
/// Joins lines with " | " for evidence strings.
std::string join_lines(const std::vector<std::string>& lines);

}  // namespace pp::connect
