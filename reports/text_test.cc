#include <catch2/catch.hpp>

#include "reports/text.h"

using namespace pp::reports;

namespace {
size_t bad_bytes(std::string_view s) {
  size_t n = 0;
  walk_utf8(s, [](char32_t, std::string_view) {}, [&](unsigned char) { ++n; });
  return n;
}
}  // namespace

TEST_CASE("walk_utf8 is strict") {
  REQUIRE(bad_bytes("caf\xc3\xa9 \xf0\x9f\x94\x92") == 0);
  REQUIRE(bad_bytes("\xc0\x80") == 2);          // overlong NUL
  REQUIRE(bad_bytes("\xed\xa0\x80") == 3);      // UTF-16 surrogate
  REQUIRE(bad_bytes("\xf4\x90\x80\x80") == 4);  // above U+10FFFF
  REQUIRE(bad_bytes("\xe2\x82") == 2);          // truncated
  REQUIRE(bad_bytes("\xff") == 1);
}

TEST_CASE("valid_utf8 replaces only bad bytes") {
  REQUIRE(valid_utf8("a\xff" "b") == "a\xef\xbf\xbd" "b");
  REQUIRE(valid_utf8(std::string("a\0b", 3)) == std::string("a\0b", 3));
}

TEST_CASE("xml_safe removes what XML 1.0 forbids and keeps the rest visible") {
  REQUIRE(xml_safe(std::string("a\0b", 3)) == "a\\x00b");
  REQUIRE(xml_safe("\x01\x1b[31m") == "\\x01\\x1b[31m");
  REQUIRE(xml_safe("tab\there\r\n") == "tab\there\r\n");
  REQUIRE(xml_safe("\xef\xbf\xbf") == "\\u{FFFF}");
  REQUIRE(xml_safe("x\xc3\x28") == "x\xef\xbf\xbd(");
  REQUIRE(xml_safe("<a>&]]>") == "<a>&]]>");  // markup is escaped by the XML writer
}

TEST_CASE("html_escape escapes markup and quotes") {
  REQUIRE(html_escape("<script>alert('x') & \"y\"</script>") ==
          "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
}

TEST_CASE("terminal_safe lets no control sequence through") {
  const std::string out = terminal_safe("a\x1b[2Jb\x9b\r\nc\xc2\x9b" "d\x7f");
  REQUIRE(out.find('\x1b') == std::string::npos);
  REQUIRE(out.find('\n') == std::string::npos);
  REQUIRE(out.find('\x7f') == std::string::npos);
  REQUIRE(out.find("\xc2\x9b") == std::string::npos);  // C1 CSI
  REQUIRE(out == "a\\x1b[2Jb\xef\xbf\xbd\\r\\nc\\u{9b}d\\x7f");
  REQUIRE(terminal_safe("x\xe2\x80\xae" "y\xe2\x80\xa8") == "x\\u{202e}y\\u{2028}");
}

TEST_CASE("fnv1a_hex matches the reference values") {
  REQUIRE(fnv1a_hex("") == "cbf29ce484222325");
  REQUIRE(fnv1a_hex("a") == "af63dc4c8601ec8c");
}
