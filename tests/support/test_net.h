#pragma once
#include <cstdint>

namespace pp::testing {

/// A TCP port on 127.0.0.1 that was free a moment ago (bound, read back, released): for the
/// servers integration tests start themselves.
uint16_t free_port();

/// Waits until something accepts TCP connections on 127.0.0.1:`port` (up to ~10 s).
bool wait_listening(uint16_t port);

}  // namespace pp::testing
