// Bad rule files as data: each tests/rules/bad/*.toml lists the diagnostics it must produce in
// "# expect: LINE:COLUMN: text" comments. The linter must report exactly those (position
// exact, message containing the text) and nothing else: all errors of a file, not the first.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "policy/lint.h"
#include "test_support.h"

using namespace pp::policy;

TEST_CASE("bad rule files give exactly the expected positioned diagnostics") {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (auto& e : fs::directory_iterator(source_dir() + "/tests/rules/bad"))
    if (e.path().extension() == ".toml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 8);
  const auto shipped = shipped_sources();
  for (const auto& file : files) {
    INFO(file);
    std::ifstream in(file);
    std::string line;
    struct Want {
      int line, column;
      std::string text;
    };
    std::vector<Want> want;
    while (std::getline(in, line)) {
      const std::string tag = "# expect: ";
      if (line.rfind(tag, 0) != 0) continue;
      std::istringstream ss(line.substr(tag.size()));
      Want w{};
      char colon;
      ss >> w.line >> colon >> w.column >> colon;
      std::getline(ss, w.text);
      w.text.erase(0, w.text.find_first_not_of(' '));
      want.push_back(w);
    }
    REQUIRE(!want.empty());
    auto diags = lint_path(pp::testing::catalogue(), file, shipped);
    std::string got;
    for (const auto& d : diags) got += d.format() + "\n";
    INFO("diagnostics:\n" << got);
    CHECK(diags.size() == want.size());
    for (const auto& w : want) {
      bool hit = false;
      for (const auto& d : diags)
        hit = hit || (d.file == file && d.line == w.line && d.column == w.column && d.message.find(w.text) != std::string::npos);
      INFO("expected " << w.line << ":" << w.column << ": " << w.text);
      CHECK(hit);
    }
  }
}
