#include "probes/connect/line_reader.h"

#include <catch2/catch.hpp>

using namespace pp;
using namespace pp::connect;
using net::NetErrorKind;
using net::ScriptedTransport;

namespace {
const net::Millis kT{1000};
bool smtp_last(const std::string& l) { return !(l.size() >= 4 && l[3] == '-'); }
}  // namespace

TEST_CASE("line reader: CRLF and bare LF lines, split across reads") {
  ScriptedTransport t;
  t.reply("220 a\r").reply("\nsecond\nthi").reply("rd\r\n");
  LineReader r(t);
  std::string l;
  REQUIRE_FALSE(r.read_line(l, kT));
  CHECK(l == "220 a");
  REQUIRE_FALSE(r.read_line(l, kT));
  CHECK(l == "second");
  REQUIRE_FALSE(r.read_line(l, kT));
  CHECK(l == "third");
  auto err = r.read_line(l, kT);
  CHECK(err.kind == NetErrorKind::Closed);
}

TEST_CASE("line reader: keeps bytes beyond the line pending, never hands them out early") {
  ScriptedTransport t;
  t.reply("220 go ahead\r\n\x16\x03\x01");
  LineReader r(t);
  std::string l;
  REQUIRE_FALSE(r.read_line(l, kT));
  CHECK(l == "220 go ahead");
  CHECK(r.pending() == "\x16\x03\x01");
}

TEST_CASE("line reader: a 10 MB line is refused without holding it") {
  ScriptedTransport t;
  t.reply(std::string(10 * 1024 * 1024, 'A') + "\r\n");
  LineReader r(t);
  std::string l;
  auto err = r.read_line(l, kT);
  CHECK(err.kind == NetErrorKind::TooLarge);
  CHECK(err.message == "line longer than 8192 bytes");
  CHECK(r.pending().size() < 8192 + 4096 + 2);
}

TEST_CASE("line reader: a long line with its terminator in the same read is refused too") {
  ScriptedTransport t;
  t.reply(std::string(9000, 'B') + "\n");
  LineReader r(t, ReaderLimits{8192, 1 << 20, 100});
  std::string l;
  // 9001 bytes come in chunks of 4096: the cap triggers before or at the newline
  CHECK(r.read_line(l, kT).kind == NetErrorKind::TooLarge);
}

TEST_CASE("line reader: a line of exactly the cap is accepted") {
  ScriptedTransport t;
  t.reply(std::string(8192, 'C') + "\r\n");
  LineReader r(t);
  std::string l;
  REQUIRE_FALSE(r.read_line(l, kT));
  CHECK(l.size() == 8192);
}

TEST_CASE("line reader: multi-line reply up to its last line") {
  ScriptedTransport t;
  t.reply("250-a\r\n250-b\r\n250 c\r\n250 next\r\n");
  LineReader r(t);
  std::vector<std::string> lines;
  REQUIRE_FALSE(r.read_reply(lines, smtp_last, kT));
  CHECK(lines == std::vector<std::string>{"250-a", "250-b", "250 c"});
  CHECK(r.pending() == "250 next\r\n");
}

TEST_CASE("line reader: endless multi-line reply is cut by the line cap") {
  ScriptedTransport t;
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "250-x\r\n";
  t.reply(many);
  LineReader r(t);
  std::vector<std::string> lines;
  auto err = r.read_reply(lines, smtp_last, kT);
  CHECK(err.kind == NetErrorKind::TooLarge);
  CHECK(err.message == "reply longer than 512 lines");
}

TEST_CASE("line reader: multi-line reply is cut by the byte cap") {
  ScriptedTransport t;
  std::string many;
  for (int i = 0; i < 100; ++i) many += "250-" + std::string(1000, 'y') + "\r\n";
  t.reply(many);
  LineReader r(t, ReaderLimits{8192, 32768, 512});
  std::vector<std::string> lines;
  auto err = r.read_reply(lines, smtp_last, kT);
  CHECK(err.kind == NetErrorKind::TooLarge);
  CHECK(err.message == "reply longer than 32768 bytes");
}

TEST_CASE("line reader: stall and early close become errors with reasons") {
  ScriptedTransport stall;
  stall.reply("220-half").stall_after();
  LineReader r(stall);
  std::string l;
  CHECK(r.read_line(l, net::Millis(50)).kind == NetErrorKind::Timeout);

  ScriptedTransport closed;
  closed.reply("220-half");
  LineReader r2(closed);
  auto err = r2.read_line(l, kT);
  CHECK(err.kind == NetErrorKind::Closed);
  CHECK(err.message.find("220-half") != std::string::npos);
}

TEST_CASE("line reader: read_bytes takes exactly n and refuses oversized runs") {
  ScriptedTransport t;
  t.reply("abc").reply("defgh");
  LineReader r(t);
  std::string out;
  REQUIRE_FALSE(r.read_bytes(out, 5, kT));
  CHECK(out == "abcde");
  CHECK(r.pending() == "fgh");  // read with the rest of its chunk, kept for the next call
  CHECK(r.read_bytes(out, 1 << 20, kT).kind == NetErrorKind::TooLarge);
}

TEST_CASE("printable escapes control bytes") {
  CHECK(printable(std::string("a\x01\xff", 3)) == "a\\x01\\xff");
  CHECK(printable("abcdef", 3) == "abc...");
}
