#pragma once
#include <string>

#include "core/result.h"

/// The end-of-scan summary printed to the terminal (the CLI owns the progress display): counts
/// by status and by severity; then one line per failing rule, most severe first — severity,
/// rule id and title, how many subjects fail and which (a few named, "and N more"), and the
/// first line of what to do; then what could not be observed (one line per PROBE error) and
/// the rules that could not be judged. With a baseline, rules with new findings come first and
/// only the new subjects are named; unchanged ones are counted. Server text goes through
/// terminal_safe: no escape sequences of a server's reach the tty.
namespace pp::reports {

struct ConsoleOptions {
  /// scan --verbose: under each rule, every subject with its message and the evidence it was
  /// judged on, one "      | line" per fact.
  bool evidence = false;
  /// scan --verbose: after the failing rules, what each TLS endpoint offers (tls_block.h).
  bool tls = false;
  /// ANSI colour for severities and headings (a terminal, without NO_COLOR or --no-color).
  bool colour = false;
  /// Wrap lines to this many columns with a hanging indent; 0 = never wrap (logs, pipes).
  size_t width = 0;
  /// scan --controls: the results grouped by control, per framework of the report's mapping
  /// (controls.h): each control's verdict, what failed, what is not evidenced.
  bool controls = false;
  /// Subjects named per rule before "and N more".
  size_t max_subjects = 3;
};

std::string render_console(const ScanReport& report, const ConsoleOptions& options);
inline std::string render_console(const ScanReport& report, bool evidence = false) {
  ConsoleOptions o;
  o.evidence = evidence;
  return render_console(report, o);
}

}  // namespace pp::reports
