#!/usr/bin/env python3
"""Writes the seed corpora under tests/fuzz/corpus/<target>/ from real bytes: the ServerHellos
recorded from Debian's openssl s_server (the same ones server_hello_test.cc uses), mail and
LDAP transcripts shaped like those of postfix, dovecot and slapd, the shipped rule packs and
profiles, the bad-rule fixtures, the example inventory, the nmap fixture and the IIS and
SCHANNEL configuration fixtures, the Exchange and IPsec exports and netsh's IPsec rule text. Idempotent."""
import base64
import os
import re
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(HERE, "corpus")


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def copy_files(target, paths):
    for p in paths:
        with open(p, "rb") as f:
            put(target, os.path.basename(p), f.read())


def record(ctype, version, body):
    return struct.pack(">BHH", ctype, version, len(body)) + body


def tls_seeds():
    src = open(os.path.join(ROOT, "scanner/probes/tls/server_hello_test.cc")).read()
    consts = dict(re.findall(r'const char\* const (k\w+) =\s*((?:"[0-9a-f]*"\s*)+);', src))
    ctl = {"kEcdhe": 3 | 0x20, "kDhe": 3 | 0x20, "kTls10": 1, "kTls13": 4 | 0x10, "kHrr": 4}
    for name, body in consts.items():
        msgs = bytes.fromhex("".join(re.findall(r'"([0-9a-f]*)"', body)))
        version = 0x0301 if name == "kTls10" else 0x0303
        c = ctl.get(name, 3)
        put("server_hello", name[1:].lower(), bytes([c]) + record(22, version, msgs))
        put("server_hello", name[1:].lower() + "_chunked", bytes([c | 0x80 | 0x03]) + record(22, version, msgs))
    put("server_hello", "alert_handshake_failure", bytes([3]) + record(21, 0x0303, b"\x02\x28"))
    put("server_hello", "alert_protocol_version", bytes([1]) + record(21, 0x0301, b"\x02\x46"))
    # SSLv2 SERVER-HELLO: 2-byte header, type 4, no session id, x509 cert type, version 0002.
    cert = b"\x30\x03\x02\x01\x00"
    ciphers = b"\x01\x00\x80\x07\x00\xc0"
    conn_id = b"\x11" * 16
    body = b"\x04\x00\x01\x00\x02" + struct.pack(">HHH", len(cert), len(ciphers), len(conn_id)) + cert + ciphers + conn_id
    put("server_hello", "ssl2_server_hello", bytes([0x40]) + struct.pack(">H", 0x8000 | len(body)) + body)


MAIL = {
    # ctl: low 3 bits protocol (0 smtp, 1 imap, 2 pop3, 3 nntp, 4 ldap; 5-7 smtp, imap, pop3 with
    # the NTLM SASL exchange after the greeting); 0x08 chunked.
    "smtp_postfix": (0, "220 mx.example.org ESMTP Postfix (Debian/GNU)\r\n"
                        "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n"
                        "250-AUTH PLAIN LOGIN\r\n250-AUTH=LOGIN\r\n250 CHUNKING\r\n220 2.0.0 Ready to start TLS\r\n"
                        "250-mx.example.org\r\n250-AUTH PLAIN LOGIN\r\n250 SMTPUTF8\r\n"),
    "smtp_exchange_injected": (8, "220-mail.example.com Microsoft ESMTP MAIL Service ready\n220 second\n"
                                  "250-mail.example.com Hello\n250-STARTTLS\n250-AUTH GSSAPI NTLM LOGIN\n250 OK\n"
                                  "220 2.0.0 SMTP server ready\r\n250 injected-noop-answer\r\n"),
    "imap_dovecot": (1, "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS "
                        "LOGINDISABLED AUTH=PLAIN] Dovecot (Debian) ready.\r\n"
                        "* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN LOGINDISABLED\r\na1 OK Pre-login capabilities listed.\r\n"
                        "a2 OK Begin TLS negotiation now.\r\n"
                        "* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=LOGIN\r\na3 OK done\r\n"),
    "pop3_dovecot": (2, "+OK Dovecot (Debian) ready.\r\n+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nSTLS\r\n"
                        "USER\r\nSASL PLAIN LOGIN\r\n.\r\n+OK Begin TLS negotiation now.\r\n"
                        "+OK\r\nCAPA\r\nUSER\r\nSASL PLAIN\r\n.\r\n"),
    "nntp_inn": (3, "200 news.example.org InterNetNews server INN 2.7 ready (posting ok)\r\n"
                    "101 Capability list:\r\nVERSION 2\r\nREADER\r\nSTARTTLS\r\nAUTHINFO USER\r\nSASL PLAIN\r\n.\r\n"
                    "382 Continue with TLS negotiation\r\n101 Capability list:\r\nVERSION 2\r\nAUTHINFO USER\r\n.\r\n"),
    "smtp_error_only": (0x40, "554 5.7.1 go away\r\n"),
}


def tlv(tag, content):
    n = len(content)
    if n < 0x80:
        ln = bytes([n])
    elif n < 0x100:
        ln = b"\x81" + bytes([n])
    else:
        ln = b"\x82" + struct.pack(">H", n)
    return bytes([tag]) + ln + content


def integer(v, tag=0x02):
    return tlv(tag, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True))


def octets(s, tag=0x04):
    return tlv(tag, s.encode() if isinstance(s, str) else s)


def ldap_seeds():
    attr = lambda t, vals: tlv(0x30, octets(t) + tlv(0x31, b"".join(octets(v) for v in vals)))
    entry = tlv(0x64, octets("") + tlv(0x30, attr("supportedExtension", ["1.3.6.1.4.1.1466.20037", "1.3.6.1.4.1.4203.1.11.1"])
                                       + attr("supportedSASLMechanisms", ["DIGEST-MD5", "EXTERNAL"])))
    done = tlv(0x65, integer(0, 0x0a) + octets("") + octets(""))
    ext = tlv(0x78, integer(0, 0x0a) + octets("") + octets("") + octets("1.3.6.1.4.1.1466.20037", 0x8a))
    refused = tlv(0x78, integer(2, 0x0a) + octets("") + octets("unsupported extended operation"))
    msg = lambda mid, op: tlv(0x30, integer(mid) + op)
    slapd = msg(1, entry) + msg(1, done) + msg(2, ext) + msg(3, entry) + msg(3, done)
    put("mail_dialogue", "ldap_slapd", bytes([4]) + slapd)
    put("mail_dialogue", "ldap_slapd_chunked", bytes([4 | 0x08 | 0x10]) + slapd)
    put("mail_dialogue", "ldap_refused", bytes([4]) + msg(1, entry) + msg(1, done) + msg(2, refused))
    for name, data in [("entry", entry), ("done", done), ("ext", ext), ("msg_entry", msg(1, entry)),
                       ("conversation", slapd), ("long_length", b"\x30\x84\x00\x00\x00\x05\x02\x01\x01\x04\x00")]:
        put("ldap_ber", name, data)


def json_seeds():
    """JSON reports as --baseline, diff and merge read them: the golden report, a minimal one,
    one with warnings and hostile strings, and near misses the reader must refuse."""
    copy_files("json_report", [os.path.join(ROOT, "tests/reports/golden/report.json")])
    minimal = ('{"schema_version": 1, "tool": {"name": "policyprobe", "version": "0.1.0"}, '
               '"started_at": "", "finished_at": "", "profiles": [], "metadata": {}, "targets": [], '
               '"summary": {}, "results": [], "facts": []}')
    put("json_report", "minimal.json", minimal)
    put("json_report", "warnings.json", minimal.replace(
        '"targets": []', '"targets": ["a\\u0000<b>"], "warnings": ["w.toml:2:1: \\u202e expired"]'))
    put("json_report", "wrong_schema.json", minimal.replace('"schema_version": 1', '"schema_version": 3'))
    put("json_report", "truncated.json", minimal[: len(minimal) // 2])
    put("json_report", "not_json.txt", "schema = 1\n")


def ntlm_lab_challenge():
    sys.path.insert(0, os.path.join(ROOT, "ci", "lab"))
    import ntlm_challenge  # noqa: E402 (the lab's builder)
    return ntlm_challenge.challenge(now=0)


def ntlm_seeds():
    # The CHALLENGE_MESSAGE of MS-NLMP 4.2.4.3 and the lab stand-ins' one, raw and as base64.
    spec = bytes.fromhex(
        "4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef"
        "00000000000000002400240044000000060070170000000f5300650072007600"
        "6500720002000c0044006f006d00610069006e0001000c005300650072007600"
        "6500720000000000")
    put("ntlm_challenge", "spec_example", spec)
    put("ntlm_challenge", "spec_example_b64", base64.b64encode(spec))
    lab = ntlm_lab_challenge()
    put("ntlm_challenge", "lab", lab)
    put("ntlm_challenge", "lab_b64", base64.b64encode(lab))
    put("ntlm_challenge", "truncated", lab[:60])


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    tls_seeds()
    for name, (ctl, text) in MAIL.items():
        put("mail_dialogue", name, bytes([ctl]) + text.encode())
    ldap_seeds()
    ntlm_seeds()
    t2 = base64.b64encode(ntlm_lab_challenge()).decode()
    put("mail_dialogue", "smtp_auth_ntlm", bytes([5]) + (
        "220 mail.example.com Microsoft ESMTP MAIL Service ready\r\n250-mail.example.com Hello\r\n"
        "250-AUTH NTLM\r\n250 STARTTLS\r\n334 NTLM supported\r\n334 " + t2 + "\r\n501 5.7.3 cancelled\r\n"
        "221 Bye\r\n").encode())
    put("mail_dialogue", "imap_authenticate_ntlm", bytes([6 | 0x08]) + (
        "* OK [CAPABILITY IMAP4rev1 AUTH=NTLM] ready\r\n* CAPABILITY IMAP4rev1 AUTH=NTLM\r\na1 OK\r\n+ \r\n"
        "+ " + t2 + "\r\na2 BAD cancelled\r\n* BYE\r\n").encode())
    put("mail_dialogue", "pop3_auth_ntlm_refused", bytes([7]) + b"+OK ready\r\n+OK\r\nSASL NTLM\r\n.\r\n+\r\n-ERR no\r\n")
    put("name_match", "plain", b"www.example.com\0\0www.example.com")
    put("name_match", "wildcard", b"*.example.com\0\0mail.example.com")
    put("name_match", "nul_embedded", b"www.example.com\0.evil.org\0\0www.example.com")
    put("name_match", "ipv6", b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x01\0\0[2001:db8::1]")
    put("name_match", "ipv4", b"\xc0\x00\x02\x01\0\x00192.0.2.1")
    put("name_match", "idn", "bücher.example\0\0xn--bcher-kva.example".encode())
    for name, v in [("basic", 'Basic realm="Exchange", charset="UTF-8"'),
                    ("iis", "Negotiate\nNTLM\nBasic realm=\"mail.example.com\""),
                    ("negotiate_token", "Negotiate oYIBCjCCAQagAwoBAaEL==, NTLM"),
                    ("digest", 'Digest realm="x", qop="auth,auth-int", nonce="abc\\"def", algorithm=MD5'),
                    ("bearer", 'Bearer realm="example", error="invalid_token", error_description="The \\"token\\""')]:
        put("www_authenticate", name, v)
    rules = []
    for sub in ("rules/packs", "rules/profiles", "tests/rules/bad"):
        d = os.path.join(ROOT, sub)
        rules += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(".toml")]
    for p in rules:
        with open(p, "rb") as f:
            put("rule_file", os.path.basename(os.path.dirname(p)) + "_" + os.path.basename(p), f.read())
    put("rule_file", "waivers.toml", 'schema = 1\n[[waiver]]\nrule = "TLS-001"\nsubject = "cas01:443"\n'
                                     'justification = "legacy clients until Q3"\nexpires = 2027-01-31\n')
    copy_files("inventory", [os.path.join(ROOT, "ci/examples/inventory.toml")])
    lab = os.path.join(ROOT, "ci/lab/inventory.toml.in")
    if os.path.exists(lab):
        copy_files("inventory", [lab])
    copy_files("nmap_xml", [os.path.join(ROOT, "tests/fixtures/nmap_lab.xml")])
    put("iis_config", "exchange2016-applicationHost.config",
        open(os.path.join(ROOT, "tests/fixtures/iis/exchange2016/applicationHost.config"), "rb").read())
    put("iis_config", "owa-web.config", open(os.path.join(ROOT, "tests/fixtures/iis/exchange2016/owa/web.config"), "rb").read())
    copy_files("schannel_reg", [os.path.join(ROOT, "tests/fixtures/schannel", f) for f in ("weak.reg", "hardened.reg")])
    put("schannel_reg", "regedit4-utf8.reg",
        'REGEDIT4\n\n; comment\n[HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.0\\Server]\n'
        '"Enabled"=dword:00000000\n@="default \\"q\\""\n"Bin"=hex:01,02,\\\n  03\n"Gone"=-\n'
        '[-HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Ciphers]\n')
    ex = os.path.join(ROOT, "tests/fixtures/exchange-json")
    for rel in ("exchange2016/vdirs.json", "exchange2016-weak/vdirs.json", "exchange2016-weak/owa.json"):
        put("exchange_json", rel.replace("/", "-"), open(os.path.join(ex, rel), "rb").read())
    owa = open(os.path.join(ex, "exchange2016-weak/owa.json"), "rb").read().decode("utf-8")
    put("exchange_json", "owa-utf16le.json", b"\xff\xfe" + owa.encode("utf-16-le"))  # Windows PowerShell's '>'
    put("exchange_json", "wrapped.json", b'{"value": [{"Name": "Rpc (Default Web Site)", "SSLOffloading": true, '
                                         b'"IISAuthenticationMethods": [0, 2, 13], "ExternalClientAuthenticationMethod": 0}], "Count": 1}')
    ip = os.path.join(ROOT, "tests/fixtures/ipsec")
    for f in ("protected.json", "weak.json"):
        put("ipsec_json", f, open(os.path.join(ip, f), "rb").read())
    weak = open(os.path.join(ip, "weak.json"), "rb").read().decode("utf-8")
    put("ipsec_json", "weak-utf16le.json", b"\xff\xfe" + weak.encode("utf-16-le"))  # Windows PowerShell's '>'
    put("ipsec_json", "one-object.json", b'{"DisplayName": "x", "Enabled": true, "Mode": "Tunnel", "InboundSecurity": 2, '
                                         b'"OutboundSecurity": "Require", "RemoteAddress": {"value": ["10.0.0.0/8", "LocalSubnet", '
                                         b'"fd00::1-fd00::ff", "Any"], "Count": 4}}')
    put("ipsec_netsh", "protected-netsh.txt", open(os.path.join(ip, "protected-netsh.txt"), "rb").read())
    netsh = open(os.path.join(ip, "protected-netsh.txt"), "rb").read().decode("utf-8")
    put("ipsec_netsh", "protected-utf16le.txt", b"\xff\xfe" + netsh.encode("utf-16-le"))  # Windows PowerShell's '>'
    put("ipsec_netsh", "ports-tunnel.txt", "Rule Name: r\n---\nEnabled: Yes\nMode: Tunnel\nEndpoint1: Any\n"
                                           "Endpoint2: 10.0.0.0/8, LocalSubnet, fd00::1-fd00::ff\nProtocol: TCP\nPort1: Any\n"
                                           "Port2: 80,443\nAction: RequireInClearOut\n\nOk.\n")
    put("ipsec_netsh", "no-rules.txt", "\r\nNo rules match the specified criteria.\r\n\r\n")
    json_seeds()
    n = sum(len(files) for _, _, files in os.walk(OUT))
    print(f"wrote {n} seeds under {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
