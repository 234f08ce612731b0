#!/usr/bin/env python3
"""Scripted stand-ins for mail behaviours no packaged Debian 12 server can be set up to show.

This is NOT a real mail server. The lab uses real servers wherever one can be configured; these
cases have none:

- smtp-injection: an SMTP server with the STARTTLS command-injection flaw (CVE-2011-0411 class).
  Every packaged server (postfix, exim4, dovecot, INN) discards what was pipelined behind
  STARTTLS; this one keeps the rest of the plaintext read buffer, answers 220, runs the TLS
  handshake, and then answers the buffered commands inside TLS, the way the flawed servers did.
- smtp-ntlm: an Exchange-style SMTP front end that advertises AUTH NTLM and answers an NTLM
  NEGOTIATE with a CHALLENGE carrying internal names, built per MS-NLMP (ntlm_challenge.py).
  No packaged server answers NTLM with a Windows server's target information (see there).
  Over plain SMTP and after STARTTLS alike; "*" cancels (501), as Exchange does.
- imap-ntlm, pop3-ntlm: Exchange-style IMAP4 and POP3 front ends that advertise NTLM (IMAP
  AUTH=NTLM, POP3 SASL NTLM) before STARTTLS/STLS and after it, and answer AUTHENTICATE NTLM /
  AUTH NTLM the same way: the NEGOTIATE gets the CHALLENGE the SMTP one sends (ntlm_challenge.py),
  "*" cancels. No packaged IMAP or POP3 server answers NTLM with a Windows server's target
  information (dovecot's NTLM needs a winbind or a password database and names no Windows domain).
- pop3s-refuse: a POP3S listener on a server outside the Client Access role that turns every
  client away in its greeting ("-ERR ..."), i.e. the service is not offered to clients. A
  switched-off POP3 normally closes the port, which a scan reports as unreachable (a named port
  must answer); a listener that refuses in words is the only way such a server shows a verdict.

The smtp-injection stand-in also lists NTLM among its mechanisms inside TLS but refuses the
NEGOTIATE (502), as a server that offers NTLM without disclosing anything does.

Usage: mail_standin.py --mode smtp-injection|smtp-ntlm|imap-ntlm|pop3-ntlm|pop3s-refuse --port P --cert CHAIN --key KEY
                       --pidfile FILE            (listens on 127.0.0.1 only)
"""
import argparse
import os
import socket
import ssl
import sys
import threading

import ntlm_challenge

TIMEOUT = 10
MAX_LINE = 4096


def read_line(sock, buf):
    """One CRLF line from sock, keeping what follows it in buf (a bytearray)."""
    while b"\n" not in buf:
        if len(buf) > MAX_LINE:
            return None
        data = sock.recv(4096)
        if not data:
            return None
        buf.extend(data)
    i = buf.index(b"\n") + 1
    line = bytes(buf[:i])
    del buf[:i]
    return line.rstrip(b"\r\n")


def smtp_reply(cmd, tls):
    verb = cmd.split(b" ", 1)[0].upper()
    if verb in (b"EHLO", b"HELO"):
        exts = [b"injectable.lab.test", b"PIPELINING", b"8BITMIME"]
        if not tls:
            exts.append(b"STARTTLS")
        exts.append(b"AUTH PLAIN NTLM" if tls else b"ENHANCEDSTATUSCODES")
        if verb == b"HELO":
            return b"250 injectable.lab.test\r\n"
        return b"".join(b"250-" + e + b"\r\n" for e in exts[:-1]) + b"250 " + exts[-1] + b"\r\n"
    if verb == b"NOOP":
        return b"250 2.0.0 Ok\r\n"
    if verb == b"RSET":
        return b"250 2.0.0 Ok\r\n"
    if verb == b"QUIT":
        return b"221 2.0.0 Bye\r\n"
    return b"502 5.5.2 Error: command not recognized\r\n"


def smtp_injection(conn, ctx):
    conn.sendall(b"220 injectable.lab.test ESMTP (lab stand-in: STARTTLS injection flaw)\r\n")
    buf = bytearray()
    while True:
        line = read_line(conn, buf)
        if line is None:
            return
        if line.upper() == b"STARTTLS":
            conn.sendall(b"220 2.0.0 Ready to start TLS\r\n")
            pending = bytes(buf)  # the flaw: bytes read before the handshake are kept
            tls = ctx.wrap_socket(conn, server_side=True)
            tbuf = bytearray(pending)
            while True:
                tline = read_line(tls, tbuf)
                if tline is None:
                    return
                tls.sendall(smtp_reply(tline, True))
                if tline.upper() == b"QUIT":
                    return
        conn.sendall(smtp_reply(line, False))
        if line.upper() == b"QUIT":
            return


def ntlm_dialogue(sock, buf):
    """Exchange's SMTP answers to EHLO, AUTH NTLM (334, then the CHALLENGE), "*" and QUIT.
    Returns "starttls" when the client asked for TLS, None when the session ended."""
    while True:
        line = read_line(sock, buf)
        if line is None:
            return None
        verb = line.split(b" ", 1)[0].upper()
        if verb == b"EHLO":
            sock.sendall(b"250-ntlm.lab.test Hello\r\n250-STARTTLS\r\n250-AUTH NTLM\r\n250-8BITMIME\r\n"
                         b"250 SMTPUTF8\r\n")
        elif verb == b"STARTTLS":
            sock.sendall(b"220 2.0.0 SMTP server ready\r\n")
            return "starttls"
        elif line.upper() == b"AUTH NTLM":
            sock.sendall(b"334 NTLM supported\r\n")
            negotiate = read_line(sock, buf)
            if negotiate is None:
                return None
            type2 = ntlm_challenge.challenge_b64(negotiate.decode("ascii", "replace").strip())
            if type2 is None:
                sock.sendall(b"501 5.7.3 Authentication cancelled\r\n" if negotiate == b"*"
                             else b"535 5.7.3 Authentication unsuccessful\r\n")
                continue
            sock.sendall(b"334 " + type2.encode() + b"\r\n")
            if read_line(sock, buf) is None:
                return None
            sock.sendall(b"501 5.7.3 Authentication cancelled\r\n")
        elif verb == b"QUIT":
            sock.sendall(b"221 2.0.0 Service closing transmission channel\r\n")
            return None
        else:
            sock.sendall(b"500 5.3.3 Unrecognized command\r\n")


def smtp_ntlm(conn, ctx):
    conn.sendall(b"220 ntlm.lab.test Microsoft ESMTP MAIL Service ready (lab stand-in)\r\n")
    if ntlm_dialogue(conn, bytearray()) == "starttls":
        ntlm_dialogue(ctx.wrap_socket(conn, server_side=True), bytearray())


def sasl_ntlm_challenge(sock, buf):
    """The server side of a SASL NTLM exchange after "AUTHENTICATE NTLM" / "AUTH NTLM": an empty
    continuation, the client's NEGOTIATE, the CHALLENGE. Returns "cancelled" after the client's
    next line (a "*" or a response), "refused" when the NEGOTIATE was not one, None when the
    session ended."""
    sock.sendall(b"+ \r\n")
    negotiate = read_line(sock, buf)
    if negotiate is None:
        return None
    type2 = ntlm_challenge.challenge_b64(negotiate.decode("ascii", "replace").strip())
    if type2 is None:
        return "refused"
    sock.sendall(b"+ " + type2.encode() + b"\r\n")
    return None if read_line(sock, buf) is None else "cancelled"


def imap_ntlm_dialogue(sock, buf, tls):
    """Exchange's IMAP4 answers to CAPABILITY, STARTTLS, AUTHENTICATE NTLM, NOOP and LOGOUT.
    Returns "starttls" when the client asked for TLS, None when the session ended."""
    caps = b"IMAP4 IMAP4rev1 AUTH=NTLM AUTH=GSSAPI " + (b"AUTH=PLAIN" if tls else b"STARTTLS LOGINDISABLED")
    while True:
        line = read_line(sock, buf)
        if line is None:
            return None
        tag, _, cmd = line.partition(b" ")
        cmd = cmd.upper()
        if cmd == b"CAPABILITY":
            sock.sendall(b"* CAPABILITY " + caps + b" CHILDREN IDLE NAMESPACE LITERAL+\r\n" + tag +
                         b" OK CAPABILITY completed.\r\n")
        elif cmd == b"STARTTLS" and not tls:
            sock.sendall(tag + b" OK Begin TLS negotiation now.\r\n")
            return "starttls"
        elif cmd == b"AUTHENTICATE NTLM":
            outcome = sasl_ntlm_challenge(sock, buf)
            if outcome is None:
                return None
            sock.sendall(tag + (b" BAD AUTHENTICATE cancelled.\r\n" if outcome == "cancelled"
                                else b" NO AUTHENTICATE failed.\r\n"))
        elif cmd == b"NOOP":
            sock.sendall(tag + b" OK NOOP completed.\r\n")
        elif cmd == b"LOGOUT":
            sock.sendall(b"* BYE Microsoft Exchange Server IMAP4 server signing off.\r\n" + tag +
                         b" OK LOGOUT completed.\r\n")
            return None
        else:
            sock.sendall(tag + b" BAD Command Error. 10\r\n")


def imap_ntlm(conn, ctx):
    conn.sendall(b"* OK The Microsoft Exchange IMAP4 service is ready. (lab stand-in)\r\n")
    if imap_ntlm_dialogue(conn, bytearray(), False) == "starttls":
        imap_ntlm_dialogue(ctx.wrap_socket(conn, server_side=True), bytearray(), True)


def pop3_ntlm_dialogue(sock, buf, tls):
    """Exchange's POP3 answers to CAPA, STLS, AUTH NTLM and QUIT. Returns "starttls" when the
    client asked for TLS, None when the session ended."""
    capa = [b"TOP", b"UIDL", b"SASL NTLM GSSAPI" + (b" PLAIN" if tls else b""), b"USER" if tls else b"STLS"]
    while True:
        line = read_line(sock, buf)
        if line is None:
            return None
        cmd = line.upper()
        if cmd == b"CAPA":
            sock.sendall(b"+OK\r\n" + b"".join(c + b"\r\n" for c in capa) + b".\r\n")
        elif cmd == b"STLS" and not tls:
            sock.sendall(b"+OK Begin TLS negotiation.\r\n")
            return "starttls"
        elif cmd == b"AUTH NTLM":
            outcome = sasl_ntlm_challenge(sock, buf)
            if outcome is None:
                return None
            sock.sendall(b"-ERR Protocol error. 14\r\n" if outcome == "cancelled" else b"-ERR Logon failure.\r\n")
        elif cmd == b"QUIT":
            sock.sendall(b"+OK Microsoft Exchange Server POP3 server signing off.\r\n")
            return None
        else:
            sock.sendall(b"-ERR Protocol error. 14\r\n")


def pop3_ntlm(conn, ctx):
    conn.sendall(b"+OK The Microsoft Exchange POP3 service is ready. (lab stand-in)\r\n")
    if pop3_ntlm_dialogue(conn, bytearray(), False) == "starttls":
        pop3_ntlm_dialogue(ctx.wrap_socket(conn, server_side=True), bytearray(), True)


def pop3s_refuse(conn, ctx):
    tls = ctx.wrap_socket(conn, server_side=True)
    tls.sendall(b"-ERR POP3 is not offered on this server; use the Client Access server\r\n")


def serve(conn, handler, ctx):
    conn.settimeout(TIMEOUT)
    try:
        handler(conn, ctx)
    except (OSError, ssl.SSLError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", required=True, choices=["smtp-injection", "smtp-ntlm", "imap-ntlm", "pop3-ntlm", "pop3s-refuse"])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--pidfile", required=True)
    a = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(a.cert, a.key)
    handler = {"smtp-injection": smtp_injection, "smtp-ntlm": smtp_ntlm, "imap-ntlm": imap_ntlm, "pop3-ntlm": pop3_ntlm,
               "pop3s-refuse": pop3s_refuse}[a.mode]
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", a.port))
    srv.listen(64)
    with open(a.pidfile, "w") as f:
        f.write(f"{os.getpid()}\n")
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, handler, ctx), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
