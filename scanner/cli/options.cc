#include "cli/options.h"

#include <cstdlib>

namespace pp::cli {

namespace {

bool to_int(const std::string& s, int lo, int hi, int& out) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  long v = std::strtol(s.c_str(), nullptr, 10);
  if (v < lo || v > hi) return false;
  out = static_cast<int>(v);
  return true;
}

}  // namespace

const char* scan_help() {
  return R"(usage: policyprobe scan [TARGET...] [-i INVENTORY] [options]

Probes the targets, evaluates the selected rules on what was observed, writes the reports and
exits with the gate's code.

Targets (any number, merged by host):
  https://host[:port][/vdir]  http://...  smtp:// submission:// smtps:// imap:// imaps://
  pop3:// pop3s:// ldap:// ldaps:// nntp:// nntps://   IPv6 literals in brackets: https://[::1]:8443
  host        a bare host: the usual web, mail and directory ports are tried, those that answer kept

Inputs:
  -i, --inventory FILE   inventory TOML (repeatable)
  --nmap-xml FILE        import targets from `nmap -sV -oX` output (repeatable)
  --profile NAME         rule profile (repeatable; default: default)
  --rules DIR            extra rule packs; a rule with a shipped id overrides it (repeatable)
  --waivers FILE         waivers TOML: accepted findings with a justification and an expiry

Reports (any number in one run; each written atomically; the directory must exist):
  --junit FILE  --html FILE  --json FILE  --sarif FILE  --markdown FILE
                         FILE '-' is standard output (one report at most); the console
                         summary then goes to standard error
  --junit-all-findings   JUnit fails every fail and error, not only what the gate counts

Gate:
  --fail-on SEVERITY     info|low|medium|high|critical (default: high); exit 1 if a failing
                         finding is at or above it
  --baseline FILE        a previous --json report: mark findings new, unchanged or fixed
  --fail-on-new          gate only on findings that are new since --baseline

Network (every wait is bounded; never sends credentials; stays on the given hosts):
  --timeout SECONDS      per network wait (default: 5)
  --endpoint-budget SECONDS
                         most one endpoint may take, all its probes together (default: 12
                         times --timeout, at least 10); what is left unobserved is an error
  --concurrency N        connections in flight overall (default: 32)
  --per-host N           connections in flight per host (default: 4)
  --ca-file PEM          trust these CAs instead of the system store
  --shard K/N            scan only the K-th of N deterministic slices of the targets

Output:
  -q, --quiet            only warnings, errors and the final summary line
  -v, --verbose          under each finding, the evidence it was judged on
  --no-color             no colour on a terminal (NO_COLOR in the environment does the same)

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage, rule,
inventory or report error, 3 the scan could not complete (errors) so the gate is undecided,
130/143 interrupted by SIGINT/SIGTERM (no partial report is left).
)";
}

std::string parse_scan_options(const std::vector<std::string>& args, ScanOptions& out) {
  const std::string hint = " (see 'policyprobe scan --help')";
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    std::string value;
    bool has_inline = false;
    if (a.rfind("--", 0) == 0) {
      if (auto eq = a.find('='); eq != std::string::npos) {
        value = a.substr(eq + 1);
        a = a.substr(0, eq);
        has_inline = true;
      }
    }
    auto need = [&](std::string& v) -> bool {
      if (has_inline) {
        v = value;
        return true;
      }
      if (i + 1 >= args.size()) return false;
      v = args[++i];
      return true;
    };
    auto flag = [&](bool& b) -> std::string {
      if (has_inline) return "option " + a + " takes no value" + hint;
      b = true;
      return {};
    };
    std::string v;
    if (a == "-i" || a == "--inventory") {
      if (!need(v)) return "option " + a + " needs a FILE" + hint;
      out.inventories.push_back(v);
    } else if (a == "--nmap-xml") {
      if (!need(v)) return "option --nmap-xml needs a FILE" + hint;
      out.nmap_files.push_back(v);
    } else if (a == "--junit" || a == "--html" || a == "--json" || a == "--sarif" || a == "--markdown") {
      if (!need(v) || v.empty()) return "option " + a + " needs a FILE" + hint;
      out.reports.push_back({a.substr(2), v});
    } else if (a == "--profile") {
      if (!need(v) || v.empty()) return "option --profile needs a NAME" + hint;
      out.profiles.push_back(v);
    } else if (a == "--rules") {
      if (!need(v) || v.empty()) return "option --rules needs a DIR" + hint;
      out.rule_dirs.push_back(v);
    } else if (a == "--waivers") {
      if (!need(v) || v.empty()) return "option --waivers needs a FILE" + hint;
      out.waivers = v;
    } else if (a == "--fail-on") {
      if (!need(v)) return "option --fail-on needs a SEVERITY" + hint;
      auto s = parse_severity(v);
      if (!s) return "--fail-on: '" + v + "' is not one of info, low, medium, high, critical";
      out.fail_on = *s;
    } else if (a == "--baseline") {
      if (!need(v) || v.empty()) return "option --baseline needs a FILE" + hint;
      out.baseline = v;
    } else if (a == "--fail-on-new") {
      if (auto e = flag(out.fail_on_new); !e.empty()) return e;
    } else if (a == "--junit-all-findings") {
      if (auto e = flag(out.junit_all_findings); !e.empty()) return e;
    } else if (a == "--timeout") {
      if (!need(v)) return "option --timeout needs SECONDS" + hint;
      char* end = nullptr;
      double t = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !(t > 0) || t > 3600) return "--timeout: expected seconds in (0, 3600], got '" + v + "'";
      out.timeout_s = t;
    } else if (a == "--endpoint-budget") {
      if (!need(v)) return "option --endpoint-budget needs SECONDS" + hint;
      char* end = nullptr;
      double t = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !(t > 0) || t > 86400)
        return "--endpoint-budget: expected seconds in (0, 86400], got '" + v + "'";
      out.endpoint_budget_s = t;
    } else if (a == "--concurrency") {
      if (!need(v) || !to_int(v, 1, 4096, out.concurrency)) return "--concurrency: expected 1-4096" + hint;
    } else if (a == "--per-host") {
      if (!need(v) || !to_int(v, 1, 256, out.per_host)) return "--per-host: expected 1-256" + hint;
    } else if (a == "--ca-file") {
      if (!need(v) || v.empty()) return "option --ca-file needs a PEM file" + hint;
      out.ca_file = v;
    } else if (a == "--shard") {
      if (!need(v)) return "option --shard needs K/N" + hint;
      auto slash = v.find('/');
      int k = 0, n = 0;
      if (slash == std::string::npos || !to_int(v.substr(0, slash), 1, 100000, k) ||
          !to_int(v.substr(slash + 1), 1, 100000, n) || k > n)
        return "--shard: expected K/N with 1 <= K <= N, got '" + v + "'";
      out.shard_k = k;
      out.shard_n = n;
    } else if (a == "-q" || a == "--quiet") {
      if (auto e = flag(out.quiet); !e.empty()) return e;
    } else if (a == "-v" || a == "--verbose") {
      if (auto e = flag(out.verbose); !e.empty()) return e;
    } else if (a == "--no-color") {
      if (auto e = flag(out.no_color); !e.empty()) return e;
    } else if (!a.empty() && a[0] == '-') {
      return "unknown option '" + a + "'" + hint;
    } else {
      out.targets.push_back(a);
    }
  }
  if (out.targets.empty() && out.inventories.empty() && out.nmap_files.empty())
    return "nothing to scan: give TARGETs, -i INVENTORY or --nmap-xml FILE" + hint;
  if (out.fail_on_new && out.baseline.empty()) return "--fail-on-new needs --baseline FILE" + hint;
  if (out.quiet && out.verbose) return "--quiet and --verbose exclude each other" + hint;
  return {};
}

}  // namespace pp::cli
