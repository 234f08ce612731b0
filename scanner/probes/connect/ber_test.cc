#include "probes/connect/ber.h"

#include <catch2/catch.hpp>

using namespace pp::connect;

TEST_CASE("ber: integers in minimal two's complement") {
  CHECK(ber::integer(0) == std::string("\x02\x01\x00", 3));
  CHECK(ber::integer(127) == "\x02\x01\x7f");
  CHECK(ber::integer(128) == std::string("\x02\x02\x00\x80", 4));
  CHECK(ber::integer(-1) == "\x02\x01\xff");
  CHECK(ber::integer(256) == std::string("\x02\x02\x01\x00", 4));
  int64_t v = 0;
  REQUIRE(ber::decode_integer(std::string("\x00\x80", 2), v));
  CHECK(v == 128);
  REQUIRE(ber::decode_integer("\xff", v));
  CHECK(v == -1);
  CHECK_FALSE(ber::decode_integer("", v));
}

TEST_CASE("ber: long-form lengths round-trip") {
  std::string big(300, 'x');
  std::string enc = ber::octets(big);
  CHECK(enc.substr(0, 4) == std::string("\x04\x82\x01\x2c", 4));
  ber::Decoder d(enc);
  ber::Element e;
  std::string err;
  REQUIRE(d.next(e, err));
  CHECK(e.tag == ber::kOctetString);
  CHECK(e.content == big);
  CHECK(d.done());
}

TEST_CASE("ber: malformed input is refused, never over-read") {
  std::string err;
  ber::Element e;
  {
    const std::string bytes = std::string("\x04\x05\x61", 3);
    ber::Decoder d(bytes);  // claims 5 bytes, has 1
    CHECK_FALSE(d.next(e, err));
    CHECK(err.find("overruns") != std::string::npos);
  }
  {
    const std::string bytes = std::string("\x30\x80\x00\x00", 4);
    ber::Decoder d(bytes);  // indefinite length
    CHECK_FALSE(d.next(e, err));
  }
  {
    const std::string bytes = std::string("\x1f\x81\x01\x00", 4);
    ber::Decoder d(bytes);  // multi-byte tag
    CHECK_FALSE(d.next(e, err));
  }
  {
    const std::string bytes = std::string("\x04\x85\x01\x02\x03\x04\x05", 7);
    ber::Decoder d(bytes);  // 5 length octets
    CHECK_FALSE(d.next(e, err));
  }
  {
    const std::string bytes = std::string("\x02\x01\x05", 3);
    ber::Decoder d(bytes);
    CHECK_FALSE(d.expect(ber::kOctetString, e, err));
    CHECK(err == "BER: tag 0x04 expected, got 0x02");
  }
}
