#!/usr/bin/env python3
"""TCP proxy that removes TLS_FALLBACK_SCSV from each client's first ClientHello.

It STANDS IN for a server whose TLS stack predates RFC 7507 (OpenSSL before 1.0.1j, SCHANNEL
before Windows Server 2016): every packaged OpenSSL and GnuTLS honours the SCSV and none can be
told not to. Put in front of a real server (the lab's legacy nginx, TLS 1.0-1.3), the pair
accepts a downgraded hello that carries the SCSV exactly as such a server would, and everything
else (the handshake, the certificate, HTTP) is the real server's.

Only a ClientHello that fits in its first record is rewritten (the suite list shrinks by two
bytes and the three length fields with it); anything else is relayed unchanged.

Faithful up to the server's first flight, which is what a scanner judges the SCSV by: the
downgraded hello gets a ServerHello instead of inappropriate_fallback. A client that goes on to
finish that handshake fails: an OpenSSL client stops at the ServerHello itself (the random of a
TLS 1.3-capable server carries the downgrade sentinel), any other at Finished (the server hashed
the hello without the SCSV). Tools that complete it (testssl -Z) report an unexpected result. Hellos
without the SCSV (every normal client) are relayed untouched and complete as usual.

python3 standard library only.

    scsv_strip_proxy.py --port P --to PORT [--host 127.0.0.1] [--pidfile F]
"""
import argparse
import os
import signal
import socket
import socketserver
import struct
import sys
import threading

SCSV = b"\x56\x00"
IDLE = 30.0


def strip_scsv(rec):
    """The first record with 0x5600 removed from the ClientHello's suites, or unchanged."""
    if len(rec) < 9 or rec[0] != 22 or rec[5] != 1:
        return rec
    body = rec[9:]
    pos = 34  # version + random
    if len(body) < pos + 1:
        return rec
    pos += 1 + body[pos]  # session id
    if len(body) < pos + 2:
        return rec
    n = struct.unpack(">H", body[pos:pos + 2])[0]
    suites = body[pos + 2:pos + 2 + n]
    kept = b"".join(suites[i:i + 2] for i in range(0, len(suites) - 1, 2) if suites[i:i + 2] != SCSV)
    if len(kept) == len(suites):
        return rec
    new_body = body[:pos] + struct.pack(">H", len(kept)) + kept + body[pos + 2 + n:]
    hs = b"\x01" + len(new_body).to_bytes(3, "big") + new_body
    return rec[:3] + struct.pack(">H", len(hs)) + hs


def recv_record(sock):
    """The first TLS record (header + body), or whatever arrived if it is not one."""
    data = b""
    while len(data) < 5:
        chunk = sock.recv(5 - len(data))
        if not chunk:
            return data
        data += chunk
    if data[0] != 22:
        return data
    want = 5 + struct.unpack(">H", data[3:5])[0]
    while len(data) < want:
        chunk = sock.recv(want - len(data))
        if not chunk:
            break
        data += chunk
    return data


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (dst, src):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        client = self.request
        client.settimeout(IDLE)
        try:
            upstream = socket.create_connection(("127.0.0.1", self.server.upstream), timeout=IDLE)
        except OSError:
            return
        try:
            first = recv_record(client)
            if not first:
                return
            upstream.sendall(strip_scsv(first))
            t = threading.Thread(target=pipe, args=(upstream, client), daemon=True)
            t.start()
            pipe(client, upstream)
            t.join(IDLE)
        except OSError:
            pass
        finally:
            upstream.close()


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--to", type=int, required=True, help="port of the real server on 127.0.0.1")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--pidfile")
    args = ap.parse_args()
    srv = Server((args.host, args.port), Handler)
    srv.upstream = args.to
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
