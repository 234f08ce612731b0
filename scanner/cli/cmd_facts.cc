#include <cstdio>

#include "cli/commands.h"
#include "cli/options.h"
#include "core/catalogue.h"

namespace pp::cli {

bool wants_help(const Args& args) {
  for (const auto& a : args)
    if (a == "-h" || a == "--help") return true;
  return false;
}

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "policyprobe: %s\n", msg.c_str());
  return kExitUsage;
}

int cmd_version(const Args& args) {
  if (wants_help(args)) {
    std::printf("usage: policyprobe version\n\nPrints the version of policyprobe.\n");
    return kExitClean;
  }
  if (!args.empty()) return usage_error("version takes no arguments (see 'policyprobe version --help')");
  std::printf("policyprobe %s\n", POLICYPROBE_VERSION);
  return kExitClean;
}

int cmd_facts(const Args& args) {
  if (wants_help(args)) {
    std::printf(
        "usage: policyprobe facts [--markdown]\n\n"
        "Prints the fact catalogue: every fact a rule can read, with its type, the subject it\n"
        "describes (endpoint, certificate, vdir), the probe family that observes it and its\n"
        "meaning. --markdown prints the table the docs are generated from.\n");
    return kExitClean;
  }
  bool markdown = false;
  for (const auto& a : args) {
    if (a == "--markdown") markdown = true;
    else return usage_error("unknown option '" + a + "' (see 'policyprobe facts --help')");
  }
  if (markdown) {
    std::printf("| fact | type | subject | probe | meaning |\n|---|---|---|---|---|\n");
    for (const auto& f : fact_catalogue())
      std::printf("| `%.*s` | %.*s | %.*s | %.*s | %.*s |\n", int(f.name.size()), f.name.data(),
                  int(to_string(f.type).size()), to_string(f.type).data(), int(to_string(f.subject).size()),
                  to_string(f.subject).data(), int(f.probe.size()), f.probe.data(), int(f.meaning.size()),
                  f.meaning.data());
    return kExitClean;
  }
  for (const auto& f : fact_catalogue())
    std::printf("%-38.*s %-8.*s %-12.*s %.*s\n", int(f.name.size()), f.name.data(), int(to_string(f.type).size()),
                to_string(f.type).data(), int(to_string(f.subject).size()), to_string(f.subject).data(),
                int(f.meaning.size()), f.meaning.data());
  return kExitClean;
}

}  // namespace pp::cli
