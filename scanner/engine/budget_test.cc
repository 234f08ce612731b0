#include "engine/budget.h"

#include <catch2/catch.hpp>

using namespace pp;
using namespace pp::engine;
using net::NetError;
using net::NetErrorKind;

TEST_CASE("budget: a refused port is tried once; later attempts fail at once with the same reason") {
  int attempts = 0;
  EndpointGuard guard(
      [&](NetError& err) -> std::unique_ptr<net::Transport> {
        ++attempts;
        err = NetError::make(NetErrorKind::Refused, "connection refused");
        return nullptr;
      },
      EndpointBudget{});
  auto c = guard.connector();
  for (int i = 0; i < 5; ++i) {
    NetError err;
    CHECK_FALSE(c(err));
    CHECK(err.message == "connection refused");
  }
  CHECK(attempts == 1);
  CHECK(guard.unreachable().kind == NetErrorKind::Refused);
}

TEST_CASE("budget: the connection budget ends further connections with a reason") {
  EndpointGuard guard([](NetError&) -> std::unique_ptr<net::Transport> { return std::make_unique<net::ScriptedTransport>(); },
                      EndpointBudget{net::Millis(60000), 3});
  auto c = guard.connector();
  NetError err;
  for (int i = 0; i < 3; ++i) CHECK(c(err));
  CHECK_FALSE(c(err));
  CHECK(err.message == "endpoint budget spent after 3 connections");
  CHECK(guard.spent_reason() == err.message);
  CHECK_FALSE(guard.unreachable());
}

TEST_CASE("budget: a timeout after the port once answered does not mark it unreachable") {
  int n = 0;
  EndpointGuard guard(
      [&](NetError& err) -> std::unique_ptr<net::Transport> {
        if (n++ == 0) return std::make_unique<net::ScriptedTransport>();
        err = NetError::make(NetErrorKind::Timeout, "connect timed out");
        return nullptr;
      },
      EndpointBudget{});
  auto c = guard.connector();
  NetError err;
  CHECK(c(err));
  CHECK_FALSE(c(err));
  CHECK_FALSE(guard.unreachable());
}

TEST_CASE("budget: the default is twelve waits, at least ten seconds") {
  CHECK(default_budget(net::Millis(5000)).time == net::Millis(60000));
  CHECK(default_budget(net::Millis(100)).time == net::Millis(10000));
}
