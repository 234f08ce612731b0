// policyprobe: policy-as-code security compliance scanner. The sub-command table.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/commands.h"
#include "cli/options.h"
#include "core/atomic_file.h"

namespace pp::cli {
namespace {

constexpr Command kCommands[] = {
    {"scan", "probe targets, evaluate rules, write reports, exit with the gate's code", cmd_scan},
    {"rules", "list, lint or explain rules: rules list | rules lint [PATH...] [--waivers F] | rules explain ID", cmd_rules},
    {"facts", "print the fact catalogue: every fact a rule can read", cmd_facts},
    {"diff", "compare two JSON reports: what is new, fixed and unchanged", cmd_diff},
    {"merge", "combine JSON reports (e.g. shards) into one set of reports", cmd_merge},
    {"waivers", "list every waiver with its owner, ticket and state: waivers list --waivers F", cmd_waivers},
    {"history", "what changed run by run over a series of JSON reports", cmd_history},
    {"version", "print the version", cmd_version},
};

void print_help() {
  std::printf(
      "policyprobe — checks web, mail and directory endpoints against declarative TOML rules\n\n"
      "usage: policyprobe <command> [options]\n\ncommands:\n");
  for (const auto& c : kCommands) std::printf("  %-8s %s\n", c.name, c.summary);
  std::printf(
      "\n'policyprobe <command> --help' explains a command.\n"
      "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or rule error, 3 scan incomplete,\n"
      "130/143 interrupted by SIGINT/SIGTERM.\n");
}

/// SIGINT/SIGTERM: remove the temp files of reports being written (the previous reports stay
/// as they were), say so, and exit 128+signal. Async-signal-safe calls only.
void on_interrupt(int sig) {
  pp::remove_registered_temp_files();
  static const char kInt[] = "\npolicyprobe: interrupted (SIGINT): the scan did not complete; no partial report left\n";
  static const char kTerm[] = "\npolicyprobe: terminated (SIGTERM): the scan did not complete; no partial report left\n";
  const bool is_int = sig == SIGINT;
  if (::write(STDERR_FILENO, is_int ? kInt : kTerm, (is_int ? sizeof kInt : sizeof kTerm) - 1) < 0) {
  }
  _exit(128 + sig);
}

/// Installed whatever the inherited disposition: a shell without job control starts a
/// background job with SIGINT ignored, and Ctrl-C must still stop a scan run that way.
void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGINT);  // one handler at a time, whichever thread takes the signal
  sigaddset(&sa.sa_mask, SIGTERM);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigset_t unblock;
  sigemptyset(&unblock);
  sigaddset(&unblock, SIGINT);
  sigaddset(&unblock, SIGTERM);
  sigprocmask(SIG_UNBLOCK, &unblock, nullptr);  // before any thread starts: they inherit it
}

}  // namespace
}  // namespace pp::cli

int main(int argc, char** argv) {
  using namespace pp::cli;
  install_interrupt_handlers();
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
