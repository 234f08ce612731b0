#pragma once
#include "core/fact.h"
#include "core/service.h"
#include "probes/mail/mail_probe.h"
#include "probes/net/transport.h"

namespace pp::mail {

/// The mail.ntlm.* facts of an SMTP, IMAP or POP3 port. When the mechanisms the dialogue saw
/// (`dialogue`: mail.auth_mechs.plain, then mail.auth_mechs.tls) list NTLM, one more
/// connection reaches the point where it is offered (plaintext, after STARTTLS, or inside
/// implicit TLS), sends AUTH NTLM / AUTHENTICATE NTLM with the NEGOTIATE (no credential),
/// decodes the CHALLENGE, cancels with "*" and quits. No connection when NTLM is not offered.
FactSet probe_ntlm(const net::Connector& tcp, Protocol protocol, TlsMode mode, const FactSet& dialogue,
                   const MailProbeOptions& opt, int& connections);

}  // namespace pp::mail
