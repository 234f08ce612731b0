#include "core/interned.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

using pp::Interned;

TEST_CASE("interned texts compare as the strings they hold") {
  const Interned a = std::string("tls.protocols");
  const Interned b = "tls.protocols";
  const Interned c = std::string_view("tls.suites");
  CHECK(a == b);
  CHECK(a.c_str() == b.c_str());  // one copy of the text
  CHECK_FALSE(a == c);
  CHECK(a < c);
  CHECK(a == "tls.protocols");
  CHECK(a == std::string("tls.protocols"));
  CHECK(std::string_view("tls.protocols") == a);
  CHECK(a + "!" == "tls.protocols!");
  CHECK(a.starts_with("tls."));
  CHECK(a.find('.') == 3);
  CHECK(a.substr(4) == "protocols");
  std::ostringstream os;
  os << c;
  CHECK(os.str() == "tls.suites");
}

TEST_CASE("the empty text is the default and is not pooled") {
  const Interned e;
  CHECK(e.empty());
  CHECK(e == Interned(""));
  CHECK(e == std::string());
  CHECK_FALSE(e == Interned("x"));
}

TEST_CASE("threads interning the same texts at once get the same copies") {
  std::vector<std::vector<const char*>> seen(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t)
    threads.emplace_back([&seen, t] {
      for (int i = 0; i < 2000; ++i) seen[t].push_back(Interned("reason " + std::to_string(i % 100)).c_str());
    });
  for (auto& th : threads) th.join();
  for (size_t t = 1; t < seen.size(); ++t) CHECK(seen[t] == seen[0]);
  std::set<const char*> distinct(seen[0].begin(), seen[0].end());
  CHECK(distinct.size() == 100);
}
