#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <map>
#include <set>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/preflight.h"
#include "cli/progress.h"
#include "cli/shipped.h"
#include "core/text.h"
#include "engine/collapse.h"
#include "engine/config_run.h"
#include "engine/families.h"
#include "engine/planner.h"
#include "engine/runner.h"
#include "inventory/inventory.h"
#include "inventory/nmap_import.h"
#include "inventory/target_url.h"
#include "policy/evaluate.h"
#include "policy/frameworks.h"
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

/// Colour and wrapping only on a terminal: NO_COLOR (no-color.org) turns colour off.
reports::ConsoleOptions console_options(const ScanOptions& opt) {
  reports::ConsoleOptions o;
  o.evidence = opt.verbose;
  o.tls = opt.verbose;
  o.controls = opt.controls;
  if (isatty(STDOUT_FILENO)) {
    const char* no_color = std::getenv("NO_COLOR");
    o.colour = !(no_color && *no_color) && !opt.no_color;
    winsize ws{};
    o.width = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40 ? ws.ws_col : 100;
  }
  return o;
}

bool sources_kind(const std::string& k) { return k == "iis" || k == "iis-web" || k == "schannel" || k == "exchange" ||
                                            k == "ipsec" || k == "ipsec-netsh"; }

/// `--config [KIND[@WINDOWS]:]FILE`: a configuration target named by its file; a SCHANNEL
/// export may name its Windows Server release (`schannel@2019:FILE`), whose defaults apply.
Target config_target(const std::string& arg) {
  Target t;
  ConfigFile file;
  file.path = arg;
  if (auto colon = arg.find(':'); colon != std::string::npos) {
    std::string kind = arg.substr(0, colon);
    std::string windows;
    if (auto at = kind.find('@'); at != std::string::npos && kind.substr(0, at) == "schannel") {
      windows = kind.substr(at + 1);
      kind.erase(at);
    }
    if (sources_kind(kind)) {
      file.kind = kind;
      file.windows = windows;
      file.path = arg.substr(colon + 1);
    }
  }
  t.name = file.path;
  t.configs.push_back(std::move(file));
  return t;
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
  for (const auto& arg : opt.configs) from_urls.push_back(config_target(arg));
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

/// What a scan needs before its first connection, every part loaded and checked.
struct ScanInputs {
  policy::Library lib;
  std::vector<policy::Waiver> waivers;
  std::vector<std::string> waiver_warnings;  ///< about the waivers file itself (an old schema)
  ExchangeTable exchange;  ///< the shipped Exchange build table or --exchange-builds
  ScanReport previous;  ///< --baseline
  std::vector<Target> targets;
};

/// The rules of each target: --profile applies to every target; otherwise each target's own
/// inventory profiles (default: "default").
struct RuleSelection {
  std::map<std::vector<std::string>, std::vector<policy::Rule>> by_profiles;
  std::map<std::string, const std::vector<policy::Rule>*> of_target;
  std::set<std::string> needed_facts, all_profiles;
};

/// Parses and checks the arguments; -1 when the scan should go on, else the exit code.
int parse_and_check(const Args& args, ScanOptions& opt) {
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
  return -1;
}

bool load_waivers(const ScanOptions& opt, const policy::Library& lib, std::vector<policy::Waiver>& waivers,
                  std::vector<std::string>& warnings) {
  if (opt.waivers.empty()) return true;
  policy::SourceFile src;
  Diagnostics diags;
  if (policy::read_source(opt.waivers, src, diags)) {
    Diagnostics w = policy::load_waivers(src, waivers, &warnings);
    diags.insert(diags.end(), w.begin(), w.end());
    Diagnostics unknown = policy::check_waiver_rules(waivers, lib.all_rules());
    diags.insert(diags.end(), unknown.begin(), unknown.end());
  }
  print_diagnostics(diags);
  return diags.empty();
}

/// Everything that can be wrong in the inputs is found before the first connection.
bool load_inputs(const ScanOptions& opt, ScanInputs& in) {
  if (!load_rule_library(opt.rule_dirs, in.lib)) return false;
  if (!load_waivers(opt, in.lib, in.waivers, in.waiver_warnings)) return false;
  if (!load_exchange_builds(opt.exchange_builds, in.exchange)) return false;
  if (!opt.baseline.empty()) {
    if (auto err = reports::load_json_report(opt.baseline, in.previous); !err.empty()) {
      usage_error(err);
      return false;
    }
  }
  if (!load_targets(opt, in.targets)) return false;
  in.targets = engine::select_shard(in.targets, opt.shard_k, opt.shard_n);
  return true;
}

bool select_rules(const ScanOptions& opt, const ScanInputs& in, RuleSelection& sel) {
  for (const auto& t : in.targets) {
    std::vector<std::string> profiles = !opt.profiles.empty() ? opt.profiles : t.profiles;
    if (profiles.empty()) profiles = {"default"};
    auto it = sel.by_profiles.find(profiles);
    if (it == sel.by_profiles.end()) {
      std::vector<policy::Rule> selected;
      Diagnostics d = policy::select_rules(in.lib, profiles, selected);
      if (d.empty()) d = policy::keep_rules_of_frameworks(in.lib.frameworks, opt.frameworks, selected);
      print_diagnostics(d);
      if (!d.empty()) return false;
      it = sel.by_profiles.emplace(profiles, std::move(selected)).first;
      auto facts = policy::facts_read(it->second);
      sel.needed_facts.insert(facts.begin(), facts.end());
      sel.all_profiles.insert(profiles.begin(), profiles.end());
    }
    sel.of_target[t.name] = &it->second;
  }
  return true;
}

RunOptions run_options(const ScanOptions& opt, const std::set<std::string>& needed_facts) {
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
  return run;
}

/// Runs the plan with a progress line. Rules judge each subject on its own facts, so the
/// running count of findings is made one subject at a time, without copying a whole batch
/// (the vdir batch is every vdir of the scan); the final judgement comes after the scan.
std::vector<SubjectFacts> probe(const ScanOptions& opt, const ScanInputs& in, const RuleSelection& sel,
                                const Plan& plan, const RunOptions& run) {
  Progress progress(opt.quiet, opt.verbose);
  const policy::Date today = policy::today_utc();
  size_t findings_so_far = 0;
  auto count_findings = [&](const std::vector<SubjectFacts>& finished) {
    std::vector<SubjectFacts> one(1);
    for (const auto& sf : finished) {
      auto it = sel.of_target.find(sf.subject.target);
      if (it == sel.of_target.end()) continue;
      one[0] = sf;
      for (const auto& r : policy::evaluate(*it->second, one, in.waivers, today))
        if (r.status == Status::Fail) ++findings_so_far;
    }
  };
  std::vector<SubjectFacts> observed = engine::run_plan(plan, run, [&](const engine::ProgressEvent& e) {
    if (!opt.quiet && e.finished) count_findings(*e.finished);
    progress.update(e, findings_so_far);
  });
  progress.finish();
  return observed;
}

std::string join_ports(const std::vector<uint16_t>& ports) {
  std::string out;
  for (uint16_t p : ports) out += (out.empty() ? "" : ",") + std::to_string(p);
  return out;
}

/// A target that could not be scanned at all is an error, never a clean target.
void add_discovery_results(const std::vector<engine::Discovery>& discovered, ScanReport& report) {
  for (const auto& d : discovered) {
    const std::string tried = join_ports(d.tried), open = join_ports(d.open);
    report.metadata["discovery." + d.target] = "tried " + tried + "; open " + (open.empty() ? "none" : open);
    if (d.failure.empty()) continue;
    Result e;
    e.rule_id = engine::kProbeErrorRule;
    e.set_text({"probe", "The scanner could not observe this target", "", "", {}});
    e.severity = Severity::High;
    e.target = d.target;
    e.subject = d.target;
    e.status = Status::Error;
    std::string advice = engine::advise(d.failure, d.target, {}, "all");
    e.message = advice.empty() ? d.failure : advice;
    e.evidence.push_back("ports tried: " + tried);
    report.results.push_back(std::move(e));
  }
}

/// A configuration file that could not be read or parsed: one error naming file:line:column.
void add_config_errors(const std::vector<engine::ConfigError>& errors, ScanReport& report) {
  for (const auto& c : errors) {
    Result e;
    e.rule_id = engine::kProbeErrorRule;
    e.set_text({"probe", "The scanner could not read this configuration file", "", "", {}});
    e.severity = Severity::High;
    e.target = c.target;
    e.subject = c.target;
    e.status = Status::Error;
    e.message = c.message;
    e.evidence.push_back(c.message);
    report.results.push_back(std::move(e));
  }
}

/// Each target's subjects against that target's rules. Facts are moved, never copied: on a
/// fleet they are most of the memory. The results go straight into the report, reserved to
/// their exact bound, so a fleet's results are never held twice.
void judge(std::vector<SubjectFacts> observed, const ScanInputs& in, const RuleSelection& sel,
           const std::vector<engine::Discovery>& discovered, const std::vector<engine::ConfigError>& config_errors,
           ScanReport& report) {
  const policy::Date today = policy::today_utc();
  std::map<std::string, std::vector<SubjectFacts>> by_target;
  const size_t observed_count = observed.size();
  for (auto& sf : observed) by_target[sf.subject.target].push_back(std::move(sf));
  std::vector<SubjectFacts>().swap(observed);
  // At most: one result per selected (rule, subject), one scanner error per subject's
  // endpoint, one per target that could not be scanned, one per unreadable configuration file.
  size_t bound = observed_count + discovered.size() + config_errors.size();
  for (const auto& t : in.targets) bound += policy::count_results(*sel.of_target.at(t.name), by_target[t.name]);
  report.results.reserve(bound);
  policy::RuleTexts texts;  // one copy of each rule's texts for the whole fleet
  for (const auto& t : in.targets) {
    report.targets.push_back(t.name);
    std::vector<Result> results = policy::evaluate(*sel.of_target.at(t.name), by_target[t.name], in.waivers, today, &texts);
    for (auto& r : results)
      if (r.target.empty()) r.target = t.name;
    engine::collapse_errors(results, by_target[t.name]);
    std::move(results.begin(), results.end(), std::back_inserter(report.results));
  }
  add_discovery_results(discovered, report);
  add_config_errors(config_errors, report);
  report.facts.reserve(observed_count);
  for (auto& [target, subjects] : by_target)
    std::move(subjects.begin(), subjects.end(), std::back_inserter(report.facts));
}

void add_metadata(const ScanOptions& opt, const Args& args, ScanReport& report) {
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
  report.metadata["command"] = text::join(argv_copy, " ");
}

/// The waivers as the reports list them, each with its state in this scan.
void add_waiver_records(const std::vector<policy::Waiver>& waivers, ScanReport& report) {
  const policy::Date today = policy::today_utc();
  const std::vector<bool> unused = policy::unused_waivers(waivers, report.results);
  for (size_t i = 0; i < waivers.size(); ++i) {
    const policy::Waiver& w = waivers[i];
    const bool expired = w.expires < today;
    report.waivers.push_back({w.rule, w.subject, w.justification, w.owner, w.ticket,
                              w.granted.year ? w.granted.str() : "", w.expires.str(),
                              w.file + ":" + std::to_string(w.line) + ":" + std::to_string(w.column),
                              expired ? "expired" : unused[i] ? "matching nothing" : "active"});
  }
}

/// Expired waivers and waivers that matched nothing in this scan: warnings on stderr, even
/// with --quiet (an expiry changes the gate), and in the reports.
void add_waiver_warnings(const ScanInputs& in, ScanReport& report) {
  const std::vector<policy::Waiver>& waivers = in.waivers;
  const policy::Date today = policy::today_utc();
  for (const auto& list : {in.waiver_warnings, policy::expired_waiver_warnings(waivers, today),
                           policy::unused_waiver_warnings(waivers, report.results)}) {
    for (const auto& w : list) {
      std::fprintf(stderr, "policyprobe: warning: %s\n", w.c_str());
      report.warnings.push_back(w);
    }
  }
}

/// Writes the reports, prints the console summary and the gate line; returns the exit code.
int report_and_gate(const ScanOptions& opt, const ScanReport& report) {
  std::vector<reports::ReportOutput> outputs;
  for (const auto& r : opt.reports) outputs.push_back({r.format, r.path});
  // One gate for the exit code and the gate-aware reports (JUnit, Markdown).
  static_assert(std::string_view(engine::kProbeErrorRule) == reports::kProbeErrorRule);
  reports::WriteOptions write_options;
  write_options.gate = reports::Gate{opt.fail_on, opt.fail_on_new};
  write_options.junit_all_findings = opt.junit_all_findings;
  std::string write_error = reports::write_reports(report, outputs, write_options);
  if (!opt.quiet) std::fputs(reports::render_console(report, console_options(opt)).c_str(), stdout);

  const reports::GateVerdict verdict = reports::evaluate_gate(report.results, *write_options.gate);
  const size_t gated = verdict.findings, undecided = verdict.undecided;
  int code = verdict.exit_code();
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

}  // namespace

int cmd_scan(const Args& args) {
  ScanOptions opt;
  if (int code = parse_and_check(args, opt); code >= 0) return code;
  ScanInputs in;
  if (!load_inputs(opt, in)) return kExitUsage;
  RuleSelection sel;
  if (!select_rules(opt, in, sel)) return kExitUsage;

  RunOptions run = run_options(opt, sel.needed_facts);
  run.exchange_table = &in.exchange;
  ScanReport report;
  report.tool_version = POLICYPROBE_VERSION;
  report.started_at = now_iso();
  std::vector<engine::Discovery> discovered;
  in.targets = engine::discover_services(in.targets, run, discovered);
  Plan plan = engine::make_plan(in.targets, engine::families_for(sel.needed_facts));
  std::vector<SubjectFacts> observed = probe(opt, in, sel, plan, run);
  std::vector<engine::ConfigError> config_errors;
  std::vector<SubjectFacts> configured = engine::observe_configs(in.targets, config_errors);
  if (plan.families.count("iis") || plan.families.count("schannel") ||
      plan.families.count("exchange") || plan.families.count("ipsec"))
    engine::mark_config_only_absent(observed);
  std::move(configured.begin(), configured.end(), std::back_inserter(observed));
  report.finished_at = now_iso();

  judge(std::move(observed), in, sel, discovered, config_errors, report);
  report.profiles.assign(sel.all_profiles.begin(), sel.all_profiles.end());
  // What the reports group by: every known framework, or those of --framework.
  for (const auto& [profiles, rules] : sel.by_profiles)
    merge_mappings(report.controls, policy::control_mapping(in.lib.frameworks, opt.frameworks, rules));
  add_metadata(opt, args, report);
  sort_report(report);
  if (!opt.baseline.empty()) reports::apply_baseline(in.previous, report);
  add_waiver_warnings(in, report);
  add_waiver_records(in.waivers, report);
  return report_and_gate(opt, report);
}

}  // namespace pp::cli
