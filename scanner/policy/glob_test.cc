#include <catch2/catch.hpp>

#include "policy/glob.h"

using pp::policy::glob_match;

TEST_CASE("glob: star, question mark, case") {
  CHECK(glob_match("/autodiscover/*", "/autodiscover/autodiscover.xml", true));
  CHECK(glob_match("/autodiscover/*", "/AutoDiscover/x/y", true));
  CHECK_FALSE(glob_match("/autodiscover/*", "/AutoDiscover/x", false));
  CHECK_FALSE(glob_match("/autodiscover/*", "/autodiscover", true));
  CHECK(glob_match("TLS-00?", "TLS-001", false));
  CHECK_FALSE(glob_match("TLS-00?", "TLS-0010", false));
  CHECK(glob_match("*", "", false));
  CHECK(glob_match("a*b*c", "axxbyyc", false));
  CHECK_FALSE(glob_match("a*b*c", "axxbyy", false));
}
