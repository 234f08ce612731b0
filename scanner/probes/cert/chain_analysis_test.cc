#include "probes/cert/chain_analysis.h"

#include <catch2/catch.hpp>

#include "probes/cert/fact_list.h"
#include "probes/cert/test_certs.h"

using namespace pp;
using namespace pp::cert;
using namespace pp::cert::testing;
using namespace std::string_literals;

namespace {

constexpr std::time_t kNow = 1767225600;  // 2026-01-01T00:00:00Z: fixed, so days are exact

/// root -> inter -> leaves; root2 is a private CA nobody trusts. Built once (key generation).
struct Pki {
  EvpPkeyPtr root_key = make_ec_key(), inter_key = make_ec_key(), leaf_key = make_ec_key();
  X509Ptr root, inter, root2;
  Pki() {
    CertSpec r;
    r.cn = "Test Root CA";
    r.ca = true;
    r.not_after = 3650L * 86400;
    root = make_cert(r, root_key.get(), nullptr, root_key.get(), kNow);
    CertSpec i = r;
    i.cn = "Test Intermediate CA";
    inter = make_cert(i, inter_key.get(), root.get(), root_key.get(), kNow);
    CertSpec r2 = r;
    r2.cn = "Private Root CA";
    root2 = make_cert(r2, root_key.get(), nullptr, root_key.get(), kNow);
  }
  static CertSpec leaf_spec() {
    CertSpec s;
    s.cn = "mail.example.com";
    s.dns = {"mail.example.com", "autodiscover.example.com"};
    s.ips = {"192.0.2.10"};
    s.eku = "serverAuth";
    return s;
  }
  X509Ptr leaf(const CertSpec& s) { return make_cert(s, leaf_key.get(), inter.get(), inter_key.get(), kNow); }
};

Pki& pki() {
  static Pki p;
  return p;
}

const Fact& get(const FactSet& fs, const std::string& name) {
  const Fact* f = fs.find(name);
  REQUIRE(f != nullptr);
  return *f;
}
bool known_bool(const FactSet& fs, const std::string& n) {
  const Fact& f = get(fs, n);
  INFO(n << ": " << f.reason);
  REQUIRE(f.state == FactState::Known);
  return std::get<bool>(f.value);
}
int64_t known_int(const FactSet& fs, const std::string& n) {
  const Fact& f = get(fs, n);
  INFO(n << ": " << f.reason);
  REQUIRE(f.state == FactState::Known);
  return std::get<int64_t>(f.value);
}
std::string known_str(const FactSet& fs, const std::string& n) {
  const Fact& f = get(fs, n);
  INFO(n << ": " << f.reason);
  REQUIRE(f.state == FactState::Known);
  return std::get<std::string>(f.value);
}
StringList known_list(const FactSet& fs, const std::string& n) {
  const Fact& f = get(fs, n);
  INFO(n << ": " << f.reason);
  REQUIRE(f.state == FactState::Known);
  return std::get<StringList>(f.value);
}

FactSet analyse(std::vector<X509*> sent, X509_STORE* store, std::vector<std::string> expected = {"mail.example.com"},
                std::vector<X509*> pool = {}) {
  ChainInput in;
  in.sent = std::move(sent);
  in.store = store;
  in.expected_names = std::move(expected);
  in.known_intermediates = std::move(pool);
  in.now = kNow;
  return analyse_chain(in);
}

}  // namespace

TEST_CASE("a good chain: trusted, complete, in order, every catalogue fact known") {
  auto& p = pki();
  auto leaf = p.leaf(Pki::leaf_spec());
  auto store = store_of({p.root.get()});
  FactSet fs = analyse({leaf.get(), p.inter.get()}, store.get(), {"mail.example.com", "autodiscover.example.com", "192.0.2.10"});

  for (const auto& spec : fact_list()) {
    if (spec.probe != "cert") continue;
    const Fact& f = get(fs, std::string(spec.name));
    INFO(spec.name << ": " << f.reason);
    CHECK(f.state == FactState::Known);
    CHECK(type_of(f.value) == spec.type);
  }
  CHECK(known_bool(fs, "cert.trusted"));
  CHECK(known_str(fs, "cert.verify_error") == "ok");
  CHECK(known_bool(fs, "cert.chain_complete"));
  CHECK(known_bool(fs, "cert.chain_in_order"));
  CHECK(known_int(fs, "cert.chain_length") == 2);
  CHECK_FALSE(known_bool(fs, "cert.expired"));
  CHECK_FALSE(known_bool(fs, "cert.not_yet_valid"));
  CHECK(known_int(fs, "cert.days_left") == 365);
  CHECK(known_int(fs, "cert.validity_days") == 366);
  CHECK(known_str(fs, "cert.not_before") == "2025-12-31T00:00:00Z");
  CHECK(known_str(fs, "cert.not_after") == "2027-01-01T00:00:00Z");
  CHECK(known_str(fs, "cert.subject") == "CN=mail.example.com,O=policyprobe test");
  CHECK(known_str(fs, "cert.issuer") == "CN=Test Intermediate CA,O=policyprobe test");
  CHECK(known_list(fs, "cert.san") == StringList{"mail.example.com", "autodiscover.example.com", "192.0.2.10"});
  CHECK(known_bool(fs, "cert.san_covers_expected"));
  CHECK(known_list(fs, "cert.names_missing").empty());
  CHECK_FALSE(known_bool(fs, "cert.cn_only"));
  CHECK_FALSE(known_bool(fs, "cert.wildcard"));
  CHECK(known_str(fs, "cert.key_type") == "EC");
  CHECK(known_int(fs, "cert.key_bits") == 256);
  CHECK(known_str(fs, "cert.signature_algorithm") == "ecdsa-with-SHA256");
  CHECK_FALSE(known_bool(fs, "cert.sha1_signature"));
  CHECK_FALSE(known_bool(fs, "cert.self_signed"));
  CHECK_FALSE(known_bool(fs, "cert.is_ca"));
  CHECK(known_bool(fs, "cert.eku_server_auth"));
  CHECK_FALSE(known_bool(fs, "cert.sct_present"));
  const std::string fp = known_str(fs, "cert.fingerprint_sha256");
  CHECK(fp.size() == 64);
  CHECK(fp.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(get(fs, "cert.subject").evidence.find("sha256=" + fp) != std::string::npos);

  // A different certificate has a different fingerprint.
  auto other = p.leaf(Pki::leaf_spec());
  FactSet fs2 = analyse({other.get(), p.inter.get()}, store.get());
  CHECK(known_str(fs2, "cert.fingerprint_sha256") != fp);
}

TEST_CASE("expired and not-yet-valid leaves") {
  auto& p = pki();
  auto store = store_of({p.root.get()});
  auto s = Pki::leaf_spec();
  s.not_before = -400L * 86400;
  s.not_after = -3600;  // expired an hour ago
  auto expired = p.leaf(s);
  FactSet fs = analyse({expired.get(), p.inter.get()}, store.get());
  CHECK_FALSE(known_bool(fs, "cert.trusted"));
  CHECK(known_str(fs, "cert.verify_error") == "expired");
  CHECK(known_bool(fs, "cert.expired"));
  CHECK(known_int(fs, "cert.days_left") == -1);
  CHECK(known_bool(fs, "cert.chain_complete"));

  s.not_before = 2L * 86400;
  s.not_after = 100L * 86400;
  auto future = p.leaf(s);
  fs = analyse({future.get(), p.inter.get()}, store.get());
  CHECK_FALSE(known_bool(fs, "cert.trusted"));
  CHECK(known_str(fs, "cert.verify_error") == "not_yet_valid");
  CHECK(known_bool(fs, "cert.not_yet_valid"));
  CHECK_FALSE(known_bool(fs, "cert.expired"));
  CHECK(known_int(fs, "cert.days_left") == 100);
  CHECK(known_int(fs, "cert.validity_days") == 98);
}

TEST_CASE("a self-signed leaf") {
  auto& p = pki();
  auto store = store_of({p.root.get()});
  auto s = Pki::leaf_spec();
  auto self = make_cert(s, p.leaf_key.get(), nullptr, p.leaf_key.get(), kNow);
  FactSet fs = analyse({self.get()}, store.get());
  CHECK_FALSE(known_bool(fs, "cert.trusted"));
  CHECK(known_str(fs, "cert.verify_error") == "self_signed");
  CHECK(known_bool(fs, "cert.self_signed"));
  CHECK(get(fs, "cert.chain_complete").state == FactState::Absent);  // nothing to complete: CERT-008 skips
  CHECK(known_bool(fs, "cert.san_covers_expected"));  // names are judged independently of trust
}

TEST_CASE("a private CA's chain is unknown_issuer") {
  auto& p = pki();
  auto store = store_of({p.root.get()});
  auto s = Pki::leaf_spec();
  auto leaf = make_cert(s, p.leaf_key.get(), p.root2.get(), p.root_key.get(), kNow);
  FactSet fs = analyse({leaf.get(), p.root2.get()}, store.get());
  CHECK_FALSE(known_bool(fs, "cert.trusted"));
  CHECK(known_str(fs, "cert.verify_error") == "unknown_issuer");
  CHECK(known_bool(fs, "cert.chain_in_order"));
  // Leaf alone, no AIA, no known intermediate: nothing says an intermediate was forgotten.
  fs = analyse({leaf.get()}, store.get());
  CHECK(known_str(fs, "cert.verify_error") == "unknown_issuer");
}

TEST_CASE("incomplete chains: the intermediate was not sent") {
  auto& p = pki();
  auto store = store_of({p.root.get()});
  auto leaf = p.leaf(Pki::leaf_spec());

  SECTION("detected through a pool of known intermediates") {
    FactSet fs = analyse({leaf.get()}, store.get(), {"mail.example.com"}, {p.inter.get()});
    CHECK_FALSE(known_bool(fs, "cert.trusted"));
    CHECK(known_str(fs, "cert.verify_error") == "incomplete_chain");
    CHECK_FALSE(known_bool(fs, "cert.chain_complete"));
  }
  SECTION("detected through the leaf's AIA caIssuers") {
    auto s = Pki::leaf_spec();
    s.aia_ca_issuers = "http://ca.example.com/inter.crt";
    auto aia_leaf = p.leaf(s);
    FactSet fs = analyse({aia_leaf.get()}, store.get());
    CHECK(known_str(fs, "cert.verify_error") == "incomplete_chain");
    CHECK(get(fs, "cert.verify_error").evidence.find("caIssuers") != std::string::npos);
  }
  SECTION("the store holds the intermediate: trusted, but still incomplete as sent") {
    auto with_inter = store_of({p.root.get(), p.inter.get()});
    FactSet fs = analyse({leaf.get()}, with_inter.get());
    CHECK(known_bool(fs, "cert.trusted"));
    CHECK(known_str(fs, "cert.verify_error") == "incomplete_chain");
    CHECK_FALSE(known_bool(fs, "cert.chain_complete"));
  }
  SECTION("a pool never makes an unrelated chain incomplete") {
    auto s = Pki::leaf_spec();
    auto stray = make_cert(s, p.leaf_key.get(), p.root2.get(), p.root_key.get(), kNow);
    FactSet fs = analyse({stray.get()}, store.get(), {"mail.example.com"}, {p.inter.get()});
    CHECK(known_str(fs, "cert.verify_error") == "unknown_issuer");
  }
}

TEST_CASE("chains sent out of order verify but are reported") {
  auto& p = pki();
  auto store = store_of({p.root.get()});
  auto k2 = make_ec_key();
  CertSpec i2s;
  i2s.cn = "Second Intermediate CA";
  i2s.ca = true;
  auto inter2 = make_cert(i2s, k2.get(), p.inter.get(), p.inter_key.get(), kNow);
  auto leaf = make_cert(Pki::leaf_spec(), p.leaf_key.get(), inter2.get(), k2.get(), kNow);

  FactSet good = analyse({leaf.get(), inter2.get(), p.inter.get()}, store.get());
  CHECK(known_str(good, "cert.verify_error") == "ok");
  CHECK(known_bool(good, "cert.chain_in_order"));

  FactSet fs = analyse({leaf.get(), p.inter.get(), inter2.get()}, store.get());
  CHECK(known_bool(fs, "cert.trusted"));
  CHECK_FALSE(known_bool(fs, "cert.chain_in_order"));
  CHECK(known_str(fs, "cert.verify_error") == "wrong_order");
  CHECK(known_bool(fs, "cert.chain_complete"));
  CHECK(get(fs, "cert.chain_in_order").evidence.find("certificate 0") != std::string::npos);

  // Sending the root too (harmless) keeps the chain in order.
  FactSet with_root = analyse({leaf.get(), inter2.get(), p.inter.get(), p.root.get()}, store.get());
  CHECK(known_bool(with_root, "cert.chain_in_order"));
  CHECK(known_str(with_root, "cert.verify_error") == "ok");
}

TEST_CASE("expected-name coverage, wildcards and CN-only certificates") {
  auto& p = pki();
  auto store = store_of({p.root.get()});
  auto leaf = p.leaf(Pki::leaf_spec());
  FactSet fs = analyse({leaf.get(), p.inter.get()}, store.get(), {"mail.example.com", "owa.other.com", "192.0.2.11"});
  CHECK_FALSE(known_bool(fs, "cert.san_covers_expected"));
  CHECK(known_list(fs, "cert.names_missing") == StringList{"owa.other.com", "192.0.2.11"});

  auto w = Pki::leaf_spec();
  w.dns = {"*.example.com"};
  w.ips = {};
  auto wild = p.leaf(w);
  fs = analyse({wild.get(), p.inter.get()}, store.get(), {"owa.example.com", "a.b.example.com", "example.com"});
  CHECK(known_bool(fs, "cert.wildcard"));
  CHECK(known_list(fs, "cert.names_missing") == StringList{"a.b.example.com", "example.com"});

  auto c = Pki::leaf_spec();
  c.cn = "legacy.example.com";
  c.dns = {};
  c.ips = {};
  auto cn = p.leaf(c);
  fs = analyse({cn.get(), p.inter.get()}, store.get(), {"legacy.example.com"});
  CHECK(known_bool(fs, "cert.cn_only"));
  CHECK(known_list(fs, "cert.san").empty());
  // Clients match names against SANs only (RFC 9525 section 6.3): the CN covers nothing.
  CHECK_FALSE(known_bool(fs, "cert.san_covers_expected"));
  CHECK(known_list(fs, "cert.names_missing") == StringList{"legacy.example.com"});
  CHECK(get(fs, "cert.san_covers_expected").evidence.find("CN only") != std::string::npos);

  fs = analyse({leaf.get(), p.inter.get()}, store.get(), {});
  CHECK(get(fs, "cert.san_covers_expected").state == FactState::Unknown);
  CHECK(get(fs, "cert.names_missing").state == FactState::Unknown);
  CHECK_FALSE(get(fs, "cert.san_covers_expected").reason.empty());
}

TEST_CASE("weak keys and SHA-1 signatures") {
  auto& p = pki();
  auto store = store_of({p.root.get()});
  auto rsa = make_rsa_key(1024);
  auto weak = make_cert(Pki::leaf_spec(), rsa.get(), p.inter.get(), p.inter_key.get(), kNow);
  FactSet fs = analyse({weak.get(), p.inter.get()}, store.get());
  CHECK(known_str(fs, "cert.key_type") == "RSA");
  CHECK(known_int(fs, "cert.key_bits") == 1024);
  CHECK(known_str(fs, "cert.verify_error") == "ok");  // weakness is a rule's call, not a verify error

  auto s = Pki::leaf_spec();
  s.md = "SHA1";
  auto sha1_leaf = p.leaf(s);
  fs = analyse({sha1_leaf.get(), p.inter.get()}, store.get());
  CHECK(known_str(fs, "cert.signature_algorithm") == "ecdsa-with-SHA1");
  CHECK(known_bool(fs, "cert.sha1_signature"));

  CertSpec i;
  i.cn = "SHA-1 Intermediate";
  i.ca = true;
  i.md = "SHA1";
  auto sha1_inter = make_cert(i, p.inter_key.get(), p.root.get(), p.root_key.get(), kNow);
  auto leaf = make_cert(Pki::leaf_spec(), p.leaf_key.get(), sha1_inter.get(), p.inter_key.get(), kNow);
  fs = analyse({leaf.get(), sha1_inter.get()}, store.get());
  CHECK(known_str(fs, "cert.signature_algorithm") == "ecdsa-with-SHA256");
  CHECK(known_bool(fs, "cert.sha1_signature"));
  CHECK(get(fs, "cert.sha1_signature").evidence.find("SHA-1 Intermediate") != std::string::npos);

  // A SHA-1 self-signed root that was sent along does not count: nobody checks its signature.
  CertSpec r;
  r.cn = "Old Root";
  r.ca = true;
  r.md = "SHA1";
  auto old_root = make_cert(r, p.root_key.get(), nullptr, p.root_key.get(), kNow);
  auto leaf2 = make_cert(Pki::leaf_spec(), p.leaf_key.get(), old_root.get(), p.root_key.get(), kNow);
  fs = analyse({leaf2.get(), old_root.get()}, store.get());
  CHECK_FALSE(known_bool(fs, "cert.sha1_signature"));
}

TEST_CASE("extensions: CA leaf, EKU, SCT") {
  auto& p = pki();
  auto store = store_of({p.root.get()});
  auto s = Pki::leaf_spec();
  s.ca = true;
  s.eku = "clientAuth";
  s.sct = true;
  auto odd = p.leaf(s);
  FactSet fs = analyse({odd.get(), p.inter.get()}, store.get());
  CHECK(known_bool(fs, "cert.is_ca"));
  CHECK_FALSE(known_bool(fs, "cert.eku_server_auth"));
  CHECK(known_bool(fs, "cert.sct_present"));

  s = Pki::leaf_spec();
  s.eku = "";
  auto no_eku = p.leaf(s);
  fs = analyse({no_eku.get(), p.inter.get()}, store.get());
  CHECK(known_bool(fs, "cert.eku_server_auth"));  // no EKU means any use
}

TEST_CASE("hostile names are reported escaped and never match") {
  auto& p = pki();
  auto store = store_of({p.root.get()});
  auto s = Pki::leaf_spec();
  s.cn = "<script>alert(1)</script>";
  s.dns = {"good.example.com\0.evil.com"s, "<script>.example.com", "\xff\xfe.example.com", "back\\slash.example.com"};
  s.ips = {};
  auto leaf = p.leaf(s);
  FactSet fs = analyse({leaf.get(), p.inter.get()}, store.get(), {"good.example.com"});
  CHECK(known_list(fs, "cert.san") == StringList{"good.example.com\\x00.evil.com", "<script>.example.com",
                                                 "\\xff\\xfe.example.com", "back\\\\slash.example.com"});
  CHECK_FALSE(known_bool(fs, "cert.san_covers_expected"));
  // RFC 2253 escapes '<' and '>' itself; the text stays readable and is not double-escaped.
  CHECK(known_str(fs, "cert.subject") == "CN=\\<script\\>alert(1)\\</script\\>,O=policyprobe test");
}

TEST_CASE("a 100-certificate chain is analysed without trouble") {
  auto& p = pki();
  auto store = store_of({p.root.get()});
  // One key for every link keeps the test fast; names and signatures still chain properly.
  std::vector<X509Ptr> links;
  X509* parent = p.root.get();
  EVP_PKEY* parent_key = p.root_key.get();
  for (int i = 0; i < 99; ++i) {
    CertSpec c;
    c.cn = "Link " + std::to_string(i);
    c.ca = true;
    links.push_back(make_cert(c, p.inter_key.get(), parent, parent_key, kNow));
    parent = links.back().get();
    parent_key = p.inter_key.get();
  }
  auto leaf = make_cert(Pki::leaf_spec(), p.leaf_key.get(), parent, parent_key, kNow);
  std::vector<X509*> sent{leaf.get()};
  for (auto it = links.rbegin(); it != links.rend(); ++it) sent.push_back(it->get());
  FactSet fs = analyse(sent, store.get());
  CHECK(known_int(fs, "cert.chain_length") == 100);
  CHECK(known_bool(fs, "cert.chain_in_order"));
  CHECK(known_bool(fs, "cert.san_covers_expected"));
  CHECK(get(fs, "cert.verify_error").state == FactState::Known);  // whatever OpenSSL's depth limit says
}

TEST_CASE("without a certificate or a store, facts are unknown with a reason") {
  FactSet none = analyse({}, nullptr);
  for (const auto& spec : fact_list()) {
    if (spec.probe != "cert") continue;
    const Fact& f = get(none, std::string(spec.name));
    CHECK(f.state == FactState::Unknown);
    CHECK(f.reason == "the server sent no certificate");
  }
  auto& p = pki();
  auto leaf = p.leaf(Pki::leaf_spec());
  ChainInput in;
  in.sent = {leaf.get(), p.inter.get()};
  in.store_error = "cannot load CA file /nope.pem";
  in.now = kNow;
  FactSet fs = analyse_chain(in);
  CHECK(get(fs, "cert.trusted").state == FactState::Unknown);
  CHECK(get(fs, "cert.trusted").reason.find("/nope.pem") != std::string::npos);
  CHECK(get(fs, "cert.verify_error").state == FactState::Unknown);
  CHECK(known_int(fs, "cert.key_bits") == 256);  // the rest is still observed
}
