#pragma once
#include <string>

#include "probes/connect/dialogue.h"

/// The NTLM SASL exchange of SMTP (AUTH NTLM, RFC 4954), IMAP (AUTHENTICATE NTLM, RFC 3501
/// 6.2.2) and POP3 (AUTH NTLM, RFC 5034), taken only as far as the server's CHALLENGE: the
/// NEGOTIATE_MESSAGE (type 1) carries no credential, and the exchange is then cancelled with
/// "*" before any AUTHENTICATE_MESSAGE could be due. The session is left unauthenticated.
namespace pp::connect {

/// What the exchange showed.
struct NtlmExchange {
  bool challenged = false;  ///< the server answered the NEGOTIATE with a continuation token
  std::string token;        ///< that token (base64 CHALLENGE_MESSAGE), as received
  std::string refusal;      ///< the reply that ended the exchange early (not challenged)
  std::string evidence;     ///< the server's lines of the exchange, printable
};

/// Runs the exchange on a session past its greeting (SMTP: after EHLO). Smtp, Imap and Pop3
/// only; another protocol is an error. A reply that fits no step is Malformed.
net::NetError sasl_ntlm(Context& c, Protocol p, NtlmExchange& out);

/// Ends the session politely (QUIT / LOGOUT), reading at most one reply; errors are ignored.
void say_goodbye(Context& c, Protocol p);

}  // namespace pp::connect
