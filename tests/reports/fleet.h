#pragma once
#include <cstddef>

#include "core/result.h"

/// A synthetic fleet scan for size and speed checks of the reports: `endpoints` targets, each an
/// HTTPS endpoint with its certificate and two virtual directories (every tenth also SMTP),
/// about 30 results each with the failure rate, evidence and remediation lengths of the lab;
/// one in twenty endpoints unreachable (a PROBE error and its blocked results); baseline marks
/// (new, unchanged, fixed, not evaluated). Deterministic: the same call gives the same report.
namespace pp::reports::testing {

ScanReport fleet_report(size_t endpoints);

}  // namespace pp::reports::testing
