#pragma once
#include <map>

#include "probes/connect/dialogue.h"

/// LDAPv3 (RFC 4511) StartTLS extended operation (RFC 4511 §4.14, RFC 4513 §3): a RootDSE
/// search for supportedExtension / supportedSASLMechanisms, then the ExtendedRequest
/// 1.3.6.1.4.1.1466.20037 and its ExtendedResponse resultCode.
namespace pp::connect::ldap {

inline constexpr std::string_view kStartTlsOid = "1.3.6.1.4.1.1466.20037";
inline constexpr uint8_t kBindRequest = 0x60, kBindResponse = 0x61, kSearchRequest = 0x63, kSearchResultEntry = 0x64, kSearchResultDone = 0x65,
                         kSearchResultReference = 0x73, kExtendedRequest = 0x77, kExtendedResponse = 0x78;

std::string starttls_request(int message_id);
/// Base-object search of "" for supportedExtension, supportedSASLMechanisms and namingContexts.
std::string rootdse_request(int message_id);

/// One LDAPMessage: id, the protocolOp tag and its content.
struct Message {
  int64_t id = 0;
  uint8_t op = 0;
  std::string bytes;        ///< the whole message (owns what `body` points into)
  std::string_view body;    ///< content of the protocolOp
};

/// Reads exactly one LDAPMessage from the stream (never a byte beyond it).
net::NetError read_message(LineReader& r, net::Millis timeout, Message& m);

/// LDAPResult (resultCode, matchedDN, diagnosticMessage) at the start of an op's content.
struct Result {
  int64_t code = -1;
  std::string diagnostic;
};
bool parse_result(std::string_view body, Result& res, std::string& err);

/// The attributes of a SearchResultEntry: type -> values.
bool parse_entry(std::string_view body, std::map<std::string, StringList>& attrs, std::string& err);

/// Runs the RootDSE search; `attrs` empty and `code` != 0 when the server refused it.
net::NetError search_rootdse(Context& c, std::map<std::string, StringList>& attrs, Result& done);

/// The plaintext-bind check (fact mail.ldap.plaintext_bind_refused). It sends a simple bind
/// whose DN and password name nobody: never a real credential, so nothing can leak, and the
/// server's answer still tells whether it would have checked a password sent in clear.
/// The DN is `kBogusBindRdn` under the server's first namingContext: slapd answers a DN
/// outside every database it holds with invalidCredentials before looking at the connection's
/// security, so only a DN inside one shows what a real user's bind would meet.
inline constexpr std::string_view kBogusBindRdn = "cn=policyprobe-plaintext-bind-check";
inline constexpr std::string_view kFallbackBindBase = "dc=invalid";
inline constexpr std::string_view kBogusBindPassword = "policyprobe-not-a-password";
std::string simple_bind_request(int message_id, std::string_view dn, std::string_view password);
/// kBogusBindRdn under the first naming context, or under kFallbackBindBase when none is known.
std::string bogus_bind_dn(const StringList& naming_contexts);

/// Judges the BindResponse resultCode to the bogus simple bind: confidentialityRequired (13),
/// strongerAuthRequired (8) or unwillingToPerform (53) → refused (true); invalidCredentials
/// (49) or success (0) → the password was checked, so it is accepted in clear (false); any
/// other code → unknown (the server answered something this check cannot read). Without a
/// known naming context, invalidCredentials may only mean "no such directory": unknown.
Fact judge_plaintext_bind(int64_t code, const std::string& diagnostic, bool inside_naming_context = true);

/// Sends the bogus simple bind on the (plaintext) connection and reads its BindResponse.
/// Returns the fact; a transport error makes it unknown and is also returned in `err`.
Fact plaintext_bind(Context& c, const StringList& naming_contexts, net::NetError& err);

net::NetError greet(Context& c, Session& s);
net::NetError preamble(Context& c, Session& s);
net::NetError starttls(Context& c, std::string_view pipelined, UpgradeReply& up);
net::NetError after_tls(Context& c, Session& s);
std::string injected_command();
bool looks_like_reply(std::string_view bytes);

}  // namespace pp::connect::ldap
