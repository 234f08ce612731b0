#include "probes/tls/groups.h"

#include <catch2/catch.hpp>

#include "probes/tls/note_hello.h"

using namespace pp;
using namespace pp::tls;

TEST_CASE("groups: a ServerKeyExchange curve and a TLS 1.3 group are noted once, unseen ones offered first") {
  Observation o;
  ServerHello h;
  h.version = Version::Tls12;
  h.suite = 0xC02F;
  ServerFlight f;
  f.hello = h;
  f.key_exchange = KeyExchange{false, 0, 0x0017};  // secp256r1
  VersionResult& vr = o.at(Version::Tls12);
  note_hello(o, vr, f);
  REQUIRE(vr.first_hello);
  CHECK(o.groups == std::vector<std::string>{"secp256r1"});
  CHECK(o.ecdh_bits == std::vector<int>{256});
  take_group(o, 0x001D);  // x25519
  take_group(o, 0x001D);
  CHECK(o.groups == std::vector<std::string>{"secp256r1", "x25519"});
  const auto unseen = unseen_groups(o);
  CHECK(std::find(unseen.begin(), unseen.end(), 0x0017) == unseen.end());
  const auto order = groups_unseen_first(o);
  CHECK(order.size() == groups_to_offer().size());
  CHECK(order.back() == 0x0017);  // seen ones last (in offer order: x25519 then secp256r1)
  CHECK(accepted_groups(o) == StringList{"x25519", "secp256r1"});
}

TEST_CASE("groups: the smallest DH group keeps its evidence; an unknown curve makes key exchange unknown") {
  Observation o;
  ServerHello h;
  h.version = Version::Tls12;
  h.suite = 0x009E;
  note_key_exchange(o, h, KeyExchange{true, 2048, 0});
  note_key_exchange(o, h, KeyExchange{true, 1024, 0});
  note_key_exchange(o, h, KeyExchange{true, 3072, 0});
  CHECK(o.min_dh_evidence.rfind("1024-bit DH group", 0) == 0);
  CHECK_FALSE(o.kex_unknown);
  note_key_exchange(o, h, KeyExchange{false, 0, 0xFF01});
  REQUIRE(o.kex_unknown);
  CHECK(o.kex_unknown->find("0xFF01") != std::string::npos);
}
