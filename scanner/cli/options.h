#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/severity.h"

namespace pp::cli {

/// Exit codes (ARCHITECTURE.md): the contract a CI gate relies on.
enum ExitCode : int {
  kExitClean = 0,        ///< nothing at or above the gate
  kExitFindings = 1,     ///< findings at or above --fail-on
  kExitUsage = 2,        ///< usage, rule, inventory or report-writing error
  kExitIncomplete = 3,   ///< errors left the gate undecidable
};

struct ReportSpec {
  std::string format;  ///< junit, html, json, sarif, markdown
  std::string path;
};

struct ScanOptions {
  std::vector<std::string> targets;
  std::vector<std::string> inventories;  ///< -i, repeatable
  std::vector<std::string> nmap_files;   ///< --nmap-xml, repeatable
  std::vector<std::string> configs;      ///< --config [KIND:]FILE, repeatable
  std::vector<ReportSpec> reports;
  std::vector<std::string> profiles;
  std::vector<std::string> rule_dirs;
  std::string waivers;
  std::vector<std::string> frameworks;  ///< --framework: only the rules that evidence these
  std::string exchange_builds;  ///< --exchange-builds: a newer Exchange build table
  Severity fail_on = Severity::High;
  std::string baseline;
  bool fail_on_new = false;
  bool junit_all_findings = false;  ///< --junit-all-findings: every fail/error fails in JUnit
  double timeout_s = 5;
  double endpoint_budget_s = 0;  ///< 0: derived from timeout_s
  int concurrency = 32;
  int per_host = 4;
  std::string ca_file;
  int shard_k = 1, shard_n = 1;
  bool quiet = false;
  bool verbose = false;
  bool no_color = false;  ///< --no-color: no ANSI colour even on a terminal
  bool controls = false;  ///< --controls: the console groups the results by control
};

/// Parses `scan` arguments. Returns an error line (with a hint) or "" on success. Sets `help`
/// (when given) if -h/--help was among them.
std::string parse_scan_options(const std::vector<std::string>& args, ScanOptions& out, bool* help = nullptr);

/// The `scan --help` text, generated from the option declarations.
std::string scan_help();

}  // namespace pp::cli
