#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <map>
#include <set>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/preflight.h"
#include "cli/progress.h"
#include "cli/shipped.h"
#include "engine/collapse.h"
#include "engine/families.h"
#include "engine/planner.h"
#include "engine/runner.h"
#include "inventory/inventory.h"
#include "inventory/nmap_import.h"
#include "inventory/target_url.h"
#include "policy/evaluate.h"
#include "policy/library.h"
#include "policy/waiver.h"
#include "reports/baseline.h"
#include "reports/console.h"
#include "reports/json.h"
#include "reports/writer.h"

namespace pp::cli {

namespace {

using engine::Plan;
using engine::RunOptions;

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

/// Every input that names targets, loaded and checked before any packet is sent.
bool load_targets(const ScanOptions& opt, std::vector<Target>& out) {
  Diagnostics diags;
  for (const auto& path : opt.inventories) inventory::load_inventory(path, out, diags);
  for (const auto& path : opt.nmap_files) inventory::load_nmap_xml(path, out, diags);
  print_diagnostics(diags);
  if (!diags.empty()) return false;
  std::vector<Target> from_urls;
  std::string err;
  if (!inventory::parse_target_urls(opt.targets, from_urls, err)) {
    std::fprintf(stderr, "policyprobe: %s\n", err.c_str());
    return false;
  }
  std::set<std::string> names;
  for (const auto& t : out) names.insert(t.name);
  for (auto& t : from_urls) {
    if (names.count(t.name)) {
      std::fprintf(stderr, "policyprobe: target '%s' is named twice (command line and inventory)\n", t.name.c_str());
      return false;
    }
    names.insert(t.name);
    out.push_back(std::move(t));
  }
  return true;
}

}  // namespace

int cmd_scan(const Args& args) {
  ScanOptions opt;
  bool help = false;
  std::string parse_error = parse_scan_options(args, opt, &help);
  if (help) {
    std::fputs(scan_help().c_str(), stdout);
    return kExitClean;
  }
  if (!parse_error.empty()) return usage_error(parse_error);
  for (const auto& r : opt.reports)
    if (!reports::find_writer(r.format)) return usage_error("no report writer '" + r.format + "'");
  // Arguments that would fail only after the scan (CA file, report paths, "-") are checked
  // before the first connection; a report on "-" gets standard output to itself.
  if (std::string err = preflight_scan(opt); !err.empty()) return usage_error(err);
  if (report_to_stdout(opt))
    if (std::string err = reports::reserve_stdout_for_report(); !err.empty()) return usage_error(err);

  // 1. Everything that can be wrong in the inputs is found before the first connection.
  policy::Library lib;
  if (!load_rule_library(opt.rule_dirs, lib)) return kExitUsage;
  std::vector<policy::Waiver> waivers;
  if (!opt.waivers.empty()) {
    policy::SourceFile src;
    Diagnostics diags;
    if (policy::read_source(opt.waivers, src, diags)) {
      Diagnostics w = policy::load_waivers(src, waivers);
      diags.insert(diags.end(), w.begin(), w.end());
      Diagnostics unknown = policy::check_waiver_rules(waivers, lib.all_rules());
      diags.insert(diags.end(), unknown.begin(), unknown.end());
    }
    print_diagnostics(diags);
    if (!diags.empty()) return kExitUsage;
  }
  ScanReport previous;
  if (!opt.baseline.empty()) {
    if (auto err = reports::load_json_report(opt.baseline, previous); !err.empty()) return usage_error(err);
  }
  std::vector<Target> targets;
  if (!load_targets(opt, targets)) return kExitUsage;
  targets = engine::select_shard(targets, opt.shard_k, opt.shard_n);

  // 2. Rules per target: --profile applies to every target; otherwise each target's own
  //    inventory profiles (default: "default").
  std::map<std::vector<std::string>, std::vector<policy::Rule>> rules_by_profiles;
  std::map<std::string, const std::vector<policy::Rule>*> rules_of_target;
  std::set<std::string> needed_facts, all_profiles;
  for (const auto& t : targets) {
    std::vector<std::string> profiles = !opt.profiles.empty() ? opt.profiles : t.profiles;
    if (profiles.empty()) profiles = {"default"};
    auto it = rules_by_profiles.find(profiles);
    if (it == rules_by_profiles.end()) {
      std::vector<policy::Rule> selected;
      Diagnostics d = policy::select_rules(lib, profiles, selected);
      print_diagnostics(d);
      if (!d.empty()) return kExitUsage;
      it = rules_by_profiles.emplace(profiles, std::move(selected)).first;
      auto facts = policy::facts_read(it->second);
      needed_facts.insert(facts.begin(), facts.end());
      all_profiles.insert(profiles.begin(), profiles.end());
    }
    rules_of_target[t.name] = &it->second;
  }

  // 3. Probe.
  RunOptions run;
  run.timeout_ms = static_cast<long>(opt.timeout_s * 1000);
  run.concurrency = opt.concurrency;
  run.per_host = opt.per_host;
  // Facts that cost extra connections are observed only when a rule of this scan reads them.
  run.enumerate_groups = needed_facts.count("tls.groups") > 0;
  run.test_server_order = needed_facts.count("tls.server_order") > 0;
  run.test_alpn = needed_facts.count("tls.alpn") > 0;
  run.ca_file = opt.ca_file;
  run.budget = engine::default_budget(net::Millis(run.timeout_ms));
  if (opt.endpoint_budget_s > 0) run.budget.time = net::Millis(static_cast<long>(opt.endpoint_budget_s * 1000));
  ScanReport report;
  report.tool_version = POLICYPROBE_VERSION;
  report.started_at = now_iso();
  std::vector<engine::Discovery> discovered;
  targets = engine::discover_services(targets, run, discovered);
  Plan plan = engine::make_plan(targets, engine::families_for(needed_facts));
  Progress progress(opt.quiet, opt.verbose);
  const policy::Date today = policy::today_utc();
  size_t findings_so_far = 0;
  std::vector<SubjectFacts> observed = engine::run_plan(
      plan, run,
      [&](size_t done, size_t total, const std::string& label, const std::vector<SubjectFacts>& finished) {
        // The final judgement comes after the scan; this count is only for the progress line.
        // Rules judge each subject on its own facts, so one subject at a time gives the same
        // count without copying a whole batch (the vdir batch is every vdir of the scan).
        if (!opt.quiet) {
          std::vector<SubjectFacts> one(1);
          for (const auto& sf : finished) {
            auto it = rules_of_target.find(sf.subject.target);
            if (it == rules_of_target.end()) continue;
            one[0] = sf;
            for (const auto& r : policy::evaluate(*it->second, one, waivers, today))
              if (r.status == Status::Fail) ++findings_so_far;
          }
        }
        progress.update(done, total, label, findings_so_far);
      });
  progress.finish();
  report.finished_at = now_iso();

  // 4. Judge: each target's subjects against that target's rules.
  // Facts are moved, never copied: on a fleet they are most of the memory.
  std::map<std::string, std::vector<SubjectFacts>> by_target;
  const size_t observed_count = observed.size();
  for (auto& sf : observed) by_target[sf.subject.target].push_back(std::move(sf));
  std::vector<SubjectFacts>().swap(observed);
  std::vector<std::vector<Result>> per_target;
  size_t result_count = 0;
  for (const auto& t : targets) {
    report.targets.push_back(t.name);
    per_target.push_back(policy::evaluate(*rules_of_target[t.name], by_target[t.name], waivers, today));
    for (auto& r : per_target.back())
      if (r.target.empty()) r.target = t.name;
    engine::collapse_errors(per_target.back(), by_target[t.name]);
    result_count += per_target.back().size();
  }
  // A target that could not be scanned at all is an error, never a clean target.
  for (const auto& d : discovered) {
    std::string tried;
    for (uint16_t p : d.tried) tried += (tried.empty() ? "" : ",") + std::to_string(p);
    std::string open;
    for (uint16_t p : d.open) open += (open.empty() ? "" : ",") + std::to_string(p);
    report.metadata["discovery." + d.target] = "tried " + tried + "; open " + (open.empty() ? "none" : open);
    if (d.failure.empty()) continue;
    Result e;
    e.rule_id = engine::kProbeErrorRule;
    e.pack = "probe";
    e.title = "The scanner could not observe this target";
    e.severity = Severity::High;
    e.target = d.target;
    e.subject = d.target;
    e.status = Status::Error;
    std::string advice = engine::advise(d.failure, d.target, {}, "all");
    e.message = advice.empty() ? d.failure : advice;
    e.evidence.push_back("ports tried: " + tried);
    per_target.push_back({std::move(e)});
    ++result_count;
  }
  report.results.reserve(result_count);
  for (auto& results : per_target) {
    std::move(results.begin(), results.end(), std::back_inserter(report.results));
    std::vector<Result>().swap(results);
  }
  report.facts.reserve(observed_count);
  for (auto& [target, subjects] : by_target)
    std::move(subjects.begin(), subjects.end(), std::back_inserter(report.facts));
  by_target.clear();
  report.profiles.assign(all_profiles.begin(), all_profiles.end());
  report.metadata["fail_on"] = std::string(to_string(opt.fail_on));
  report.metadata["per_host"] = std::to_string(opt.per_host);
  report.metadata["concurrency"] = std::to_string(opt.concurrency);
  char timeout_text[32];
  std::snprintf(timeout_text, sizeof timeout_text, "%g", opt.timeout_s);
  report.metadata["timeout_s"] = timeout_text;
  if (opt.shard_n > 1) report.metadata["shard"] = std::to_string(opt.shard_k) + "/" + std::to_string(opt.shard_n);
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) report.metadata["scanner_host"] = host;
  std::vector<std::string> argv_copy = {"policyprobe", "scan"};
  argv_copy.insert(argv_copy.end(), args.begin(), args.end());
  report.metadata["command"] = join(argv_copy, " ");
  sort_report(report);
  if (!opt.baseline.empty()) reports::apply_baseline(previous, report);

  // Expired waivers and waivers that matched nothing in this scan: warnings on stderr, even
  // with --quiet (an expiry changes the gate), and in the reports.
  for (const auto& list : {policy::expired_waiver_warnings(waivers, today),
                           policy::unused_waiver_warnings(waivers, report.results)}) {
    for (const auto& w : list) {
      std::fprintf(stderr, "policyprobe: warning: %s\n", w.c_str());
      report.warnings.push_back(w);
    }
  }

  // 5. Report, then the gate.
  std::vector<reports::ReportOutput> outputs;
  for (const auto& r : opt.reports) outputs.push_back({r.format, r.path});
  std::string write_error = reports::write_reports(report, outputs);
  if (!opt.quiet) std::fputs(reports::render_console(report, opt.verbose).c_str(), stdout);

  size_t gated = 0, undecided = 0;
  for (const auto& r : report.results) {
    // What could not be observed at all is never clean, whatever its severity or history.
    if (r.status == Status::Error && r.rule_id == engine::kProbeErrorRule) {
      ++undecided;
      continue;
    }
    if (r.severity < opt.fail_on) continue;
    if (opt.fail_on_new && r.baseline != "new") continue;
    if (r.status == Status::Fail) ++gated;
    if (r.status == Status::Error) ++undecided;
  }
  int code = gated ? kExitFindings : (undecided ? kExitIncomplete : kExitClean);
  std::printf("gate: %zu finding%s and %zu error%s at or above %.*s%s -> exit %d\n", gated, gated == 1 ? "" : "s",
              undecided, undecided == 1 ? "" : "s", int(to_string(opt.fail_on).size()), to_string(opt.fail_on).data(),
              opt.fail_on_new ? " (new only)" : "", write_error.empty() ? code : int(kExitUsage));
  for (const auto& r : opt.reports)
    if (write_error.find(r.path) == std::string::npos && !opt.quiet)
      std::printf("wrote %s report: %s\n", r.format.c_str(), r.path.c_str());
  if (!write_error.empty()) {
    std::fprintf(stderr, "policyprobe: %s\n", write_error.c_str());
    return kExitUsage;
  }
  return code;
}

}  // namespace pp::cli
