#!/usr/bin/env python3
"""Plaintext dialogue for ci/lab/selftest: connect to 127.0.0.1:PORT, read the greeting, send
each LINE (CRLF added), print everything the server said. Every read has a timeout.

Usage: talk.py [ADDR:]PORT [LINE...]   (ADDR defaults to 127.0.0.1)"""
import socket
import sys
import time


def drain(s, wait):
    out = b""
    end = time.time() + wait
    while time.time() < end:
        s.settimeout(max(0.05, end - time.time()))
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        out += chunk
        end = min(end, time.time() + 0.3)  # the rest of an answer follows quickly
    return out


addr, _, port = sys.argv[1].rpartition(":")
s = socket.create_connection((addr or "127.0.0.1", int(port)), timeout=5)
data = drain(s, 3)
for line in sys.argv[2:]:
    s.sendall(line.encode() + b"\r\n")
    data += drain(s, 3)
s.close()
sys.stdout.write(data.decode("latin-1"))
