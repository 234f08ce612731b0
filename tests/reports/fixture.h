#pragma once
#include <string>

#include "core/result.h"

/// A fixed ScanReport for report tests and golden files: three targets, every status and
/// severity, certificate facts, and hostile server strings (NUL, C0 controls, ESC sequences,
/// invalid UTF-8, "]]>", "</script>", "<!--", U+2028, quotes) in messages, evidence and facts.
namespace pp::reports::testing {

ScanReport fixture_report();

/// The hostile server string used throughout the fixture.
std::string hostile();

}  // namespace pp::reports::testing
