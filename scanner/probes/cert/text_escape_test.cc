#include "probes/cert/text_escape.h"

#include <catch2/catch.hpp>

using pp::cert::escape_untrusted;
using namespace std::string_literals;

TEST_CASE("escape_untrusted keeps printable ASCII and valid UTF-8 verbatim") {
  CHECK(escape_untrusted("mail.example.com") == "mail.example.com");
  CHECK(escape_untrusted("<script>alert(1)</script>") == "<script>alert(1)</script>");
  CHECK(escape_untrusted("b\xc3\xbc" "cher.example") == "b\xc3\xbc" "cher.example");
  CHECK(escape_untrusted("\xf0\x9f\x94\x92") == "\xf0\x9f\x94\x92");
}

TEST_CASE("escape_untrusted escapes NUL, control characters and backslash") {
  CHECK(escape_untrusted("good.com\0.evil.com"s) == "good.com\\x00.evil.com");
  CHECK(escape_untrusted("a\r\nb\x1b[31m") == "a\\x0d\\x0ab\\x1b[31m");
  CHECK(escape_untrusted("a\x7f") == "a\\x7f");
  CHECK(escape_untrusted("a\\x00") == "a\\\\x00");  // a literal backslash cannot fake an escape
}

TEST_CASE("escape_untrusted escapes each byte of invalid UTF-8") {
  CHECK(escape_untrusted("\xff\xfe") == "\\xff\\xfe");
  CHECK(escape_untrusted("\xc3") == "\\xc3");                  // truncated sequence
  CHECK(escape_untrusted("\xc0\xaf") == "\\xc0\\xaf");         // overlong '/'
  CHECK(escape_untrusted("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // UTF-16 surrogate
  CHECK(escape_untrusted("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
}

TEST_CASE("escape_untrusted can leave already-escaped backslashes alone") {
  CHECK(escape_untrusted("CN=a\\,b\x01", false) == "CN=a\\,b\\x01");
}
