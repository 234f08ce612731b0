#!/usr/bin/env python3
"""The lab's "legacy" IIS 6 / Exchange 2003 web server (plain HTTP).

Why Python and not nginx: nginx refuses TRACE with 405 in its core, before any location or
proxy runs, and cannot replace its own Server header without extra modules. This small server
behaves the way a badly configured IIS 6 front end does: banners (Server, X-Powered-By,
X-AspNet-Version, X-OWA-Version), TRACE and TRACK echoed on every path (challenged ones too),
OPTIONS listing the content-changing methods (PUT, DELETE, COPY, MOVE, PROPPATCH, SEARCH, LOCK)
in Allow and Public the way an IIS 6 with WebDAV enabled does, WebDAV PROPFIND answered 207, OWA
content served over plain HTTP, Basic offered over plain HTTP, a directory listing on /Public,
and a session cookie without Secure or HttpOnly. The legacy nginx TLS endpoint proxies to it.
On the paths that offer NTLM (/EWS, /autodiscover, /oab) it answers an NTLM NEGOTIATE (type 1)
with a CHALLENGE (type 2) built per MS-NLMP with internal names, as IIS does (ntlm_challenge.py).

--identity picks which Exchange it shows anonymous clients (what build-detection reads):
  exchange2003       Exchange 2003 SP2: X-OWA-Version 6.5.7638.1 (the default; the lab's legacy)
  exchange2016-cu19  Exchange 2016 CU19 with the March 2021 security update (15.1.2176.9), so
                     without the ProxyShell fixes: X-OWA-Version, the build in the OWA logon
                     page's resource paths, and internal names in X-FEServer, X-BEServer,
                     X-CalculatedBETarget and X-DiagInfo
  exchange-se        Exchange Server Subscription Edition RTM: no version header and no internal
                     names (a proxy strips them), the build (three numbers) in the logon page only
The two later ones answer /owa and /ecp with a redirect to a forms logon page, as Exchange 2013
and later do; everything else behaves as above.

Usage: legacy_iis.py --port P --root DIR --pidfile FILE [--identity NAME]   (127.0.0.1 only)
"""
import argparse
import html
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import ntlm_challenge

BANNERS = [
    ("X-Powered-By", "ASP.NET"),
    ("X-AspNet-Version", "2.0.50727"),
    ("X-OWA-Version", "6.5.7638.1"),
]

OWA_PAGE = (
    "<html><head><title>Microsoft Outlook Web Access</title></head>"
    "<body><h1>Outlook Web Access</h1><p>Inbox (3 unread)</p>"
    "<ul><li>Quarterly report</li><li>Re: lunch</li><li>Password reset</li></ul>"
    "</body></html>\n"
)

IDENTITIES = {
    "exchange2003": {"server": "Microsoft-IIS/6.0", "banners": BANNERS, "logon_build": None},
    "exchange2016-cu19": {
        "server": "Microsoft-IIS/10.0",
        "banners": [
            ("X-Powered-By", "ASP.NET"),
            ("X-AspNet-Version", "4.0.30319"),
            ("X-OWA-Version", "15.1.2176.9"),
            ("X-FEServer", "EXLAB16FE"),
            ("X-BEServer", "EXLAB16MB"),
            ("X-CalculatedBETarget", "exlab16mb.corp.lab.test"),
            ("X-DiagInfo", "EXLAB16FE"),
        ],
        "logon_build": "15.1.2176",
    },
    "exchange-se": {"server": "Microsoft-IIS/10.0", "banners": [("X-Powered-By", "ASP.NET")],
                    "logon_build": "15.2.2562"},
}

LOGON_PAGE = (
    '<!DOCTYPE html><html><head><title>Outlook</title>'
    '<link rel="shortcut icon" href="/owa/auth/{b}/themes/resources/favicon.ico" type="image/x-icon">'
    '<link rel="stylesheet" href="/owa/auth/{b}/themes/resources/logon.css">'
    '<script src="/owa/auth/{b}/scripts/premium/flogon.js"></script></head><body>'
    '<form action="/owa/auth.owa" method="POST" name="logonForm">'
    '<input id="username" name="username" type="text"><input id="password" name="password" type="password">'
    '<input type="submit" value="sign in"></form></body></html>\n'
)

# (path prefix, lower-cased) -> list of WWW-Authenticate challenges. Everything is compared
# case-insensitively, like IIS.
CHALLENGES = [
    ("/exchange", ['Basic realm="legacy.lab.test"']),
    ("/microsoft-server-activesync", ['Basic realm="legacy.lab.test"']),
    ("/ews", ["NTLM", 'Basic realm="legacy.lab.test"']),
    ("/autodiscover", ["NTLM", 'Basic realm="legacy.lab.test"']),
    ("/rpc", ['Basic realm="legacy.lab.test"']),
    ("/oab", ["NTLM", 'Basic realm="legacy.lab.test"']),
]
CONTENT = ["/owa", "/exchweb", "/oma"]


def under(path, prefix):
    return path == prefix or path.startswith(prefix + "/")


class Handler(BaseHTTPRequestHandler):
    server_version = "Microsoft-IIS/6.0"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return self.server.identity["server"]

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    def send(self, code, body, ctype="text/html", extra=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        for k, v in self.server.identity["banners"]:
            self.send_header(k, v)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def path_only(self):
        return self.path.split("?", 1)[0]

    def do_GET(self):
        path = self.path_only()
        low = path.lower().rstrip("/") or "/"
        build = self.server.identity["logon_build"]
        if build and low == "/owa/auth/logon.aspx":
            return self.send(200, LOGON_PAGE.format(b=build))
        if build and (under(low, "/owa") or under(low, "/ecp")):
            return self.send(302, "", extra=[("Location", "/owa/auth/logon.aspx?url=%s&reason=0" % path)])
        for prefix, chals in CHALLENGES:
            if under(low, prefix):
                if "NTLM" in chals and self.ntlm_negotiate():
                    return
                return self.send(401, "<html><body>401 Unauthorized</body></html>\n",
                                 extra=[("WWW-Authenticate", c) for c in chals])
        if low == "/" or any(under(low, p) for p in CONTENT):
            # Session cookie deliberately without Secure, HttpOnly or SameSite.
            return self.send(200, OWA_PAGE, extra=[("Set-Cookie", "sessionid=lab0001; path=/")])
        if under(low, "/public"):
            return self.listing(path)
        return self.send(404, "<html><body>404 Not Found</body></html>\n")

    def ntlm_negotiate(self):
        """Answers `Authorization: NTLM <type 1>` with the type 2 IIS sends: the stand-in's
        CHALLENGE with internal names (ntlm_challenge.py; no package answers NTLM like Windows).
        True when it answered."""
        auth = self.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "ntlm":
            return False
        type2 = ntlm_challenge.challenge_b64(token.strip())
        if type2 is None:
            return False
        self.send(401, "<html><body>401 Unauthorized</body></html>\n", extra=[("WWW-Authenticate", "NTLM " + type2)])
        return True

    do_HEAD = do_GET
    do_POST = do_GET

    def listing(self, path):
        rel = path[len("/public"):].strip("/")
        base = os.path.join(self.server.root, "Public")
        full = os.path.realpath(os.path.join(base, rel))
        if not full.startswith(os.path.realpath(base)):
            return self.send(404, "not found\n")
        if os.path.isfile(full):
            with open(full, "rb") as f:
                return self.send(200, f.read(), ctype="text/plain")
        if not os.path.isdir(full):
            return self.send(404, "<html><body>404 Not Found</body></html>\n")
        title = "legacy.lab.test - %s" % html.escape(path)
        items = "".join('<a href="%s">%s</a><br>' % (html.escape(os.path.join(path.rstrip("/"), n)),
                                                       html.escape(n))
                        for n in sorted(os.listdir(full)))
        body = ("<html><head><title>%s</title></head><body><H1>%s</H1><hr><pre>"
                '<A HREF="/">[To Parent Directory]</A><br>%s</pre><hr></body></html>\n'
                % (title, title, items))
        return self.send(200, body)

    def echo(self):
        # TRACE/TRACK: echo the request line and headers back (RFC 9110 message/http).
        lines = [self.requestline] + ["%s: %s" % (k, v) for k, v in self.headers.items()]
        self.send(200, "\r\n".join(lines) + "\r\n\r\n", ctype="message/http")

    do_TRACE = echo
    do_TRACK = echo

    def do_OPTIONS(self):
        allow = "OPTIONS, TRACE, GET, HEAD, POST, PUT, DELETE, COPY, MOVE, PROPFIND, PROPPATCH, SEARCH, MKCOL, LOCK, UNLOCK"
        self.send(200, "", extra=[("Allow", allow), ("Public", allow), ("DAV", "1, 2"),
                                  ("MS-Author-Via", "DAV")])

    def do_PROPFIND(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(min(n, 65536))
        body = ('<?xml version="1.0"?><a:multistatus xmlns:a="DAV:"><a:response>'
                "<a:href>http://legacy.lab.test%s</a:href><a:propstat><a:status>HTTP/1.1 200 OK"
                "</a:status><a:prop><a:displayname>x</a:displayname></a:prop></a:propstat>"
                "</a:response></a:multistatus>\n" % html.escape(self.path_only()))
        self.send(207, body, ctype="text/xml")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--pidfile", required=True)
    ap.add_argument("--identity", choices=sorted(IDENTITIES), default="exchange2003")
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.root = a.root
    srv.identity = IDENTITIES[a.identity]
    with open(a.pidfile, "w") as f:
        f.write("%d\n" % os.getpid())
    srv.serve_forever()


if __name__ == "__main__":
    main()
