#include "reports/tls_grade.h"

namespace pp::reports {

namespace {

bool has(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }
bool starts(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// What the bulk cipher part of a name says: a cap (the worst it allows), or that it is not
/// one we know.
struct CipherKind {
  bool known = true;
  Grade cap = Grade::A;
  std::string_view why;
};

CipherKind cipher_kind(std::string_view cipher) {
  if (starts(cipher, "NULL")) return {true, Grade::F, "no encryption (NULL)"};
  if (starts(cipher, "RC4")) return {true, Grade::C, "RC4 (RFC 7465)"};
  if (has(cipher, "3DES") || has(cipher, "DES_EDE") || starts(cipher, "IDEA"))
    return {true, Grade::C, "64-bit block cipher (SWEET32)"};
  if (starts(cipher, "DES") || starts(cipher, "RC2")) return {true, Grade::D, "cipher under 112 bits"};
  if (has(cipher, "_GCM") || has(cipher, "_CCM") || has(cipher, "CHACHA20_POLY1305")) return {true, Grade::A, {}};
  if (has(cipher, "_CBC")) return {true, Grade::B, "CBC mode, no AEAD"};
  return {false, Grade::Unknown, "cipher not recognised"};
}

}  // namespace

std::string_view to_string(Grade g) {
  switch (g) {
    case Grade::A: return "A";
    case Grade::B: return "B";
    case Grade::C: return "C";
    case Grade::D: return "D";
    case Grade::E: return "E";
    case Grade::F: return "F";
    case Grade::Unknown: return "?";
  }
  return "?";
}

Grade worse(Grade a, Grade b) {
  if (a == Grade::Unknown) return b;
  if (b == Grade::Unknown) return a;
  return a > b ? a : b;
}

SuiteGrade grade_suite(std::string_view version, std::string_view suite) {
  if (version == "ssl2" || starts(suite, "SSL_CK_")) return {Grade::F, "SSLv2: a broken protocol"};
  std::string_view s = suite;
  if (starts(s, "TLS_") || starts(s, "SSL_")) s.remove_prefix(4);
  // TLS 1.3 names carry no key exchange: it is always (EC)DHE.
  const size_t with = s.find("_WITH_");
  const bool tls13_name = with == std::string_view::npos;
  const std::string_view kex = tls13_name ? std::string_view{} : s.substr(0, with);
  const std::string_view cipher = tls13_name ? s : s.substr(with + 6);

  SuiteGrade g{Grade::A, "AEAD with forward secrecy"};
  // Checked from the worst rule down: the first reason of the final grade is the one shown.
  auto cap = [&](Grade c, std::string_view why) {
    if (c > g.grade) g = {c, why};
  };
  const CipherKind kind = cipher_kind(cipher);
  if (!kind.known) return {Grade::Unknown, kind.why};
  if (kind.cap == Grade::F) cap(Grade::F, kind.why);
  if (kex == "NULL" || has(kex, "anon")) cap(Grade::F, "anonymous key exchange (no authentication)");
  if (has(s, "EXPORT")) cap(Grade::E, "export-grade keys");
  cap(kind.cap, kind.why);
  if (ends(s, "_MD5")) cap(Grade::C, "MD5 MAC");
  if (version == "ssl3") cap(Grade::C, "SSLv3 (POODLE)");
  if (!tls13_name && !starts(kex, "ECDHE") && !starts(kex, "DHE")) cap(Grade::B, "no forward secrecy");
  return g;
}

}  // namespace pp::reports
