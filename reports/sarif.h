#pragma once
#include <string>

#include "core/result.h"

/// SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning, GitLab, DefectDojo).
///  - tool.driver.rules: every rule evaluated, with help = remediation, tags, the default
///    level from severity (critical/high → error, medium → warning, low/info → note) and a
///    GitHub "security-severity" score.
///  - results: fail → kind "fail" at the rule's level; waived → the same plus an external,
///    accepted suppression carrying the justification; error (could not evaluate) → kind
///    "open" with level "none", as SARIF requires for non-fail kinds, so a dashboard shows it
///    without counting it as a vulnerability. Pass and skipped results are omitted.
///  - locations: the subject as a relative artifact URI, "<kind>/<scheme>/<host>/<port>[/<path>]"
///    (e.g. "vdir/https/mail.example.com/443/owa"), with uriBaseId SCANNED_SUBJECTS declared
///    in run.originalUriBaseIds — never an absolute https: URI, which code-scanning services
///    refuse because it is no file of the checkout — plus the subject id as a logicalLocation;
///    the subject's URL is in the result's properties. partialFingerprints hold a stable hash
///    of rule id + subject id so a dashboard tracks one finding across scans.
namespace pp::reports {

std::string render_sarif(const ScanReport& report);

}  // namespace pp::reports
