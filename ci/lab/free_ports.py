#!/usr/bin/env python3
"""Print N free TCP ports on 127.0.0.1, consecutive from a random base in [20000, 32000).

Below Linux's ephemeral range (32768+) so outgoing connections do not take them, above 20000
as the lab spec asks, and never 4433 (testssl.sh probes it at start-up)."""
import random
import socket
import sys

n = int(sys.argv[1])
for _ in range(200):
    base = random.randrange(20000, 32000 - n)
    ports = []
    for p in range(base, 32000):
        if p == 4433:
            continue
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            break
        finally:
            s.close()
        ports.append(p)
        if len(ports) == n:
            print(" ".join(map(str, ports)))
            sys.exit(0)
sys.exit("free_ports: no free block of %d ports" % n)
