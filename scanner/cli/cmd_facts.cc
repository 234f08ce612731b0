#include <cstdio>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "engine/catalogue.h"

namespace pp::cli {

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "policyprobe: %s\n", msg.c_str());
  return kExitUsage;
}

int cmd_version(const Args& args) {
  auto app = make_command("version", "version", "Prints the version of policyprobe.");
  if (int code = finish_parse(parse_command(*app, args)); code >= 0) return code;
  std::printf("policyprobe %s\n", POLICYPROBE_VERSION);
  return kExitClean;
}

int cmd_facts(const Args& args) {
  bool markdown = false;
  auto app = make_command("facts", "facts [--markdown]",
                          "Prints the fact catalogue: every fact a rule can read, with its type, the subject it\n"
                          "describes (endpoint, certificate, vdir), the probe family that observes it and its\n"
                          "meaning.");
  add_flag(*app, "--markdown", markdown, "print the table the docs are generated from");
  if (int code = finish_parse(parse_command(*app, args)); code >= 0) return code;
  if (markdown) {
    std::printf("| fact | type | subject | probe | meaning |\n|---|---|---|---|---|\n");
    for (const auto& f : engine::fact_catalogue())
      std::printf("| `%.*s` | %.*s | %.*s | %.*s | %.*s |\n", int(f.name.size()), f.name.data(),
                  int(to_string(f.type).size()), to_string(f.type).data(), int(to_string(f.subject).size()),
                  to_string(f.subject).data(), int(f.probe.size()), f.probe.data(), int(f.meaning.size()),
                  f.meaning.data());
    return kExitClean;
  }
  for (const auto& f : engine::fact_catalogue())
    std::printf("%-38.*s %-8.*s %-12.*s %.*s\n", int(f.name.size()), f.name.data(), int(to_string(f.type).size()),
                to_string(f.type).data(), int(to_string(f.subject).size()), to_string(f.subject).data(),
                int(f.meaning.size()), f.meaning.data());
  return kExitClean;
}

}  // namespace pp::cli
