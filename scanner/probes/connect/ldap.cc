#include "probes/connect/ldap.h"

#include <chrono>
#include <thread>

#include <algorithm>

#include "core/text.h"
#include "probes/connect/ber.h"

namespace pp::connect::ldap {

using net::NetError;
using net::NetErrorKind;

namespace {

std::string message(int id, std::string_view op) { return ber::tlv(ber::kSequence, ber::integer(id) + std::string(op)); }

NetError malformed(const std::string& what) { return NetError::make(NetErrorKind::Malformed, "LDAP: " + what); }

/// Messages one RootDSE search may return before its SearchResultDone.
constexpr int kMaxSearchMessages = 64;

void apply_rootdse(const std::map<std::string, StringList>& attrs, Session& s) {
  s.capabilities.clear();
  s.auth_mechs.clear();
  s.naming_contexts.clear();
  s.starttls_offered = false;
  for (const auto& [type, values] : attrs) {
    std::string t = text::to_upper(type);
    if (t == "SUPPORTEDEXTENSION")
      for (const auto& v : values) {
        add_unique(s.capabilities, v);
        if (v == kStartTlsOid) s.starttls_offered = true;
      }
    if (t == "SUPPORTEDSASLMECHANISMS")
      for (const auto& v : values) add_unique(s.auth_mechs, text::to_upper(v));
    if (t == "NAMINGCONTEXTS")
      for (const auto& v : values) add_unique(s.naming_contexts, v);
  }
  std::string ev;
  for (const auto& [type, values] : attrs)
    for (const auto& v : values) ev += (ev.empty() ? "" : " | ") + type + ": " + v;
  s.capability_evidence = printable(ev, 2000);
  s.capabilities_known = true;
}

}  // namespace

std::string starttls_request(int id) {
  return message(id, ber::tlv(kExtendedRequest, ber::octets(kStartTlsOid, 0x80)));
}

std::string rootdse_request(int id) {
  std::string attrs =
      ber::octets("supportedExtension") + ber::octets("supportedSASLMechanisms") + ber::octets("namingContexts");
  std::string req = ber::octets("") + ber::integer(0, ber::kEnumerated) /* baseObject */ +
                    ber::integer(0, ber::kEnumerated) /* neverDerefAliases */ + ber::integer(0) /* sizeLimit */ +
                    ber::integer(10) /* timeLimit, s */ + ber::boolean(false) +
                    ber::octets("objectClass", 0x87) /* present filter */ + ber::tlv(ber::kSequence, attrs);
  return message(id, ber::tlv(kSearchRequest, req));
}

NetError read_message(LineReader& r, net::Millis timeout, Message& m) {
  std::string head;
  if (auto err = r.read_bytes(head, 2, timeout)) return err;
  if (static_cast<uint8_t>(head[0]) != ber::kSequence)
    return malformed("not an LDAPMessage (first byte " + printable(head.substr(0, 1)) + ")");
  uint64_t len = 0;
  int used = ber::parse_length(head.substr(1), len);
  if (used == 0) {
    size_t extra = static_cast<uint8_t>(head[1]) & 0x7f;
    std::string more;
    if (auto err = r.read_bytes(more, extra, timeout)) return err;
    head += more;
    used = ber::parse_length(head.substr(1), len);
  }
  if (used <= 0) return malformed("bad message length");
  std::string body;
  if (auto err = r.read_bytes(body, static_cast<size_t>(len), timeout)) return err;
  m.bytes = head + body;
  ber::Decoder outer(m.bytes);
  ber::Element seq, id, op;
  std::string err;
  if (!outer.expect(ber::kSequence, seq, err)) return malformed(err);
  ber::Decoder inner(seq.content);
  if (!inner.expect(ber::kInteger, id, err) || !ber::decode_integer(id.content, m.id)) return malformed("bad messageID");
  if (!inner.next(op, err)) return malformed(err);
  m.op = op.tag;
  m.body = op.content;
  return {};
}

bool parse_result(std::string_view body, Result& res, std::string& err) {
  ber::Decoder d(body);
  ber::Element code, dn, diag;
  if (!d.expect(ber::kEnumerated, code, err) || !d.expect(ber::kOctetString, dn, err) ||
      !d.expect(ber::kOctetString, diag, err))
    return false;
  if (!ber::decode_integer(code.content, res.code)) {
    err = "bad resultCode";
    return false;
  }
  res.diagnostic = std::string(diag.content);
  return true;
}

bool parse_entry(std::string_view body, std::map<std::string, StringList>& attrs, std::string& err) {
  ber::Decoder d(body);
  ber::Element name, list;
  if (!d.expect(ber::kOctetString, name, err) || !d.expect(ber::kSequence, list, err)) return false;
  ber::Decoder items(list.content);
  while (!items.done()) {
    ber::Element attr, type, vals;
    if (!items.expect(ber::kSequence, attr, err)) return false;
    ber::Decoder a(attr.content);
    if (!a.expect(ber::kOctetString, type, err) || !a.expect(ber::kSet, vals, err)) return false;
    StringList& out = attrs[std::string(type.content)];
    ber::Decoder vs(vals.content);
    while (!vs.done()) {
      ber::Element v;
      if (!vs.expect(ber::kOctetString, v, err)) return false;
      out.emplace_back(v.content);
    }
  }
  return true;
}

NetError search_rootdse(Context& c, std::map<std::string, StringList>& attrs, Result& done) {
  const int id = c.next_id++;
  if (auto err = c.send(rootdse_request(id))) return err;
  for (int i = 0; i < kMaxSearchMessages; ++i) {
    Message m;
    if (auto err = read_message(c.r, c.timeout, m)) return err;
    std::string perr;
    if (m.id == 0 && m.op == kExtendedResponse) {  // Notice of Disconnection (RFC 4511 §4.4.1)
      Result r;
      parse_result(m.body, r, perr);
      return NetError::make(NetErrorKind::Closed, "LDAP notice of disconnection: resultCode " +
                                                      std::to_string(r.code) + " " + printable(r.diagnostic, 120));
    }
    if (m.id != id) return malformed("reply to message " + std::to_string(m.id) + ", expected " + std::to_string(id));
    if (m.op == kSearchResultEntry) {
      if (!parse_entry(m.body, attrs, perr)) return malformed("SearchResultEntry: " + perr);
    } else if (m.op == kSearchResultDone) {
      if (!parse_result(m.body, done, perr)) return malformed("SearchResultDone: " + perr);
      return {};
    } else if (m.op != kSearchResultReference) {
      return malformed("unexpected operation in a search reply");
    }
  }
  return NetError::make(NetErrorKind::TooLarge,
                        "RootDSE search answered with more than " + std::to_string(kMaxSearchMessages) + " messages");
}

/// LDAP has no greeting: the client speaks first.
NetError preamble(Context&, Session&) { return {}; }

NetError greet(Context& c, Session& s) {
  std::map<std::string, StringList> attrs;
  Result done;
  if (auto err = search_rootdse(c, attrs, done)) return err;
  if (done.code == 0) {
    apply_rootdse(attrs, s);
  } else {
    s.capabilities_known = false;
    s.capability_evidence =
        "RootDSE search refused: resultCode " + std::to_string(done.code) + " " + printable(done.diagnostic, 120);
  }
  s.auth_state = FactState::Absent;
  s.auth_note =
      "LDAP simple bind is always part of the protocol (RFC 4513 §5.1.3); whether the server refuses it "
      "before TLS is mail.ldap.plaintext_bind_refused (a bind with a DN and password that name nobody)";
  return {};
}

NetError starttls_once(Context& c, std::string_view pipelined, UpgradeReply& up, int& code);

NetError starttls(Context& c, std::string_view pipelined, UpgradeReply& up) {
  /// slapd may still count the RootDSE search as outstanding for a moment after sending its
  /// SearchResultDone, and then refuses StartTLS with operationsError (1). On a connection that
  /// carries nothing else that refusal is a race, not the server's answer: ask again, a little
  /// later, at most twice. (With a pipelined request the refusal is the answer RFC 4511 requires.)
  int code = 0;
  for (int attempt = 0;; ++attempt) {
    if (auto err = starttls_once(c, pipelined, up, code)) return err;
    if (up.accepted || code != 1 || !pipelined.empty() || attempt == 2) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(150 * (attempt + 1)));
  }
}

NetError starttls_once(Context& c, std::string_view pipelined, UpgradeReply& up, int& code) {
  const int id = c.next_id++;
  if (auto err = c.send(starttls_request(id) + std::string(pipelined))) return err;
  /// slapd answers pipelined operations concurrently: the reply to the injected request may
  /// come before the StartTLS response. Those replies precede any TLS, so they are skipped.
  Message m;
  int skipped = 0;
  for (;;) {
    if (auto err = read_message(c.r, c.timeout, m)) return err;
    if (m.op == kExtendedResponse && (m.id == id || m.id == 0)) break;
    if (pipelined.empty() || m.id == id) return malformed("reply to StartTLS is not its ExtendedResponse");
    if (++skipped > kMaxSearchMessages) return malformed("no StartTLS response among the replies");
  }
  Result r;
  std::string perr;
  if (!parse_result(m.body, r, perr)) return malformed("ExtendedResponse: " + perr);
  up.text = "resultCode " + std::to_string(r.code) + (r.diagnostic.empty() ? "" : " " + printable(r.diagnostic, 160));
  if (skipped > 0) up.text += " (after answering the pipelined request in plaintext)";
  up.accepted = m.id == id && r.code == 0;
  code = r.code;
  return {};
}

NetError after_tls(Context& c, Session& s) {
  std::map<std::string, StringList> attrs;
  Result done;
  if (auto err = search_rootdse(c, attrs, done)) return err;
  if (done.code != 0)
    return NetError::make(NetErrorKind::Other, "RootDSE search refused after TLS: resultCode " +
                                                   std::to_string(done.code));
  apply_rootdse(attrs, s);
  return {};
}

std::string simple_bind_request(int id, std::string_view dn, std::string_view password) {
  std::string req = ber::integer(3) /* version */ + ber::octets(dn) + ber::octets(password, 0x80) /* simple */;
  return message(id, ber::tlv(kBindRequest, req));
}

std::string bogus_bind_dn(const StringList& naming_contexts) {
  for (const auto& nc : naming_contexts)
    if (!nc.empty()) return std::string(kBogusBindRdn) + "," + nc;
  return std::string(kBogusBindRdn) + "," + std::string(kFallbackBindBase);
}

Fact judge_plaintext_bind(int64_t code, const std::string& diagnostic, bool inside_naming_context) {
  constexpr const char* kName = "mail.ldap.plaintext_bind_refused";
  const std::string said = "resultCode " + std::to_string(code) + (diagnostic.empty() ? "" : " " + printable(diagnostic, 160));
  switch (code) {
    case 13:
      return Fact::known(kName, true, "confidentialityRequired to a simple bind in plaintext: " + said);
    case 8:
      return Fact::known(kName, true, "strongerAuthRequired to a simple bind in plaintext: " + said);
    case 53:
      return Fact::known(kName, true, "unwillingToPerform: simple binds are refused here: " + said);
    case 49:
      if (!inside_naming_context)
        return Fact::unknown(kName, "invalidCredentials to a simple bind outside every naming context (the "
                                    "RootDSE named none): it may only mean no such directory: " + said);
      return Fact::known(kName, false,
                         "invalidCredentials: the server checked the password of a simple bind sent in plaintext, "
                         "so it would take a real one in clear: " + said);
    case 0:
      return Fact::known(kName, false,
                         "success: the server accepted a simple bind with a made-up DN and password in plaintext: " + said);
    default:
      return Fact::unknown(kName, "simple bind in plaintext answered " + said +
                                      ", which tells neither refusal nor a password check");
  }
}

Fact plaintext_bind(Context& c, const StringList& naming_contexts, NetError& err) {
  constexpr const char* kName = "mail.ldap.plaintext_bind_refused";
  const int id = c.next_id++;
  const std::string dn = bogus_bind_dn(naming_contexts);
  if ((err = c.send(simple_bind_request(id, dn, kBogusBindPassword))))
    return Fact::unknown(kName, "simple bind: " + err.message);
  Message m;
  if ((err = read_message(c.r, c.timeout, m))) return Fact::unknown(kName, "simple bind: " + err.message);
  Result r;
  std::string perr;
  if (m.id == 0 && m.op == kExtendedResponse) {  // Notice of Disconnection (RFC 4511 §4.4.1)
    parse_result(m.body, r, perr);
    err = NetError::make(NetErrorKind::Closed, "LDAP notice of disconnection after a simple bind: resultCode " +
                                                   std::to_string(r.code) + " " + printable(r.diagnostic, 120));
    return Fact::unknown(kName, err.message);
  }
  if (m.id != id || m.op != kBindResponse) {
    err = malformed("reply to the simple bind is not its BindResponse");
    return Fact::unknown(kName, err.message);
  }
  if (!parse_result(m.body, r, perr)) {
    err = malformed("BindResponse: " + perr);
    return Fact::unknown(kName, err.message);
  }
  Fact f = judge_plaintext_bind(r.code, r.diagnostic, dn.find(kFallbackBindBase) == std::string::npos);
  if (f.state == FactState::Known) f.evidence = "bind as " + printable(dn, 200) + ": " + f.evidence;
  return f;
}

/// A RootDSE search with a message id the dialogue never uses.
std::string injected_command() { return rootdse_request(99); }

bool looks_like_reply(std::string_view bytes) { return !bytes.empty() && static_cast<uint8_t>(bytes[0]) == 0x30; }

}  // namespace pp::connect::ldap
