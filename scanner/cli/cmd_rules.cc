#include <algorithm>
#include <cstdio>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/shipped.h"
#include "core/severity.h"
#include "engine/catalogue.h"
#include "policy/frameworks.h"
#include "policy/library.h"
#include "policy/lint.h"
#include "policy/waiver.h"

namespace pp::cli {

namespace {

struct RulesArgs {
  std::vector<std::string> rule_dirs, profiles, paths, frameworks;
  std::string waivers;
  std::vector<std::string> ids;  ///< explain: exactly one
};

/// `rules list|lint|explain`, each option declared once.
std::unique_ptr<CLI::App> rules_command(RulesArgs& a) {
  auto app = make_command("rules",
                          "rules list [--profile NAME]... [--rules DIR]... [--framework NAME]...\n"
                          "rules lint [PATH...] [--waivers FILE]\n"
                          "rules explain ID [--rules DIR]...",
                          "The rule packs: the shipped ones, built into the binary, and your own.");
  CLI::App* list = add_subcommand(*app, "list", "rules list [--profile NAME]... [--rules DIR]... [--framework NAME]...",
                                  "every rule of the selected profiles (default: all shipped packs): id,\n"
                                  "severity, pack, title");
  list->add_option("--profile", a.profiles, "a rule profile (repeatable)")->option_text("NAME")->allow_extra_args(false);
  list->add_option("--rules", a.rule_dirs, "extra rule packs (repeatable)")->option_text("DIR")->allow_extra_args(false);
  list->add_option("--framework", a.frameworks,
                   "only the rules that evidence a control of this framework, each with\n"
                   "the controls it evidences (repeatable)")
      ->option_text("NAME")
      ->allow_extra_args(false);
  CLI::App* lint = add_subcommand(
      *app, "lint", "rules lint [PATH...] [--waivers FILE]",
      "check rule packs and profiles against the fact catalogue: unknown keys,\n"
      "unknown facts, operators that do not fit a fact's type, duplicate ids, bad\n"
      "regular expressions, controls of unknown frameworks or identifiers — each as\n"
      "file:line:column; exit 2 if any");
  lint->add_option("paths", a.paths)->group("");
  lint->add_option("--waivers", a.waivers,
                   "also check a waivers file against those rules and the shipped ones:\n"
                   "rule ids that match no rule, expired waivers, bad dates")
      ->option_text("FILE")
      ->check(CLI::Validator([](std::string& v) { return v.empty() ? "needs a FILE, got ''" : ""; }, "FILE"));
  CLI::App* explain = add_subcommand(*app, "explain", "rules explain ID [--rules DIR]...",
                                     "the rule, its selectors and assertions, the facts it reads, its\nremediation");
  explain->add_option("id", a.ids)->group("");
  explain->add_option("--rules", a.rule_dirs, "extra rule packs (repeatable)")->option_text("DIR")->allow_extra_args(false);
  return app;
}

int run_lint(const RulesArgs& a) {
  if (a.paths.empty() && a.waivers.empty())
    return usage_error("rules lint needs a PATH or --waivers FILE (see 'policyprobe rules lint --help')");
  Diagnostics all;
  for (const auto& path : a.paths) {
    Diagnostics d = policy::lint_path(engine::fact_catalogue(), path, shipped_sources());
    all.insert(all.end(), d.begin(), d.end());
  }
  if (!a.waivers.empty()) {
    // Against the rules a scan with `--rules PATH...` would know; their own problems are
    // reported above, so only the waivers' are added here.
    Diagnostics ignored;
    std::vector<policy::SourceFile> user;
    for (const auto& path : a.paths) policy::read_sources(path, user, ignored);
    policy::Library lib;
    policy::load_library(engine::fact_catalogue(), shipped_sources(), user, lib);
    policy::SourceFile src;
    std::vector<policy::Waiver> loaded;
    if (policy::read_source(a.waivers, src, all)) {
      std::vector<std::string> warnings;
      Diagnostics d = policy::load_waivers(src, loaded, &warnings);
      for (const auto& w : warnings) std::fprintf(stderr, "policyprobe: warning: %s\n", w.c_str());
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

int run_list(const RulesArgs& a) {
  policy::Library lib;
  if (!load_rule_library(a.rule_dirs, lib)) return kExitUsage;
  std::vector<policy::Rule> rules;
  if (a.profiles.empty()) {
    for (const auto* r : lib.all_rules()) rules.push_back(*r);
  } else {
    Diagnostics d = policy::select_rules(lib, a.profiles, rules);
    print_diagnostics(d);
    if (!d.empty()) return kExitUsage;
  }
  Diagnostics d = policy::keep_rules_of_frameworks(lib.frameworks, a.frameworks, rules);
  print_diagnostics(d);
  if (!d.empty()) return kExitUsage;
  for (const auto& r : rules) {
    std::printf("%-10s %-8.*s %-20s %s\n", r.id.c_str(), int(to_string(r.severity).size()),
                to_string(r.severity).data(), r.pack.c_str(), r.title.c_str());
    if (a.frameworks.empty()) continue;
    for (const auto& c : r.controls)
      if (std::find(a.frameworks.begin(), a.frameworks.end(), c.framework) != a.frameworks.end())
        std::printf("           evidences %s\n", c.text().c_str());
  }
  std::printf("%zu rules\n", rules.size());
  return kExitClean;
}

int run_explain(const RulesArgs& a) {
  if (a.ids.size() != 1)
    return usage_error("rules explain needs one rule ID (see 'policyprobe rules explain --help')");
  policy::Library lib;
  if (!load_rule_library(a.rule_dirs, lib)) return kExitUsage;
  const policy::Rule* r = lib.find_rule(a.ids[0]);
  if (!r) return usage_error("no rule with id '" + a.ids[0] + "' (see 'policyprobe rules list')");
  std::fputs(policy::explain_rule(*r, engine::fact_catalogue()).c_str(), stdout);
  return kExitClean;
}

}  // namespace

int cmd_rules(const Args& args) {
  RulesArgs a;
  auto app = rules_command(a);
  if (args.empty()) {
    std::fputs(help_text(*app).c_str(), stderr);
    return kExitUsage;
  }
  const std::string& verb = args[0];
  if (verb != "list" && verb != "lint" && verb != "explain" && verb[0] != '-')
    return usage_error("unknown rules command '" + verb + "' (expected list, lint or explain)");
  ParseOutcome parsed = parse_command(*app, args);
  if (int code = finish_parse(parsed); code >= 0) return code;
  if (parsed.command->get_name() == "lint") return run_lint(a);
  if (parsed.command->get_name() == "list") return run_list(a);
  if (parsed.command->get_name() == "explain") return run_explain(a);
  std::fputs(help_text(*app).c_str(), stderr);
  return kExitUsage;
}

}  // namespace pp::cli
