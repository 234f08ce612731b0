#!/usr/bin/env python3
"""An NTLM CHALLENGE_MESSAGE (type 2) built as MS-NLMP section 2.2.1.2 specifies, for the lab's
stand-ins (legacy_iis.py over HTTP, mail_standin.py over SMTP/IMAP/POP3).

Why a stand-in: no Debian package answers NTLM with a Windows server's target information
(Samba's NTLM is for SMB; its winbind HTTP helpers need a joined domain). This is what an
Exchange server behind IIS sends to an anonymous NEGOTIATE: the NetBIOS and DNS names of the
computer, its domain and forest, a timestamp and the Windows version. The names are fixed and
internal-looking on purpose (the lab's ground truth), never the lab's public names.

Usage as a module: challenge(negotiate_bytes) -> bytes, or None when the bytes are not a
NEGOTIATE_MESSAGE. Run as a script: prints the base64 of the lab's challenge.
"""
import base64
import struct
import sys
import time

NAMES = {
    "target_name": "LABCORP",
    "netbios_computer": "EXCH2016-01",
    "netbios_domain": "LABCORP",
    "dns_computer": "exch2016-01.corp.labcorp.local",
    "dns_domain": "corp.labcorp.local",
    "dns_tree": "labcorp.local",
}
VERSION = (10, 0, 14393)  # Windows Server 2016

UNICODE, OEM, REQUEST_TARGET, NTLM = 0x1, 0x2, 0x4, 0x200
ALWAYS_SIGN, TARGET_TYPE_DOMAIN, ESS = 0x8000, 0x10000, 0x80000
TARGET_INFO, VERSION_FLAG, N128, N56 = 0x800000, 0x2000000, 0x20000000, 0x80000000


def _av(av_id, value):
    return struct.pack("<HH", av_id, len(value)) + value


def _filetime(now=None):
    return int(((now if now is not None else time.time()) + 11644473600) * 10_000_000)


def is_negotiate(data):
    return len(data) >= 16 and data[:8] == b"NTLMSSP\0" and struct.unpack("<I", data[8:12])[0] == 1


def challenge(negotiate=None, names=NAMES, version=VERSION, now=None):
    """The type 2 answer to a type 1 (None when `negotiate` is given and is not one)."""
    if negotiate is not None and not is_negotiate(negotiate):
        return None
    u = lambda s: s.encode("utf-16-le")  # noqa: E731
    info = (_av(2, u(names["netbios_domain"])) + _av(1, u(names["netbios_computer"])) +
            _av(4, u(names["dns_domain"])) + _av(3, u(names["dns_computer"])) +
            _av(5, u(names["dns_tree"])) + _av(7, struct.pack("<Q", _filetime(now))) + _av(0, b""))
    target = u(names["target_name"])
    flags = (UNICODE | REQUEST_TARGET | NTLM | ALWAYS_SIGN | TARGET_TYPE_DOMAIN | ESS | TARGET_INFO |
             VERSION_FLAG | N128 | N56)
    header_len = 56
    head = (b"NTLMSSP\0" + struct.pack("<I", 2) +
            struct.pack("<HHI", len(target), len(target), header_len) + struct.pack("<I", flags) +
            bytes.fromhex("0123456789abcdef") + b"\0" * 8 +
            struct.pack("<HHI", len(info), len(info), header_len + len(target)) +
            struct.pack("<BBH", version[0], version[1], version[2]) + b"\0\0\0\x0f")
    return head + target + info


def challenge_b64(negotiate_b64):
    """The base64 type 2 for a base64 type 1, or None when it is not one."""
    try:
        raw = base64.b64decode(negotiate_b64, validate=True)
    except ValueError:
        return None
    msg = challenge(raw)
    return base64.b64encode(msg).decode() if msg else None


if __name__ == "__main__":
    sys.stdout.write(base64.b64encode(challenge(now=0)).decode() + "\n")
