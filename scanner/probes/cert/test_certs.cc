#include "probes/cert/test_certs.h"

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <stdexcept>

namespace pp::cert::testing {

namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test_certs: ") + what);
}

void add_conf_ext(X509* x, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, x, nullptr, nullptr, 0);
  X509ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  check(ext && X509_add_ext(x, ext.get(), -1) == 1, "add extension");
}

void add_raw_ext(X509* x, ASN1_OBJECT* obj, const std::string& der_value) {
  ASN1_OCTET_STRING* os = ASN1_OCTET_STRING_new();
  ASN1_OCTET_STRING_set(os, reinterpret_cast<const unsigned char*>(der_value.data()), static_cast<int>(der_value.size()));
  X509ExtPtr ext(X509_EXTENSION_create_by_OBJ(nullptr, obj, 0, os));
  ASN1_OCTET_STRING_free(os);
  check(ext && X509_add_ext(x, ext.get(), -1) == 1, "add raw extension");
}

}  // namespace

EvpPkeyPtr make_ec_key() {
  EvpPkeyPtr k(EVP_EC_gen("P-256"));
  check(k != nullptr, "EC key");
  return k;
}

EvpPkeyPtr make_rsa_key(int bits) {
  EvpPkeyPtr k(EVP_RSA_gen(static_cast<unsigned>(bits)));
  check(k != nullptr, "RSA key");
  return k;
}

X509Ptr make_cert(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, std::time_t now) {
  static long serial = 1000;
  X509Ptr x(X509_new());
  check(x != nullptr, "X509_new");
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), ++serial);
  X509_time_adj_ex(X509_getm_notBefore(x.get()), 0, spec.not_before, &now);
  X509_time_adj_ex(X509_getm_notAfter(x.get()), 0, spec.not_after, &now);
  X509_set_pubkey(x.get(), key);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("policyprobe test"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(spec.cn.c_str()), -1, -1, 0);
  X509* parent = issuer ? issuer : x.get();
  X509_set_issuer_name(x.get(), X509_get_subject_name(parent));

  add_conf_ext(x.get(), parent, NID_subject_key_identifier, "hash");
  add_conf_ext(x.get(), parent, NID_authority_key_identifier, "keyid:always");
  if (spec.ca) {
    add_conf_ext(x.get(), parent, NID_basic_constraints, "critical,CA:TRUE");
    add_conf_ext(x.get(), parent, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
  }
  if (!spec.eku.empty()) add_conf_ext(x.get(), parent, NID_ext_key_usage, spec.eku);
  if (!spec.aia_ca_issuers.empty()) add_conf_ext(x.get(), parent, NID_info_access, "caIssuers;URI:" + spec.aia_ca_issuers);
  if (!spec.dns.empty() || !spec.ips.empty()) {
    GeneralNamesPtr gens(GENERAL_NAMES_new());
    for (const auto& d : spec.dns) {
      ASN1_IA5STRING* s = ASN1_IA5STRING_new();
      ASN1_STRING_set(s, d.data(), static_cast<int>(d.size()));
      GENERAL_NAME* g = GENERAL_NAME_new();
      GENERAL_NAME_set0_value(g, GEN_DNS, s);
      sk_GENERAL_NAME_push(gens.get(), g);
    }
    for (const auto& ip : spec.ips) {
      ASN1_OCTET_STRING* s = a2i_IPADDRESS(ip.c_str());
      check(s != nullptr, "IP literal");
      GENERAL_NAME* g = GENERAL_NAME_new();
      GENERAL_NAME_set0_value(g, GEN_IPADD, s);
      sk_GENERAL_NAME_push(gens.get(), g);
    }
    check(X509_add1_ext_i2d(x.get(), NID_subject_alt_name, gens.get(), 0, X509V3_ADD_DEFAULT) == 1, "SAN");
  }
  if (spec.sct) add_raw_ext(x.get(), OBJ_nid2obj(NID_ct_precert_scts), std::string("\x04\x02\x00\x00", 4));
  if (spec.padding > 0) {
    ASN1_OBJECT* obj = OBJ_txt2obj("1.3.6.1.4.1.55555.1", 1);
    // DER OCTET STRING with a long-form length, then the filler.
    std::string der = "\x04\x83";
    der += static_cast<char>((spec.padding >> 16) & 0xff);
    der += static_cast<char>((spec.padding >> 8) & 0xff);
    der += static_cast<char>(spec.padding & 0xff);
    der += std::string(spec.padding, 'A');
    add_raw_ext(x.get(), obj, der);
    ASN1_OBJECT_free(obj);
  }
  const EVP_MD* md = EVP_get_digestbyname(spec.md.c_str());
  check(md != nullptr, "digest");
  check(X509_sign(x.get(), issuer_key, md) > 0, "sign");
  return x;
}

std::string cert_der(X509* x) {
  unsigned char* der = nullptr;
  const int n = i2d_X509(x, &der);
  check(n > 0, "DER encoding");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::string cert_pem(X509* x) {
  BioPtr b(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(b.get(), x);
  char* data = nullptr;
  long n = BIO_get_mem_data(b.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string key_pem(EVP_PKEY* k) {
  BioPtr b(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(b.get(), k, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(b.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

X509StorePtr store_of(const std::vector<X509*>& anchors) {
  X509StorePtr s(X509_STORE_new());
  for (X509* a : anchors) X509_STORE_add_cert(s.get(), a);
  return s;
}

}  // namespace pp::cert::testing
