#include "cli/options.h"

#include <cstdlib>

#include "cli/command_line.h"

namespace pp::cli {

namespace {

constexpr const char* kDescription =
    "Probes the targets, evaluates the selected rules on what was observed, writes the reports and\n"
    "exits with the gate's code.\n\n"
    "Targets (any number, merged by host):\n"
    "  https://host[:port][/vdir]  http://...  smtp:// submission:// smtps:// imap:// imaps://\n"
    "  pop3:// pop3s:// ldap:// ldaps:// nntp:// nntps://   IPv6 literals in brackets: https://[::1]:8443\n"
    "  host        a bare host: the usual web, mail and directory ports are tried, those that answer kept";

constexpr const char* kFooter =
    "Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage, rule,\n"
    "inventory or report error, 3 the scan could not complete (errors) so the gate is undecided,\n"
    "130/143 interrupted by SIGINT/SIGTERM (no partial report is left).";

/// Seconds in (0, max]: "expected seconds in (0, MAX], got 'V'".
CLI::Validator seconds_up_to(double max) {
  return CLI::Validator(
      [max](std::string& v) {
        char* end = nullptr;
        double t = std::strtod(v.c_str(), &end);
        if (!v.empty() && *end == '\0' && t > 0 && t <= max) return std::string();
        char bound[32];
        std::snprintf(bound, sizeof bound, "%g", max);
        return std::string("expected seconds in (0, ") + bound + "], got '" + v + "'";
      },
      "SECONDS");
}

CLI::Validator non_empty(const char* what) {
  return CLI::Validator(
      [what](std::string& v) { return v.empty() ? std::string("needs ") + what + ", got ''" : std::string(); }, what);
}

/// A repeatable option: each occurrence takes one value.
CLI::Option* add_list(CLI::App& app, const std::string& names, std::vector<std::string>& out, const char* value,
                      const std::string& description) {
  return app.add_option(names, out, description)
      ->option_text(value)
      ->allow_extra_args(false)
      ->check(non_empty(value));
}

/// One option that takes one value.
CLI::Option* add_value(CLI::App& app, const std::string& names, std::string& out, const char* value,
                       const std::string& description) {
  return app.add_option(names, out, description)->option_text(value)->check(non_empty(value));
}

void declare_inputs(CLI::App& app, ScanOptions& out) {
  app.add_option("targets", out.targets)->group("");  // described above the options
  add_list(app, "-i,--inventory", out.inventories, "FILE", "inventory TOML (repeatable)")->group("Inputs");
  add_list(app, "--nmap-xml", out.nmap_files, "FILE", "import targets from `nmap -sV -oX` output (repeatable)")
      ->group("Inputs");
  add_list(app, "--config", out.configs, "[KIND:]FILE",
           "judge a configuration file instead of a server: IIS applicationHost.config (iis), web.config "
           "(iis-web), a SCHANNEL registry export (schannel, or schannel@2019 naming its Windows Server "
           "release), Exchange virtual directory settings as JSON (exchange) or Windows IPsec rules as JSON "
           "(ipsec) or as netsh advfirewall consec text (ipsec-netsh); the kind is guessed from the "
           "content unless given (repeatable)")
      ->group("Inputs");
  add_list(app, "--profile", out.profiles, "NAME", "rule profile (repeatable; default: default)")->group("Inputs");
  add_list(app, "--rules", out.rule_dirs, "DIR",
           "extra rule packs; a rule with a shipped id overrides it (repeatable)")
      ->group("Inputs");
  add_value(app, "--waivers", out.waivers, "FILE",
            "waivers TOML: accepted findings with a justification and an expiry")
      ->group("Inputs");
  add_list(app, "--framework", out.frameworks, "NAME",
           "only the rules that evidence a control of this framework (repeatable;\n"
           "`rules list --framework` shows them); reports group by its controls")
      ->group("Inputs");
  add_value(app, "--exchange-builds", out.exchange_builds, "FILE",
            "Exchange build table TOML to judge exchange.* facts with, instead of the shipped one")
      ->group("Inputs");
}

void declare_gate(CLI::App& app, ScanOptions& out) {
  app.add_option_function<std::string>(
         "--fail-on", [&out](const std::string& v) { out.fail_on = *parse_severity(v); },
         "info|low|medium|high|critical (default: high); exit 1 if a failing\nfinding is at or above it")
      ->option_text("SEVERITY")
      ->group("Gate")
      ->check(CLI::Validator(
          [](std::string& v) {
            return parse_severity(v) ? std::string()
                                     : "'" + v + "' is not one of info, low, medium, high, critical";
          },
          "SEVERITY"));
  add_value(app, "--baseline", out.baseline, "FILE", "a previous --json report: mark findings new, unchanged or fixed")
      ->group("Gate");
  add_flag(app, "--fail-on-new", out.fail_on_new, "gate only on findings that are new since --baseline")
      ->group("Gate");
  add_flag(app, "--junit-all-findings", out.junit_all_findings,
           "JUnit fails every fail and error, not only what the gate counts")
      ->group("Gate");
}

void declare_network(CLI::App& app, ScanOptions& out) {
  const std::string group = "Network (every wait is bounded; never sends credentials; stays on the given hosts)";
  app.add_option("--timeout", out.timeout_s, "per network wait (default: 5)")
      ->option_text("SECONDS")
      ->check(seconds_up_to(3600))
      ->group(group);
  app.add_option("--endpoint-budget", out.endpoint_budget_s,
                 "most one endpoint may take, all its probes together (default: 12\n"
                 "times --timeout, at least 10); what is left unobserved is an error")
      ->option_text("SECONDS")
      ->check(seconds_up_to(86400))
      ->group(group);
  app.add_option("--concurrency", out.concurrency, "connections in flight overall (default: 32)")
      ->option_text("N")
      ->check(int_range(1, 4096))
      ->group(group);
  app.add_option("--per-host", out.per_host, "connections in flight per host (default: 4)")
      ->option_text("N")
      ->check(int_range(1, 256))
      ->group(group);
  add_value(app, "--ca-file", out.ca_file, "PEM", "trust these CAs instead of the system store")->group(group);
  app.add_option_function<std::string>(
         "--shard",
         [&out](const std::string& v) {
           out.shard_k = std::atoi(v.c_str());
           out.shard_n = std::atoi(v.c_str() + v.find('/') + 1);
         },
         "scan only the K-th of N deterministic slices of the targets")
      ->option_text("K/N")
      ->group(group)
      ->check(CLI::Validator(
          [](std::string& v) {
            const auto slash = v.find('/');
            std::string k = v.substr(0, slash), n = slash == std::string::npos ? "" : v.substr(slash + 1);
            CLI::Validator range = int_range(1, 100000);
            if (slash != std::string::npos && range(k).empty() && range(n).empty() && std::stoi(k) <= std::stoi(n))
              return std::string();
            return "expected K/N with 1 <= K <= N, got '" + v + "'";
          },
          "K/N"));
}

void declare_output(CLI::App& app, ScanOptions& out) {
  add_flag(app, "-q,--quiet", out.quiet, "only warnings, errors and the final summary line")->group("Output");
  add_flag(app, "-v,--verbose", out.verbose, "under each failing rule, every subject with what was found and its evidence; "
           "then each TLS endpoint's protocols and graded cipher suites")
      ->group("Output");
  add_flag(app, "--no-color", out.no_color, "no colour on a terminal (NO_COLOR in the environment does the same)")
      ->group("Output");
  add_flag(app, "--controls", out.controls,
           "after the failing rules, each control of the report's frameworks: pass, fail\n"
           "(what failed), undecided or not evidenced")
      ->group("Output");
}

/// Every `scan` option, each declared once: the parser and the help both come from here.
std::unique_ptr<CLI::App> scan_command(ScanOptions& out) {
  auto app = make_command("scan", "scan [TARGET...] [-i INVENTORY] [options]", kDescription, kFooter);
  declare_inputs(*app, out);
  add_report_options(*app, out.reports, "Reports (any number in one run; each written atomically)");
  note_group(*app, "Reports (any number in one run; each written atomically)",
             "the directory must exist; FILE '-' is standard output (one report at most; the console\n"
             "  summary then goes to standard error)");
  declare_gate(*app, out);
  declare_network(*app, out);
  declare_output(*app, out);
  return app;
}

}  // namespace

std::string scan_help() {
  ScanOptions unused;
  return help_text(*scan_command(unused));
}

std::string parse_scan_options(const std::vector<std::string>& args, ScanOptions& out, bool* help) {
  const std::string hint = " (see 'policyprobe scan --help')";
  auto app = scan_command(out);
  ParseOutcome parsed = parse_command(*app, args);
  if (help) *help = parsed.help;
  if (parsed.help || !parsed.error.empty()) return parsed.error;
  if (out.targets.empty() && out.inventories.empty() && out.nmap_files.empty() && out.configs.empty())
    return "nothing to scan: give TARGETs, -i INVENTORY, --nmap-xml FILE or --config FILE" + hint;
  if (out.fail_on_new && out.baseline.empty()) return "--fail-on-new needs --baseline FILE" + hint;
  if (out.quiet && out.verbose) return "--quiet and --verbose exclude each other" + hint;
  return {};
}

}  // namespace pp::cli
