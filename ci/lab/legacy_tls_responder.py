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

python3 standard library only (the certificate is made once at start-up with the openssl CLI,
or a fixed dummy DER blob is used when that fails).

    legacy_tls_responder.py --port P --version ssl2|ssl3|tls10 --suites 0x000a,0x0005,0x0003
                            [--pidfile F] [--host 127.0.0.1]
For ssl2, --suites takes 3-byte cipher kinds (0x010080,0x0700c0,...).
"""
import argparse
import os
import signal
import socket
import socketserver
import struct
import subprocess
import sys
import tempfile
import threading

VERSIONS = {"ssl2": 0x0002, "ssl3": 0x0300, "tls10": 0x0301}
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


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        cfg = self.server.cfg
        sock = self.request
        sock.settimeout(READ_TIMEOUT)
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
        flight = handshake(2, hello) + handshake(11, len(certs).to_bytes(3, "big") + certs) + handshake(14, b"")
        sock.sendall(record(rec_version, 22, flight))
        try:
            sock.recv(1)  # let the client hang up first
        except OSError:
            pass


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


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
    args = ap.parse_args()
    cfg = {"version": VERSIONS[args.version], "suites": [int(x, 16) for x in args.suites.split(",") if x],
           "cert": make_certificate(), "secure_renegotiation": not args.no_secure_renegotiation,
           "compression": args.compression}
    srv = Server((args.host, args.port), Handler)
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
