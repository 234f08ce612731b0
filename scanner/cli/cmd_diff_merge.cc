#include <cstdio>
#include <map>
#include <optional>
#include <set>

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

namespace {

/// The "K/N" marks of a report's `shard` metadata: one for a shard, several (joined with
/// ", ") for a report that is itself a merge of shards. Malformed marks are ignored.
std::vector<std::pair<int, int>> shard_marks(const ScanReport& report) {
  std::vector<std::pair<int, int>> marks;
  auto it = report.metadata.find("shard");
  if (it == report.metadata.end()) return marks;
  const std::string& text = it->second;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    int k = 0, n = 0;
    char tail = 0;
    if (std::sscanf(text.substr(pos, comma - pos).c_str(), " %d/%d %c", &k, &n, &tail) == 2 && k >= 1 && k <= n)
      marks.emplace_back(k, n);
    pos = comma + 1;
  }
  return marks;
}

/// The shards of each "of N" set that none of the inputs holds, as "K/N, ...".
std::string missing_shards(const std::vector<ScanReport>& reports) {
  std::map<int, std::set<int>> have;  // N -> the K present
  for (const auto& r : reports)
    for (auto [k, n] : shard_marks(r)) have[n].insert(k);
  std::string missing;
  for (const auto& [n, ks] : have)
    for (int k = 1; k <= n; ++k)
      if (!ks.count(k)) missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(n);
  return missing;
}

}  // namespace

int cmd_merge(const Args& args) {
  std::vector<std::string> inputs;
  std::vector<ReportSpec> outputs;
  std::string fail_on, baseline;
  bool fail_on_new = false, allow_partial = false;
  auto app = make_command(
      "merge",
      "merge A.json B.json ... [--json F] [--html F] [--junit F] [--sarif F] [--markdown F]\n"
      "                         [--fail-on SEVERITY [--baseline OLD.json --fail-on-new]] [--allow-partial]",
      "Combines JSON reports (the shards of one fleet run, or several runs) into one result set,\n"
      "one result per (target, subject, rule), and writes it in any report format. Without\n"
      "report options the merged JSON goes to standard output.");
  app->add_option("reports", inputs)->group("");
  add_report_options(*app, outputs, "Reports (any number; each written atomically)");
  note_group(*app, "Reports (any number; each written atomically)", "FILE '-' is standard output (one report at most)");
  add_flag(*app, "--allow-partial", allow_partial,
           "merge an incomplete shard set (reports record their --shard K/N); without it a missing shard "
           "is refused (exit 2)")
      ->group("Gate");
  app->add_option("--fail-on", fail_on,
                  "gate the merged run as one scan: exit 1 for fails at or above it, 3 for errors at or above "
                  "it or any PROBE error, else 0; JUnit and Markdown show that gate. Without it merge exits 0")
      ->type_name("SEVERITY")
      ->group("Gate");
  app->add_option("--baseline", baseline, "a previous JSON report: mark findings new, unchanged or fixed")
      ->type_name("FILE")
      ->group("Gate");
  add_flag(*app, "--fail-on-new", fail_on_new, "gate only on findings new since --baseline")->group("Gate");
  if (int code = finish_parse(parse_command(*app, args)); code >= 0) return code;
  const std::string hint = " (see 'policyprobe merge --help')";
  if (inputs.empty()) return usage_error("merge needs at least one JSON report" + hint);
  std::optional<reports::Gate> gate;
  if (!fail_on.empty()) {
    auto sev = parse_severity(fail_on);
    if (!sev) return usage_error("--fail-on: '" + fail_on + "' is not one of info, low, medium, high, critical");
    gate = reports::Gate{*sev, false};
  }
  if (fail_on_new && baseline.empty()) return usage_error("--fail-on-new needs --baseline FILE" + hint);
  if (fail_on_new) {
    if (!gate) gate = reports::Gate{};
    gate->new_only = true;
  }
  std::vector<ScanReport> loaded(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i)
    if (auto err = reports::load_json_report(inputs[i], loaded[i]); !err.empty()) return usage_error(err);
  const std::string missing = missing_shards(loaded);
  if (!missing.empty() && !allow_partial)
    return usage_error("incomplete shard set: missing " + missing +
                       " (give every shard's report, or --allow-partial to merge what is there)");
  ScanReport previous;
  if (!baseline.empty())
    if (auto err = reports::load_json_report(baseline, previous); !err.empty()) return usage_error(err);
  ScanReport merged = reports::merge(loaded);
  std::vector<ScanReport>().swap(loaded);
  if (!missing.empty()) {
    std::fprintf(stderr, "policyprobe: warning: partial merge: missing shard %s\n", missing.c_str());
    merged.metadata["shards_missing"] = missing;
  }
  if (gate) merged.metadata["fail_on"] = std::string(to_string(gate->fail_on));
  if (!baseline.empty()) reports::apply_baseline(previous, merged);

  reports::WriteOptions write_options;
  write_options.gate = gate;
  std::vector<reports::ReportOutput> files;
  for (const auto& o : outputs) files.push_back({o.format, o.path});
  std::string write_error;
  if (files.empty())
    std::fputs(reports::render_json(merged).c_str(), stdout);
  else
    write_error = reports::write_reports(merged, files, write_options);
  if (!write_error.empty()) {
    std::fprintf(stderr, "policyprobe: %s\n", write_error.c_str());
    return kExitUsage;
  }
  if (!gate) return kExitClean;
  const reports::GateVerdict v = reports::evaluate_gate(merged.results, *gate);
  // Standard output may hold the merged JSON: the gate line goes to standard error then.
  std::fprintf(outputs.empty() ? stderr : stdout, "gate: %zu finding%s and %zu error%s at or above %s%s -> exit %d\n",
               v.findings, v.findings == 1 ? "" : "s", v.undecided, v.undecided == 1 ? "" : "s",
               std::string(to_string(gate->fail_on)).c_str(), gate->new_only ? " (new only)" : "", v.exit_code());
  return v.exit_code();
}

}  // namespace pp::cli
