// Windows Server release names as inventories and the command line write them.
#include <catch2/catch.hpp>

#include "core/windows_server.h"

using namespace pp;

TEST_CASE("Windows Server releases: the usual spellings, nothing else") {
  WindowsServer w = WindowsServer::Unknown;
  CHECK(parse_windows_server("2016", w));
  CHECK(w == WindowsServer::S2016);
  CHECK(parse_windows_server("2012 R2", w));
  CHECK(w == WindowsServer::S2012R2);
  CHECK(parse_windows_server("Windows Server 2022", w));
  CHECK(w == WindowsServer::S2022);
  CHECK(parse_windows_server("ws2025", w));
  CHECK(to_string(w) == "Windows Server 2025");
  CHECK_FALSE(parse_windows_server("", w));
  CHECK_FALSE(parse_windows_server("2012", w));
  CHECK_FALSE(parse_windows_server("2016x", w));
  CHECK(w == WindowsServer::S2025);
}
