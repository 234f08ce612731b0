#!/usr/bin/env python3
"""Legacy TLS responder for the policyprobe lab.

It STANDS IN for servers that no Debian 12 package can run any more: SSLv2, SSLv3 and EXPORT /
RC4 / DES suites are compiled out of both OpenSSL 3.0 and GnuTLS 3.7. It speaks only the first
flight of a handshake - enough for a scanner to see which version and suite a server would pick:
it reads one ClientHello (SSLv2-compatible or a v3 record), and either answers a correctly built
ServerHello + Certificate + ServerHelloDone (or an SSLv2 SERVER-HELLO) for the configured version
and the first configured suite the client offered, or sends an alert (protocol_version when the
client's version is too low, handshake_failure when no suite matches). It never completes a
handshake and carries no application data. With --compression it also stands in for a server
that still negotiates TLS compression (DEFLATE), which no packaged server does any more.
With --emulate heartbleed / ccs-injection it stands in for an unpatched OpenSSL 1.0.1 (see
"Vulnerable-OpenSSL emulations" below).

python3 standard library only (the certificate is made once at start-up with the openssl CLI,
or a fixed dummy DER blob is used when that fails).

    legacy_tls_responder.py --port P --version ssl2|ssl3|tls10 --suites 0x000a,0x0005,0x0003
                            [--pidfile F] [--host 127.0.0.1]
    legacy_tls_responder.py --port P --version tls12 --suites 0x002f --emulate heartbleed
For ssl2, --suites takes 3-byte cipher kinds (0x010080,0x0700c0,...).
"""
import argparse
import os
import select
import signal
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import tempfile
import threading

VERSIONS = {"ssl2": 0x0002, "ssl3": 0x0300, "tls10": 0x0301, "tls12": 0x0303}
READ_TIMEOUT = 10.0
MAX_HELLO = 1 << 16


def make_certificate():
    """A real self-signed certificate (DER), generated once; a fixed blob if openssl is missing."""
    try:
        with tempfile.TemporaryDirectory() as d:
            key, crt = os.path.join(d, "k.pem"), os.path.join(d, "c.der")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", key,
                            "-outform", "DER", "-out", crt, "-days", "30", "-subj", "/CN=legacy.lab.test"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
            with open(crt, "rb") as f:
                return f.read()
    except (OSError, subprocess.SubprocessError):
        return b"\x30\x03\x02\x01\x00"  # not a certificate, but well-framed bytes


def recv_exact(sock, n):
    out = b""
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise EOFError("closed")
        out += chunk
    return out


def read_client_hello(sock):
    """Returns (kind, client_version, offered) where kind is 'v2' or 'v3' and offered is a list of
    ints (2-byte suites for v3, 3-byte kinds for v2)."""
    head = recv_exact(sock, 2)
    if head[0] & 0x80:  # SSLv2 record header, 2 bytes
        length = ((head[0] & 0x7F) << 8) | head[1]
        body = recv_exact(sock, length)
        if body[0] != 1:
            raise ValueError("not a CLIENT-HELLO")
        version, specs_len, sid_len, chal_len = struct.unpack(">HHHH", body[1:9])
        specs = body[9:9 + specs_len]
        return "v2", version, [int.from_bytes(specs[i:i + 3], "big") for i in range(0, len(specs), 3)], []
    rest = recv_exact(sock, 3)
    if head[0] != 22:
        raise ValueError("not a handshake record")
    length = struct.unpack(">H", rest[1:3])[0]
    data = recv_exact(sock, length)
    while len(data) >= 4 and len(data) < 4 + int.from_bytes(data[1:4], "big"):  # hello over records
        if len(data) > MAX_HELLO:
            raise ValueError("hello too large")
        h = recv_exact(sock, 5)
        data += recv_exact(sock, struct.unpack(">H", h[3:5])[0])
    if data[0] != 1:
        raise ValueError("not a ClientHello")
    body = data[4:4 + int.from_bytes(data[1:4], "big")]
    version = struct.unpack(">H", body[0:2])[0]
    pos = 34
    pos += 1 + body[pos]
    n = struct.unpack(">H", body[pos:pos + 2])[0]
    suites = [struct.unpack(">H", body[pos + 2 + i:pos + 4 + i])[0] for i in range(0, n, 2)]
    pos += 2 + n
    compressions = list(body[pos + 1:pos + 1 + body[pos]]) if pos < len(body) else []
    return "v3", version, suites, compressions


def record(version, ctype, payload):
    return struct.pack(">BHH", ctype, version, len(payload)) + payload


def handshake(mtype, body):
    return struct.pack(">B", mtype) + len(body).to_bytes(3, "big") + body


def alert(version, description):
    return record(version, 21, bytes([2, description]))


###############################################################################################
# DHE key exchange for the legacy versions (Logjam stand-in): a DHE suite gets a
# ServerKeyExchange with a 512-bit group, as DHE EXPORT suites used. The group is a real safe
# prime (made once with `openssl dhparam 512`); the signature is filler of the key's size, not a
# signature: scanners read the group size and never verify, and no client can finish anyway.
###############################################################################################
DHE_SUITES = (0x0011, 0x0012, 0x0013, 0x0014, 0x0015, 0x0016, 0x0032, 0x0033, 0x0038, 0x0039)
DH512_P = int("f913b34287466a8a8e63cbd84d36ead7a69b8b1674f867da9087108937"
              "12c5e91c1ab78d7ab7888ece78546d218ebd858a85c5344486feb29a8b785b694ceab7", 16)
SIGNATURE_FILLER_BYTES = 128


def dhe_key_exchange(suite, version):
    """The ServerKeyExchange handshake message for a DHE suite; b"" for any other."""
    if suite not in DHE_SUITES:
        return b""
    p = DH512_P.to_bytes(64, "big")
    ys = pow(2, int.from_bytes(os.urandom(32), "big"), DH512_P).to_bytes(64, "big")
    params = b"".join(struct.pack(">H", len(v)) + v for v in (p, b"\x02", ys))
    algorithm = b"\x04\x01" if version >= 0x0303 else b""  # TLS 1.2 names it: rsa_pkcs1_sha256
    return handshake(12, params + algorithm + struct.pack(">H", SIGNATURE_FILLER_BYTES) + b"\x5a" * SIGNATURE_FILLER_BYTES)


###############################################################################################
# ROBOT and Ticketbleed stand-ins (--emulate-bigip robot|ticketbleed).
#
# Stand-ins: both are bugs of particular TLS stacks (F5 BIG-IP, Citrix, Cisco, old Java and
# others for ROBOT, CVE-2017-6168 and kin; F5 BIG-IP alone for Ticketbleed, CVE-2016-9244) and
# neither OpenSSL 3.0 nor GnuTLS 3.7, the only TLS servers Debian 12 packages, shows either. So
# a real TLS server (this process's own python ssl, i.e. Debian's OpenSSL, TLS 1.2 and 1.3, static
# RSA key exchange allowed) completes every handshake, and a byte-level front in between adds
# exactly the one misbehaviour:
# - robot: the front decrypts each ClientKeyExchange with the server's RSA key and judges its
#   PKCS#1 v1.5 padding the way vulnerable stacks did, answering at once instead of carrying
#   on: first bytes not 00 02 get a fatal handshake_failure alert; no 00 separator, or a
#   premaster secret that is not 48 bytes, gets a close without an alert. A well-padded one
#   (with a right or wrong version) goes on to the real server, which answers a bad Finished
#   with bad_record_mac. Three answers = a strong Bleichenbacher oracle.
# - ticketbleed: when a ClientHello resumes with a session ticket and a session ID shorter than
#   32 bytes, the real server echoes that ID and the front pads it to 32 bytes, as BIG-IP did.
#   BIG-IP padded with uninitialised memory; this pads with os.urandom filler, never memory.
#   Such a hello's extensions length is read leniently, as BIG-IP did (lenient_extensions_length).
# Nothing else changes: ordinary clients complete ordinary handshakes (an HTTP answer included).
###############################################################################################
BIGIP_MODES = ("robot", "ticketbleed")
BIGIP_CIPHERS = {
    "robot": "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA",
    "ticketbleed": "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:AES128-GCM-SHA256:AES128-SHA",
}
ALERT_HANDSHAKE_FAILURE_ROBOT = 40
# OpenSSL 3's SSL_OP_NO_EXTENDED_MASTER_SECRET (python's ssl names no constant for it): the
# emulated stacks predate RFC 7627, and with it a resumption hello without the extension (as
# Ticketbleed testers send) is refused.
OP_NO_EXTENDED_MASTER_SECRET = 1 << 0
MAX_FRONT_RECORDS = 64


def make_rsa_identity(directory, cn):
    """A 2048-bit RSA key and self-signed certificate as PEM files, and the key's (n, d)."""
    key, crt = os.path.join(directory, "robot.key"), os.path.join(directory, "robot.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
                    "-days", "30", "-subj", "/CN=" + cn], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    text = subprocess.run(["openssl", "rsa", "-in", key, "-noout", "-text"], check=True, capture_output=True,
                          text=True, timeout=30).stdout
    fields, name = {}, None
    for line in text.splitlines():
        if not line.startswith(" ") and line.rstrip().endswith(":"):
            name = line.strip()[:-1]
            fields[name] = ""
        elif line.startswith(" ") and name is not None:
            fields[name] += line.strip().replace(":", "")
    return key, crt, int(fields["modulus"], 16), int(fields["privateExponent"], 16)


def pkcs1_premaster_verdict(block):
    """How the emulated stack judges a decrypted ClientKeyExchange: "prefix" when the first bytes
    are not 00 02, "padding" when the 00 separator is missing or the premaster secret is not 48
    bytes, "ok" otherwise (the version is not checked: a wrong one passes as a right one)."""
    if block[0:2] != b"\x00\x02":
        return "prefix"
    sep = block.find(b"\x00", 2)
    return "ok" if sep >= 10 and len(block) - sep - 1 == 48 else "padding"


def read_front_record(sock):
    head = recv_exact(sock, 5)
    return head, recv_exact(sock, struct.unpack(">H", head[3:5])[0])


def hello_session(record_payload):
    """(session id, non-empty session ticket offered) from a ClientHello record payload."""
    body = record_payload[4:]
    sid = body[35:35 + body[34]]
    pos = 35 + body[34]
    pos += 2 + struct.unpack(">H", body[pos:pos + 2])[0]
    pos += 1 + body[pos]
    end = min(len(body), pos + 2 + struct.unpack(">H", body[pos:pos + 2])[0]) if pos + 2 <= len(body) else pos
    pos += 2
    ticket = False
    while pos + 4 <= end:
        etype, elen = struct.unpack(">HH", body[pos:pos + 4])
        ticket = ticket or (etype == 0x0023 and elen > 0)
        pos += 4 + elen
    return sid, ticket


def lenient_extensions_length(payload):
    """The ClientHello record payload with its extensions length set to the bytes actually there.
    testssl.sh's Ticketbleed hello states a fixed length that fits BIG-IP's 194-byte tickets
    only; BIG-IP read it anyway, OpenSSL refuses it (decode_error). Well-formed hellos pass
    unchanged."""
    body = payload[4:4 + int.from_bytes(payload[1:4], "big")]
    pos = 35 + body[34]
    pos += 2 + struct.unpack(">H", body[pos:pos + 2])[0]
    pos += 1 + body[pos]
    if pos + 2 > len(body) or struct.unpack(">H", body[pos:pos + 2])[0] == len(body) - pos - 2:
        return payload
    return payload[:4] + body[:pos] + struct.pack(">H", len(body) - pos - 2) + body[pos + 2:] + payload[4 + len(body):]


def pad_session_id(payload):
    """The ServerHello at the start of a handshake record payload with its session ID padded to
    32 bytes of filler (the rest of the record unchanged)."""
    if len(payload) < 39 or payload[0] != 2:
        return payload
    n = int.from_bytes(payload[1:4], "big")
    body = payload[4:4 + n]
    sid_len = body[34]
    if sid_len == 0 or sid_len >= 32:
        return payload
    sid = body[35:35 + sid_len] + os.urandom(32 - sid_len)
    new_body = body[:34] + bytes([32]) + sid + body[35 + sid_len:]
    return b"\x02" + len(new_body).to_bytes(3, "big") + new_body + payload[4 + n:]


def robot_front(client, server, cfg):
    """Client to server after the ClientHello, record by record up to the client's
    ChangeCipherSpec; with robot, a malformed ClientKeyExchange padding ends the connection with
    an alert of the front's own. False when it did."""
    for _ in range(MAX_FRONT_RECORDS):
        head, payload = read_front_record(client)
        if head[0] == 20:  # ChangeCipherSpec: from here on the client's records are encrypted
            server.sendall(head + payload)
            break
        if cfg["emulate_bigip"] == "robot" and head[0] == 22 and payload[:1] == b"\x10":
            n, d = cfg["rsa"]
            cke = payload[4:]
            c = int.from_bytes(cke[2:2 + struct.unpack(">H", cke[0:2])[0]], "big")
            block = pow(c, d, n).to_bytes((n.bit_length() + 7) // 8, "big")
            verdict = pkcs1_premaster_verdict(block)
            if verdict == "prefix":  # a fatal alert at once
                client.sendall(alert(struct.unpack(">H", head[1:3])[0], ALERT_HANDSHAKE_FAILURE_ROBOT))
            if verdict != "ok":  # the rest of the padding wrong: a close without an alert
                return False
        server.sendall(head + payload)
    return True


def pump(src, dst):
    while True:
        data = src.recv(16384)
        if not data:
            return
        dst.sendall(data)


def server_to_client(server, client, state):
    """The first server record passes through pad_session_id when the hello asked for it (state
    is set before the hello reaches the server, so before any answer)."""
    head, payload = read_front_record(server)
    if state.get("pad_sid") and head[0] == 22:
        payload = pad_session_id(payload)
        head = head[:3] + struct.pack(">H", len(payload))
    client.sendall(head + payload)
    pump(server, client)


def real_tls_server(sock, ctx):
    """The real server behind the front: one handshake, then a short HTTP answer."""
    try:
        with ctx.wrap_socket(sock, server_side=True) as tls:
            tls.recv(4096)
            tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
                        b"Connection: close\r\n\r\nok\n")
    except (OSError, ssl.SSLError):
        pass


class BigipHandler(socketserver.BaseRequestHandler):
    def handle(self):
        cfg = self.server.cfg
        client = self.request
        client.settimeout(READ_TIMEOUT)
        front, back = socket.socketpair()
        for s in (front, back):
            s.settimeout(READ_TIMEOUT)
        state = {}
        threading.Thread(target=real_tls_server, args=(back, cfg["ctx"]), daemon=True).start()
        out = threading.Thread(target=self.guard, args=(server_to_client, front, client, state), daemon=True)
        out.start()
        try:
            if client.recv(1, socket.MSG_PEEK) != b"\x16":  # not a TLS handshake (SSLv2): the real server judges
                pump(client, front)
                return
            head, payload = read_front_record(client)  # the ClientHello: known before any answer
            if head[0] == 22 and payload[:1] == b"\x01":
                sid, ticket = hello_session(payload)
                state["pad_sid"] = cfg["emulate_bigip"] == "ticketbleed" and ticket and 0 < len(sid) < 32
                if state["pad_sid"]:
                    payload = lenient_extensions_length(payload)
            front.sendall(head + payload)
            if robot_front(client, front, cfg):
                pump(client, front)
        except (EOFError, ValueError, OSError, struct.error, IndexError):
            pass
        finally:
            for s in (front, client):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            out.join(READ_TIMEOUT)
            front.close()

    @staticmethod
    def guard(fn, *args):
        try:
            fn(*args)
        except (EOFError, ValueError, OSError, struct.error, IndexError):
            pass


def bigip_config(args):
    """The real server's context and the RSA key the robot front decrypts with."""
    with tempfile.TemporaryDirectory() as directory:
        key, crt, n, d = make_rsa_identity(directory, "legacy-bigip.lab.test")
        ctx = bigip_context(args.emulate_bigip, key, crt)
    return {"emulate_bigip": args.emulate_bigip, "ctx": ctx, "rsa": (n, d)}


def bigip_context(mode, key, crt):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    # TLS 1.3 stays on: with it off, OpenSSL 3.0 answers protocol_version to hellos that list
    # curves it no longer has (testssl.sh's Ticketbleed hello does). Only TLS 1.2 has the bugs.
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.options |= OP_NO_EXTENDED_MASTER_SECRET
    ctx.set_ciphers(BIGIP_CIPHERS[mode] + ":@SECLEVEL=0")
    ctx.load_cert_chain(crt, key)
    return ctx


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        cfg = self.server.cfg
        sock = self.request
        sock.settimeout(READ_TIMEOUT)
        if cfg.get("emulate"):
            serve_vulnerable(sock, cfg)
            return
        try:
            kind, client_version, offered, compressions = read_client_hello(sock)
        except (EOFError, ValueError, OSError, struct.error, IndexError):
            return
        want = cfg["version"]
        rec_version = 0x0300 if want in (0x0002, 0x0300) else want
        if want == 0x0002:
            chosen = [k for k in cfg["suites"] if k in offered]
            if kind != "v2" or client_version != 0x0002:
                sock.sendall(alert(0x0300, 70))
                return
            if not chosen:
                sock.sendall(b"\x80\x03\x00\x00\x01")  # SSLv2 ERROR: NO-CIPHER-ERROR
                return
            cert = cfg["cert"]
            specs = b"".join(k.to_bytes(3, "big") for k in chosen)
            conn_id = os.urandom(16)
            msg = struct.pack(">BBBHHHH", 4, 0, 1, 0x0002, len(cert), len(specs), len(conn_id)) + cert + specs + conn_id
            sock.sendall(struct.pack(">H", 0x8000 | len(msg)) + msg)
            return
        if client_version < want:
            sock.sendall(alert(rec_version, 70))
            return
        suite = next((s for s in cfg["suites"] if s in offered), None)
        if suite is None:
            sock.sendall(alert(rec_version, 40))
            return
        method = 1 if cfg["compression"] and 1 in compressions else 0  # 1 = DEFLATE (RFC 3749)
        hello = struct.pack(">H", want) + os.urandom(32) + b"\x00" + struct.pack(">HB", suite, method)
        if cfg["secure_renegotiation"] and (0xFF in offered or want >= 0x0301):
            ri = b"\xff\x01\x00\x01\x00"  # renegotiation_info, empty: RFC 5746 support
            hello += struct.pack(">H", len(ri)) + ri
        cert = cfg["cert"]
        certs = len(cert).to_bytes(3, "big") + cert
        flight = (handshake(2, hello) + handshake(11, len(certs).to_bytes(3, "big") + certs) + dhe_key_exchange(suite, want)
                  + handshake(14, b""))
        sock.sendall(record(rec_version, 22, flight))
        try:
            sock.recv(1)  # let the client hang up first
        except OSError:
            pass


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True

###############################################################################################
# Vulnerable-OpenSSL emulations: Heartbleed (CVE-2014-0160) and CCS injection (CVE-2014-0224).
#
# Stand-ins: both bugs were fixed in OpenSSL 1.0.1g/1.0.1h (2014), Debian 12 ships OpenSSL 3.0
# (heartbeats compiled out, early ChangeCipherSpec refused) and GnuTLS 3.7, so no packaged server
# can still show either behaviour. In front of a real server (--backend, the lab's legacy nginx)
# they relay every connection to it, so ordinary clients complete real handshakes, and take over
# only where the unpatched code behaved differently:
# - heartbleed: a ClientHello offering the heartbeat extension is answered here (ServerHello with
#   the extension, Certificate, ServerHelloDone; TLS 1.0-1.2, static-RSA suites), and a
#   HeartbeatRequest then gets a HeartbeatResponse of the length it CLAIMS (1.0.1f's
#   tls1_process_heartbeat: type, claimed length, payload, 16 bytes of padding, split into
#   records of at most 2^14 bytes). Where the unpatched code read past the request into its heap,
#   this sends fixed, harmless filler bytes: nothing from this process's memory ever leaves it.
# - ccs-injection: the relay watches the handshake; a client ChangeCipherSpec after the server's
#   ServerHelloDone and before the client's key exchange is swallowed silently (the unpatched code
#   switched its read state to keys made from an empty master secret), and the client's next
#   record is answered with a fatal bad_record_mac (it no longer decrypts) and the connection
#   closed. Resumed handshakes and TLS 1.3 (no ServerHelloDone) pass untouched.
# Without --backend the whole connection is answered here: the first flight above, then an early
# ChangeCipherSpec gets unexpected_message (heartbleed) or the treatment above (ccs-injection).
###############################################################################################
EMULATIONS = ("ccs-injection", "heartbleed")
HEARTBEAT_EXT = 0x000F
HEARTBEAT_PADDING = 16
MAX_PLAINTEXT = 1 << 14
FILLER = b"policyprobe-lab-heartbleed-filler:not-memory;"
MAX_RECORDS_AFTER_HELLO = 64
RELAY_IDLE = 30.0
CT_CCS, CT_ALERT, CT_HANDSHAKE, CT_HEARTBEAT = 20, 21, 22, 24
ALERT_UNEXPECTED_MESSAGE, ALERT_BAD_RECORD_MAC, ALERT_HANDSHAKE_FAILURE = 10, 20, 40


def read_record(sock):
    """One TLS record: (content type, version, payload)."""
    ctype, version, length = struct.unpack(">BHH", recv_exact(sock, 5))
    return ctype, version, recv_exact(sock, length)


def parse_hello_extensions(body, pos):
    """Extension types of a ClientHello body from pos (after the compression methods)."""
    types = []
    if pos + 2 > len(body):
        return types
    end = min(len(body), pos + 2 + struct.unpack(">H", body[pos:pos + 2])[0])
    pos += 2
    while pos + 4 <= end:
        etype, elen = struct.unpack(">HH", body[pos:pos + 4])
        types.append(etype)
        pos += 4 + elen
    return types


def read_tls_client_hello(sock):
    """A v3-record ClientHello: (client_version, suites, extension types, the records' bytes)."""
    ctype, rversion, data = read_record(sock)
    if ctype != CT_HANDSHAKE:
        raise ValueError("not a handshake record")
    raw = record(rversion, ctype, data)
    while len(data) < 4 or len(data) < 4 + int.from_bytes(data[1:4], "big"):
        if len(data) > MAX_HELLO:
            raise ValueError("hello too large")
        more = read_record(sock)
        raw += record(more[1], more[0], more[2])
        data += more[2]
    if data[0] != 1:
        raise ValueError("not a ClientHello")
    body = data[4:4 + int.from_bytes(data[1:4], "big")]
    version = struct.unpack(">H", body[0:2])[0]
    pos = 34
    pos += 1 + body[pos]
    n = struct.unpack(">H", body[pos:pos + 2])[0]
    suites = [struct.unpack(">H", body[pos + 2 + i:pos + 4 + i])[0] for i in range(0, n, 2)]
    pos += 2 + n
    pos += 1 + body[pos]
    return version, suites, parse_hello_extensions(body, pos), raw


def vulnerable_first_flight(cfg, version, suite, offered, extensions):
    """ServerHello (+ renegotiation_info, + heartbeat when emulating Heartbleed and offered),
    Certificate, ServerHelloDone."""
    ext = b""
    if 0x00FF in offered or 0xFF01 in extensions:
        ext += b"\xff\x01\x00\x01\x00"
    if cfg["emulate"] == "heartbleed" and HEARTBEAT_EXT in extensions:
        ext += struct.pack(">HHB", HEARTBEAT_EXT, 1, 1)  # peer_allowed_to_send
    hello = struct.pack(">H", version) + os.urandom(32) + b"\x00" + struct.pack(">HB", suite, 0)
    if ext:
        hello += struct.pack(">H", len(ext)) + ext
    certs = len(cfg["cert"]).to_bytes(3, "big") + cfg["cert"]
    flight = handshake(2, hello) + handshake(11, len(certs).to_bytes(3, "big") + certs) + handshake(14, b"")
    return record(version, CT_HANDSHAKE, flight)


def heartbleed_response(version, request):
    """What unpatched OpenSSL answered to a HeartbeatRequest: the claimed length, whatever the
    record held. Bytes past the real payload (and the padding) are FILLER, never memory."""
    if len(request) < 3 or request[0] != 1:
        return b""
    claimed = struct.unpack(">H", request[1:3])[0]
    real = request[3:3 + claimed]
    over = claimed - len(real) + HEARTBEAT_PADDING
    filler = (FILLER * (over // len(FILLER) + 1))[:over]
    msg = b"\x02" + struct.pack(">H", claimed) + real + filler
    return b"".join(record(version, CT_HEARTBEAT, msg[i:i + MAX_PLAINTEXT])
                    for i in range(0, len(msg), MAX_PLAINTEXT))


def answer_after_hello(sock, cfg, version, heartbeat):
    """Records sent before the key exchange, answered as the emulated server would, until one
    of them ends the connection."""
    ccs_accepted = False
    for _ in range(MAX_RECORDS_AFTER_HELLO):
        ctype, _, payload = read_record(sock)
        if ccs_accepted:
            sock.sendall(alert(version, ALERT_BAD_RECORD_MAC))  # keys from an empty master secret
            return
        if ctype == CT_HEARTBEAT:
            if heartbeat:
                sock.sendall(heartbleed_response(version, payload))
            continue
        if ctype == CT_CCS and cfg["emulate"] == "ccs-injection":
            ccs_accepted = True
            continue
        if ctype == CT_ALERT:
            return
        sock.sendall(alert(version, ALERT_HANDSHAKE_FAILURE if ctype == CT_HANDSHAKE else ALERT_UNEXPECTED_MESSAGE))
        return


class CcsWatch:
    """Relay-side view of a real server's handshake for the ccs-injection stand-in: takes the
    client's ChangeCipherSpec when it comes after the server's ServerHelloDone and before any
    handshake record of the client's (the key exchange), i.e. exactly the early one. Resumed
    handshakes (no ServerHelloDone) and TLS 1.3 (no ServerHelloDone; its compatibility CCS) pass."""

    def __init__(self):
        self.server_buf, self.server_hs, self.client_buf = b"", b"", b""
        self.hello_done = self.server_ccs = self.client_kx = self.taken = False
        self.version = 0x0301

    def from_server(self, data):
        if self.hello_done or self.server_ccs:
            return
        self.server_buf += data
        while len(self.server_buf) >= 5:
            ctype, version, length = struct.unpack(">BHH", self.server_buf[:5])
            if len(self.server_buf) < 5 + length:
                return
            body, self.server_buf = self.server_buf[5:5 + length], self.server_buf[5 + length:]
            self.version = version
            if ctype == CT_CCS:
                self.server_ccs = True
                return
            if ctype == CT_HANDSHAKE:
                self.server_hs += body
                while len(self.server_hs) >= 4 and len(self.server_hs) >= 4 + int.from_bytes(self.server_hs[1:4], "big"):
                    n = 4 + int.from_bytes(self.server_hs[1:4], "big")
                    self.hello_done |= self.server_hs[0] == 14
                    self.server_hs = self.server_hs[n:]

    def from_client(self, data):
        """(bytes to forward to the server, bytes to answer the client with, hang up)."""
        self.client_buf += data
        forward = b""
        while len(self.client_buf) >= 5:
            ctype, _, length = struct.unpack(">BHH", self.client_buf[:5])
            if len(self.client_buf) < 5 + length:
                break
            rec, self.client_buf = self.client_buf[:5 + length], self.client_buf[5 + length:]
            if self.taken:  # decrypted with keys from an empty master secret: garbage
                return forward, alert(self.version, ALERT_BAD_RECORD_MAC), True
            if ctype == CT_CCS and self.hello_done and not self.client_kx:
                self.taken = True  # silently, as unpatched OpenSSL did
                continue
            self.client_kx |= ctype == CT_HANDSHAKE
            forward += rec
        return forward, b"", False


def relay_to_backend(sock, cfg, raw_hello):
    """The connection goes to the real server behind the stand-in (--backend), watched for the
    early ChangeCipherSpec when emulating CCS injection."""
    watch = CcsWatch() if cfg["emulate"] == "ccs-injection" else None
    with socket.create_connection((cfg["backend_host"], cfg["backend"]), timeout=READ_TIMEOUT) as backend:
        backend.sendall(raw_hello)
        peers = {sock: backend, backend: sock}
        while True:
            ready, _, _ = select.select(list(peers), [], [], RELAY_IDLE)
            if not ready:
                return
            for src in ready:
                data = src.recv(65536)
                if not data:
                    return
                if watch is None:
                    peers[src].sendall(data)
                elif src is backend:
                    watch.from_server(data)
                    sock.sendall(data)
                else:
                    forward, answer, hang_up = watch.from_client(data)
                    if forward:
                        backend.sendall(forward)
                    if answer:
                        sock.sendall(answer)
                    if hang_up:
                        return


def serve_vulnerable(sock, cfg):
    """One connection to a Heartbleed- or CCS-injection-vulnerable stand-in. With a backend,
    only a hello offering heartbeats (heartbleed) is answered here; everything else is the real
    server's, so ordinary clients complete their handshakes."""
    try:
        client_version, offered, extensions, raw = read_tls_client_hello(sock)
        heartbeat = cfg["emulate"] == "heartbleed" and HEARTBEAT_EXT in extensions
        if cfg["backend"] and not heartbeat:
            relay_to_backend(sock, cfg, raw)
            return
        version = min(client_version, cfg["version"])
        if version < 0x0301:
            sock.sendall(alert(0x0301, 70))
            return
        suite = next((s for s in cfg["suites"] if s in offered), None)
        if suite is None:
            sock.sendall(alert(version, ALERT_HANDSHAKE_FAILURE))
            return
        sock.sendall(vulnerable_first_flight(cfg, version, suite, offered, extensions))
        answer_after_hello(sock, cfg, version, heartbeat)
    except (EOFError, ValueError, OSError, struct.error, IndexError):
        return


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--version", choices=sorted(VERSIONS), required=True)
    ap.add_argument("--suites", required=True, help="comma-separated hex code points")
    ap.add_argument("--pidfile")
    ap.add_argument("--compression", action="store_true",
                    help="choose DEFLATE compression when the client offers it (CRIME-era servers)")
    ap.add_argument("--no-secure-renegotiation", action="store_true",
                    help="answer like a pre-2009 server: no RFC 5746 renegotiation_info")
    ap.add_argument("--emulate", choices=sorted(EMULATIONS),
                    help="stand in for an unpatched OpenSSL 1.0.1 (TLS 1.0-1.2, up to --version)")
    ap.add_argument("--backend", type=int, default=0,
                    help="with --emulate: relay what is not the bug to the real TLS server on this port")
    ap.add_argument("--emulate-bigip", choices=BIGIP_MODES,
                    help="a real TLS 1.2/1.3 server behind a front that adds a ROBOT oracle or Ticketbleed")
    args = ap.parse_args()
    cfg = {"version": VERSIONS[args.version], "suites": [int(x, 16) for x in args.suites.split(",") if x],
           "cert": make_certificate(), "secure_renegotiation": not args.no_secure_renegotiation,
           "compression": args.compression}
    cfg["emulate"] = args.emulate
    cfg["backend"], cfg["backend_host"] = args.backend, args.host
    if args.emulate_bigip:
        cfg.update(bigip_config(args))
    srv = Server((args.host, args.port), BigipHandler if args.emulate_bigip else Handler)
    srv.cfg = cfg
    if args.pidfile:
        with open(args.pidfile, "w") as f:
            f.write("%d\n" % os.getpid())

    def stop(*_):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        srv.serve_forever()
    finally:
        srv.server_close()
        if args.pidfile:
            try:
                os.unlink(args.pidfile)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
