#include "probes/ntlm/base64.h"

#include <catch2/catch.hpp>

using pp::ntlm::base64_decode;
using pp::ntlm::base64_encode;

TEST_CASE("base64: RFC 4648 test vectors both ways") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, coded] : vectors) {
    CHECK(base64_encode(plain) == coded);
    REQUIRE(base64_decode(coded).has_value());
    CHECK(*base64_decode(coded) == plain);
  }
}

TEST_CASE("base64: binary bytes round-trip") {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  CHECK(base64_decode(base64_encode(all)) == all);
}

TEST_CASE("base64: what is not base64 is refused") {
  CHECK_FALSE(base64_decode("Zm9").has_value());        // not a multiple of four
  CHECK_FALSE(base64_decode("Zm9v YmFy").has_value());  // whitespace
  CHECK_FALSE(base64_decode("Zm=v").has_value());       // a character after padding
  CHECK_FALSE(base64_decode("=m9v").has_value());       // padding first
  CHECK_FALSE(base64_decode("Zm9v!A==").has_value());   // outside the alphabet
  CHECK_FALSE(base64_decode("Zg==Zg==").has_value());   // padding before the end
}
