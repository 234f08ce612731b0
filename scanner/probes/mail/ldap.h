#pragma once
#include <map>

#include "probes/mail/dialogue.h"

/// LDAPv3 (RFC 4511) StartTLS extended operation (RFC 4511 §4.14, RFC 4513 §3): a RootDSE
/// search for supportedExtension / supportedSASLMechanisms, then the ExtendedRequest
/// 1.3.6.1.4.1.1466.20037 and its ExtendedResponse resultCode.
namespace pp::mail::ldap {

inline constexpr std::string_view kStartTlsOid = "1.3.6.1.4.1.1466.20037";
inline constexpr uint8_t kSearchRequest = 0x63, kSearchResultEntry = 0x64, kSearchResultDone = 0x65,
                         kSearchResultReference = 0x73, kExtendedRequest = 0x77, kExtendedResponse = 0x78;

std::string starttls_request(int message_id);
/// Base-object search of "" for supportedExtension and supportedSASLMechanisms.
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

net::NetError greet(Context& c, Session& s);
net::NetError preamble(Context& c, Session& s);
net::NetError starttls(Context& c, std::string_view pipelined, UpgradeReply& up);
net::NetError after_tls(Context& c, Session& s);
std::string injected_command();
bool looks_like_reply(std::string_view bytes);

}  // namespace pp::mail::ldap
