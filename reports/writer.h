#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

/// The report writers, in one explicit table (no registration by static initialisers).
namespace pp::reports {

/// The scan's gate (--fail-on, --fail-on-new), for the writers that show its verdict.
struct Gate {
  Severity fail_on = Severity::High;
  bool new_only = false;  ///< --fail-on-new: only findings whose baseline mark is "new"
};

/// The rule id of the one error that stands for an endpoint or target the scanner could not
/// observe at all; it gates whatever --fail-on says.
inline constexpr std::string_view kProbeErrorRule = "PROBE";

/// How the gate counts one result: a failing finding (exit 1), an undecided one (exit 3), or
/// not at all. The single definition the exit code and every gate-aware writer use.
enum class GateCount { None, Finding, Undecided };
GateCount gate_count(const Result& r, const Gate& gate);

struct GateVerdict {
  size_t findings = 0;   ///< fail results the gate counts
  size_t undecided = 0;  ///< error results the gate counts, PROBE errors always
  /// 1 with findings, else 3 with undecided errors, else 0 (the exit-code contract).
  int exit_code() const { return findings ? 1 : (undecided ? 3 : 0); }
};
GateVerdict evaluate_gate(const std::vector<Result>& results, const Gate& gate);

/// What a writer may need beyond the report itself.
struct WriteOptions {
  /// The gate of the run that produced the report. Unset (a report rendered outside a scan or
  /// merge): gate-aware writers treat every fail and error as counted.
  std::optional<Gate> gate;
  /// JUnit: every fail and error a failure/error element, whatever the gate counts.
  bool junit_all_findings = false;
};

struct ReportWriter {
  std::string_view name;         ///< "junit", "html", "json", "sarif": the --report FORMAT
  std::string_view extension;    ///< suggested file extension, with the dot
  std::string_view description;  ///< one line for --help
  std::string (*render)(const ScanReport&);
  /// Optional: the same bytes piece by piece, so a fleet's report never sits in memory whole.
  bool (*stream)(const ScanReport&, const std::function<bool(std::string_view)>&) = nullptr;
  /// Optional: for writers whose output depends on WriteOptions (the gate); write_reports
  /// prefers it to `render`, which then renders with default options.
  std::string (*render_with)(const ScanReport&, const WriteOptions&) = nullptr;
};

const std::vector<ReportWriter>& report_writers();
const ReportWriter* find_writer(std::string_view name);

struct ReportOutput {
  std::string format;  ///< a writer name
  std::string path;
};

/// Renders each requested report and writes it atomically (temp file + rename). Unknown
/// formats are refused before anything is written. A failed write does not stop the others.
/// The path "-" is standard output (see reserve_stdout_for_report).
/// Returns "" on success, else one line per problem, each naming the format or path.
std::string write_reports(const ScanReport& report, const std::vector<ReportOutput>& outputs,
                          const WriteOptions& options = {});

/// For a report on "-": keeps the process's standard output for that report alone and points
/// file descriptor 1 at standard error, so whatever else the program prints (console summary,
/// gate line) cannot mix into the report. Call it before anything is printed. Returns "" or
/// the system error.
std::string reserve_stdout_for_report();

}  // namespace pp::reports
