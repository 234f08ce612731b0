#pragma once
#include <string>

#include "core/result.h"

/// JUnit XML in the shape of Jenkins' junit-10.xsd, read as-is by Jenkins, GitLab and GitHub:
/// <testsuites> with totals; a <testsuite> per target; a <testcase> per (rule, subject) with
/// classname = pack id and name = "RULE-ID title [subject]"; <failure>/<error> carry the
/// message, evidence and remediation; not-applicable and waived results are <skipped>.
/// Server strings go through xml_safe first, so the file stays well-formed XML 1.0 whatever
/// bytes the servers sent.
namespace pp::reports {

std::string render_junit(const ScanReport& report);

}  // namespace pp::reports
