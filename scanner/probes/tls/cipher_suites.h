#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace pp::tls {

/// Wire values of the protocol versions (SSLv2 has its own 0x0002).
enum class Version : uint16_t { Ssl2 = 0x0002, Ssl3 = 0x0300, Tls10 = 0x0301, Tls11 = 0x0302, Tls12 = 0x0303, Tls13 = 0x0304 };

/// "SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3" (the names tls.protocols uses).
std::string_view version_name(Version v);
/// Short key for per-version facts: ssl2, ssl3, tls10, tls11, tls12, tls13.
std::string_view version_key(Version v);
bool is_known_version(uint16_t wire);

/// Key exchange. Anon = unauthenticated (EC)DH; None = TLS 1.3 (negotiated separately).
enum class Kx { RSA, DHE, ECDHE, DH, ECDH, PSK, SRP, KRB5, GOST, Anon, None };
/// Strength class, weakest first; one per suite, the weakest that applies.
enum class Strength { Null, Anon, Export, Low, Rc4, TripleDes, Cbc, Aead };
/// The lowest protocol version a suite may be negotiated in.
enum class MinVersion { Ssl3, Tls10, Tls12, Tls13 };

std::string_view to_string(Strength s);  ///< null, anon, export, low, rc4, 3des, cbc, aead
/// null, anon, export, low (<128 bits), rc4 and 3des are weak; cbc and aead are not.
bool is_weak(Strength s);

struct CipherSuite {
  uint16_t code;
  std::string_view iana;
  std::string_view openssl;
  Kx kx;
  std::string_view auth;  ///< RSA, DSS, ECDSA, DH, ECDH, PSK, SRP, KRB5, GOST01, none, any
  std::string_view enc;   ///< AES, AESGCM, AESCCM, AESCCM8, ChaCha20, Camellia, ARIA, SEED, IDEA, RC4, RC2, DES, 3DES, None ...
  /// Effective symmetric security in bits, not the nominal key length: 3DES (168-bit key) is 112
  /// (meet-in-the-middle; NIST SP 800-57, OpenSSL's strength bits). Elsewhere the two agree.
  int bits;
  std::string_view mac;   ///< MD5, SHA1, SHA256, SHA384, AEAD ...
  bool forward_secrecy;   ///< ephemeral key exchange (DHE, ECDHE, anonymous DH, TLS 1.3)
  Strength strength;
  MinVersion min_version;
};

/// Every TLS/SSLv3 suite we know (generated table, sorted by code point).
std::span<const CipherSuite> cipher_suites();
const CipherSuite* find_suite(uint16_t code);
const CipherSuite* find_suite_by_openssl_name(std::string_view name);
const CipherSuite* find_suite_by_iana_name(std::string_view name);
/// The suites a client may offer in a hello of version `v` (TLS 1.3 suites only for TLS 1.3),
/// in a client's preference order: ECDHE, DHE, RSA, the rest; then strongest class, more bits.
std::vector<uint16_t> suites_for(Version v);

/// Signalling values, never negotiated.
inline constexpr uint16_t kRenegotiationScsv = 0x00FF;
inline constexpr uint16_t kFallbackScsv = 0x5600;

/// The SSLv2 cipher kinds (3-byte codes).
struct Ssl2Cipher {
  uint32_t code;
  std::string_view name;     ///< SSL_CK_RC4_128_WITH_MD5 ...
  std::string_view openssl;  ///< RC4-MD5 ...
  int bits;
  Strength strength;
};
std::span<const Ssl2Cipher> ssl2_ciphers();
const Ssl2Cipher* find_ssl2_cipher(uint32_t code);

/// Named groups (supported_groups / key_share code points).
struct NamedGroup {
  uint16_t code;
  std::string_view name;  ///< x25519, secp256r1, ffdhe2048 ...
  int bits;               ///< security-relevant size: curve order bits, or the DH prime size
  bool finite_field;      ///< ffdhe*
};
std::span<const NamedGroup> named_groups();
const NamedGroup* find_group(uint16_t code);
/// Groups we offer, in our preference order (x25519 first: the only share we can make up).
std::vector<uint16_t> groups_to_offer();

}  // namespace pp::tls
