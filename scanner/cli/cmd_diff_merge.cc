#include <cstdio>

#include "cli/commands.h"
#include "cli/options.h"
#include "reports/baseline.h"
#include "reports/json.h"
#include "reports/writer.h"

namespace pp::cli {

int cmd_diff(const Args& args) {
  if (wants_help(args)) {
    std::printf(
        "usage: policyprobe diff OLD.json NEW.json\n\n"
        "Compares two JSON reports of policyprobe scan: findings (fail or error) that are new,\n"
        "fixed, unchanged, no longer evaluated, or now waived/skipped. Exit 0 when nothing is\n"
        "new, 1 when there are new findings, 2 on bad input.\n");
    return kExitClean;
  }
  if (args.size() != 2) return usage_error("diff needs exactly two JSON reports (see 'policyprobe diff --help')");
  ScanReport old_report, new_report;
  if (auto err = reports::load_json_report(args[0], old_report); !err.empty()) return usage_error(err);
  if (auto err = reports::load_json_report(args[1], new_report); !err.empty()) return usage_error(err);
  std::fputs(reports::diff_text(old_report, new_report).c_str(), stdout);
  return reports::compare(old_report, new_report).added.empty() ? kExitClean : kExitFindings;
}

int cmd_merge(const Args& args) {
  if (wants_help(args)) {
    std::printf(
        "usage: policyprobe merge A.json B.json ... [--json F] [--html F] [--junit F] [--sarif F]\n\n"
        "Combines JSON reports (the shards of one fleet run, or several runs) into one result set,\n"
        "one result per (target, subject, rule), and writes it in any report format. Without\n"
        "report options the merged JSON goes to standard output.\n");
    return kExitClean;
  }
  std::vector<std::string> inputs;
  std::vector<reports::ReportOutput> outputs;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--json" || a == "--html" || a == "--junit" || a == "--sarif") {
      if (i + 1 >= args.size()) return usage_error("option " + a + " needs a FILE (see 'policyprobe merge --help')");
      outputs.push_back({a.substr(2), args[++i]});
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option '" + a + "' (see 'policyprobe merge --help')");
    } else {
      inputs.push_back(a);
    }
  }
  if (inputs.empty()) return usage_error("merge needs at least one JSON report (see 'policyprobe merge --help')");
  std::vector<ScanReport> loaded(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i)
    if (auto err = reports::load_json_report(inputs[i], loaded[i]); !err.empty()) return usage_error(err);
  ScanReport merged = reports::merge(loaded);
  if (outputs.empty()) {
    std::fputs(reports::render_json(merged).c_str(), stdout);
    return kExitClean;
  }
  if (auto err = reports::write_reports(merged, outputs); !err.empty()) {
    std::fprintf(stderr, "policyprobe: %s\n", err.c_str());
    return kExitUsage;
  }
  return kExitClean;
}

}  // namespace pp::cli
