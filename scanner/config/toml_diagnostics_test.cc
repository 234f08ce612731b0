#include "config/toml_diagnostics.h"

#include <catch2/catch.hpp>

using namespace pp;
using namespace pp::config;

namespace {
struct Fixture {
  Diagnostics diags;
  Reporter rep{"f.toml", &diags};
  std::optional<toml::table> parse(const std::string& text) { return parse_toml(text, "f.toml", rep); }
  std::string first() const { return diags.empty() ? "" : diags.front().format(); }
};
}  // namespace

TEST_CASE("a syntax error is reported with file, line and column") {
  Fixture f;
  REQUIRE_FALSE(f.parse("a = 1\nb = = 2\n"));
  REQUIRE(f.diags.size() == 1);
  CHECK(f.diags[0].file == "f.toml");
  CHECK(f.diags[0].line == 2);
  CHECK(f.diags[0].column > 0);
}

TEST_CASE("unknown keys are reported at the key with what was expected") {
  Fixture f;
  auto t = f.parse("name = 'x'\n\n  titel = 'y'\n");
  REQUIRE(t);
  check_keys(*t, {"name", "title"}, "rule", f.rep);
  REQUIRE(f.diags.size() == 1);
  CHECK(f.first() == "f.toml:3:3: error: unknown key 'titel' in rule (expected one of: name, title)");
}

TEST_CASE("wrong types name what was found") {
  Fixture f;
  auto t = f.parse("name = 3\nlist = ['a', 2, true]\none = 'x'\n");
  REQUIRE(t);
  CHECK_FALSE(get_string(*t, "name", true, "rule", f.rep));
  CHECK(f.first() == "f.toml:1:8: error: 'name' must be a string, not an integer");
  f.diags.clear();
  CHECK_FALSE(get_string_list(*t->get("list"), "list", false, f.rep));
  REQUIRE(f.diags.size() == 2);  // every bad entry, each at its own column
  CHECK(f.diags[0].format() == "f.toml:2:14: error: 'list' entries must be strings, not an integer");
  CHECK(f.diags[1].column == 17);
  f.diags.clear();
  CHECK_FALSE(get_string_list(*t->get("one"), "one", false, f.rep));
  CHECK(f.first() == "f.toml:3:7: error: 'one' must be a list of strings, not a string");
  f.diags.clear();
  auto single = get_string_list(*t->get("one"), "one", true, f.rep);
  REQUIRE(single);
  CHECK(*single == std::vector<std::string>{"x"});
  CHECK(f.diags.empty());
}

TEST_CASE("a missing required key is reported at its table; an optional one is not") {
  Fixture f;
  auto t = f.parse("[rule]\nid = 'A'\n");
  REQUIRE(t);
  const toml::table& rule = *t->get("rule")->as_table();
  CHECK_FALSE(get_string(rule, "title", false, "rule", f.rep));
  CHECK(f.diags.empty());
  CHECK_FALSE(get_string(rule, "title", true, "rule", f.rep));
  REQUIRE(f.diags.size() == 1);
  CHECK(f.diags[0].message == "rule is missing required key 'title'");
  CHECK(f.diags[0].line == 1);
  auto id = get_string(rule, "id", true, "rule", f.rep);
  REQUIRE(id);
  CHECK(*id == "A");
}

TEST_CASE("at_start points at the file's first line") {
  Fixture f;
  f.rep.at_start("no [[target]] entries");
  CHECK(f.first() == "f.toml:1:1: error: no [[target]] entries");
}
