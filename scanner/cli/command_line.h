#pragma once
#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"

/// CLI11 glue shared by every sub-command: each option is declared once on a `CLI::App`, the
/// help is generated from those declarations, and parse errors are worded our way (one line,
/// the option named, a hint to `--help`).
namespace pp::cli {

/// An app for one command: `usage` is the text after "usage: policyprobe " (one or more lines),
/// `description` the paragraph under it, `footer` what follows the options.
std::unique_ptr<CLI::App> make_command(const std::string& name, const std::string& usage,
                                       const std::string& description, const std::string& footer = {});

/// A sub-command of `parent` (e.g. `rules lint`) with the same help layout.
CLI::App* add_subcommand(CLI::App& parent, const std::string& name, const std::string& usage,
                         const std::string& description);

/// A line printed under the heading of an option group in the help (group names are one line).
void note_group(CLI::App& app, const std::string& group, const std::string& note);

/// A boolean flag that refuses `--flag=value`.
CLI::Option* add_flag(CLI::App& app, const std::string& names, bool& out, const std::string& description);

/// `--junit FILE`, `--html FILE`, ...: one option per entry of the report-writer table, each
/// repeatable, appended to `out` in command-line order.
void add_report_options(CLI::App& app, std::vector<ReportSpec>& out, const std::string& group = "Reports");

struct ParseOutcome {
  bool help = false;  ///< -h/--help was given: print the help of `command`
  const CLI::App* command = nullptr;  ///< the innermost (sub-)command that was parsed
  std::string error;  ///< "" or the usage error, with the hint
};

/// Parses `args` (without the command name). Unknown options, missing values, values that
/// fail validation and flags given a value become `error`.
ParseOutcome parse_command(CLI::App& app, const Args& args);

/// Prints the help (stdout) or the error (stderr) of a parse that did not succeed; returns the
/// exit code, or -1 when the parse succeeded and the command should run.
int finish_parse(const ParseOutcome& outcome);

/// The help of `app` as `--help` prints it.
std::string help_text(const CLI::App& app);

/// A check that a value is an integer in [lo, hi]: "expected LO-HI, got 'V'".
CLI::Validator int_range(int lo, int hi);

}  // namespace pp::cli
