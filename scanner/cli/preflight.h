#pragma once
#include <string>
#include <vector>

#include "cli/options.h"

/// Checks of `scan` arguments that would otherwise fail only after the scan ran: made before
/// the first connection, so a typo costs seconds, not a fleet scan. Each returns "" or one
/// line that names the path and says why.
namespace pp::cli {

/// The file exists, is readable and holds at least one PEM certificate.
std::string check_ca_file(const std::string& path);

/// A report can be created at `path`: its directory exists and a file can be created in it
/// (tried, not guessed from permission bits), and `path` is not a directory. "-" (standard
/// output) always can.
std::string check_report_path(const std::string& path);

/// At most one report goes to standard output ("-"): two would interleave into neither.
std::string check_report_outputs(const std::vector<ReportSpec>& reports);

/// All of the above for one scan's options; the first problem found.
std::string preflight_scan(const ScanOptions& opt);

/// True when one of the reports goes to standard output.
bool report_to_stdout(const ScanOptions& opt);

}  // namespace pp::cli
