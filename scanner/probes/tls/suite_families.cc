#include "probes/tls/suite_families.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace pp::tls {
namespace {

bool one_of(std::string_view v, std::span<const std::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

bool is_export(const CipherSuite& s) { return s.iana.find("_EXPORT") != std::string_view::npos; }

void add_unique(StringList& l, std::string_view v) {
  if (std::find(l.begin(), l.end(), v) == l.end()) l.emplace_back(v);
}

std::string joined(const StringList& l) {
  std::string out;
  for (const auto& s : l) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? std::string("none accepted") : out;
}

}  // namespace

bool is_cbc(const CipherSuite& s) {
  static constexpr std::array<std::string_view, 8> kBlock = {"AES", "Camellia", "ARIA", "SEED", "IDEA", "RC2", "DES", "3DES"};
  return one_of(s.enc, kBlock) && s.mac != "AEAD";
}

bool is_block64(const CipherSuite& s) {
  static constexpr std::array<std::string_view, 4> k64 = {"3DES", "DES", "IDEA", "RC2"};
  return one_of(s.enc, k64);
}

bool is_export_rsa(const CipherSuite& s) { return is_export(s) && s.kx == Kx::RSA; }

bool is_export_dh(const CipherSuite& s) { return is_export(s) && (s.kx == Kx::DHE || s.kx == Kx::Anon); }

std::vector<Fact> suite_family_facts(std::span<const AcceptedSuites> accepted) {
  StringList cbc, cbc_versions, block64, export_rsa, export_dh;
  for (const auto& a : accepted) {
    for (uint16_t code : a.suites) {
      const CipherSuite* s = find_suite(code);
      if (s == nullptr) continue;
      if (is_cbc(*s)) {
        add_unique(cbc, s->iana);
        add_unique(cbc_versions, version_name(a.version));
      }
      if (is_block64(*s)) add_unique(block64, s->iana);
      if (is_export_rsa(*s)) add_unique(export_rsa, s->iana);
      if (is_export_dh(*s)) add_unique(export_dh, s->iana);
    }
  }
  std::vector<Fact> out;
  out.push_back(Fact::known("tls.ciphers.cbc", cbc, "CBC suites: " + joined(cbc)));
  out.push_back(Fact::known("tls.cbc_protocols", cbc_versions, "versions with a CBC suite: " + joined(cbc_versions)));
  out.push_back(Fact::known("tls.ciphers.block64", block64, "64-bit block suites: " + joined(block64)));
  out.push_back(Fact::known("tls.ciphers.export_rsa", export_rsa, "RSA EXPORT suites: " + joined(export_rsa)));
  out.push_back(Fact::known("tls.ciphers.export_dh", export_dh, "DH EXPORT suites: " + joined(export_dh)));
  return out;
}

}  // namespace pp::tls
