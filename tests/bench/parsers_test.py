#!/usr/bin/env python3
"""ci/bench/parsers.py on outputs recorded from the real tools (Debian 12: sslscan 2.0.7,
nmap 7.93, testssl 3.0.8, policyprobe) against the benchmark's own nginx endpoints:
modern (TLS 1.2 + 1.3, ECDHE+AESGCM:ECDHE+CHACHA20) and legacy (TLS 1.0-1.3,
ALL:@SECLEVEL=0 with ffdhe2048). On these the four tools agreed: 6 and 91 pairs."""

import os
import sys
import unittest

src = os.environ.get("PP_SOURCE_DIR",
                     os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(src, "ci", "bench"))
import parsers as P  # noqa: E402

FIX = os.path.join(src, "tests", "bench", "fixtures")


def fx(name):
    return os.path.join(FIX, name)


class Parsers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mapping = P.load_mapping() if os.path.exists(P.MAPPING) else None

    def need_mapping(self):
        if self.mapping is None:
            self.skipTest(f"{P.MAPPING} missing (package testssl.sh)")

    def test_mapping_has_codes_and_iana_names(self):
        self.need_mapping()
        self.assertEqual(self.mapping[0xC02F][1], "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        self.assertEqual(self.mapping[0x1301][1], "TLS_AES_128_GCM_SHA256")

    def test_protocol_names(self):
        self.assertEqual(P.proto("TLSv1"), "TLSv1.0")
        self.assertEqual(P.proto("tls1_1"), "TLSv1.1")
        with self.assertRaises(ValueError):
            P.proto("TLSv9")

    def test_nmap_names_tls13_suites_like_iana(self):
        r = P.nmap_xml(fx("nm_mod.xml"))
        self.assertEqual(len(r), 1)
        (res,) = r.values()
        self.assertEqual(res["protocols"], {"TLSv1.2", "TLSv1.3"})
        self.assertIn("TLS_AES_256_GCM_SHA384", res["suites"]["TLSv1.3"])
        self.assertEqual(P.pairs(res), 6)

    def test_modern_all_agree(self):
        self.need_mapping()
        (pp,) = P.policyprobe_json(fx("pp_mod.json")).values()
        (nm,) = P.nmap_xml(fx("nm_mod.xml")).values()
        ss = P.sslscan_xml(fx("ss_mod.xml"), self.mapping)
        ts = P.testssl_json(fx("ts_mod.json"), self.mapping)
        self.assertEqual(pp["errors"], [])
        for other in (nm, ss, ts):
            self.assertEqual(P.diff(pp, other), "")
        self.assertEqual(P.pairs(pp), 6)

    def test_legacy_all_agree_on_91_pairs(self):
        self.need_mapping()
        (pp,) = P.policyprobe_json(fx("pp_leg.json")).values()
        (nm,) = P.nmap_xml(fx("nm_leg.xml")).values()
        ss = P.sslscan_xml(fx("ss_leg.xml"), self.mapping)
        self.assertEqual(P.pairs(ss), 91)
        self.assertEqual(ss["protocols"], {"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"})
        self.assertEqual(P.diff(pp, nm), "")
        self.assertEqual(P.diff(pp, ss), "")

    def test_diff_names_the_difference(self):
        a = {"protocols": {"TLSv1.2"}, "suites": {"TLSv1.2": {"X", "Y"}}}
        b = {"protocols": {"TLSv1.2"}, "suites": {"TLSv1.2": {"X"}}}
        self.assertIn("ours-only ['Y']", P.diff(a, b))

    def test_unknown_fact_is_an_error_not_an_empty_set(self):
        import json
        import tempfile
        doc = {"facts": [{"subject": "s", "name": "tls.protocols", "state": "unknown",
                          "value": None, "reason": "timeout"}]}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(doc, f)
        try:
            r = P.policyprobe_json(f.name)["s"]
        finally:
            os.unlink(f.name)
        self.assertEqual(r["errors"], ["tls.protocols: timeout"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
