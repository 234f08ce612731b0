#!/usr/bin/env python3
"""Misbehaving servers on loopback, one per hostile case, plus healthy ones to prove the other
targets of the same scan are unaffected, and a witness that must never be contacted.

Each case listens on its own loopback address (127.0.0.N, a free port) so that the per-host
connection limit of one case can never slow another. `start(workdir)` starts them all in
daemon threads and writes `workdir/inventory.toml` (one [[target]] per case). Every server
records what it received, so the tests can prove from the servers' side that no credentials
were sent and no off-host redirect was followed.

Run by hand: `hostile_servers.py WORKDIR` prints the inventory path and serves until Ctrl-C.
Stdlib only; certificates are made with the `openssl` command line.
"""
import os
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import zlib

# Markup a hostile server puts into certificates and headers; every report must escape it.
HOSTILE_SCRIPT = '<script>alert("pp")</script>'
TEN_MB = 10 * 1024 * 1024


# ---------------------------------------------------------------- certificates (openssl CLI)

def _openssl(*args, cwd=None, stdin=None):
    subprocess.run(["openssl", *args], check=True, cwd=cwd, input=stdin,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _key(path):
    if not os.path.exists(path):
        _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path)
    return path


def self_signed(d, name, subj, san, extra_conf=""):
    """A self-signed leaf; returns (certfile, keyfile)."""
    key = _key(os.path.join(d, "leaf.key"))
    conf = os.path.join(d, name + ".cnf")
    with open(conf, "w") as f:
        f.write("[req]\ndistinguished_name=dn\nprompt=no\nx509_extensions=ext\n[dn]\nCN=x\n"
                f"[ext]\nsubjectAltName={san}\nbasicConstraints=CA:FALSE\n{extra_conf}")
    cert = os.path.join(d, name + ".pem")
    _openssl("req", "-x509", "-new", "-key", key, "-out", cert, "-days", "90", "-subj", subj,
             "-config", conf, "-extensions", "ext")
    return cert, key


def test_ca(d):
    """The CA the healthy servers' certificates chain to (the scan gets it via --ca-file)."""
    ca = os.path.join(d, "ca.pem")
    if not os.path.exists(ca):
        _openssl("req", "-x509", "-new", "-key", _key(os.path.join(d, "ca.key")), "-out", ca, "-days", "90",
                 "-subj", "/CN=policyprobe hostile test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    return ca, os.path.join(d, "ca.key")


def ca_signed(d, name, cn, san):
    """A leaf issued by test_ca(d), served with its CA (so the chain is complete)."""
    ca, ca_key = test_ca(d)
    key = _key(os.path.join(d, "leaf.key"))
    csr = os.path.join(d, name + ".csr")
    ext = os.path.join(d, name + ".ext")
    with open(ext, "w") as f:
        f.write(f"subjectAltName={san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                "keyUsage=critical,digitalSignature\n")
    _openssl("req", "-new", "-key", key, "-out", csr, "-subj", f"/CN={cn}")
    leaf = os.path.join(d, name + ".leaf.pem")
    _openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", leaf,
             "-days", "90", "-extfile", ext)
    chain = os.path.join(d, name + ".pem")
    with open(chain, "w") as f:
        f.write(open(leaf).read() + open(ca).read())
    return chain, key


def chain_of(d, n):
    """A leaf plus n-1 issuing CAs, each CA signed by the next: a chain of n certificates."""
    os.makedirs(d, exist_ok=True)
    key = _key(os.path.join(d, "leaf.key"))
    ca_conf = os.path.join(d, "ca.cnf")
    with open(ca_conf, "w") as f:
        f.write("[ext]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign\n")
    top = os.path.join(d, f"ca{n - 1}.pem")
    _openssl("req", "-x509", "-new", "-key", key, "-out", top, "-days", "90", "-subj", f"/CN=pp chain CA {n - 1}")
    pems = [top]
    for i in range(n - 2, -1, -1):
        csr = os.path.join(d, f"c{i}.csr")
        out = os.path.join(d, f"ca{i}.pem")
        subj = "/CN=chain.hostile.test" if i == 0 else f"/CN=pp chain CA {i}"
        _openssl("req", "-new", "-key", key, "-out", csr, "-subj", subj)
        args = ["x509", "-req", "-in", csr, "-CA", pems[-1], "-CAkey", key, "-out", out, "-days", "90",
                "-set_serial", str(1000 + i)]
        if i != 0:
            args += ["-extfile", ca_conf, "-extensions", "ext"]
        _openssl(*args)
        pems.append(out)
    chain = os.path.join(d, "chain100.pem")
    with open(chain, "w") as f:
        for p in reversed(pems):  # leaf first
            f.write(open(p).read())
    return chain, key


def patched_names_cert(d):
    """A certificate whose subject CN and SAN dNSName carry markup, quotes, control characters,
    NUL and invalid UTF-8. openssl cannot write those, so placeholders of the same length are
    patched in the DER afterwards (the signature breaks, which no client checks for a
    self-signed leaf it does not trust anyway; the server only checks the key matches)."""
    cn_bytes = HOSTILE_SCRIPT.encode() + b"'\"\x00\x1b[31m\xff\xfe\x07"
    san_bytes = b"<img src=x onerror=alert(1)>\"'\x00.\x0d\x0a\x1b\xc3\x28.hostile.test"
    cn_ph = "C" * len(cn_bytes)
    san_ph = "s" * len(san_bytes)
    cert, key = self_signed(d, "names_raw", f"/CN={cn_ph}", f"DNS:{san_ph},DNS:names.hostile.test")
    der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"], check=True,
                         capture_output=True).stdout
    # The CN is in both issuer and subject (self-signed); the SAN once.
    assert der.count(cn_ph.encode()) == 2 and der.count(san_ph.encode()) == 1
    # OpenSSL refuses a UTF8String CN that is not UTF-8 when it parses a name, so the CN
    # becomes a TeletexString (any byte goes, read as Latin-1) with the same bytes; the SAN
    # dNSName (IA5String, never canonicalised) carries the invalid UTF-8 as it is.
    out_der = bytearray(der)
    start = 0
    while (i := der.find(cn_ph.encode(), start)) != -1:
        assert out_der[i - 2] == 0x0c and out_der[i - 1] == len(cn_bytes)
        out_der[i - 2] = 0x14
        start = i + 1
    der = bytes(out_der).replace(cn_ph.encode(), cn_bytes).replace(san_ph.encode(), san_bytes)
    pem = ssl.DER_cert_to_PEM_cert(der)
    out = os.path.join(d, "names.pem")
    with open(out, "w") as f:
        f.write(pem)
    return out, key


def huge_cert(d):
    """A certificate of about 1 MB: a private extension holding 1 MB of text."""
    blob = "A" * (1024 * 1024)
    return self_signed(d, "huge", "/CN=huge.hostile.test", "DNS:huge.hostile.test",
                       extra_conf=f"1.3.6.1.4.1.55555.1=ASN1:UTF8String:{blob}\n")


# ---------------------------------------------------------------- the server framework

class Server:
    """One listener on (ip, free port); each connection handled by `handler(server, conn)` in
    its own thread. Records the bytes of every connection for the safety checks."""

    def __init__(self, name, ip, handler, tls_ctx=None):
        self.name, self.ip, self.handler, self.tls_ctx = name, ip, handler, tls_ctx
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((ip, 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.connections = 0
        self.max_concurrent = 0
        self.open = 0
        self.received = []  # per connection: bytes received (capped)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        self.sock.settimeout(0.5)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.connections += 1
                self.open += 1
                self.max_concurrent = max(self.max_concurrent, self.open)
                rec = bytearray()
                self.received.append(rec)
            threading.Thread(target=self._run, args=(conn, rec), daemon=True).start()

    def _run(self, conn, rec):
        c = Conn(self, conn, rec)
        try:
            if self.tls_ctx is not None:
                c.start_tls(self.tls_ctx)
            self.handler(self, c)
        except (OSError, ssl.SSLError, ValueError):
            pass
        finally:
            c.close()
            with self.lock:
                self.open -= 1

    def shutdown(self):
        self.stop.set()
        try:
            self.sock.close()
        except OSError:
            pass

    def all_received(self):
        with self.lock:
            return b"".join(bytes(r) for r in self.received)


class Conn:
    """A connection with a receive log, a bounded wait on every read, and the stop flag."""

    def __init__(self, server, sock, rec):
        self.server, self.sock, self.rec = server, sock, rec
        self.sock.settimeout(0.5)
        self.buf = b""

    def start_tls(self, ctx):
        self.sock.settimeout(10)
        self.sock = ctx.wrap_socket(self.sock, server_side=True)
        self.sock.settimeout(0.5)

    def recv_some(self, deadline=30.0):
        end = time.monotonic() + deadline
        while not self.server.stop.is_set() and time.monotonic() < end:
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not data:
                raise ConnectionError("peer closed")
            if len(self.rec) < 1 << 20:
                self.rec.extend(data[:1 << 20])
            return data
        raise ConnectionError("stopped or deadline")

    def read_until(self, marker, deadline=30.0):
        while marker not in self.buf:
            self.buf += self.recv_some(deadline)
            if len(self.buf) > 1 << 20:
                raise ConnectionError("request too large")
        head, _, self.buf = self.buf.partition(marker)
        return head + marker

    def send(self, data):
        if self.server.stop.is_set():
            raise ConnectionError("stopped")
        self.sock.settimeout(10)
        self.sock.sendall(data)
        self.sock.settimeout(0.5)

    def flood(self, chunk, limit_bytes=None, limit_seconds=120):
        """Sends `chunk` again and again until the client goes away (or a bound, so a broken
        client cannot keep the test's server busy forever)."""
        sent, end = 0, time.monotonic() + limit_seconds
        while time.monotonic() < end and (limit_bytes is None or sent < limit_bytes):
            self.send(chunk)
            sent += len(chunk)

    def hold(self, seconds=120):
        """Keeps the connection open, reading and discarding, until the client closes."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.recv_some(end - time.monotonic())

    def reset(self):
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


# ---------------------------------------------------------------- handlers

def h_silent(s, c):
    c.hold()


def h_reset(s, c):
    c.recv_some(5)  # the request or ClientHello, then RST instead of an answer
    c.reset()


def http_request(c):
    return c.read_until(b"\r\n\r\n")


def h_http_trickle(s, c):
    http_request(c)
    for b in b"HTTP/1.1 200 OK\r\nX-Trickle: " + b"a" * 600:
        c.send(bytes([b]))
        time.sleep(1.0)


def h_smtp_trickle(s, c):
    for b in b"220 " + b"slow" * 200:
        c.send(bytes([b]))
        time.sleep(1.0)


def h_http_endless_headers(s, c):
    http_request(c)
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
    c.flood(b"".join(b"X-Flood-%d: %s\r\n" % (i, b"v" * 60) for i in range(100)), limit_bytes=512 << 20)


def h_http_huge_header(s, c):
    http_request(c)
    c.send(b"HTTP/1.1 200 OK\r\nX-Huge: ")
    c.flood(b"h" * 65536, limit_bytes=TEN_MB)
    c.send(b"\r\nContent-Length: 0\r\n\r\n")
    c.hold(30)


def h_http_endless_body(s, c):
    http_request(c)
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body>")
    c.flood(b"<p>never ends</p>" * 4096, limit_bytes=1 << 30)


_BOMB = {}


def gzip_bomb():
    """~256 KB of gzip that inflates to 256 MiB of zeros. Made once, when the lab starts: made
    lazily it cost the first request seconds of CPU and the scan saw a slow server instead."""
    if "b" not in _BOMB:
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = b"\0" * (1 << 20)
        parts = [z.compress(zeros) for _ in range(256)]
        parts.append(z.flush())
        _BOMB["b"] = b"".join(parts)
    return _BOMB["b"]


def h_http_gzip_bomb(s, c):
    http_request(c)
    bomb = gzip_bomb()
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
           b"Content-Length: %d\r\n\r\n" % len(bomb) + bomb)
    c.hold(30)


def h_http_redirect_loop(s, c):
    req = http_request(c)
    path = req.split(b" ")[1] if b" " in req else b"/"
    nxt = b"/loop-b" if path.startswith(b"/loop-a") else b"/loop-a"
    c.send(b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" % nxt)


def make_offhost_redirect(witness):
    def h(s, c):
        http_request(c)
        loc = f"http://{witness.ip}:{witness.port}/owa/stolen".encode()
        c.send(b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" % loc)
    return h


def record(ctype, version, body):
    return struct.pack(">BHH", ctype, version, len(body)) + body


def server_hello(version=0x0303, suite=0x002f, extensions=b""):
    body = struct.pack(">H", version) + os.urandom(32) + b"\x00" + struct.pack(">HB", suite, 0)
    if extensions:
        body += struct.pack(">H", len(extensions)) + extensions
    return b"\x02" + struct.pack(">I", len(body))[1:] + body


def read_client_hello(c):
    while len(c.buf) < 5:
        c.buf += c.recv_some(10)


def h_tls_close_mid_handshake(s, c):
    read_client_hello(c)
    c.send(record(22, 0x0303, server_hello())[:23])
    c.close()


def h_tls_record_overlong(s, c):
    read_client_hello(c)
    # A record header claiming 65535 bytes (over the 2^14 + 2048 limit), then junk.
    c.send(b"\x16\x03\x03\xff\xff" + os.urandom(300))
    c.hold(20)


def h_tls_length_mismatch(s, c):
    read_client_hello(c)
    hello = bytearray(server_hello())
    hello[1:4] = b"\x00\x40\x00"  # handshake length 16384, far beyond the record
    c.send(record(22, 0x0303, bytes(hello)) + record(21, 0x0303, b"\x02"))  # and a truncated alert
    c.hold(20)


def h_tls_suite_never_offered(s, c):
    read_client_hello(c)
    c.send(record(22, 0x0303, server_hello(suite=0x1337)) + record(22, 0x0303, b"\x0e\x00\x00\x00"))
    c.hold(20)


def h_tls_version_never_offered(s, c):
    read_client_hello(c)
    # supported_versions naming 0x0305, a version no ClientHello offers.
    ext = struct.pack(">HHH", 43, 2, 0x0305)
    c.send(record(22, 0x0303, server_hello(suite=0x1301, extensions=ext)))
    c.hold(20)


def h_tls_hello_request_flood(s, c):
    read_client_hello(c)
    # 10 000 HelloRequest messages, one record each, instead of a ServerHello; then silence.
    c.send(record(22, 0x0303, b"\x00\x00\x00\x00") * 10000)
    c.hold(20)


def whole_client_hello(c):
    """The first ClientHello record (header + body) once it has arrived whole."""
    read_client_hello(c)
    if c.buf[0] & 0x80:  # an SSLv2 CLIENT-HELLO: no suites we answer
        return None
    want = 5 + struct.unpack(">H", c.buf[3:5])[0]
    while len(c.buf) < want:
        c.buf += c.recv_some(10)
    return c.buf[:want]


def hello_offer(rec):
    """(client version, offered suites) of a ClientHello record."""
    body = rec[9:]
    version = struct.unpack(">H", body[0:2])[0]
    pos = 34
    pos += 1 + body[pos]
    n = struct.unpack(">H", body[pos:pos + 2])[0]
    suites = [struct.unpack(">H", body[pos + 2 + i:pos + 4 + i])[0] for i in range(0, n, 2)]
    return version, suites


def h_tls_tarpit(s, c):
    """A ServerHello for whatever is offered (the first real suite, at the client's version),
    then silence: every suite looks accepted and every connection costs a full wait."""
    rec = whole_client_hello(c)
    if rec is None:
        c.hold(60)
        return
    version, suites = hello_offer(rec)
    real = [x for x in suites if x not in (0x00FF, 0x5600) and x >> 8 != 0x13]
    if not real:
        c.hold(60)
        return
    version = min(version, 0x0303)
    c.send(record(22, version, server_hello(version=version, suite=real[0])))
    c.hold(60)


def h_https_page(s, c):
    """A plain, well-behaved page (served inside TLS by the TLS-wrapped servers)."""
    while True:
        req = http_request(c)
        path = req.split(b" ")[1] if b" " in req else b"/"
        if path.startswith(b"/owa"):
            body = b"<html><body>Outlook Web App</body></html>"
            status = b"200 OK"
        else:
            body, status = b"not found", b"404 Not Found"
        c.send(b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html\r\nX-Content-Type-Options: nosniff\r\n"
               b"Strict-Transport-Security: max-age=31536000\r\nContent-Length: %d\r\n\r\n" % len(body) + body)


def h_https_hostile_strings(s, c):
    """401 with a markup realm and Server header, like a hostile or compromised front end."""
    while True:
        http_request(c)
        body = HOSTILE_SCRIPT.encode()
        c.send(b"HTTP/1.1 401 Unauthorized\r\nServer: " + HOSTILE_SCRIPT.encode() + b"\x01\r\n"
               b"WWW-Authenticate: Basic realm=\"" + HOSTILE_SCRIPT.replace('"', "'").encode() +
               b"\\\"&amp;\x7f\xc3\x28\"\r\nWWW-Authenticate: NTLM\r\nContent-Type: text/html\r\n"
               b"Content-Length: %d\r\n\r\n" % len(body) + body)


def h_smtp_huge_line(s, c):
    c.send(b"220 ")
    c.flood(b"x" * 65536, limit_bytes=TEN_MB)
    c.send(b"\r\n")
    c.hold(30)


def h_smtp_endless_multiline(s, c):
    c.send(b"220 mx.hostile.test ESMTP\r\n")
    c.read_until(b"\n")
    c.flood(b"250-PIPELINING\r\n" * 1024, limit_bytes=1 << 30)


def make_smtp_injection(ctx):
    """A server that, like the CVE-2011-0411 class, answers a command pipelined behind
    STARTTLS in plaintext, then carries on into TLS."""
    def h(s, c):
        c.send(b"220 mx.hostile.test ESMTP\r\n")
        c.read_until(b"\n")
        c.send(b"250-mx.hostile.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
        c.read_until(b"\n")  # STARTTLS
        time.sleep(0.3)      # let a pipelined command arrive behind it
        extra = c.buf
        try:
            extra += c.sock.recv(4096)
        except (socket.timeout, BlockingIOError):
            pass
        c.buf = b""
        c.send(b"220 2.0.0 Ready to start TLS\r\n" + (b"250 2.0.0 Ok injected\r\n" if extra.strip() else b""))
        c.hold(20)
    return h


def h_imap_huge_line(s, c):
    c.send(b"* OK ")
    c.flood(b"i" * 65536, limit_bytes=TEN_MB)
    c.send(b"\r\n")
    c.hold(30)


def h_imap_endless(s, c):
    c.send(b"* OK IMAP4rev1 ready\r\n")
    c.read_until(b"\n")
    c.flood(b"* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\n" * 512, limit_bytes=1 << 30)


def h_pop3_huge_line(s, c):
    c.send(b"+OK ")
    c.flood(b"p" * 65536, limit_bytes=TEN_MB)
    c.send(b"\r\n")
    c.hold(30)


def h_pop3_endless_capa(s, c):
    c.send(b"+OK POP3 ready\r\n")
    c.read_until(b"\n")
    c.send(b"+OK Capability list follows\r\n")
    c.flood(b"X-ENDLESS-CAPABILITY\r\n" * 1024, limit_bytes=1 << 30)


def h_ldap_huge_length(s, c):
    """Answers the first LDAP request with a message header claiming 2 GiB, then a trickle."""
    c.recv_some(10)
    c.send(b"\x30\x84\x7f\xff\xff\xff\x02\x01\x01")
    c.flood(b"\x04" * 4096, limit_bytes=TEN_MB)
    c.hold(20)


def make_healthy_smtp(ctx):
    def h(s, c):
        c.send(b"220 mx.healthy.test ESMTP ready\r\n")
        while True:
            line = c.read_until(b"\n").strip().upper()
            if line.startswith(b"EHLO"):
                c.send(b"250-mx.healthy.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n")
            elif line == b"STARTTLS":
                c.send(b"220 2.0.0 Ready to start TLS\r\n")
                c.start_tls(ctx)
                c.buf = b""
            elif line == b"QUIT":
                c.send(b"221 bye\r\n")
                return
            elif line.startswith(b"HELO") or line == b"NOOP" or line == b"RSET":
                c.send(b"250 ok\r\n")
            else:
                c.send(b"502 5.5.2 not implemented\r\n")
    return h


def h_witness(s, c):
    c.hold(5)


# ---------------------------------------------------------------- the set of cases

# name -> (service scheme, handler factory key, what the test expects)
#   expect "error": nothing can be observed; every result for the target is error (or skipped)
#   expect "some-error": some probe family fails, with a reason, others may still observe
#   expect "fact:NAME=VALUE": the correct fact is recorded
CASES = [
    ("http_silent", "http", h_silent, "error"),
    ("http_trickle", "http", h_http_trickle, "error"),
    ("http_reset", "http", h_reset, "error"),
    ("http_endless_headers", "http", h_http_endless_headers, "error"),
    ("http_huge_header", "http", h_http_huge_header, "error"),
    ("http_endless_body", "http", h_http_endless_body, "fact:http.plain.status=200"),
    ("http_gzip_bomb", "http", h_http_gzip_bomb, "fact:http.plain.status=200"),
    ("http_redirect_loop", "http", h_http_redirect_loop, "observed"),
    ("http_redirect_offhost", "http", "offhost", "observed"),
    ("tls_silent", "https", h_silent, "error"),
    ("tls_reset", "https", h_reset, "error"),
    ("tls_close_mid_handshake", "https", h_tls_close_mid_handshake, "error"),
    ("tls_record_overlong", "https", h_tls_record_overlong, "error"),
    ("tls_length_mismatch", "https", h_tls_length_mismatch, "error"),
    ("tls_suite_never_offered", "https", h_tls_suite_never_offered, "error"),
    ("tls_version_never_offered", "https", h_tls_version_never_offered, "error"),
    ("tls_hello_request_flood", "https", h_tls_hello_request_flood, "error"),
    ("tls_chain_100", "https", "chain100", "observed"),
    ("tls_cert_1mb", "https", "huge", "some-error"),
    ("tls_hostile_names", "https", "names", "observed"),
    ("smtp_silent", "smtp", h_silent, "error"),
    ("smtp_trickle", "smtp", h_smtp_trickle, "error"),
    ("smtp_huge_line", "smtp", h_smtp_huge_line, "error"),
    ("smtp_endless_multiline", "smtp", h_smtp_endless_multiline, "error"),
    ("smtp_starttls_injection", "smtp", "injection", "fact:mail.starttls.injection=true"),
    ("imap_huge_line", "imap", h_imap_huge_line, "error"),
    ("imap_endless", "imap", h_imap_endless, "error"),
    ("pop3_huge_line", "pop3", h_pop3_huge_line, "error"),
    ("pop3_endless_capa", "pop3", h_pop3_endless_capa, "error"),
    ("ldap_huge_length", "ldap", h_ldap_huge_length, "error"),
    ("healthy_https", "https", "healthy", "healthy"),
    ("healthy_smtp", "smtp", "healthy_smtp", "healthy"),
]

# Started only when named (hostile_test.py scans each alone, with its own bounds).
#   expect "budget": the endpoint budget must end the scan of it
SEPARATE_CASES = [
    ("tls_tarpit", "https", h_tls_tarpit, "budget"),
]


class Lab:
    def __init__(self, workdir, only=None):
        self.dir = workdir
        os.makedirs(workdir, exist_ok=True)
        certs = os.path.join(workdir, "certs")
        os.makedirs(certs, exist_ok=True)
        self.servers = {}
        self.expect = {}
        self.scheme = {}
        healthy_cert = ca_signed(certs, "healthy", "healthy.hostile.test", "DNS:healthy.hostile.test")
        self.ca_file = test_ca(certs)[0]
        self.witness = Server("witness", "127.0.0.200", h_witness)

        def tls_ctx(cert_key):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*cert_key)
            return ctx

        ip = 10
        for name, scheme, handler, expect in CASES + [x for x in SEPARATE_CASES if only and x[0] in only]:
            if only and name not in only:
                continue
            ip += 1
            addr = f"127.0.0.{ip}"
            ctx = None
            if handler == "offhost":
                handler = make_offhost_redirect(self.witness)
            elif handler == "chain100":
                ctx, handler = tls_ctx(chain_of(os.path.join(certs, "chain"), 100)), h_https_page
            elif handler == "huge":
                ctx, handler = tls_ctx(huge_cert(certs)), h_https_page
            elif handler == "names":
                ctx, handler = tls_ctx(patched_names_cert(certs)), h_https_hostile_strings
            elif handler == "healthy":
                ctx, handler = tls_ctx(healthy_cert), h_https_page
            elif handler == "injection":
                handler = make_smtp_injection(tls_ctx(healthy_cert))
            elif handler == "healthy_smtp":
                handler = make_healthy_smtp(tls_ctx(healthy_cert))
            if handler is h_http_gzip_bomb:
                gzip_bomb()
            self.servers[name] = Server(name, addr, handler, ctx)
            self.expect[name] = expect
            self.scheme[name] = scheme
        self.inventory = os.path.join(workdir, "inventory.toml")
        self.write_inventory(self.inventory)

    def write_inventory(self, path, names=None):
        lines = ["# written by tests/hostile/hostile_servers.py: one target per hostile case", "schema = 1", ""]
        for name, srv in self.servers.items():
            if names and name not in names:
                continue
            lines += ["[[target]]", f'name = "{name}"', f'host = "{srv.ip}"',
                      f'services = ["{self.scheme[name]}:{srv.port}"]']
            if self.scheme[name] in ("http", "https"):
                lines.append('vdirs = ["/owa"]')
            if name.startswith("tls_") or name.startswith("healthy"):
                lines.append(f'expected_names = ["{name.split("_")[0]}.hostile.test"]')
            lines.append("")
        with open(path, "w") as f:
            f.write("\n".join(lines))
        return path

    def shutdown(self):
        for s in list(self.servers.values()) + [self.witness]:
            s.shutdown()


def start(workdir, only=None):
    return Lab(workdir, only)


if __name__ == "__main__":
    lab = start(sys.argv[1] if len(sys.argv) > 1 else "/tmp/pp-hostile")
    print(lab.inventory, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        lab.shutdown()
