#pragma once
#include <string>

#include "core/result.h"

/// The end-of-scan summary printed to the terminal (the CLI owns the progress display):
/// counts by status and by severity, then each failing finding as one line
/// "SEVERITY RULE-ID subject: message", most severe first, then the errors (could not
/// evaluate). Server text goes through terminal_safe: no escape sequences reach the tty.
namespace pp::reports {

/// With `evidence` (scan --verbose), each listed finding is followed by the evidence it was
/// judged on, one "      | line" per fact.
std::string render_console(const ScanReport& report, bool evidence = false);

}  // namespace pp::reports
