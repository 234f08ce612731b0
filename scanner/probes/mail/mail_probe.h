#pragma once
#include <string>

#include "core/fact.h"
#include "core/service.h"
#include "probes/net/transport.h"

namespace pp::mail {

struct MailProbeOptions {
  net::Millis timeout{5000};
  std::string client_name = "policyprobe.invalid";  ///< EHLO name
  std::string sni;                                  ///< server name for the TLS handshake (empty: none)
  /// How long to wait for plaintext bytes after the STARTTLS reply in the injection test, and
  /// for an answer to the injected command inside TLS. A correct server sends nothing.
  net::Millis injection_wait{300};
};

/// The plaintext dialogue of a mail or directory port (SMTP, IMAP, POP3, LDAP, NNTP): banner,
/// capabilities, STARTTLS offered and accepted, AUTH before TLS, mechanisms after TLS,
/// injection after STARTTLS. For implicit-TLS ports only mail.implicit_tls and the
/// mechanisms after TLS. `tcp` opens a plain TCP connection. Sets every fact family "mail".
/// Uses at most three connections (dialogue, injection test, and the NTLM exchange when NTLM is
/// advertised: `ntlm_probe.h`), added to `connections`.
FactSet probe_mail(const net::Connector& tcp, Protocol protocol, TlsMode mode, const MailProbeOptions& opt,
                   int& connections);

}  // namespace pp::mail
