// Rule cases as data: every tests/rules/cases/*.toml holds [[case]] entries, each with facts in,
// a rule (shipped id or inline text), an optional profile and the expected status. This one
// runner reads them all and also checks that every shipped rule has a pass and a fail case.
#include <catch2/catch.hpp>

#include <toml++/toml.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "policy/evaluate.h"
#include "policy/library.h"
#include "test_support.h"

using namespace pp;
using namespace pp::policy;

namespace {

SubjectKind kind_of(const std::string& s) {
  if (s == "certificate") return SubjectKind::Certificate;
  if (s == "vdir") return SubjectKind::Vdir;
  return SubjectKind::Endpoint;
}

/// A case's `elements` (a rule judged per element, `each`): results[1..] in order, each on
/// `<subject>#<element>` with its status and message. Returns the statuses seen.
std::set<std::string> check_elements(const toml::array& elements, const std::vector<Result>& results) {
  std::set<std::string> statuses;
  for (size_t i = 0; i < elements.size(); ++i) {
    const toml::table* e = elements[i].as_table();
    REQUIRE(e);
    const Result& r = results[i + 1];
    INFO("element " << i << ": " << r.subject << ": " << r.message);
    CHECK(r.subject == results[0].subject + "#" + (*e)["element"].value_or(std::string{}));
    const std::string expect = (*e)["expect"].value_or(std::string{});
    CHECK(std::string(to_string(r.status)) == expect);
    if (auto m = (*e)["message_contains"].value<std::string>()) CHECK(r.message.find(*m) != std::string::npos);
    if (auto m = (*e)["message"].value<std::string>()) CHECK(r.message == *m);
    CHECK(r.message.find("${") == std::string::npos);
    statuses.insert(expect);
  }
  return statuses;
}

struct CaseOutcome {
  std::string rule;
  std::string status;
};

}  // namespace

TEST_CASE("rule cases as data") {
  namespace fs = std::filesystem;
  const auto shipped = shipped_sources();
  Library lib;
  REQUIRE(load_library(pp::testing::catalogue(), shipped, {}, lib).empty());
  std::vector<std::string> files;
  for (auto& e : fs::directory_iterator(source_dir() + "/tests/rules/cases"))
    if (e.path().extension() == ".toml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(!files.empty());
  std::map<std::string, std::set<std::string>> covered;
  // A rule the default profile disables (an optional one) is covered by cases through the
  // profile that turns it on.
  std::vector<Rule> by_default;
  REQUIRE(select_rules(lib, {}, by_default).empty());
  std::set<std::string> in_default;
  for (const auto& r : by_default) in_default.insert(r.id);
  size_t n_cases = 0;
  for (const auto& file : files) {
    toml::table doc;
    REQUIRE_NOTHROW(doc = toml::parse_file(file));
    const toml::array* cases = doc["case"].as_array();
    REQUIRE(cases);
    for (auto& c_node : *cases) {
      const toml::table& c = *c_node.as_table();
      const std::string name = c["name"].value_or(std::string("?"));
      INFO(file << ": case '" << name << "'");
      for (auto&& [k, v] : c) {
        INFO("key " << k.str());
        static const std::set<std::string> keys = {"name", "rule", "rule_text", "profile", "subject", "facts",
                                                   "absent", "unknown", "expect", "message_contains", "message",
                                                   "elements"};
        CHECK(keys.count(std::string(k.str())) == 1);
      }
      ++n_cases;
      // The rule: shipped (optionally through a profile) or inline.
      std::vector<Rule> rules;
      Library local = lib;
      if (auto text = c["rule_text"].value<std::string>()) {
        SourceFile inline_pack{file + "#" + name,
                               "schema = 1\n[pack]\nid = \"inline\"\ntitle = \"inline case\"\n" + *text};
        auto d = load_library(pp::testing::catalogue(), shipped, {inline_pack}, local);
        for (const auto& x : d) UNSCOPED_INFO(x.format());
        REQUIRE(d.empty());
      }
      std::vector<std::string> profiles;
      if (auto p = c["profile"].value<std::string>()) profiles.push_back(*p);
      std::vector<Rule> selected;
      REQUIRE(select_rules(local, profiles, selected).empty());
      const std::string rule_id = c["rule"].value_or(std::string{});
      for (const auto& r : selected)
        if (r.id == rule_id) rules.push_back(r);
      REQUIRE(rules.size() == 1);
      // The subject.
      SubjectFacts sf;
      Subject& s = sf.subject;
      s.kind = rules[0].kind;
      s.target = "case";
      s.host = "h.example.test";
      s.scheme = s.kind == SubjectKind::Vdir ? "" : "https";
      s.port = 443;
      if (s.kind == SubjectKind::Vdir) {
        s.plain_port = 80;
        s.path = "/owa";
      }
      if (auto* st = c["subject"].as_table()) {
        for (auto&& [k, v] : *st) {
          const std::string key(k.str());
          if (key == "kind") s.kind = kind_of(v.value_or(std::string{}));
          else if (key == "scheme") s.scheme = v.value_or(std::string{});
          else if (key == "port") s.port = static_cast<uint16_t>(v.value_or(int64_t{0}));
          else if (key == "plain_port") s.plain_port = static_cast<uint16_t>(v.value_or(int64_t{0}));
          else if (key == "path") s.path = v.value_or(std::string{});
          else if (key == "tags")
            for (auto&& [tk, tv] : *v.as_table()) s.tags[std::string(tk.str())] = tv.value_or(std::string{});
          else FAIL("unknown subject key " << key);
        }
      }
      if (auto* ft = c["facts"].as_table())
        for (auto&& [k, v] : *ft) sf.facts.put(Fact::known(std::string(k.str()), to_value(v), "case evidence"));
      if (auto* at = c["absent"].as_array())
        for (auto& e : *at) sf.facts.put(Fact::absent(e.value_or(std::string{}), "not there in this case"));
      if (auto* ut = c["unknown"].as_table())
        for (auto&& [k, v] : *ut) sf.facts.put(Fact::unknown(std::string(k.str()), v.value_or(std::string{})));
      auto results = evaluate(rules, {sf}, {}, Date{2025, 1, 1});
      const std::string expect = c["expect"].value_or(std::string{});
      if (expect == "none") {
        CHECK(results.empty());
        continue;
      }
      const toml::array* elements = c["elements"].as_array();
      REQUIRE(results.size() == 1 + (elements ? elements->size() : 0));
      std::set<std::string> element_statuses;
      if (elements) element_statuses = check_elements(*elements, results);
      INFO("message: " << results[0].message);
      CHECK(std::string(to_string(results[0].status)) == expect);
      if (auto m = c["message_contains"].value<std::string>()) CHECK(results[0].message.find(*m) != std::string::npos);
      if (auto m = c["message"].value<std::string>()) CHECK(results[0].message == *m);
      // Whatever the rule, parameters are said by value: no "${name}" reaches a user.
      CHECK(results[0].message.find("${") == std::string::npos);
      CHECK(results[0].assertion.find("${") == std::string::npos);
      if (std::getenv("PP_PRINT_MESSAGES") && results[0].status == Status::Fail)
        std::printf("%s\t%s\t%s\n", rule_id.c_str(), name.c_str(), results[0].message.c_str());
      if (!c["rule_text"] && (!c["profile"] || !in_default.count(rule_id))) {
        covered[rule_id].insert(expect);
        covered[rule_id].insert(element_statuses.begin(), element_statuses.end());
      }
    }
  }
  CHECK(n_cases > 40);
  for (const Rule* r : lib.all_rules()) {
    INFO("shipped rule " << r->id << " needs a pass and a fail case in tests/rules/cases");
    CHECK(covered[r->id].count("pass") == 1);
    CHECK(covered[r->id].count("fail") == 1);
  }
}
