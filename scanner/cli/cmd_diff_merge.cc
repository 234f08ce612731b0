#include <cstdio>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "reports/baseline.h"
#include "reports/json.h"
#include "reports/writer.h"

namespace pp::cli {

int cmd_diff(const Args& args) {
  std::vector<std::string> inputs;
  auto app = make_command("diff", "diff OLD.json NEW.json",
                          "Compares two JSON reports of policyprobe scan: findings (fail or error) that are new,\n"
                          "fixed, unchanged, no longer evaluated, or now waived/skipped. Exit 0 when nothing is\n"
                          "new, 1 when there are new findings, 2 on bad input.");
  app->add_option("reports", inputs)->group("");
  if (int code = finish_parse(parse_command(*app, args)); code >= 0) return code;
  if (inputs.size() != 2) return usage_error("diff needs exactly two JSON reports (see 'policyprobe diff --help')");
  ScanReport old_report, new_report;
  if (auto err = reports::load_json_report(inputs[0], old_report); !err.empty()) return usage_error(err);
  if (auto err = reports::load_json_report(inputs[1], new_report); !err.empty()) return usage_error(err);
  std::fputs(reports::diff_text(old_report, new_report).c_str(), stdout);
  return reports::compare(old_report, new_report).added.empty() ? kExitClean : kExitFindings;
}

int cmd_merge(const Args& args) {
  std::vector<std::string> inputs;
  std::vector<ReportSpec> outputs;
  auto app = make_command("merge", "merge A.json B.json ... [--json F] [--html F] [--junit F] [--sarif F]",
                          "Combines JSON reports (the shards of one fleet run, or several runs) into one result set,\n"
                          "one result per (target, subject, rule), and writes it in any report format. Without\n"
                          "report options the merged JSON goes to standard output.");
  app->add_option("reports", inputs)->group("");
  add_report_options(*app, outputs, "Reports (any number; each written atomically)");
  note_group(*app, "Reports (any number; each written atomically)", "FILE '-' is standard output (one report at most)");
  if (int code = finish_parse(parse_command(*app, args)); code >= 0) return code;
  if (inputs.empty()) return usage_error("merge needs at least one JSON report (see 'policyprobe merge --help')");
  std::vector<ScanReport> loaded(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i)
    if (auto err = reports::load_json_report(inputs[i], loaded[i]); !err.empty()) return usage_error(err);
  ScanReport merged = reports::merge(loaded);
  if (outputs.empty()) {
    std::fputs(reports::render_json(merged).c_str(), stdout);
    return kExitClean;
  }
  std::vector<reports::ReportOutput> files;
  for (const auto& o : outputs) files.push_back({o.format, o.path});
  if (auto err = reports::write_reports(merged, files); !err.empty()) {
    std::fprintf(stderr, "policyprobe: %s\n", err.c_str());
    return kExitUsage;
  }
  return kExitClean;
}

}  // namespace pp::cli
