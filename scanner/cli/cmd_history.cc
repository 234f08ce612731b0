#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "core/atomic_file.h"
#include "reports/history.h"
#include "reports/json.h"

namespace pp::cli {

namespace {

/// The inputs: a directory stands for its *.json files (sorted by name; the history orders
/// them by scan time anyway), a file for itself. `from_dir` marks those found in a directory.
std::string expand_inputs(const std::vector<std::string>& args, std::vector<std::string>& files,
                          std::vector<bool>& from_dir) {
  namespace fs = std::filesystem;
  for (const auto& arg : args) {
    std::error_code ec;
    if (!fs::is_directory(arg, ec)) {
      files.push_back(arg);
      from_dir.push_back(false);
      continue;
    }
    std::vector<std::string> found;
    for (fs::directory_iterator it(arg, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".json" && it->is_regular_file(ec)) found.push_back(it->path().string());
    if (ec) return arg + ": " + ec.message();
    if (found.empty()) return arg + ": no JSON report (*.json) in this directory";
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
    from_dir.resize(files.size(), true);
  }
  return {};
}

struct HistoryArgs {
  std::vector<std::string> inputs;
  std::string json, html;
};

/// Loads every report and keeps its digest. A file named on the command line must be a
/// report; one found in a directory that is not (another tool's JSON, a history document) is
/// skipped with a warning.
int load_runs(const HistoryArgs& a, std::vector<ScanReport>& runs, std::vector<std::string>& sources) {
  std::vector<std::string> files;
  std::vector<bool> from_dir;
  if (std::string err = expand_inputs(a.inputs, files, from_dir); !err.empty()) return usage_error(err);
  for (size_t i = 0; i < files.size(); ++i) {
    ScanReport report;
    if (std::string err = reports::load_json_report(files[i], report); !err.empty()) {
      if (!from_dir[i]) return usage_error(err);
      std::fprintf(stderr, "policyprobe: warning: skipped %s\n", err.c_str());
      continue;
    }
    runs.push_back(reports::history_digest(std::move(report)));
    sources.push_back(files[i]);
  }
  if (runs.empty()) return usage_error("history: no JSON report of a scan among the inputs");
  return -1;
}

}  // namespace

int cmd_history(const Args& args) {
  HistoryArgs a;
  auto app = make_command(
      "history", "history DIR|REPORT.json... [--json FILE] [--html FILE]",
      "Reads the JSON reports of a series of scans (a directory's *.json, or the files named),\n"
      "orders them by scan time and prints, per run against the one before: the findings that\n"
      "are new, fixed, and regressed (fixed in an earlier run, failing again), and what changed\n"
      "in the observed facts without a finding: a certificate renewed or replaced, a protocol or\n"
      "suite added or removed, an authentication method added or removed, a target, endpoint or\n"
      "vdir appearing or disappearing. Reads reports of schema_version " +
          reports::readable_schema_versions() +
          ".\nExit 0, or 1 when the latest run has new or regressed findings (as diff); 2 on bad input.");
  app->add_option("reports", a.inputs)->group("");
  app->add_option("--json", a.json, "write the history as JSON (written atomically)")->type_name("FILE");
  app->add_option("--html", a.html, "write the history as one HTML page with the trend of failures per severity")
      ->type_name("FILE");
  if (int code = finish_parse(parse_command(*app, args)); code >= 0) return code;
  if (a.inputs.empty()) return usage_error("history needs a directory or JSON reports (see 'policyprobe history --help')");
  std::vector<ScanReport> runs;
  std::vector<std::string> sources;
  if (int code = load_runs(a, runs, sources); code >= 0) return code;
  const reports::History h = reports::build_history(std::move(runs), sources);
  std::fputs(reports::history_text(h).c_str(), stdout);
  for (const auto& [path, render] : {std::make_pair(a.json, &reports::history_json),
                                     std::make_pair(a.html, &reports::history_html)}) {
    if (path.empty()) continue;
    if (std::string err = write_file_atomically(path, render(h)); !err.empty()) {
      std::fprintf(stderr, "policyprobe: %s\n", err.c_str());
      return kExitUsage;
    }
  }
  const reports::HistoryRun& last = h.runs.back();
  return last.added.empty() && last.regressed.empty() ? kExitClean : kExitFindings;
}

}  // namespace pp::cli
