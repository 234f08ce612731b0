#include "probes/cert/chain_analysis.h"

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdint>

#include "core/text.h"
#include "probes/cert/fact_list.h"
#include "probes/cert/name_match.h"
#include "probes/cert/ossl.h"

namespace pp::cert {

namespace {

std::string asn1_bytes(const ASN1_STRING* s) {
  if (!s) return {};
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(std::max(0, ASN1_STRING_length(s))));
}

/// RFC 2253 text of a DN. OpenSSL escapes RFC 2253 specials and control characters; UTF-8 is
/// kept readable and then passed through text::printable for anything still unsafe (its
/// backslashes are OpenSSL's own escapes, so they are not doubled).
std::string dn_text(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || !name) return {};
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return text::printable(std::string_view(data, len > 0 ? static_cast<size_t>(len) : 0), {.escape_backslash = false});
}

std::string iso_time(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// Whole seconds from `a` to `b`, or nullopt when either time does not parse.
std::optional<int64_t> seconds_between(const ASN1_TIME* a, const ASN1_TIME* b) {
  int days = 0, secs = 0;
  if (!a || !b || ASN1_TIME_diff(&days, &secs, a, b) != 1) return std::nullopt;
  return int64_t{days} * 86400 + secs;
}

int64_t floor_days(int64_t seconds) { return seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400); }

PresentedNames presented_names(X509* leaf) {
  PresentedNames out;
  GeneralNamesPtr gens(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; gens && i < sk_GENERAL_NAME_num(gens.get()); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(gens.get(), i);
    if (g->type == GEN_DNS) out.dns.push_back(asn1_bytes(g->d.dNSName));
    if (g->type == GEN_IPADD) out.ips.push_back(asn1_bytes(g->d.iPAddress));
  }
  const X509_NAME* subject = X509_get_subject_name(leaf);
  for (int idx = -1; (idx = X509_NAME_get_index_by_NID(subject, NID_commonName, idx)) >= 0;) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, idx));
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, data);
    if (n >= 0) out.cns.emplace_back(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
    OPENSSL_free(utf8);
  }
  return out;
}

bool weak_digest(X509* x) {
  int md = NID_undef, pk = NID_undef;
  if (!OBJ_find_sigid_algs(X509_get_signature_nid(x), &md, &pk)) return false;
  return md == NID_sha1 || md == NID_md5 || md == NID_md4 || md == NID_md2 || md == NID_mdc2;
}

std::string signature_name(X509* x) {
  const int nid = X509_get_signature_nid(x);
  const char* ln = nid == NID_undef ? nullptr : OBJ_nid2ln(nid);
  return ln ? ln : "unknown";
}

std::string key_type(const EVP_PKEY* k) {
  switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA: return "RSA";
    case EVP_PKEY_RSA_PSS: return "RSA-PSS";
    case EVP_PKEY_EC: return "EC";
    case EVP_PKEY_ED25519: return "Ed25519";
    case EVP_PKEY_ED448: return "Ed448";
    case EVP_PKEY_DSA: return "DSA";
    default: return "unknown";
  }
}

/// Whether `parent` issued `child`: the issuer name equals the parent's subject and the
/// parent's key verifies the child's signature. (AKI/SKI alone can be forged or missing.)
bool issued_by(X509* child, X509* parent) {
  if (X509_NAME_cmp(X509_get_issuer_name(child), X509_get_subject_name(parent)) != 0) return false;
  EVP_PKEY* key = X509_get0_pubkey(parent);
  return key && X509_verify(child, key) == 1;
}

bool has_ca_issuers_url(X509* x) {
  AuthorityInfoAccessPtr aia(static_cast<AUTHORITY_INFO_ACCESS*>(X509_get_ext_d2i(x, NID_info_access, nullptr, nullptr)));
  for (int i = 0; aia && i < sk_ACCESS_DESCRIPTION_num(aia.get()); ++i) {
    const ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(aia.get(), i);
    if (OBJ_obj2nid(ad->method) == NID_ad_ca_issuers && ad->location && ad->location->type == GEN_URI) return true;
  }
  return false;
}

struct Verification {
  bool ok = false;
  int error = X509_V_OK;
  int depth = 0;
  std::vector<X509Ptr> chain;  ///< as built by OpenSSL (complete on success, partial on failure)
};

Verification verify(X509_STORE* store, X509* leaf, const std::vector<X509*>& untrusted, std::time_t now) {
  Verification v;
  X509StackPtr sk(sk_X509_new_null());
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!sk || !ctx) {
    v.error = X509_V_ERR_OUT_OF_MEM;
    return v;
  }
  for (X509* x : untrusted) {
    X509_up_ref(x);
    if (!sk_X509_push(sk.get(), x)) X509_free(x);
  }
  if (X509_STORE_CTX_init(ctx.get(), store, leaf, sk.get()) != 1) {
    v.error = X509_V_ERR_UNSPECIFIED;
    return v;
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, now);
  X509_VERIFY_PARAM_clear_flags(param, X509_V_FLAG_X509_STRICT);
  v.ok = X509_verify_cert(ctx.get()) == 1;
  v.error = X509_STORE_CTX_get_error(ctx.get());
  v.depth = X509_STORE_CTX_get_error_depth(ctx.get());
  X509StackPtr built(X509_STORE_CTX_get1_chain(ctx.get()));
  for (int i = 0; built && i < sk_X509_num(built.get()); ++i) v.chain.push_back(x509_ref(sk_X509_value(built.get(), i)));
  return v;
}

bool issuer_missing(int error) {
  return error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY || error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
         error == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE;
}

bool was_sent(const std::vector<X509*>& sent, X509* x) {
  return std::any_of(sent.begin(), sent.end(), [&](X509* s) { return X509_cmp(s, x) == 0; });
}

void put_verification(FactSet& out, const ChainInput& in, bool in_order, const std::string& order_note) {
  if (!in.store) {
    for (const char* n : {"cert.trusted", "cert.verify_error", "cert.chain_complete"})
      out.put(Fact::unknown(n, "no trust store: " + in.store_error));
    return;
  }
  X509* leaf = in.sent.front();
  const std::vector<X509*> rest(in.sent.begin() + 1, in.sent.end());
  Verification v = verify(in.store, leaf, rest, in.now);
  const std::string detail = v.ok ? "verified against the trust store"
                                  : "depth " + std::to_string(v.depth) + ": " + X509_verify_cert_error_string(v.error);

  std::string cls = "other";
  std::string why = detail;
  bool reached_anchor = v.ok;
  if (v.ok) {
    cls = "ok";
  } else if (v.error == X509_V_ERR_CERT_HAS_EXPIRED) {
    cls = "expired";
    reached_anchor = true;
  } else if (v.error == X509_V_ERR_CERT_NOT_YET_VALID) {
    cls = "not_yet_valid";
    reached_anchor = true;
  } else if (v.error == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT) {
    cls = "self_signed";
  } else if (v.error == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN) {
    cls = "unknown_issuer";
    why = detail + " (the chain ends in a root the store does not trust)";
  } else if (issuer_missing(v.error)) {
    X509* top = v.chain.empty() ? leaf : v.chain.back().get();
    std::vector<X509*> widened = rest;
    widened.insert(widened.end(), in.known_intermediates.begin(), in.known_intermediates.end());
    if (!in.known_intermediates.empty() && verify(in.store, leaf, widened, in.now).ok) {
      cls = "incomplete_chain";
      why = detail + "; a known intermediate completes the chain, so the server did not send it";
    } else if (has_ca_issuers_url(top)) {
      cls = "incomplete_chain";
      why = detail + "; the issuer of " + dn_text(X509_get_subject_name(top)) +
            " is missing and its AIA caIssuers URL names where it lives (not fetched)";
    } else {
      cls = "unknown_issuer";
      why = detail + "; issuer " + dn_text(X509_get_issuer_name(top)) + " is neither sent nor in the store";
    }
  }

  if (reached_anchor) {
    // Everything below the trust anchor must have come from the server, not from the store.
    bool complete = true;
    for (size_t i = 0; i + 1 < v.chain.size(); ++i) complete = complete && was_sent(in.sent, v.chain[i].get());
    out.put(Fact::known("cert.chain_complete", complete,
                        complete ? "every certificate below the root was sent"
                                 : "the store supplied an intermediate that the server did not send"));
    if (cls == "ok" && !complete) {
      cls = "incomplete_chain";
      why = "verified only because the trust store holds an intermediate the server did not send";
    }
  } else if (cls == "incomplete_chain") {
    out.put(Fact::known("cert.chain_complete", false, why));
  } else if (cls == "self_signed") {
    // Nothing to complete: the leaf is its own issuer (the trust rules judge that).
    out.put(Fact::absent("cert.chain_complete", "a self-signed certificate has no intermediates to send"));
  } else {
    out.put(Fact::unknown("cert.chain_complete", "the chain reaches no trusted root (" + cls + "), so completeness cannot be judged"));
  }
  if (cls == "ok" && !in_order) {
    cls = "wrong_order";
    why = "verified, but only after reordering: " + order_note;
  }
  out.put(Fact::known("cert.trusted", v.ok, detail));
  out.put(Fact::known("cert.verify_error", cls, why));
}

}  // namespace

FactSet all_cert_facts_unknown(const std::string& reason) {
  FactSet out;
  for (const auto& spec : fact_list())
    if (spec.probe == "cert") out.put(Fact::unknown(std::string(spec.name), reason));
  return out;
}

namespace {

/// Whether each certificate sent is issued by the next; `note` says where the order breaks.
bool chain_order(const ChainInput& in, std::string& note) {
  note = "each certificate is issued by the next";
  for (size_t i = 0; i + 1 < in.sent.size(); ++i) {
    if (!issued_by(in.sent[i], in.sent[i + 1])) {
      note = "certificate " + std::to_string(i) + " (" + dn_text(X509_get_subject_name(in.sent[i])) +
             ") is not issued by certificate " + std::to_string(i + 1) + " (" +
             dn_text(X509_get_subject_name(in.sent[i + 1])) + ")";
      return false;
    }
  }
  return true;
}

/// not_before, not_after, expired, not_yet_valid, days_left, validity_days.
void validity_facts(FactSet& out, const ChainInput& in, X509* leaf, const std::string& ev) {
  const ASN1_TIME* nb = X509_get0_notBefore(leaf);
  const ASN1_TIME* na = X509_get0_notAfter(leaf);
  Asn1TimePtr now(ASN1_TIME_set(nullptr, in.now));
  const std::string nb_iso = iso_time(nb), na_iso = iso_time(na);
  const std::string tev = "notBefore=" + nb_iso + "; notAfter=" + na_iso + "; " + ev;
  auto to_end = seconds_between(now.get(), na);
  auto from_start = seconds_between(now.get(), nb);
  auto validity = seconds_between(nb, na);
  if (to_end && from_start && validity) {
    out.put(Fact::known("cert.not_before", nb_iso, tev));
    out.put(Fact::known("cert.not_after", na_iso, tev));
    out.put(Fact::known("cert.expired", *to_end < 0, tev));
    out.put(Fact::known("cert.not_yet_valid", *from_start > 0, tev));
    out.put(Fact::known("cert.days_left", floor_days(*to_end), tev));
    out.put(Fact::known("cert.validity_days", floor_days(*validity), tev));
  } else {
    for (const char* n : {"cert.not_before", "cert.not_after", "cert.expired", "cert.not_yet_valid", "cert.days_left",
                          "cert.validity_days"})
      out.put(Fact::unknown(n, "the leaf's validity dates do not parse"));
  }

}

/// san, cn_only, wildcard, san_covers_expected, names_missing.
void name_facts(FactSet& out, const ChainInput& in, X509* leaf, const std::string& ev) {
  const PresentedNames names = presented_names(leaf);
  StringList san;
  for (const auto& d : names.dns) san.push_back(text::printable(d));
  for (const auto& ip : names.ips) san.push_back(format_ip(ip));
  const std::string san_text = text::join(san, ", ");
  const bool cn_only = names.dns.empty() && names.ips.empty();
  // Without SANs clients match nothing (RFC 9525 section 6.3): the evidence says why.
  const std::string nev = "SAN: [" + san_text + "]" +
                          (cn_only ? " (CN only: no DNS/IP SAN, and clients never match the CN)" : "") + "; " + ev;
  out.put(Fact::known("cert.san", san, nev));
  out.put(Fact::known("cert.cn_only", cn_only, nev));
  bool wildcard = false;
  for (const auto& d : cn_only ? names.cns : names.dns) wildcard = wildcard || d.find('*') != std::string::npos;
  out.put(Fact::known("cert.wildcard", wildcard, nev));
  if (in.expected_names.empty()) {
    for (const char* n : {"cert.san_covers_expected", "cert.names_missing"})
      out.put(Fact::unknown(n, "no expected names to check: the target names none and no SNI was sent"));
  } else {
    StringList missing;
    for (const auto& e : in.expected_names)
      if (!name_covered(names, e)) missing.push_back(text::printable(e));
    out.put(Fact::known("cert.san_covers_expected", missing.empty(), nev));
    out.put(Fact::known("cert.names_missing", missing, nev));
  }

}

/// key_type, key_bits, signature_algorithm, sha1_signature (leaf and intermediates).
void key_facts(FactSet& out, const ChainInput& in, X509* leaf, const std::string& ev) {
  if (const EVP_PKEY* key = X509_get0_pubkey(leaf)) {
    out.put(Fact::known("cert.key_type", key_type(key), ev));
    out.put(Fact::known("cert.key_bits", static_cast<int64_t>(EVP_PKEY_get_bits(key)), ev));
  } else {
    for (const char* n : {"cert.key_type", "cert.key_bits"})
      out.put(Fact::unknown(n, "the leaf's public key does not parse"));
  }
  out.put(Fact::known("cert.signature_algorithm", signature_name(leaf), ev));
  std::string weak;
  for (size_t i = 0; i < in.sent.size(); ++i) {
    X509* x = in.sent[i];
    // A root's own signature is never checked by clients; only the leaf and intermediates count.
    if (i > 0 && X509_self_signed(x, 0) == 1) continue;
    if (weak_digest(x))
      weak += (weak.empty() ? "" : "; ") + std::string("certificate ") + std::to_string(i) + " (" +
              dn_text(X509_get_subject_name(x)) + ") " + signature_name(x);
  }
  out.put(Fact::known("cert.sha1_signature", !weak.empty(), weak.empty() ? "no SHA-1/MD5 signature in leaf or intermediates" : weak));

}

/// self_signed, is_ca, eku_server_auth, sct_present.
void extension_facts(FactSet& out, X509* leaf, const std::string& ev) {
  out.put(Fact::known("cert.self_signed", X509_self_signed(leaf, 1) == 1, ev));
  out.put(Fact::known("cert.is_ca", (X509_get_extension_flags(leaf) & EXFLAG_CA) != 0, ev));
  const uint32_t xku = X509_get_extended_key_usage(leaf);
  out.put(Fact::known("cert.eku_server_auth", (xku & (XKU_SSL_SERVER | XKU_ANYEKU)) != 0,
                      xku == UINT32_MAX ? "no extendedKeyUsage extension" : ev));
  out.put(Fact::known("cert.sct_present", X509_get_ext_by_NID(leaf, NID_ct_precert_scts, -1) >= 0, ev));
}

}  // namespace

FactSet analyse_chain(const ChainInput& in) {
  if (in.sent.empty() || !in.sent.front()) return all_cert_facts_unknown("the server sent no certificate");
  FactSet out = all_cert_facts_unknown("not derived from this chain");  // every name set, then filled in
  X509* leaf = in.sent.front();

  const std::string subject = dn_text(X509_get_subject_name(leaf));
  const std::string issuer = dn_text(X509_get_issuer_name(leaf));
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  const std::string fingerprint = X509_digest(leaf, EVP_sha256(), md, &md_len) == 1 ? text::hex(std::string_view(reinterpret_cast<const char*>(md), md_len)) : "";
  const std::string ev = "subject=" + subject + "; issuer=" + issuer + "; sha256=" + fingerprint;

  out.put(Fact::known("cert.subject", subject, ev));
  out.put(Fact::known("cert.issuer", issuer, ev));
  if (!fingerprint.empty()) out.put(Fact::known("cert.fingerprint_sha256", fingerprint, ev));
  else out.put(Fact::unknown("cert.fingerprint_sha256", "SHA-256 digest of the leaf failed"));

  // Chain shape.
  out.put(Fact::known("cert.chain_length", static_cast<int64_t>(in.sent.size()), ev));
  std::string order_note;
  const bool in_order = chain_order(in, order_note);
  out.put(Fact::known("cert.chain_in_order", in_order, order_note));
  put_verification(out, in, in_order, order_note);

  validity_facts(out, in, leaf, ev);
  name_facts(out, in, leaf, ev);
  key_facts(out, in, leaf, ev);
  extension_facts(out, leaf, ev);
  return out;
}

}  // namespace pp::cert
