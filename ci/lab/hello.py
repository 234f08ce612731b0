#!/usr/bin/env python3
"""Raw hello for ci/lab/selftest, for protocols no local client speaks any more.

Usage: hello.py PORT ssl3 SUITE   -> prints the suite the ServerHello chose (hex), or an error
       hello.py PORT ssl2         -> prints "server-hello" if an SSLv2 SERVER-HELLO came back
Every read has a 5 s timeout."""
import os
import socket
import struct
import sys

port, ver = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port), timeout=5)
if ver == "ssl3":
    suite = int(sys.argv[3], 16)
    body = b"\x03\x00" + os.urandom(32) + b"\x00" + struct.pack(">HH", 2, suite) + b"\x01\x00"
    hs = b"\x01" + struct.pack(">I", len(body))[1:] + body
    s.sendall(b"\x16\x03\x00" + struct.pack(">H", len(hs)) + hs)
    rec = s.recv(5)
    if len(rec) < 5 or rec[0] != 0x16:
        sys.exit("no handshake record: %r" % rec)
    data = b""
    while len(data) < 40:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    if data[0] != 2:
        sys.exit("not a ServerHello")
    sid_len = data[4 + 2 + 32]
    off = 4 + 2 + 32 + 1 + sid_len
    print("version=%02x%02x suite=0x%04x" % (data[4], data[5], struct.unpack(">H", data[off:off + 2])[0]))
else:
    kinds = bytes.fromhex("010080" "0700c0" "020080")
    challenge = os.urandom(16)
    body = b"\x01\x00\x02" + struct.pack(">HHH", len(kinds), 0, len(challenge)) + kinds + challenge
    s.sendall(struct.pack(">H", 0x8000 | len(body)) + body)
    hdr = s.recv(3)
    print("server-hello" if len(hdr) == 3 and hdr[0] & 0x80 and hdr[2] == 4 else "no server-hello: %r" % hdr)
