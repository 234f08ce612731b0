#include "core/subject_element.h"

#include <catch2/catch.hpp>

using namespace pp;

TEST_CASE("an element subject is the base id, '#', and the element") {
  CHECK(element_subject_id("mail.example.com:443/owa", "CVE-2021-34473") == "mail.example.com:443/owa#CVE-2021-34473");
  CHECK(element_subject_id("https://h:443#cert", "h.example") == "https://h:443#cert#h.example");
}

TEST_CASE("'#' and '%' in an element are encoded, so the element follows the last '#'") {
  const std::string id = element_subject_id("h:443/owa", "a#b%23c");
  CHECK(id == "h:443/owa#a%23b%2523c");
  auto s = split_element_subject(id);
  REQUIRE(s);
  CHECK(s->base == "h:443/owa");
  CHECK(s->element == "a#b%23c");
}

TEST_CASE("splitting a certificate's element keeps the certificate as the base") {
  auto s = split_element_subject("https://h:443#cert#h.example");
  REQUIRE(s);
  CHECK(s->base == "https://h:443#cert");
  CHECK(s->element == "h.example");
  CHECK_FALSE(split_element_subject("h:443/owa"));
}
