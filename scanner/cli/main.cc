// policyprobe: policy-as-code security compliance scanner. The sub-command table.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/commands.h"
#include "cli/options.h"

namespace pp::cli {
namespace {

constexpr Command kCommands[] = {
    {"scan", "probe targets, evaluate rules, write reports, exit with the gate's code", cmd_scan},
    {"rules", "list, lint or explain rules: rules list | rules lint [PATH...] [--waivers F] | rules explain ID", cmd_rules},
    {"facts", "print the fact catalogue: every fact a rule can read", cmd_facts},
    {"diff", "compare two JSON reports: what is new, fixed and unchanged", cmd_diff},
    {"merge", "combine JSON reports (e.g. shards) into one set of reports", cmd_merge},
    {"version", "print the version", cmd_version},
};

void print_help() {
  std::printf(
      "policyprobe — checks web, mail and directory endpoints against declarative TOML rules\n\n"
      "usage: policyprobe <command> [options]\n\ncommands:\n");
  for (const auto& c : kCommands) std::printf("  %-8s %s\n", c.name, c.summary);
  std::printf(
      "\n'policyprobe <command> --help' explains a command.\n"
      "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or rule error, 3 scan incomplete.\n");
}

}  // namespace
}  // namespace pp::cli

int main(int argc, char** argv) {
  using namespace pp::cli;
  if (argc < 2) {
    print_help();
    return kExitUsage;
  }
  std::string name = argv[1];
  if (name == "-h" || name == "--help" || name == "help") {
    print_help();
    return kExitClean;
  }
  if (name == "--version") name = "version";
  Args args(argv + 2, argv + argc);
  for (const auto& c : kCommands)
    if (name == c.name) return c.run(args);
  std::fprintf(stderr, "policyprobe: unknown command '%s' (see 'policyprobe --help')\n", name.c_str());
  return kExitUsage;
}
