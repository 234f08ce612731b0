#include <catch2/catch.hpp>

#include "core/text.h"

using namespace pp::text;
using namespace std::string_literals;

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

TEST_CASE("append_utf8 encodes one to four bytes") {
  std::string out;
  for (uint32_t cp : {0x41u, 0xE9u, 0x20ACu, 0x1F600u}) append_utf8(out, cp);
  CHECK(out == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST_CASE("utf16_to_utf8 joins surrogate pairs and replaces lone ones") {
  // "Aé", U+1F600 as a pair, a lone high surrogate, "B", a lone low one.
  const std::string le = "A\0\xE9\0\x3D\xD8\x00\xDE\x3D\xD8" "B\0\x00\xDC"s;
  CHECK(utf16_to_utf8(le) == "A\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBD" "B\xEF\xBF\xBD");
  CHECK(utf16_to_utf8("\0A\0\xE9"s, true) == "A\xC3\xA9");
  CHECK(utf16_to_utf8("A\0B"s) == "A");  // the odd last byte is left out
  CHECK(utf16_to_utf8("\x3D\xD8"s) == "\xEF\xBF\xBD");  // a high surrogate at the end
}

TEST_CASE("trim_blanks drops spaces and tabs at the ends only") {
  CHECK(pp::text::trim_blanks(" \tAny \t") == "Any");
  CHECK(pp::text::trim_blanks("a b") == "a b");
  CHECK(pp::text::trim_blanks(" \t ").empty());
  CHECK(pp::text::trim_blanks("\r\nx\r") == "\r\nx\r");  // line ends are the caller's
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

TEST_CASE("fnv1a takes another basis for hashes that must keep their old values") {
  REQUIRE(fnv1a("") == kFnv1aBasis);
  REQUIRE(fnv1a("", 7) == 7);
  REQUIRE(fnv1a("a", 7) != fnv1a("a"));
}

TEST_CASE("printable keeps printable ASCII and valid UTF-8 verbatim") {
  CHECK(printable("mail.example.com") == "mail.example.com");
  CHECK(printable("<script>alert(1)</script>") == "<script>alert(1)</script>");
  CHECK(printable("b\xc3\xbc" "cher.example") == "b\xc3\xbc" "cher.example");
  CHECK(printable("\xf0\x9f\x94\x92") == "\xf0\x9f\x94\x92");
}

TEST_CASE("printable escapes NUL, control characters and backslash") {
  CHECK(printable("good.com\0.evil.com"s) == "good.com\\x00.evil.com");
  CHECK(printable("a\r\nb\x1b[31m") == "a\\x0d\\x0ab\\x1b[31m");
  CHECK(printable("a\x7f") == "a\\x7f");
  CHECK(printable("a\\x00") == "a\\\\x00");  // a literal backslash cannot fake an escape
}

TEST_CASE("printable escapes each byte of invalid UTF-8") {
  CHECK(printable("\xff\xfe") == "\\xff\\xfe");
  CHECK(printable("\xc3") == "\\xc3");                        // truncated sequence
  CHECK(printable("\xc0\xaf") == "\\xc0\\xaf");               // overlong '/'
  CHECK(printable("\xed\xa0\x80") == "\\xed\\xa0\\x80");     // UTF-16 surrogate
  CHECK(printable("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
}

TEST_CASE("printable can leave already-escaped backslashes alone") {
  CHECK(printable("CN=a\\,b\x01", {.escape_backslash = false}) == "CN=a\\,b\\x01");
}

TEST_CASE("printable in ASCII mode escapes every byte above 0x7e and cuts long input") {
  const Printable ascii{.keep_utf8 = false, .escape_backslash = false, .max_bytes = 200};
  CHECK(printable(std::string("a\x01\xff", 3), ascii) == "a\\x01\\xff");
  CHECK(printable("b\xc3\xbc", ascii) == "b\\xc3\\xbc");
  CHECK(printable("abcdef", {.keep_utf8 = false, .max_bytes = 3}) == "abc...");
  CHECK(printable("abc", {.max_bytes = 3}) == "abc");
}

TEST_CASE("percent_encode keeps letters, digits and the bytes asked for") {
  CHECK(percent_encode("a-b c/d", "-") == "a-b%20c%2Fd");
  CHECK(percent_encode("\xff[::1]", ":") == "%FF%5B::1%5D");
  CHECK(percent_encode("", "") == "");
}

TEST_CASE("case helpers are ASCII only") {
  CHECK(iequals("Content-Type", "content-TYPE"));
  CHECK_FALSE(iequals("abc", "abcd"));
  CHECK_FALSE(iequals("a", "b"));
  CHECK_FALSE(iequals("\xc3\x84", "\xc3\xa4"));  // no locale folding of UTF-8
  CHECK(to_lower("MiXeD-09") == "mixed-09");
  CHECK(to_upper("auth=plain login") == "AUTH=PLAIN LOGIN");
  CHECK(ascii_lower('Z') == 'z');
  CHECK(ascii_lower('@') == '@');
}

TEST_CASE("join puts the separator only between parts") {
  CHECK(join({}, ", ").empty());
  CHECK(join({"a"}, ", ") == "a");
  CHECK(join({"a", "", "b"}, "; ") == "a; ; b");
}

TEST_CASE("hex helpers") {
  CHECK(hex(std::string("\x0a\xff\x00", 3)) == "0aff00");
  CHECK(hex("").empty());
  CHECK(hex_byte(0x2a) == "2a");
  CHECK(hex16(0x13) == "0x0013");
  CHECK(hex16(0xc02f) == "0xC02F");
  CHECK(hex16(0x1c02f) == "0xC02F");
}
