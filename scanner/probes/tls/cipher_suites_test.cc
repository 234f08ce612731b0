#include "probes/tls/cipher_suites.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace pp::tls;

TEST_CASE("cipher table is sorted, unique and large enough to enumerate") {
  auto all = cipher_suites();
  REQUIRE(all.size() > 300);
  std::set<std::string> names;
  for (size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].code < all[i].code);
  for (const auto& s : all) {
    CHECK(names.insert(std::string(s.iana)).second);
    CHECK(find_suite(s.code) == &s);
  }
  CHECK(find_suite(0x0000) == nullptr);
  CHECK(find_suite(kFallbackScsv) == nullptr);
}

TEST_CASE("well-known suites carry the right attributes") {
  const CipherSuite* s = find_suite(0xC030);
  REQUIRE(s);
  CHECK(s->iana == "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
  CHECK(s->openssl == "ECDHE-RSA-AES256-GCM-SHA384");
  CHECK(s->kx == Kx::ECDHE);
  CHECK(s->strength == Strength::Aead);
  CHECK(s->forward_secrecy);
  CHECK(s->min_version == MinVersion::Tls12);

  struct Case { uint16_t code; Strength st; bool fs; int bits; };
  for (auto c : {Case{0x0005, Strength::Rc4, false, 128}, Case{0x000A, Strength::TripleDes, false, 112},
                 Case{0x0003, Strength::Export, false, 40}, Case{0x0009, Strength::Low, false, 56},
                 Case{0x0002, Strength::Null, false, 0}, Case{0x0034, Strength::Anon, true, 128},
                 Case{0xC018, Strength::Anon, true, 128}, Case{0x002F, Strength::Cbc, false, 128},
                 Case{0x0033, Strength::Cbc, true, 128}, Case{0x1303, Strength::Aead, true, 256},
                 Case{0x0096, Strength::Cbc, false, 128} /* SEED */, Case{0xC044, Strength::Cbc, true, 128} /* ARIA */, Case{0xC05C, Strength::Aead, true, 128}}) {
    const CipherSuite* x = find_suite(c.code);
    INFO(c.code);
    REQUIRE(x);
    CHECK(x->strength == c.st);
    CHECK(x->forward_secrecy == c.fs);
    CHECK(x->bits == c.bits);
  }
  CHECK(find_suite_by_openssl_name("DES-CBC3-SHA")->code == 0x000A);
  CHECK(find_suite_by_iana_name("TLS_CHACHA20_POLY1305_SHA256")->code == 0x1303);
  CHECK(is_weak(Strength::TripleDes));
  CHECK_FALSE(is_weak(Strength::Cbc));
}

TEST_CASE("bits are effective security bits: 3DES is 112, everything else its key length") {
  // A rule asking for 128 bits must fail 3DES (168-bit key, 112 bits against meet-in-the-middle)
  // while keeping 3DES in its own class (not "low", which means a key below 128 bits).
  int tdes = 0;
  for (const auto& s : cipher_suites()) {
    INFO(s.iana);
    if (s.enc == "3DES") {
      ++tdes;
      CHECK(s.bits == 112);
      CHECK((s.strength == Strength::TripleDes || s.strength == Strength::Anon));
    } else if (s.enc == "DES") {
      CHECK((s.bits == 56 || s.bits == 40));
    } else if (s.enc == "None") {
      CHECK(s.bits == 0);
    } else if (s.strength != Strength::Export && s.strength != Strength::Low &&
               s.iana.find("EXPORT") == std::string_view::npos) {  // anonymous export suites
      CHECK(s.bits >= 128);  // RC4, IDEA, SEED, Camellia, ARIA, AES, ChaCha20, GOST
    }
  }
  CHECK(tdes >= 20);
  CHECK(find_ssl2_cipher(0x0700C0)->bits == 112);
  CHECK(find_ssl2_cipher(0x060040)->bits == 56);
  CHECK(find_ssl2_cipher(0x020080)->bits == 40);
}

TEST_CASE("suites per version respect the lowest version of each suite") {
  auto v13 = suites_for(Version::Tls13);
  CHECK(v13.size() == 5);
  auto v12 = suites_for(Version::Tls12), v10 = suites_for(Version::Tls10), v3 = suites_for(Version::Ssl3);
  CHECK(v12.size() > v10.size());
  CHECK(v10.size() >= v3.size());
  for (auto c : v10) CHECK(find_suite(c)->min_version != MinVersion::Tls12);
  for (auto c : v12) CHECK(find_suite(c)->min_version != MinVersion::Tls13);
  // Keep hellos sane: well under the 2^14 record limit.
  CHECK(v12.size() * 2 < 1024);
}

TEST_CASE("SSLv2 kinds and named groups") {
  CHECK(ssl2_ciphers().size() >= 7);
  CHECK(find_ssl2_cipher(0x0700C0)->strength == Strength::TripleDes);
  CHECK(find_ssl2_cipher(0x020080)->strength == Strength::Export);
  CHECK(find_group(0x001D)->name == "x25519");
  CHECK(find_group(0x0100)->finite_field);
  CHECK(groups_to_offer().front() == 0x001D);
  for (auto g : groups_to_offer()) CHECK(find_group(g) != nullptr);
  CHECK(version_name(Version::Tls10) == "TLSv1.0");
  CHECK(version_key(Version::Tls13) == "tls13");
}
