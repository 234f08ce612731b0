#include <cstdio>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/shipped.h"
#include "core/severity.h"
#include "policy/library.h"
#include "policy/lint.h"
#include "policy/waiver.h"

namespace pp::cli {

namespace {

const char* kRulesHelp =
    "usage: policyprobe rules list [--profile NAME]... [--rules DIR]...\n"
    "       policyprobe rules lint [PATH...] [--waivers FILE]\n"
    "       policyprobe rules explain ID [--rules DIR]...\n\n"
    "list     every rule of the selected profiles (default: all shipped packs): id, severity,\n"
    "         pack, title\n"
    "lint     check rule packs, profiles and waiver-free rule dirs against the fact catalogue:\n"
    "         unknown keys, unknown facts, operators that do not fit a fact's type, duplicate\n"
    "         ids, bad regular expressions — each as file:line:column; exit 2 if any.\n"
    "         --waivers FILE also checks a waivers file against those rules and the\n"
    "         shipped ones: rule ids that match no rule, expired waivers, bad dates\n"
    "explain  the rule, its selectors and assertions, the facts it reads, its remediation\n";

}  // namespace

int cmd_rules(const Args& args) {
  if (args.empty() || wants_help(args)) {
    std::fputs(kRulesHelp, args.empty() ? stderr : stdout);
    return args.empty() ? kExitUsage : kExitClean;
  }
  const std::string& verb = args[0];
  std::vector<std::string> rule_dirs, profiles, positional;
  std::string waivers;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "--rules" || a == "--profile") && verb != "lint") {
      if (i + 1 >= args.size()) return usage_error("option " + a + " needs a value (see 'policyprobe rules --help')");
      (a == "--rules" ? rule_dirs : profiles).push_back(args[++i]);
    } else if (a == "--waivers" && verb == "lint") {
      if (i + 1 >= args.size() || args[i + 1].empty())
        return usage_error("option --waivers needs a FILE (see 'policyprobe rules --help')");
      waivers = args[++i];
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option '" + a + "' (see 'policyprobe rules --help')");
    } else {
      positional.push_back(a);
    }
  }
  if (verb == "lint") {
    if (positional.empty() && waivers.empty())
      return usage_error("rules lint needs a PATH or --waivers FILE (see 'policyprobe rules --help')");
    Diagnostics all;
    for (const auto& path : positional) {
      Diagnostics d = policy::lint_path(path, shipped_sources());
      all.insert(all.end(), d.begin(), d.end());
    }
    if (!waivers.empty()) {
      // Against the rules a scan with `--rules PATH...` would know; their own problems are
      // reported above, so only the waivers' are added here.
      Diagnostics ignored;
      std::vector<policy::SourceFile> user;
      for (const auto& path : positional) policy::read_sources(path, user, ignored);
      policy::Library lib;
      policy::load_library(shipped_sources(), user, lib);
      policy::SourceFile src;
      std::vector<policy::Waiver> loaded;
      if (policy::read_source(waivers, src, all)) {
        Diagnostics d = policy::load_waivers(src, loaded);
        Diagnostics unknown = policy::check_waiver_rules(loaded, lib.all_rules());
        Diagnostics expired = policy::check_waiver_expiry(loaded, policy::today_utc());
        for (const Diagnostics* part : {&d, &unknown, &expired}) all.insert(all.end(), part->begin(), part->end());
      }
    }
    print_diagnostics(all);
    if (!all.empty()) {
      std::fprintf(stderr, "%zu problem%s\n", all.size(), all.size() == 1 ? "" : "s");
      return kExitUsage;
    }
    std::printf("ok: no problems\n");
    return kExitClean;
  }
  if (verb == "list") {
    if (!positional.empty()) return usage_error("rules list takes no arguments (see 'policyprobe rules --help')");
    policy::Library lib;
    if (!load_rule_library(rule_dirs, lib)) return kExitUsage;
    std::vector<policy::Rule> rules;
    if (profiles.empty()) {
      for (const auto* r : lib.all_rules()) rules.push_back(*r);
    } else {
      Diagnostics d = policy::select_rules(lib, profiles, rules);
      print_diagnostics(d);
      if (!d.empty()) return kExitUsage;
    }
    for (const auto& r : rules)
      std::printf("%-10s %-8.*s %-20s %s\n", r.id.c_str(), int(to_string(r.severity).size()),
                  to_string(r.severity).data(), r.pack.c_str(), r.title.c_str());
    std::printf("%zu rules\n", rules.size());
    return kExitClean;
  }
  if (verb == "explain") {
    if (positional.size() != 1) return usage_error("rules explain needs one rule ID (see 'policyprobe rules --help')");
    policy::Library lib;
    if (!load_rule_library(rule_dirs, lib)) return kExitUsage;
    const policy::Rule* r = lib.find_rule(positional[0]);
    if (!r) return usage_error("no rule with id '" + positional[0] + "' (see 'policyprobe rules list')");
    std::fputs(policy::explain_rule(*r).c_str(), stdout);
    return kExitClean;
  }
  return usage_error("unknown rules command '" + verb + "' (expected list, lint or explain)");
}

}  // namespace pp::cli
