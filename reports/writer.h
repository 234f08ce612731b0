#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

/// The report writers, in one explicit table (no registration by static initialisers).
namespace pp::reports {

struct ReportWriter {
  std::string_view name;         ///< "junit", "html", "json", "sarif": the --report FORMAT
  std::string_view extension;    ///< suggested file extension, with the dot
  std::string_view description;  ///< one line for --help
  std::string (*render)(const ScanReport&);
  /// Optional: the same bytes piece by piece, so a fleet's report never sits in memory whole.
  bool (*stream)(const ScanReport&, const std::function<bool(std::string_view)>&) = nullptr;
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
std::string write_reports(const ScanReport& report, const std::vector<ReportOutput>& outputs);

/// For a report on "-": keeps the process's standard output for that report alone and points
/// file descriptor 1 at standard error, so whatever else the program prints (console summary,
/// gate line) cannot mix into the report. Call it before anything is printed. Returns "" or
/// the system error.
std::string reserve_stdout_for_report();

}  // namespace pp::reports
