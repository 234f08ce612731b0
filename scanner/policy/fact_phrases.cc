#include "policy/fact_phrases.h"

#include <vector>

namespace pp::policy {

namespace {

struct Entry {
  std::string_view fact;   ///< a catalogue name; "http.*.x" stands for http.plain.x and http.tls.x
  std::string_view yes;
  std::string_view no;
  std::string_view whole;
};

/// One line per fact (the http.plain / http.tls pairs share one, "{S}" naming the scheme).
/// Kept here, apart from the catalogue, so the words change without touching the probes.
constexpr Entry kTable[] = {
  // TLS endpoint facts
  {"tls.offered", "speaks TLS", "does not speak TLS", ""},
  {"tls.protocols", "accepts {}", "does not accept {}", ""},
  {"tls.ciphers", "accepts {}", "does not accept {}", "accepts the cipher suites {}"},
  {"tls.ciphers.ssl2", "accepts {} with SSL 2.0", "does not accept {} with SSL 2.0", "accepts SSL 2.0 ciphers: {}"},
  {"tls.ciphers.ssl3", "accepts {} with SSL 3.0", "does not accept {} with SSL 3.0", "accepts with SSL 3.0: {}"},
  {"tls.ciphers.tls10", "accepts {} with TLS 1.0", "does not accept {} with TLS 1.0", "accepts with TLS 1.0: {}"},
  {"tls.ciphers.tls11", "accepts {} with TLS 1.1", "does not accept {} with TLS 1.1", "accepts with TLS 1.1: {}"},
  {"tls.ciphers.tls12", "accepts {} with TLS 1.2", "does not accept {} with TLS 1.2", "accepts with TLS 1.2: {}"},
  {"tls.ciphers.tls13", "accepts {} with TLS 1.3", "does not accept {} with TLS 1.3", "accepts with TLS 1.3: {}"},
  {"tls.ciphers.classes", "accepts {} cipher suites", "does not accept {} cipher suites", ""},
  {"tls.ciphers.weak", "accepts {}", "does not accept {}", "accepts weak cipher suites: {}"},
  {"tls.ciphers.min_bits", "its weakest accepted cipher suite has a {}-bit key", "", ""},
  {"tls.ciphers.no_fs", "accepts {}", "does not accept {}", "accepts cipher suites without forward secrecy: {}"},
  {"tls.forward_secrecy", "has forward secrecy with every accepted cipher suite",
   "accepts cipher suites without forward secrecy (static RSA or DH key exchange)", ""},
  {"tls.server_order", "chooses the cipher suite by its own preference", "lets the client choose the cipher suite", ""},
  {"tls.groups", "accepts {}", "does not accept {}", "accepts the key exchange groups {}"},
  {"tls.min_dh_bits", "its smallest Diffie-Hellman group has {} bits", "", ""},
  {"tls.min_ecdh_bits", "its smallest elliptic-curve group has {} bits", "", ""},
  {"tls.secure_renegotiation", "supports secure renegotiation (RFC 5746)",
   "does not support secure renegotiation (RFC 5746)", ""},
  {"tls.renegotiation.client_initiated", "renegotiates whenever the client asks",
   "refuses client-initiated renegotiation", ""},
  {"tls.compression", "accepts TLS compression", "refuses TLS compression", ""},
  {"tls.fallback_scsv", "refuses a downgraded handshake that carries TLS_FALLBACK_SCSV",
   "accepts a downgraded handshake that carries TLS_FALLBACK_SCSV", ""},
  {"tls.ocsp_stapling", "staples an OCSP response", "does not staple an OCSP response", ""},
  {"tls.alpn", "selects {} by ALPN", "does not select {} by ALPN", ""},
  {"tls.connections", "took {} TCP connections to probe", "", ""},
  {"tls.connections.by_step", "took connections for {}", "took no connections for {}", "took connections per step: {}"},
  {"tls.ciphers.cbc", "accepts {}", "does not accept {}", "accepts CBC cipher suites: {}"},
  {"tls.cbc_protocols", "accepts CBC cipher suites with {}", "does not accept CBC cipher suites with {}", ""},
  {"tls.ciphers.block64", "accepts {}", "does not accept {}", "accepts 64-bit block cipher suites: {}"},
  {"tls.ciphers.export_rsa", "accepts {}", "does not accept {}", "accepts RSA EXPORT cipher suites: {}"},
  {"tls.ciphers.export_dh", "accepts {}", "does not accept {}", "accepts DH EXPORT cipher suites: {}"},
  {"tls.heartbleed", "answers a heartbeat with more bytes than it was sent (Heartbleed)",
   "answers heartbeats only with what they carry", ""},
  {"tls.ccs_injection", "takes a ChangeCipherSpec before the key exchange (CCS injection)",
   "refuses an early ChangeCipherSpec", ""},
  {"tls.robot", "answers bad RSA paddings distinguishably (a ROBOT padding oracle)",
   "answers every RSA padding the same way", ""},
  {"tls.ticketbleed", "echoes a short session ID padded with 32 bytes of its memory (Ticketbleed)",
   "echoes a short session ID as it was sent", ""},
  // certificate facts
  {"cert.trusted", "the certificate chain is trusted", "the certificate chain is not trusted", ""},
  {"cert.verify_error", "the certificate chain's first problem is: {}", "", ""},
  {"cert.chain_complete", "the server sends every intermediate certificate",
   "the server does not send every intermediate certificate the chain needs", ""},
  {"cert.chain_in_order", "the chain is sent in order",
   "the chain is not sent in order (a certificate is not followed by its issuer)", ""},
  {"cert.chain_length", "the server sends {} certificates", "", ""},
  {"cert.expired", "the certificate has expired", "the certificate has not expired", ""},
  {"cert.not_yet_valid", "the certificate is not valid yet", "the certificate is already valid", ""},
  {"cert.days_left", "the certificate expires in {} days", "the certificate expired {} days ago", ""},
  {"cert.validity_days", "the certificate is valid for {} days in all", "", ""},
  {"cert.not_before", "the certificate is valid from {}", "", ""},
  {"cert.not_after", "the certificate is valid until {}", "", ""},
  {"cert.subject", "the certificate's subject is {}", "", ""},
  {"cert.issuer", "the certificate's issuer is {}", "", ""},
  {"cert.san", "the certificate names {} in its subjectAltName",
   "the certificate does not name {} in its subjectAltName", "the certificate's subjectAltName holds {}"},
  {"cert.san_covers_expected", "the certificate covers every host name clients use",
   "the certificate does not cover every host name clients use", ""},
  {"cert.names_missing", "the certificate does not cover {}", "the certificate covers {}",
   "the certificate does not cover {}"},
  {"cert.cn_only", "the certificate has no subjectAltName: only its subject CN names a host, and clients ignore the CN",
   "the certificate has a subjectAltName", ""},
  {"cert.wildcard", "the certificate carries a wildcard name", "the certificate carries no wildcard name", ""},
  {"cert.key_type", "the certificate key is {}", "", ""},
  {"cert.key_bits", "the certificate key has {} bits", "", ""},
  {"cert.signature_algorithm", "the certificate is signed with {}", "", ""},
  {"cert.sha1_signature", "a certificate in the chain sent is signed with SHA-1 or MD5",
   "no certificate in the chain sent is signed with SHA-1 or MD5", ""},
  {"cert.self_signed", "the certificate is self-signed", "the certificate is not self-signed", ""},
  {"cert.is_ca", "the certificate is a CA certificate (CA:TRUE)", "the certificate is not a CA certificate", ""},
  {"cert.eku_server_auth", "the certificate allows server authentication",
   "the certificate's extended key usage does not allow server authentication", ""},
  {"cert.sct_present", "the certificate embeds Certificate Transparency SCTs",
   "the certificate embeds no Certificate Transparency SCTs", ""},
  {"cert.fingerprint_sha256", "the certificate's SHA-256 fingerprint is {}", "", ""},
  // vdir facts, over plain HTTP and over HTTPS
  {"http.*.reachable", "answers over {S}", "does not answer over {S}", ""},
  {"http.*.status", "answers {S} with status {}", "", ""},
  {"http.*.exists", "exists over {S}", "does not exist over {S} (404)", ""},
  {"http.*.serves_content", "serves content over {S}", "serves no content over {S}", ""},
  {"http.*.redirect_chain", "redirects through {} over {S}", "does not redirect through {} over {S}",
   "redirects over {S} through {}"},
  {"http.*.final_url", "ends at {} over {S}", "", ""},
  {"http.*.redirects_to_https", "redirects {S} requests to HTTPS", "does not redirect {S} requests to HTTPS", ""},
  {"http.*.ssl_required", "refuses {S} requests as SSL required", "does not refuse {S} requests as SSL required", ""},
  {"http.*.auth_schemes", "offers {} authentication over {S}", "does not offer {} authentication over {S}", ""},
  {"http.*.auth_challenges", "sends the challenges {} over {S}", "does not send the challenge {} over {S}", ""},
  {"http.*.basic_offered", "offers Basic authentication over {S}", "does not offer Basic authentication over {S}", ""},
  {"http.*.forms_logon", "presents a forms logon over {S}", "presents no forms logon over {S}", ""},
  {"http.*.anonymous", "serves content over {S} without any logon", "asks for a logon over {S}", ""},
  {"http.*.banners", "sends {} over {S}", "does not send {} over {S}", "sends banners over {S}: {}"},
  {"http.*.methods_allowed", "allows {} over {S}", "does not allow {} over {S}", "allows the methods {} over {S}"},
  {"http.*.trace_enabled", "echoes TRACE requests over {S}", "does not echo TRACE requests over {S}", ""},
  {"http.*.track_enabled", "echoes TRACK requests over {S}", "does not echo TRACK requests over {S}", ""},
  {"http.*.webdav", "answers WebDAV PROPFIND over {S}", "does not answer WebDAV PROPFIND over {S}", ""},
  {"http.*.content_methods_allowed", "allows {} over {S}", "does not allow {} over {S}",
   "allows content-changing methods over {S}: {}"},
  {"http.*.directory_listing", "lists the directory's files over {S}", "does not list the directory over {S}", ""},
  {"http.*.x_content_type_options", "sends X-Content-Type-Options: nosniff over {S}",
   "does not send X-Content-Type-Options: nosniff over {S}", ""},
  {"http.*.frame_protection", "restricts framing over {S}",
   "does not restrict framing over {S} (no X-Frame-Options, no CSP frame-ancestors)", ""},
  {"http.*.csp", "sends Content-Security-Policy over {S}", "does not send Content-Security-Policy over {S}", ""},
  {"http.*.cookies_without_secure", "sets {} without the Secure flag over {S}", "does not set {} without the Secure flag over {S}",
   "sets cookies without the Secure flag over {S}: {}"},
  {"http.*.cookies_without_httponly", "sets {} without the HttpOnly flag over {S}",
   "does not set {} without the HttpOnly flag over {S}", "sets cookies without the HttpOnly flag over {S}: {}"},
  {"http.*.cookies_without_samesite", "sets {} without a SameSite attribute over {S}",
   "does not set {} without a SameSite attribute over {S}", "sets cookies without a SameSite attribute over {S}: {}"},
  {"http.tls.hsts", "sends Strict-Transport-Security", "does not send Strict-Transport-Security", ""},
  {"http.tls.hsts_max_age", "sends Strict-Transport-Security with a max-age of {} seconds", "", ""},
  {"http.tls.hsts_include_subdomains", "sends Strict-Transport-Security with includeSubDomains",
   "sends Strict-Transport-Security without includeSubDomains", ""},
  // Exchange build facts (one web endpoint, set on one of its vdirs)
  {"exchange.build_disclosed", "discloses its Exchange build to anonymous clients",
   "does not disclose its Exchange build to anonymous clients", ""},
  {"exchange.build", "runs Exchange build {}", "", ""},
  {"exchange.internal_names_leaked", "names the internal server {} in its headers",
   "does not name the internal server {} in its headers", "names internal servers in its headers: {}"},
  {"exchange.product", "runs {}", "", ""},
  {"exchange.update", "runs the update {}", "", ""},
  {"exchange.end_of_support", "runs a product whose support ends on {}", "", ""},
  {"exchange.end_of_support_days", "runs a product {} days before its end of support", "", ""},
  {"exchange.supported", "runs a supported Exchange product", "runs an Exchange product past its end of support", ""},
  {"exchange.missing_fixes", "lacks the fix for {}", "does not lack the fix for {}", "lacks security fixes: {}"},
  {"exchange.missing_fix_details", "lacks {}", "does not lack {}", "lacks security fixes: {}"},
  {"exchange.fixes_unverified", "may lack the fix for {} (the revision is not disclosed)",
   "can be checked for the fix for {}", "may lack fixes (the revision is not disclosed): {}"},
  {"exchange.knowledge_source", "is judged from {}", "", ""},
  {"exchange.missing_fix_sources", "is judged from {}", "is not judged from {}", "is judged from: {}"},
  // mail and directory endpoint facts
  {"mail.banner", "greets with \"{}\"", "", ""},
  {"mail.capabilities", "advertises {} before TLS", "does not advertise {} before TLS", "advertises before TLS: {}"},
  {"mail.starttls.offered", "offers STARTTLS", "does not offer STARTTLS", ""},
  {"mail.starttls.upgrade_ok", "upgrades to TLS on STARTTLS", "does not complete a TLS upgrade after STARTTLS", ""},
  {"mail.starttls.injection", "answers commands pipelined behind STARTTLS (they could be injected)",
   "discards commands pipelined behind STARTTLS", ""},
  {"mail.auth_before_tls", "offers login in plaintext before TLS", "offers no login before TLS", ""},
  {"mail.auth_mechs.plain", "advertises {} before TLS", "does not advertise {} before TLS",
   "advertises login mechanisms before TLS: {}"},
  {"mail.auth_mechs.tls", "advertises {} inside TLS", "does not advertise {} inside TLS",
   "advertises login mechanisms inside TLS: {}"},
  {"mail.implicit_tls", "speaks TLS from the first byte", "does not speak TLS from the first byte", ""},
  {"mail.ldap.plaintext_bind_refused", "refuses simple binds on a plaintext connection",
   "checks the password of a simple bind on a plaintext connection (it takes passwords in clear)", ""},
  // NTLM disclosure (vdir facts: the CHALLENGE to an anonymous NEGOTIATE)
  {"ntlm.offered", "offers NTLM or Negotiate authentication", "does not offer NTLM or Negotiate authentication", ""},
  {"ntlm.target_name", "names the NTLM target {}", "", ""},
  {"ntlm.netbios_computer", "discloses the NetBIOS computer name {} in its NTLM challenge", "", ""},
  {"ntlm.netbios_domain", "discloses the NetBIOS domain {} in its NTLM challenge", "", ""},
  {"ntlm.dns_computer", "discloses the computer name {} in its NTLM challenge", "", ""},
  {"ntlm.dns_domain", "discloses the DNS domain {} in its NTLM challenge", "", ""},
  {"ntlm.dns_tree", "discloses the forest {} in its NTLM challenge", "", ""},
  {"ntlm.os_version", "discloses Windows version {} in its NTLM challenge", "", ""},
  {"ntlm.internal_names", "discloses {} in its NTLM challenge", "does not disclose {} in its NTLM challenge",
   "discloses internal names in its NTLM challenge to an anonymous client: {}"},
  {"mail.ntlm.offered", "offers NTLM authentication", "does not offer NTLM authentication", ""},
  {"mail.ntlm.target_name", "names the NTLM target {}", "", ""},
  {"mail.ntlm.netbios_computer", "discloses the NetBIOS computer name {} in its NTLM challenge", "", ""},
  {"mail.ntlm.netbios_domain", "discloses the NetBIOS domain {} in its NTLM challenge", "", ""},
  {"mail.ntlm.dns_computer", "discloses the computer name {} in its NTLM challenge", "", ""},
  {"mail.ntlm.dns_domain", "discloses the DNS domain {} in its NTLM challenge", "", ""},
  {"mail.ntlm.dns_tree", "discloses the forest {} in its NTLM challenge", "", ""},
  {"mail.ntlm.os_version", "discloses Windows version {} in its NTLM challenge", "", ""},
  {"mail.ntlm.internal_names", "discloses {} in its NTLM challenge", "does not disclose {} in its NTLM challenge",
   "discloses internal names in its NTLM challenge to an anonymous client: {}"},
  // IIS configuration facts (scanner/sources)
  {"iis.ssl_flags", "is configured with sslFlags {}", "is not configured with sslFlags {}", "is configured with sslFlags {}"},
  {"iis.ssl_required", "is configured to require SSL", "is not configured to require SSL", ""},
  {"iis.client_certificates", "is configured to {} client certificates", "", ""},
  {"iis.auth_methods", "has {} authentication enabled", "does not have {} authentication enabled",
   "has these authentication modules enabled: {}"},
  {"iis.anonymous_enabled", "has anonymous authentication enabled", "has anonymous authentication disabled", ""},
  {"iis.windows_providers", "offers {} through Windows authentication", "does not offer {} through Windows authentication",
   "offers through Windows authentication: {}"},
  {"iis.extended_protection", "is configured with extended protection {}", "", ""},
  {"iis.verbs_allow_unlisted", "lets request filtering pass verbs it does not list",
   "refuses verbs request filtering does not list", ""},
  {"iis.verbs_denied", "refuses the verbs {}", "does not refuse the verbs {}", "refuses the verbs {}"},
  {"iis.verbs_allowed", "lists {} as allowed verbs in request filtering", "does not list {} as allowed verbs in request filtering",
   "lists these allowed verbs in request filtering: {}"},
  {"iis.custom_headers", "is configured to send {}", "is not configured to send {}", "is configured to send the headers {}"},
  {"iis.directory_browse", "has directory browsing enabled", "has directory browsing disabled", ""},
  {"iis.http_redirect", "is configured to redirect to {}", "", ""},
  {"iis.locked_overrides", "has {} kept from applying by a lock", "does not have {} kept from applying by a lock",
   "has settings a lock keeps from applying: {}"},
  {"iis.bindings", "has the binding {}", "does not have the binding {}", "has the bindings {}"},
  // SCHANNEL registry facts (scanner/sources)
  {"schannel.client_protocols", "lets its TLS client use {}", "does not let its TLS client use {}",
   "lets its TLS client use {}"},
  {"schannel.ciphers_disabled", "has the cipher {} turned off", "does not have the cipher {} turned off",
   "has these ciphers turned off: {}"},
  {"schannel.hashes_disabled", "has the hash {} turned off", "does not have the hash {} turned off",
   "has these hashes turned off: {}"},
  {"schannel.key_exchanges_disabled", "has the key exchange {} turned off", "does not have the key exchange {} turned off",
   "has these key exchanges turned off: {}"},
  {"schannel.dh_min_bits", "accepts Diffie-Hellman groups down to {} bits", "", ""},
  {"schannel.cipher_suite_order", "orders the cipher suites {} by policy", "does not order the cipher suites {} by policy",
   "orders the cipher suites by policy: {}"},
  {"schannel.dotnet_strong_crypto", "has .NET strong cryptography turned on (SchUseStrongCrypto)",
   "does not have .NET strong cryptography turned on (SchUseStrongCrypto) in both .NET 4 keys", ""},
  {"schannel.dotnet_system_default_tls", "lets .NET use the system's TLS versions (SystemDefaultTlsVersions)",
   "does not let .NET use the system's TLS versions (SystemDefaultTlsVersions) in both .NET 4 keys", ""},
  // Windows IPsec connection security rules exported as JSON (scanner/sources)
  {"ipsec.rules_enabled", "has the connection security rule {} enabled", "does not have the connection security rule {} enabled",
   "has these connection security rules enabled: {}"},
  {"ipsec.peers_protected", "requires IPsec inbound and outbound for every named peer",
   "does not require IPsec inbound and outbound for every named peer", ""},
  {"ipsec.peers_unprotected", "does not require IPsec both ways for {}", "requires IPsec both ways for {}",
   "does not require IPsec both ways for these peers: {}"},
  {"ipsec.transport_mode", "protects the named peers in transport mode", "protects a named peer in tunnel mode", ""},
  // Exchange virtual directory settings exported as JSON (scanner/sources)
  {"exchange.basic_auth", "has Basic authentication enabled", "has Basic authentication disabled", ""},
  {"exchange.forms_auth", "has forms authentication enabled", "has forms authentication disabled", ""},
  {"exchange.auth_enabled", "has {} authentication enabled", "does not have {} authentication enabled",
   "has this authentication enabled: {}"},
  {"exchange.internal_auth_methods", "lists {} among its internal authentication methods",
   "does not list {} among its internal authentication methods", "has the internal authentication methods {}"},
  {"exchange.external_auth_methods", "lists {} among its external authentication methods",
   "does not list {} among its external authentication methods", "has the external authentication methods {}"},
  {"exchange.internal_url", "has the internal URL {}", "", ""},
  {"exchange.external_url", "has the external URL {}", "", ""},
  {"exchange.ssl_offloading", "has SSL offloading on (Require SSL off on /rpc)", "has SSL offloading off", ""},
  {"exchange.external_client_auth", "tells external Outlook clients to authenticate with {}", "", ""},
  {"exchange.internal_client_auth", "tells internal Outlook clients to authenticate with {}", "", ""},
  {"exchange.external_clients_require_ssl", "tells external Outlook clients to require TLS",
   "does not tell external Outlook clients to require TLS", ""},
  {"exchange.internal_clients_require_ssl", "tells internal Outlook clients to require TLS",
   "does not tell internal Outlook clients to require TLS", ""},
};

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

}  // namespace

std::optional<FactPhrase> fact_phrase(std::string_view fact) {
  std::string_view scheme;
  std::string key(fact);
  for (std::string_view prefix : {"http.plain.", "http.tls."}) {
    if (fact.substr(0, prefix.size()) != prefix) continue;
    scheme = prefix == "http.plain." ? "plain HTTP" : "HTTPS";
    const std::string pair_key = "http.*." + std::string(fact.substr(prefix.size()));
    for (const auto& e : kTable)
      if (e.fact == pair_key) key = pair_key;
  }
  for (const auto& e : kTable) {
    if (e.fact != key) continue;
    return FactPhrase{replace_all(std::string(e.yes), "{S}", scheme), replace_all(std::string(e.no), "{S}", scheme),
                      replace_all(std::string(e.whole), "{S}", scheme)};
  }
  return std::nullopt;
}

std::string display_element(std::string_view fact, const std::string& element) {
  struct Word {
    std::string_view fact, from, to;
  };
  static const std::vector<Word> words = {
      {"tls.protocols", "SSLv2", "SSL 2.0"},        {"tls.protocols", "SSLv3", "SSL 3.0"},
      {"tls.protocols", "TLSv1.0", "TLS 1.0"},      {"tls.protocols", "TLSv1.1", "TLS 1.1"},
      {"tls.protocols", "TLSv1.2", "TLS 1.2"},      {"tls.protocols", "TLSv1.3", "TLS 1.3"},
      {"tls.ciphers.classes", "null", "NULL"},      {"tls.ciphers.classes", "anon", "anonymous"},
      {"tls.ciphers.classes", "export", "EXPORT"},  {"tls.ciphers.classes", "low", "sub-128-bit"},
      {"tls.ciphers.classes", "rc4", "RC4"},        {"tls.ciphers.classes", "3des", "3DES"},
      {"tls.ciphers.classes", "cbc", "CBC"},        {"tls.ciphers.classes", "aead", "AEAD"},
      {"tls.cbc_protocols", "SSLv3", "SSL 3.0"},    {"tls.cbc_protocols", "TLSv1.0", "TLS 1.0"},
      {"tls.cbc_protocols", "TLSv1.1", "TLS 1.1"},  {"tls.cbc_protocols", "TLSv1.2", "TLS 1.2"},
      {"schannel.client_protocols", "SSLv2", "SSL 2.0"}, {"schannel.client_protocols", "SSLv3", "SSL 3.0"},
      {"schannel.client_protocols", "TLSv1.0", "TLS 1.0"}, {"schannel.client_protocols", "TLSv1.1", "TLS 1.1"},
      {"schannel.client_protocols", "TLSv1.2", "TLS 1.2"}, {"schannel.client_protocols", "TLSv1.3", "TLS 1.3"},
  };
  for (const auto& w : words)
    if (w.fact == fact && w.from == element) return std::string(w.to);
  if (fact == "cert.verify_error") return replace_all(element, "_", " ");
  return element;
}

}  // namespace pp::policy
