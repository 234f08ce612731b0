/// libFuzzer target: the SMTP, IMAP, POP3, NNTP and LDAP STARTTLS dialogues (and with them the
/// line reader, the reply caps and the BER decoder) against a scripted server that sends the
/// fuzzer's bytes. Byte 0 picks the protocol and how the bytes are chunked and how the stream
/// ends (close, reset, stall), so every reader path sees partial lines. Protocol values 5-7
/// (SMTP, IMAP, POP3 again) run the NTLM SASL exchange after the greeting instead of STARTTLS.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "probes/connect/dialogue.h"
#include "probes/connect/sasl_ntlm.h"
#include "probes/net/transport.h"

using namespace pp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t ctl = data[0];
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  static const Protocol kProtocols[] = {Protocol::Smtp, Protocol::Imap, Protocol::Pop3, Protocol::Nntp,
                                        Protocol::Ldap};
  const Protocol proto = kProtocols[(ctl & 0x07) % 5];
  const connect::Dialogue* d = connect::find_dialogue(proto);
  if (!d) __builtin_trap();

  net::ScriptedTransport t;
  const size_t chunk = (ctl & 0x08) ? 1 + ((ctl >> 4) & 0x03) * 7 : in.size() + 1;
  for (size_t off = 0; off < in.size(); off += chunk) t.reply(std::string(in.substr(off, std::min(chunk, in.size() - off))));
  switch ((ctl >> 6) & 0x03) {
    case 1: t.reset_after(); break;
    case 2: t.stall_after(); break;
    default: t.close_after(); break;
  }
  // Small caps so the fuzzer reaches the "too large" paths without megabyte inputs.
  connect::ReaderLimits lim{.max_line = 512, .max_reply_bytes = 4096, .max_reply_lines = 64};
  connect::LineReader r(t, lim);
  connect::Context c{t, r, net::Millis(50), "fuzz.test"};
  connect::Session s;
  if (d->greet(c, s)) return 0;
  if ((ctl & 0x07) >= 5) {
    connect::NtlmExchange ex;
    (void)connect::sasl_ntlm(c, proto, ex);
    connect::say_goodbye(c, proto);
    return 0;
  }
  connect::UpgradeReply up;
  if (d->starttls(c, d->injected_command(), up)) return 0;
  (void)d->looks_like_reply(r.pending());
  (void)connect::printable(r.pending());
  connect::Session inside;
  (void)d->after_tls(c, inside);
  return 0;
}
