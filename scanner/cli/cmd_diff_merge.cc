#include <cstdio>
#include <map>
#include <optional>
#include <set>

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
  if (wants_help(args)) {
    std::printf(
        "usage: policyprobe merge A.json B.json ... [--json F] [--html F] [--junit F] [--sarif F] [--markdown F]\n"
        "                         [--fail-on SEVERITY [--baseline OLD.json --fail-on-new]] [--allow-partial]\n\n"
        "Combines JSON reports (the shards of one fleet run, or several runs) into one result set,\n"
        "one result per (target, subject, rule), and writes it in any report format. Without\n"
        "report options the merged JSON goes to standard output.\n\n"
        "  --allow-partial        merge an incomplete shard set (reports record their --shard K/N);\n"
        "                         without it a missing shard is refused (exit 2)\n"
        "  --fail-on SEVERITY     gate the merged run as one scan: exit 1 for fails at or above it,\n"
        "                         3 for errors at or above it or any PROBE error, else 0; JUnit and\n"
        "                         Markdown show that gate. Without it merge exits 0\n"
        "  --baseline FILE        a previous JSON report: mark findings new, unchanged or fixed\n"
        "  --fail-on-new          gate only on findings new since --baseline\n");
    return kExitClean;
  }
  const std::string hint = " (see 'policyprobe merge --help')";
  std::vector<std::string> inputs;
  std::vector<reports::ReportOutput> outputs;
  std::optional<reports::Gate> gate;
  bool fail_on_new = false, allow_partial = false;
  std::string baseline;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool report_flag = a.size() > 2 && a.rfind("--", 0) == 0 && reports::find_writer(a.substr(2));
    if (report_flag || a == "--fail-on" || a == "--baseline") {
      if (i + 1 >= args.size()) return usage_error("option " + a + " needs a value" + hint);
      const std::string& v = args[++i];
      if (report_flag) {
        outputs.push_back({a.substr(2), v});
      } else if (a == "--baseline") {
        baseline = v;
      } else {
        auto s = parse_severity(v);
        if (!s) return usage_error("--fail-on: '" + v + "' is not one of info, low, medium, high, critical");
        gate = reports::Gate{*s, false};
      }
    } else if (a == "--fail-on-new") {
      fail_on_new = true;
    } else if (a == "--allow-partial") {
      allow_partial = true;
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option '" + a + "'" + hint);
    } else {
      inputs.push_back(a);
    }
  }
  if (inputs.empty()) return usage_error("merge needs at least one JSON report" + hint);
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
  std::string write_error;
  if (outputs.empty())
    std::fputs(reports::render_json(merged).c_str(), stdout);
  else
    write_error = reports::write_reports(merged, outputs, write_options);
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
