"""Turn each tool's own output into the same shape, so findings can be compared:
    {"protocols": set of "SSLv2".."TLSv1.3", "suites": {protocol: set of IANA names}}
IANA names come from testssl's cipher-mapping.txt (hex code, OpenSSL name, IANA name), the
same table policyprobe's suite catalogue is generated from; tools that report a code are
mapped by code, never by name guessing."""

import json
import re
import xml.etree.ElementTree as ET

MAPPING = "/etc/testssl/cipher-mapping.txt"
PROTOCOLS = ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]

_ALIASES = {
    "SSLV2": "SSLv2", "SSLV3": "SSLv3", "TLSV1": "TLSv1.0", "TLSV1.0": "TLSv1.0",
    "TLSV1.1": "TLSv1.1", "TLSV1.2": "TLSv1.2", "TLSV1.3": "TLSv1.3",
    # testssl ids
    "SSL2": "SSLv2", "SSL3": "SSLv3", "TLS1": "TLSv1.0", "TLS1_1": "TLSv1.1",
    "TLS1_2": "TLSv1.2", "TLS1_3": "TLSv1.3",
}


def proto(name):
    p = _ALIASES.get(name.strip().upper())
    if p is None:
        raise ValueError(f"unknown protocol name {name!r}")
    return p


def load_mapping(path=MAPPING):
    """code (int) -> (openssl name, IANA name)."""
    out = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 4 or parts[1] != "-":
                continue
            code = int("".join(b[2:] for b in parts[0].split(",")), 16)
            out[code] = (parts[2], parts[3])
    return out


def empty():
    return {"protocols": set(), "suites": {}}


def _add(res, p, suite):
    res["protocols"].add(p)
    res["suites"].setdefault(p, set()).add(suite)


def pairs(res):
    """Number of (protocol, suite) pairs."""
    return sum(len(s) for s in res["suites"].values())


def policyprobe_json(path):
    """{endpoint subject: result} from `policyprobe scan --json`: tls.protocols and
    tls.ciphers.<ver>; a fact not Known is kept as an error, never read as 'none'."""
    with open(path) as f:
        doc = json.load(f)
    keys = {"tls.ciphers.ssl3": "SSLv3", "tls.ciphers.tls10": "TLSv1.0",
            "tls.ciphers.tls11": "TLSv1.1", "tls.ciphers.tls12": "TLSv1.2",
            "tls.ciphers.tls13": "TLSv1.3"}
    out = {}
    for fact in doc.get("facts", []):
        name = fact.get("name")
        if name not in keys and name not in ("tls.protocols", "tls.connections",
                                             "tls.ciphers.ssl2"):
            continue
        subj = fact.get("subject")
        r = out.setdefault(subj, empty() | {"errors": [], "connections": None})
        state = str(fact.get("state", "")).lower()
        if state == "unknown":
            r["errors"].append(f"{name}: {fact.get('reason')}")
            continue
        if state != "known":
            continue  # absent: the probe ran and saw none
        v = fact.get("value")
        if name == "tls.protocols":
            r["protocols"] |= {proto(x) for x in v}
        elif name == "tls.connections":
            r["connections"] = int(v)
        elif name == "tls.ciphers.ssl2":
            for s in v:
                _add(r, "SSLv2", s)
        else:
            for s in v:
                _add(r, keys[name], s)
    return out


def sslscan_xml(path, mapping):
    """sslscan --xml: <protocol ... enabled="1"/> and <cipher status="accepted|preferred"
    sslversion=.. id="0xC02F">, mapped by id."""
    res = empty()
    root = ET.parse(path).getroot()
    for p in root.iter("protocol"):
        if p.get("enabled") == "1":
            kind, ver = p.get("type"), p.get("version")
            res["protocols"].add(proto(("SSLv" if kind == "ssl" else "TLSv") + ver))
    for c in root.iter("cipher"):
        if c.get("status") not in ("accepted", "preferred"):
            continue
        code = int(c.get("id"), 16)
        name = mapping.get(code, (None, c.get("cipher")))[1]
        _add(res, proto(c.get("sslversion")), name)
    return res


def _nmap_name(n):
    # nmap spells the TLS 1.3 suites TLS_AKE_WITH_AES_128_GCM_SHA256.
    return re.sub(r"^TLS_AKE_WITH_", "TLS_", n)


def nmap_xml(path):
    """nmap -oX with ssl-enum-ciphers: {(addr, port): result} for every port with output."""
    out = {}
    root = ET.parse(path).getroot()
    for host in root.iter("host"):
        addr = host.find("address").get("addr")
        for port in host.iter("port"):
            script = port.find("script[@id='ssl-enum-ciphers']")
            if script is None:
                continue
            res = empty()
            for t in script.findall("table"):
                p = proto(t.get("key"))
                res["protocols"].add(p)
                for c in t.findall("table[@key='ciphers']/table"):
                    e = c.find("elem[@key='name']")
                    if e is not None:
                        _add(res, p, _nmap_name(e.text))
            out[(addr, int(port.get("portid")))] = res
    return out


def testssl_json(path, mapping):
    """testssl --jsonfile (flat list): protocol ids SSLv2..TLS1_3 'offered', and
    cipher-<proto>_x<hex> entries, mapped by code."""
    res = empty()
    with open(path) as f:
        doc = json.load(f)
    for e in doc:
        i, finding = e.get("id", ""), e.get("finding", "")
        if i in ("SSLv2", "SSLv3", "TLS1", "TLS1_1", "TLS1_2", "TLS1_3"):
            if finding.startswith("offered"):
                res["protocols"].add(proto(i))
            continue
        m = re.match(r"^cipher-(ssl2|ssl3|tls1|tls1_1|tls1_2|tls1_3)_x([0-9a-fA-F]+)$", i)
        if m:
            code = int(m.group(2), 16)
            name = mapping.get(code, (None, finding.split()[-1]))[1]
            _add(res, proto(m.group(1)), name)
    return res


def diff(ours, theirs):
    """Human summary of where two results differ; empty string when equal."""
    out = []
    if ours["protocols"] != theirs["protocols"]:
        out.append(f"protocols ours-only {sorted(ours['protocols'] - theirs['protocols'])} "
                   f"theirs-only {sorted(theirs['protocols'] - ours['protocols'])}")
    for p in PROTOCOLS:
        a, b = ours["suites"].get(p, set()), theirs["suites"].get(p, set())
        if a != b:
            out.append(f"{p}: ours-only {sorted(a - b)} theirs-only {sorted(b - a)}")
    return "; ".join(out)
