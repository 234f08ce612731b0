#pragma once
// Test support: a dialogue context over one scripted server. For the tests of this folder only.
#include "probes/connect/dialogue.h"

namespace pp::connect::testing {

struct Fixture {
  net::ScriptedTransport t;
  LineReader r{t};
  Context c{t, r, net::Millis(1000), "probe.test"};
};

}  // namespace pp::connect::testing
