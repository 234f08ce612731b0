#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "probes/net/host_limiter.h"
#include "probes/net/transport.h"

using namespace pp::net;
using namespace std::chrono_literals;

TEST_CASE("scripted transport replays and records") {
  ScriptedTransport t;
  t.reply("220 hello\r\n").reply("250 ok\r\n").reset_after();
  std::string got;
  REQUIRE_FALSE(t.write_all("EHLO x\r\n", 1s));
  REQUIRE_FALSE(read_exactly(t, got, 11, 1s));
  REQUIRE(got == "220 hello\r\n");
  got.clear();
  REQUIRE_FALSE(t.read_some(got, 100, 1s));
  REQUIRE(got == "250 ok\r\n");
  REQUIRE(t.read_some(got, 100, 1s).kind == NetErrorKind::Reset);
  REQUIRE(t.written() == "EHLO x\r\n");
}

TEST_CASE("scripted stall reports a timeout, not data") {
  ScriptedTransport t;
  t.stall_after();
  std::string got;
  auto err = t.read_some(got, 10, 2s);
  REQUIRE(err.kind == NetErrorKind::Timeout);
  REQUIRE(got.empty());
}

TEST_CASE("tcp connect to a closed port is refused, not a pass") {
  NetError err;
  // Port 1 on loopback: nothing listens there in a sandbox.
  auto t = TcpTransport::connect("127.0.0.1", 1, 2s, err);
  REQUIRE(t == nullptr);
  REQUIRE(err.kind == NetErrorKind::Refused);
}

TEST_CASE("unresolvable names fail with resolve") {
  NetError err;
  auto t = TcpTransport::connect("no-such-host.invalid", 443, 2s, err);
  REQUIRE(t == nullptr);
  REQUIRE(err.kind == NetErrorKind::Resolve);
}

TEST_CASE("host limiter holds the per-host cap across threads") {
  HostLimiter limiter(2, 16);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      HostLimiter::Slot slot(limiter, "a.example");
      std::this_thread::sleep_for(5ms);
    });
  for (auto& t : threads) t.join();
  REQUIRE(limiter.peak("a.example") == 2);
}
