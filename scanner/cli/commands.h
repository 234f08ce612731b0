#pragma once
#include <string>
#include <vector>

namespace pp::cli {

using Args = std::vector<std::string>;

/// One sub-command: the explicit table in main.cc lists them all (ninja's kTools[]).
struct Command {
  const char* name;
  const char* summary;  ///< one line for `policyprobe --help`
  int (*run)(const Args& args);
};

int cmd_scan(const Args& args);
int cmd_rules(const Args& args);
int cmd_facts(const Args& args);
int cmd_diff(const Args& args);
int cmd_merge(const Args& args);
int cmd_waivers(const Args& args);
int cmd_history(const Args& args);
int cmd_version(const Args& args);

/// Prints "policyprobe: <msg>" to stderr and returns 2 (usage).
int usage_error(const std::string& msg);

}  // namespace pp::cli
