#pragma once
#include <string>

#include "core/result.h"
#include "reports/writer.h"

/// JUnit XML in the shape of Jenkins' junit-10.xsd, read as-is by Jenkins, GitLab and GitHub:
/// <testsuites> with totals; a <testsuite> per target; a <testcase> per (rule, subject) with
/// classname = pack id and name = "RULE-ID title [subject]"; <failure>/<error> carry the
/// message, evidence and remediation; not-applicable and waived results are <skipped>.
///
/// JUnit is the gate: with the run's gate in `options` a testcase fails (<failure> for a fail,
/// <error> for an error) only when the gate counts it — at or above --fail-on, new ones only
/// under --fail-on-new, every PROBE error — so failures + errors is the number the exit code
/// was decided on. A finding the gate does not count is a passing testcase with the finding
/// in <system-out>, prefixed "not gated". With `junit_all_findings`, or without a gate, every
/// fail and error is a <failure>/<error>.
/// Server strings go through xml_safe first, so the file stays well-formed XML 1.0 whatever
/// bytes the servers sent.
namespace pp::reports {

std::string render_junit(const ScanReport& report, const WriteOptions& options = {});

}  // namespace pp::reports
