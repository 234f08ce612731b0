// The strict JSON reader: values with positions, one positioned error, hostile input.
#include <catch2/catch.hpp>

#include <string>

#include "sources/json_reader.h"

using namespace pp::sources;

TEST_CASE("json: values, members in order, positions of each value") {
  JsonValue v;
  REQUIRE(read_json("{\n  \"a\": [1, -2.5e3, true, null],\r\n  \"B\": \"x\\u00e9\\ud83d\\ude00\\n\"\n}", "f.json", v).empty());
  REQUIRE(v.is(JsonValue::Kind::Object));
  REQUIRE(v.members.size() == 2);
  const JsonValue* a = v.get("a");
  REQUIRE(a);
  CHECK(a->line == 2);
  CHECK(a->column == 8);
  REQUIRE(a->items.size() == 4);
  CHECK(a->items[1].text == "-2.5e3");
  CHECK(a->items[1].column == 12);
  CHECK(a->items[2].boolean);
  CHECK(a->items[3].is(JsonValue::Kind::Null));
  const JsonValue* b = v.get("b");  // case-insensitively, as PowerShell names properties
  REQUIRE(b);
  CHECK(b->text == "x\xC3\xA9\xF0\x9F\x98\x80\n");
  CHECK(b->line == 3);
  CHECK(v.get("c") == nullptr);
}

TEST_CASE("json: a byte order mark is skipped; UTF-16 as Windows PowerShell writes it is converted") {
  JsonValue v;
  REQUIRE(read_json("\xEF\xBB\xBF[\"a\"]", "bom.json", v).empty());
  CHECK(v.items.at(0).column == 2);
  const std::string utf16le("\xFF\xFE[\0\"\0\xE9\0\"\0]\0", 12);
  CHECK(to_utf8(utf16le) == "[\"\xC3\xA9\"]");
  const std::string utf16be("\xFE\xFF\0[\0]", 6);
  CHECK(to_utf8(utf16be) == "[]");
  CHECK(to_utf8("plain") == "plain");
}

TEST_CASE("json: malformed input is one positioned error; the value is left as it was") {
  JsonValue v;
  v.text = "kept";
  CHECK(read_json("{\"a\": 1,}", "t.json", v) == "t.json:1:9: malformed JSON: expected a member name in quotes");
  CHECK(v.text == "kept");
  CHECK(read_json("[1 2]", "t.json", v) == "t.json:1:4: malformed JSON: expected ',' or ']' in an array");
  CHECK(read_json("{\"a\":1,\n\"a\":2}", "t.json", v).find("t.json:2:1: malformed JSON: duplicate member name") == 0);
  CHECK(read_json("[01]", "t.json", v).find("t.json:1:3:") == 0);
  CHECK(read_json("[\"a\tb\"]", "t.json", v).find("control character") != std::string::npos);
  CHECK(read_json("[\"\\x\"]", "t.json", v).find("unknown escape") != std::string::npos);
  CHECK(read_json("// c\n[]", "t.json", v).find("t.json:1:1:") == 0);
  CHECK(read_json("[] []", "t.json", v).find("after the JSON value") != std::string::npos);
  CHECK(read_json("", "t.json", v).find("t.json:1:1: malformed JSON: unexpected end") == 0);
  CHECK(read_json("[\"open", "t.json", v).find("not closed") != std::string::npos);
  CHECK(read_json("[1.]", "t.json", v).find("no digit after") != std::string::npos);
  CHECK(read_json("[tru]", "t.json", v).find("t.json:1:2:") == 0);
}

TEST_CASE("json: nesting deeper than the limit is an error, not a stack overflow") {
  JsonValue v;
  std::string deep(10000, '[');
  CHECK(read_json(deep, "deep.json", v).find("nested deeper than") != std::string::npos);
  std::string ok(kMaxJsonDepth, '[');
  ok += std::string(kMaxJsonDepth, ']');
  CHECK(read_json(ok, "ok.json", v).empty());
}
